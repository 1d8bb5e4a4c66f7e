"""The input contract of the network drawings: nodes, edges and legend items, checked when built."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

EDGE_KINDS: tuple[str, ...] = ("projet", "partenariat", "suggestion", "groupe")
"""Kinds of edges: a joint project, a partnership, a cooperation suggested by the analysis, or the links
between two groups of actors summed into one (a network too large to draw actor by actor)."""

LEGEND_KINDS: tuple[str, ...] = (
    "node",
    "cross-border",
    "edge-projet",
    "edge-partenariat",
    "edge-suggestion",
    "edge-groupe",
    "edge-transfrontalier",
)
"""Kinds of legend items: a node colour, the cross-border node marker, and one symbol per kind of edge."""

_HEX_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def check_color(color: str, *, where: str) -> None:
    """Raise ``ValueError`` unless *color* is a CSS hex colour (``#abc`` or ``#aabbcc``).

    Only hex colours are accepted so that a colour taken from data can never smuggle CSS or markup
    into a page.

    Examples
    --------
    >>> check_color("#0072B2", where="example")
    >>> check_color("red", where="example")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: example: colour 'red' is not a hex colour like '#0072b2'; take colours from maillage.viz...
    """
    if not isinstance(color, str) or not _HEX_COLOR.fullmatch(color):
        raise ValueError(
            f"{where}: colour {color!r} is not a hex colour like '#0072b2'; "
            "take colours from maillage.viz.palette."
        )


def check_url(url: str, *, where: str) -> None:
    """Raise ``ValueError`` unless *url* is an ``http(s)`` URL or a path on the same site.

    ``javascript:``, ``data:`` and the like are refused because a click on a node follows the URL.

    Examples
    --------
    >>> check_url("/id/actor/atelier-bois", where="example")
    >>> check_url("javascript:alert(1)", where="example")
    Traceback (most recent call last):
    ValueError: example: URL 'javascript:alert(1)' must be a path such as '/id/actor/x' or an http(s) URL.
    """
    parts = urlsplit(url)
    same_site_path = (
        not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//")
    )
    web_url = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (same_site_path or web_url) or any(ch in url for ch in "\r\n\t\\"):
        raise ValueError(f"{where}: URL {url!r} must be a path such as '/id/actor/x' or an http(s) URL.")


def _check_finite(value: float, *, name: str, where: str) -> None:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: {name} must be a finite number, got {value!r}.")


@dataclass(frozen=True, slots=True)
class VizNode:
    """One actor as drawn: position and size computed on the server, text shown as is.

    ``title`` is plain text (lines separated by ``\\n``) shown as the hover tooltip; it is never read as
    HTML. ``url``, when set, is where a click on the node leads (a path on the site or an http(s) URL).
    ``cross_border`` marks partners across the border (drawn with a thick ring).
    """

    id: str
    label: str
    group: str
    color: str
    size: float
    x: float
    y: float
    title: str
    url: str | None = None
    cross_border: bool = False

    def __post_init__(self) -> None:
        where = f"VizNode {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"{where}: id must be a non-empty string.")
        check_color(self.color, where=where)
        for name in ("size", "x", "y"):
            _check_finite(getattr(self, name), name=name, where=where)
        if self.size <= 0:
            raise ValueError(f"{where}: size must be positive, got {self.size!r}.")
        if self.url is not None:
            check_url(self.url, where=where)


@dataclass(frozen=True, slots=True)
class VizEdge:
    """One link between two actors.

    ``kind`` is one of :data:`EDGE_KINDS`; suggestions are drawn dashed. ``title`` is plain text shown
    as the hover tooltip (for a suggestion: its reasons). ``weight`` (> 0) widens the line;
    ``cross_border`` edges get their own colour and a wider line.
    """

    source: str
    target: str
    kind: str
    title: str
    weight: float = 1.0
    cross_border: bool = False

    def __post_init__(self) -> None:
        where = f"VizEdge {self.source!r} → {self.target!r}"
        if self.kind not in EDGE_KINDS:
            raise ValueError(f"{where}: kind {self.kind!r} is not one of {', '.join(EDGE_KINDS)}.")
        _check_finite(self.weight, name="weight", where=where)
        if self.weight <= 0:
            raise ValueError(f"{where}: weight must be positive, got {self.weight!r}.")


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One line of the legend: a symbol in ``color`` drawn according to ``kind``, and a label."""

    label: str
    color: str
    kind: str = "node"

    def __post_init__(self) -> None:
        where = f"LegendItem {self.label!r}"
        if self.kind not in LEGEND_KINDS:
            raise ValueError(f"{where}: kind {self.kind!r} is not one of {', '.join(LEGEND_KINDS)}.")
        check_color(self.color, where=where)
