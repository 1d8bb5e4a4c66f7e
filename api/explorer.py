"""The network explorer (``/`` and ``/embed/reseau``): the view a query string describes — colour, size,
filters, focus actor, grouping — turned into a picture (viz input), and back into a query string (the
permalink). Public actors only, whoever asks.

Beyond `AGGREGATION_THRESHOLD` actors (or the view's ``seuil``), the picture shows groups instead of actors:
communities, or territories (EPCI in France, province in Spain); a click on a group opens the view of its
members. docs/decisions/20261129-network-explorer.md says why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Query

from maillage.api.errors import APIError
from maillage.api.i18n import N_, plural_message, translate
from maillage.api.present import public_actor
from maillage.api.search import ActorQuery, matching_actors
from maillage.api.views import (
    COUNTRIES,
    actor_groups,
    community_name,
    community_numbers,
    country_name,
    ego_keys,
    network_picture,
)
from maillage.graph.index import ActorRecord, NetworkIndex, iri_key
from maillage.graph.synergies import (
    AFFINITY,
    COMPLEMENTARITY,
    TRIANGLE,
    Synergy,
    network_synergies,
    synergies_for_actor,
)
from maillage.ingest.territories import PROVINCIAS
from maillage.viz.aggregate import Group, aggregate_network
from maillage.viz.legend import legend_for
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.texts import format_count

ColorMode = Literal["domaine", "college", "communaute", "pays"]
SizeMode = Literal["degre", "intermediarite", "vecteur-propre"]
GroupMode = Literal["communaute", "territoire"]

AGGREGATION_THRESHOLD = 2000
"""Above this many actors in view, the picture shows groups (the browser draws 2,000 nodes in about 2 s)."""

EXPLORER_SUGGESTIONS = 40
"""How many of the network's best pair synergies the explorer draws when asked."""

SUGGESTION_SCAN_MAX = 5000
"""The network's best pairs need a scan of every pair (24 s at 25,000 actors): beyond this many public
actors, only a focus actor's suggestions are drawn."""

TERRITORY = re.compile(r"(epci|province|pays)-[A-Za-z0-9]{1,20}")

SIZE_WORDS = {
    "degre": N_("nombre de liens (projets communs et partenariats) dans le dessin"),
    "intermediarite": N_("intermédiarité dans tout le réseau (les passeurs entre groupes)"),
    "vecteur-propre": N_("centralité de vecteur propre (liés aux acteurs les plus liés)"),
}
"""What a node's size says, for the page's help line (in French: translate where shown)."""


@dataclass(frozen=True)
class ExplorerView:
    """Every parameter of a view; the field names are the query string's."""

    couleur: ColorMode = "domaine"
    taille: SizeMode = "degre"
    domaine: str | None = None
    college: str | None = None
    pays: Literal["FR", "ES"] | None = None
    communaute: int | None = None
    territoire: str | None = None
    transfrontalier: bool = False
    suggestions: bool = False
    acteur: str | None = None
    profondeur: int = 1
    regrouper: GroupMode = "communaute"
    seuil: int = AGGREGATION_THRESHOLD

    def query(self, **changes: object) -> str:
        """The query string of this view with `changes`, default values left out (a short permalink).

        >>> ExplorerView(couleur="pays", transfrontalier=True).query(acteur="a b")
        'couleur=pays&transfrontalier=1&acteur=a+b'
        """
        view = replace(self, **changes)  # type: ignore[arg-type]
        pairs = []
        for item in fields(view):
            value = getattr(view, item.name)
            if value == item.default or value is None:
                continue
            if isinstance(value, bool):
                value = int(value)
            pairs.append((item.name, str(value)))
        return urlencode(pairs)

    @property
    def is_filtered(self) -> bool:
        """Whether the view shows part of the network only."""
        return any(
            (self.domaine, self.college, self.pays, self.communaute is not None, self.territoire)
        ) or bool(self.transfrontalier or self.acteur)


def explorer_view(
    couleur: Annotated[ColorMode, Query()] = "domaine",
    taille: Annotated[SizeMode, Query()] = "degre",
    domaine: Annotated[str | None, Query(max_length=100)] = None,
    college: Annotated[str | None, Query(max_length=100)] = None,
    pays: Annotated[Literal["FR", "ES", ""] | None, Query()] = None,
    communaute: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    territoire: Annotated[str | None, Query(max_length=40)] = None,
    transfrontalier: Annotated[bool, Query()] = False,
    suggestions: Annotated[bool, Query()] = False,
    acteur: Annotated[str | None, Query(max_length=200)] = None,
    profondeur: Annotated[int, Query(ge=1, le=3)] = 1,
    regrouper: Annotated[GroupMode, Query()] = "communaute",
    seuil: Annotated[int, Query(ge=10, le=100_000)] = AGGREGATION_THRESHOLD,
) -> ExplorerView:
    """The view of the query string (a FastAPI dependency); empty values count as absent."""
    if territoire and not TERRITORY.fullmatch(territoire):
        raise APIError(
            422,
            f"Territoire inconnu : « {territoire} »",
            details=[
                {"parametre": "territoire", "valeur": territoire, "regle": "epci-…, province-… ou pays-…"}
            ],
        )
    return ExplorerView(
        couleur=couleur,
        taille=taille,
        domaine=domaine or None,
        college=college or None,
        pays=pays or None,
        communaute=communaute,
        territoire=territoire or None,
        transfrontalier=transfrontalier,
        suggestions=suggestions,
        acteur=acteur or None,
        profondeur=profondeur,
        regrouper=regrouper,
        seuil=seuil,
    )


def territory_group(actor: ActorRecord, lang: str = "fr") -> tuple[str, str]:
    """The territory an actor is grouped in, as ``(key, name)``: its EPCI in France, its province in Spain
    (the first two digits of the INE code of its municipio), else its country (named in `lang`).

    >>> from maillage.graph.metrics.view import example_index
    >>> territory_group(example_index().actor("ane"))  # an actor of no known commune
    ('pays-inconnu', 'Pays inconnu')
    """
    if actor.epci is not None:
        return f"epci-{iri_key(str(actor.epci))}", actor.epci_label or iri_key(str(actor.epci))
    if actor.country == "ES" and actor.commune is not None:
        code = iri_key(str(actor.commune))[:2]
        if code in PROVINCIAS:
            return f"province-{code}", PROVINCIAS[code][0]
    country = country_name(actor.country, lang)
    if actor.country == "FR":
        return "pays-FR", translate(N_("%(country)s (sans EPCI)"), lang) % {"country": country}
    if actor.country in COUNTRIES:
        return f"pays-{actor.country}", translate(N_("%(country)s (sans province)"), lang) % {
            "country": country
        }
    return "pays-inconnu", translate(N_("Pays inconnu"), lang)


def territory_name(index: NetworkIndex, key: str, lang: str = "fr") -> str:
    """The name of the territory group `key` (see `territory_group`); `key` itself when no actor is in it."""
    for actor in index.actors:
        if actor.is_public and territory_group(actor)[0] == key:
            return territory_group(actor, lang)[1]
    return key


def cross_border_links(index: NetworkIndex, keys: set[str]) -> list[tuple[str, str, bool]]:
    """The collaborations among `keys`, each once, with whether it crosses the border. O(links)."""
    country = {k: index.actors[index.position[k]].country for k in keys}
    return [
        (u, v, country[u] != country[v])
        for u, v in index.collaboration.edges()
        if u in keys and v in keys and u != v
    ]


def select_actors(index: NetworkIndex, view: ExplorerView) -> list[ActorRecord]:
    """The public actors the view shows, in key order: the filters, then the focus actor's neighbourhood,
    then (cross-border only) those with a link across the border to another actor shown."""
    query = ActorQuery(field=view.domaine, college=view.college, country=view.pays)
    actors = (
        matching_actors(index, query) if not query.is_empty() else [a for a in index.actors if a.is_public]
    )
    if view.communaute is not None:
        numbers = community_numbers(index)
        actors = [a for a in actors if numbers.get(a.key, 0) == view.communaute]
    if view.territoire:
        actors = [a for a in actors if territory_group(a)[0] == view.territoire]
    if view.acteur:
        focus = public_actor(index, view.acteur)
        near = set(ego_keys(index, focus.key, depth=view.profondeur))
        actors = [a for a in actors if a.key in near and a.key != focus.key]
        actors = sorted([*actors, focus], key=lambda a: a.key)
    if view.transfrontalier:
        keys = {a.key for a in actors}
        crossing = {end for u, v, crosses in cross_border_links(index, keys) if crosses for end in (u, v)}
        actors = [a for a in actors if a.key in crossing or a.key == view.acteur]
    return actors


@dataclass
class ExplorerPicture:
    """What the explorer draws, and what the page says about it."""

    nodes: list[VizNode]
    edges: list[VizEdge]
    legend: list[LegendItem]
    #: public actors in view (drawn one by one, or inside the groups)
    actors: int
    #: links among them (cross-border ones only when the view asks)
    links: int
    #: "communaute" or "territoire" when the picture shows groups
    grouped_by: str | None = None
    notes: list[str] = field(default_factory=list)


def suggested(
    index: NetworkIndex, view: ExplorerView, keys: set[str], lang: str = "fr"
) -> tuple[list[Synergy], list[str]]:
    """The suggestions to draw (dashed) among `keys`, and a note (in `lang`) when they could not be
    computed."""
    if not view.suggestions:
        return [], []
    if view.acteur:
        found = synergies_for_actor(index, view.acteur, limit=10)
    elif sum(1 for a in index.actors if a.is_public) <= SUGGESTION_SCAN_MAX:
        found = network_synergies(
            index,
            kinds=(COMPLEMENTARITY, AFFINITY, TRIANGLE),
            limit=EXPLORER_SUGGESTIONS,
            cross_border_only=view.transfrontalier,
        )
    else:
        note = translate(
            N_(
                "Coopérations suggérées : le réseau compte plus de %(count)s acteurs ; "
                "choisissez un acteur pour voir les siennes."
            ),
            lang,
        ) % {"count": format_count(SUGGESTION_SCAN_MAX, lang=lang)}
        return [], [note]
    pairs = [s for s in found if isinstance(s, Synergy) and s.source in keys and s.target in keys]
    return pairs, []


def explorer_picture(
    index: NetworkIndex, view: ExplorerView, *, embed: bool = False, aspect: float = 1.4, lang: str = "fr"
) -> ExplorerPicture:
    """The picture of `view`: actor by actor up to ``view.seuil`` actors, group by group beyond; its words
    (groups, tooltips, legend, notes) in `lang`.

    In an embed (`embed=True`) a click on an actor opens nothing (the embed is read-only and its frame may
    not show the actor pages); a click on a group opens the embed of its members (in `lang`: an embed has
    no language switch of its own).
    """
    actors = select_actors(index, view)
    keys = {a.key for a in actors}
    if view.suggestions and view.acteur and not view.transfrontalier:
        # the focus actor's suggested partners join the picture, as on its page
        extra = {s.target for s in synergies_for_actor(index, view.acteur, limit=10)} - keys
        actors += [index.actors[index.position[k]] for k in sorted(extra)]
        keys |= extra
    links = cross_border_links(index, keys)
    link_count = sum(1 for *_, crosses in links if crosses or not view.transfrontalier)
    if len(actors) > view.seuil:
        return _grouped(index, view, actors, links, link_count, embed=embed, aspect=aspect, lang=lang)
    synergies, notes = suggested(index, view, keys, lang)
    nodes, edges, legend = network_picture(
        index,
        sorted(keys),
        mode=view.couleur,
        size=view.taille,
        suggestions=synergies,
        aspect=aspect,
        cross_border_only=view.transfrontalier,
        link={} if embed else None,
        lang=lang,
    )
    return ExplorerPicture(nodes, edges, legend, actors=len(actors), links=link_count, notes=notes)


def _members(count: int, lang: str) -> str:
    message = plural_message(N_("%(num)s membre"), N_("%(num)s membres"), count, lang)
    return message % {"num": format_count(count, lang=lang)}


def grouping(view: ExplorerView) -> GroupMode:
    """How the view groups its actors: as asked, unless the view already shows one group of that kind
    (the members of a community or of a territory), which is then split the other way."""
    if view.regrouper == "territoire" and view.territoire:
        return "communaute"
    if view.regrouper == "communaute" and view.communaute is not None:
        return "territoire"
    return view.regrouper


def _grouped(
    index: NetworkIndex,
    view: ExplorerView,
    actors: list[ActorRecord],
    links: list[tuple[str, str, bool]],
    link_count: int,
    *,
    embed: bool,
    aspect: float,
    lang: str,
) -> ExplorerPicture:
    mode = grouping(view)
    numbers = community_numbers(index) if mode == "communaute" else {}
    membership: dict[str, str] = {}
    names: dict[str, str] = {}
    filters: dict[str, dict[str, object]] = {}
    for actor in actors:
        if mode == "communaute":
            community = numbers.get(actor.key, 0)
            key = f"communaute-{community}"
            names[key] = (
                community_name(community, lang)
                if community
                else translate(N_("Sans communauté (isolés)"), lang)
            )
            filters[key] = {"communaute": community}
        else:
            key, names[key] = territory_group(actor, lang)
            filters[key] = {"territoire": key}
        membership[actor.key] = key
    # A group takes the colour most of its members have, ties broken by the French names, so the picture is
    # the same in every language; `shown` names that colour's group in `lang`.
    colour_groups, palette = actor_groups(index, actors, view.couleur)
    shown = colour_groups
    if lang != "fr":
        shown, palette = actor_groups(index, actors, view.couleur, lang)
    names_shown = {colour_groups[actor.key]: shown[actor.key] for actor in actors}
    by_group: dict[str, Counter[str]] = {}
    countries: dict[str, Counter[str]] = {}
    for actor in actors:
        by_group.setdefault(membership[actor.key], Counter())[colour_groups[actor.key]] += 1
        countries.setdefault(membership[actor.key], Counter())[actor.country or ""] += 1
    base = "/embed/reseau" if embed else "/"
    language = f"&{urlencode({'lang': lang})}" if embed and lang != "fr" else ""
    groups = []
    for key in sorted(by_group, key=lambda k: (-sum(by_group[k].values()), k)):
        category, members = min(by_group[key].items(), key=lambda item: (-item[1], item[0]))
        spain = countries[key].get("ES", 0)
        groups.append(
            Group(
                key=key,
                label=names[key],
                category=names_shown[category],
                color=palette[names_shown[category]],
                url=f"{base}?{view.query(**filters[key])}{language}",
                cross_border=2 * spain > sum(countries[key].values()),
                details=(
                    translate(N_("Couleur : %(group)s (%(members)s)"), lang)
                    % {"group": names_shown[category], "members": _members(members, lang)},
                ),
            )
        )
    kept = links if not view.transfrontalier else [link for link in links if link[2]]
    nodes, edges = aggregate_network(groups, membership, kept, aspect=aspect, lang=lang)
    grouped = (
        N_(
            "%(count)s acteurs : au-delà de %(threshold)s, le dessin les regroupe par communauté. "
            "Cliquez sur un groupe pour voir ses membres."
        )
        if mode == "communaute"
        else N_(
            "%(count)s acteurs : au-delà de %(threshold)s, le dessin les regroupe par territoire "
            "(EPCI, province). Cliquez sur un groupe pour voir ses membres."
        )
    )
    notes = [
        translate(grouped, lang)
        % {"count": format_count(len(actors), lang=lang), "threshold": format_count(view.seuil, lang=lang)}
    ]
    if view.suggestions:
        notes.append(
            translate(N_("Les coopérations suggérées ne sont dessinées qu'acteur par acteur."), lang)
        )
    return ExplorerPicture(
        nodes,
        edges,
        legend_for(nodes, edges, lang=lang),
        actors=len(actors),
        links=link_count,
        grouped_by=mode,
        notes=notes,
    )
