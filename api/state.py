"""The application state: one store and the analysis index built from it, rebuilt when the store changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.base import Store


@dataclass
class AppState:
    store: Store
    _index: NetworkIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def index(self) -> NetworkIndex:
        """The current index; rebuilt once after each committed write (the store's generation moved)."""
        current = self._index
        if current is not None and current.generation == self.store.generation:
            return current
        with self._lock:
            if self._index is None or self._index.generation != self.store.generation:
                self._index = build_index(self.store)
            return self._index
