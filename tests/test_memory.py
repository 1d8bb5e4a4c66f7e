"""Memory freed after writes goes back to the system (`maillage.api.memory`): measured in a process of its
own, and asked by the application state after each index swap or patch."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from maillage.api import memory
from maillage.api import state as state_module
from maillage.api.state import AppState
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore

PROBE = """
from maillage.api.memory import release_freed_memory

def anonymous_mib():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024

# 100,000 blocks of 1,001 bytes: above pymalloc's 512, so each is a malloc; the last one is kept, so the
# 100 MB freed below it stay in the heap until trimmed
blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]
kept = blocks[-1]
del blocks
before = anonymous_mib()
assert release_freed_memory()
print(round(before - anonymous_mib()))
"""


def test_the_freed_heap_goes_back_to_the_system() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    # about 100 MiB freed and kept by the allocator: at least 80 of them given back (101 measured here)
    assert int(done.stdout) >= 80


def wait_for_no_timer(seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while any(t.name == "maillage-memory" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the trim never ran"
        time.sleep(0.02)


def test_writes_close_together_share_one_trim() -> None:
    wait_for_no_timer()
    assert memory.release_soon(0.2) is True
    assert memory.release_soon(0.2) is False  # already scheduled: covered by the first
    wait_for_no_timer()
    assert memory.release_soon(0.01) is True  # the first has run: a later write schedules another
    wait_for_no_timer()


@pytest.fixture()
def store(sample_store: Store) -> Store:
    copy = OxigraphStore(None)
    copy.add_all(sample_store.quads())
    return copy


def test_the_state_asks_for_a_trim_after_a_patch_and_after_a_rebuild(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    monkeypatch.setattr(state_module, "release_soon", lambda: asked.append(store.generation))
    state = AppState(store=store)
    first = state.index()
    assert asked == [store.generation]  # the first build
    actor = URIRef("https://w3id.org/maillage/id/actor/atelier-bois")
    graph = URIRef("https://w3id.org/maillage/graph/network/test")
    with store.transaction() as tx:
        tx.add((actor, DCTERMS.description, Literal("Menuiserie d'insertion", lang="fr"), graph))
    patched = state.index()
    assert patched is not first and patched.needs is first.needs  # patched (same matrices), not rebuilt
    assert asked == [store.generation - 1, store.generation]
    with store.transaction() as tx:  # a label: rebuilt
        tx.add((actor, SKOS.prefLabel, Literal("Atelier du bois"), graph))
    rebuilt = state.index()
    assert rebuilt.needs is not first.needs and asked[-1] == store.generation and len(asked) == 3
