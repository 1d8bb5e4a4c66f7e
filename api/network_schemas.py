"""The answers of /api/network, as the OpenAPI document describes them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

SortKey = Literal["betweenness", "degree", "eigenvector"]


class ActorRefPublic(BaseModel):
    id: str
    name: str


class GroupPublic(BaseModel):
    key: str
    iri: str | None
    label: str
    count: int


class ActorMetricsPublic(BaseModel):
    id: str
    name: str
    degree: int
    degree_centrality: float
    betweenness: float
    betweenness_error: float
    eigenvector: float


class BetweennessErrorPublic(BaseModel):
    """How far a sampled betweenness may be from the exact one (normalised values)."""

    standard_error_max: float
    standard_error_mean: float
    top_relative_error: float
    hoeffding_bound: float
    hoeffding_risk: float
    batches: int
    sources: int
    seed: int | None


class MetricsPage(BaseModel):
    data: list[ActorMetricsPublic]
    count: int
    sort: SortKey
    #: "exact" or "échantillonné (k=…, graine=…)"
    method: str
    error: BetweennessErrorPublic | None
    sentence: str
    eigenvector_method: str
    actors: int
    links: int


class BrokerPublic(BaseModel):
    """`own_groups`: the actor's own groups, each with its collaborators in it; `groups`: all its
    collaborators' groups."""

    id: str
    name: str
    dimension: str
    score: float
    degree: int
    own_groups: list[GroupPublic]
    groups: list[GroupPublic]
    sentence: str


class BrokerPage(BaseModel):
    data: list[BrokerPublic]
    count: int
    dimension: str


class CommunityPublic(BaseModel):
    number: int
    size: int
    members: list[ActorRefPublic]
    internal_links: int
    density: float
    fields: list[GroupPublic]
    colleges: list[GroupPublic]
    countries: list[GroupPublic]
    sentence: str


class CommunityPage(BaseModel):
    data: list[CommunityPublic]
    count: int
    modularity: float
    seed: int
    resolution: float
    iterations: int
    left_out: int
    method: str


class PeripheralPublic(BaseModel):
    id: str
    name: str
    status: str
    degree: int
    coreness: int
    component_size: int
    contacts: list[ActorRefPublic]
    suggestion_field: GroupPublic | None
    suggestions: list[ActorRefPublic]
    sentence: str


class PeripheralPage(BaseModel):
    data: list[PeripheralPublic]
    count: int


class PathStepPublic(BaseModel):
    source: ActorRefPublic
    target: ActorRefPublic
    projects: list[ActorRefPublic]
    partnership: bool
    sentence: str


class PathPublic(BaseModel):
    source: ActorRefPublic
    target: ActorRefPublic
    found: bool
    length: int | None
    actors: list[ActorRefPublic]
    steps: list[PathStepPublic]
    sentence: str


class RelatedOfferPublic(BaseModel):
    concept: GroupPublic
    relation: str
    actors: list[ActorRefPublic]


class NeedGapPublic(BaseModel):
    resource: GroupPublic
    status: str
    needed_by: list[ActorRefPublic]
    related_offers: list[RelatedOfferPublic]
    sentence: str


class FieldGapPublic(BaseModel):
    field: GroupPublic
    actors: list[ActorRefPublic]
    sentence: str


class NeedGapPage(BaseModel):
    data: list[NeedGapPublic]
    count: int


class FieldGapPage(BaseModel):
    data: list[FieldGapPublic]
    count: int


class GapsPublic(BaseModel):
    needs: NeedGapPage
    fields: FieldGapPage


class YearPublic(BaseModel):
    year: int
    members: int
    joined: int
    left: int
    charter_signatures: int
    projects: int
    participations: int
    partnerships: int
    actors: int
    links: int
    density: float
    components: int
    largest_component: int
    isolated: int
    average_degree: float
    sentence: str


class EvolutionPage(BaseModel):
    data: list[YearPublic]
    count: int
    start_year: int | None
    undated: dict[str, int]
