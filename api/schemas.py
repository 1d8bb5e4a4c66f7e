"""Public shapes of the API answers (`{data, count}` envelopes)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class ConceptRef(BaseModel):
    key: str
    iri: str
    label: str


class PlaceRef(BaseModel):
    code: str
    iri: str
    label: str


class ActorPublic(BaseModel):
    id: str
    iri: str
    name: str
    type: ConceptRef | None
    fields: list[ConceptRef]
    commune: PlaceRef | None
    epci: PlaceRef | None
    country: str | None
    lat: float | None
    lon: float | None
    college: ConceptRef | None
    description: str
    url: str


class ProjectRef(BaseModel):
    id: str
    name: str
    role: ConceptRef | None


class ProvenancePublic(BaseModel):
    source: str | None
    created: str | None
    modified: str | None
    created_by: str | None
    runs: list[str]


class ActorDetail(ActorPublic):
    offers: list[ConceptRef]
    needs: list[ConceptRef]
    projects: list[ProjectRef]
    partners: list[str]
    homepage: str | None
    provenance: ProvenancePublic | None = None


class ReasonPublic(BaseModel):
    kind: str
    concepts: list[ConceptRef]
    weight: float
    sentence: str


class SynergyPublic(BaseModel):
    kind: str
    source: str
    target: str
    source_name: str
    target_name: str
    score: float
    components: dict[str, float]
    distance_km: float | None
    cross_border: bool
    sentence: str
    reasons: list[ReasonPublic]


class FieldPublic(BaseModel):
    key: str
    iri: str
    labels: dict[str, str]
    broader: list[str]
    actors: int


class ParticipantPublic(BaseModel):
    actor: str
    name: str
    role: ConceptRef | None


class ProjectPublic(BaseModel):
    id: str
    iri: str
    name: str
    description: str
    fields: list[ConceptRef]
    status: ConceptRef | None
    start: str | None
    end: str | None
    participants: list[ParticipantPublic]


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int
