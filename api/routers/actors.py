"""/api/actors: the members and partners of the network, their details and their synergies."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from rdflib import URIRef

from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.errors import APIError
from maillage.api.present import actor_detail, actor_public, public_actor, synergy_public
from maillage.api.schemas import ActorDetail, ActorPublic, Page, ProvenancePublic, SynergyPublic
from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.synergies import synergies_for_actor
from maillage.ingest.concepts import normalise as fold
from maillage.ingest.provenance import read_provenance
from maillage.ontology.iri import key_of

router = APIRouter(prefix="/api/actors", tags=["acteurs"])

KINDS = ("complementarite", "affinite")


def narrower_closure(index: NetworkIndex, key: str, scheme_part: str) -> set[URIRef]:
    """The concept named by `key` and every concept below it (a filter on a field includes its sub-fields)."""
    roots = {
        iri for iri in index.concepts if f"/concept/{scheme_part}/" in str(iri) and key_of(str(iri)) == key
    }
    if not roots:
        raise APIError(
            422,
            f"Concept inconnu : « {key} »",
            details=[{"parametre": scheme_part, "valeur": key, "regle": "clé de concept inconnue"}],
        )
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for iri, record in index.concepts.items():
            if iri not in found and any(b in found for b in record.broader):
                found.add(iri)
                changed = True
    return found


def matching_actors(
    index: NetworkIndex,
    *,
    field: str | None,
    type_: str | None,
    college: str | None,
    commune: str | None,
    epci: str | None,
    country: str | None,
    q: str | None,
) -> list[ActorRecord]:
    fields = narrower_closure(index, field, "field") if field else None
    types = narrower_closure(index, type_, "actor-type") if type_ else None
    colleges = narrower_closure(index, college, "college") if college else None
    words = fold(q).split() if q else []
    found = []
    for actor in index.actors:
        if not actor.is_public:
            continue
        if fields is not None and not fields.intersection(actor.fields):
            continue
        if types is not None and actor.actor_type not in types:
            continue
        if colleges is not None and actor.college not in colleges:
            continue
        if commune and (actor.commune is None or key_of(str(actor.commune)) != commune):
            continue
        if epci and (actor.epci is None or key_of(str(actor.epci)) != epci):
            continue
        if country and actor.country != country.upper():
            continue
        if words:
            text = fold(f"{actor.label} {actor.description} {actor.commune_label}")
            if not all(word in text for word in words):
                continue
        found.append(actor)
    return found


@router.get("", response_model=Page[ActorPublic], summary="Lister et filtrer les acteurs")
def list_actors(
    index: IndexDep,
    field: Annotated[str | None, Query(description="clé d'un domaine (sous-domaines inclus)")] = None,
    type: Annotated[str | None, Query(description="clé d'un type d'acteur")] = None,  # noqa: A002
    college: Annotated[str | None, Query(description="clé d'un collège")] = None,
    commune: Annotated[str | None, Query(description="code INSEE ou INE de la commune")] = None,
    epci: Annotated[str | None, Query(description="SIREN de l'EPCI")] = None,
    country: Annotated[Literal["FR", "ES", "fr", "es"] | None, Query(description="pays : FR ou ES")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="mots cherchés dans le nom et la description")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Page[ActorPublic]:
    found = matching_actors(
        index, field=field, type_=type, college=college, commune=commune, epci=epci, country=country, q=q
    )
    return Page[ActorPublic](
        data=[actor_public(index, a, lang) for a in found[offset : offset + limit]], count=len(found)
    )


@router.get("/{actor_id}", response_model=ActorDetail, summary="Un acteur")
def get_actor(actor_id: str, index: IndexDep, state: StateDep, lang: LangDep = "fr") -> ActorDetail:
    actor = public_actor(index, actor_id)
    detail = actor_detail(index, actor, lang)
    found = read_provenance(state.store, actor.iri)
    detail.provenance = ProvenancePublic(
        source=found.source,
        created=found.created,
        modified=found.modified,
        created_by=found.created_by,
        runs=list(found.runs),
    )
    return detail


@router.get(
    "/{actor_id}/synergies",
    response_model=Page[SynergyPublic],
    summary="Les synergies d'un acteur, classées et expliquées",
)
def actor_synergies(
    actor_id: str,
    index: IndexDep,
    kind: Annotated[list[Literal["complementarite", "affinite"]] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    radius_km: Annotated[float | None, Query(gt=0, le=2000)] = None,
    lang: LangDep = "fr",
) -> Page[SynergyPublic]:
    public_actor(index, actor_id)
    items = synergies_for_actor(index, actor_id, kinds=tuple(kind or KINDS), limit=limit, radius_km=radius_km)
    return Page[SynergyPublic](data=[synergy_public(index, s, lang) for s in items], count=len(items))
