"""RDF serialisations: Turtle, JSON-LD (compacted with Maillage's published `@context`), RDF/XML, and
N-Triples / N-Quads streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row

from maillage.graph._export.selection import PREFIXES
from maillage.graph.stores.base import Quad
from maillage.ontology.vocab import ONTOLOGY_DIR

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
CONTEXT_VERSION = "v1"
"""Version of `ontology/context.jsonld`, served at ``/ns/context/v1.jsonld``. A change that alters the
meaning of a term makes a new version (a new file and URL); adding a prefix does not."""

CHUNK_BYTES = 1 << 16


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (the value of ``@context`` in ``ontology/context.jsonld``)."""
    context: dict[str, Any] = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    return context


def bound_graph() -> Graph:
    """An empty rdflib graph with Maillage's prefixes bound (over rdflib's defaults, e.g. ``geo``)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def as_graph(quads: Iterable[Quad]) -> Graph:
    """The triples of `quads` as one graph (named graphs merged)."""
    graph = bound_graph()
    for s, p, o, _g in quads:
        graph.add((s, p, o))
    return graph


def as_dataset(quads: Iterable[Quad]) -> Dataset:
    """The quads as an rdflib dataset, each in its named graph."""
    dataset = Dataset()
    for s, p, o, g in quads:
        dataset.graph(g).add((s, p, o))
    return dataset


def document_bytes(quads: Iterable[Quad], rdflib_format: str) -> bytes:
    """One whole document (Turtle, JSON-LD or RDF/XML): these formats need the graph in memory."""
    return graph_bytes(as_graph(quads), rdflib_format)


def graph_bytes(graph: Graph, rdflib_format: str) -> bytes:
    """`graph` in an rdflib format; JSON-LD is compacted with `jsonld_context()`, embedded in the file:
    a reader needs no network access, and Maillage's own importer, which refuses remote contexts, reads
    it back."""
    if rdflib_format == "json-ld":
        return graph.serialize(
            format="json-ld", context=jsonld_context(), auto_compact=True, encoding="utf-8"
        )
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def line_chunks(quads: Iterable[Quad], *, with_graph: bool) -> Iterator[bytes]:
    """N-Quads (`with_graph`) or N-Triples, about 64 KiB at a time; a triple in two named graphs comes
    once in N-Triples only if the store yields it once (the selection merges nothing)."""
    buffer: list[str] = []
    size = 0
    for s, p, o, g in quads:
        line = _nq_row((s, p, o), g) if with_graph else _nt_row((s, p, o))
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")
