"""SPARQL results written by hand: JSON, XML, CSV and TSV for SELECT and ASK, and RDF for CONSTRUCT.

pyoxigraph writes a whole result stream and cannot stop at a row count, while the endpoint must cut an
answer at `SparqlLimits.max_results` and say so: the rows are collected (at most the limit, plus one to
know whether there were more) and written here, following the W3C recommendations
(sparql11-results-json, rdf-sparql-XMLres, sparql11-results-csv-tsv).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from maillage.graph._sparql.formats import ResultFormat

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def first(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    """The first `limit` items, and whether there were more (reads at most `limit` + 1).

    >>> first(iter(range(5)), 3), first(iter(range(3)), 3)
    (([0, 1, 2], True), ([0, 1, 2], False))
    """
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def json_term(term: Term) -> dict[str, Any]:
    """One RDF term in SPARQL JSON results.

    >>> json_term(ox.Literal("Tarnos", language="fr"))
    {'type': 'literal', 'value': 'Tarnos', 'xml:lang': 'fr'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", term.subject), ("predicate", term.predicate), ("object", term.object)
        return {"type": "triple", "value": {name: json_term(part) for name, part in parts}}
    found: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def xml_term(term: Term) -> str:
    """One RDF term in SPARQL XML results.

    >>> xml_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '<literal datatype="http://www.w3.org/2001/XMLSchema#integer">3</literal>'
    """
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = ("subject", term.subject), ("predicate", term.predicate), ("object", term.object)
        return (
            "<triple>" + "".join(f"<{name}>{xml_term(part)}</{name}>" for name, part in parts) + "</triple>"
        )
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def csv_term(term: Term | None) -> str:
    """One value in SPARQL CSV results: IRIs and literals as bare strings, blank nodes as ``_:label``.

    Values are written as they are (no spreadsheet-formula neutralising: SPARQL CSV is data exchange; the
    spreadsheet dumps of `/export` are neutralised).
    """
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def solutions_json(variables: list[str], rows: Iterable[Row]) -> bytes:
    bindings = [
        {name: json_term(value) for name, value in zip(variables, row, strict=True) if value is not None}
        for row in rows
    ]
    return json.dumps(
        {"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode("utf-8")


def solutions_xml(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>" + "".join(f"<variable name={quoteattr(name)}/>" for name in variables) + "</head>",
        "<results>",
    ]
    for row in rows:
        cells = (
            f"<binding name={quoteattr(name)}>{xml_term(value)}</binding>"
            for name, value in zip(variables, row, strict=True)
            if value is not None
        )
        out.append("<result>" + "".join(cells) + "</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def solutions_csv(variables: list[str], rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([csv_term(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def solutions_tsv(variables: list[str], rows: Iterable[Row]) -> bytes:
    # Terms in their N-Triples / Turtle form, which escapes tabs and line breaks inside literals.
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if value is None else str(value) for value in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def boolean_bytes(value: bool, result_format: ResultFormat) -> bytes:
    """The answer of an ASK query in `result_format` (CSV and TSV: one line, ``true`` or ``false``).

    >>> from maillage.graph._sparql.formats import RESULT_FORMATS
    >>> boolean_bytes(True, RESULT_FORMATS["json"])
    b'{"head": {}, "boolean": true}'
    """
    word = "true" if value else "false"
    if result_format.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if result_format.name == "xml":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode("utf-8")
    return f"{word}\n".encode()


SOLUTION_WRITERS = {"json": solutions_json, "xml": solutions_xml, "csv": solutions_csv, "tsv": solutions_tsv}


def solutions_bytes(
    solutions: ox.QuerySolutions, result_format: ResultFormat, *, limit: int
) -> tuple[bytes, int, bool]:
    """A SELECT answer cut at `limit` rows: (bytes, rows written, whether rows were left out)."""
    variables = [variable.value for variable in solutions.variables]
    rows, truncated = first(([solution[name] for name in variables] for solution in solutions), limit)
    return SOLUTION_WRITERS[result_format.name](variables, rows), len(rows), truncated


def triples_bytes(
    triples: ox.QueryTriples,
    result_format: ResultFormat,
    *,
    limit: int,
    prefixes: dict[str, str] | None = None,
) -> tuple[bytes, int, bool]:
    """A CONSTRUCT or DESCRIBE answer cut at `limit` triples: (bytes, triples written, whether triples
    were left out). Turtle binds `prefixes` (Maillage's usual ones, given by the endpoint)."""
    kept, truncated = first(triples, limit)
    prefixes = prefixes if result_format.name == "turtle" else None
    written = ox.serialize(kept, format=RDF_FORMATS[result_format.name], prefixes=prefixes)
    return written or b"", len(kept), truncated
