"""Dependencies shared by the routers (`Annotated` aliases)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from maillage.api.state import AppState
from maillage.graph.index import NetworkIndex


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.maillage
    return state


async def get_index(request: Request) -> NetworkIndex:
    """The analysis index, straight from the event loop when it is current (no thread for the commonest
    case: one less hop per request), else from a worker thread, which may build or wait for it."""
    state: AppState = request.app.state.maillage
    current = state.current_index()
    return current if current is not None else await run_in_threadpool(state.index)


StateDep = Annotated[AppState, Depends(get_state)]
IndexDep = Annotated[NetworkIndex, Depends(get_index)]
LangDep = Annotated[Literal["fr", "en"], Query(description="Langue des textes : fr (défaut) ou en")]
