"""Pausing Python's cyclic garbage collector while an import or an index build makes its millions of objects.

Why: an import at 25,000 actors holds about ten million tracked objects (rdflib terms, triples, sets)
that all live until it ends. CPython runs a full collection each time the long-lived objects grow by a
quarter, so it walks the whole heap some thirty times while they are built: 15 of the 46 CPU seconds of
mapping, planning and validating (measured, docs/decisions/20261129-import-target.md). The import makes
almost no cyclic garbage (4,000 objects collected over those thirty runs), so nothing is lost by
collecting once, at the end. The analysis index likewise (`build_index`): at 25,000 actors its build
reads 640,000 rows into dicts of lists and tuples, all kept until the index is made, and the collector's
runs over them were 1.2–1.5 of its 6.2 s (measured on the benchmark's on-disk store, three runs).

The collector is one per process: a web server importing or building in one thread pauses it for the
others too, for as long as that lasts (a minute at most for an import at 25,000 actors, 5 s for a
build); their cyclic garbage is collected when the last pause ends. Pauses in several threads at once
share one (a counter).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused_collector() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested and concurrent blocks share one pause), and
    give it back as it was when the last block ends.

    >>> gc.isenabled()
    True
    >>> with paused_collector():
    ...     with paused_collector():
    ...         gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
