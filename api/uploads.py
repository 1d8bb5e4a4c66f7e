"""Uploaded files: a body limit checked before reading, safe file names, and zips of CSV unpacked to a folder.

The importer reads paths, so an upload is written to a fresh temporary folder under a sanitised name (never a
path the client chose) and, for a ``.zip``, unpacked there file by file with the same limits as a folder of
CSV files on disk.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Coroutine
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from maillage.api.auth import authorize
from maillage.ingest.importer import MAX_FILE_BYTES
from maillage.ingest.report import ImportRefusedError, ImportReport, Problem

#: Room for the multipart envelope and the form fields around the file itself.
ENVELOPE_BYTES = 64 * 1024
MAX_BODY_BYTES = MAX_FILE_BYTES + ENVELOPE_BYTES
#: Files a zip may hold, and the suffixes kept from it.
MAX_ZIP_MEMBERS = 50
ZIP_SUFFIXES = (".csv", ".xlsx")
_UNSAFE = re.compile(r"[^\w.\-]+")


def too_large(size: int | None = None) -> HTTPException:
    seen = f" ({size} octets)" if size is not None else ""
    return HTTPException(
        413,
        f"Fichier trop volumineux{seen} : la limite est de {MAX_FILE_BYTES // 2**20} Mo "
        "(découpez-le en plusieurs fichiers)",
    )


class UploadRoute(APIRoute):
    """A route that checks the caller's role, then the declared ``Content-Length``, before its form is read.

    FastAPI parses a form before it runs the dependencies; these checks run first, so an anonymous or
    unauthorised upload is answered (401/403) without the server reading the body, and a declared length over
    `MAX_BODY_BYTES` is answered 413 from the headers alone (the form parser could otherwise refuse a
    malformed header first). A chunked body is counted as it arrives by
    `maillage.api.limits.BodyLimitMiddleware`, which gives these routes the same limit.
    Set the role with ``openapi_extra={"x-role": "animator"}``.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        role = (self.openapi_extra or {}).get("x-role", "public")

        async def limited(request: Request) -> Response:
            authorize(request, role)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise too_large(int(declared))
            return await handler(request)

        return limited


def safe_filename(name: str | None) -> str:
    """The last part of a client's file name, reduced to letters, digits, ``._-`` (never empty, never hidden).

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\\\Users\\\\m\\\\Membres 2024.xlsx")
    ('passwd', 'Membres_2024.xlsx')
    >>> safe_filename(".."), safe_filename("réseau.csv\\x00.png")
    ('fichier', 'réseau.csv_.png')
    """
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/")).rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).lstrip(".")
    if len(base) > 120:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[:100] + dot + suffix[:10]) if dot else base[:120]
    return base or "fichier"


def write_upload(upload: BinaryIO, folder: Path, name: str) -> Path:
    """Copy an uploaded file into `folder` under `safe_filename(name)`; a zip is unpacked into a folder.

    Raises `HTTPException` 413 past `MAX_FILE_BYTES`, `ImportRefusedError` for a zip that cannot be used.
    """
    target = folder / safe_filename(name)
    if target.resolve().parent != folder.resolve():  # defence in depth: safe_filename keeps one part
        raise ImportRefusedError(ImportReport(target.name, problems=[Problem(file=name, rule="nom refusé")]))
    written = 0
    with target.open("wb") as out:
        while chunk := upload.read(1 << 20):
            written += len(chunk)
            if written > MAX_FILE_BYTES:
                raise too_large(written)
            out.write(chunk)
    if target.suffix.lower() != ".zip":
        return target
    # the folder takes the archive's name, so the report and the provenance name the file sent
    return unpack_zip(target, folder / "contenu" / target.name)


def unpack_zip(archive: Path, folder: Path) -> Path:
    """Unpack the CSV and XLSX files of `archive` (flattened, names sanitised) into `folder`.

    Refused with one problem each: an unreadable archive, more than `MAX_ZIP_MEMBERS` files, another format,
    two files of the same name, more than `MAX_FILE_BYTES` once unpacked (counted while reading, so a
    lying header or a zip bomb stops there). Hidden files and ``__MACOSX/`` are skipped.
    """
    report = ImportReport(source=archive.name)
    folder.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir() and not _hidden(m.filename)]
            if len(members) > MAX_ZIP_MEMBERS:
                report.problems.append(
                    Problem(file=archive.name, rule=f"plus de {MAX_ZIP_MEMBERS} fichiers dans l'archive")
                )
            budget = MAX_FILE_BYTES
            for member in members[:MAX_ZIP_MEMBERS]:
                name = safe_filename(member.filename)
                where = f"{archive.name} › {member.filename}"
                if not name.lower().endswith(ZIP_SUFFIXES):
                    report.problems.append(
                        Problem(
                            file=where,
                            rule="format non pris en charge dans une archive",
                            suggestion="CSV ou XLSX",
                        )
                    )
                    continue
                if (folder / name).exists():
                    report.problems.append(Problem(file=where, rule=f"deux fichiers nommés « {name} »"))
                    continue
                with zipped.open(member) as source:
                    data = source.read(budget + 1)
                budget -= len(data)
                if budget < 0:
                    raise too_large()
                (folder / name).write_bytes(data)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        RuntimeError,
        zlib.error,
    ) as error:
        report.problems.append(
            Problem(
                file=archive.name, rule=f"archive zip illisible ({error})", suggestion="zip sans mot de passe"
            )
        )
    if report.problems:
        raise ImportRefusedError(report)
    return folder


def _hidden(filename: str) -> bool:
    parts = PurePosixPath(filename.replace("\\", "/")).parts
    return "__MACOSX" in parts or (bool(parts) and parts[-1].startswith("."))
