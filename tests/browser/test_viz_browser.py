"""The network fragment of maillage.viz, drawn by Debian's Chromium from a local server, offline."""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Page

from maillage.viz.assets import script_urls, static_dir, stylesheet_urls
from maillage.viz.layout import layout_positions, size_by_degree
from maillage.viz.legend import legend_for
from maillage.viz.model import VizEdge, VizNode
from maillage.viz.network import render_network
from maillage.viz.palette import colors_for

pytestmark = pytest.mark.browser

# A small PTCE: six members on the French side, two cross-border partners (Gipuzkoa, Navarra).
ACTORS = [
    # id, label, field, cross-border
    ("atelier-bois", "Atelier bois du Seignanx", "Éco-construction", False),
    ("ressourcerie", "Ressourcerie de Tarnos", "Emploi et insertion", False),
    ("chantier-adour", "Chantier d'insertion Adour", "Emploi et insertion", False),
    ("couveuse", "Couveuse Sud Landes", "Création d'activité", False),
    ("amap-boucau", "AMAP du Boucau", "Circuits courts", False),
    ("scic-energie", "SCIC énergie Pays basque", "Éco-construction", False),
    ("koop-irun", "Kooperatiba Irun", "Circuits courts", True),
    ("elkartea-iruna", "Elkartea Iruña", "Création d'activité", True),
]
LINKS = [
    # source, target, kind, cross-border
    ("atelier-bois", "scic-energie", "projet", False),
    ("atelier-bois", "chantier-adour", "partenariat", False),
    ("ressourcerie", "chantier-adour", "projet", False),
    ("ressourcerie", "couveuse", "partenariat", False),
    ("couveuse", "amap-boucau", "projet", False),
    ("amap-boucau", "koop-irun", "projet", True),
    ("couveuse", "elkartea-iruna", "partenariat", True),
    ("scic-energie", "ressourcerie", "partenariat", False),
    ("koop-irun", "elkartea-iruna", "partenariat", False),
    ("chantier-adour", "amap-boucau", "suggestion", False),
]
EXPECTED_LEGEND = [
    "Circuits courts",
    "Création d'activité",
    "Éco-construction",
    "Emploi et insertion",
    "Projet commun",
    "Partenariat",
    "Coopération suggérée",
    "Lien transfrontalier",
    "Partenaire transfrontalier",
]


def sample_network() -> tuple[list[VizNode], list[VizEdge]]:
    graph = nx.Graph()
    graph.add_nodes_from(actor_id for actor_id, *_ in ACTORS)
    graph.add_edges_from((source, target) for source, target, _, _ in LINKS)
    positions = layout_positions(graph, seed=42, scale=400.0)
    sizes = size_by_degree(graph)
    colors = colors_for([field for _, _, field, _ in ACTORS])
    nodes = [
        VizNode(
            id=actor_id,
            label=label,
            group=field,
            color=colors[field],
            size=sizes[actor_id],
            x=positions[actor_id][0],
            y=positions[actor_id][1],
            title=f"{label}\nDomaine : {field}" + ("\nPartenaire transfrontalier" if cross_border else ""),
            url=f"/acteur/{actor_id}.html",
            cross_border=cross_border,
        )
        for actor_id, label, field, cross_border in ACTORS
    ]
    edges = [
        VizEdge(
            source,
            target,
            kind,
            title=(
                "Suggestion : le chantier cherche des débouchés maraîchers,\nl'AMAP cherche des bras"
                if kind == "suggestion"
                else f"{kind.capitalize()} : {source} – {target}"
            ),
            cross_border=cross_border,
        )
        for source, target, kind, cross_border in LINKS
    ]
    return nodes, edges


def page_shell(title: str, fragment: str) -> str:
    """A minimal page as the API will serve it: viz's stylesheets and scripts in the head, the fragment."""
    # An empty icon, so Chromium does not ask the server for /favicon.ico (a 404 is a console error).
    head = ['  <link rel="icon" href="data:,">']
    head += [f'  <link rel="stylesheet" href="{url}">' for url in stylesheet_urls()]
    head += [f'  <script src="{url}"></script>' for url in script_urls()]
    head.append(
        "  <style>body { margin: 1.5rem 2rem; font-family: system-ui, sans-serif; color: #1f2933; }</style>"
    )
    return (
        '<!doctype html>\n<html lang="fr">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{html.escape(title)}</title>\n" + "\n".join(head) + "\n</head>\n"
        f"<body>\n  <h1>{html.escape(title)}</h1>\n{fragment}\n</body>\n</html>\n"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], str]]:
    """A throwaway server on 127.0.0.1 with viz's static files; ``site(name, html)`` publishes a page."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(static_dir(), root / "static" / "viz")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="viz-test-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    def publish(name: str, page_html: str) -> str:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html, encoding="utf-8")
        return f"{base_url}/{name}"

    try:
        yield publish
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def open_network(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.maillageNetworkReady === true", timeout=15_000)


def hover_node(page: Page, node_id: str) -> str:
    """Move the mouse onto *node_id* and return the text of the tooltip that appears."""
    point = page.evaluate(
        """(id) => {
            const network = window.maillageNetwork;
            return network.canvasToDOM(network.getPositions([id])[id]);
        }""",
        node_id,
    )
    box = page.locator("#reseau canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.inner_text()


def test_network_is_drawn_offline_with_legend_and_data(
    page: Page, site: Callable[[str, str], str], screenshot: Callable[[Page, str], Path]
) -> None:
    nodes, edges = sample_network()
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges), height_px=560)
    open_network(page, site("reseau.html", page_shell("Réseau du PTCE Sud Aquitain", fragment)))

    canvas = page.locator("#reseau canvas")
    assert canvas.count() == 1
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] == pytest.approx(560, abs=2)
    assert page.locator("ul.legende .legende__libelle").all_inner_texts() == EXPECTED_LEGEND
    drawn_data = "window.maillageNetworks.reseau"
    counts = page.evaluate(f"[{drawn_data}.nodes.length, {drawn_data}.edges.length]")
    assert counts == [8, 10]
    # window.maillageNetwork is the vis.Network itself, holding the same datasets.
    assert page.evaluate(f"window.maillageNetwork === {drawn_data}.network")
    assert page.evaluate("window.maillageNetwork.body.data.nodes.length") == 8
    dashed = page.evaluate(
        f"{drawn_data}.edges.get({{filter: (edge) => Boolean(edge.dashes)}}).map((edge) => edge.kind)"
    )
    assert dashed == ["suggestion"]
    cross_border = page.evaluate(
        f"{drawn_data}.nodes.get({{filter: (node) => node.crossBorder}}).map((node) => node.id).sort()"
    )
    assert cross_border == ["elkartea-iruna", "koop-irun"]
    # Physics is off: the nodes stay where the server put them (vis-network reports whole units).
    drawn = page.evaluate("window.maillageNetwork.getPositions(['koop-irun'])['koop-irun']")
    koop = next(node for node in nodes if node.id == "koop-irun")
    assert (drawn["x"], drawn["y"]) == (pytest.approx(koop.x, abs=1), pytest.approx(koop.y, abs=1))
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]
    screenshot(page, "viz-network")

    assert (
        hover_node(page, "koop-irun")
        == "Kooperatiba Irun\nDomaine : Circuits courts\nPartenaire transfrontalier"
    )
    screenshot(page, "viz-network-tooltip")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_click_on_a_node_opens_its_page(page: Page, site: Callable[[str, str], str]) -> None:
    nodes, edges = sample_network()
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges))
    site("acteur/couveuse.html", page_shell("Couveuse Sud Landes", "<p>Fiche de l'acteur</p>"))
    open_network(page, site("reseau-clic.html", page_shell("Réseau", fragment)))

    point = page.evaluate(
        """() => {
            const network = window.maillageNetwork;
            return network.canvasToDOM(network.getPositions(['couveuse']).couveuse);
        }"""
    )
    box = page.locator("#reseau canvas").bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.url.endswith("/acteur/couveuse.html")
    assert page.locator("h1").inner_text() == "Couveuse Sud Landes"
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_hostile_text_is_shown_as_text_never_run(page: Page, site: Callable[[str, str], str]) -> None:
    hostile_label = '<img src="http://evil.example/x.png" onerror="window.pwned=1">'
    hostile_title = "</script><script>window.pwned=2</script>\n<b>gras ?</b>"
    nodes = [
        VizNode("a", hostile_label, "<i>groupe</i>", "#332288", 30, -150, 0, hostile_title),
        VizNode("b", "Voisin", "<i>groupe</i>", "#332288", 30, 150, 0, "Voisin"),
    ]
    edges = [VizEdge("a", "b", "projet", "</script><script>window.pwned=3</script>")]
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges))
    open_network(page, site("hostile.html", page_shell("Réseau", fragment)))

    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img").count() == 0
    assert page.evaluate("window.maillageNetworks.reseau.nodes.get('a').label") == hostile_label
    assert page.locator("ul.legende .legende__libelle").first.inner_text() == "<i>groupe</i>"
    assert hover_node(page, "a") == "</script><script>window.pwned=2</script>\n<b>gras ?</b>"
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


# A crowded network like the sample one: 70 linked actors with long names, a few hubs, five lone actors.
PLACES = ("du Seignanx", "de Tarnos", "d'Hendaye", "du Pays basque", "Sud Landes", "de Bidasoa")
KINDS = ("Coopérative", "Association", "Atelier", "Communauté de communes", "Chantier d'insertion")


def crowded_network() -> tuple[list[VizNode], list[VizEdge]]:
    graph = nx.relabel_nodes(nx.powerlaw_cluster_graph(70, 3, 0.3, seed=3), lambda index: f"a{index:02d}")
    graph.add_nodes_from(f"seul{index}" for index in range(5))
    positions = layout_positions(graph, seed=42)
    sizes = size_by_degree(graph)
    nodes = []
    for index, name in enumerate(sorted(graph.nodes)):
        label = f"{KINDS[index % len(KINDS)]} {PLACES[index % len(PLACES)]} n° {index}"
        nodes.append(VizNode(name, label, "Emploi", "#332288", sizes[name], *positions[name], label))
    edges = [VizEdge(u, v, "projet", f"{u} – {v}") for u, v in sorted(graph.edges)]
    return nodes, edges


def drawn_picture(page: Page) -> dict:
    """Where each node and each shown label is on screen (CSS pixels of the drawing area), and its size."""
    return page.evaluate(
        """() => {
            const handle = window.maillageNetworks.reseau;
            const network = handle.network;
            const canvas = document.querySelector('#reseau canvas');
            const positions = network.getPositions();
            const nodes = {};
            for (const id of Object.keys(positions)) {
                nodes[id] = network.canvasToDOM(positions[id]);
            }
            const size = {width: canvas.clientWidth, height: canvas.clientHeight};
            return {nodes, labels: handle.shownLabels, ...size};
        }"""
    )


def test_a_crowded_network_fills_the_frame_with_readable_labels(
    page: Page, site: Callable[[str, str], str], screenshot: Callable[[Page, str], Path]
) -> None:
    nodes, edges = crowded_network()
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges), height_px=600)
    open_network(page, site("foule.html", page_shell("Réseau dense", fragment)))
    screenshot(page, "viz-network-crowded")
    picture = drawn_picture(page)
    width, height = picture["width"], picture["height"]

    # The linked actors fill the frame: most of one of its sides, much of the other (before, a far ring of
    # lone actors left them the middle third of both).
    linked = [point for name, point in picture["nodes"].items() if name.startswith("a")]
    shares = sorted(
        (
            (max(p["x"] for p in linked) - min(p["x"] for p in linked)) / width,
            (max(p["y"] for p in linked) - min(p["y"] for p in linked)) / height,
        )
    )
    assert shares[0] > 0.6 and shares[1] > 0.7
    # The lone actors sit in a row just under them, inside the frame.
    lone = [point for name, point in picture["nodes"].items() if name.startswith("seul")]
    lowest_linked = max(p["y"] for p in linked)
    assert all(lowest_linked < p["y"] < height for p in lone)
    assert max(p["y"] for p in lone) - lowest_linked < 0.25 * height

    # Labels: no two overlap, all inside the frame, the biggest actor is named, not everyone is.
    labels = picture["labels"]
    for first_index, first in enumerate(labels):
        assert 0 <= first["left"] and first["right"] <= width
        assert 0 <= first["top"] and first["bottom"] <= height
        for second in labels[first_index + 1 :]:
            apart = (
                first["right"] <= second["left"]
                or second["right"] <= first["left"]
                or first["bottom"] <= second["top"]
                or second["bottom"] <= first["top"]
            )
            assert apart, (first, second)
    biggest = max(nodes, key=lambda node: (node.size, -nodes.index(node)))
    named = {label["id"] for label in labels}
    assert biggest.id in named
    assert 15 <= len(named) < len(nodes)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_zooming_in_names_more_of_the_actors_in_view(page: Page, site: Callable[[str, str], str]) -> None:
    nodes, edges = crowded_network()
    fragment = render_network(nodes, edges, legend=[], height_px=600)
    open_network(page, site("foule-zoom.html", page_shell("Réseau dense", fragment)))

    def named_share() -> float:
        picture = drawn_picture(page)
        in_view = {
            name
            for name, point in picture["nodes"].items()
            if 0 <= point["x"] <= picture["width"] and 0 <= point["y"] <= picture["height"]
        }
        return len({label["id"] for label in picture["labels"]} & in_view) / len(in_view)

    before = named_share()
    page.evaluate(
        """() => {
            const network = window.maillageNetwork;
            network.moveTo({position: network.getViewPosition(), scale: network.getScale() * 3});
        }"""
    )
    page.wait_for_timeout(100)  # one frame
    assert named_share() > before


def test_hovering_an_unnamed_actor_names_it(page: Page, site: Callable[[str, str], str]) -> None:
    nodes, edges = crowded_network()
    fragment = render_network(nodes, edges, legend=[], height_px=600)
    open_network(page, site("foule-survol.html", page_shell("Réseau dense", fragment)))
    named = {label["id"] for label in drawn_picture(page)["labels"]}
    unnamed = next(node for node in nodes if node.id not in named and node.id.startswith("a"))

    assert hover_node(page, unnamed.id).startswith(unnamed.label)
    page.wait_for_function(
        "(id) => window.maillageNetworks.reseau.shownLabels.some((label) => label.id === id)", arg=unnamed.id
    )
    assert page.console_errors == []  # type: ignore[attr-defined]
