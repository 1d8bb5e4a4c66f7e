"""RDF reader: Turtle, JSON-LD, N-Triples, RDF/XML → an rdflib graph, with network access refused.

Parsing never reaches the network: a remote JSON-LD ``@context`` (or ``@import``), an external entity or
DTD in RDF/XML (``<!DOCTYPE … SYSTEM …>``, ``<!ENTITY … SYSTEM …>``) and an ``owl:imports`` are errors, each
one located problem, before or instead of any fetch.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.parsers import expat

from rdflib import OWL, Graph

from maillage.ingest.report import Problem

FORMATS = {
    ".ttl": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".skos": "xml",
}
#: A DTD or an entity that points outside the file (SYSTEM or PUBLIC identifier): XML parsers may fetch it.
EXTERNAL_XML = re.compile(rb"<!(DOCTYPE|ENTITY)[^>]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)


#: rdflib's RDF/XML parser joins the pieces of an element's text one by one (``data += piece``): its work is
#: the sum, over the pieces, of the text gathered so far. Past this many characters copied (about 3 s here),
#: a file is refused: 300,000 ``&lt;`` in one literal (1.2 MB) cost it 3.6 s, a 1 KB « billion laughs » hours.
MAX_XML_TEXT_WORK = 5 * 10**10


class RDFRefusedError(ValueError):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _remote_contexts(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for context in value if isinstance(value, list) else [value]:
                    if isinstance(context, str):
                        found.append(context)
                    else:
                        found += _remote_contexts(context)
            else:
                found += _remote_contexts(value)
            if key == "@import" and isinstance(value, str):
                found.append(value)
    elif isinstance(node, list):
        for item in node:
            found += _remote_contexts(item)
    return found


def _xml_hazard(data: bytes, *, name: str) -> Problem | None:
    """A first, cheap pass of expat over RDF/XML: an entity built from other entities (the « billion laughs »
    that expand a 1 KB file to gigabytes), or text in so many pieces that rdflib would spend minutes joining
    them (`MAX_XML_TEXT_WORK`). Malformed XML passes: rdflib's parser then says what is wrong.
    """
    parser = expat.ParserCreate()
    nested: list[str] = []
    gathered, work = 0, 0

    def declared(entity: str, _parameter: int, value: str | None, *_rest: object) -> None:
        if value is not None and ("&" in value or "%" in value):
            nested.append(entity)
            raise ValueError(entity)

    def text(piece: str) -> None:
        nonlocal gathered, work
        work += gathered
        gathered += len(piece)
        if work > MAX_XML_TEXT_WORK:
            raise ValueError("work")

    def boundary(*_args: object) -> None:
        nonlocal gathered
        gathered = 0

    parser.EntityDeclHandler = declared
    parser.CharacterDataHandler = text
    parser.StartElementHandler = parser.EndElementHandler = boundary
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return None
    except ValueError:
        if nested:
            return Problem(
                file=name,
                value=f"<!ENTITY {nested[0]} …>",
                rule="entité XML définie par d'autres entités refusée "
                "(expansion exponentielle, « billion laughs »)",
                suggestion="écrivez le texte lui-même au lieu d'entités imbriquées",
            )
        return Problem(
            file=name,
            rule="texte XML trop morcelé (entités ou lignes par centaines de milliers dans un même "
            "élément) : sa lecture prendrait des minutes",
            suggestion="exportez le fichier en Turtle ou N-Triples",
        )
    return None


def read_rdf(data: bytes, *, name: str, suffix: str, rdf_format: str | None = None) -> Graph:
    """Parse RDF bytes (format from `rdf_format`, else from the file `suffix`); parsing never reaches the
    network: a remote JSON-LD `@context`, an external XML entity or DTD, and `owl:imports` are refused.
    """
    rdf_format = rdf_format or FORMATS[suffix]
    try:
        if rdf_format == "xml" and (external := EXTERNAL_XML.search(data)) is not None:
            raise RDFRefusedError(
                Problem(
                    file=name,
                    value=external[0].decode("utf-8", "replace")[:120],
                    rule="DTD ou entité XML externe refusée : Maillage ne la cherche jamais sur le réseau",
                    suggestion="retirez la déclaration <!DOCTYPE> ou <!ENTITY> qui pointe hors du fichier",
                )
            )
        if rdf_format == "xml" and (hazard := _xml_hazard(data, name=name)) is not None:
            raise RDFRefusedError(hazard)
        if rdf_format == "json-ld":
            remote = _remote_contexts(json.loads(data))
            if remote:
                raise RDFRefusedError(
                    Problem(
                        file=name,
                        column="@context",
                        value=remote[0],
                        rule="contexte JSON-LD distant refusé : Maillage ne va jamais le chercher"
                        " sur le réseau",
                        suggestion="incluez le contexte dans le fichier",
                    )
                )
        graph = Graph().parse(data=data, format=rdf_format)
    except RDFRefusedError:
        raise
    except Exception as error:  # noqa: BLE001 - every parser error becomes one located problem
        raise RDFRefusedError(
            Problem(file=name, rule=f"fichier RDF illisible ({rdf_format}) : {error}")
        ) from error
    imports = sorted(str(o) for o in graph.objects(None, OWL.imports))
    if imports:
        raise RDFRefusedError(
            Problem(
                file=name,
                column="owl:imports",
                value=imports[0],
                rule="owl:imports refusé : Maillage ne suit pas les imports d'ontologies sur le réseau",
                suggestion="retirez owl:imports et incluez dans le fichier ce qui doit être importé",
            )
        )
    return graph
