"""CSV (one file per kind of entity, zipped, streamed) and GeoJSON (the actors as points).

CSV cells that a spreadsheet would run as a formula are neutralised (`neutralise`); GeoJSON and CSV hold
only what the RDF exports hold (same selection, `maillage.graph._export.selection`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from rdflib import RDF, Literal, URIRef

from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.stores.base import Object, Quad, Store, Subject
from maillage.ontology.iri import BASE, CONCEPT_BASE, DATA_BASE, split_data_iri

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SEPARATOR = " | "
"""Between the values of a column that has several for one entity (e.g. an actor's fields)."""


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP "CSV injection").

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an
    apostrophe, which spreadsheets hide and read as "this is text". A plain negative number (``-1.46578``, the
    longitude of Tarnos) is left alone: it cannot be a formula, and quoting it would turn every
    coordinate west of Greenwich into text.

    >>> [neutralise(cell) for cell in ("=1+1", "-1.46578", "-2+3", "@SUM(A1)", "Tarnos")]
    ["'=1+1", '-1.46578', "'-2+3", "'@SUM(A1)", 'Tarnos']
    """
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def short(term: Object | URIRef) -> str:
    """A cell's text: a Maillage IRI by its key, another IRI whole, a literal by its lexical form."""
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    if text.startswith((DATA_BASE, CONCEPT_BASE)):
        return text.rsplit("/", 1)[-1]
    return text


def column_name(predicate: URIRef, prefixes: dict[str, str]) -> str:
    """A column header: the predicate as a CURIE (``skos:prefLabel``) when a prefix is known."""
    text = str(predicate)
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def kind_of(subject: Subject) -> str | None:
    """The CSV file a subject goes to: its entity kind, or ``concept-{scheme}`` for a concept; None for
    any other subject (alignment nodes, import runs are not tables)."""
    text = str(subject)
    if "#" in text:
        return None
    parts = split_data_iri(text)
    if parts is not None:
        return parts[0]
    if text.startswith(CONCEPT_BASE):
        return "concept-" + text[len(CONCEPT_BASE) :].split("/", 1)[0]
    if text.startswith(BASE + "ontology#"):
        return "schema-de-concepts"
    return None


def csv_tables(
    store: Store,
    quads: Iterable[Quad],
    *,
    prefixes: dict[str, str],
    hidden_objects: Collection[Object] = frozenset(),
) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """(kind, rows) per kind of entity: a header row, then one row per entity in IRI order.

    Two passes: the first over `quads` learns the kinds, their subjects and their columns (memory: the
    subjects' IRIs); the second reads each subject back from the store in its graph, so that no table is
    held whole. That second read sees every value, so the values that `quads` left out for privacy must be
    named again in `hidden_objects` (the private persons: an organisation's partner who did not consent).
    """
    columns: dict[str, set[URIRef]] = {}
    subjects: dict[str, dict[Subject, URIRef]] = {}
    for s, p, _o, g in quads:
        kind = kind_of(s)
        if kind is None:
            continue
        columns.setdefault(kind, set()).add(p)
        subjects.setdefault(kind, {})[s] = g
    for kind in sorted(columns):
        yield kind, _rows(store, subjects[kind], sorted(columns[kind]), prefixes, hidden_objects)


def _rows(
    store: Store,
    subjects: dict[Subject, URIRef],
    predicates: list[URIRef],
    prefixes: dict[str, str],
    hidden_objects: Collection[Object],
) -> Iterator[list[str]]:
    ordered = [RDF.type] + [p for p in predicates if p != RDF.type] if RDF.type in predicates else predicates
    yield ["iri", "identifiant"] + [column_name(p, prefixes) for p in ordered]
    for subject in sorted(subjects):
        values: dict[URIRef, list[str]] = {}
        for _s, p, o, _g in store.quads(subject, None, None, subjects[subject]):
            if o in hidden_objects:
                continue
            values.setdefault(p, []).append(short(o) if p != RDF.type else column_name(o, prefixes))  # type: ignore[arg-type]
        row = [str(subject), short(subject)] + [SEPARATOR.join(sorted(values.get(p, []))) for p in ordered]
        yield [neutralise(cell) for cell in row]


def csv_text(rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text of `rows`, one line at a time (comma-separated, every cell quoted when needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they come (for a streamed zip)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def csv_zip_chunks(tables: Iterable[tuple[str, Iterator[list[str]]]]) -> Iterator[bytes]:
    """A zip holding one ``{kind}.csv`` (UTF-8 with BOM, which spreadsheets need to read the accents)
    per table, yielded as it is written: an unseekable target makes `zipfile` use data descriptors."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in tables:
            with archive.open(f"{kind}.csv", mode="w", force_zip64=True) as member:
                member.write("\ufeff".encode())
                for line in csv_text(rows):
                    member.write(line.encode("utf-8"))
                    if len(sink.parts) > 16:
                        yield sink.take()
            yield sink.take()
    yield sink.take()


def feature(index: NetworkIndex, actor: ActorRecord) -> dict[str, Any]:
    """One actor as a GeoJSON feature (null geometry when it has no coordinates); persons are placed
    at their commune's centre, as the index does for any actor without its own point."""
    geometry = (
        {"type": "Point", "coordinates": [actor.lon, actor.lat]}
        if actor.lat is not None and actor.lon is not None
        else None
    )

    def label(concept: URIRef | None) -> str | None:
        record = index.concepts.get(concept) if concept is not None else None
        return record.label("fr") if record is not None else None

    return {
        "type": "Feature",
        "id": actor.key,
        "geometry": geometry,
        "properties": {
            "iri": str(actor.iri),
            "nom": actor.label,
            "type": label(actor.actor_type),
            "college": label(actor.college),
            "domaines": [label(c) for c in actor.fields],
            "commune": actor.commune_label or None,
            "pays": actor.country,
            "description": actor.description or None,
            "site_web": actor.homepage,
        },
    }


def geojson_chunks(index: NetworkIndex, *, include_private: bool = False) -> Iterator[bytes]:
    """The actors shown (public ones unless `include_private`) as a GeoJSON FeatureCollection (RFC 7946,
    WGS 84 longitude then latitude), one feature per chunk."""
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for actor in index.actors:
        if actor.is_public or include_private:
            text = json.dumps(feature(index, actor), ensure_ascii=False)
            yield (text if first else ",\n" + text).encode("utf-8")
            first = False
    yield b"]}\n"
