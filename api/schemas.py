"""Public shapes of the API answers (`{data, count}` envelopes)."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

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
    #: for an entity of a public dataset (GoGoCarto, EU funds, ESF…): its name and licence, in words
    dataset: str | None = None
    licence: str | None = None


class ActorDetail(ActorPublic):
    offers: list[ConceptRef]
    needs: list[ConceptRef]
    projects: list[ProjectRef]
    partners: list[str]
    homepage: str | None
    provenance: ProvenancePublic | None = None
    #: contact details, for the roles that may see them (`maillage.graph.privacy`); null otherwise
    email: str | None = Field(None, description="Courriel : pour les membres et les animateur·rices")
    telephone: str | None = Field(
        None, description="Téléphone (format international) : pour les membres et les animateur·rices"
    )
    internal_note: str | None = Field(None, description="Note interne : pour les animateur·rices")


class ActorRef(BaseModel):
    id: str
    name: str


class ProjectName(BaseModel):
    id: str
    name: str


class LinkPublic(BaseModel):
    """A collaboration already recorded: the projects two actors share, and whether they are partners."""

    source: str
    target: str
    projects: list[ProjectName]
    partnership: bool


class ReasonPublic(BaseModel):
    kind: str
    concepts: list[ConceptRef]
    weight: float
    sentence: str
    #: intermediaries (triangle), members of a pooling group (the group's own reason), nobody otherwise
    actors: list[ActorRef] = []
    #: the collaborations a triangle or a cross-border link rests on
    links: list[LinkPublic] = []
    #: pooling: how many actors need the resource, and who offers it (or a neighbouring concept): the first
    #: `OFFERERS_LISTED` of them, `offerers_count` in all
    demand: int | None = None
    offerers: list[ActorRef] = []
    offerers_count: int | None = None


#: The kinds of items that pair two actors (pooling groups are `PoolingPublic`).
PairKind = Literal["complementarite", "affinite", "triangle", "combine"]


class SynergyPublic(BaseModel):
    """A suggested cooperation between two actors (pooling groups are `PoolingPublic`)."""

    kind: PairKind
    source: str
    target: str
    source_name: str
    target_name: str
    score: float
    components: dict[str, float]
    kinds: list[str]
    distance_km: float | None
    cross_border: bool
    sentence: str
    reasons: list[ReasonPublic]


class MemberPublic(BaseModel):
    id: str
    name: str
    commune: str
    country: str | None


class PoolingPublic(BaseModel):
    """A pooling opportunity: nearby actors needing a resource the network lacks."""

    kind: Literal["mutualisation"]
    resource: ConceptRef
    members: list[MemberPublic]
    #: the member the group was formed around (every member is within 25 km of it)
    centre: ActorRef
    score: float
    components: dict[str, float]
    kinds: list[str]
    demand: int
    supply: float
    rarity: float
    offerers: list[ActorRef]
    span_km: float | None
    cross_border: bool
    sentence: str
    reasons: list[ReasonPublic]


#: An item of a synergy list: a pair, or a pooling group; `kind` says which.
SynergyItem = Annotated[SynergyPublic | PoolingPublic, Field(discriminator="kind")]


class BridgePublic(BaseModel):
    """An actor working on both sides of the border."""

    actor: str
    name: str
    country: str | None
    score: float
    same_side: list[ActorRef]
    other_side: list[ActorRef]
    projects: list[ProjectName]
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
