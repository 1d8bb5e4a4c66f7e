"""The Store contract, run on every implementation (tests/conftest.py: STORE_KINDS)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from maillage.graph.stores.base import Store, StoreError
from maillage.graph.stores.oxigraph import OxigraphStore

G = URIRef("https://w3id.org/maillage/graph/test")
H = URIRef("https://w3id.org/maillage/graph/other")
A = URIRef("https://w3id.org/maillage/id/actor/a")
B = URIRef("https://w3id.org/maillage/id/actor/b")
LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
LAT = URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat")

SAMPLE = [
    (A, LABEL, Literal("Atelier « Bois » & Cie"), G),
    (A, LABEL, Literal("Zurgintza tailerra", lang="eu"), G),
    (A, LAT, Literal("43.5412", datatype=XSD.decimal), G),
    (B, LABEL, Literal('Ligne 1\nLigne "2"'), H),
]


def test_empty_store_has_no_quads(any_store: Store) -> None:
    assert len(any_store) == 0
    assert list(any_store.quads()) == []
    assert any_store.graphs() == set()


def test_transaction_commits_all_quads_with_their_terms(any_store: Store) -> None:
    any_store.add_all(SAMPLE)
    assert len(any_store) == 4
    assert set(any_store.quads()) == set(SAMPLE)
    assert any_store.graphs() == {G, H}
    assert any_store.value(A, LAT) == Literal("43.5412", datatype=XSD.decimal)
    assert {o.language for _s, _p, o in any_store.triples(A, LABEL)} == {None, "eu"}


def test_pattern_matching_by_each_position(any_store: Store) -> None:
    any_store.add_all(SAMPLE)
    assert len(list(any_store.quads(subject=A))) == 3
    assert len(list(any_store.quads(predicate=LABEL))) == 3
    assert list(any_store.quads(object=Literal("Zurgintza tailerra", lang="eu"))) == [SAMPLE[1]]
    assert list(any_store.quads(graph=H)) == [SAMPLE[3]]


def test_exception_inside_transaction_writes_nothing(any_store: Store) -> None:
    any_store.add_all(SAMPLE[:1])
    generation = any_store.generation
    with pytest.raises(RuntimeError, match="abandon"):
        with any_store.transaction() as tx:
            tx.add(SAMPLE[1])
            tx.remove(SAMPLE[0])
            raise RuntimeError("abandon")
    assert set(any_store.quads()) == {SAMPLE[0]}
    assert any_store.generation == generation


def test_failed_commit_leaves_store_unchanged(any_store: Store) -> None:
    any_store.add_all(SAMPLE[:2])
    bad = (URIRef("https://exemple.org/not an iri"), LABEL, Literal("x"), G)
    with pytest.raises((StoreError, ValueError)):
        with any_store.transaction() as tx:
            tx.remove(SAMPLE[0])
            tx.add(SAMPLE[2])
            tx.add(bad)
    assert set(any_store.quads()) == set(SAMPLE[:2])


def test_remove_pattern_and_generation(any_store: Store) -> None:
    any_store.add_all(SAMPLE)
    generation = any_store.generation
    with any_store.transaction() as tx:
        assert tx.remove_pattern(A, None, None, G) == 3
    assert set(any_store.quads()) == {SAMPLE[3]}
    assert any_store.generation == generation + 1


def test_replace_subjects_counts_and_is_idempotent(any_store: Store) -> None:
    wanted = {A: {(A, LABEL, Literal("A"))}, B: {(B, LABEL, Literal("B"))}}
    assert any_store.replace_subjects(G, wanted) == {"created": 2, "updated": 0, "unchanged": 0}
    generation = any_store.generation
    assert any_store.replace_subjects(G, wanted) == {"created": 0, "updated": 0, "unchanged": 2}
    assert any_store.generation == generation  # nothing written
    wanted[B] = {(B, LABEL, Literal("B2"))}
    assert any_store.replace_subjects(G, wanted) == {"created": 0, "updated": 1, "unchanged": 1}
    assert set(any_store.triples(B)) == {(B, LABEL, Literal("B2"))}


def test_dump_restore_round_trips_losslessly(any_store: Store, tmp_path: Path) -> None:
    any_store.add_all(SAMPLE)
    dump = io.BytesIO()
    any_store.dump_nquads(dump)
    original = Dataset()
    original.parse(data=dump.getvalue().decode("utf-8"), format="nquads")
    assert len(original) == 4

    other = OxigraphStore(tmp_path / "restored")
    other.add_all([(B, LABEL, Literal("à écraser"), G)])
    other.restore_nquads(io.BytesIO(dump.getvalue()))
    assert set(other.quads()) == set(SAMPLE)
    second = io.BytesIO()
    other.dump_nquads(second)
    assert second.getvalue() == dump.getvalue()  # sorted, byte-identical
    for graph in (G, H):
        assert isomorphic(
            original.graph(graph),
            Dataset().parse(data=second.getvalue().decode(), format="nquads").graph(graph),
        )


def test_restore_of_a_broken_dump_changes_nothing(any_store: Store) -> None:
    any_store.add_all(SAMPLE)
    with pytest.raises(StoreError, match="N-Quads"):
        any_store.restore_nquads(io.BytesIO(b'<urn:a> <urn:p> "unterminated <urn:g> .\n'))
    assert set(any_store.quads()) == set(SAMPLE)


def test_oxigraph_store_persists_across_reopen(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    store.add_all(SAMPLE)
    store.close()
    reopened = OxigraphStore(tmp_path / "db")
    assert set(reopened.quads()) == set(SAMPLE)
    reopened.close()
