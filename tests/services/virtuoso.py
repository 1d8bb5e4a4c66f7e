"""A throw-away Virtuoso (Debian's `virtuoso-opensource-7-bin`) on loopback ports, for the push tests.

`start_virtuoso(folder)` writes an ini file into `folder` (database, logs, free loopback SQL and HTTP ports,
small buffers), starts `virtuoso-t` in the foreground of its own process group, waits until `/sparql`
answers, and creates the user the tests push as (`maillage_push`, role SPARQL_UPDATE, which is what
Virtuoso's `/sparql-graph-crud-auth` endpoint asks for; it authenticates with HTTP digest only). `stop()`
sends SIGTERM (Virtuoso shuts down cleanly in about 2 s) and kills it if it lingers. A fresh database is
created at every start: about 5 s on this machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

USER = "maillage_push"
PASSWORD = "mot-de-passe-de-test"
INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
ServerThreads = 4
CheckpointInterval = 0
DirsAllowed = {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


class VirtuosoMissingError(RuntimeError):
    """`virtuoso-t` or `isql-vt` is not installed (`make test` installs virtuoso-opensource-7-bin)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Virtuoso:
    """A running Virtuoso and the URLs of its endpoints."""

    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def graph_store_url(self) -> str:
        return self.base_url + "/sparql-graph-crud-auth"

    def isql(self, sql: str) -> str:
        """Run SQL as `dba` (default password of a fresh database, loopback only); return the output."""
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt a échoué sur « {sql} » : {done.stdout}{done.stderr}")
        return done.stdout

    def select(self, query: str) -> list[dict[str, str]]:
        """A SPARQL SELECT on the anonymous `/sparql` endpoint, as rows of plain values."""
        response = httpx.post(
            self.base_url + "/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        rows = response.json()["results"]["bindings"]
        return [{name: cell["value"] for name, cell in row.items()} for row in rows]

    def count(self, graph_iri: str) -> int:
        """How many triples the named graph holds."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) FROM <{graph_iri}> WHERE {{ ?s ?p ?o }}")
        return int(rows[0]["n"])

    def stop(self) -> None:
        """Shut down (SIGTERM, then SIGKILL after 15 s) the process group this module started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_virtuoso(folder: Path, *, timeout: float = 30.0) -> Virtuoso:
    """Start a fresh Virtuoso whose database lives in `folder`; the caller must `stop()` it.

    Raises:
        VirtuosoMissingError: the Debian package is not installed.
        RuntimeError: it did not answer within `timeout` seconds (its log is quoted).
    """
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        raise VirtuosoMissingError(
            "virtuoso-t / isql-vt introuvables : apt-get install virtuoso-opensource-7-bin"
        )
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        INI.format(folder=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8"
    )
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-f", "-c", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Virtuoso(folder, sql_port, http_port, process)
    try:
        _wait_until_ready(server, timeout=timeout)
        server.isql(f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";")
    except BaseException:
        server.stop()
        raise
    finally:
        log.close()
    return server


def _wait_until_ready(server: Virtuoso, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if httpx.get(server.base_url + "/sparql", params={"query": "ASK {}"}, timeout=2).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    output = (server.folder / "stdout.log").read_text("utf-8", errors="replace")[-2000:]
    raise RuntimeError(
        f"Virtuoso n'a pas démarré en {timeout:.0f} s (port HTTP {server.http_port}) :\n{output}"
    )
