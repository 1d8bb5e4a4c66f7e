"""The Store contract, run on every implementation (tests/conftest.py: STORE_KINDS)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from maillage.graph.stores.base import RDF_LANGSTRING, XSD_STRING, Store, StoreError
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ontology.iri import network_graph
from tests.conftest import make_store

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


def test_changes_since_are_told_only_by_a_store_that_sees_every_write(
    any_store: Store, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The analysis index follows a commit from this list (`patch_index`). An embedded store sees every
    # write; a Bolt server is shared with other processes, whose writes this one does not see: no list.
    any_store.add_all(SAMPLE[:1])
    generation = any_store.generation
    with any_store.transaction() as tx:
        assert tx.remove_pattern(A, None, None, G) == 1
        tx.add(SAMPLE[3])
    if isinstance(any_store, OxigraphStore):
        assert any_store.changes_since(generation) == (generation + 1, [frozenset({(A, LABEL), (B, LABEL)})])
        return
    other = make_store("bolt", tmp_path, request)  # a second client, as another process would be
    try:
        other.add_all(SAMPLE[1:2])
        assert any_store.generation == generation + 2  # the shared count sees the other client's write
        assert any_store.changes_since(generation) is None and other.changes_since(generation) is None
    finally:
        other.close()


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


KNOWS = URIRef("http://xmlns.com/foaf/0.1/knows")


def test_rows_read_one_predicate_as_plain_strings(any_store: Store) -> None:
    # Worked out from SAMPLE: three labels (one in H), the decimal latitude, and a blank node both as an
    # object (a knows _:n) and as a subject (_:n has a label), written as ``_:label`` in both places.
    node = BNode("n1")
    any_store.add_all([*SAMPLE, (A, KNOWS, node, G), (node, LABEL, Literal("Nœud"), G), (A, KNOWS, B, H)])
    labels = sorted(any_store.rows(LABEL))
    blank = [row for row in labels if row[0].startswith("_:")]
    assert len(blank) == 1 and blank[0][1:] == ("Nœud", XSD_STRING, "")
    assert sorted(row for row in labels if not row[0].startswith("_:")) == [
        (str(A), "Atelier « Bois » & Cie", XSD_STRING, ""),
        (str(A), "Zurgintza tailerra", RDF_LANGSTRING, "eu"),
        (str(B), 'Ligne 1\nLigne "2"', XSD_STRING, ""),
    ]
    assert list(any_store.rows(LAT)) == [(str(A), "43.5412", str(XSD.decimal), "")]
    known = sorted(any_store.rows(KNOWS))
    assert known == sorted([(str(A), blank[0][0], "", ""), (str(A), str(B), "", "")])
    assert list(any_store.rows(KNOWS, graph=H)) == [(str(A), str(B), "", "")]
    assert list(any_store.rows(URIRef("urn:nothing"))) == []


def test_rows_of_a_store_agree_with_the_default_built_on_quads(any_store: Store) -> None:
    # `Store.rows` is the contract's default (read through `quads`); a store's override must agree.
    any_store.add_all([*SAMPLE, (A, KNOWS, B, H), (A, LABEL, Literal("Même"), H)])
    for predicate in (LABEL, LAT, KNOWS):
        for graph in (None, G, H):
            assert sorted(any_store.rows(predicate, graph=graph)) == sorted(
                Store.rows(any_store, predicate, graph=graph)
            )


def test_instances_are_the_subjects_of_a_class_in_every_graph(any_store: Store) -> None:
    # A typed C in G and again in H (twice: one per quad), a blank node typed C, B typed D only.
    klass, other, node = URIRef("urn:C"), URIRef("urn:D"), BNode("n1")
    typed = [(A, klass, G), (A, klass, H), (node, klass, G), (B, other, G)]
    any_store.add_all([(s, RDF.type, o, g) for s, o, g in typed])
    found = sorted(any_store.instances(klass))
    assert len(found) == 3 and found[1:] == [str(A), str(A)] and found[0].startswith("_:")
    assert list(any_store.instances(other)) == [str(B)]
    assert list(any_store.instances(URIRef("urn:nothing"))) == []
    assert sorted(Store.instances(any_store, klass)) == found  # the override agrees with the default


# Values that would break a query built by pasting text: quotes, backslashes, backticks, braces, Cypher
# keywords, a percent sign that looks like an escape, NUL, and a literal longer than FalkorDB's 4 KiB buffer.
HOSTILE_IRI = URIRef("https://exemple.org/a'b')MATCH(n)DETACH%20DELETE(n)//%27$x")
HOSTILE = [
    (HOSTILE_IRI, LABEL, Literal("`x`}) MATCH (n) DETACH DELETE n // \\' \" %27 \x00 l'été"), G),
    (HOSTILE_IRI, URIRef("https://exemple.org/p'q"), A, URIRef("https://exemple.org/g'1")),
    (A, LABEL, Literal("é'\\" * 2000, lang="EU"), G),
    (BNode("b0"), LAT, Literal("-1", datatype=XSD.integer), G),
]


def test_hostile_values_are_stored_as_data(any_store: Store) -> None:
    any_store.add_all(HOSTILE)
    assert len(any_store) == 4
    # the language tag comes back lower-cased on both stores; everything else exactly as written
    expected = {*HOSTILE[:2], (A, LABEL, Literal("é'\\" * 2000, lang="eu"), G), HOSTILE[3]}
    assert set(any_store.quads()) == expected
    assert list(any_store.quads(subject=HOSTILE_IRI, graph=URIRef("https://exemple.org/g'1"))) == [HOSTILE[1]]
    assert list(any_store.quads(object=HOSTILE[0][2])) == [HOSTILE[0]]
    dump = io.BytesIO()
    any_store.dump_nquads(dump)
    assert b'_:b0 <http://www.w3.org/2003/01/geo/wgs84_pos#lat> "-1"^^<' in dump.getvalue()
    with any_store.transaction() as tx:
        assert tx.remove_pattern(HOSTILE_IRI) == 2
    assert len(any_store) == 2


def test_an_iri_with_a_backtick_is_refused_and_nothing_is_written(any_store: Store) -> None:
    with pytest.raises((StoreError, ValueError)):
        any_store.add_all([SAMPLE[0], (URIRef("https://exemple.org/a`b"), LABEL, Literal("x"), G)])
    assert len(any_store) == 0


def _same_dataset(first: bytes, second: bytes) -> bool:
    """Equal N-Quads up to blank node labels (Oxigraph renames them when it parses)."""
    one = Dataset().parse(data=first.decode("utf-8"), format="nquads")
    two = Dataset().parse(data=second.decode("utf-8"), format="nquads")
    names = {g.identifier for g in one.graphs()} | {g.identifier for g in two.graphs()}
    return all(isomorphic(one.graph(name), two.graph(name)) for name in names)


def test_dump_restore_keeps_blank_nodes_and_hostile_values(any_store: Store, tmp_path: Path) -> None:
    any_store.add_all([*SAMPLE, *HOSTILE])
    dump = io.BytesIO()
    any_store.dump_nquads(dump)
    assert dump.getvalue().count(b"\\n") == 1 and b"_:b0 " in dump.getvalue()  # SAMPLE[3]'s newline
    oxigraph = OxigraphStore(tmp_path / "copy")
    oxigraph.restore_nquads(io.BytesIO(dump.getvalue()))
    again = io.BytesIO()
    oxigraph.dump_nquads(again)
    any_store.restore_nquads(io.BytesIO(dump.getvalue()))
    third = io.BytesIO()
    any_store.dump_nquads(third)
    for copy in (again.getvalue(), third.getvalue()):
        assert len(copy.splitlines()) == 8 and _same_dataset(copy, dump.getvalue())
        # the lines without a blank node are byte-identical, whichever store wrote them
        assert {x for x in copy.splitlines() if b"_:" not in x} == {
            x for x in dump.getvalue().splitlines() if b"_:" not in x
        }


def test_bolt_commit_failing_after_staging_leaves_the_store_unchanged(request: pytest.FixtureRequest) -> None:
    from maillage.graph.stores.bolt import BoltStore

    class FailingFlip(BoltStore):
        """The real store on the real server, whose final query fails, as a lost connection would."""

        def _run(self, query: str, **params: object) -> list[dict[str, object]]:
            if query.startswith("MERGE (m:MaillageStore"):
                raise StoreError("connexion perdue (simulée)")
            return super()._run(query, **params)

    store = make_store("bolt", Path("unused"), request)
    assert isinstance(store, BoltStore)
    try:
        store.add_all(SAMPLE[:2])
        password = request.getfixturevalue("falkordb").password
        failing = FailingFlip(store.uri, user="falkordb", password=password, database=store.database)
        with pytest.raises(StoreError, match="rien n'a été écrit"):
            with failing.transaction() as tx:
                tx.remove(SAMPLE[0])
                tx.add_all(HOSTILE)  # staged in several queries (the long literal alone takes several)
        assert set(store.quads()) == set(SAMPLE[:2])
        # nothing pending is left behind: every statement of the graph is a committed one
        assert store._run("MATCH ()-[r:STATEMENT]->() RETURN count(r) AS n") == [{"n": 2}]
    finally:
        store.drop_everything()


def test_bolt_stores_on_one_graph_see_each_other_writes(request: pytest.FixtureRequest) -> None:
    from maillage.graph.stores.bolt import BoltStore

    first = make_store("bolt", Path("unused"), request)
    assert isinstance(first, BoltStore)
    try:
        password = request.getfixturevalue("falkordb").password
        second = BoltStore(first.uri, user="falkordb", password=password, database=first.database)
        before = second.generation
        first.add_all(SAMPLE[:1])
        # the generation lives on the server: the other API process knows its index is stale
        assert second.generation == before + 1
        assert set(second.quads()) == {SAMPLE[0]}
    finally:
        first.drop_everything()


def test_sample_import_gives_the_same_quads_on_every_store(
    sample_store_any: Store, sample_store: Store
) -> None:
    # Provenance holds the import's own times, so compare the sample graph proper, line for line.
    graph = network_graph("ptce-sud-aquitain")
    assert set(sample_store_any.quads(graph=graph)) == set(sample_store.quads(graph=graph))
    assert len(set(sample_store_any.quads(graph=graph))) > 1000


def test_maillage_store_names_a_bolt_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maillage.graph.stores.bolt import BoltStore
    from maillage.settings import get_settings, open_store

    server = request.getfixturevalue("falkordb")
    monkeypatch.setenv("MAILLAGE_STORE", server.uri)
    monkeypatch.setenv("MAILLAGE_BOLT_USER", "falkordb")
    monkeypatch.setenv("MAILLAGE_BOLT_PASSWORD", server.password)
    monkeypatch.setenv("MAILLAGE_BOLT_DATABASE", "test_settings")
    store = open_store(get_settings())
    # FalkorDB ignores the name (conftest); Neo4j opens that database
    assert isinstance(store, BoltStore) and store.database == "test_settings"
    try:
        store.add_all(SAMPLE[:1])
        assert set(store.quads()) == {SAMPLE[0]}
    finally:
        store.drop_everything()
    monkeypatch.setenv("MAILLAGE_BOLT_PASSWORD", "pas-le-bon")
    with pytest.raises(StoreError, match=f"bolt://127.0.0.1:{server.bolt_port}"):
        open_store(get_settings())
