"""Dependencies shared by the routers (`Annotated` aliases)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from maillage.api.state import AppState
from maillage.graph.index import NetworkIndex


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.maillage
    return state


def get_index(request: Request) -> NetworkIndex:
    return get_state(request).index()


StateDep = Annotated[AppState, Depends(get_state)]
IndexDep = Annotated[NetworkIndex, Depends(get_index)]
LangDep = Annotated[Literal["fr", "en"], Query(description="Langue des textes : fr (défaut) ou en")]
