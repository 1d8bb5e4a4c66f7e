"""The import page (/importer), for animators: upload a file, read the dry-run report, confirm.

An upload is always tried first (`import_path(..., dry_run=True)`) and kept server-side, in a folder named
by a random id (never a path from the client), bound to the session that sent it (a hash of its CSRF
token), for `KEEP_SECONDS` at most; « Confirmer l'import » imports that same file for real and deletes it.
The upload form is multipart: its CSRF token travels in the action URL (`maillage.api.session`), and
its POST answers with a redirect to the report's page, so that address is never shown.

The page's own words (headings, counts, the fixes worded for the web) follow the reader's language
(`maillage.api.i18n`); the report's problems, reviews and resolutions are the import's French messages.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maillage.api.auth import Caller, CallerDep, check_role
from maillage.api.deps import StateDep
from maillage.api.errors import APIError
from maillage.api.i18n import _, current_language
from maillage.api.routers.pages_taxonomy import SCHEMES as TAXONOMY_SCHEMES
from maillage.api.session import current_session
from maillage.api.templating import render_page
from maillage.api.uploads import UploadRoute, safe_filename, too_large, write_upload
from maillage.graph.stores.base import Store, StoreError
from maillage.ingest.concepts import scheme_label
from maillage.ingest.edit import WRITE_LOCK
from maillage.ingest.importer import MAX_FILE_BYTES, import_path
from maillage.ingest.local_concepts import matcher_for
from maillage.ingest.report import ImportRefusedError, ImportReport

router = APIRouter(tags=["pages"], include_in_schema=False, route_class=UploadRoute)

KEEP_SECONDS = 3600
"""How long an uploaded file waits for its confirmation."""
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def staging_root() -> Path:
    """Where uploads wait for their confirmation (one folder per upload, in the system's temp folder)."""
    root = Path(tempfile.gettempdir()) / "maillage-imports-en-attente"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _owner(request: Request) -> str:
    session = current_session(request)
    assert session is not None  # only animators logged in with a session reach here
    return hashlib.sha256(session.csrf.encode()).hexdigest()


def _forget_expired(root: Path, now: float) -> None:
    for folder in root.iterdir():
        meta = folder / "attente.json"
        try:
            expired = json.loads(meta.read_text())["expires"] < now
        except (OSError, ValueError, KeyError):
            expired = folder.stat().st_mtime + KEEP_SECONDS < now
        if expired:
            shutil.rmtree(folder, ignore_errors=True)


def _waiting(request: Request, upload_id: str) -> tuple[Path, dict[str, object]]:
    """The folder and facts of a waiting upload of this session; 404 when unknown, expired or another's."""
    unknown = APIError(
        404, _("Import inconnu, déjà confirmé ou expiré : « %(id)s » (renvoyez le fichier)", id=upload_id)
    )
    folder = staging_root() / upload_id
    meta_path = folder / "attente.json"
    if not _ID.match(upload_id) or not meta_path.is_file():
        raise unknown
    meta = json.loads(meta_path.read_text())
    if meta["owner"] != _owner(request) or meta["expires"] < time.time():
        raise unknown
    return folder, meta


def _animator(request: Request, caller: Caller) -> Response | None:
    """A redirect to the login page for an anonymous visitor; raises 403 below animator."""
    if caller.anonymous:
        return RedirectResponse("/connexion?suivant=/importer", status_code=303)
    check_role(caller, "animator")
    return None


def _run(state: StateDep, path: Path, name: str, *, dry_run: bool, keep_valid: bool) -> ImportReport:
    try:
        with WRITE_LOCK:
            report = import_path(state.store, path, dry_run=dry_run, keep_valid=keep_valid)
    except ImportRefusedError as refused:
        report = refused.report
    except StoreError as error:
        raise APIError(503, _("Écriture impossible dans la base : %(error)s", error=error)) from None
    report.source, report.dry_run = name, dry_run  # a refusal names the temporary path: the file name only
    if not dry_run:
        state.fresh_index()
    return report


def concept_fixes(report: ImportReport, store: Store) -> dict[str, object]:
    """What the page says where the command line would say ``maillage concepts add`` (`Problem.suggestion`).

    A value whose concept is missing (`Problem.missing_concept`) from a scheme the taxonomy page extends
    (fields, resources) gets a link to that page; one missing from a closed list (actor types, colleges,
    roles…), which only the command line extends, gets the list's values. Returns the template's
    ``taxonomy_schemes`` and ``closed_lists`` (scheme → (name in the page's language, keys)); the keys are
    read only when such a problem is there.
    """
    closed = sorted(
        {p.missing_concept for p in report.problems if p.missing_concept}.difference(TAXONOMY_SCHEMES)
    )
    matcher = matcher_for(store) if closed else None
    lang = current_language()
    return {
        "taxonomy_schemes": list(TAXONOMY_SCHEMES),
        "closed_lists": {s: (scheme_label(s, lang=lang), matcher.keys(s)) for s in closed} if matcher else {},
    }


@router.get("/importer", response_class=HTMLResponse)
def import_page(request: Request, caller: CallerDep) -> Response:
    return _animator(request, caller) or render_page(
        request, "import.html", report=None, upload_id="", limit_mb=MAX_FILE_BYTES // 2**20
    )


@router.post("/importer/essai", openapi_extra={"x-role": "animator"})
def try_upload(
    request: Request,
    caller: CallerDep,
    fichier: Annotated[UploadFile, File()],
    garder_valides: Annotated[bool, Form()] = False,
) -> Response:
    """Keep the upload in a fresh folder, then show its dry run (`show_dry_run`)."""
    check_role(caller, "animator")
    if fichier.size is not None and fichier.size > MAX_FILE_BYTES:
        raise too_large(fichier.size)
    root = staging_root()
    _forget_expired(root, time.time())
    upload_id = secrets.token_urlsafe(16)
    folder = root / upload_id
    folder.mkdir(mode=0o700)
    name = safe_filename(fichier.filename)
    try:
        path = write_upload(fichier.file, folder, name)
    except ImportRefusedError as refused:  # an unusable zip: its report, and nothing to confirm
        shutil.rmtree(folder, ignore_errors=True)
        refused.report.source, refused.report.dry_run = name, True
        return render_page(request, "import.html", status_code=422, report=refused.report, upload_id="")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {
        "owner": _owner(request),
        "expires": time.time() + KEEP_SECONDS,
        "name": name,
        "path": str(path.relative_to(folder)),
        "keep_valid": garder_valides,
    }
    (folder / "attente.json").write_text(json.dumps(meta))
    return RedirectResponse(f"/importer/{upload_id}", status_code=303)


@router.get("/importer/{upload_id}", response_class=HTMLResponse)
def show_dry_run(request: Request, upload_id: str, caller: CallerDep, state: StateDep) -> Response:
    """The dry run of a waiting upload (run again at each visit: it writes nothing)."""
    if (redirect := _animator(request, caller)) is not None:
        return redirect
    folder, meta = _waiting(request, upload_id)
    report = _run(
        state,
        folder / str(meta["path"]),
        str(meta["name"]),
        dry_run=True,
        keep_valid=bool(meta["keep_valid"]),
    )
    return render_page(
        request,
        "import.html",
        status_code=422 if report.refused else 200,
        report=report,
        upload_id="" if report.refused else upload_id,
        keep_valid=meta["keep_valid"],
        **concept_fixes(report, state.store),
    )


@router.post("/importer/{upload_id}/confirmer", response_class=HTMLResponse)
def confirm(
    request: Request,
    upload_id: str,
    caller: CallerDep,
    state: StateDep,
    csrf: Annotated[str, Form(max_length=200)] = "",  # checked by the CSRF middleware
) -> Response:
    """Import the waiting upload for real, delete it, and show the final report."""
    if (redirect := _animator(request, caller)) is not None:
        return redirect
    folder, meta = _waiting(request, upload_id)
    try:
        report = _run(
            state,
            folder / str(meta["path"]),
            str(meta["name"]),
            dry_run=False,
            keep_valid=bool(meta["keep_valid"]),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return render_page(
        request,
        "import.html",
        status_code=422 if report.refused else 200,
        report=report,
        upload_id="",
        **concept_fixes(report, state.store),
    )
