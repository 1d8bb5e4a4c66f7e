"""The embedded store: Oxigraph (pyoxigraph), persistent in a data folder, the default store."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.term import BNode, Literal, URIRef

from maillage.graph.stores.base import (
    RDF_LANGSTRING,
    XSD_STRING,
    Object,
    Quad,
    Row,
    Store,
    StoreError,
    Subject,
    Transaction,
)


def to_ox(term: URIRef | BNode | Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to its pyoxigraph twin."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"Terme RDF non pris en charge : {term!r}")


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to rdflib; `xsd:string` literals become plain literals."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"Terme Oxigraph non pris en charge : {term!r}")


def _ox_quad(quad: Quad) -> ox.Quad:
    s, p, o, g = quad
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))


def _sparql_quads(quads: Iterable[Quad]) -> str:
    """Quads as a SPARQL `QuadData` block, grouped by graph (terms in N-Triples syntax)."""
    by_graph: dict[URIRef, list[str]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} .")
    return "\n".join(f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items())


class OxigraphStore(Store):
    """Quads in an Oxigraph database folder (`path`), or in memory when `path` is None.

    Every transaction is one Oxigraph write transaction: a killed process leaves the last committed
    state on disk.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as error:
            raise StoreError(f"Impossible d'ouvrir la base Oxigraph « {self.path} » : {error}") from error
        self.generation = 0

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for the read-only SPARQL endpoint."""
        return self._store

    def quads(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002
        graph: URIRef | None = None,
    ) -> Iterator[Quad]:
        pattern = (
            to_ox(subject) if subject is not None else None,
            to_ox(predicate) if predicate is not None else None,
            to_ox(object) if object is not None else None,
            ox.NamedNode(str(graph)) if graph is not None else None,
        )
        for quad in self._store.quads_for_pattern(*pattern):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue  # Maillage writes named graphs only
            yield (
                from_ox(quad.subject),  # type: ignore[misc]
                URIRef(quad.predicate.value),
                from_ox(quad.object),
                URIRef(quad.graph_name.value),
            )

    def rows(self, predicate: URIRef, *, graph: URIRef | None = None) -> Iterator[Row]:
        """As `Store.rows`, read straight from pyoxigraph's terms (no rdflib term is made).

        A SPARQL ``SELECT ?s ?o`` rather than `quads_for_pattern`: Oxigraph then decodes two terms per
        quad, not four (the predicate and graph are not asked for), which on disk, where each decoded
        IRI is a database lookup, reads about 30 % faster (in memory, the same).
        """
        named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
        where = f"{ox.NamedNode(str(graph))}" if graph is not None else "?g"
        query = f"SELECT ?s ?o WHERE {{ GRAPH {where} {{ ?s {ox.NamedNode(str(predicate))} ?o }} }}"
        for solution in self._store.query(query):  # type: ignore[union-attr]
            s, o = solution[0], solution[1]
            subject = s.value if type(s) is named else f"_:{s.value}"
            if type(o) is literal:
                language = o.language
                if language:
                    yield subject, o.value, RDF_LANGSTRING, language
                else:
                    yield subject, o.value, o.datatype.value, ""
            elif type(o) is blank:
                yield subject, f"_:{o.value}", "", ""
            else:
                yield subject, o.value, "", ""

    def _commit(self, transaction: Transaction) -> None:
        try:
            if not transaction.removes:
                self._store.extend(_ox_quad(q) for q in transaction.adds)
                return
            update = f"DELETE DATA {{\n{_sparql_quads(transaction.removes)}\n}}"
            if transaction.adds:
                update += f" ;\nINSERT DATA {{\n{_sparql_quads(transaction.adds)}\n}}"
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"Écriture refusée par Oxigraph, rien n'a été écrit : {error}") from error

    def graphs(self) -> set[URIRef]:
        return {
            URIRef(graph.value)
            for graph in self._store.named_graphs()
            if next(iter(self._store.quads_for_pattern(None, None, None, graph)), None) is not None
        }

    def dump_nquads(self, out: BinaryIO) -> None:
        # Sorted lines make dumps comparable with `diff` and byte-identical for equal content.
        buffer = io.BytesIO()
        self._store.dump(buffer, format=ox.RdfFormat.N_QUADS, from_graph=None)
        lines = sorted(line for line in buffer.getvalue().splitlines() if line.strip())
        out.write(b"".join(line + b"\n" for line in lines))

    def restore_nquads(self, source: BinaryIO) -> None:
        try:
            quads = [q for q in ox.parse(source, format=ox.RdfFormat.N_QUADS)]
        except SyntaxError as error:
            raise StoreError(
                f"Sauvegarde N-Quads illisible, la base n'a pas été modifiée : {error}"
            ) from error
        # One SPARQL update is one Oxigraph transaction: the old content stays if anything fails.
        update = "DROP ALL"
        if quads:
            lines = "\n".join(
                f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                if not isinstance(q.graph_name, ox.DefaultGraph)
                else f"{q.subject} {q.predicate} {q.object} ."
                for q in quads
            )
            update += f" ;\nINSERT DATA {{\n{lines}\n}}"
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(
                f"Restauration refusée par Oxigraph, la base n'a pas été modifiée : {error}"
            ) from error
        self.generation += 1

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.flush()
        del self._store
