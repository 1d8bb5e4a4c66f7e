"""The data graph a SHACL validation reads: an rdflib graph over a plain triple index, built in one pass.

Why not rdflib's default store: its `Memory` store keeps, for every triple, the contexts it belongs to,
and checks them on every lookup. An import's validation adds about 7 triples per entity (1.2 million at
25,000 actors) and pyshacl then asks ``objects(subject, predicate)`` about 55 times per entity; adding
the triples alone took 43 % of the validation. rdflib's `SimpleMemory` has no contexts but counts its
triples by iterating them all (pyshacl asks for the length once per shape) and is refused by pyshacl,
which wraps a data graph in a `Dataset` (it asserts a context-aware store). `TripleIndex` is that
wrapper's one graph: two dictionary indexes, contexts ignored, a counter for the length. Validation CPU
at 5,000 actors: 10.8 s on `Memory`, 5.0 s here (docs/decisions/20261129-import-target.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_NO_CONTEXTS: tuple[Graph, ...] = ()


class TripleIndex(Store):
    """Triples indexed by subject → predicate → object and predicate → object → subject; one graph.

    `context_aware` and `graph_aware` are declared only so that pyshacl's `Dataset` wrapper accepts the
    store: every triple is in the one graph whatever context is asked.

    >>> from rdflib import URIRef
    >>> a, knows, b = URIRef("urn:a"), URIRef("urn:knows"), URIRef("urn:b")
    >>> graph = data_graph([(a, knows, b), (a, knows, b), (b, knows, a)])
    >>> len(graph), sorted(graph.subjects(knows, a))
    (2, [rdflib.term.URIRef('urn:b')])
    """

    context_aware = True
    graph_aware = True

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        super().__init__()
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._size = 0
        self.add_all(triples)

    def add_all(self, triples: Iterable[Triple]) -> None:
        """Add triples; one already there is not counted twice."""
        spo, pos = self._spo, self._pos
        added = 0
        for s, p, o in triples:
            by_predicate = spo.get(s)
            if by_predicate is None:
                by_predicate = spo[s] = {}
            objects = by_predicate.get(p)
            if objects is None:
                objects = by_predicate[p] = {}
            elif o in objects:
                continue
            objects[o] = None
            by_object = pos.get(p)
            if by_object is None:
                by_object = pos[p] = {}
            subjects = by_object.get(o)
            if subjects is None:
                by_object[o] = {s: None}
            else:
                subjects[s] = None
            added += 1
        self._size += added

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:  # type: ignore[override]
        self.add_all((triple,))

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Any]]) -> None:  # type: ignore[override]  # noqa: N802 - rdflib's name
        self.add_all((s, p, o) for s, p, o, _context in quads)

    def remove(self, triple: Any, context: Any = None) -> None:
        for (s, p, o), _contexts in list(self.triples(triple)):
            del self._spo[s][p][o]
            del self._pos[p][o][s]
            self._size -= 1

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Triple, Any]]:
        """The triples matching a pattern (None: any), each with no context."""
        s, p, o = triple_pattern
        if s is not None:
            by_predicate = self._spo.get(s)
            if not by_predicate:
                return
            for predicate in (p,) if p is not None else tuple(by_predicate):
                objects = by_predicate.get(predicate)
                if not objects:
                    continue
                if o is not None:
                    if o in objects:
                        yield (s, predicate, o), _NO_CONTEXTS
                    continue
                for value in tuple(objects):
                    yield (s, predicate, value), _NO_CONTEXTS
            return
        for predicate in (p,) if p is not None else tuple(self._pos):
            by_object = self._pos.get(predicate)
            if not by_object:
                continue
            for value in (o,) if o is not None else tuple(by_object):
                for subject in tuple(by_object.get(value, ())):
                    yield (subject, predicate, value), _NO_CONTEXTS

    def __len__(self, context: Any = None) -> int:
        return self._size

    def contexts(self, triple: Any = None) -> Iterator[Graph]:
        return iter(())

    def add_graph(self, graph: Graph) -> None:
        """One graph only: nothing to add."""

    def remove_graph(self, graph: Graph) -> None:
        raise NotImplementedError("TripleIndex holds one graph")


class IndexedGraph(Graph):
    """A graph over a `TripleIndex` answering ``objects(s, p)`` and ``subjects(p, o)`` — nearly all that
    pyshacl asks — from the indexes directly, without rdflib's three generator layers in between
    (a quarter of pyshacl's time on an import)."""

    def __init__(self, index: TripleIndex) -> None:
        super().__init__(store=index)
        self._spo, self._pos = index._spo, index._pos

    def objects(  # type: ignore[override]
        self, subject: Any = None, predicate: Any = None, unique: bool = False
    ) -> Iterator[Node]:
        if (
            subject is None
            or predicate is None
            or isinstance(subject, list)
            or not isinstance(predicate, URIRef)
        ):
            return super().objects(subject, predicate, unique)
        return iter(tuple(self._spo.get(subject, _EMPTY).get(predicate, ())))

    def subjects(  # type: ignore[override]  # `object`: rdflib's name
        self,
        predicate: Any = None,
        object: Any = None,
        unique: bool = False,
    ) -> Iterator[Node]:
        if (
            object is None
            or predicate is None
            or isinstance(object, list)
            or not isinstance(predicate, URIRef)
        ):
            return super().subjects(predicate, object, unique)
        return iter(tuple(self._pos.get(predicate, _EMPTY).get(object, ())))


_EMPTY: dict[Node, Any] = {}


def data_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph over a `TripleIndex` of `triples` (duplicates dropped)."""
    return IndexedGraph(TripleIndex(triples))
