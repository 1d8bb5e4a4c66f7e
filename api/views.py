"""Build the network pictures (viz input) from the analysis index: colours, sizes, edges, legend."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

import networkx as nx
from rdflib import URIRef

from maillage.api.i18n import N_, translate
from maillage.api.present import label
from maillage.graph.index import ActorRecord, NetworkIndex, iri_key
from maillage.graph.metrics import centralities, communities
from maillage.graph.metrics.texts import country_phrase
from maillage.graph.metrics.view import memo
from maillage.graph.synergies import Synergy
from maillage.ingest.territories import places as territory_places
from maillage.viz.layout import ASPECT, layout_positions, scale_sizes, size_by_degree
from maillage.viz.legend import legend_for, reading_order
from maillage.viz.map import MapArea, MapPlace, commune_outlines
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.palette import CATEGORY_COLORS, OTHER_COLOR, colors_for

COLOR_MODES = ("domaine", "college", "communaute", "pays")
"""What the colour of an actor says: its field family, its college, its community, its country."""

SIZE_MODES = ("degre", "intermediarite", "vecteur-propre")
"""What the size of an actor says: its number of links in the picture, or its betweenness or eigenvector
centrality in the whole (public) network (maillage.graph.metrics.centralities)."""

COUNTRIES = ("FR", "ES")
"""The countries of the network, each a group when actors are coloured by country."""

LAYOUT_CACHE_SIZE = 16
"""Layouts kept per index: changing the colour or the size of a view does not lay it out again."""

_layout_lock = threading.Lock()
T = TypeVar("T")


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


OTHER_GROUPS = {
    "domaine": N_("Autres domaines"),
    "college": N_("Autres collèges"),
    "communaute": N_("Autres communautés"),
    "pays": N_("Pays inconnu"),
}
"""Legend line of the actors whose group has no colour of its own (or who have no group), in French."""
COMMUNITY = N_("Communauté %(number)s")


def community_numbers(index: NetworkIndex) -> dict[str, int]:
    """The number of each public actor's community (Leiden, seed 0: the /api/network/communities answer);
    actors in no community of two or more are left out. Kept on the index (read-only): `group_name` asks it
    once per actor, and building it each time made colouring 25,000 actors by community take 24 s."""

    def build() -> dict[str, int]:
        found = communities(index, seed=0)
        return {key: community.number for community in found.communities for key in community.members}

    return memo(index, ("community-numbers",), build)


def community_name(number: int, lang: str = "fr") -> str:
    """The name of community `number` (numbered as ``/api/network/communities`` does) in `lang`.

    >>> community_name(3), community_name(3, "en")
    ('Communauté 3', 'Community 3')
    """
    return translate(COMMUNITY, lang) % {"number": number}


def country_name(code: str | None, lang: str = "fr") -> str:
    """The name of a country of the network in `lang`; "" for another or none.

    >>> country_name("ES"), country_name("ES", "en"), country_name("IT")
    ('Espagne', 'Spain', '')
    """
    return country_phrase(lang, code, preposition=False) if code in COUNTRIES else ""


def group_name(index: NetworkIndex, actor: ActorRecord, mode: str, lang: str = "fr") -> str:
    """The group an actor is listed by: its field family, college, community or country; "" when none.
    French names identify the groups (`group_colors`); `lang` names them for the reader."""
    if mode == "communaute":
        number = community_numbers(index).get(actor.key)
        return community_name(number, lang) if number is not None else ""
    if mode == "pays":
        return country_name(actor.country, lang)
    key = color_key(index, actor, mode)
    return label(index, key, lang) if key is not None else ""


def group_colors(index: NetworkIndex, mode: str) -> dict[str, str]:
    """Colour of each group, the same on every page: from the public actors of the whole network.

    When there are more groups than colours in the palette, the most common groups keep one each and the
    others share the neutral grey of `OTHER_GROUPS` (repeated colours could not be told apart).

    Kept per index and mode (a fresh copy each call): counting the groups of every actor was 70 % of an
    actor page's time at 25,000 actors.
    """
    table = index.derived.setdefault("group-colors", {})
    assert isinstance(table, dict)
    colors = table.get(mode)
    if colors is None:
        counts = Counter(group_name(index, a, mode) for a in index.actors if a.is_public)
        counts.pop("", None)
        ranked = sorted(counts, key=lambda name: (-counts[name], reading_order(name)))
        if len(ranked) > len(CATEGORY_COLORS):
            ranked = ranked[: len(CATEGORY_COLORS) - 1]
        colors = table[mode] = colors_for(ranked)
    return dict(colors)


def tooltip(index: NetworkIndex, actor: ActorRecord, lang: str = "fr") -> str:
    """An actor's tooltip: name, type, place and country, fields (types, fields and country in `lang`)."""
    lines = [actor.label, label(index, actor.actor_type, lang)]
    place = actor.commune_label + (f" ({actor.epci_label})" if actor.epci_label else "")
    lines.append(f"{place} — {country_name('ES' if actor.country == 'ES' else 'FR', lang)}")
    fields = ", ".join(label(index, c, lang) for c in actor.fields)
    lines.append(translate(N_("Domaines : %(fields)s"), lang) % {"fields": fields})
    return "\n".join(line for line in lines if line)


def actor_groups(
    index: NetworkIndex, actors: Iterable[ActorRecord], mode: str, lang: str = "fr"
) -> tuple[dict[str, str], dict[str, str]]:
    """The group each actor is drawn in (`OTHER_GROUPS` past the palette) and each group's colour, groups
    named in `lang`. The colours are those of the French names: a group has one colour in every language."""
    french = group_colors(index, mode)
    other = translate(OTHER_GROUPS[mode], lang)
    groups: dict[str, str] = {}
    palette = {other: OTHER_COLOR}
    for actor in actors:
        name = group_name(index, actor, mode)
        if name not in french:
            groups[actor.key] = other
            continue
        shown = name if lang == "fr" else group_name(index, actor, mode, lang)
        groups[actor.key] = shown
        palette[shown] = french[name]
    return groups, palette


def actor_sizes(index: NetworkIndex, subgraph: nx.Graph, size: str) -> dict[str, float]:
    """Node sizes for the actors of `subgraph`: by their links in it ("degre") or by their betweenness or
    eigenvector centrality in the whole public network, scaled among the actors drawn (area ∝ value)."""
    if size == "degre":
        return size_by_degree(dict(subgraph.degree()))
    if size not in SIZE_MODES:
        raise ValueError(f"Taille inconnue : « {size} » ({', '.join(SIZE_MODES)})")
    attribute = "betweenness" if size == "intermediarite" else "eigenvector"
    values = {a.key: getattr(a, attribute) for a in centralities(index).actors}
    return scale_sizes({key: max(0.0, values.get(key, 0.0)) for key in subgraph.nodes})


def kept(index: NetworkIndex, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, kept on the index for the next views (the `LAYOUT_CACHE_SIZE` latest keys): a picture's
    collaboration subgraph and layout depend only on the index and on which actors and links it shows, so
    changing the colour or the size of a 2,000-actor view neither copies the graph nor lays it out again."""
    with _layout_lock:
        table = index.derived.setdefault("explorer-layouts", OrderedDict())
        assert isinstance(table, OrderedDict)
        if key in table:
            table.move_to_end(key)
            return table[key]  # type: ignore[no-any-return]
    value = compute()
    with _layout_lock:
        table[key] = value
        while len(table) > LAYOUT_CACHE_SIZE:
            table.popitem(last=False)
    return value


def carry_views(old: NetworkIndex, new: NetworkIndex) -> None:
    """Give `new`, an index patched from `old` (`patch_index`: other descriptions, the same graph), the
    group colours and the kept subgraphs and layouts of `old` — drawn from the graph alone — but not its
    other kept values (the network's JSON-LD holds descriptions)."""
    if "group-colors" in old.derived:
        new.derived["group-colors"] = old.derived["group-colors"]
    with _layout_lock:
        views = old.derived.get("explorer-layouts")
        if isinstance(views, OrderedDict):
            new.derived["explorer-layouts"] = OrderedDict(
                (key, value) for key, value in views.items() if key[0] in ("graph", "layout")
            )


def collaboration_subgraph(
    index: NetworkIndex, keys: list[str], *, cross_border_only: bool = False
) -> nx.Graph:
    """The collaborations among `keys` (every key a node), only those across the border if asked. O(links
    of the keys); the result is shared between views (`kept`): treat it as read-only."""

    def build() -> nx.Graph:
        chosen = set(keys)
        country = {k: index.actors[index.position[k]].country for k in keys}
        subgraph = nx.Graph()
        subgraph.add_nodes_from(keys)
        subgraph.add_edges_from(
            (u, v, data)
            for u, v, data in index.collaboration.edges(keys, data=True)
            if v in chosen and u != v and not (cross_border_only and country[u] == country[v])
        )
        return subgraph

    return kept(index, ("graph", tuple(keys), cross_border_only), build)


def network_picture(
    index: NetworkIndex,
    keys: Iterable[str],
    *,
    mode: str = "domaine",
    size: str = "degre",
    suggestions: Iterable[Synergy] = (),
    aspect: float = ASPECT,
    cross_border_only: bool = False,
    link: Mapping[str, str] | None = None,
    lang: str = "fr",
    shown_private: Collection[str] = (),
) -> tuple[list[VizNode], list[VizEdge], list[LegendItem]]:
    """Nodes, edges and legend for the public actors `keys` (and those of `shown_private`, persons without
    public consent whom the caller may see) and the collaborations among them.

    `mode` colours the actors (`COLOR_MODES`), `size` sizes them (`SIZE_MODES`); `cross_border_only` keeps
    the links across the border only. `aspect` is the width / height of the drawing area the picture is
    laid out for (a wide, low area such as the actor page's is better filled with a larger value, e.g. 2).
    `link` maps an actor to the URL a click opens (default: its page; an actor left out has none). The
    groups, tooltips and legend are in `lang` (concept labels in it where the taxonomy has them).
    """
    keys = [k for k in keys if index.actors[index.position[k]].is_public or k in shown_private]
    subgraph = collaboration_subgraph(index, keys, cross_border_only=cross_border_only)
    sizes = actor_sizes(index, subgraph, size)
    positions = kept(
        index,
        ("layout", tuple(keys), cross_border_only, size, aspect),
        lambda: layout_positions(subgraph, seed=42, sizes=sizes, aspect=aspect),
    )
    actors = [index.actors[index.position[k]] for k in keys]
    groups, palette = actor_groups(index, actors, mode, lang)
    nodes = [
        VizNode(
            id=a.key,
            label=a.label,
            group=groups[a.key],
            color=palette[groups[a.key]],
            size=float(sizes[a.key]),
            x=positions[a.key][0],
            y=positions[a.key][1],
            title=tooltip(index, a, lang),
            url=f"/actors/{a.key}" if link is None else link.get(a.key),
            cross_border=a.country == "ES",
        )
        for a in actors
    ]
    country = {a.key: a.country for a in actors}
    edges = []
    for u, v, data in sorted(subgraph.edges(data=True)):
        projects = data.get("projects") or []
        kind = "projet" if projects else "partenariat"
        rows = sorted(index.project_position[p] for p in set(projects) if p in index.project_position)
        names = [index.projects[row].label for row in rows]
        partnership = translate(N_("Partenariat"), lang)
        title = (
            translate(N_("Projets communs : %(projects)s"), lang) % {"projects": ", ".join(names)}
            if names
            else partnership
        )
        if projects and data.get("partnership"):
            title += "\n" + partnership
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
                    title=synergy.sentence(index, lang=lang),
                    cross_border=synergy.cross_border,
                )
            )
    # Built from what is drawn, so the legend shows the drawing's own colours and only what is there.
    legend = legend_for(nodes, edges, lang=lang)
    return nodes, edges, legend


def ego_keys(index: NetworkIndex, key: str, *, depth: int, limit: int | None = None) -> list[str]:
    """The actor and everyone within `depth` collaboration steps, sorted by key; with `limit`, the actor and
    the `limit` - 1 nearest (fewest steps, then the most shared projects and partnership, then key order).

    >>> from maillage.graph.metrics.view import example_index
    >>> index = example_index()  # bea and cole share a project and a partnership, ane and eve a project
    >>> ego_keys(index, "bea", depth=1)
    ['ane', 'bea', 'cole', 'eve']
    >>> ego_keys(index, "bea", depth=1, limit=2), ego_keys(index, "bea", depth=1, limit=3)
    (['bea', 'cole'], ['ane', 'bea', 'cole'])
    """
    if key not in index.collaboration:
        return [key]
    reached = nx.single_source_shortest_path_length(index.collaboration, key, cutoff=depth)
    if limit is not None and len(reached) > limit:
        links = index.collaboration[key]

        def nearness(other: str) -> tuple[int, int, str]:
            link = links.get(other, {})
            return (reached[other], -(len(link.get("projects", ())) + bool(link.get("partnership"))), other)

        reached = dict.fromkeys(sorted(reached, key=nearness)[:limit])
    return sorted(reached)


def map_picture(
    index: NetworkIndex, *, mode: str = "domaine", suggestions: Iterable[Synergy] = (), lang: str = "fr"
) -> tuple[list[VizNode], list[VizEdge], list[MapArea], list[MapPlace]]:
    """The public actors with coordinates placed at their longitude / latitude and coloured as on the
    network page, the suggested cooperations among them, the communes of 64/40 with their number of
    public actors, and the Spanish municipalities (no outlines shipped) as places; words in `lang`."""
    actors = [a for a in index.actors if a.is_public and a.lat is not None and a.lon is not None]
    groups, palette = actor_groups(index, actors, mode, lang)
    nodes = [
        VizNode(
            id=a.key,
            label=a.label,
            group=groups[a.key],
            color=palette[groups[a.key]],
            size=1.0,
            x=a.lon,  # type: ignore[arg-type]
            y=a.lat,  # type: ignore[arg-type]
            title=tooltip(index, a, lang),
            url=f"/actors/{a.key}",
            cross_border=a.country == "ES",
        )
        for a in actors
    ]
    shown = {a.key for a in actors}
    edges = [
        VizEdge(s.source, s.target, "suggestion", s.sentence(index, lang=lang), cross_border=s.cross_border)
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
