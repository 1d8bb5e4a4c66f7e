"""Giving the memory freed after writes back to the system (glibc's `malloc_trim`).

Under a steady trickle of writes the server's resident memory grew without end — 701 → 827 MiB over a
15-minute soak at 25,000 actors — while the Python heap stayed flat. The growth was memory already freed
(Oxigraph's write buffers once flushed, the previous index, the requests' temporaries) that glibc's
allocator kept in its per-thread arenas: `malloc_trim(0)`, called from a debugger at the end of a 7-minute
mixed run, gave 112 MiB back at once, down below the memory the server had when it was ready.

So after a write or an index swap the server trims, at most once per `RELEASE_AFTER_SECONDS`, from a timer
thread (never in a request). Elsewhere than glibc (musl, macOS) there is no `malloc_trim` and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("maillage.memory")

#: Seconds between a write and the trim that follows it; writes meanwhile share that one trim.
RELEASE_AFTER_SECONDS = 10.0


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _malloc_trim()
_pending = threading.Lock()


def release_freed_memory() -> bool:
    """Give the allocator's free pages back to the system now; False where there is no `malloc_trim`."""
    if _TRIM is None:
        return False
    start = time.perf_counter()
    _TRIM(0)
    log.debug("malloc_trim: %.1f ms", (time.perf_counter() - start) * 1000)
    return True


def release_soon(delay: float = RELEASE_AFTER_SECONDS) -> bool:
    """Schedule `release_freed_memory` in `delay` seconds, unless one is already scheduled (then that one
    covers this call too); True when this call scheduled it."""
    if _TRIM is None or not _pending.acquire(blocking=False):
        return False

    def run() -> None:
        try:
            release_freed_memory()
        finally:
            _pending.release()

    timer = threading.Timer(delay, run)
    timer.name, timer.daemon = "maillage-memory", True
    timer.start()
    return True
