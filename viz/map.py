"""The map: actors on the real commune outlines of Landes and Pyrénées-Atlantiques, and on the Basque and
Navarre side, drawn as one SVG on the server — offline, no tile server, no JavaScript.

Outlines come from ``viz/data/communes-64-40.json`` (IGN Admin Express 2018 through france-geojson,
simplified by ``viz/data/simplify_outlines.py``; see ``viz/data/SOURCE.txt``). The shipped files have no
outlines for Spanish municipalities: there, the municipalities are drawn as small grey places.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from maillage.viz.assets import static_url
from maillage.viz.legend import legend_for
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.network import ELEMENT_ID, edge_width, templates
from maillage.viz.palette import CHOROPLETH_COLORS, CROSS_BORDER_COLOR, EDGE_COLORS, NODE_BORDER_COLOR
from maillage.viz.texts import check_language, counted, text

WIDTH = 1000.0
"""Width of the drawing in SVG units; the height follows the territory's shape."""

MAP_SCRIPT = "maillage-map.js"
"""Zoom (wheel) and pan (drag) of the map, in ``viz/static``; the map reads fully without it."""

MARGIN = 16.0
POINT_RADIUS = 5.5
SPREAD = 7.0
"""Distance (SVG units) between actors drawn around the same spot, on a sunflower spiral."""

CLASS_BOUNDS: tuple[int, ...] = (1, 2, 3, 5)
"""Lower bounds of the choropleth classes after "none": 1, 2, 3–4, 5 and more actors."""


@dataclass(frozen=True, slots=True)
class MapArea:
    """One commune outline (rings of (longitude, latitude)) and the number of actors based there."""

    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    count: int = 0


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A place drawn as a small grey dot where no outline is available (a Spanish municipality)."""

    name: str
    lon: float
    lat: float


@functools.cache
def commune_outlines() -> dict[str, tuple[str, tuple[tuple[tuple[float, float], ...], ...]]]:
    """The shipped outlines by INSEE code: ``{code: (name, rings)}``.

    >>> outlines = commune_outlines()
    >>> outlines["64102"][0], len(outlines) >= 872
    ('Bayonne', True)
    """
    path = Path(__file__).resolve().parent / "data" / "communes-64-40.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        code: (value["nom"], tuple(tuple((x, y) for x, y in ring) for ring in value["rings"]))
        for code, value in raw.items()
    }


def choropleth_class(count: int) -> int:
    """The class of a commune with `count` actors: 0 for none, then one per bound of `CLASS_BOUNDS`.

    >>> [choropleth_class(n) for n in (0, 1, 2, 3, 4, 5, 40)]
    [0, 1, 2, 3, 3, 4, 4]
    """
    return sum(1 for bound in CLASS_BOUNDS if count >= bound)


class Projection:
    """Longitude/latitude to SVG units: equirectangular, longitudes shrunk by cos(mean latitude), north up,
    fitted to `WIDTH` with a margin.

    >>> p = Projection([(-1.0, 43.0), (0.0, 44.0)])
    >>> p.point(-1.0, 44.0)
    (16.0, 16.0)
    >>> round(p.height)  # 968 units for 1° × cos(43.5°) = 0.7254, so 1° of latitude is 1334.5, + 2 × 16
    1366
    """

    def __init__(self, points: Iterable[tuple[float, float]]) -> None:
        lons, lats = zip(*points, strict=True)
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        self.shrink = math.cos(math.radians((self.south + self.north) / 2))
        span = max((self.east - self.west) * self.shrink, 1e-9)
        self.scale = (WIDTH - 2 * MARGIN) / span
        self.height = (self.north - self.south) * self.scale + 2 * MARGIN

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = MARGIN + (lon - self.west) * self.shrink * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)

    def path(self, rings: Sequence[Sequence[tuple[float, float]]]) -> str:
        """SVG path data for the rings (numbers only, so it needs no escaping)."""
        parts = []
        for ring in rings:
            coords = [self.point(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in coords) + "Z")
        return "".join(parts)


def spread(positions: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Move apart the actors drawn at the same spot: the first stays, the others go round it on a
    sunflower spiral (`SPREAD` units apart), in the order of their ids — the same picture every time.

    >>> spread({"a": (10.0, 10.0), "b": (10.0, 10.0), "c": (50.0, 50.0)})["a"]
    (10.0, 10.0)
    >>> x, y = spread({"a": (10.0, 10.0), "b": (10.0, 10.0)})["b"]; round(math.hypot(x - 10, y - 10), 1)
    7.0
    """
    golden = math.pi * (3 - math.sqrt(5))
    by_spot: dict[tuple[float, float], list[str]] = {}
    for key in sorted(positions):
        by_spot.setdefault(positions[key], []).append(key)
    placed = {}
    for (x, y), keys in by_spot.items():
        for rank, key in enumerate(keys):
            radius = SPREAD * math.sqrt(rank)
            placed[key] = (
                round(x + radius * math.cos(rank * golden), 1),
                round(y + radius * math.sin(rank * golden), 1),
            )
    return placed


def framing(
    points: Sequence[tuple[float, float]], *, width: float, height: float, pad: float = 40.0
) -> tuple[float, float, float, float]:
    """The view box (x, y, w, h) that frames `points` with `pad` units around them, in the whole
    drawing's proportions and within it — the whole drawing when there are no points.

    >>> framing([(100.0, 100.0), (300.0, 200.0)], width=1000.0, height=1000.0)  # 280 × 180, squared
    (60.0, 10.0, 280.0, 280.0)
    >>> framing([], width=1000.0, height=500.0)
    (0.0, 0.0, 1000.0, 500.0)
    """
    if not points:
        return 0.0, 0.0, width, height
    xs, ys = [x for x, _ in points], [y for _, y in points]
    w, h = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    w, h = max(w, h * width / height), max(h, w * height / width)
    w, h = min(w, width), min(h, height)
    x = min(max((min(xs) + max(xs) - w) / 2, 0.0), width - w)
    y = min(max((min(ys) + max(ys) - h) / 2, 0.0), height - h)
    return round(x, 1), round(y, 1), round(w, 1), round(h, 1)


def render_map(
    nodes: Sequence[VizNode],
    edges: Sequence[VizEdge] = (),
    *,
    areas: Sequence[MapArea],
    places: Sequence[MapPlace] = (),
    legend: Sequence[LegendItem] | None = None,
    element_id: str = "carte",
    lang: str = "fr",
) -> str:
    """An HTML fragment: the SVG map, its legend and the choropleth's legend.

    `nodes` are the actors with ``x`` = longitude and ``y`` = latitude (as :class:`VizNode`, so the map is
    coloured like the network); `edges` are drawn as straight lines between them (suggestions dashed,
    cross-border ones in the cross-border colour); `areas` are filled by their number of actors. Each
    actor links to its ``url`` and names itself in a native tooltip (``<title>``). Every text from the data
    is escaped by the template; coordinates are numbers.

    >>> area = MapArea("64102", "Bayonne", (((-1.5, 43.5), (-1.4, 43.5), (-1.4, 43.4), (-1.5, 43.5)),), 1)
    >>> node = VizNode("a", "A", "emploi", "#332288", 10, -1.45, 43.45, "<b>A</b>", url="/actors/a")
    >>> html = render_map([node], areas=[area])
    >>> "&lt;b&gt;A&lt;/b&gt;" in html and "<b>A</b>" not in html
    True
    """
    if not ELEMENT_ID.fullmatch(element_id):
        raise ValueError(
            f"element_id {element_id!r} must start with a letter and hold letters, digits, - or _."
        )
    check_language(lang)
    corners = [pt for area in areas for ring in area.rings for pt in ring]
    corners += [(p.lon, p.lat) for p in places] + [(n.x, n.y) for n in nodes]
    if not corners:
        raise ValueError("render_map: nothing to draw (no outline, place or actor).")
    projection = Projection(corners)
    positions = spread({n.id: projection.point(n.x, n.y) for n in nodes})
    drawn_areas = [
        {
            "path": projection.path(area.rings),
            "fill": CHOROPLETH_COLORS[choropleth_class(area.count)],
            "title": f"{area.name} — {counted('actors', area.count, lang=lang)}",
            "code": area.code,
            "count": area.count,
        }
        for area in areas
    ]
    drawn_places = [
        dict(zip(("x", "y"), projection.point(p.lon, p.lat), strict=True), title=p.name) for p in places
    ]
    lines = []
    for edge in edges:
        if edge.source in positions and edge.target in positions:
            (x1, y1), (x2, y2) = positions[edge.source], positions[edge.target]
            lines.append(
                {
                    "x1": x1,
                    "y1": y1,
                    "x2": x2,
                    "y2": y2,
                    "color": CROSS_BORDER_COLOR if edge.cross_border else EDGE_COLORS[edge.kind],
                    "width": edge_width(edge),
                    "dashed": edge.kind == "suggestion",
                    "title": edge.title,
                    "kind": edge.kind,
                }
            )
    points = [
        {
            "id": n.id,
            "x": positions[n.id][0],
            "y": positions[n.id][1],
            "color": n.color,
            "label": n.label,
            "title": n.title,
            "url": n.url,
            "cross_border": n.cross_border,
        }
        for n in sorted(nodes, key=lambda n: (positions[n.id][1], n.id))  # southern ones drawn last, on top
    ]
    frame = framing([(p["x"], p["y"]) for p in points], width=WIDTH, height=projection.height)
    classes = [
        {"color": CHOROPLETH_COLORS[k], "label": text(f"map.class.{k}", lang=lang)}
        for k in range(len(CLASS_BOUNDS) + 1)
    ]
    return (
        templates()
        .get_template("map.html")
        .render(
            element_id=element_id,
            lang=lang,
            width=WIDTH,
            height=round(projection.height, 1),
            frame=" ".join(f"{v:g}" for v in frame),
            summary=text("map.summary", lang=lang, actors=counted("actors", len(nodes), lang=lang)),
            areas=drawn_areas,
            places=drawn_places,
            lines=lines,
            points=points,
            radius=POINT_RADIUS,
            border_color=NODE_BORDER_COLOR,
            cross_border_color=CROSS_BORDER_COLOR,
            legend_title=text("legend.title", lang=lang),
            legend=list(legend) if legend is not None else legend_for(nodes, edges, lang=lang),
            classes_title=text("map.classes.title", lang=lang),
            classes=classes,
            help=text("map.help", lang=lang),
            script_url=static_url(MAP_SCRIPT),
            spain_note=Markup.escape(text("map.spain", lang=lang)) if places else "",
        )
    )
