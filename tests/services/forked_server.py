"""`maillage serve` in a blink, for tests that kill and restart it many times (tests/test_crash_loop.py).

Importing the application takes seconds; opening the store and starting uvicorn takes a fraction of one.
This process imports the application once (and runs one dry import, to warm its caches), then, for each
port read on its standard input, forks a child that runs the `maillage serve` command itself
(`maillage.cli.serve`: settings from the environment, the store opened, uvicorn) and prints the child's
pid. The test kills that child with SIGKILL, as it would kill `maillage serve`; the kernel reaps it
(SIGCHLD is ignored here).
"""

from __future__ import annotations

import os
import signal
import sys

import maillage.api.app  # noqa: F401 - the slow import, done once before any fork
from maillage.cli import SAMPLE, serve
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path


def main() -> None:
    # A dry run fills the caches a first import fills (SHACL shapes, taxonomy): every child starts warm.
    import_path(OxigraphStore(None), SAMPLE, dry_run=True)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        port = int(line)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            try:
                serve(host="127.0.0.1", port=port)
            finally:
                os._exit(0)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
