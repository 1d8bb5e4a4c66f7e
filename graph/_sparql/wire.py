"""Frames between the API process and the SPARQL workers: a JSON header, then a body of bytes.

A frame is 4 bytes (big-endian length of the header), the header in UTF-8 JSON (its ``length`` says how
many body bytes follow), then the body. One socket carries one query: the request frame, then either
the worker's answer frame or, if the worker died first, the exit frame its parent process writes.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
MAX_HEADER = 1 << 20


class WireError(Exception):
    """The other end closed the socket mid-frame, sent garbage, or did not answer in time."""


class EndOfStreamError(WireError):
    """The other end closed the socket after `read` bytes of what was expected."""

    def __init__(self, read: int, expected: int) -> None:
        super().__init__(f"fin de flux ({read} octets lus sur {expected})")
        self.read = read


def send_frame(sock: socket.socket, header: dict[str, Any], body: bytes = b"") -> None:
    data = json.dumps({**header, "length": len(body)}, ensure_ascii=False).encode("utf-8")
    sock.sendall(HEADER.pack(len(data)) + data + body)


def read_exact(sock: socket.socket, size: int, *, deadline: float | None = None) -> bytes:
    """`size` bytes from `sock`, or `WireError` on end of stream or past `deadline` (`time.monotonic`)."""
    parts: list[bytes] = []
    missing = size
    while missing:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WireError("délai dépassé")
            sock.settimeout(left)
        try:
            chunk = sock.recv(min(missing, 1 << 20))
        except TimeoutError:
            raise WireError("délai dépassé") from None
        if not chunk:
            raise EndOfStreamError(size - missing, size)
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def read_frame(sock: socket.socket, *, deadline: float | None = None) -> tuple[dict[str, Any], bytes] | None:
    """The next frame, or None when the other end closed the socket cleanly before it."""
    try:
        first = read_exact(sock, HEADER.size, deadline=deadline)
    except EndOfStreamError as error:
        if error.read == 0:
            return None
        raise
    (size,) = HEADER.unpack(first)
    if size > MAX_HEADER:
        raise WireError(f"en-tête de trame trop long ({size} octets)")
    header: dict[str, Any] = json.loads(read_exact(sock, size, deadline=deadline))
    body = read_exact(sock, int(header.get("length", 0)), deadline=deadline)
    return header, body
