"""GEXF and GraphML for Gephi: the actors shown and their collaborations, with attributes and colours.

Colours are data handed in (`colors`, actor key → ``#rrggbb``): the palette and the grouping belong to
``maillage.viz`` and the pages (``maillage.api.views``), which ``graph`` may not import. The CLI and the
API compute them with the very functions that colour the network page, so Gephi shows the same colours.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import networkx as nx

from maillage.graph.index import NetworkIndex

DEFAULT_COLOR = "#BBBBBB"


def _label(index: NetworkIndex, concept: object) -> str:
    record = index.concepts.get(concept) if concept is not None else None  # type: ignore[call-overload]
    return record.label("fr") if record is not None else ""


def rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` → (r, g, b).

    >>> rgb("#332288")
    (51, 34, 136)
    """
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def gephi_graph(
    index: NetworkIndex, *, include_private: bool = False, colors: Mapping[str, str] | None = None
) -> nx.Graph:
    """An undirected networkx graph of the actors shown and the collaborations among them.

    Node attributes: ``label``, ``iri``, ``type``, ``college``, ``domaines`` (labels joined by " ; "),
    ``commune``, ``pays``, ``latitude``, ``longitude`` (absent when unknown), ``couleur`` and ``r``, ``g``,
    ``b`` (read by Gephi's GraphML importer). Edge attributes: ``nature`` (``projet`` or
    ``partenariat``), ``projets``, ``weight`` (number of common projects, at least 1),
    ``transfrontalier``.
    """
    graph = nx.Graph()
    shown = {a.key for a in index.actors if a.is_public or include_private}
    for actor in index.actors:
        if actor.key not in shown:
            continue
        color = (colors or {}).get(actor.key, DEFAULT_COLOR)
        r, g, b = rgb(color)
        attributes: dict[str, object] = {
            "label": actor.label,
            "iri": str(actor.iri),
            "type": _label(index, actor.actor_type),
            "college": _label(index, actor.college),
            "domaines": " ; ".join(_label(index, c) for c in actor.fields),
            "commune": actor.commune_label,
            "pays": actor.country or "",
            "couleur": color,
            "r": r,
            "g": g,
            "b": b,
        }
        if actor.lat is not None and actor.lon is not None:
            attributes["latitude"] = actor.lat
            attributes["longitude"] = actor.lon
        graph.add_node(actor.key, **attributes)
    country = {a.key: a.country for a in index.actors}
    for u, v, data in sorted(index.collaboration.edges(data=True)):
        if u in shown and v in shown:
            projects = sorted(data.get("projects") or [])
            graph.add_edge(
                u,
                v,
                nature="projet" if projects else "partenariat",
                projets=" ; ".join(projects),
                weight=float(len(projects) or 1),
                transfrontalier=country[u] != country[v],
            )
    return graph


def gexf_bytes(graph: nx.Graph) -> bytes:
    """GEXF 1.2 with ``viz:color`` (the node colours) and ``viz:size``; attributes as GEXF attributes."""
    drawn = nx.Graph()
    for node, data in graph.nodes(data=True):
        r, g, b = data["r"], data["g"], data["b"]
        kept = {k: v for k, v in data.items() if k not in ("r", "g", "b")}
        kept["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": 10.0 + 2.0 * graph.degree(node)}
        drawn.add_node(node, **kept)
    drawn.add_edges_from(graph.edges(data=True))
    out = io.BytesIO()
    nx.write_gexf(drawn, out, encoding="utf-8", version="1.2draft")
    return out.getvalue()


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML with typed attribute keys (strings, doubles, booleans)."""
    out = io.BytesIO()
    nx.write_graphml(graph, out, encoding="utf-8")
    return out.getvalue()
