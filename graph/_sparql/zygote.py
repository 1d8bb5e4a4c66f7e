"""The worker that holds one snapshot and forks the evaluators that answer queries.

Started by the API process (``python -m maillage.graph._sparql.zygote CONFIG``, a fresh interpreter: the
API's threads are not copied), it loads the snapshot file into an in-memory Oxigraph store, answers
``ready`` on its control socket, then waits. Each byte ``F`` it receives asks for one more evaluator: it
forks, and sends back the evaluator's socket (over the control socket) for the API process to talk to
(`child.evaluate`). Forking copies no data (copy-on-write), so an evaluator stopped at the time limit or
the memory limit is replaced in milliseconds, without reloading anything.

The evaluators end when their own sockets close; the worker, when the API process closes the control
socket (or dies) and its evaluators have ended.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import sys
from typing import Any

import pyoxigraph as ox

from maillage.graph._sparql.child import answer, evaluate
from maillage.graph._sparql.formats import RESULT_FORMATS
from maillage.graph._sparql.wire import send_frame

WARM_UP = (
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1",
    "DESCRIBE <urn:maillage:rien>",
    "LOAD <urn:maillage:rien>",
    "SELECT * WHERE { SERVICE <urn:maillage:rien> { ?s ?p ?o } }",
    "SELEC",
)


def warm_up(store: ox.Store, prefixes: dict[str, str]) -> None:
    """Run every path of `child.answer` once, so that every lazy import happens here: a forked child may
    open no file, not even a module."""
    for text in WARM_UP:
        for name in RESULT_FORMATS:
            answer(store, {"query": text, "format": name}, max_results=1, prefixes=prefixes)


def serve(control: socket.socket, store: ox.Store, config: dict[str, Any]) -> None:
    """Fork an evaluator for each request on `control`, until `control` closes."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda _number, _frame: None)
    children: set[int] = set()
    listening = True
    while listening or children:
        readable, _, _ = select.select([control, wake_read] if listening else [wake_read], [], [], 5.0)
        if wake_read in readable:
            try:
                while os.read(wake_read, 512):
                    pass
            except BlockingIOError:
                pass  # drained
        _reap(children)
        if not listening or control not in readable:
            continue
        try:
            data = control.recv(1)
        except OSError:
            data = b""
        if not data:
            listening = False  # wait for the evaluators: their sockets close after their last answer
            continue
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                evaluate(
                    store,
                    theirs.detach(),
                    timeout=config["timeout"],
                    memory_mb=config["memory_mb"],
                    max_results=config["max_results"],
                    prefixes=config["prefixes"],
                )
            except BaseException:  # noqa: B036 - whatever happens, the evaluator must not run on
                code = 1
            finally:
                os._exit(code)
        children.add(pid)
        theirs.close()
        try:
            socket.send_fds(control, [str(pid).encode("ascii")], [ours.fileno()])
        except OSError:
            listening = False
        finally:
            ours.close()


def _reap(children: set[int]) -> None:
    """Collect ended evaluators (the API process learns of an end from its socket)."""
    while children:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            children.clear()
            return
        if pid == 0:
            return
        children.discard(pid)


def main(argv: list[str]) -> int:
    config = json.loads(argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the API process ends this worker by closing its socket
    control = socket.socket(fileno=config["control_fd"])
    try:
        store = ox.Store()
        store.bulk_load(path=config["snapshot"], format=ox.RdfFormat.N_QUADS)
        warm_up(store, config["prefixes"])
        quads = len(store)
    except (OSError, SyntaxError, ValueError) as error:
        send_frame(control, {"kind": "failed", "message": str(error)})
        return 1
    # Evaluators share the worker's memory until they write to it; a garbage collection would touch (and
    # copy) every page of objects: what exists now is frozen, out of the collector's reach.
    gc.freeze()
    send_frame(control, {"kind": "ready", "quads": quads, "pid": os.getpid()})
    serve(control, store, config)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
