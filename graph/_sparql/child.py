"""An evaluator: a process forked from the worker that holds the snapshot, answering queries one at a time
on its own socket until it is closed or killed.

The process is fenced once, before its first query: an address-space limit (the snapshot plus
`SparqlLimits.memory_mb`) and no new file descriptor at all — so no socket: a SERVICE clause or any other
network access that the check let through could not connect. Each query then runs under a wall-clock
alarm at the time limit (its default action ends the process, even deep inside Oxigraph's Rust code) and a
CPU-time limit as a second stop. A stopped evaluator is replaced by a new fork: the snapshot is never
reloaded. Between queries it keeps its warm heap, which a fork per query would pay for again each time
(page faults: 27,000 for one count query on 25,000 actors, 90 ms).
"""

from __future__ import annotations

import math
import os
import resource
import signal
import socket
from typing import Any

import pyoxigraph as ox

from maillage.graph._sparql.checks import RefusedQueryError, query_form
from maillage.graph._sparql.formats import formats_for, negotiate
from maillage.graph._sparql.results import boolean_bytes, solutions_bytes, triples_bytes
from maillage.graph._sparql.wire import read_frame, send_frame

#: Seconds allowed to send a finished answer.
SEND_SECONDS = 30.0
#: The query socket is moved to this descriptor; 0, 1 and 2 stay open; nothing else may be opened.
QUERY_FD = 3


_HELD: list[socket.socket] = []


def fence(query_fd: int, *, memory_mb: int) -> socket.socket:
    """Fence this (freshly forked) process and return its socket, moved to `QUERY_FD`.

    Every descriptor below the limit stays in use until the process ends (the socket is held here), so
    no file or socket can be opened: a connection attempt fails with "Too many open files".
    """
    signal.set_wakeup_fd(-1)
    for number in (signal.SIGCHLD, signal.SIGALRM, signal.SIGINT, signal.SIGTERM, signal.SIGXCPU):
        signal.signal(number, signal.SIG_DFL)
    size = _address_space()
    if query_fd != QUERY_FD:
        os.dup2(query_fd, QUERY_FD)
        os.close(query_fd)
    os.closerange(QUERY_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    for number in range(QUERY_FD):  # no hole below the limit where a new descriptor could go
        try:
            os.fstat(number)
        except OSError:
            os.dup2(QUERY_FD, number)
    resource.setrlimit(resource.RLIMIT_NOFILE, (QUERY_FD + 1, QUERY_FD + 1))
    if size is not None:
        allowed = size + memory_mb * (1 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (allowed, allowed))
    sock = socket.socket(fileno=QUERY_FD)
    _HELD.append(sock)  # never collected: closing it would free a descriptor below the limit
    return sock


def arm(seconds: float) -> None:
    """Stop this process in `seconds` of wall-clock time, or one second of CPU time more than that."""
    signal.setitimer(signal.ITIMER_REAL, seconds)
    used = resource.getrusage(resource.RUSAGE_SELF)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = math.ceil(used.ru_utime + used.ru_stime + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def disarm() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), or None where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def answer(
    store: ox.Store, request: dict[str, Any], *, max_results: int, prefixes: dict[str, str]
) -> tuple[dict[str, Any], bytes]:
    """The answer frame (header, body) to one request, refusals included."""
    text: str = request["query"]
    try:
        form = query_form(text)
    except RefusedQueryError as refusal:
        return {"status": 400, "message": str(refusal)}, b""
    chosen = negotiate(form, accept=request.get("accept", ""), format_name=request.get("format"))
    if chosen is None:
        asked = request.get("format") or request.get("accept") or ""
        return {
            "status": 406,
            "message": f"Aucun format demandé (« {asked} ») ne convient à une requête {form.upper()} : "
            f"formats possibles : {formats_for(form)}",
        }, b""
    default_graphs = [ox.NamedNode(iri) for iri in request.get("default_graphs", [])]
    named_graphs = [ox.NamedNode(iri) for iri in request.get("named_graphs", [])]
    try:
        result = store.query(
            text,
            use_default_graph_as_union=not default_graphs,
            default_graph=default_graphs or None,
            named_graphs=named_graphs or None,
        )
        if isinstance(result, ox.QueryBoolean):
            body, count, truncated = boolean_bytes(bool(result), chosen), 1, False
        elif isinstance(result, ox.QuerySolutions):
            body, count, truncated = solutions_bytes(result, chosen, limit=max_results)
        else:
            body, count, truncated = triples_bytes(result, chosen, limit=max_results, prefixes=prefixes)
    except SyntaxError as error:
        return {"status": 400, "message": f"Requête SPARQL invalide : {error}"}, b""
    except MemoryError:
        return {"status": 503, "reason": "memory"}, b""
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        return {"status": 400, "message": f"Évaluation impossible : {error}"}, b""
    header = {
        "status": 200,
        "media_type": chosen.media_type,
        "form": form,
        "count": count,
        "truncated": truncated,
    }
    return header, body


def evaluate(
    store: ox.Store,
    query_fd: int,
    *,
    timeout: float,
    memory_mb: int,
    max_results: int,
    prefixes: dict[str, str],
) -> None:
    """Fence the process, then answer the requests arriving on `query_fd` until it closes."""
    sock = fence(query_fd, memory_mb=memory_mb)
    while True:
        frame = read_frame(sock)
        if frame is None:
            return
        arm(timeout)
        try:
            header, body = answer(store, frame[0], max_results=max_results, prefixes=prefixes)
        except Exception as error:  # noqa: BLE001 - a bug must not end the evaluator silently
            header, body = {"status": 500, "message": f"Erreur interne de l'évaluation : {error}"}, b""
        # The answer is whole: the time limit was for finding it. Sending it gets its own allowance (the
        # API process reads at once; if it has gone, the write fails and this process ends sooner).
        arm(SEND_SECONDS)
        send_frame(sock, {"kind": "answer", **header}, body)
        disarm()
