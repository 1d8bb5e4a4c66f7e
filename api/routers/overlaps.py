"""/api/overlaps: who already does the same thing nearby (subsidiarity), and probable duplicate records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel
from rdflib import URIRef

from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.present import concept_ref, public_actor
from maillage.api.schemas import ConceptRef, Page
from maillage.graph.index import NetworkIndex
from maillage.graph.overlaps import (
    DEFAULT_RADIUS_KM,
    DuplicateCandidate,
    Overlap,
    duplicate_records,
    overlap_page,
)

router = APIRouter(prefix="/api/overlaps", tags=["chevauchements"])


class OverlapReasonPublic(BaseModel):
    """``offres-communes`` / ``domaines-communs``: what both declare; ``offres-voisines`` /
    ``domaines-voisins``: the source's concept then the target's, one level apart in the taxonomy."""

    kind: str
    concepts: list[ConceptRef]
    weight: float


class OverlapPublic(BaseModel):
    source: str
    target: str
    source_name: str
    target_name: str
    score: float
    components: dict[str, float]
    shared_offers: list[ConceptRef]
    shared_fields: list[ConceptRef]
    distance_km: float | None
    same_commune: bool
    cross_border: bool
    linked: bool
    sentence: str
    reasons: list[OverlapReasonPublic]


class DuplicateEvidencePublic(BaseModel):
    """``siret``, ``siren``, ``rna``, ``nif`` (`value`: the shared identifier) or ``nom`` (`value`: the
    similarity 0–100; `values`: the two names as compared)."""

    kind: str
    value: str
    values: list[str]
    similarity: float | None


class DuplicatePublic(BaseModel):
    source: str
    target: str
    source_name: str
    target_name: str
    certainty: Literal["certain", "probable"]
    name_similarity: float
    distance_km: float | None
    same_commune: bool
    sentence: str
    evidence: list[DuplicateEvidencePublic]


def _name(index: NetworkIndex, key: str) -> str:
    return index.actors[index.position[key]].label


def _refs(index: NetworkIndex, concepts: Iterable[URIRef], lang: str) -> list[ConceptRef]:
    return [ref for ref in (concept_ref(index, c, lang) for c in concepts) if ref is not None]


def overlap_public(index: NetworkIndex, overlap: Overlap, lang: str = "fr") -> OverlapPublic:
    return OverlapPublic(
        source=overlap.source,
        target=overlap.target,
        source_name=_name(index, overlap.source),
        target_name=_name(index, overlap.target),
        score=round(overlap.score, 6),
        components={k: round(v, 6) for k, v in overlap.components.items()},
        shared_offers=_refs(index, overlap.shared_offers, lang),
        shared_fields=_refs(index, overlap.shared_fields, lang),
        distance_km=round(overlap.distance_km, 1) if overlap.distance_km is not None else None,
        same_commune=overlap.same_commune,
        cross_border=overlap.cross_border,
        linked=overlap.linked,
        sentence=overlap.sentence(index, lang),
        reasons=[
            OverlapReasonPublic(
                kind=reason.kind, concepts=_refs(index, reason.concepts, lang), weight=round(reason.weight, 6)
            )
            for reason in overlap.reasons
        ],
    )


def duplicate_public(index: NetworkIndex, candidate: DuplicateCandidate, lang: str = "fr") -> DuplicatePublic:
    return DuplicatePublic(
        source=candidate.source,
        target=candidate.target,
        source_name=_name(index, candidate.source),
        target_name=_name(index, candidate.target),
        certainty=candidate.certainty,
        name_similarity=round(candidate.name_similarity, 1),
        distance_km=round(candidate.distance_km, 1) if candidate.distance_km is not None else None,
        same_commune=candidate.same_commune,
        sentence=candidate.sentence(index, lang),
        evidence=[
            DuplicateEvidencePublic(
                kind=e.kind,
                value=e.value,
                values=list(e.values),
                similarity=round(e.similarity, 1) if e.similarity is not None else None,
            )
            for e in candidate.evidence
        ],
    )


@router.get(
    "",
    response_model=Page[OverlapPublic],
    summary="Les chevauchements d'activité : qui fait déjà la même chose à proximité",
)
def list_overlaps(
    index: IndexDep,
    actor: Annotated[
        str | None, Query(description="identifiant d'un acteur : ses chevauchements seulement")
    ] = None,
    radius_km: Annotated[
        float, Query(gt=0, le=1000, description="distance maximale entre les deux acteurs, en km")
    ] = DEFAULT_RADIUS_KM,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Page[OverlapPublic]:
    if actor is not None:
        public_actor(index, actor)
    page = overlap_page(index, actor_key=actor, radius_km=radius_km, limit=limit, offset=offset)
    return Page[OverlapPublic](data=[overlap_public(index, o, lang) for o in page.items], count=page.count)


@router.get(
    "/duplicates",
    response_model=Page[DuplicatePublic],
    summary="Les doublons probables : même SIREN, RNA ou NIF, ou noms presque identiques au même endroit",
)
def list_duplicates(
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Page[DuplicatePublic]:
    index = state.index()
    found = duplicate_records(index, state.store, limit=None)
    return Page[DuplicatePublic](
        data=[duplicate_public(index, c, lang) for c in found[offset : offset + limit]], count=len(found)
    )
