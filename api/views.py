"""Build the network pictures (viz input) from the analysis index: colours, sizes, edges, legend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx
from rdflib import URIRef

from maillage.api.present import label
from maillage.graph.index import ActorRecord, NetworkIndex, iri_key
from maillage.graph.synergies import Synergy
from maillage.ingest.territories import places as territory_places
from maillage.viz.layout import ASPECT, layout_positions, size_by_degree
from maillage.viz.legend import legend_for, reading_order
from maillage.viz.map import MapArea, MapPlace, commune_outlines
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.palette import CATEGORY_COLORS, OTHER_COLOR, colors_for

COLOR_MODES = ("domaine", "college")


def top_field(index: NetworkIndex, concept: URIRef) -> URIRef:
    """The top concept above a field (its charter family), for colouring."""
    seen = {concept}
    while True:
        record = index.concepts.get(concept)
        if record is None or not record.broader or record.broader[0] in seen:
            return concept
        concept = record.broader[0]
        seen.add(concept)


def color_key(index: NetworkIndex, actor: ActorRecord, mode: str) -> URIRef | None:
    if mode == "college":
        return actor.college
    return top_field(index, actor.fields[0]) if actor.fields else None


OTHER_GROUPS = {"domaine": "Autres domaines", "college": "Autres collèges"}
"""Legend line of the actors whose group has no colour of its own (or who have no group)."""


def group_name(index: NetworkIndex, actor: ActorRecord, mode: str) -> str:
    """The group an actor is listed by: its field family or its college; "" when it has none."""
    key = color_key(index, actor, mode)
    return label(index, key) if key is not None else ""


def group_colors(index: NetworkIndex, mode: str) -> dict[str, str]:
    """Colour of each group, the same on every page: from the public actors of the whole network.

    When there are more groups than colours in the palette, the most common groups keep one each and the
    others share the neutral grey of `OTHER_GROUPS` (repeated colours could not be told apart).
    """
    counts = Counter(group_name(index, a, mode) for a in index.actors if a.is_public)
    counts.pop("", None)
    ranked = sorted(counts, key=lambda name: (-counts[name], reading_order(name)))
    if len(ranked) > len(CATEGORY_COLORS):
        ranked = ranked[: len(CATEGORY_COLORS) - 1]
    return colors_for(ranked)


def tooltip(index: NetworkIndex, actor: ActorRecord) -> str:
    lines = [actor.label, label(index, actor.actor_type)]
    place = actor.commune_label + (f" ({actor.epci_label})" if actor.epci_label else "")
    lines.append(f"{place} — {'Espagne' if actor.country == 'ES' else 'France'}")
    lines.append("Domaines : " + ", ".join(label(index, c) for c in actor.fields))
    return "\n".join(line for line in lines if line)


def actor_groups(
    index: NetworkIndex, actors: Iterable[ActorRecord], mode: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The group each actor is drawn in (`OTHER_GROUPS` past the palette) and each group's colour."""
    palette = group_colors(index, mode)
    groups = {a.key: group_name(index, a, mode) for a in actors}
    groups = {key: name if name in palette else OTHER_GROUPS[mode] for key, name in groups.items()}
    palette[OTHER_GROUPS[mode]] = OTHER_COLOR
    return groups, palette


def network_picture(
    index: NetworkIndex,
    keys: Iterable[str],
    *,
    mode: str = "domaine",
    suggestions: Iterable[Synergy] = (),
    aspect: float = ASPECT,
) -> tuple[list[VizNode], list[VizEdge], list[LegendItem]]:
    """Nodes, edges and legend for the public actors `keys` and the collaborations among them.

    `aspect` is the width / height of the drawing area the picture is laid out for (a wide, low area
    such as the actor page's is better filled with a larger value, e.g. 2).
    """
    keys = [k for k in keys if index.actors[index.position[k]].is_public]
    subgraph = nx.Graph(index.collaboration.subgraph(keys))
    subgraph.add_nodes_from(keys)
    sizes = size_by_degree(dict(subgraph.degree()))
    positions = layout_positions(subgraph, seed=42, sizes=sizes, aspect=aspect)
    actors = [index.actors[index.position[k]] for k in keys]
    groups, palette = actor_groups(index, actors, mode)
    nodes = [
        VizNode(
            id=a.key,
            label=a.label,
            group=groups[a.key],
            color=palette[groups[a.key]],
            size=float(sizes[a.key]),
            x=positions[a.key][0],
            y=positions[a.key][1],
            title=tooltip(index, a),
            url=f"/actors/{a.key}",
            cross_border=a.country == "ES",
        )
        for a in actors
    ]
    country = {a.key: a.country for a in actors}
    edges = []
    for u, v, data in sorted(subgraph.edges(data=True)):
        projects = data.get("projects") or []
        kind = "projet" if projects else "partenariat"
        names = [p.label for p in index.projects if p.key in set(projects)]
        title = ("Projets communs : " + ", ".join(names)) if names else "Partenariat"
        if projects and data.get("partnership"):
            title += "\nPartenariat"
        edges.append(
            VizEdge(
                source=u,
                target=v,
                kind=kind,
                title=title,
                weight=float(len(projects) or 1),
                cross_border=country[u] != country[v],
            )
        )
    shown = set(keys)
    for synergy in suggestions:
        if synergy.source in shown and synergy.target in shown:
            edges.append(
                VizEdge(
                    source=synergy.source,
                    target=synergy.target,
                    kind="suggestion",
                    title=synergy.sentence(index),
                    cross_border=synergy.cross_border,
                )
            )
    # Built from what is drawn, so the legend shows the drawing's own colours and only what is there.
    legend = legend_for(nodes, edges)
    return nodes, edges, legend


def ego_keys(index: NetworkIndex, key: str, *, depth: int) -> list[str]:
    """The actor and everyone within `depth` collaboration steps."""
    if key not in index.collaboration:
        return [key]
    reached = nx.single_source_shortest_path_length(index.collaboration, key, cutoff=depth)
    return sorted(reached)


def map_picture(
    index: NetworkIndex, *, mode: str = "domaine", suggestions: Iterable[Synergy] = ()
) -> tuple[list[VizNode], list[VizEdge], list[MapArea], list[MapPlace]]:
    """The public actors with coordinates placed at their longitude / latitude and coloured as on the
    network page, the suggested cooperations among them, the communes of 64/40 with their number of
    public actors, and the Spanish municipalities (no outlines shipped) as places."""
    actors = [a for a in index.actors if a.is_public and a.lat is not None and a.lon is not None]
    groups, palette = actor_groups(index, actors, mode)
    nodes = [
        VizNode(
            id=a.key,
            label=a.label,
            group=groups[a.key],
            color=palette[groups[a.key]],
            size=1.0,
            x=a.lon,  # type: ignore[arg-type]
            y=a.lat,  # type: ignore[arg-type]
            title=tooltip(index, a),
            url=f"/actors/{a.key}",
            cross_border=a.country == "ES",
        )
        for a in actors
    ]
    shown = {a.key for a in actors}
    edges = [
        VizEdge(s.source, s.target, "suggestion", s.sentence(index), cross_border=s.cross_border)
        for s in suggestions
        if s.source in shown and s.target in shown
    ]
    counts = Counter(
        iri_key(a.commune)
        for a in index.actors
        if a.is_public and a.commune is not None and a.country == "FR"
    )
    areas = [
        MapArea(code, name, rings, counts.get(code, 0))
        for code, (name, rings) in sorted(commune_outlines().items())
    ]
    places = [
        MapPlace(place.label, place.lon, place.lat)
        for (country, _code), place in sorted(territory_places().items())
        if country == "ES" and place.lat is not None and place.lon is not None
    ]
    return nodes, edges, areas, places
