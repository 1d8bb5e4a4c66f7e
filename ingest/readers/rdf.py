"""RDF reader: Turtle, JSON-LD, N-Triples, RDF/XML → an rdflib graph, with network access refused."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from maillage.ingest.report import Problem

FORMATS = {
    ".ttl": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
}


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


def read_rdf(data: bytes, *, name: str, suffix: str) -> Graph:
    """Parse RDF bytes; a remote JSON-LD `@context` is an error (parsing never reaches the network)."""
    rdf_format = FORMATS[suffix]
    try:
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
        return Graph().parse(data=data, format=rdf_format)
    except RDFRefusedError:
        raise
    except Exception as error:  # noqa: BLE001 - every parser error becomes one located problem
        raise RDFRefusedError(
            Problem(file=name, rule=f"fichier RDF illisible ({rdf_format}) : {error}")
        ) from error
