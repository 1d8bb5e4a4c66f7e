"""XLSX reader (the only module that imports openpyxl): one `Table` per sheet."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from maillage.ingest.readers.table import Table, UnreadableFileError
from maillage.ingest.report import Problem


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes, *, name: str) -> list[Table]:
    """Every sheet of a workbook as a `Table`.

    Formulas are read as formulas (``=...``), not as their cached values, so that the importer can refuse
    them instead of importing a value nobody typed.
    """
    file = name.rsplit("/", 1)[-1]
    try:
        return _tables(data, file)
    # A damaged workbook fails anywhere in zipfile, zlib, the XML parser or openpyxl, and in read-only mode
    # while its rows are read, not only when it is opened: every failure is the same located refusal.
    except Exception as error:  # noqa: BLE001
        raise UnreadableFileError(
            Problem(
                file=file,
                rule=f"classeur .xlsx illisible ou tronqué ({type(error).__name__})",
                suggestion="rouvrez-le dans le tableur et enregistrez-le à nouveau au format .xlsx",
            )
        ) from None


def _tables(data: bytes, file: str) -> list[Table]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    tables = []
    try:
        for sheet in workbook.worksheets:
            records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            header = records[0] if records else []
            rows = [
                {header[i]: record[i] for i in range(min(len(header), len(record))) if header[i]}
                if any(record)
                else {}
                for record in records[1:]
            ]
            tables.append(Table(file=file, sheet=sheet.title, header=[h for h in header if h], rows=rows))
    finally:
        workbook.close()
    return tables


def write_xlsx(tables: list[Table]) -> bytes:
    """A workbook with one sheet per table (used for the downloadable template and example)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet)
        sheet.append(table.header)
        for row in table.rows:
            sheet.append([row.get(column, "") for column in table.header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
