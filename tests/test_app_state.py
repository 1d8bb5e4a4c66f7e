"""The analysis index after a write: rebuilt at once for a small network; for a large one, the previous
index keeps serving while one background thread rebuilds, and `fresh_index` waits for the write."""

from __future__ import annotations

import threading
import time

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from maillage.api import search
from maillage.api import state as state_module
from maillage.api.state import AppState
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import KINDS, max_scores
from maillage.ontology.vocab import MAI

GRAPH = URIRef("https://w3id.org/maillage/graph/network/test")
ACTOR = URIRef("https://w3id.org/maillage/id/actor/atelier-bois")


def write(store: Store, text: str) -> None:
    """A write the analysis reads (a label: `build_index` reads every ``skos:prefLabel``), so that the index
    is rebuilt, not patched."""
    with store.transaction() as tx:
        tx.add((URIRef(f"https://w3id.org/maillage/id/note/{text}"), SKOS.prefLabel, Literal(text), GRAPH))


@pytest.fixture()
def store(sample_store: Store) -> Store:
    copy = OxigraphStore(None)
    copy.add_all(sample_store.quads())
    return copy


def test_a_small_network_is_rebuilt_in_the_request(store: Store) -> None:
    state = AppState(store=store)
    first = state.index()
    write(store, "un")
    second = state.index()
    assert second is not first and second.generation == store.generation


def test_a_slow_index_is_served_stale_while_one_thread_rebuilds(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    release = threading.Event()

    def slow_build(target: Store) -> NetworkIndex:
        if builds:
            assert release.wait(10)
        built = build_index(target)
        builds.append(built.generation)  # stamped with the generation read when the build starts
        return built

    monkeypatch.setattr(state_module, "build_index", slow_build)
    state = AppState(store=store, stale_after=-1.0)  # every build counts as slow
    first = state.index()
    write(store, "un")
    started = time.monotonic()
    assert [state.index() for _ in range(20)] == [first] * 20  # served at once, stale
    assert time.monotonic() - started < 1.0
    write(store, "deux")  # lands during the rebuild: folded into the next one
    assert state.index() is first
    release.set()
    fresh = state.fresh_index(timeout=10)
    assert fresh.generation == store.generation
    # one build for the first request, then at most two in the background for the two writes
    assert 2 <= len(builds) <= 3
    assert builds[0] == first.generation and builds[-1] == store.generation
    assert state.index() is fresh


def test_an_index_rebuilt_in_the_background_is_served_warm(store: Store) -> None:
    # The public network maxima (what the first synergy request of an index computes: 5.4 s at 25,000
    # actors, every other synergy request waiting behind it) and the explorer's default picture are ready
    # before the rebuilt index is served.
    state = AppState(store=store, stale_after=-1.0)
    first = state.index()
    assert "synergies" not in first.derived  # a build in the request is not warmed: nothing asked yet
    write(store, "un")
    assert state.index() is first
    fresh = state.fresh_index(timeout=30)
    assert fresh is not first
    model = fresh.derived["synergies"]
    assert model.maxima == max_scores_cache(first)
    assert {kind for kind, private in model.maxima if not private} == set(KINDS)
    public = sorted(a.key for a in fresh.actors if a.is_public)  # the sample is drawn whole, actor by actor
    assert ("graph", tuple(public), False) in fresh.derived["explorer-layouts"]
    assert search._texts is not None and search._texts[0] is fresh  # the search's folded texts


def max_scores_cache(index: NetworkIndex) -> dict[tuple[str, bool], float]:
    """The maxima `max_scores` memoises, computed on `index` (a note changes no score of the sample)."""
    max_scores(index)
    return dict(index.derived["synergies"].maxima)


def test_a_background_rebuild_rests_before_the_next_unless_a_route_waits(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []

    def build_then_write(target: Store) -> NetworkIndex:
        built = build_index(target)
        builds.append(built.generation)
        if len(builds) == 2:
            write(target, "pendant")  # lands while the first background build runs
        return built

    monkeypatch.setattr(state_module, "build_index", build_then_write)
    state = AppState(store=store, stale_after=-1.0, rest_ratio=1000.0)  # rests "forever"
    state.index()
    write(store, "un")
    state.index()  # starts the background loop: build 2 reads « un », then « pendant » lands
    with state._built:
        assert state._built.wait_for(lambda: len(builds) == 2 and state._index.generation == builds[1], 30)
    time.sleep(0.5)
    assert len(builds) == 2  # resting: « pendant » is not built yet
    assert state.index().generation == builds[1] < store.generation
    started = time.monotonic()
    fresh = state.fresh_index(timeout=60)  # a route that wrote: the loop stops resting
    assert fresh.generation == store.generation and len(builds) == 3
    assert time.monotonic() - started < 30


def test_a_stale_index_is_not_served_once_someone_withdraws_consent(store: Store) -> None:
    # Maite Etcheverry (an inhabitant of the sample) consented: public in the index. A plain write lets
    # the stale index serve on; her consent withdrawn, the next request waits for an index hiding her.
    maite = URIRef("https://w3id.org/maillage/id/actor/hab-maite-etcheverry")
    state = AppState(store=store, stale_after=-1.0)
    first = state.index()
    assert first.actors[first.position["hab-maite-etcheverry"]].is_public
    write(store, "un")
    assert state.index() is first
    with store.transaction() as tx:
        for quad in store.quads(maite, MAI.publicConsent, None, None):
            tx.remove(quad)
            tx.add((maite, MAI.publicConsent, Literal(False), quad[3]))
    served = state.index()
    assert served.generation == store.generation
    assert not served.actors[served.position["hab-maite-etcheverry"]].is_public
