"""The benchmark generator is deterministic and realistic, and Maillage's answers on a generated network
equal the naive formulation and the hand-written baselines (no timing here: timings live in benchmarks/)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pyoxigraph as ox
import pytest

from benchmarks import baselines, naive
from benchmarks.generate import NETWORK_SLUG, SPAIN_SHARE, GeneratedNetwork, generate_network, network_nquads
from benchmarks.nquads import decimal
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import affinities, complementarities, synergies_for_actor
from maillage.ontology.iri import network_graph
from maillage.ontology.literals import decimal_literal


def dump(size: int, seed: int) -> bytes:
    """The generated network's graph as sorted N-Quads. (The reference data loaded with it is left out:
    the ontology's OWL unions are blank nodes, labelled afresh each time the Turtle is parsed.)"""
    store = OxigraphStore(None)
    generate_network(store, size, seed=seed)
    out = io.BytesIO()
    store.oxigraph.dump(
        out, format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(str(network_graph(NETWORK_SLUG)))
    )
    return b"".join(sorted(out.getvalue().splitlines(keepends=True)))


@pytest.fixture(scope="module")
def generated() -> Iterator[tuple[OxigraphStore, GeneratedNetwork, NetworkIndex]]:
    """A 200-actor generated network, its summary and its index."""
    store = OxigraphStore(None)
    summary = generate_network(store, 200, seed=3)
    yield store, summary, build_index(store)
    store.close()


def test_same_seed_gives_the_same_dump_and_another_seed_another() -> None:
    first = dump(500, seed=0)
    assert first.count(b"\n") > 19_000  # about 40 quads per actor
    assert first == dump(500, seed=0)
    assert first != dump(500, seed=1)


def test_batches_are_the_same_bytes_as_one_run() -> None:
    assert b"".join(network_nquads(120, seed=5)) == b"".join(network_nquads(120, seed=5))


def test_generated_network_has_the_advertised_shape(
    generated: tuple[OxigraphStore, GeneratedNetwork, NetworkIndex],
) -> None:
    store, summary, index = generated
    assert summary.actors == len(index.actors) == 200
    assert len(store) == summary.quads + summary.reference_quads
    assert network_graph(NETWORK_SLUG) in store.graphs()
    # 15 % of actors in Spain: 30 expected, a binomial standard deviation of 5
    assert abs(summary.spanish - SPAIN_SHARE * 200) < 20
    assert all(1 <= len(a.fields) <= 3 for a in index.actors)
    assert all(len(a.needs) <= 4 and len(a.offers) <= 4 for a in index.actors)
    assert all(2 <= len(p.participants) <= 15 for p in index.projects)
    assert len(index.projects) == summary.projects == 50  # one project for 4 actors
    assert {a.country for a in index.actors} == {"FR", "ES"}
    persons = [a for a in index.actors if a.kind == "person"]
    assert len(persons) == summary.persons
    assert summary.private_persons == sum(not a.is_public for a in persons)
    # Zipf-skewed fields: the most common field is declared by far more actors than the median one
    counts = np.sort(np.asarray(index.fields.sum(axis=0)).ravel())[::-1]
    assert counts[0] > 3 * np.median(counts)


@pytest.mark.parametrize("value", [-1.4659, 43.49235, 43.0, -0.000001, 0.1])
def test_coordinates_are_written_as_the_importer_writes_them(value: float) -> None:
    assert decimal(value) == decimal_literal(value).n3()


def test_pooling_groups_form_around_the_best_connected_needer() -> None:
    # Three needers on a meridian at 0, 20 and 40 km, radius 25 km: the middle one has 3 needers within
    # reach (itself included), the others 2, so it is the first centre and takes all three.
    step = 20.0 / 6371.0  # radians of latitude for 20 km
    phi = np.array([0.0, step, 2 * step])
    groups = baselines._groups((phi, np.zeros(3)), np.arange(3), 25.0)
    assert [g.tolist() for g in groups] == [[0, 1, 2]]
    # 0, 20 and 60 km: the first two have 2 within reach, the third 1; row 0 wins the tie.
    phi = np.array([0.0, step, 3 * step])
    groups = baselines._groups((phi, np.zeros(3)), np.arange(3), 25.0)
    assert [g.tolist() for g in groups] == [[0, 1], [2]]


def test_fewer_than_two_actors_is_refused() -> None:
    with pytest.raises(ValueError, match="Taille invalide : 1 acteurs"):
        next(network_nquads(1))


def test_maillage_equals_the_naive_formulation(
    generated: tuple[OxigraphStore, GeneratedNetwork, NetworkIndex],
) -> None:
    store, _summary, index = generated
    data = naive.read_naive_data(store.oxigraph)
    checks = naive.check_synergies(index, data, naive.naive_scores(data))
    checks.append(naive.check_centralities(index, data))
    assert {c.name: c.mismatches for c in checks} == {c.name: [] for c in checks}
    assert all(c.compared > 0 for c in checks if c.name != "mutualisation")


@pytest.mark.parametrize("dense_affinity_max", [50_000, 0], ids=["dense-affinity", "sparse-affinity"])
def test_baselines_give_maillage_answers(
    generated: tuple[OxigraphStore, GeneratedNetwork, NetworkIndex],
    dense_affinity_max: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(baselines, "DENSE_AFFINITY_MAX_ACTORS", dense_affinity_max)
    store, _summary, index = generated
    arrays = baselines.read_analysis_arrays(store.oxigraph)
    for matrix in ("needs", "offers", "fields"):
        assert arrays.pairs(matrix) == {(a.key, str(c)) for a in index.actors for c in getattr(a, matrix)}
    assert len(arrays.edges) == index.collaboration.number_of_edges()

    synergy_arrays = baselines.prepare_synergy_arrays(index)
    baselines.network_maxima(synergy_arrays)
    _others, top = baselines.all_top(synergy_arrays, limit=10)
    for row, actor in enumerate(index.actors):
        if not actor.is_public:
            continue
        expected = [s.score for s in synergies_for_actor(index, actor.key, limit=10)]
        assert baselines.actor_top(synergy_arrays, row, limit=10)[1].tolist() == pytest.approx(
            expected, abs=1e-9
        )
        assert [s for s in top[row] if s > 0] == pytest.approx(expected, abs=1e-9)
        for kind, function in (("affinite", affinities), ("complementarite", complementarities)):
            wanted = [s.score for s in function(index, actor.key, limit=10)]
            assert baselines.kind_top(synergy_arrays, row, kind, limit=10)[1].tolist() == pytest.approx(
                wanted, abs=1e-9
            )
