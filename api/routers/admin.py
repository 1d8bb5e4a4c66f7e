"""Administration while the server runs: an online backup of the store and its tokens.

An Oxigraph store opens in one process at a time, so ``maillage backup`` needs the server stopped; this
route takes the same backup inside the running server (`maillage.graph.backup.backup`: one committed state,
under the store's write lock, while reads go on). The folder is chosen here, never by the caller:
``<data folder>/sauvegardes/<UTC date and time>``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from maillage.api.auth import Caller, require_role, token_store
from maillage.api.deps import StateDep
from maillage.api.errors import APIError
from maillage.api.routers.imports import ErrorOnly
from maillage.graph.backup import BackupError, backup

router = APIRouter(prefix="/api/admin", tags=["administration"])
BACKUPS = "sauvegardes"


class BackupPublic(BaseModel):
    """A backup just taken: where it is (relative to the data folder) and what it holds."""

    folder: str
    created: str
    kind: str
    quads: int
    graphs: dict[str, int]
    tokens: int | None
    sentence: str


@router.post(
    "/backups",
    response_model=BackupPublic,
    status_code=201,
    summary="Sauvegarder la base et les jetons, serveur en marche",
    description=(
        "Réservé aux jetons « admin ». Écrit une sauvegarde cohérente (un état validé de la base, les "
        "jetons, un manifeste avec les sommes SHA-256) dans `<dossier de données>/sauvegardes/<date>` ; "
        "la restaurer : `maillage restore DOSSIER`, serveur arrêté (docs/reliability.md)."
    ),
    responses={
        401: {"model": ErrorOnly, "description": "Jeton absent, invalide ou révoqué"},
        403: {"model": ErrorOnly, "description": "Rôle insuffisant (il faut « admin »)"},
        503: {"model": ErrorOnly, "description": "Sauvegarde impossible (disque plein…) : rien n'est gardé"},
    },
)
def create_backup(
    request: Request,
    state: StateDep,
    caller: Annotated[Caller, Depends(require_role("admin"))],
) -> dict[str, Any]:
    tokens = token_store(request)
    assert tokens is not None  # an admin caller was authenticated against it
    data_dir = Path(tokens.path).parent
    folder = data_dir / BACKUPS
    folder.mkdir(parents=True, exist_ok=True)
    name = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    try:
        manifest = backup(state.store, folder / name, tokens_path=tokens.path)
    except BackupError as error:
        raise APIError(503, str(error).replace(str(data_dir), "<données>")) from error
    return {
        "folder": f"{BACKUPS}/{name}",
        "created": manifest.created,
        "kind": manifest.kind,
        "quads": manifest.quads,
        "graphs": manifest.graphs,
        "tokens": manifest.tokens,
        "sentence": manifest.sentence(),
    }
