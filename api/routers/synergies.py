"""/api/synergies: the network's best cooperation opportunities and its cross-border bridges, explained.

The synergy filters (`SynergyFilters`) are shared with `/api/actors/{id}/synergies`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Literal, TypedDict

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from maillage.api.answers import cached_json
from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.errors import APIError
from maillage.api.present import bridge_public, synergy_item
from maillage.api.schemas import BridgePublic, Page, SynergyItem
from maillage.graph.synergies import KINDS, UnknownFilterError, bridges, network_synergies

router = APIRouter(prefix="/api/synergies", tags=["synergies"])

KindName = Literal["complementarite", "mutualisation", "affinite", "triangle", "transfrontalier"]
KIND_HELP = (
    "types de synergie (répétable) : complementarite, mutualisation, affinite, triangle ; "
    "« transfrontalier » garde les éléments qui traversent la frontière"
)


class SynergyOptions(TypedDict):
    """The keyword arguments every synergy question of `maillage.graph.synergies` takes."""

    limit: int
    offset: int
    field: str | None
    resource: str | None
    radius_km: float | None
    territory: str | None
    cross_border_only: bool


@dataclass(frozen=True)
class SynergyFilters:
    """The filters of both synergy routes, as query parameters."""

    field: str | None
    resource: str | None
    radius_km: float | None
    territory: str | None
    cross_border_only: bool
    exclude_linked: bool

    def options(self, *, limit: int, offset: int, cross_border_only: bool = False) -> SynergyOptions:
        """The filters (but `exclude_linked`, which not every question takes) and the paging."""
        return SynergyOptions(
            limit=limit,
            offset=offset,
            field=self.field,
            resource=self.resource,
            radius_km=self.radius_km,
            territory=self.territory,
            cross_border_only=self.cross_border_only or cross_border_only,
        )


async def synergy_filters(
    field: Annotated[
        str | None, Query(description="clé d'un domaine (sous-domaines inclus) que l'autre acteur déclare")
    ] = None,
    resource: Annotated[
        str | None, Query(description="clé d'une ressource (ressources plus précises incluses) en jeu")
    ] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=2000, description="distance maximale en km")] = None,
    territory: Annotated[
        str | None,
        Query(
            max_length=20,
            description="où l'autre acteur est basé : code INSEE (64102), epci:SIREN (epci:200067106) "
            "ou es:code INE (es:20045)",
        ),
    ] = None,
    cross_border_only: Annotated[
        bool, Query(description="seulement de part et d'autre de la frontière")
    ] = False,
    exclude_linked: Annotated[
        bool, Query(description="sans les paires déjà liées par un projet ou un partenariat")
    ] = False,
) -> SynergyFilters:
    return SynergyFilters(field, resource, radius_km, territory, cross_border_only, exclude_linked)


SynergyFiltersDep = Annotated[SynergyFilters, Depends(synergy_filters)]


@contextmanager
def filter_errors() -> Iterator[None]:
    """An unknown key or a malformed code in a filter becomes a 422 in the common error shape."""
    try:
        yield
    except UnknownFilterError as error:
        raise APIError(
            422,
            str(error),
            details=[{"parametre": error.parameter, "valeur": error.value, "regle": error.rule}],
        ) from error


@router.get("", response_model=Page[SynergyItem], summary="Les meilleures synergies du réseau")
async def list_synergies(
    request: Request,
    index: IndexDep,
    state: StateDep,
    filters: SynergyFiltersDep,
    kind: Annotated[list[KindName] | None, Query(description=KIND_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Response:
    """Paires (complémentarité, affinité, triangle) et groupes de mutualisation, classés ensemble par
    ``poids · score / maximum du type`` ; `count` compte tous les éléments trouvés."""
    kinds = tuple(kind or KINDS)
    options = filters.options(limit=limit, offset=offset)

    def answer() -> Page[SynergyItem]:
        with filter_errors():
            items = network_synergies(index, kinds=kinds, exclude_linked=filters.exclude_linked, **options)
        return Page[SynergyItem](data=[synergy_item(index, s, lang) for s in items], count=items.total)

    question = ("network", kinds, tuple(sorted(options.items())), filters.exclude_linked, lang)
    return await cached_json(request, state.answers, index, question, answer)


@router.get(
    "/bridges",
    response_model=Page[BridgePublic],
    summary="Les acteurs qui relient les deux côtés de la frontière",
)
def list_bridges(
    index: IndexDep,
    field: Annotated[str | None, Query(description="clé d'un domaine (sous-domaines inclus)")] = None,
    territory: Annotated[
        str | None, Query(max_length=20, description="code INSEE, epci:SIREN ou es:code INE")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Page[BridgePublic]:
    """Score ``(1 + partenaires de son côté) · partenaires de l'autre côté`` ; `count` compte toutes les
    passerelles."""
    with filter_errors():
        found = bridges(index, field=field, territory=territory, limit=limit, offset=offset)
    return Page[BridgePublic](data=[bridge_public(index, b, lang) for b in found], count=found.total)
