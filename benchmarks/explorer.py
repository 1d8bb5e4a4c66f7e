"""The network explorer's server side: a page of 2,000 nodes and 16,000 edges against pyvis; the real pages.

What is timed, in one run on the same graph (DESIGN §7, issue 5 item 2; target ≤ 1 s for Maillage):

- **Maillage**: the server side of a page drawing the graph — the seeded layout (``layout_positions``),
  the node and edge lists, ``render_network``'s HTML — first view (layout computed) and next view (layout
  kept, as the explorer does when only colour or size change);
- **pyvis ``from_nx``** (the baseline): ``Network.from_nx`` on the same graph, positions and sizes as node
  attributes, then ``generate_html``: what a pyvis page costs when built the documented way (its
  ``add_edge`` scans the edge list on every call);
- **pyvis, bare lists** (second reference): the same node and edge dicts handed to pyvis whole
  (``net.nodes = …``), then ``generate_html`` — no layout.

Then the real pages, through the app (``TestClient``), on generated stores: ``/`` for a network of about
2,000 public actors (drawn actor by actor), and ``/`` and ``/?regrouper=territoire`` at 25,000 actors
(grouped beyond 2,000), first and next request.

    .venv/bin/python -m benchmarks.explorer                  # ~3 min (the 25,000-actor store takes ~1 min)
    .venv/bin/python -m benchmarks.explorer --actors 0       # the 2,000-node part only, ~30 s

Writes ``benchmarks/results/explorer-{nodes}.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from benchmarks.measure import machine, source_fingerprint

HERE = Path(__file__).resolve().parent


def test_graph(nodes: int, edges: int, *, seed: int = 1) -> nx.Graph:
    """A clustered, skewed graph of `nodes` nodes and exactly `edges` edges (``a00000`` … as ids):
    Holme–Kim (``powerlaw_cluster_graph``) with ``edges / nodes`` links per new node, then seeded random
    pairs added or edges removed to reach the count."""
    per_node = max(1, min(nodes - 1, round(edges / nodes)))
    graph = nx.powerlaw_cluster_graph(nodes, per_node, 0.3, seed=seed)
    rng = np.random.default_rng(seed)
    while graph.number_of_edges() < edges:
        u, v = (int(x) for x in rng.integers(0, nodes, size=2))
        if u != v:
            graph.add_edge(u, v)
    surplus = graph.number_of_edges() - edges
    if surplus > 0:
        graph.remove_edges_from(sorted(graph.edges)[:surplus])
    return nx.relabel_nodes(graph, {i: f"a{i:05d}" for i in range(nodes)})


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def maillage_page(graph: nx.Graph, positions: dict[str, tuple[float, float]] | None = None) -> str:
    """The server side of a page drawing `graph` the explorer's way; `positions` given = layout kept."""
    from maillage.viz.layout import layout_positions, size_by_degree
    from maillage.viz.legend import legend_for
    from maillage.viz.model import VizEdge, VizNode
    from maillage.viz.network import render_network

    sizes = size_by_degree(dict(graph.degree()))
    if positions is None:
        positions = layout_positions(graph, seed=42, sizes=sizes)
    nodes = [
        VizNode(key, key, "groupe", "#332288", sizes[key], *positions[key], key, url=f"/actors/{key}")
        for key in sorted(graph.nodes)
    ]
    edges = [VizEdge(u, v, "projet", f"{u} – {v}") for u, v in sorted(graph.edges)]
    return render_network(nodes, edges, legend=legend_for(nodes, edges))


def pyvis_from_nx(graph: nx.Graph, positions: dict[str, tuple[float, float]]) -> str:
    from pyvis.network import Network

    annotated = nx.Graph()
    for key in sorted(graph.nodes):
        x, y = positions[key]
        annotated.add_node(key, x=x, y=y, size=10, title=key, label=key)
    annotated.add_edges_from((u, v, {"title": f"{u} – {v}"}) for u, v in sorted(graph.edges))
    net = Network(height="720px", width="100%", cdn_resources="local")
    net.from_nx(annotated)
    net.toggle_physics(False)
    return str(net.generate_html())


def pyvis_bare_lists(graph: nx.Graph, positions: dict[str, tuple[float, float]]) -> str:
    from pyvis.network import Network

    net = Network(height="720px", width="100%", cdn_resources="local")
    net.nodes = [
        {"id": key, "label": key, "title": key, "x": positions[key][0], "y": positions[key][1], "size": 10}
        for key in sorted(graph.nodes)
    ]
    net.edges = [{"from": u, "to": v, "title": f"{u} – {v}"} for u, v in sorted(graph.edges)]
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.toggle_physics(False)
    return str(net.generate_html())


def drawing_part(nodes: int, edges: int, repeat: int) -> dict[str, Any]:
    from maillage.viz.layout import layout_positions, size_by_degree

    graph = test_graph(nodes, edges)
    figures: dict[str, Any] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    sizes = size_by_degree(dict(graph.degree()))
    started = time.perf_counter()
    positions = layout_positions(graph, seed=42, sizes=sizes)
    figures["layout_s"] = time.perf_counter() - started
    figures["maillage_first_view_s"], figures["maillage_first_view_runs_s"] = median_seconds(
        lambda: maillage_page(graph), repeat
    )
    figures["maillage_next_view_s"], _ = median_seconds(lambda: maillage_page(graph, positions), repeat)
    html = maillage_page(graph, positions)
    figures["maillage_html_bytes"] = len(html.encode())
    figures["pyvis_from_nx_s"], figures["pyvis_from_nx_runs_s"] = median_seconds(
        lambda: pyvis_from_nx(graph, positions), max(1, min(repeat, 2))
    )
    figures["pyvis_bare_lists_s"], _ = median_seconds(lambda: pyvis_bare_lists(graph, positions), repeat)
    return figures


def page_part(actors: int, repeat: int) -> dict[str, Any]:
    """The explorer page through the app on a generated store of `actors` actors."""
    from fastapi.testclient import TestClient

    from benchmarks.generate import generate_network
    from maillage.api.app import create_app
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    started = time.perf_counter()
    generate_network(store, actors, seed=0)
    figures: dict[str, Any] = {"actors": actors, "generation_s": time.perf_counter() - started}
    client = TestClient(create_app(store))
    state = client.app.state.maillage  # type: ignore[attr-defined]
    started = time.perf_counter()
    index = state.index()
    figures["index_s"] = time.perf_counter() - started
    figures["public_actors"] = sum(1 for a in index.actors if a.is_public)
    figures["links"] = index.collaboration.number_of_edges()
    for name, url in (("whole", "/"), ("territories", "/?regrouper=territoire")):
        started = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:500]}")
        next_view, _ = median_seconds(lambda url=url: client.get(url), repeat)
        text = response.text
        figures[name] = {
            "url": url,
            "first_s": first,
            "next_s": next_view,
            "html_bytes": len(text.encode()),
            "grouped": "le dessin les regroupe" in text,
            "drawn_nodes": text.count('"category"'),
        }
    store.close()
    return figures


def table(figures: dict[str, Any]) -> str:
    drawing = figures["drawing"]
    base = drawing["pyvis_from_nx_s"]

    def row(measure: str, seconds: float, target: str = "—", met: str = "—") -> str:
        return f"| {measure} | {seconds:.3f} s | {seconds / base:.2f}× | {target} | {met} |"

    first = drawing["maillage_first_view_s"]
    lines = [
        f"Explorer, {drawing['nodes']:,} nodes and {drawing['edges']:,} edges "
        f"(HTML {drawing['maillage_html_bytes'] / 2**20:.1f} MiB)",
        "",
        "| measure | seconds | ratio to pyvis `from_nx` | target | met? |",
        "|---|---:|---:|---|---|",
        f"| pyvis `from_nx` + `generate_html` (baseline, no layout) | {base:.3f} s | 1.0× | — | — |",
        row("pyvis, bare lists + `generate_html` (no layout)", drawing["pyvis_bare_lists_s"]),
        row(
            f"Maillage, first view: layout ({drawing['layout_s']:.2f} s) + lists + HTML",
            first,
            "≤ 1 s",
            "yes" if first <= 1 else "**no**",
        ),
        row(
            "Maillage, next view (layout kept) : lists + HTML",
            drawing["maillage_next_view_s"],
            "≤ 1 s",
            "yes" if drawing["maillage_next_view_s"] <= 1 else "**no**",
        ),
    ]
    for page in figures.get("pages", []):
        lines += [
            "",
            f"The page through the app, {page['actors']:,} generated actors "
            f"({page['public_actors']:,} public, {page['links']:,} links; index {page['index_s']:.1f} s)",
            "",
            "| page | first request | next requests (median) | drawn | HTML |",
            "|---|---:|---:|---|---:|",
        ]
        for name in ("whole", "territories"):
            view = page[name]
            drawn = f"{view['drawn_nodes']:,} {'groups' if view['grouped'] else 'actors'}"
            lines.append(
                f"| `{view['url']}` | {view['first_s']:.2f} s | {view['next_s']:.2f} s | {drawn} | "
                f"{view['html_bytes'] / 2**10:.0f} KiB |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=16000)
    parser.add_argument("--actors", type=int, nargs="*", default=[2000, 25000], help="page sizes (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    options = parser.parse_args(argv)
    figures: dict[str, Any] = {
        "machine": machine(),
        "code": source_fingerprint(),
        "drawing": drawing_part(options.nodes, options.edges, options.repeat),
        "pages": [page_part(n, options.repeat) for n in options.actors if n > 0],
    }
    figures["table"] = table(figures)
    options.results_dir.mkdir(parents=True, exist_ok=True)
    results = options.results_dir / f"explorer-{options.nodes}.json"
    results.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(figures["table"])
    return figures


if __name__ == "__main__":
    main()
