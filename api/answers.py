"""Synergy answers kept as compressed JSON, per synergy fingerprint of the index.

An actor's explained synergies cost about 6 ms of Python at 25,000 actors (scores, reasons, sentences,
serialisation); the same question on the same network gives the same bytes. So the JSON of each answer is
kept gzip-compressed (50 kB → 4 kB at 25,000: all actors' default answers hold in about 100 MB) under the
index's `synergy_fingerprint` and the question (route, actor, filters, paging, language), and served again
until the network changes in a way the synergies see — a description edit keeps them, a new need drops them
all. Least recently used answers go first beyond the byte budget. A caller accepting gzip gets the
compressed bytes as they are.

The answers hold public data only (the analysis index has no non-public property), so one cache serves
every audience.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from maillage.graph.index import NetworkIndex, known_fingerprint, synergy_fingerprint

#: Bytes of compressed answers kept (256 MiB: every default answer of 25,000 actors, twice over).
BUDGET_BYTES = 256 * 1024 * 1024
#: gzip level 1: 0.15 ms for a 50 kB answer, 13× smaller; level 6 is 2× slower for 1.4× smaller.
LEVEL = 1


class AnswerCache:
    """Compressed answers by key, least recently used evicted beyond `budget` bytes; thread-safe."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._answers.move_to_end(key)
            return found

    def put(self, key: Hashable, compressed: bytes) -> None:
        if len(compressed) > self.budget:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            self.size += len(compressed) - (len(previous) if previous is not None else 0)
            self._answers[key] = compressed
            while self.size > self.budget:
                _key, evicted = self._answers.popitem(last=False)
                self.size -= len(evicted)


async def cached_json(
    request: Request,
    cache: AnswerCache,
    index: NetworkIndex,
    question: tuple[Hashable, ...],
    compute: Callable[[], BaseModel],
) -> Response:
    """The JSON answer to `question` on `index`: from `cache` when the same question was answered on an
    index with the same synergy fingerprint, else `compute()`d (in a worker thread) and kept. Errors raised
    by `compute` (unknown filter, …) are not kept.

    A kept answer is served from the event loop without a thread: about 0.1 ms of work, where a thread hop
    per request cost more than the answer itself under 16 connections."""
    fingerprint = known_fingerprint(index)
    if fingerprint is None:
        fingerprint = await run_in_threadpool(synergy_fingerprint, index)
    key = (fingerprint, *question)
    compressed = cache.get(key)
    body = None
    if compressed is None:
        body, compressed = await run_in_threadpool(_compute_and_keep, cache, key, compute)
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers = {"Vary": "Accept-Encoding", "Content-Encoding": "gzip"}
        return Response(compressed, media_type="application/json", headers=headers)
    if body is None:
        body = gzip.decompress(compressed)
    return Response(body, media_type="application/json", headers={"Vary": "Accept-Encoding"})


def _compute_and_keep(
    cache: AnswerCache, key: Hashable, compute: Callable[[], BaseModel]
) -> tuple[bytes, bytes]:
    body = compute().model_dump_json().encode()
    return body, _keep(cache, key, body)


def _keep(cache: AnswerCache, key: Hashable, body: bytes) -> bytes:
    compressed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
    cache.put(key, compressed)
    return compressed


def kept_data(
    cache: AnswerCache, index: NetworkIndex, question: tuple[Hashable, ...], compute: Callable[[], Any]
) -> Any:
    """As `cached_json`, for a page: the JSON data (`compute()`'s value, made of dicts, lists and scalars)
    answering `question` on `index`, from `cache` or computed and kept. Blocking: call it from a thread."""
    key = (synergy_fingerprint(index), *question)
    compressed = cache.get(key)
    if compressed is not None:
        return json.loads(gzip.decompress(compressed))
    data = compute()
    _keep(cache, key, json.dumps(data, ensure_ascii=False).encode())
    return data


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip (not refused with ``q=0``).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1, gzip;q=0"), accepts_gzip("*")
    (True, False, True)
    >>> accepts_gzip(""), accepts_gzip("gzip;q=0.5")
    (False, True)
    """
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=")
            try:
                return not params.strip().startswith("q=") or float(quality) > 0
            except ValueError:
                return False
    return False
