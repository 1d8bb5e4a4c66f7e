"""HTML pages: the whole network (/), the dashboard (/tableau-de-bord), the map (/carte), the search
(/recherche) and one actor (/actors/{id}), French first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from maillage.api.auth import CallerDep
from maillage.api.deps import IndexDep, StateDep
from maillage.api.explorer import (
    SIZE_WORDS,
    ExplorerView,
    explorer_picture,
    explorer_view,
    territory_name,
)
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

SEARCH_PAGE_SIZE = 30
"""Actors listed per page of the search."""

MAP_SYNERGIES = 40
"""How many of the network's best pair synergies the map draws when asked."""

COLOUR_CHOICES = {
    "domaine": "le domaine d'activité",
    "college": "le collège",
    "communaute": "la communauté",
    "pays": "le pays",
}
SIZE_CHOICES = {
    "degre": "le nombre de liens",
    "intermediarite": "l'intermédiarité",
    "vecteur-propre": "le vecteur propre",
}

router = APIRouter(tags=["pages"], include_in_schema=False)


def _explorer_context(
    request: Request, index: NetworkIndex, view: ExplorerView, *, embed: bool
) -> dict[str, Any]:
    """What the explorer page and its embed show: the drawing, the counts, the links to share it."""
    picture = explorer_picture(index, view, embed=embed)
    fragment = render_network(
        picture.nodes,
        picture.edges,
        legend=picture.legend,
        element_id="reseau",
        height_px=520 if embed else 720,
    )
    countries = Counter(a.country for a in index.actors if a.is_public)
    query = view.query()
    origin = str(request.base_url).rstrip("/")
    focus = public_actor(index, view.acteur).label if view.acteur else None
    return {
        "network": fragment,
        "view": view,
        "picture": picture,
        "actors": sum(countries.values()),
        "countries": {"FR": countries.get("FR", 0), "ES": countries.get("ES", 0)},
        "projects": len(index.projects),
        "focus": focus,
        "territory": territory_name(index, view.territoire) if view.territoire else None,
        "size_words": SIZE_WORDS[view.taille],
        "permalink": f"{origin}/?{query}" if query else f"{origin}/",
        "embed_url": f"{origin}/embed/reseau?{query}" if query else f"{origin}/embed/reseau",
        "query": query,
    }


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
        facet.name: facet.values for facet in facets(index, public) if facet.name in ("domaine", "college")
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
    public = [a for a in index.actors if a.is_public]
    years = evolution(index, read_dated_network(state.store, index), until=dt.date.today().year)
    chart = render_bar_chart(
        [str(y.year) for y in years.years],
        {
            "membres": [y.members for y in years.years],
            "projets actifs": [y.projects for y in years.years],
        },
        {"membres": CATEGORY_COLORS[0], "projets actifs": CATEGORY_COLORS[2]},
        element_id="croissance",
        title="Membres et projets actifs, année par année",
    )
    types = Counter(label(index, a.actor_type) for a in public if a.actor_type is not None)
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
        needs=[g.sentence(index) for g in need_gaps(index)[:DASHBOARD_GAPS]],
        needs_total=len(need_gaps(index)),
        fields=[g.sentence(index) for g in field_gaps(index, max_actors=1)[:DASHBOARD_GAPS]],
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
    nodes, edges, areas, places = map_picture(index, mode=couleur, suggestions=suggested)  # type: ignore[arg-type]
    fragment = render_map(nodes, edges, areas=areas, places=places, element_id="carte")
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
    found = sorted(matching_actors(index, query), key=lambda a: search_rank(a, q))
    pages = max(1, -(-len(found) // SEARCH_PAGE_SIZE))
    shown = found[(page - 1) * SEARCH_PAGE_SIZE : page * SEARCH_PAGE_SIZE]
    return render_page(
        request,
        "search.html",
        q=q or "",
        chosen={k: v for k, v in chosen.items() if v},
        facets=facets(index, found),
        results=[
            {
                "key": a.key,
                "name": a.label,
                "type": label(index, a.actor_type),
                "place": a.commune_label + (f" ({a.epci_label})" if a.epci_label else ""),
                "country": a.country,
                "fields": [label(index, f) for f in a.fields],
            }
            for a in shown
        ],
        count=len(found),
        page=page,
        pages=pages,
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: str,
    index: IndexDep,
    state: StateDep,
    caller: CallerDep,
    profondeur: Annotated[int, Query(ge=1, le=3)] = 1,
) -> HTMLResponse:
    actor = public_actor(index, actor_id)
    detail = actor_detail(index, actor)
    contacts = actor_contacts(state.store, actor, caller.audience)  # none for the public
    synergies = synergies_for_actor(index, actor_id, limit=10)
    nodes, edges, legend = network_picture(
        index,
        sorted(set(ego_keys(index, actor_id, depth=profondeur)) | {s.target for s in synergies}),
        suggestions=synergies,
        aspect=2.0,  # the actor page draws in a wide, low frame
    )
    fragment = render_network(nodes, edges, legend=legend, element_id="ego", height_px=480)
    return render_page(
        request,
        "actor.html",
        actor=detail,
        network=fragment,
        depth=profondeur,
        synergies=[synergy_public(index, s) for s in synergies],
        type_label=label(index, actor.actor_type),
        jsonld=actor_jsonld(state.store, actor),
        contacts=contacts,
        phone=phone_display(contacts["telephone"]) if contacts["telephone"] else None,
    )
