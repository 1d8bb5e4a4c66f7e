"""HTML pages: the whole network (/), the map (/carte) and one actor (/actors/{id}), French first."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from maillage.api.deps import IndexDep
from maillage.api.present import actor_detail, label, public_actor, synergy_public
from maillage.api.templating import render_page
from maillage.api.views import ego_keys, map_picture, network_picture
from maillage.graph.synergies import (
    AFFINITY,
    COMPLEMENTARITY,
    TRIANGLE,
    network_synergies,
    synergies_for_actor,
)
from maillage.viz.map import render_map
from maillage.viz.network import render_network

MAP_SYNERGIES = 40
"""How many of the network's best pair synergies the map draws when asked."""

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def network_page(
    request: Request,
    index: IndexDep,
    couleur: Annotated[Literal["domaine", "college"], Query()] = "domaine",
) -> HTMLResponse:
    keys = [a.key for a in index.actors if a.is_public]
    nodes, edges, legend = network_picture(index, keys, mode=couleur)
    fragment = render_network(nodes, edges, legend=legend, element_id="reseau", height_px=720)
    countries = {"FR": 0, "ES": 0}
    for actor in index.actors:
        if actor.is_public and actor.country in countries:
            countries[actor.country] += 1
    return render_page(
        request,
        "network.html",
        network=fragment,
        couleur=couleur,
        actors=len(keys),
        projects=len(index.projects),
        countries=countries,
        edges=len(edges),
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


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: str,
    index: IndexDep,
    profondeur: Annotated[int, Query(ge=1, le=3)] = 1,
) -> HTMLResponse:
    actor = public_actor(index, actor_id)
    detail = actor_detail(index, actor)
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
    )
