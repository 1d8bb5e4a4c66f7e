"""The legend that goes with a network drawing, built from what the drawing actually contains."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from maillage.viz.model import EDGE_KINDS, LegendItem, VizEdge, VizNode
from maillage.viz.palette import CROSS_BORDER_COLOR, EDGE_COLORS, OTHER_COLOR
from maillage.viz.texts import text


def reading_order(name: str) -> tuple[str, str]:
    """Sort key that orders names as a French reader expects: ignoring case and accents.

    Examples
    --------
    >>> sorted(["Emploi", "éco-construction", "Circuits courts"], key=reading_order)
    ['Circuits courts', 'éco-construction', 'Emploi']
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold(), name


def legend_for(nodes: Sequence[VizNode], edges: Sequence[VizEdge], *, lang: str = "fr") -> list[LegendItem]:
    """Return one legend item per node group, per kind of edge present, and per cross-border mark present.

    Order: groups sorted by name ignoring case and accents (with their nodes' colour), a group coloured
    ``OTHER_COLOR`` (the "other" category) after the others; then edge kinds in the order of
    ``EDGE_KINDS`` (a kind whose links all cross the border is drawn in the cross-border colour only, so it
    is left out, but for suggestions, which stay dashed), then the cross-border link, then the cross-border
    partner marker. Edge and marker labels come from the catalogue (``maillage.viz.texts``); group labels
    are the groups' names.

    Raises
    ------
    ValueError
        If two nodes of the same group have different colours (the legend could not say which is right).

    Examples
    --------
    >>> nodes = [VizNode("a", "A", "emploi", "#332288", 10, 0, 0, "A"),
    ...          VizNode("b", "B", "Navarra", "#88CCEE", 10, 1, 0, "B", cross_border=True)]
    >>> for item in legend_for(nodes, [VizEdge("a", "b", "projet", "P")]):
    ...     print(item.kind, item.label, sep=": ")
    node: emploi
    node: Navarra
    edge-projet: Projet commun
    cross-border: Partenaire transfrontalier
    """
    group_colors: dict[str, str] = {}
    for node in nodes:
        known = group_colors.setdefault(node.group, node.color)
        if known.lower() != node.color.lower():
            raise ValueError(
                f"Group {node.group!r} has two colours, {known!r} and {node.color!r} (node {node.id!r}); "
                "colour nodes by group with maillage.viz.palette.colors_for."
            )
    items = [
        LegendItem(group, group_colors[group], "node")
        for group in sorted(
            group_colors, key=lambda name: (group_colors[name].upper() == OTHER_COLOR, reading_order(name))
        )
    ]
    # A cross-border link is drawn in the cross-border colour whatever its kind: its kind is in the legend
    # only if some link of that kind is drawn in the kind's own colour (suggestions keep their dashes).
    kinds_present = {edge.kind for edge in edges if not edge.cross_border or edge.kind == "suggestion"}
    items += [
        LegendItem(text(f"legend.edge.{kind}", lang=lang), EDGE_COLORS[kind], f"edge-{kind}")
        for kind in EDGE_KINDS
        if kind in kinds_present
    ]
    if any(edge.cross_border for edge in edges):
        items.append(
            LegendItem(
                text("legend.edge.transfrontalier", lang=lang), CROSS_BORDER_COLOR, "edge-transfrontalier"
            )
        )
    if any(node.cross_border for node in nodes):
        items.append(
            LegendItem(text("legend.node.transfrontalier", lang=lang), CROSS_BORDER_COLOR, "cross-border")
        )
    return items
