"""The shared store: quads in any Bolt / openCypher server (Neo4j, FalkorDB), the only module using `neo4j`.

The mapping (docs/decisions/20261128-bolt-store.md):

- every IRI or blank node is a ``(:Resource {uri})`` node (``_:label`` for a blank node);
- a quad whose object is a node is ``(s)-[:STATEMENT {p, g}]->(o:Resource)``: one fixed relationship type
  carrying the predicate IRI ``p`` and the named graph ``g``, because a relationship type cannot be a
  query parameter (rdf:type statements too: classes are nodes, not labels, for the same reason);
- a quad whose object is a literal is ``(s)-[:STATEMENT {p, g}]->(:Literal {v, dt, lang, h})``, one literal
  node per statement: exact lexical form, datatype IRI, language tag (``""`` for none) and a hash of the three
  to find it by value.

Every value travels as a query parameter; query texts are constants chosen among fixed fragments. A commit
stages its writes as *pending* (``r.tx`` set on added statements, ``r.del`` on removed ones; reads ignore
pending additions), then one final query makes them visible and bumps the shared generation: that one query
is atomic on every server, so a commit lands whole or not at all even where Bolt transactions are not
(FalkorDB acknowledges BEGIN/ROLLBACK but runs each query on its own). A failed commit deletes what it staged.

FalkorDB (4.16) splices Bolt parameters into its query text without escaping them, in a 4 KiB buffer: on
such a server (detected on first use) strings are sent percent-escaped (``%``, ``'``, ``\\`` and NUL), read
back unescaped, and each query's parameters are kept under that size (long literals are sent in pieces).
"""

from __future__ import annotations

import atexit
import io
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import neo4j
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
from rdflib.term import BNode, Literal, URIRef

from maillage.graph.stores import spliced
from maillage.graph.stores.base import (
    RAW_BATCH,
    XSD_STRING,
    Object,
    Quad,
    Store,
    StoreError,
    Subject,
    Transaction,
    raw_object,
)
from maillage.graph.stores.nquads import (
    RawObject,
    RawQuad,
    check_iri,
    check_node,
    check_object,
    format_quad,
    parse_nquads,
)

_INDEXES = (
    "CREATE CONSTRAINT FOR (n:Resource) REQUIRE n.uri IS UNIQUE",  # Neo4j; FalkorDB refuses, then:
    "CREATE INDEX FOR (n:Resource) ON (n.uri)",
    "CREATE INDEX FOR (n:Literal) ON (n.h)",
    "CREATE INDEX FOR ()-[r:STATEMENT]-() ON (r.p)",
    "CREATE INDEX FOR ()-[r:STATEMENT]-() ON (r.g)",
)
_PROBE = "\\'"
_VISIBLE = "r.tx IS NULL"
_READ = "RETURN s.uri AS s, r.p AS p, r.g AS g, o.uri AS o, o.v AS v, o.dt AS dt, o.lang AS lang"
# MERGE reuses a committed statement (adding it again changes nothing) and takes over a pending one left by
# a crashed commit; CREATE (restore) stages a fresh copy beside the old content, which the flip deletes.
_TAKE_OVER = "ON MATCH SET r.tx = CASE WHEN r.tx IS NULL THEN NULL ELSE $tx END"
_ADD_NODES = {
    "merge": "UNWIND $rows AS row MERGE (s:Resource {uri: row.s}) MERGE (o:Resource {uri: row.o}) "
    f"MERGE (s)-[r:STATEMENT {{p: row.p, g: row.g}}]->(o) ON CREATE SET r.tx = $tx {_TAKE_OVER}",
    "create": "UNWIND $rows AS row MERGE (s:Resource {uri: row.s}) MERGE (o:Resource {uri: row.o}) "
    "CREATE (s)-[r:STATEMENT {p: row.p, g: row.g, tx: $tx}]->(o)",
}
_ADD_LITERALS = {
    "merge": "UNWIND $rows AS row MERGE (s:Resource {uri: row.s}) "
    "MERGE (s)-[r:STATEMENT {p: row.p, g: row.g}]->(o:Literal {h: row.h}) "
    "ON CREATE SET o.v = row.v, o.dt = row.dt, o.lang = row.lang, r.tx = $tx "
    "ON MATCH SET o.v = CASE WHEN r.tx IS NULL THEN o.v ELSE row.v END, "
    "r.tx = CASE WHEN r.tx IS NULL THEN NULL ELSE $tx END",
    "create": "UNWIND $rows AS row MERGE (s:Resource {uri: row.s}) "
    "CREATE (s)-[r:STATEMENT {p: row.p, g: row.g, tx: $tx}]->"
    "(o:Literal {h: row.h, v: row.v, dt: row.dt, lang: row.lang})",
}
_APPEND = (
    "MATCH (s:Resource {uri: $s})-[r:STATEMENT {p: $p, g: $g, tx: $tx}]->(o:Literal {h: $h}) "
    "SET o.v = o.v + $piece"
)
_REMOVE_NODES = (
    "UNWIND $rows AS row MATCH (s:Resource {uri: row.s})-[r:STATEMENT {p: row.p, g: row.g}]->"
    f"(o:Resource {{uri: row.o}}) WHERE {_VISIBLE} SET r.del = $tx"
)
_REMOVE_LITERALS = (
    "UNWIND $rows AS row MATCH (s:Resource {uri: row.s})-[r:STATEMENT {p: row.p, g: row.g}]->"
    f"(o:Literal {{h: row.h}}) WHERE {_VISIBLE} SET r.del = $tx"
)
_REMOVE_ALL = f"MATCH ()-[r:STATEMENT]->() WHERE {_VISIBLE} SET r.del = $tx"
# FalkorDB 4.16 skips a DELETE followed by `WITH o WHERE o:Literal`; FOREACH over a CASE works on both.
_DROP_LITERAL = "FOREACH (l IN CASE WHEN o:Literal THEN [o] ELSE [] END | DELETE l)"
_FLIP = (
    "MERGE (m:MaillageStore {key: 'store'}) SET m.generation = coalesce(m.generation, 0) + 1 "
    "WITH m OPTIONAL MATCH ()-[r:STATEMENT]->(o) WHERE r.tx = $tx OR r.del = $tx SET r.tx = NULL "
    f"WITH r, o WHERE r.del = $tx DELETE r {_DROP_LITERAL}"
)
_ABORT = (
    "MATCH ()-[r:STATEMENT]->(o) WHERE r.tx = $tx OR r.del = $tx SET r.del = NULL "
    f"WITH r, o WHERE r.tx = $tx DELETE r {_DROP_LITERAL}"
)
_ORPHANS = "UNWIND $rows AS row MATCH (n:Resource {uri: row.u}) WHERE NOT (n)--() DELETE n"
_GENERATION = "MATCH (m:MaillageStore {key: 'store'}) RETURN m.generation AS generation"
_COUNT_BY_GRAPH = "MATCH ()-[r:STATEMENT]->() WHERE {} RETURN r.g AS g, count(r) AS n"
_CONNECT_TIMEOUT = 3.0
_CONNECT_ATTEMPTS = 5


_DRIVERS: dict[tuple[str, tuple[str, str] | None], neo4j.Driver] = {}
_DRIVERS_LOCK = threading.Lock()


def _shared_driver(uri: str, auth: tuple[str, str] | None) -> neo4j.Driver:
    """One driver (one connection pool) per address and credentials for the life of the process, as the
    neo4j documentation advises; it also spares FalkorDB's Bolt port the new connections it handles badly
    (the first handshake after a client left goes unanswered)."""
    with _DRIVERS_LOCK:
        driver = _DRIVERS.get((uri, auth))
        if driver is None:
            timeout = _CONNECT_TIMEOUT
            driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=timeout, connection_acquisition_timeout=timeout
            )
            _DRIVERS[(uri, auth)] = driver
            atexit.register(driver.close)
        return driver


class BoltStore(Store):
    """Quads in a Bolt server at `uri` (``bolt://host:port``, ``neo4j+s://…``), in graph `database`.

    `batch_rows` rows are written per ``UNWIND`` query (fewer on a server that splices parameters). The
    connection is checked at once: an unreachable server or refused credentials raise `StoreError`.
    """

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_rows: int = 2000,
    ) -> None:
        self.uri, self.database, self.batch_rows = uri, database, batch_rows
        auth = (user, password or "") if user is not None else None
        where = f"« {uri} »" + (f", base « {database} »" if database else "")
        try:
            self._driver = _shared_driver(uri, auth)
        except (DriverError, ValueError) as error:
            raise StoreError(f"Adresse Bolt refusée {where} : {error}") from error
        self._where = where
        self._splices: bool | None = None
        try:
            self._run("RETURN 1 AS one")  # fails now, with the address, rather than at the first read
        except StoreError as error:
            if not isinstance(error.__cause__, Neo4jError):
                raise
            # The server answered but refused the simplest query: its credentials, whatever it calls it
            # (Neo4j: AuthError; FalkorDB: an "unknown error").
            who = f"l'utilisateur « {user} »" if user is not None else "aucun utilisateur"
            raise StoreError(
                f"Connexion refusée par le serveur Bolt {where} avec {who} : identifiants refusés ? "
                f"Vérifiez l'utilisateur et le mot de passe. Réponse du serveur : {error.__cause__}"
            ) from error

    # -- plumbing ------------------------------------------------------------------------------------
    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        for attempt in range(_CONNECT_ATTEMPTS):
            try:
                with self._driver.session(database=self.database) as session:
                    return [record.data() for record in session.run(query, params)]
            except ServiceUnavailable as error:
                # Only a failed connection is retried (the query was never sent): FalkorDB's Bolt port
                # leaves some handshakes unanswered.
                if "Couldn't connect" not in str(error) or attempt == _CONNECT_ATTEMPTS - 1:
                    raise StoreError(f"Serveur Bolt injoignable {self._where} : {error}") from error
            except (DriverError, Neo4jError) as error:
                raise StoreError(f"Requête refusée par le serveur Bolt {self._where} : {error}") from error
        raise AssertionError("unreachable")

    def _stream(self, query: str, *, fetch_size: int, **params: Any) -> Iterator[dict[str, Any]]:
        """Like `_run`, the records pulled from the server `fetch_size` at a time (memory O(fetch_size)).

        A failed connection is retried only before the first record; the server answers one query over one
        state of the graph (FalkorDB runs a query whole; Neo4j, in one auto-commit transaction)."""
        for attempt in range(_CONNECT_ATTEMPTS):
            started = False
            try:
                with self._driver.session(database=self.database, fetch_size=fetch_size) as session:
                    for record in session.run(query, params):
                        started = True
                        yield record.data()
                return
            except ServiceUnavailable as error:
                if started or "Couldn't connect" not in str(error) or attempt == _CONNECT_ATTEMPTS - 1:
                    raise StoreError(f"Serveur Bolt injoignable {self._where} : {error}") from error
            except (DriverError, Neo4jError) as error:
                raise StoreError(f"Requête refusée par le serveur Bolt {self._where} : {error}") from error

    def _prepare(self) -> bool:
        """On first use: learn whether the server splices parameters, create the indexes. Returns it."""
        if self._splices is None:
            try:
                splices = self._run("RETURN $probe AS probe", probe=_PROBE) != [{"probe": _PROBE}]
            except StoreError:
                splices = True  # the spliced quote broke the query text
            for statement in _INDEXES:
                try:
                    self._run(statement)
                except StoreError:
                    pass  # already there, or not in this server's dialect (the next line covers it)
            self._splices = splices
        return self._splices

    def _enc(self, text: str) -> str:
        return spliced.escape(text) if self._prepare() else text

    def _dec(self, text: str | None) -> str:
        return spliced.unescape(text or "") if self._splices else text or ""

    def _batches(self, query: str, rows: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        if self._prepare():
            yield from spliced.batches(query, rows)
            return
        for start in range(0, len(rows), self.batch_rows):
            yield list(rows[start : start + self.batch_rows])

    def _write(self, query: str, rows: Sequence[dict[str, Any]], tx: str) -> None:
        for batch in self._batches(query, rows):
            self._run(query, rows=batch, tx=tx)

    # -- terms -----------------------------------------------------------------------------------------
    @staticmethod
    def _node_key(term: Subject | URIRef) -> str:
        return f"_:{term}" if isinstance(term, BNode) else str(term)

    def _term(self, text: str) -> Subject:
        text = self._dec(text)
        return BNode(text[2:]) if text.startswith("_:") else URIRef(text)

    def _object(self, record: dict[str, Any]) -> Object:
        if record["o"] is not None:
            return self._term(record["o"])
        value, datatype, language = self._dec(record["v"]), self._dec(record["dt"]), self._dec(record["lang"])
        if language:
            return Literal(value, lang=language)
        return Literal(value) if datatype == XSD_STRING else Literal(value, datatype=URIRef(datatype))

    def _rows(self, quads: Iterable[RawQuad], tx: str, *, mode: str) -> None:
        """Stage raw quads as pending additions (`mode` "merge" or "create")."""
        nodes: list[dict[str, Any]] = []
        literals: list[dict[str, Any]] = []
        long_values: list[tuple[dict[str, Any], list[str]]] = []
        for subject, predicate, (value, datatype, language), graph in quads:
            row = {"s": self._enc(subject), "p": self._enc(predicate), "g": self._enc(graph)}
            if not datatype:
                nodes.append({**row, "o": self._enc(value)})
                continue
            pieces = self._pieces(value)
            row.update(h=spliced.literal_hash(value, datatype, language), v=pieces[0])
            row.update(dt=self._enc(datatype), lang=self._enc(language))
            literals.append(row)
            if len(pieces) > 1:
                long_values.append((row, pieces[1:]))
        self._write(_ADD_NODES[mode], nodes, tx)
        self._write(_ADD_LITERALS[mode], literals, tx)
        for row, pieces in long_values:
            for piece in pieces:
                self._run(_APPEND, s=row["s"], p=row["p"], g=row["g"], h=row["h"], piece=piece, tx=tx)

    def _pieces(self, value: str) -> list[str]:
        """The escaped value, cut so that each piece fits one query on a splicing server."""
        encoded = self._enc(value)
        if not self._splices or len(encoded.encode()) <= spliced.PIECE:
            return [encoded]
        return spliced.cut(value)

    def _apply(self, stage: Any) -> None:
        """Run `stage(tx)` then the flip; on any failure delete what was staged and re-raise."""
        tx = uuid.uuid4().hex
        try:
            stage(tx)
            self._run(_FLIP, tx=tx)
        except BaseException as error:
            try:
                self._run(_ABORT, tx=tx)
            except StoreError:
                pass  # pending rows stay invisible; a later commit taking them over cleans them
            if isinstance(error, StoreError):
                raise StoreError(f"{error} ; rien n'a été écrit.") from error
            raise

    # -- the Store contract --------------------------------------------------------------------------
    sole_writer = False  # other processes write to the same server

    @property  # type: ignore[override]
    def generation(self) -> int:
        """The shared count of commits, kept on the server: every process sees every other's writes."""
        answer = self._run(_GENERATION)
        return int(answer[0]["generation"]) if answer else 0

    @generation.setter
    def generation(self, _value: int) -> None:
        """Ignored: the final query of each commit moves the server's count."""

    def quads(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002
        graph: URIRef | None = None,
    ) -> Iterator[Quad]:
        self._prepare()
        params: dict[str, str] = {}
        source = "(s:Resource)"
        if subject is not None:
            source, params["s"] = "(s:Resource {uri: $s})", self._enc(self._node_key(subject))
        target = "(o)"
        if isinstance(object, Literal):
            value, datatype, language = raw_object(object)
            target = "(o:Literal {h: $h})"
            params["h"] = spliced.literal_hash(value, datatype, language.lower())
        elif object is not None:
            target, params["o"] = "(o:Resource {uri: $o})", self._enc(self._node_key(object))
        conditions = [_VISIBLE]
        if predicate is not None:
            conditions.append("r.p = $p")
            params["p"] = self._enc(str(predicate))
        if graph is not None:
            conditions.append("r.g = $g")
            params["g"] = self._enc(str(graph))
        query = f"MATCH {source}-[r:STATEMENT]->{target} WHERE {' AND '.join(conditions)} {_READ}"
        for record in self._run(query, **params):
            yield (
                self._term(record["s"]),
                URIRef(self._dec(record["p"])),
                self._object(record),
                URIRef(self._dec(record["g"])),
            )

    def _raw(self, quads: Iterable[Quad]) -> list[RawQuad]:
        """Checked raw quads of rdflib ones (`StoreError` names the bad term)."""
        raw: list[RawQuad] = []
        for s, p, o, g in quads:
            obj: RawObject = raw_object(o)
            raw.append(
                (
                    check_node(self._node_key(s), role="sujet"),
                    check_iri(str(p), role="prédicat"),
                    check_object(obj),
                    check_iri(str(g), role="graphe"),
                )
            )
        return raw

    def _commit(self, transaction: Transaction) -> None:
        adds, removes = self._raw(transaction.adds), self._raw(transaction.removes)

        def stage(tx: str) -> None:
            nodes = [q for q in removes if not q[2][1]]
            literals = [q for q in removes if q[2][1]]
            self._write(_REMOVE_NODES, [self._row(q) for q in nodes], tx)
            self._write(_REMOVE_LITERALS, [self._row(q) for q in literals], tx)
            self._rows(adds, tx, mode="merge")

        self._apply(stage)
        touched = {q[0] for q in removes} | {q[2][0] for q in removes if not q[2][1]}
        if touched:
            self._write(_ORPHANS, [{"u": self._enc(u)} for u in touched], "")  # tidiness only

    def _row(self, quad: RawQuad) -> dict[str, str]:
        subject, predicate, (value, datatype, language), graph = quad
        row = {"s": self._enc(subject), "p": self._enc(predicate), "g": self._enc(graph)}
        if datatype:
            row["h"] = spliced.literal_hash(value, datatype, language)
        else:
            row["o"] = self._enc(value)
        return row

    def graphs(self) -> set[URIRef]:
        query = f"MATCH ()-[r:STATEMENT]->() WHERE {_VISIBLE} RETURN DISTINCT r.g AS g"
        return {URIRef(self._dec(record["g"])) for record in self._run(query)}

    def dump_nquads(self, out: BinaryIO) -> None:
        self._prepare()
        query = f"MATCH (s:Resource)-[r:STATEMENT]->(o) WHERE {_VISIBLE} {_READ}"
        lines = []
        for record in self._run(query):
            lines.append(format_quad(self._raw_record(record)).encode("utf-8"))
        # Sorted bytes, as Oxigraph's dump: equal content gives byte-identical dumps on both stores.
        out.write(b"".join(sorted(set(lines))))

    def _raw_record(self, record: dict[str, Any]) -> RawQuad:
        if record["o"] is not None:
            obj: RawObject = (self._dec(record["o"]), "", "")
        else:
            obj = (self._dec(record["v"]), self._dec(record["dt"]), self._dec(record["lang"]))
        return self._dec(record["s"]), self._dec(record["p"]), obj, self._dec(record["g"])

    def raw_batches(self, *, size: int = RAW_BATCH) -> Iterator[list[RawQuad]]:
        """As `Store.raw_batches`: one query, its records streamed `size` at a time."""
        self._prepare()
        query = f"MATCH (s:Resource)-[r:STATEMENT]->(o) WHERE {_VISIBLE} {_READ}"
        batch: list[RawQuad] = []
        for record in self._stream(query, fetch_size=size):
            batch.append(self._raw_record(record))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def replace_all(
        self,
        batches: Iterable[Sequence[RawQuad]],
        *,
        check: Callable[[dict[str, int]], None] | None = None,
    ) -> None:
        """As `Store.replace_all`, atomic: like `restore_nquads`, every quad is staged as pending (the old
        ones marked for deletion), counted and given to `check`, then one query makes them visible. Any
        failure before it deletes what was staged: the server keeps its old content. The server holds the
        old and the new content until then (about twice the memory of one copy)."""

        def stage(tx: str) -> None:
            self._run(_REMOVE_ALL, tx=tx)
            for batch in batches:
                self._rows([_checked(quad) for quad in batch], tx, mode="create")
            if check is not None:
                staged = self._run(_COUNT_BY_GRAPH.format("r.tx = $tx"), tx=tx)
                check({self._dec(row["g"]): int(row["n"]) for row in staged})

        self._apply(stage)
        self._run("MATCH (n:Resource) WHERE NOT (n)--() DELETE n")

    def count_by_graph(self) -> dict[str, int]:
        """Quads per named graph, counted by the server (one query)."""
        answer = self._run(_COUNT_BY_GRAPH.format(_VISIBLE))
        return {self._dec(row["g"]): int(row["n"]) for row in answer}

    def restore_nquads(self, source: BinaryIO) -> None:
        quads = list(dict.fromkeys(parse_nquads(io.TextIOWrapper(source, encoding="utf-8"))))

        def stage(tx: str) -> None:
            self._run(_REMOVE_ALL, tx=tx)
            self._rows(quads, tx, mode="create")

        self._apply(stage)
        self._run("MATCH (n:Resource) WHERE NOT (n)--() DELETE n")

    def __len__(self) -> int:
        answer = self._run(f"MATCH ()-[r:STATEMENT]->() WHERE {_VISIBLE} RETURN count(r) AS n")
        return int(answer[0]["n"])

    def drop_everything(self) -> None:
        """Delete every node of the graph (tests; `maillage copy` onto a store it replaces)."""
        self._run("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        """Nothing to release: the driver is shared by the stores of this process (`_shared_driver`)."""


def _checked(quad: RawQuad) -> RawQuad:
    """A raw quad whose terms N-Quads can carry (`StoreError` names the bad one), its language tag
    lower-cased as Oxigraph keeps it."""
    subject, predicate, obj, graph = quad
    return (
        check_node(subject, role="sujet"),
        check_iri(predicate, role="prédicat"),
        check_object(obj),
        check_iri(graph, role="graphe"),
    )
