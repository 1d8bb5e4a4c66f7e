"""/api/synergies: the network's best cooperation opportunities, explained."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from maillage.api.deps import IndexDep, LangDep
from maillage.api.present import synergy_public
from maillage.api.schemas import Page, SynergyPublic
from maillage.graph.synergies import network_synergies

router = APIRouter(prefix="/api/synergies", tags=["synergies"])


@router.get("", response_model=Page[SynergyPublic], summary="Les meilleures synergies du réseau")
def list_synergies(
    index: IndexDep,
    kind: Annotated[list[Literal["complementarite", "affinite"]] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    lang: LangDep = "fr",
) -> Page[SynergyPublic]:
    items = network_synergies(index, kinds=tuple(kind or ("complementarite", "affinite")), limit=limit)
    return Page[SynergyPublic](data=[synergy_public(index, s, lang) for s in items], count=len(items))
