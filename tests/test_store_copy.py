"""`maillage copy` (graph/stores/copy.py, maillage/cli_store.py): a whole store moved to another kind and
back gives an isomorphic dump; a non-empty target is refused; a failed copy leaves the target as it was."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.stores import folders
from maillage.graph.stores.base import RAW_BATCH, Store, StoreError
from maillage.graph.stores.copy import CopyError, copy_store
from maillage.graph.stores.nquads import RawQuad
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ontology.iri import GRAPH_BASE, ONTOLOGY_GRAPH, TERRITORIES_GRAPH
from tests.conftest import make_store
from tests.test_store_contract import HOSTILE, SAMPLE

NETWORK = GRAPH_BASE + "network/ptce-sud-aquitain"
PROVENANCE = GRAPH_BASE + "provenance/ptce-sud-aquitain"
G = URIRef("https://w3id.org/maillage/graph/test")
OTHER = URIRef("https://w3id.org/maillage/graph/autre")
LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
runner = CliRunner()


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


def dataset(nquads: bytes) -> Dataset:
    return Dataset().parse(data=nquads.decode("utf-8"), format="nquads")


def counts(nquads: bytes) -> dict[str, int]:
    """Quads per graph, as rdflib's N-Quads parser reads a dump (not as the copy counts them)."""
    parsed = dataset(nquads)
    return {str(graph.identifier): len(graph) for graph in parsed.graphs() if len(graph)}


def french(number: int) -> str:
    """Digits grouped by thousands with a space, as the messages write them."""
    return f"{number:,}".replace(",", " ")


def assert_isomorphic(copy: bytes, original: bytes) -> None:
    one, two = dataset(original), dataset(copy)
    names = {g.identifier for g in one.graphs()} | {g.identifier for g in two.graphs()}
    for name in names:
        assert isomorphic(one.graph(name), two.graph(name)), name


@pytest.fixture
def bolt(request: pytest.FixtureRequest) -> Iterator[Store]:
    store = make_store("bolt", Path("unused"), request)
    yield store
    store.drop_everything()  # type: ignore[attr-defined]


def test_the_sample_network_there_and_back_gives_an_isomorphic_dump(
    sample_store: Store, bolt: Store, tmp_path: Path
) -> None:
    original = dump(sample_store)
    expected = counts(original)
    # the four graphs of an imported network, and blank nodes (OWL axioms) in the ontology graph
    assert set(expected) == {NETWORK, PROVENANCE, str(ONTOLOGY_GRAPH), str(TERRITORIES_GRAPH)}
    assert any(b"_:" in line for line in original.splitlines() if line.endswith(b"/ontology> ."))
    there = copy_store(sample_store, bolt, batch_size=1000)  # 21 batches: blank nodes span several
    assert there.graphs == expected
    back = OxigraphStore(tmp_path / "retour")
    copy_store(bolt, back, batch_size=1000)
    for copy in (dump(bolt), dump(back)):
        assert counts(copy) == expected
        assert_isomorphic(copy, original)
    # blank nodes keep their labels through both copies: the dumps are byte-identical
    assert dump(back) == original
    back.close()


def test_hostile_values_and_blank_nodes_survive_both_ways(bolt: Store, tmp_path: Path) -> None:
    node = BNode("n1")
    ill_typed = (node, URIRef("urn:effectif"), Literal("quarante", datatype=XSD.integer), G)
    quads = [
        *SAMPLE,
        *HOSTILE,
        (node, LABEL, Literal("Nœud"), G),
        (HOSTILE[0][0], LABEL, node, OTHER),
        ill_typed,
    ]
    source = OxigraphStore(tmp_path / "source")
    source.add_all(quads)
    copy_store(source, bolt, batch_size=2)
    back = OxigraphStore(tmp_path / "retour")
    copy_store(bolt, back, batch_size=3)
    # the language tag "EU" comes back lower-cased (both stores keep tags so); everything else exactly
    lowered = (HOSTILE[2][0], LABEL, Literal(str(HOSTILE[2][2]), lang="eu"), G)
    expected = set(quads) - {HOSTILE[2]} | {lowered}
    assert set(bolt.quads()) == expected
    assert set(back.quads()) == expected
    assert dump(back) == dump(source)


def test_a_non_empty_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    source, target = OxigraphStore(tmp_path / "source"), OxigraphStore(tmp_path / "cible")
    source.add_all(SAMPLE)
    target.add_all(SAMPLE[:2])
    with pytest.raises(CopyError) as refused:
        copy_store(source, target)
    assert str(refused.value) == (
        "La base cible n'est pas vide (2 quads dans 1 graphe) : rien n'a été copié. "
        "Choisissez une base vide, ou remplacez son contenu (--replace)."
    )
    assert set(target.quads()) == set(SAMPLE[:2])
    with pytest.raises(CopyError, match="même base"):
        copy_store(source, source)


@pytest.mark.parametrize("kind", ["oxigraph", "bolt"])
def test_replace_gives_exactly_the_source(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    target = make_store(kind, tmp_path, request)
    try:
        target.add_all([(SAMPLE[0][0], LABEL, Literal("à remplacer"), OTHER), SAMPLE[0]])
        source = OxigraphStore(tmp_path / "source")
        source.add_all(SAMPLE)
        report = copy_store(source, target, replace=True)
        assert set(target.quads()) == set(SAMPLE)  # the other graph is gone, SAMPLE[0] is there once
        assert report.replaced == 2 and report.quads == 4
        assert target.count_by_graph() == {str(SAMPLE[0][3]): 3, str(SAMPLE[3][3]): 1}
    finally:
        if kind == "bolt":
            target.drop_everything()  # type: ignore[attr-defined]


class BrokenSource(OxigraphStore):
    """A real store whose read fails after its first batch, as a lost connection would, or that drops
    one quad of it, as a write racing the copy would be missed."""

    def __init__(self, path: Path, *, drop: bool = False) -> None:
        super().__init__(path)
        self.drop = drop

    def raw_batches(self, *, size: int = RAW_BATCH) -> Iterator[list[RawQuad]]:
        for batch in super().raw_batches(size=size):
            if self.drop:
                yield batch[1:]
                continue
            yield batch
            raise StoreError("connexion perdue (simulée)")


@pytest.mark.parametrize("kind", ["oxigraph", "bolt"])
@pytest.mark.parametrize("drop", [False, True], ids=["read-fails", "count-differs"])
def test_a_failed_copy_leaves_the_target_as_it_was(
    kind: str, drop: bool, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    target = make_store(kind, tmp_path, request)
    try:
        target.add_all([(SAMPLE[0][0], LABEL, Literal("avant"), OTHER)])
        source = BrokenSource(tmp_path / "source", drop=drop)
        source.add_all(SAMPLE[:3])  # three quads of one graph
        message = (
            f"Copie refusée à la vérification : graphe <{G}>, 3 quads dans la source, 2 lus dans la "
            "source pendant la copie (a-t-elle changé ?)"
            if drop
            else "connexion perdue (simulée)"
        )
        with pytest.raises(StoreError, match=re.escape(message)):
            copy_store(source, target, replace=True, batch_size=10 if drop else 2)
        assert set(target.quads()) == {(SAMPLE[0][0], LABEL, Literal("avant"), OTHER)}
        if kind == "oxigraph":
            assert not folders.sibling(tmp_path / "oxigraph", folders.STAGING_SUFFIX).exists()
        else:  # nothing pending is left on the server either
            assert target._run("MATCH ()-[r:STATEMENT]->() RETURN count(r) AS n") == [{"n": 1}]  # type: ignore[attr-defined]
    finally:
        if kind == "bolt":
            target.drop_everything()  # type: ignore[attr-defined]


@pytest.mark.parametrize("staging_left", [True, False])
def test_a_swap_killed_between_its_renames_is_finished_on_opening(tmp_path: Path, staging_left: bool) -> None:
    path = tmp_path / "oxigraph"
    old = OxigraphStore(path)
    old.add_all(SAMPLE[:1])
    old.close()
    new = OxigraphStore(folders.sibling(path, folders.STAGING_SUFFIX))
    new.add_all(SAMPLE)
    new.close()
    if not staging_left:  # a copy that failed, then the old folder was moved aside by hand
        folders.sibling(path, folders.STAGING_SUFFIX).rename(tmp_path / "ailleurs")
    path.rename(folders.sibling(path, folders.OLD_SUFFIX))  # the first rename, then the kill
    reopened = OxigraphStore(path)
    assert set(reopened.quads()) == (set(SAMPLE) if staging_left else set(SAMPLE[:1]))
    assert not folders.sibling(path, folders.OLD_SUFFIX).exists()
    reopened.close()


# ---------------------------------------------------------------------------------------------- the CLI


def test_the_command_copies_there_and_back(
    sample_store: Store, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = request.getfixturevalue("falkordb")
    monkeypatch.setenv("MAILLAGE_BOLT_DATABASE", "maillage")  # the graph `make_store` opens, for cleaning
    for name in ("MAILLAGE_BOLT_USER", "MAILLAGE_BOLT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    first = OxigraphStore(tmp_path / "a")
    copy_store(sample_store, first)
    first.close()
    original = dump(sample_store)
    expected = counts(original)
    bolt_spec = f"bolt://falkordb:{server.password}@127.0.0.1:{server.bolt_port}"
    try:
        there = runner.invoke(app, ["copy", "--from", f"oxigraph:{tmp_path / 'a'}", "--to", bolt_spec])
        assert there.exit_code == 0, there.output
        total = sum(expected.values())
        assert f"Copie vérifiée : {french(total)} quads dans 4 graphes en " in there.output
        for graph, count in expected.items():
            assert f"  <{graph}> : {count} quads\n" in there.output
        assert server.password not in there.output
        assert f"bolt://falkordb:***@127.0.0.1:{server.bolt_port}" in there.output

        back = runner.invoke(app, ["copy", "--from", bolt_spec, "--to", f"oxigraph:{tmp_path / 'b'}"])
        assert back.exit_code == 0, back.output
        copied = OxigraphStore(tmp_path / "b")
        assert_isomorphic(dump(copied), original)
        assert counts(dump(copied)) == expected
        copied.close()

        again = runner.invoke(app, ["copy", "--from", bolt_spec, "--to", f"oxigraph:{tmp_path / 'b'}"])
        assert again.exit_code == 1
        assert again.output == (
            f"Erreur : La base cible n'est pas vide ({french(total)} quads dans 4 graphes) : rien n'a été "
            "copié. Choisissez une base vide, ou remplacez son contenu (--replace).\n"
        )
        replaced = runner.invoke(
            app, ["copy", "--from", bolt_spec, "--to", f"oxigraph:{tmp_path / 'b'}", "--replace"]
        )
        assert replaced.exit_code == 0, replaced.output
        assert f"(les {french(total)} quads de la cible ont été remplacés)" in replaced.output
    finally:
        make_store("bolt", tmp_path, request).drop_everything()  # type: ignore[attr-defined]


def test_the_command_says_what_is_wrong(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    server = request.getfixturevalue("falkordb")
    OxigraphStore(tmp_path / "a").close()
    source = f"oxigraph:{tmp_path / 'a'}"

    def error(*args: str) -> str:
        result = runner.invoke(app, ["copy", *args])
        assert result.exit_code == 1
        return result.output

    wrong = f"bolt://falkordb:pas-le-bon@127.0.0.1:{server.bolt_port}"
    message = error("--from", source, "--to", wrong)
    assert message.startswith(
        f"Erreur : --to : Connexion refusée par le serveur Bolt « bolt://127.0.0.1:{server.bolt_port} » "
        "avec l'utilisateur « falkordb » : identifiants refusés ?"
    )
    assert "pas-le-bon" not in message
    assert error("--from", source, "--to", f"bolt://falkordb:x@127.0.0.1:{_closed_port()}").startswith(
        "Erreur : --to : Serveur Bolt injoignable « bolt://127.0.0.1:"
    )
    assert error("--from", source, "--to", source) == (
        f"Erreur : --from et --to désignent la même base « {source} » : rien n'a été copié\n"
    )
    missing = tmp_path / "rien"
    assert error("--from", f"oxigraph:{missing}", "--to", "oxigraph:x") == (
        f"Erreur : --from : la base Oxigraph « {missing} » n'existe pas (aucun dossier à ce chemin)\n"
    )
    assert "base en mémoire" in error("--from", source, "--to", "oxigraph:")
    assert error("--from", source, "--to", "sqlite://u:secret@x").startswith(
        "Erreur : --to : « sqlite://u:***@x » ne désigne pas une base"
    )


def _closed_port() -> int:
    from tests.services.falkordb import free_port

    return free_port()  # free right now: nothing listens there
