"""CSV reader: bytes → rows.

Detects the encoding (UTF-8 with or without BOM, Windows-1252) and the delimiter.
"""

from __future__ import annotations

import csv
import io

from maillage.ingest.readers.table import Table

DELIMITERS = ",;\t|"


def decode(data: bytes) -> str:
    """Decode UTF-8 (BOM or not), falling back to Windows-1252 as saved by Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def read_csv(data: bytes, *, name: str) -> Table:
    """Read a CSV file into a `Table` named after the file (without its extension).

    >>> read_csv("nom;pays\\nAtelier;FR\\n".encode("cp1252"), name="acteurs.csv").rows
    [{'nom': 'Atelier', 'pays': 'FR'}]
    """
    text = decode(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records = [row for row in reader]
    header = [cell.strip() for cell in records[0]] if records else []
    rows = []
    for record in records[1:]:
        if not any(cell.strip() for cell in record):
            rows.append({})  # keep line numbers right; empty rows are skipped by the mapper
            continue
        rows.append({header[i]: record[i].strip() for i in range(min(len(header), len(record)))})
    sheet = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Table(file=name.rsplit("/", 1)[-1], sheet=sheet, header=header, rows=rows)
