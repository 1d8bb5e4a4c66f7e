"""A network too large to draw actor by actor, drawn group by group: one node per group (a community, an EPCI,
a province…) sized by its number of members, the links between two groups summed into one edge.

The caller decides what the groups are (``maillage.api.explorer``); this module only counts, lays out and
describes them, so the picture of 25,000 actors is a few hundred nodes the browser draws at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from maillage.viz.layout import ASPECT, layout_positions, scale_sizes
from maillage.viz.model import VizEdge, VizNode, check_color, check_url
from maillage.viz.texts import check_language, counted, format_count, text

GROUP_SIZES = (14.0, 60.0)
"""Radius of the smallest and of the largest group node, in canvas units (area follows the count)."""


@dataclass(frozen=True, slots=True)
class Group:
    """What the caller knows of one group: its name, what its colour stands for (``category``, a line of
    the legend, e.g. the field most of its members work in) and that colour, where its members are listed,
    whether it lies across the border (drawn with the cross-border ring), and lines for its tooltip."""

    key: str
    label: str
    category: str
    color: str
    url: str | None = None
    cross_border: bool = False
    details: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        check_color(self.color, where=f"Group {self.key!r}")
        if self.url is not None:
            check_url(self.url, where=f"Group {self.key!r}")


@dataclass(frozen=True, slots=True)
class GroupLink:
    """The links between two groups: how many, and how many of them cross the border."""

    count: int = 0
    cross_border: int = 0


def count_groups(
    membership: Mapping[str, str], links: Iterable[tuple[str, str, bool]]
) -> tuple[Counter[str], Counter[str], dict[tuple[str, str], GroupLink]]:
    """Count the members of each group, the links inside each group and the links between two groups.

    *membership* maps each actor to its group; *links* are ``(actor, actor, crosses the border)``. A link
    with an end outside *membership* is ignored. Pairs of groups are keyed in sorted order.

    Examples
    --------
    >>> members, inner, between = count_groups(
    ...     {"a": "g1", "b": "g1", "c": "g2"}, [("a", "b", False), ("b", "c", True), ("c", "a", False)])
    >>> dict(members), dict(inner), between
    ({'g1': 2, 'g2': 1}, {'g1': 1}, {('g1', 'g2'): GroupLink(count=2, cross_border=1)})
    """
    members = Counter(membership.values())
    inner: Counter[str] = Counter()
    between: dict[tuple[str, str], GroupLink] = {}
    for source, target, crosses in links:
        first, second = membership.get(source), membership.get(target)
        if first is None or second is None:
            continue
        if first == second:
            inner[first] += 1
            continue
        pair = (first, second) if first < second else (second, first)
        known = between.get(pair, GroupLink())
        between[pair] = GroupLink(known.count + 1, known.cross_border + int(crosses))
    return members, inner, between


def link_weight(count: int) -> float:
    """Weight (line width factor, see ``maillage.viz.network.edge_width``) of an edge summing *count* links:
    logarithmic, so 1 link and 1,000 links both stay readable.

    Examples
    --------
    >>> link_weight(1), link_weight(10), round(link_weight(1000), 2)
    (0.7, 1.8, 4.0)
    """
    return round(0.7 + 1.1 * math.log10(max(count, 1)), 2)


def aggregate_network(
    groups: Sequence[Group],
    membership: Mapping[str, str],
    links: Iterable[tuple[str, str, bool]],
    *,
    seed: int = 42,
    aspect: float = ASPECT,
    lang: str = "fr",
) -> tuple[list[VizNode], list[VizEdge]]:
    """Nodes and edges of the grouped picture: one node per group that has members, laid out on the server.

    A group node's area follows its number of members (:data:`GROUP_SIZES`), its label reads
    ``"{label} ({members})"`` and its tooltip gives the members, the links inside it and the group's
    *details*; a click opens ``group.url`` (the view of its members). One edge of kind ``"groupe"`` joins
    two groups with at least one link between their members; its width grows with the log of the count
    (:func:`link_weight`), it is marked cross-border when most of its links cross the border, and its
    tooltip says how many links, and how many cross-border ones, it sums. The tooltips' own words and the
    counts are in *lang* (``maillage.viz.texts``); the groups' labels and details come as given.

    Raises
    ------
    ValueError
        If an actor's group is not among *groups*, two groups share a key, or *lang* is not supported.

    Notes
    -----
    Cost: O(actors + links) to count, then the layout of the group graph (a few hundred nodes: tens of ms).

    Examples
    --------
    >>> groups = [Group("g1", "Seignanx", "Emploi", "#332288"),
    ...           Group("g2", "Gipuzkoa", "Circuits courts", "#88CCEE", cross_border=True)]
    >>> nodes, edges = aggregate_network(groups, {"a": "g1", "b": "g1", "c": "g2"},
    ...                                  [("a", "b", False), ("b", "c", True)])
    >>> [(n.label, n.size) for n in nodes]
    [('Seignanx (2)', 60.0), ('Gipuzkoa (1)', 46.53)]
    >>> [(e.source, e.target, e.kind, e.cross_border, e.title) for e in edges]
    [('g1', 'g2', 'groupe', True, '1 lien entre « Seignanx » et « Gipuzkoa », dont 1 transfrontalier')]
    >>> _, english = aggregate_network(groups, {"a": "g1", "c": "g2"}, [("a", "c", True)], lang="en")
    >>> english[0].title
    '1 link between “Seignanx” and “Gipuzkoa”, 1 of them cross-border'
    """
    check_language(lang)
    by_key: dict[str, Group] = {}
    for group in groups:
        if group.key in by_key:
            raise ValueError(f"Group {group.key!r} is listed twice; each group key must be unique.")
        by_key[group.key] = group
    for actor, key in membership.items():
        if key not in by_key:
            raise ValueError(f"Actor {actor!r} is in group {key!r}, which is not among the groups given.")
    members, inner, between = count_groups(membership, links)
    shown = [group for group in groups if members[group.key] > 0]
    sizes = {
        key: round(size, 2)
        for key, size in scale_sizes(
            {group.key: float(members[group.key]) for group in shown},
            min_size=GROUP_SIZES[0],
            max_size=GROUP_SIZES[1],
        ).items()
    }
    graph = nx.Graph()
    graph.add_nodes_from(group.key for group in shown)
    for (first, second), link in between.items():
        graph.add_edge(first, second, weight=math.log1p(link.count))
    positions = layout_positions(graph, seed=seed, sizes=sizes, aspect=aspect)
    nodes = [
        VizNode(
            id=group.key,
            label=f"{group.label} ({format_count(members[group.key], lang=lang)})",
            group=group.category,
            color=group.color,
            size=sizes[group.key],
            x=positions[group.key][0],
            y=positions[group.key][1],
            title=_group_title(group, members[group.key], inner[group.key], lang),
            url=group.url,
            cross_border=group.cross_border,
        )
        for group in shown
    ]
    edges = [
        VizEdge(
            first,
            second,
            "groupe",
            _link_title(by_key[first].label, by_key[second].label, link, lang),
            weight=link_weight(link.count),
            cross_border=2 * link.cross_border > link.count,
        )
        for (first, second), link in sorted(between.items())
    ]
    return nodes, edges


def _group_title(group: Group, members: int, inner: int, lang: str) -> str:
    lines = [
        group.label,
        counted("actors", members, lang=lang) + ", " + counted("inner_links", inner, lang=lang),
        *group.details,
    ]
    if group.url is not None:
        lines.append(text("group.open", lang=lang))
    return "\n".join(lines)


def _link_title(first: str, second: str, link: GroupLink, lang: str) -> str:
    links = counted("links", link.count, lang=lang)
    title = text("group.link", lang=lang, links=links, first=first, second=second)
    if link.cross_border:
        crossing = counted("of_which_cross_border", link.cross_border, lang=lang)
        title = text("group.link.cross_border", lang=lang, title=title, cross_border=crossing)
    return title
