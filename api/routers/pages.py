"""HTML pages: the whole network (/), the dashboard (/tableau-de-bord), the map (/carte), the search
(/recherche) and one actor (/actors/{id}), French first, in English when the reader asks
(`maillage.api.i18n`): the pages' words, the concept labels, the sentences and the drawings' words."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from maillage.api.auth import Caller, CallerDep
from maillage.api.deps import IndexDep, StateDep
from maillage.api.errors import APIError
from maillage.api.explorer import (
    SIZE_WORDS,
    ExplorerView,
    explorer_picture,
    explorer_view,
    territory_name,
)
from maillage.api.i18n import N_, _, current_language
from maillage.api.present import actor_contacts, actor_detail, label, public_actor, synergy_public
from maillage.api.search import ActorQuery, facets, matching_actors
from maillage.api.templating import render_page, templates
from maillage.api.views import ego_keys, kept, map_picture, network_picture
from maillage.graph.export import actor_jsonld, network_page_jsonld
from maillage.graph.folding import fold
from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.metrics import evolution, field_gaps, need_gaps, read_dated_network
from maillage.graph.synergies import (
    AFFINITY,
    COMPLEMENTARITY,
    TRIANGLE,
    network_synergies,
    synergies_for_actor,
)
from maillage.ingest.contacts import phone_display
from maillage.viz.charts import render_bar_chart
from maillage.viz.map import render_map
from maillage.viz.network import render_network, script_urls, stylesheet_urls
from maillage.viz.palette import CATEGORY_COLORS
from maillage.viz.texts import format_count

SEARCH_PAGE_SIZE = 30
"""Actors listed per page of the search."""

MAP_SYNERGIES = 40
"""How many of the network's best pair synergies the map draws when asked."""

COLOUR_CHOICES = {
    "domaine": N_("le domaine d'activité"),
    "college": N_("le collège"),
    "communaute": N_("la communauté"),
    "pays": N_("le pays"),
}
"""The explorer's colour choices (query value → words, in French: the template translates them)."""
SIZE_CHOICES = {
    "degre": N_("le nombre de liens"),
    "intermediarite": N_("l'intermédiarité"),
    "vecteur-propre": N_("le vecteur propre"),
}

router = APIRouter(tags=["pages"], include_in_schema=False)


def _explorer_context(
    request: Request, index: NetworkIndex, view: ExplorerView, *, embed: bool
) -> dict[str, Any]:
    """What the explorer page and its embed show: the drawing, the counts, the links to share it (in
    English, the links say so: the embed has no switch, and a shared address keeps its language)."""
    lang = current_language()
    focus = page_actor(index, view.acteur).label if view.acteur else None
    picture = explorer_picture(index, view, embed=embed, lang=lang)
    fragment = render_network(
        picture.nodes,
        picture.edges,
        legend=picture.legend,
        element_id="reseau",
        height_px=520 if embed else 720,
        lang=lang,
    )
    countries = Counter(a.country for a in index.actors if a.is_public)
    query = view.query()
    shared = "&".join(part for part in (query, "" if lang == "fr" else f"lang={lang}") if part)
    origin = str(request.base_url).rstrip("/")
    embed_url = f"{origin}/embed/reseau?{shared}" if shared else f"{origin}/embed/reseau"
    return {
        "lang": lang,
        "network": fragment,
        "view": view,
        "picture": picture,
        "actors": sum(countries.values()),
        "countries": {"FR": countries.get("FR", 0), "ES": countries.get("ES", 0)},
        "projects": len(index.projects),
        "focus": focus,
        "territory": territory_name(index, view.territoire, lang) if view.territoire else None,
        "size_words": SIZE_WORDS[view.taille],
        "threshold": format_count(view.seuil, lang=lang),
        "permalink": f"{origin}/?{shared}" if shared else f"{origin}/",
        "embed_url": embed_url,
        "embed_code": embed_code(embed_url),
        "query": query,
    }


def page_actor(index: NetworkIndex, key: str, caller: Caller | None = None) -> ActorRecord:
    """`public_actor`, refused in the page's language (the API's refusal stays French) — or, for the
    animators and for the person themself (`may_see_private`), a person who did not consent to be public."""
    row = index.position.get(key)
    if row is not None and caller is not None and may_see_private(caller, key):
        return index.actors[row]
    try:
        return public_actor(index, key)
    except APIError as error:
        raise APIError(error.status, _("Acteur inconnu : « %(key)s »", key=key)) from None


def may_see_private(caller: Caller, key: str) -> bool:
    """Whether `caller` may see the person `key` though they did not consent to be public: the animators
    (`Audience.sees_private_persons`), and the person themself, logged in with their member's token."""
    return caller.audience.sees_private_persons or (caller.actor == key and not caller.anonymous)


def embed_code(url: str) -> Markup:
    """The ``<iframe>`` snippet another site pastes to show the explorer, as the text of a ``<textarea>``
    (its quotes kept as they are, to read well); its title, read out by screen readers, in the page's
    language."""
    title = html.escape(_("Réseau de coopération — Maillage"))
    snippet = (
        f'<iframe src="{url}" title="{title}" width="100%" height="600" loading="lazy" style="border:0">'
        "</iframe>"
    )
    return Markup(html.escape(snippet, quote=False))


@router.get("/", response_class=HTMLResponse)
def network_page(
    request: Request,
    index: IndexDep,
    state: StateDep,
    view: Annotated[ExplorerView, Depends(explorer_view)],
) -> HTMLResponse:
    """The network explorer: colour, size, filters, focus actor, grouping beyond a threshold; every choice in
    the query string, so the address is the permalink."""
    public = [a for a in index.actors if a.is_public]
    choices = {
        facet.name: facet.values
        for facet in facets(index, public, current_language())
        if facet.name in ("domaine", "college")
    }
    return render_page(
        request,
        "network.html",
        **_explorer_context(request, index, view, embed=False),
        choices=choices,
        colour_modes=COLOUR_CHOICES,
        size_modes=SIZE_CHOICES,
        jsonld=kept(index, ("network-jsonld",), lambda: network_page_jsonld(state.store, index)),
    )


@router.get("/embed/reseau", response_class=HTMLResponse)
def network_embed(
    request: Request, index: IndexDep, view: Annotated[ExplorerView, Depends(explorer_view)]
) -> HTMLResponse:
    """The explorer's picture alone, read-only, public data only whoever asks, to put in an <iframe> on any
    site (`maillage.api.headers`: ``frame-ancestors *`` for /embed/ only)."""
    context = _explorer_context(request, index, view, embed=True)
    context.update(scripts=script_urls(), stylesheets=[*stylesheet_urls(), "/static/maillage-pages.css"])
    return templates.TemplateResponse(request, "embed.html", context)


DASHBOARD_GAPS = 8
"""Unmet needs and thin fields listed on the dashboard (the API lists them all)."""


@router.get("/tableau-de-bord", response_class=HTMLResponse)
def dashboard_page(request: Request, index: IndexDep, state: StateDep) -> HTMLResponse:
    """Counts, growth since the network's start, actors by type, and the gaps: needs nobody offers and
    fields with one actor or none. Public view only."""
    lang = current_language()
    public = [a for a in index.actors if a.is_public]
    years = evolution(index, read_dated_network(state.store, index), until=dt.date.today().year)
    members, projects = _("membres"), _("projets actifs")
    chart = render_bar_chart(
        [str(y.year) for y in years.years],
        {
            members: [y.members for y in years.years],
            projects: [y.projects for y in years.years],
        },
        {members: CATEGORY_COLORS[0], projects: CATEGORY_COLORS[2]},
        element_id="croissance",
        title=_("Membres et projets actifs, année par année"),
        lang=lang,
    )
    types = Counter(label(index, a.actor_type, lang) for a in public if a.actor_type is not None)
    last = years.years[-1] if years.years else None
    return render_page(
        request,
        "dashboard.html",
        actors=len(public),
        france=sum(1 for a in public if a.country == "FR"),
        spain=sum(1 for a in public if a.country == "ES"),
        projects=len(index.projects),
        members=last.members if last else 0,
        start_year=years.start_year,
        links=last.links if last else 0,
        chart=chart,
        types=sorted(types.items(), key=lambda item: (-item[1], fold(item[0]))),
        needs=[g.sentence(index, lang) for g in need_gaps(index)[:DASHBOARD_GAPS]],
        needs_total=len(need_gaps(index)),
        fields=[g.sentence(index, lang) for g in field_gaps(index, max_actors=1)[:DASHBOARD_GAPS]],
        fields_total=len(field_gaps(index, max_actors=1)),
    )


@router.get("/carte", response_class=HTMLResponse)
def map_page(
    request: Request,
    index: IndexDep,
    couleur: Annotated[Literal["domaine", "college"], Query()] = "domaine",
    synergies: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """The actors on the communes of 64/40 and the municipalities across the border, coloured like the
    network page, communes shaded by their number of actors; the network's best pair synergies (needs met,
    affinities, triangles to close) drawn as dashed lines on demand."""
    suggested = (
        network_synergies(index, kinds=(COMPLEMENTARITY, AFFINITY, TRIANGLE), limit=MAP_SYNERGIES)
        if synergies
        else []
    )
    lang = current_language()
    nodes, edges, areas, places = map_picture(index, mode=couleur, suggestions=suggested, lang=lang)  # type: ignore[arg-type]
    fragment = render_map(nodes, edges, areas=areas, places=places, element_id="carte", lang=lang)
    unplaced = sum(1 for a in index.actors if a.is_public and (a.lat is None or a.lon is None))
    return render_page(
        request,
        "map.html",
        map=fragment,
        couleur=couleur,
        synergies=synergies,
        shown_synergies=len(edges),
        actors=len(nodes),
        unplaced=unplaced,
    )


def search_rank(actor: ActorRecord, q: str | None) -> tuple[bool, str]:
    """Actors whose name holds every word first, then the others; by name, accents and case ignored."""
    name = fold(actor.label)
    return (bool(q) and not all(word in name for word in fold(q).split()), name)


@router.get("/recherche", response_class=HTMLResponse)
def search_page(
    request: Request,
    index: IndexDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    domaine: Annotated[str | None, Query(max_length=100)] = None,
    type: Annotated[str | None, Query(max_length=100)] = None,  # noqa: A002 - the page's own word
    college: Annotated[str | None, Query(max_length=100)] = None,
    propose: Annotated[str | None, Query(max_length=100)] = None,
    recherche: Annotated[str | None, Query(max_length=100)] = None,
    epci: Annotated[str | None, Query(max_length=20)] = None,
    pays: Annotated[Literal["FR", "ES"] | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """One box and facets: words in the name, description or commune; field, type, college, resource
    offered or needed, EPCI, country — each facet value with its count among the actors found."""
    chosen = {
        "q": q,
        "domaine": domaine,
        "type": type,
        "college": college,
        "propose": propose,
        "recherche": recherche,
        "epci": epci,
        "pays": pays,
    }
    query = ActorQuery(
        q=q,
        field=domaine,
        type_=type,
        college=college,
        offers=propose,
        needs=recherche,
        epci=epci,
        country=pays,
    )
    lang = current_language()
    found = sorted(matching_actors(index, query), key=lambda a: search_rank(a, q))
    pages = max(1, -(-len(found) // SEARCH_PAGE_SIZE))
    shown = found[(page - 1) * SEARCH_PAGE_SIZE : page * SEARCH_PAGE_SIZE]
    return render_page(
        request,
        "search.html",
        q=q or "",
        chosen={k: v for k, v in chosen.items() if v},
        facets=facets(index, found, lang),
        results=[
            {
                "key": a.key,
                "name": a.label,
                "type": label(index, a.actor_type, lang),
                "place": a.commune_label + (f" ({a.epci_label})" if a.epci_label else ""),
                "country": a.country,
                "fields": [label(index, f, lang) for f in a.fields],
            }
            for a in shown
        ],
        count=len(found),
        page=page,
        pages=pages,
        first=(page - 1) * SEARCH_PAGE_SIZE + 1,  # the list's numbering goes on from the previous page
    )


#: The actor page draws at most this many of the actor's neighbours, the nearest (`ego_keys`); the explorer
#: draws them all. A hub of the generated 25,000-actor network has 2,054 partners: drawn whole, its page
#: took 1 s to lay out, and more than 2 s under load.
ACTOR_PAGE_NEIGHBOURS = 150
#: The actor page lists this many of the actor's projects, the newest first, and links to the list of them
#: all (`/projets?acteur=`): the generated network's busiest actor takes part in about 400, a page of
#: 22,000 pixels.
ACTOR_PAGE_PROJECTS = 10


def _project_order(index: NetworkIndex, key: str) -> tuple[str, str]:
    """Sorted in reverse, the newest project first and those without a start last, as the list's."""
    start = index.projects[index.project_position[key]].start
    return (start.isoformat() if start else "", key)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: str,
    index: IndexDep,
    state: StateDep,
    caller: CallerDep,
    profondeur: Annotated[int, Query(ge=1, le=3)] = 1,
) -> HTMLResponse:
    """One actor: who, where, fields, offers and needs, projects, the synergies suggested with their reasons,
    and its neighbourhood in the network; contacts for the network's eyes only."""
    lang = current_language()
    actor = page_actor(index, actor_id, caller)
    detail = actor_detail(index, actor, lang)
    contacts = actor_contacts(state.store, actor, caller.audience)  # none for the public
    synergies = synergies_for_actor(index, actor_id, limit=10)  # with public actors only, whoever asks
    neighbourhood = ego_keys(index, actor_id, depth=profondeur)
    drawn = ego_keys(index, actor_id, depth=profondeur, limit=ACTOR_PAGE_NEIGHBOURS)
    around = set(drawn) | {s.target for s in synergies}
    nodes, edges, legend = network_picture(
        index,
        sorted(around),
        suggestions=synergies,
        aspect=2.0,  # the actor page draws in a wide, low frame
        lang=lang,
        shown_private=[key for key in around if may_see_private(caller, key)],
    )
    fragment = render_network(nodes, edges, legend=legend, element_id="ego", height_px=480, lang=lang)
    projects = sorted(detail.projects, key=lambda p: _project_order(index, p.id), reverse=True)
    return render_page(
        request,
        "actor.html",
        actor=detail,
        projects=projects[:ACTOR_PAGE_PROJECTS],
        project_count=len(projects),
        network=fragment,
        depth=profondeur,
        # the neighbours drawn and how many there are, when not all are drawn
        drawn_neighbours=(len(drawn) - 1, len(neighbourhood) - 1)
        if len(drawn) < len(neighbourhood)
        else None,
        synergies=[synergy_public(index, s, lang) for s in synergies],
        type_label=label(index, actor.actor_type, lang),
        jsonld=actor_jsonld(state.store, actor) if actor.is_public else None,  # for search engines
        private=not actor.is_public,
        contacts=contacts,
        phone=phone_display(contacts["telephone"]) if contacts["telephone"] else None,
    )
