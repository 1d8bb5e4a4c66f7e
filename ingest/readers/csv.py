"""CSV reader: bytes → rows.

Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252) and the delimiter; refuses
empty, binary and badly quoted files with one located error.
"""

from __future__ import annotations

import csv
import io

from maillage.ingest.readers.table import Table, UnreadableFileError, looks_binary
from maillage.ingest.report import Problem

DELIMITERS = ",;\t|"


def decode(data: bytes, *, name: str) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252 as saved by Excel."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            Problem(
                file=name,
                value=f"octet 0x{data[error.start]:02x} à la position {error.start}",
                rule="encodage illisible : ni UTF-8 ni Windows-1252",
                suggestion="enregistrez le fichier en « CSV UTF-8 »",
            )
        ) from None


def read_csv(data: bytes, *, name: str) -> Table:
    """Read a CSV file into a `Table` named after the file (without its extension).

    >>> read_csv("nom;pays\\nAtelier;FR\\n".encode("cp1252"), name="acteurs.csv").rows
    [{'nom': 'Atelier', 'pays': 'FR'}]
    """
    file = name.rsplit("/", 1)[-1]
    if not data.strip():
        raise UnreadableFileError(Problem(file=file, rule="fichier vide"))
    if looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(
            Problem(
                file=file,
                rule="ce n'est pas un fichier texte CSV (contenu binaire)",
                suggestion="exportez le tableur en CSV ou envoyez le classeur .xlsx",
            )
        )
    text = decode(data, name=file)
    # The header line names the delimiter: the candidate it holds most (csv.Sniffer guesses too freely and
    # then accepts stray quotes). Quoting is always Excel's: "…" with doubled quotes inside.
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        raise UnreadableFileError(
            Problem(
                file=file,
                row=reader.line_num,
                rule=f"guillemets mal fermés ou mal placés ({error})",
                suggestion="une cellule qui contient un guillemet s'écrit entre guillemets, guillemet doublé",
            )
        ) from None
    header = [cell.strip() for cell in records[0]] if records else []
    rows = []
    for record in records[1:]:
        if not any(cell.strip() for cell in record):
            rows.append({})  # keep line numbers right; empty rows are skipped by the mapper
            continue
        rows.append({header[i]: record[i].strip() for i in range(min(len(header), len(record)))})
    sheet = file.rsplit(".", 1)[0]
    return Table(file=file, sheet=sheet, header=header, rows=rows)
