"""The `Store` contract: what every Maillage store (embedded Oxigraph, Bolt server) must do.

Terms are rdflib terms (`URIRef`, `Literal`, `BNode`); every quad lives in a named graph (an IRI).
Writes happen in transactions that land whole or not at all. Reads inside a transaction see the state
from before it (writes are buffered until commit).
"""

from __future__ import annotations

import abc
import collections
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from rdflib.namespace import RDF
from rdflib.term import BNode, Literal, URIRef

if TYPE_CHECKING:
    from maillage.graph.stores.nquads import RawQuad

Subject = URIRef | BNode
Object = URIRef | BNode | Literal
Quad = tuple[Subject, URIRef, Object, URIRef]
#: One (subject, object) of a predicate as plain strings: ``(subject, value, datatype, language)``.
#: A node is its IRI, or ``_:label`` for a blank node (no IRI starts with ``_:``); for a node object
#: `datatype` and `language` are ``""``; for a literal `value` is its lexical form, `datatype` its
#: datatype IRI (``xsd:string`` for a plain literal, ``rdf:langString`` with a language) and `language`
#: its tag or ``""``. See `Store.rows`.
Row = tuple[str, str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Quads per list of `Store.raw_batches` (about 5 MB of Python strings).
RAW_BATCH = 10_000
#: Commits whose touched (subject, predicate) pairs a store keeps for `Store.changes_since`.
CHANGES_KEPT = 256


class StoreError(Exception):
    """A store could not do what was asked; the message says what and where."""


class Transaction:
    """Buffered writes, applied atomically by the store on commit.

    A quad both added and removed in the same transaction ends as the last call says.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.adds: dict[Quad, None] = {}
        self.removes: dict[Quad, None] = {}

    def add(self, quad: Quad) -> None:
        self.removes.pop(quad, None)
        self.adds[quad] = None

    def add_all(self, quads: Iterable[Quad]) -> None:
        for quad in quads:
            self.add(quad)

    def remove(self, quad: Quad) -> None:
        self.adds.pop(quad, None)
        self.removes[quad] = None

    def remove_pattern(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002 - mirrors the RDF vocabulary
        graph: URIRef | None = None,
    ) -> int:
        """Remove every committed quad matching the pattern; return how many were matched."""
        count = 0
        for quad in self._store.quads(subject, predicate, object, graph):
            self.remove(quad)
            count += 1
        return count

    @property
    def is_empty(self) -> bool:
        return not self.adds and not self.removes


class Store(abc.ABC):
    """A persistent quad store with atomic transactions and N-Quads dump/restore."""

    #: increases by one at every committed change; the analysis index compares it to know it is stale.
    generation: int = 0
    #: Whether this process sees every change of the store, so that `changes_since` may answer: true for an
    #: embedded store, false for a shared server that other processes write to.
    sole_writer: bool = True

    @abc.abstractmethod
    def quads(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002
        graph: URIRef | None = None,
    ) -> Iterator[Quad]:
        """Yield the quads matching a pattern (`None` matches anything)."""

    @abc.abstractmethod
    def _commit(self, transaction: Transaction) -> None:
        """Apply a transaction's removes then adds atomically, or raise `StoreError` leaving no trace."""

    @abc.abstractmethod
    def graphs(self) -> set[URIRef]:
        """The named graphs holding at least one quad."""

    @abc.abstractmethod
    def dump_nquads(self, out: BinaryIO) -> None:
        """Write every quad as N-Quads (UTF-8)."""

    @abc.abstractmethod
    def restore_nquads(self, source: BinaryIO) -> None:
        """Replace the whole content of the store by an N-Quads dump, atomically."""

    @abc.abstractmethod
    def raw_batches(self, *, size: int = RAW_BATCH) -> Iterator[list[RawQuad]]:
        """Every quad as plain strings (`RawQuad`), in lists of at most `size`, streamed from one read of
        the store: memory O(size) whatever it holds. No rdflib term is made, so nothing is normalised on
        the way (rdflib would turn ``"01"^^xsd:integer`` into ``"1"``) and blank nodes keep their labels.
        The read side of `maillage copy` (`maillage.graph.stores.copy`)."""

    @abc.abstractmethod
    def replace_all(
        self,
        batches: Iterable[Sequence[RawQuad]],
        *,
        check: Callable[[dict[str, int]], None] | None = None,
    ) -> None:
        """Replace the whole content of the store by the quads of `batches`, read one batch at a time
        (memory O(batch), not O(store)); a blank node label names the same node in every batch.

        `check` is called with the new content's quads per named graph before it becomes visible; an
        exception from it (or from `batches`) leaves the store as it was, where the store can: each
        implementation says how atomic it is. The write side of `maillage copy`."""

    def count_by_graph(self) -> dict[str, int]:
        """The number of quads in each named graph (graphs holding none are absent).

        This default reads every quad (O(quads)); both stores count on their side instead."""
        counts: dict[str, int] = {}
        for _s, _p, _o, graph in self.quads():
            counts[str(graph)] = counts.get(str(graph), 0) + 1
        return counts

    @abc.abstractmethod
    def __len__(self) -> int:
        """The number of quads."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Buffer writes and apply them on exit; an exception inside discards them all.

        >>> from maillage.graph.stores.oxigraph import OxigraphStore
        >>> store = OxigraphStore(None)
        >>> with store.transaction() as tx:
        ...     tx.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x"), URIRef("urn:g")))
        >>> len(store)
        1
        """
        transaction = Transaction(self)
        yield transaction
        self.commit(transaction)

    def add_all(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        with self.transaction() as tx:
            tx.add_all(quads)

    def triples(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002
        graph: URIRef | None = None,
    ) -> Iterator[tuple[Subject, URIRef, Object]]:
        """Like `quads` without the graph name."""
        for s, p, o, _g in self.quads(subject, predicate, object, graph):
            yield s, p, o

    def rows(self, predicate: URIRef, *, graph: URIRef | None = None) -> Iterator[Row]:
        """Every (subject, object) of one predicate as plain strings (`Row`), across all named graphs
        or in `graph`; one row per quad, so a triple held in two graphs comes twice.

        The raw read path of the analysis index: no rdflib term is made. This default is built on
        `quads`; a store overrides it when it can read faster (Oxigraph: straight from its own terms).

        >>> from maillage.graph.stores.oxigraph import OxigraphStore
        >>> store = OxigraphStore(None)
        >>> store.add_all([(URIRef("urn:a"), URIRef("urn:p"), Literal("x", lang="fr"), URIRef("urn:g"))])
        >>> list(Store.rows(store, URIRef("urn:p")))
        [('urn:a', 'x', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'fr')]
        """
        for s, _p, o, _g in self.quads(None, predicate, None, graph):
            subject = f"_:{s}" if isinstance(s, BNode) else str(s)
            yield (subject, *raw_object(o))

    def instances(self, klass: URIRef) -> Iterator[str]:
        """The subjects typed `klass` (``rdf:type``) across all named graphs, as plain strings (``_:label``
        for a blank node); one per quad, so a subject typed in two graphs comes twice.

        The analysis index's read of its classes; a store overrides it when it can read faster.

        >>> from maillage.graph.stores.oxigraph import OxigraphStore
        >>> store = OxigraphStore(None)
        >>> store.add_all([(URIRef("urn:a"), RDF.type, URIRef("urn:C"), URIRef("urn:g"))])
        >>> list(Store.instances(store, URIRef("urn:C")))
        ['urn:a']
        """
        for s, _p, _o, _g in self.quads(None, RDF.type, klass, None):
            yield f"_:{s}" if isinstance(s, BNode) else str(s)

    def value(self, subject: Subject, predicate: URIRef, *, graph: URIRef | None = None) -> Object | None:
        """One object of (subject, predicate), or None."""
        for _s, _p, o, _g in self.quads(subject, predicate, None, graph):
            return o
        return None

    @property
    def write_lock(self) -> threading.RLock:
        """Held while a transaction is applied; `maillage.graph.backup` holds it to copy the store
        between two commits (a journaled Oxigraph commit is several Oxigraph transactions)."""
        # dict.setdefault is atomic: two threads asking at once get the same lock
        return self.__dict__.setdefault("_write_lock", threading.RLock())  # type: ignore[no-any-return]

    def commit(self, transaction: Transaction) -> None:
        """Apply a prepared transaction (see `plan_upsert`) atomically; an empty one writes nothing."""
        if not transaction.is_empty:
            touched = frozenset(
                (q[0], q[1]) for quads in (transaction.removes, transaction.adds) for q in quads
            )
            with self.write_lock:
                self._commit(transaction)
                self.generation += 1
                if self.sole_writer:
                    self._changes().append((self.generation, touched))

    def changes_since(self, generation: int) -> tuple[int, list[frozenset[tuple[Subject, URIRef]]]] | None:
        """The store's generation now and, for each commit after `generation` up to it, the (subject,
        predicate) pairs it added or removed; None when one of those changes is not known here — made by
        another process, by a bulk replace or a restore, or older than the last `CHANGES_KEPT` commits.

        What lets the analysis index follow a small write instead of being rebuilt
        (`maillage.graph.index.patch_index`).

        >>> from maillage.graph.stores.oxigraph import OxigraphStore
        >>> store = OxigraphStore(None)
        >>> with store.transaction() as tx:
        ...     tx.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x"), URIRef("urn:g")))
        >>> store.changes_since(0)
        (1, [frozenset({(rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:p'))})])
        >>> store.generation += 1  # as a bulk replace does: no journal of what it changed
        >>> store.changes_since(0) is None, store.changes_since(2)
        (True, (2, []))
        """
        now = self.generation
        if not self.sole_writer:
            return None
        known = {number: touched for number, touched in list(self._changes()) if generation < number <= now}
        if len(known) != now - generation:
            return None
        return now, [known[number] for number in range(generation + 1, now + 1)]

    def _changes(self) -> collections.deque[tuple[int, frozenset[tuple[Subject, URIRef]]]]:
        # dict.setdefault is atomic, as for `write_lock`
        return self.__dict__.setdefault(  # type: ignore[no-any-return]
            "_change_log", collections.deque(maxlen=CHANGES_KEPT)
        )

    def plan_upsert(
        self,
        graph: URIRef,
        triples_by_subject: dict[Subject, set[tuple[Subject, URIRef, Object]]],
        *,
        managed: dict[Subject, frozenset[URIRef]] | None = None,
    ) -> Upsert:
        """Plan making each subject's triples in `graph` exactly the given ones (nothing written).

        With `managed`, only the listed predicates of a subject are replaced (an import of needs alone must
        not erase the actor's name). The caller may add to `plan.transaction` (provenance) before `commit`.
        """
        plan = Upsert(transaction=Transaction(self))
        empty = next(self.quads(None, None, None, graph), None) is None  # a first import: nothing to read
        for subject, wanted in triples_by_subject.items():
            everything = set() if empty else set(self.triples(subject, None, None, graph))
            predicates = managed.get(subject) if managed is not None else None
            current = everything if predicates is None else {t for t in everything if t[1] in predicates}
            if current == wanted:
                plan.unchanged += 1
                continue
            plan.changes[subject] = "updated" if everything else "created"
            for s, p, o in current - wanted:
                plan.transaction.remove((s, p, o, graph))
            for s, p, o in wanted - current:
                plan.transaction.add((s, p, o, graph))
        return plan

    def replace_subjects(
        self,
        graph: URIRef,
        triples_by_subject: dict[Subject, set[tuple[Subject, URIRef, Object]]],
        *,
        managed: dict[Subject, frozenset[URIRef]] | None = None,
        dry_run: bool = False,
    ) -> dict[str, int]:
        """Upsert in one transaction (`plan_upsert` then `commit`); returns counts by subject
        ``{"created": n, "updated": n, "unchanged": n}``. With `dry_run`, nothing is written."""
        plan = self.plan_upsert(graph, triples_by_subject, managed=managed)
        if not dry_run:
            self.commit(plan.transaction)
        return plan.counts()


def raw_object(term: Object) -> tuple[str, str, str]:
    """(value, datatype, language) of an object term, as in `Row`.

    >>> raw_object(Literal("43.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    ('43.5', 'http://www.w3.org/2001/XMLSchema#decimal', '')
    >>> raw_object(BNode("b0"))
    ('_:b0', '', '')
    """
    if isinstance(term, Literal):
        if term.language:
            return str(term), RDF_LANGSTRING, term.language
        return str(term), str(term.datatype) if term.datatype is not None else XSD_STRING, ""
    if isinstance(term, BNode):
        return f"_:{term}", "", ""
    return str(term), "", ""


@dataclass
class Upsert:
    """A planned upsert: its transaction, which subjects it creates or updates, how many it leaves alone."""

    transaction: Transaction
    changes: dict[Subject, str] = field(default_factory=dict)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        values = list(self.changes.values())
        return {
            "created": values.count("created"),
            "updated": values.count("updated"),
            "unchanged": self.unchanged,
        }
