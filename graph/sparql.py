"""The read-only SPARQL endpoint: a query runs on a snapshot of what its caller may see, in a process of
its own, stopped at a time limit, cut at a result limit.

For each audience (`maillage.graph.privacy.Audience`: the public, the network's members, the animators)
a worker process holds the snapshot of what that audience may see in an in-memory Oxigraph store
(`maillage.graph._sparql.snapshot`), built from the store — Oxigraph or Bolt alike — the first time that
audience asks, and again once the store's generation has moved on. A query never runs next to data its
caller may not see: the public worker holds no e-mail, the members' worker no internal note. Queries are
evaluated by processes forked from that worker (`maillage.graph._sparql.zygote`), kept between queries,
fenced by a memory limit and a ban on opening files or sockets, each query under a wall-clock alarm that
ends its evaluator — replaced by a new fork, with no reload (`maillage.graph._sparql.child`). Each query
is checked before evaluation: updates, LOAD and SERVICE are refused (`maillage.graph._sparql.checks`).

>>> from maillage.graph.stores.oxigraph import OxigraphStore
>>> endpoint = SparqlEndpoint(OxigraphStore(None), limits=SparqlLimits(timeout=5))
>>> endpoint.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", accept="text/csv").body
b'n\\r\\n0\\r\\n'
>>> endpoint.close()

Cost: starting a worker is a fresh interpreter plus loading the snapshot; each query then pays the check
(rdflib's parse, 3–10 ms) and a socket round trip; a stopped evaluator, one fork. Figures in
docs/decisions/20261129-sparql.md.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from maillage.graph._sparql.description import service_description
from maillage.graph._sparql.formats import RESULT_FORMATS, ResultFormat
from maillage.graph._sparql.model import SparqlAnswer, SparqlError, SparqlLimits
from maillage.graph._sparql.wire import WireError, read_frame, send_frame
from maillage.graph.privacy import Audience, PrivacyWatch
from maillage.graph.stores.base import Store

if TYPE_CHECKING:
    from maillage.graph.index import NetworkIndex

# The snapshot's modules (the export selection, the analysis index: numpy, scipy) are imported when a
# snapshot is taken, not here: `maillage.settings` imports `SparqlLimits` at every start of the CLI.

__all__ = [
    "RESULT_FORMATS",
    "ResultFormat",
    "SparqlAnswer",
    "SparqlEndpoint",
    "SparqlError",
    "SparqlLimits",
    "service_description",
]

#: Seconds the API process waits beyond the time limit before it gives up on a worker's answer.
GRACE_SECONDS = 2.0
#: Seconds a new worker may take to load its snapshot.
READY_SECONDS = 900.0
#: Snapshots slower than this (seconds, taken and loaded) are replaced in the background after a write.
STALE_AFTER_SECONDS = 1.0
#: After a background snapshot that took t seconds, the next waits REST_RATIO × t (`SparqlEndpoint`).
REST_RATIO = 1.0

log = logging.getLogger("maillage.sparql")


class RetiredWorkerError(Exception):
    """The worker was replaced (the store changed) between choosing it and sending it the query."""


class Worker:
    """The API process's handle on one worker process: its snapshot's generation, its control socket and
    its idle evaluators (each a socket to a process forked from the worker)."""

    def __init__(self, snapshot: Path, *, generation: int, limits: SparqlLimits) -> None:
        from maillage.graph._export.selection import PREFIXES

        self.generation = generation
        self.limits = limits
        self.retired = False
        self.alive = True
        control, theirs = socket.socketpair()
        config = {
            "control_fd": theirs.fileno(),
            "snapshot": str(snapshot),
            "timeout": limits.timeout,
            "memory_mb": limits.memory_mb,
            "max_results": limits.max_results,
            "prefixes": PREFIXES,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "maillage.graph._sparql.zygote", json.dumps(config)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self._control = control
        self._lock = threading.Lock()
        self._idle: list[socket.socket] = []
        try:
            frame = read_frame(control, deadline=time.monotonic() + READY_SECONDS)
        except WireError:
            frame = None
        if frame is None or frame[0].get("kind") != "ready":
            self.close()
            self.process.kill()
            why = frame[0].get("message", "") if frame is not None else "arrêté au démarrage"
            raise SparqlError(503, f"Le processus d'évaluation SPARQL n'a pas pu charger les données : {why}")
        self.quads: int = frame[0]["quads"]
        #: the private persons when its snapshot was taken (`PrivacyWatch`)
        self.private: frozenset[object] = frozenset()

    def _evaluator(self) -> socket.socket:
        """An idle evaluator, or a new one forked by the worker."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if self.retired:
                raise RetiredWorkerError()
            try:
                self._control.sendall(b"F")
                _pid, fds, _flags, _address = socket.recv_fds(self._control, 32, 1)
            except OSError:
                fds = []
            if not fds:  # the worker itself died: the next query starts another
                self.alive = False
                raise SparqlError(503, "Le processus d'évaluation SPARQL s'est arrêté : réessayez")
            return socket.socket(fileno=fds[0])

    def run(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Have an evaluator answer one request; its answer frame, or the error that stopped it."""
        evaluator = self._evaluator()
        started = time.monotonic()
        try:
            send_frame(evaluator, request)
            frame = read_frame(evaluator, deadline=started + self.limits.timeout + GRACE_SECONDS)
        except (WireError, OSError):
            frame = None
        if frame is None:
            # The evaluator ended without answering: at the time limit (its alarm), or out of memory.
            evaluator.close()
            if time.monotonic() - started >= self.limits.timeout:
                raise timed_out(self.limits)
            raise out_of_memory(self.limits)
        with self._lock:
            if self.retired:
                evaluator.close()
            else:
                self._idle.append(evaluator)
        return frame

    def close(self) -> None:
        """Close the control socket and the idle evaluators: the worker ends, and each evaluator once its
        socket is closed (at once, or after the query it is answering)."""
        with self._lock:
            self.retired = True
            for evaluator in self._idle:
                evaluator.close()
            self._idle.clear()
            self._control.close()


def timed_out(limits: SparqlLimits) -> SparqlError:
    return SparqlError(
        504,
        f"Requête arrêtée au bout de {limits.timeout:g} s (limite de temps du point d'accès) : "
        "précisez-la (filtres, LIMIT) ou évitez les produits cartésiens",
    )


def out_of_memory(limits: SparqlLimits) -> SparqlError:
    return SparqlError(
        503,
        f"Requête arrêtée : elle demandait plus de mémoire que permis ({limits.memory_mb} Mio en plus des "
        "données) ; précisez-la (filtres, LIMIT)",
    )


def _close_workers(workers: dict[Audience, Worker], retired: list[Worker], wait: float) -> None:
    """Close every worker, then wait for each to end (at most `wait` seconds) before killing it."""
    everyone = [*workers.values(), *retired]
    workers.clear()
    retired.clear()
    for worker in everyone:
        worker.close()
    deadline = time.monotonic() + wait
    for worker in everyone:
        try:
            worker.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


class SparqlEndpoint:
    """Answers SPARQL queries on `store` within `limits` (thread-safe; one per application).

    `index` returns the store's current analysis index (the API shares its own); without it the endpoint
    builds one when it takes a snapshot.

    Once a snapshot has taken more than `stale_after` seconds to take and load, a write no longer makes the
    next query wait for a new one: queries keep running on the previous snapshot while one background
    thread takes the next — written in a process of its own from a checkpoint of the store when it can be
    (`snapshot.write_snapshot_apart`) — and installs it; after each it rests `rest_ratio` times as long
    before the next, writes meanwhile folded in. A query may so answer from data some tens of seconds old
    on a large network under writes (at 25,000 actors a snapshot takes about 40 s), as public query
    services do (Wikidata's lags minutes) — except after someone has become private: the public and
    network snapshots are then never served stale (`maillage.graph.privacy.PrivacyWatch`), queries wait
    for the new one.
    """

    def __init__(
        self,
        store: Store,
        *,
        limits: SparqlLimits | None = None,
        index: Callable[[], NetworkIndex] | None = None,
        stale_after: float = STALE_AFTER_SECONDS,
        rest_ratio: float = REST_RATIO,
    ) -> None:
        self.store = store
        self.limits = limits or SparqlLimits()
        self._index = index
        self._workers: dict[Audience, Worker] = {}  # started at an audience's first query
        self._retired: list[Worker] = []  # closed, maybe still finishing queries
        self._locks = {audience: threading.Lock() for audience in Audience}
        self.stale_after = stale_after
        self.rest_ratio = rest_ratio
        self._build_seconds: dict[Audience, float] = {}
        self._refreshing: set[Audience] = set()
        self._refresh_lock = threading.Lock()
        self._closed = threading.Event()
        self._privacy = PrivacyWatch(store)
        self._slots = threading.BoundedSemaphore(self.limits.concurrency)
        self._finalizer = weakref.finalize(
            self, _close_workers, self._workers, self._retired, self.limits.timeout + GRACE_SECONDS
        )

    def query(
        self,
        text: str,
        *,
        audience: Audience = Audience.PUBLIC,
        accept: str = "",
        format_name: str | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> SparqlAnswer:
        """Evaluate a query on the snapshot of what `audience` may see (the caller's role's audience).

        Parameters
        ----------
        text
            The query (SELECT, ASK, CONSTRUCT or DESCRIBE).
        accept, format_name
            The ``Accept`` header, or the name of a result format (``json``, ``csv``, ``turtle``...)
            which wins over it.
        default_graphs, named_graphs
            The protocol's ``default-graph-uri`` and ``named-graph-uri``. Without them the default graph
            is the union of every graph, and every graph may be named in ``GRAPH``.

        Raises
        ------
        SparqlError
            400 for a query refused (syntax, update, SERVICE), 406 when no accepted format fits, 413 for a
            query too long, 503 when busy or out of memory, 504 at the time limit.
        """
        if not text.strip():
            raise SparqlError(400, "Requête SPARQL vide : donnez-la dans le paramètre « query »")
        if len(text) > self.limits.max_query_chars:
            raise SparqlError(
                413,
                f"Requête SPARQL trop longue : {len(text)} caractères, la limite est "
                f"{self.limits.max_query_chars}",
            )
        for iri in (*default_graphs, *named_graphs):
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise SparqlError(400, f"IRI de graphe invalide : « {iri} »") from None
        request = {
            "query": text,
            "accept": accept,
            "format": format_name,
            "default_graphs": list(default_graphs),
            "named_graphs": list(named_graphs),
        }
        for _attempt in range(3):
            # The snapshot is (re)built before a slot is taken: its building occupies no evaluator.
            worker = self._worker(audience)
            if not self._slots.acquire(timeout=self.limits.timeout):
                raise SparqlError(
                    503,
                    f"Trop de requêtes SPARQL en cours ({self.limits.concurrency} à la fois) : "
                    "réessayez plus tard",
                    headers={"Retry-After": str(math.ceil(self.limits.timeout))},
                )
            try:
                header, body = worker.run(request)
            except RetiredWorkerError:
                continue
            finally:
                self._slots.release()
            return self._answer(header, body)
        raise SparqlError(503, "Les données changent trop vite pour être interrogées : réessayez")

    def _answer(self, header: dict[str, Any], body: bytes) -> SparqlAnswer:
        status = int(header["status"])
        if status == 200:
            return SparqlAnswer(
                body=body,
                media_type=header["media_type"],
                form=header["form"],
                count=header["count"],
                truncated=header["truncated"],
            )
        if header.get("reason") == "memory":
            raise out_of_memory(self.limits)
        raise SparqlError(status, header["message"])

    def _worker(self, audience: Audience) -> Worker:
        """The worker holding the current snapshot for this audience: started or replaced here if needed,
        or — when snapshots are slow — the previous one while a background thread takes the next."""
        current = self._servable(audience)
        if current is not None:
            return current
        with self._locks[audience]:
            # asked again once the lock is ours: queries that waited here behind the first snapshot (or a
            # dead worker's replacement) must not each take another one because a write landed meanwhile
            current = self._servable(audience)
            if current is not None:
                return current
            slow = self._build_seconds.get(audience, 0.0) > self.stale_after
            return self._install(audience, self._start_worker(audience, apart=slow))

    def prepare(self, audience: Audience = Audience.PUBLIC) -> threading.Thread:
        """Take `audience`'s first snapshot now, in a background thread (started and returned), written in
        a process of its own when the store allows (`snapshot.write_snapshot_apart`): the server calls it
        at start, so that the first query does not wait for it — at 25,000 actors about 16 s on a quiet
        server, a minute under load, during which every query of that audience waited and, written in the
        API process, every request slowed."""

        def first() -> None:
            try:
                with self._locks[audience]:
                    if self._servable(audience) is None and not self._closed.is_set():
                        self._install(audience, self._start_worker(audience, apart=True))
            except Exception:  # the first query takes it instead
                log.exception("Premier instantané SPARQL en échec")

        name = f"maillage-sparql-{audience.name.lower()}-first"
        thread = threading.Thread(target=first, name=name, daemon=True)
        thread.start()
        return thread

    def _servable(self, audience: Audience) -> Worker | None:
        """The audience's worker if it may answer now: on the store's generation, or — its snapshots being
        slow and nobody it shows having become private since — stale, a background thread taking the next."""
        current = self._workers.get(audience)
        if current is None or not current.alive:
            return None
        if current.generation == self.store.generation:
            return current
        slow = self._build_seconds.get(audience, 0.0) > self.stale_after
        fresh_enough = audience.sees_private_persons or not self._privacy.became_private(current.private)
        if slow and fresh_enough:
            self._refresh_in_background(audience)
            return current
        return None

    def _start_worker(self, audience: Audience, *, apart: bool) -> Worker:
        """A worker on a snapshot taken now (`apart`: in a process of its own when the store allows)."""
        from maillage.graph._sparql.snapshot import write_snapshot, write_snapshot_apart
        from maillage.graph.index import build_index

        started = time.perf_counter()
        # read first: a write during the snapshot makes it stale, not wrong (`PrivacyWatch` likewise)
        generation = self.store.generation
        private = self._privacy.now()
        folder = Path(tempfile.mkdtemp(prefix="maillage-sparql-"))
        try:
            path = folder / "snapshot.nq"
            written = write_snapshot_apart(self.store, path, audience=audience) if apart else None
            if written is None:
                index = self._index() if self._index is not None else build_index(self.store)
                write_snapshot(self.store, path, audience=audience, index=index)
            fresh = Worker(path, generation=generation, limits=self.limits)
            fresh.private = private
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self._build_seconds[audience] = time.perf_counter() - started
        return fresh

    def _install(self, audience: Audience, fresh: Worker) -> Worker:
        """Serve `fresh` from now on; the worker it replaces ends once its running queries have."""
        current = self._workers.get(audience)
        self._workers[audience] = fresh
        if current is not None:
            current.close()
            self._retired.append(current)
        self._retired[:] = [w for w in self._retired if w.process.poll() is None]
        if self._closed.is_set():  # closed while this snapshot was being taken
            _close_workers(self._workers, self._retired, 0.0)
        return fresh

    def _refresh_in_background(self, audience: Audience) -> None:
        with self._refresh_lock:
            if audience in self._refreshing or self._closed.is_set():
                return
            self._refreshing.add(audience)
        name = f"maillage-sparql-{audience.name.lower()}"
        threading.Thread(target=self._refresh_loop, args=(audience,), name=name, daemon=True).start()

    def _refresh_loop(self, audience: Audience) -> None:
        """Take snapshots until one matches the store, resting between two (`rest_ratio`)."""
        try:
            while not self._closed.is_set():
                with self._locks[audience]:
                    current = self._workers.get(audience)
                    if current is not None and current.alive and current.generation == self.store.generation:
                        return
                    fresh = self._install(audience, self._start_worker(audience, apart=True))
                if fresh.generation != self.store.generation:
                    self._closed.wait(self._build_seconds[audience] * self.rest_ratio)
        except Exception:  # the stale snapshot keeps serving; the next query starts another refresh
            log.exception("Nouvel instantané SPARQL en échec")
        finally:
            with self._refresh_lock:
                self._refreshing.discard(audience)

    def close(self) -> None:
        """Stop the workers: each ends once its running queries have (killed past the time limit)."""
        self._closed.set()
        self._finalizer()
