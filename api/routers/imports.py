"""/api/imports: an animator sends a spreadsheet, a zip of CSV or an RDF file; a dry run unless told."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from maillage.api.auth import AnimatorDep
from maillage.api.deps import StateDep
from maillage.api.errors import error_body
from maillage.api.uploads import UploadRoute, safe_filename, too_large, write_upload
from maillage.graph.stores.base import StoreError
from maillage.ingest.edit import WRITE_LOCK
from maillage.ingest.importer import MAX_FILE_BYTES, import_path
from maillage.ingest.report import ImportRefusedError, ImportReport

router = APIRouter(prefix="/api/imports", tags=["imports"], route_class=UploadRoute)

#: One write at a time per process, imports and API edits alike: two would plan against the same state.
_IMPORT_LOCK = WRITE_LOCK

PROBLEM_EXAMPLE: dict[str, JsonValue] = {
    "file": "acteurs.csv",
    "sheet": "acteurs",
    "row": 3,
    "column": "domaines",
    "value": "astrologie",
    "rule": "domaine d'activité inconnu dans la taxonomie",
    "suggestion": None,
    "message": "acteurs.csv › ligne 3 › colonne « domaines » : « astrologie » — domaine d'activité inconnu "
    "dans la taxonomie",
}
REPORT_EXAMPLE: dict[str, JsonValue] = {
    "source": "membres.xlsx",
    "dry_run": True,
    "rows_read": {"reseau": 1, "acteurs": 3},
    "created": 4,
    "updated": 0,
    "unchanged": 0,
    "rejected_rows": 0,
    "problems": [],
    "refused": False,
    "ok": True,
}


class ProblemPublic(BaseModel):
    """Une valeur refusée : fichier › feuille › ligne › colonne › valeur › règle (› suggestion)."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [PROBLEM_EXAMPLE]})

    file: str = Field(description="Fichier (ou « archive.zip › fichier »)")
    sheet: str | None = Field(None, description="Feuille du modèle d'import")
    row: int | None = Field(None, description="Ligne, comme le tableur la numérote (en-tête = 1)")
    column: str | None = Field(None, description="Colonne")
    value: str | None = Field(None, description="Valeur refusée")
    rule: str = Field(description="Règle enfreinte, en français")
    suggestion: str | None = Field(None, description="Comment corriger, quand une correction est probable")
    message: str = Field(description="Le problème en une phrase")


class ReviewPublic(BaseModel):
    """Une valeur rapprochée d'un concept à vérifier : acceptée de justesse (« approché »), ou refusée
    parce qu'ambiguë ou inconnue."""

    model_config = ConfigDict(extra="ignore")

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str
    value: str
    scheme: str = Field(description="Schéma de concepts : field, resource, actor-type…")
    status: Literal["approché", "ambigu", "inconnu"]
    concept: str | None = Field(None, description="Clé du concept retenu (« approché » seulement)")
    score: float | None = Field(None, description="Score de ressemblance, 0 à 100")
    message: str


class ResolutionPublic(BaseModel):
    """Un acteur du fichier rapproché d'un acteur existant, ou signalé comme doublon probable."""

    model_config = ConfigDict(extra="ignore")

    file: str
    sheet: str | None = None
    row: int | None = None
    key: str = Field(description="Identifiant de la ligne")
    actor: str = Field(description="Acteur existant")
    status: Literal["rapproché", "doublon probable"]
    message: str


class ImportReportPublic(BaseModel):
    """Le rapport d'un import (ou d'un essai à blanc) : lignes lues, entités créées, modifiées, inchangées."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [REPORT_EXAMPLE]})

    source: str = Field(description="Nom du fichier reçu, nettoyé (sans chemin)")
    dry_run: bool = Field(description="Essai à blanc : rien n'a été écrit")
    rows_read: dict[str, int] = Field(description="Lignes lues par feuille (ou triplets pour le RDF)")
    created: int
    updated: int
    unchanged: int
    rejected_rows: int = Field(description="Lignes écartées (keep_valid)")
    problems: list[ProblemPublic]
    reviews: list[ReviewPublic] = Field(
        default=[], description="À vérifier : correspondances avec la taxonomie"
    )
    resolutions: list[ResolutionPublic] = Field(
        default=[], description="Acteurs reconnus dans le réseau, et doublons probables"
    )
    refused: bool = Field(description="Import refusé : rien n'a été écrit")
    ok: bool = Field(description="Tout est (ou serait) importé, sans ligne écartée")


class ErrorPublic(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]]


class RefusedImport(BaseModel):
    """Un import refusé : l'erreur commune, ses problèmes en `details`, et le rapport complet."""

    error: ErrorPublic
    report: ImportReportPublic


class ErrorOnly(BaseModel):
    error: ErrorPublic


def report_public(report: ImportReport) -> ImportReportPublic:
    return ImportReportPublic.model_validate(report.as_dict())


def refused_response(report: ImportReport) -> JSONResponse:
    """422 in the common error shape, the problems as `details`, the whole report beside it."""
    public = report_public(report)
    problems = [p.model_dump() for p in public.problems]
    body = error_body(
        422,
        f"Import refusé : {len(problems)} problème(s) dans « {report.source} », rien n'a été écrit",
        problems,
    )
    body["error"]["code"] = "import_refuse"
    body["report"] = public.model_dump()
    return JSONResponse(body, status_code=422)


@router.post(
    "",
    response_model=ImportReportPublic,
    summary="Importer un fichier (essai à blanc par défaut)",
    description=(
        "Réservé aux jetons « animator » ou « admin » (`Authorization: Bearer <jeton>`). Envoi multipart "
        "d'un fichier : CSV ou XLSX du modèle d'import, zip de CSV (une feuille par fichier), ou RDF "
        "(.ttl, .jsonld, .nt, .rdf). `dry_run` (vrai par défaut) vérifie sans rien écrire ; "
        "`keep_valid` importe les lignes valides et liste les autres. Limite : "
        f"{MAX_FILE_BYTES // 2**20} Mo (413 au-delà, refusé avant lecture). Un import refusé répond 422 "
        "avec le rapport, et la base reste inchangée."
    ),
    responses={
        401: {"model": ErrorOnly, "description": "Jeton absent, invalide ou révoqué"},
        403: {"model": ErrorOnly, "description": "Rôle insuffisant (il faut « animator » ou plus)"},
        413: {"model": ErrorOnly, "description": "Fichier trop volumineux"},
        422: {"model": RefusedImport, "description": "Import refusé : le rapport dit pourquoi"},
    },
    openapi_extra={"x-role": "animator"},
)
def create_import(
    caller: AnimatorDep,
    state: StateDep,
    file: Annotated[
        UploadFile, File(description="CSV, XLSX, zip de CSV, ou RDF (Turtle, JSON-LD, N-Triples, RDF/XML)")
    ],
    dry_run: Annotated[bool, Form(description="Vérifier sans rien écrire (défaut : vrai)")] = True,
    keep_valid: Annotated[
        bool, Form(description="Importer les lignes valides et lister les autres (défaut : faux)")
    ] = False,
) -> ImportReportPublic | JSONResponse:
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise too_large(file.size)
    name = safe_filename(file.filename)
    with tempfile.TemporaryDirectory(prefix="maillage-import-") as folder:
        try:
            path = write_upload(file.file, Path(folder), name)
            with _IMPORT_LOCK:
                report = import_path(state.store, path, dry_run=dry_run, keep_valid=keep_valid)
        except ImportRefusedError as refused:
            # a report about an unreadable file names its path: answer with the file name only
            refused.report.source, refused.report.dry_run = name, dry_run
            return refused_response(refused.report)
        except StoreError as error:
            return JSONResponse(error_body(503, f"Écriture impossible dans la base : {error}"), 503)
    # The analysis index follows the store's generation (AppState.index): a committed import moved it.
    # Rebuilt before answering, so that the importer's next question sees the import even where a large
    # network's index is otherwise served stale while rebuilt; a dry run leaves both as they were.
    if not dry_run:
        state.fresh_index()
    return report_public(report)
