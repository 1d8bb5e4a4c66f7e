"""The application state: one store and the analysis index built from it, rebuilt when the store changes.

A small network's index is rebuilt in the request that finds it stale (0.1 s for the sample network): every
answer reflects every committed write. A large one's takes seconds (7.6 s at 25,000 actors): blocking every
reader for that long after each write would stall the API under a steady trickle of writes. So once a build
has taken more than `stale_after` seconds, a stale index is still served while one background thread
rebuilds it — writes landing meanwhile are folded into the next build, and the new index is warmed
(`warm`) before it is served — and a route that has just written calls `fresh_index` to read its own write.

A write that changes nothing the analysis reads but descriptions (an edited description, a contact) is not
followed by a rebuild: the index is patched at once (`patch_index`, about a millisecond), every answer and
memo of the old one kept.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass, field

from maillage.api.answers import AnswerCache
from maillage.api.explorer import explorer_picture, explorer_view
from maillage.api.memory import release_soon
from maillage.api.search import search_texts
from maillage.api.views import carry_views
from maillage.graph.index import NetworkIndex, build_index, patch_index, synergy_fingerprint
from maillage.graph.privacy import PrivacyWatch
from maillage.graph.stores.base import Store
from maillage.graph.synergies import max_scores

log = logging.getLogger("maillage.index")


def warm(index: NetworkIndex) -> None:
    """Compute, before an index rebuilt in the background is served, what its first requests would: the
    public network maxima of the synergies (5.4 s at 25,000 actors) and the explorer's default view (its
    layout or its communities: 3.8 s for 2,000 actors drawn one by one). Built lazily instead, they held
    every synergy request behind the first one after each rebuild — under a steady trickle of writes,
    reads stalled for seconds every few seconds — and made the home page slow once per write."""
    max_scores(index)
    explorer_picture(index, explorer_view())
    search_texts(index)  # the folded texts of the search (0.65 s at 25,000 actors)
    synergy_fingerprint(index)  # the key of the kept synergy answers (0.3 s at 25,000 actors)


#: Builds slower than this (seconds) make the index served stale while it is rebuilt in the background.
STALE_AFTER_SECONDS = 1.0
#: After a background rebuild (and its warming) that took t seconds, the next one waits REST_RATIO × t —
#: unless a route waits for its own write (`fresh_index`). Under a steady trickle of writes, rebuilding
#: back to back kept one core busy and, through the interpreter lock, slowed every request 5×; resting as
#: long as it built caps that to half the time, for an index at most about twice as stale.
REST_RATIO = 1.0


@dataclass
class AppState:
    store: Store
    stale_after: float = STALE_AFTER_SECONDS
    rest_ratio: float = REST_RATIO
    _index: NetworkIndex | None = None
    _build_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _patch_lock: threading.Lock = field(default_factory=threading.Lock)
    _built: threading.Condition = field(default_factory=threading.Condition)
    _rebuilding: bool = False
    _hurry: threading.Event = field(default_factory=threading.Event)
    _privacy: PrivacyWatch | None = None
    #: The synergy answers computed so far (`maillage.api.answers`), kept across indexes they still fit.
    answers: AnswerCache = field(default_factory=AnswerCache)

    def index(self) -> NetworkIndex:
        """The current index: rebuilt here once after each committed write, or — for a network whose
        build is slow — the previous one while a background rebuild runs."""
        current = self.current_index() or self._patched()
        if current is not None:
            return current
        current = self._index
        if (
            current is not None
            and self._build_seconds > self.stale_after
            and not self._privacy_moved(current)
        ):
            self._rebuild_in_background()
            return current
        return self._build_now()

    def current_index(self) -> NetworkIndex | None:
        """The index if it matches the store now, else None — never builds, reads or waits."""
        current = self._index
        return current if current is not None and current.generation == self.store.generation else None

    def fresh_index(self, timeout: float = 120.0) -> NetworkIndex:
        """An index built after every write committed so far (waits for the background rebuild, at most
        `timeout` seconds, then builds itself): what a route serves right after its own write."""
        patched = self._patched()
        if patched is not None:
            return patched
        wanted = self.store.generation
        deadline = time.monotonic() + timeout
        self._hurry.set()  # a resting rebuild loop starts at once
        with self._built:
            while self._rebuilding and not self._covers(wanted):
                if not self._built.wait(timeout=max(0.0, deadline - time.monotonic())):
                    break
        if self._covers(wanted):
            assert self._index is not None
            return self._index
        return self._build_now()

    def _patched(self) -> NetworkIndex | None:
        """The index brought to the store's generation by `patch_index`, installed; None when the commits
        since it was built are not all of the kind a patch follows (or not known: `Store.changes_since`)."""
        with self._patch_lock:
            current = self._index
            if current is None:
                return None
            known = self.store.changes_since(current.generation)
            if known is None:
                return None
            patched = patch_index(current, self.store, *known) if known[0] != current.generation else current
            if patched is not None and patched is not current:
                patched.derived["private-at-build"] = current.derived.get("private-at-build")
                carry_views(current, patched)
                with self._built:
                    if self._index is current:
                        self._index = patched
                        self._built.notify_all()
                release_soon()
            return patched

    def _covers(self, generation: int) -> bool:
        return self._index is not None and self._index.generation >= generation

    def _build_now(self) -> NetworkIndex:
        with self._lock:
            if self._index is None or self._index.generation != self.store.generation:
                self._install(self._timed_build())
            assert self._index is not None
            return self._index

    def _timed_build(self) -> NetworkIndex:
        start = time.perf_counter()
        private = self._watch().now()  # read before: a consent withdrawn during the build counts as moved
        index = build_index(self.store)
        index.derived["private-at-build"] = private
        self._build_seconds = time.perf_counter() - start
        return index

    def _watch(self) -> PrivacyWatch:
        if self._privacy is None:
            self._privacy = PrivacyWatch(self.store)
        return self._privacy

    def _privacy_moved(self, index: NetworkIndex) -> bool:
        """Whether someone `index` shows as public has become private since it was built: then it is not
        served stale (`PrivacyWatch`), the request waits for a rebuild."""
        private = index.derived.get("private-at-build")
        return not isinstance(private, frozenset) or self._watch().became_private(private)

    def _install(self, index: NetworkIndex) -> None:
        with self._built:
            if self._index is None or index.generation >= self._index.generation:
                self._index = index
            self._built.notify_all()
        if self._build_seconds > self.stale_after:
            settle_memory()
        release_soon()

    def _rebuild_in_background(self) -> None:
        with self._built:
            if self._rebuilding:
                return
            self._rebuilding = True
        threading.Thread(target=self._rebuild_loop, name="maillage-index", daemon=True).start()

    def _rebuild_loop(self) -> None:
        """Rebuild until the index matches the store (writes during a build cause one more build)."""
        try:
            while True:
                with self._lock:
                    if self._index is not None and self._index.generation == self.store.generation:
                        return
                    started = time.perf_counter()
                    index = self._timed_build()
                    warm(index)
                    self._install(index)
                    spent = time.perf_counter() - started
                if index.generation != self.store.generation:  # written during the build
                    self._hurry.wait(timeout=spent * self.rest_ratio)
                self._hurry.clear()
        except Exception:  # the next request starts another rebuild; the stale index keeps serving
            log.exception("Reconstruction de l'index d'analyse en échec")
        finally:
            with self._built:
                self._rebuilding = False
                self._built.notify_all()


def settle_memory() -> None:
    """Take the objects alive now — a large index and what was warmed with it — out of the interpreter's
    full collections (`gc.freeze`), after collecting what the previous index left (`gc.unfreeze` first).

    A full collection walks every tracked object: 0.24 s with the index of 25,000 actors, a stall of every
    request that came when it ran — the p99 of kept synergy answers was 321 ms for a p90 of 19 ms. Frozen,
    the index costs a full collection nothing; the one collection done here, once per rebuild, is the price.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
