"""The whole-network drawing: VizNode / VizEdge lists → an HTML fragment drawn by vis-network in the browser.

pyvis builds the network data and options (handed ready lists: its ``add_edge`` scans the edge list on every
call, DESIGN §7); our own template renders them, because pyvis's template loads Bootstrap from CDNs.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import jinja2
from markupsafe import Markup
from pyvis.network import Network

from maillage.viz.assets import NETWORK_SCRIPT, script_urls, static_dir, static_url, stylesheet_urls
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.palette import (
    CROSS_BORDER_COLOR,
    EDGE_COLORS,
    HIGHLIGHT_COLOR,
    LABEL_COLOR,
    LABEL_HALO_COLOR,
    NODE_BORDER_COLOR,
)
from maillage.viz.texts import check_language, counted, text

__all__ = ["render_network", "network_data", "embed_json", "static_dir", "script_urls", "stylesheet_urls"]

ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
"""What an element id of a fragment may be (a letter, then letters, digits, ``-`` and ``_``)."""
LARGE_NETWORK_EDGES = 2000
"""From this many edges, edges are hidden while the user drags or zooms, to keep the page responsive."""

LABEL_PIXELS = (13.0, 16.0)
"""On-screen font size, in CSS pixels, of the labels of the smallest and of the largest nodes, whatever the
zoom: zooming in makes room between nodes, so more labels are shown, never bigger ones."""

LABEL_GAP_PIXELS = 2.0
"""Room between a node and its label, in CSS pixels; also kept above and below a label."""

LABEL_SPACING_PIXELS = 6.0
"""Room kept free on each side of a label, in CSS pixels, so two labels side by side never read as one."""

LABEL_HALO_PIXELS = 3.5
"""Width of the white outline drawn round the letters, so a label stays readable over links."""

LABEL_KEEP_CLEAR = 0.6
"""A label is not drawn where it would cover this fraction of the radius round the centre of a node at
least as big as its own: labels may brush past nodes, never hide the important ones."""

FIT_PADDING_PIXELS = 16
"""Room left round the nodes when the network is framed, in CSS pixels."""

FIT_MAX_ZOOM = 1.0
"""Framing never zooms in further than this (a network of two nodes is not drawn huge)."""

VIS_LABELS_OFF = 1_000_000
"""vis-network's ``drawThreshold`` (pixels): above any real font size, so vis-network never draws labels
itself; maillage-network.js draws them, without overlaps."""

FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"


@functools.cache
def templates() -> jinja2.Environment:
    """The templates of the fragments (``viz/templates``), autoescaped, strict about missing values."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("maillage.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def embed_json(value: Any) -> str:
    """Serialise *value* as JSON that is safe inside an HTML ``<script type="application/json">`` element.

    Every ``<``, ``>`` and ``&`` is written as a ``\\u00XX`` escape, so the text can contain neither
    ``</script>`` nor ``<!--``; ``JSON.parse`` gives the original strings back. NaN and infinities are
    refused (they are not JSON).

    Examples
    --------
    >>> embed_json({"label": "</script><script>alert(1)</script>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    >>> json.loads(embed_json({"label": "a < b & c"}))["label"]
    'a < b & c'
    """
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        encoded.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def edge_width(edge: VizEdge) -> float:
    """Line width of *edge*: ``1.5 × weight`` kept within [1, 6], plus 2.5 for a cross-border link.

    Examples
    --------
    >>> edge_width(VizEdge("a", "b", "projet", "", weight=2.0))
    3.0
    >>> edge_width(VizEdge("a", "b", "projet", "", cross_border=True))
    4.0
    """
    width = min(max(1.5 * edge.weight, 1.0), 6.0)
    return width + 2.5 if edge.cross_border else width


def _node_data(node: VizNode) -> dict[str, Any]:
    border = CROSS_BORDER_COLOR if node.cross_border else NODE_BORDER_COLOR
    data: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "title": node.title,
        # A tenth of a canvas unit is far below a pixel; rounding keeps large payloads small.
        "x": round(node.x, 1),
        "y": round(node.y, 1),
        # `value` rather than `size`: with the scaling options below, vis-network draws exactly this size
        # and grows labels with it.
        "value": round(node.size, 2),
        "category": node.group,
        "crossBorder": node.cross_border,
        "borderWidth": 4 if node.cross_border else 1,
        "borderWidthSelected": 5 if node.cross_border else 3,
        "color": {
            "background": node.color,
            "border": border,
            "highlight": {
                "background": node.color,
                "border": HIGHLIGHT_COLOR if not node.cross_border else border,
            },
            "hover": {"background": node.color, "border": border},
        },
    }
    if node.url is not None:
        data["url"] = node.url
    return data


def _edge_data(index: int, edge: VizEdge) -> dict[str, Any]:
    color = CROSS_BORDER_COLOR if edge.cross_border else EDGE_COLORS[edge.kind]
    return {
        "id": f"e{index}",
        "from": edge.source,
        "to": edge.target,
        "title": edge.title,
        "kind": edge.kind,
        "crossBorder": edge.cross_border,
        "weight": edge.weight,
        "width": edge_width(edge),
        "dashes": [8, 6] if edge.kind == "suggestion" else False,
        "color": {"color": color, "highlight": color, "hover": color, "inherit": False, "opacity": 0.9},
    }


def _options(*, height_px: int, edge_count: int, sizes: Sequence[float]) -> dict[str, Any]:
    large = edge_count >= LARGE_NETWORK_EDGES
    smallest, largest = (min(sizes), max(sizes)) if sizes else (10.0, 40.0)
    return {
        "autoResize": True,
        "height": f"{height_px}px",
        "width": "100%",
        # Positions come from the server (maillage.viz.layout): no simulation, the picture is final at once.
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 0},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            # vis-network's autoFocus focuses the canvas on mere hover, which scrolls a page whose drawing
            # is partly out of view (and moves it under the pointer); maillage-network.js focuses it on
            # press instead, without scrolling.
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
            "multiselect": False,
            "zoomSpeed": 0.6,
        },
        "nodes": {
            "shape": "dot",
            # Maps each node's value to itself (min and max are the actual extremes), so a node's radius in
            # canvas units is its size. Labels are drawn by maillage-network.js (see VIS_LABELS_OFF).
            "scaling": {
                "min": smallest,
                "max": largest,
                "label": {"enabled": False, "drawThreshold": VIS_LABELS_OFF},
            },
        },
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 1},
    }


def _display() -> dict[str, Any]:
    """How maillage-network.js draws labels and frames the network (see the constants above)."""
    smallest, largest = LABEL_PIXELS
    return {
        "labels": {
            "minPixels": smallest,
            "maxPixels": largest,
            "gapPixels": LABEL_GAP_PIXELS,
            "spacingPixels": LABEL_SPACING_PIXELS,
            "haloPixels": LABEL_HALO_PIXELS,
            "keepClearFraction": LABEL_KEEP_CLEAR,
            "face": FONT_FACE,
            "color": LABEL_COLOR,
            "halo": LABEL_HALO_COLOR,
        },
        "fit": {
            "paddingPixels": FIT_PADDING_PIXELS,
            # Room under the lowest nodes for their labels.
            "labelRoomPixels": math.ceil(largest * 1.25 + LABEL_GAP_PIXELS),
            "maxZoom": FIT_MAX_ZOOM,
        },
    }


def _check_network(nodes: Sequence[VizNode], edges: Sequence[VizEdge]) -> None:
    seen: set[str] = set()
    for node in nodes:
        if node.id in seen:
            raise ValueError(f"Node {node.id!r} appears twice in nodes; each node id must be unique.")
        seen.add(node.id)
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in seen:
                raise ValueError(
                    f"Edge {edge.source!r} → {edge.target!r} ({edge.kind}): node {end!r} is not in nodes."
                )


def network_data(
    nodes: Sequence[VizNode], edges: Sequence[VizEdge], *, height_px: int = 700
) -> dict[str, Any]:
    """Return the data the drawing script receives: ``{"nodes", "edges", "options", "display"}``.

    Nodes and edges are plain dicts in vis-network's vocabulary, plus ``category``, ``crossBorder``,
    ``url`` (nodes) and ``kind``, ``crossBorder``, ``weight`` (edges) for the page's scripts. Edges keep
    their input order in their ids (``e0``, ``e1``, …) but are listed ordinary links first, then
    suggestions, then cross-border links, so the marked ones are drawn on top. ``options`` are
    vis-network's (which draws no label itself); ``display`` tells the script how to draw the labels
    (``labels``: :data:`LABEL_PIXELS`, …) and frame the network (``fit``). Node sizes are sent as
    ``value``.

    Raises
    ------
    ValueError
        If a node id is repeated, an edge names a node that is not in *nodes*, or *height_px* < 100.

    Notes
    -----
    Cost: O(n + m); the lists are handed to pyvis whole (``net.nodes = …``), never through ``add_edge``.
    """
    if not isinstance(height_px, int) or height_px < 100:
        raise ValueError(f"height_px must be an integer ≥ 100, got {height_px!r}.")
    _check_network(nodes, edges)
    ordered_edges = sorted(
        enumerate(edges), key=lambda pair: (pair[1].cross_border, pair[1].kind == "suggestion")
    )
    net = Network(height=f"{height_px}px", width="100%", directed=False, cdn_resources="local")
    net.nodes = [_node_data(node) for node in nodes]
    net.edges = [_edge_data(index, edge) for index, edge in ordered_edges]
    net.node_ids = [node.id for node in nodes]
    net.node_map = {data["id"]: data for data in net.nodes}
    net.options = _options(
        height_px=height_px, edge_count=len(edges), sizes=[data["value"] for data in net.nodes]
    )
    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = json.loads(options_json)
    return {"nodes": vis_nodes, "edges": vis_edges, "options": options, "display": _display()}


def render_network(
    nodes: Sequence[VizNode],
    edges: Sequence[VizEdge],
    *,
    legend: Sequence[LegendItem],
    element_id: str = "reseau",
    height_px: int = 700,
    lang: str = "fr",
) -> str:
    """Return an HTML fragment that draws the network at the given positions, with its legend.

    The fragment holds the drawing area ``<div id="{element_id}">``, a ``<ul class="legende">`` with one
    ``<li>`` per legend item (present even when empty, so pages look alike), the data as
    ``<script type="application/json" id="{element_id}-data">`` (see :func:`embed_json`) and
    ``<script src="/static/viz/maillage-network.js" defer>``, which draws it with physics off, framed so
    the nodes fill the drawing area. No inline JavaScript, no outside URL. The page must load
    :func:`script_urls` and :func:`stylesheet_urls`.

    Labels keep the same size on screen at any zoom (:data:`LABEL_PIXELS`) and are drawn biggest node
    first, only where they overlap no other label: the first view names the main actors, zooming in or
    hovering names the others. Every text from the data (labels, tooltips, legend) is escaped; tooltips
    are shown as plain text. A click on a node with a ``url`` goes there; a double click on the background
    frames the network again. In the browser, ``window.maillageNetwork`` is the ``vis.Network`` drawn
    last, ``window.maillageNetworks[element_id]`` holds ``{id, network, nodes, edges, shownLabels}`` (the
    two ``vis.DataSet`` and the boxes of the labels drawn last) for each fragment, and
    ``window.maillageNetworkReady`` becomes ``true`` after the first drawing.

    Parameters
    ----------
    nodes, edges
        What to draw, positions and sizes included (``maillage.viz.layout``).
    legend
        Items of the legend, in order (``maillage.viz.legend.legend_for`` builds the usual one).
    element_id
        Id of the drawing area; use distinct ids for several networks on one page. Letters, digits,
        ``-`` and ``_``, starting with a letter.
    height_px
        Height of the drawing area in CSS pixels (≥ 100).
    lang
        Language of the fragment's own words (``"fr"`` or ``"en"``).

    Raises
    ------
    ValueError
        For a bad *element_id*, *height_px* or *lang*, and as :func:`network_data`.

    Examples
    --------
    >>> html = render_network([VizNode("a", "Atelier", "emploi", "#332288", 20, 0, 0, "Atelier")], [],
    ...                       legend=[LegendItem("emploi", "#332288")])
    >>> '<ul class="legende"' in html and 'id="reseau-data"' in html
    True
    """
    if not isinstance(element_id, str) or not ELEMENT_ID.fullmatch(element_id):
        raise ValueError(
            f"element_id {element_id!r} must start with a letter and hold only letters, digits, '-' and '_' "
            "(64 characters at most)."
        )
    check_language(lang)
    data = network_data(nodes, edges, height_px=height_px)
    summary = text(
        "network.summary",
        lang=lang,
        actors=counted("actors", len(nodes), lang=lang),
        links=counted("links", len(edges), lang=lang),
    )
    return (
        templates()
        .get_template("network.html")
        .render(
            element_id=element_id,
            data_id=f"{element_id}-data",
            lang=lang,
            summary=summary,
            noscript=text("network.noscript", lang=lang),
            legend_title=text("legend.title", lang=lang),
            legend=legend,
            data_json=Markup(embed_json(data)),
            script_url=static_url(NETWORK_SCRIPT),
        )
    )
