"""`maillage backup` / `maillage restore`: a backup taken while writes go on is one committed state; a
restore gives back exactly what was backed up (dumps compared byte for byte) or refuses, changing nothing."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.backup import (
    MANIFEST,
    BackupError,
    backup,
    restore_folder,
    restore_into,
    verify,
)
from maillage.graph.stores.base import Quad, Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore

from .conftest import make_store

SEED = URIRef("urn:graph:seed")
WRITES = URIRef("urn:graph:writes")
P = URIRef("urn:p")
BATCH = 30  # quads per write: above the journal threshold of the journaled case


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


def seed_quads() -> list[Quad]:
    return [(URIRef(f"urn:seed{i}"), P, Literal(f"graine « {i} »", lang="fr"), SEED) for i in range(100)]


def batch(i: int) -> list[Quad]:
    return [(URIRef(f"urn:w{i}-{k}"), P, Literal(k), WRITES) for k in range(BATCH)]


def test_backup_then_restore_gives_the_same_store_and_tokens(sample_store: Store, tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "data" / "tokens.sqlite3")
    record, token = tokens.create("animator", note="Maite")
    manifest = backup(sample_store, tmp_path / "sauvegarde", tokens_path=tokens.path)
    assert manifest.kind == "oxigraph" and manifest.tokens == 1
    assert manifest.graphs == sample_store.count_by_graph() and manifest.quads == len(sample_store)
    assert set(manifest.files) >= {"tokens.sqlite3", "oxigraph/CURRENT"}

    restored_tokens = tmp_path / "ailleurs" / "tokens.sqlite3"
    restore_folder(tmp_path / "sauvegarde", tmp_path / "ailleurs" / "oxigraph", tokens_path=restored_tokens)
    restored = OxigraphStore(tmp_path / "ailleurs" / "oxigraph")
    assert dump(restored) == dump(sample_store)
    assert TokenStore(restored_tokens).authenticate(token) == record
    restored.close()


@pytest.mark.parametrize("journal_from", [10**9, 20], ids=["one-transaction", "journaled"])
def test_a_backup_during_writes_is_one_committed_state(tmp_path: Path, journal_from: int) -> None:
    store = OxigraphStore(tmp_path / "db", journal_from=journal_from)
    store.add_all(seed_quads())
    committed = [0]
    stop = threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set():
            store.add_all(batch(i))
            i += 1
            committed[0] = i

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        taken = []
        for n in range(5):
            while committed[0] < 2 * (n + 1):  # let some writes land between two backups
                stop.wait(0.001)
            before = committed[0]
            backup(store, tmp_path / f"b{n}")
            taken.append((before, committed[0]))
    finally:
        stop.set()
        thread.join()
    for n, (before, after) in enumerate(taken):
        restore_folder(tmp_path / f"b{n}", tmp_path / f"r{n}")
        restored = OxigraphStore(tmp_path / f"r{n}")
        found = set(restored.quads())
        restored.close()
        # k whole batches, a prefix of those written: batch k is absent, no batch is cut in two
        k = sum(1 for i in range(after + 1) if batch(i)[0] in found)
        assert found == set(seed_quads()).union(*(batch(i) for i in range(k)))
        assert before <= k <= after
    assert committed[0] >= 10
    store.close()


def test_a_bolt_store_is_backed_up_as_nquads_and_restores_on_both_kinds(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    bolt = make_store("bolt", tmp_path, request)
    try:
        bolt.add_all(seed_quads() + batch(0))
        manifest = backup(bolt, tmp_path / "sauvegarde")
        assert manifest.kind == "nquads" and manifest.graphs == {str(SEED): 100, str(WRITES): BATCH}
        assert manifest.tokens is None and list(manifest.files) == ["store.nq"]
        restore_folder(tmp_path / "sauvegarde", tmp_path / "oxigraph")
        oxigraph = OxigraphStore(tmp_path / "oxigraph")
        assert dump(oxigraph) == dump(bolt)
        # and back: an Oxigraph backup restored into a Bolt server
        backup(oxigraph, tmp_path / "depuis-oxigraph")
        oxigraph.close()
        expected = dump(bolt)
        bolt.drop_everything()  # type: ignore[attr-defined]
        restore_into(bolt, tmp_path / "depuis-oxigraph")
        assert dump(bolt) == expected
    finally:
        bolt.drop_everything()  # type: ignore[attr-defined]
        bolt.close()


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    store = OxigraphStore(tmp_path / "db")
    store.add_all(seed_quads())
    backup(store, tmp_path / "sauvegarde")
    store.close()
    return tmp_path / "sauvegarde"


def test_a_non_empty_store_is_replaced_only_with_force(saved: Path, tmp_path: Path) -> None:
    target = OxigraphStore(tmp_path / "cible")
    target.add_all(batch(0))
    target.close()
    with pytest.raises(BackupError, match=r"« .*cible » n'est pas vide \(30 quads\) : restauration refusée"):
        restore_folder(saved, tmp_path / "cible")
    assert set(OxigraphStore(tmp_path / "cible").quads()) == set(batch(0))  # unchanged (closed on drop)
    # the old store's journal (left by a killed process) must not be applied to the restored one
    (tmp_path / "cible.journal").mkdir()
    (tmp_path / "cible.journal" / "adds.nq").write_text(f'<urn:x> <{P}> "intrus" <{WRITES}> .\n')
    (tmp_path / "cible.journal" / "removes.nq").write_text("")
    restore_folder(saved, tmp_path / "cible", force=True)
    assert set(OxigraphStore(tmp_path / "cible").quads()) == set(seed_quads())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cible", "db", "sauvegarde"]


def test_tokens_are_not_overwritten_without_force(saved: Path, tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    tokens.create("admin")
    with pytest.raises(BackupError, match=r"contient déjà 1 jeton\(s\) : restauration refusée"):
        restore_folder(saved, tmp_path / "vide", tokens_path=tokens.path)
    assert not (tmp_path / "vide").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: (b / "oxigraph" / "CURRENT").write_text("MANIFEST-9\n"), "altérée : « oxigraph/CURRENT »"),
        (lambda b: (b / "oxigraph" / "CURRENT").unlink(), "incomplète : « oxigraph/CURRENT » manque"),
        (lambda b: (b / "intrus.txt").write_text("x"), "« intrus.txt » n'était pas dans la sauvegarde"),
        (lambda b: (b / MANIFEST).unlink(), "n'est pas une sauvegarde Maillage : manifest.json manquant"),
        (lambda b: (b / MANIFEST).write_text("{"), "manifest.json » illisible"),
    ],
    ids=["altered", "missing", "extra", "no-manifest", "bad-manifest"],
)
def test_a_damaged_backup_is_refused_and_changes_nothing(
    saved: Path, tmp_path: Path, damage: Callable[[Path], object], message: str
) -> None:
    damage(saved)
    with pytest.raises(BackupError, match=message):
        restore_folder(saved, tmp_path / "cible")
    assert not (tmp_path / "cible").exists() and not (tmp_path / "cible.replace").exists()


def test_a_manifest_that_does_not_match_the_store_is_refused(saved: Path, tmp_path: Path) -> None:
    manifest = json.loads((saved / MANIFEST).read_text())
    manifest["graphs"][str(SEED)] = 99  # the checksums still hold: only the counts can tell
    (saved / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match=r"graphe <urn:graph:seed>, 100 quads au lieu de 99"):
        restore_folder(saved, tmp_path / "cible")
    assert not (tmp_path / "cible").exists() and not (tmp_path / "cible.replace").exists()


def test_backup_refuses_an_existing_destination_and_leaves_no_trace(saved: Path, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "autre")
    with pytest.raises(BackupError, match=r"« .*sauvegarde » existe déjà"):
        backup(store, saved)
    with pytest.raises(BackupError, match=r"« .*nulle-part » n'est pas un dossier existant"):
        backup(store, tmp_path / "nulle-part" / "b")
    store.close()
    assert verify(saved).quads == 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autre", "db", "sauvegarde"]


runner = CliRunner()


def test_the_cli_backs_up_and_restores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    store = OxigraphStore(tmp_path / "data" / "oxigraph")
    store.add_all(seed_quads())
    store.close()
    TokenStore(tmp_path / "data" / "tokens.sqlite3").create("admin")
    result = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "quads dans 1 graphe(s), 1 jeton(s)" in result.output and "100 quads" in result.output

    refused = runner.invoke(app, ["restore", str(tmp_path / "b")])
    assert refused.exit_code == 1
    assert "n'est pas vide (100 quads) : restauration refusée (--force pour la remplacer)" in refused.output

    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "neuf"))
    done = runner.invoke(app, ["restore", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert f"oxigraph:{tmp_path / 'neuf' / 'oxigraph'} restaurée" in done.output
    assert set(OxigraphStore(tmp_path / "neuf" / "oxigraph").quads()) == set(seed_quads())
    assert len(TokenStore(tmp_path / "neuf" / "tokens.sqlite3").list()) == 1


def test_the_cli_says_when_a_server_holds_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    held = OxigraphStore(tmp_path / "data" / "oxigraph")  # as `maillage serve` holds it
    result = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "Impossible d'ouvrir la base Oxigraph" in result.output
    assert (
        "un serveur Maillage utilise-t-il la base ? demandez-lui la sauvegarde : POST /api/admin/backups "
        "avec un jeton admin, ou arrêtez-le le temps de la sauvegarde)"
    ) in " ".join(result.output.split())
    held.close()
