"""/api/actors: the members and partners of the network, their details and their synergies."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from maillage.api.answers import cached_json
from maillage.api.auth import CallerDep
from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.present import actor_contacts, actor_detail, actor_public, public_actor, synergy_item
from maillage.api.routers.synergies import KIND_HELP, KindName, SynergyFiltersDep, filter_errors
from maillage.api.schemas import ActorDetail, ActorPublic, Page, ProvenancePublic, SynergyItem
from maillage.api.search import ActorQuery, matching_actors
from maillage.graph.synergies import (
    CROSS_BORDER,
    KINDS,
    Pooling,
    Ranked,
    Synergy,
    affinities,
    complementarities,
    poolings_for_actor,
    synergies_for_actor,
    triangles,
)
from maillage.ingest.edit_entities import entity_etag
from maillage.ingest.provenance import read_provenance

router = APIRouter(prefix="/api/actors", tags=["acteurs"])


@router.get("", response_model=Page[ActorPublic], summary="Lister et filtrer les acteurs")
def list_actors(
    index: IndexDep,
    field: Annotated[str | None, Query(description="clé d'un domaine (sous-domaines inclus)")] = None,
    type: Annotated[str | None, Query(description="clé d'un type d'acteur")] = None,  # noqa: A002
    college: Annotated[str | None, Query(description="clé d'un collège")] = None,
    commune: Annotated[str | None, Query(description="code INSEE ou INE de la commune")] = None,
    epci: Annotated[str | None, Query(description="SIREN de l'EPCI")] = None,
    country: Annotated[Literal["FR", "ES", "fr", "es"] | None, Query(description="pays : FR ou ES")] = None,
    offers: Annotated[
        str | None, Query(description="clé d'une ressource proposée (ressources plus précises incluses)")
    ] = None,
    needs: Annotated[
        str | None, Query(description="clé d'une ressource recherchée (ressources plus précises incluses)")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="mots cherchés dans le nom et la description")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[
        Literal["name", "-name", "id", "-id"] | None,
        Query(description="tri : name (nom), id (identifiant) ; « - » devant pour l'ordre inverse"),
    ] = None,
    lang: LangDep = "fr",
) -> Page[ActorPublic]:
    query = ActorQuery(
        q=q,
        field=field,
        type_=type,
        college=college,
        offers=offers,
        needs=needs,
        commune=commune,
        epci=epci,
        country=country,
    )
    found = matching_actors(index, query)
    if sort is not None:
        by_name = sort.lstrip("-") == "name"
        found = sorted(found, key=lambda a: (a.label.casefold(), a.key) if by_name else a.key)
        found = found[::-1] if sort.startswith("-") else found
    return Page[ActorPublic](
        data=[actor_public(index, a, lang) for a in found[offset : offset + limit]], count=len(found)
    )


@router.get(
    "/{actor_id}",
    response_model=ActorDetail,
    summary="Un acteur (en-tête ETag : sa version, à renvoyer en If-Match pour le modifier)",
    description="Courriel et téléphone pour un jeton member ou plus, note interne pour un jeton animator ; "
    "null sinon. La version (ETag) est celle que voit le rôle de l'appelant : la lire avec le jeton qui "
    "modifiera.",
    responses={
        200: {"headers": {"ETag": {"description": "Version de l'acteur", "schema": {"type": "string"}}}}
    },
)
def get_actor(
    actor_id: str,
    index: IndexDep,
    state: StateDep,
    response: Response,
    caller: CallerDep,
    lang: LangDep = "fr",
) -> ActorDetail:
    actor = public_actor(index, actor_id)
    etag = entity_etag(state.store, "actor", actor_id, audience=caller.audience)
    if etag is not None:
        response.headers["ETag"] = etag
    detail = actor_detail(index, actor, lang)
    for name, value in actor_contacts(state.store, actor, caller.audience).items():
        setattr(detail, name, value)
    found = read_provenance(state.store, actor.iri)
    detail.provenance = ProvenancePublic(
        source=found.source,
        created=found.created,
        modified=found.modified,
        created_by=found.created_by,
        runs=list(found.runs),
        dataset=found.dataset,
        licence=found.licence,
    )
    return detail


@router.get(
    "/{actor_id}/synergies",
    response_model=Page[SynergyItem],
    summary="Les synergies d'un acteur, classées et expliquées",
)
async def actor_synergies(
    request: Request,
    actor_id: str,
    index: IndexDep,
    state: StateDep,
    filters: SynergyFiltersDep,
    kind: Annotated[list[KindName] | None, Query(description=KIND_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Response:
    """Un seul type demandé : les éléments de ce type (paires, ou groupes de mutualisation dont l'acteur
    est membre) avec leur score brut. Plusieurs types, ou aucun : le classement combiné, un élément par
    autre acteur, ``Σ poids · score / maximum du type``, chacun disant quels types y ont contribué
    (`kinds`). « transfrontalier » ajoute le filtre `cross_border_only`. Les filtres portent sur l'autre
    acteur ; `exclude_linked` ne retire pas de membres aux groupes de mutualisation (ce ne sont pas des
    paires) ; affinité et triangle ne proposent jamais d'acteurs déjà liés. `count` compte tous les
    éléments trouvés, avant la pagination."""
    public_actor(index, actor_id)
    asked = set(kind or ())
    kinds = tuple(k for k in KINDS if k in asked) or KINDS
    options = filters.options(limit=limit, offset=offset, cross_border_only=CROSS_BORDER in asked)

    def answer() -> Page[SynergyItem]:
        items: Ranked[Synergy] | Ranked[Pooling]
        with filter_errors():
            if kinds == ("complementarite",):
                items = complementarities(index, actor_id, exclude_linked=filters.exclude_linked, **options)
            elif kinds == ("mutualisation",):
                items = poolings_for_actor(index, actor_id, **options)
            elif kinds == ("affinite",):
                items = affinities(index, actor_id, **options)
            elif kinds == ("triangle",):
                items = triangles(index, actor_id, **options)
            else:
                items = synergies_for_actor(
                    index, actor_id, kinds=kinds, exclude_linked=filters.exclude_linked, **options
                )
        return Page[SynergyItem](data=[synergy_item(index, s, lang) for s in items], count=items.total)

    question = ("actor", actor_id, kinds, tuple(sorted(options.items())), filters.exclude_linked, lang)
    return await cached_json(request, state.answers, index, question, answer)
