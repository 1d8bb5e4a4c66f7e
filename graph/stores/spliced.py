"""Values for Bolt servers that splice parameters into the query text (FalkorDB 4.16), pure Python.

Such a server writes each parameter as ``name='text'`` in front of the query, without escaping, into a
4 KiB buffer. Strings are therefore sent percent-escaped (``%``, ``'``, ``\\`` and NUL only, so text stays
readable), rows are batched under that size, and a long text is cut into pieces sent one query each.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from maillage.graph.stores.base import StoreError

LIMIT = 4096  # FalkorDB's buffer for "CYPHER k=v ... <query>"
PIECE = 1024  # bytes of a long text sent per query
_ESCAPE = re.compile(r"[%'\\\x00]")
_UNESCAPE = re.compile(r"%(25|27|5C|00)")


def escape(text: str) -> str:
    """Percent-escape the four characters a spliced string cannot hold.

    >>> escape("l'été à 100% \\\\o/")
    'l%27été à 100%25 %5Co/'
    >>> unescape(escape("l'été à 100% \\\\o/"))
    "l'été à 100% \\\\o/"
    """
    return _ESCAPE.sub(lambda m: f"%{ord(m.group()):02X}", text)


def unescape(text: str) -> str:
    """The inverse of `escape` (one pass: ``%2527`` gives back ``%27``)."""
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def literal_hash(value: str, datatype: str, language: str) -> str:
    """A short key of a literal, so a statement can be found by its value in a small parameter."""
    return hashlib.sha256(f"{datatype}\x00{language}\x00{value}".encode()).hexdigest()[:32]


def spliced_size(value: Any) -> int:
    """An upper bound of the bytes the server writes for a parameter value.

    >>> spliced_size({"s": "urn:a", "p": "urn:p"})  # braces 2 + twice (key 1 + ": " and ", " 4 + 'urn:a' 7)
    26
    """
    if isinstance(value, str):
        return len(value.encode("utf-8")) + 2
    if isinstance(value, dict):
        return 2 + sum(len(k) + 4 + spliced_size(v) for k, v in value.items())
    if isinstance(value, list):
        return 2 + sum(2 + spliced_size(v) for v in value)
    return 24


def cut(text: str) -> list[str]:
    """`text` escaped, in pieces of at most `PIECE` bytes, never splitting a character or an escape.

    >>> [len(piece.encode()) for piece in cut("é'" * 300)]  # "é%27" is 5 bytes: 204 pairs and one é, the rest
    [1022, 478]
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        escaped = escape(char)
        width = len(escaped.encode())
        if size + width > PIECE:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(escaped)
        size += width
    pieces.append("".join(current))
    return pieces


def batches(query: str, rows: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Consecutive rows whose parameters fit, with `query`, in the server's buffer.

    Raises `StoreError` for a row that cannot fit alone (an IRI of several KiB).
    """
    budget = LIMIT - len(query.encode()) - 160  # "CYPHER ", "rows=", the tx id and separators
    batch: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        row_size = spliced_size(row) + 2
        if row_size > budget:
            raise StoreError(f"Valeur trop longue pour ce serveur Bolt ({row_size} octets) : {row}")
        if batch and size + row_size > budget:
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += row_size
    if batch:
        yield batch
