"""A full disk: an import that does not fit gets a clear French error naming the store, and the store, once
space is freed and it is reopened, is exactly what it was before (dumps compared byte for byte).

The store lives on a real small file system: a tmpfs mounted for the test (as root, or through `sudo -n`
as `make test` does for its services). Without either, the test is skipped on a developer's machine and
fails in CI (CI=true), like the other service fixtures.
"""

from __future__ import annotations

import io
import os
import random
import string
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path

from .conftest import IN_CI, SAMPLE

SIZE_MB = 32
FREE_LEFT = 1_500_000  # bytes left free before the import: its ~40,000 quads need several megabytes
runner = CliRunner()


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of SIZE_MB mebibytes, mounted for the test and unmounted after."""
    mount = tmp_path / "disque"
    mount.mkdir()
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    done = subprocess.run(
        [*sudo, "mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        message = f"cannot mount a tmpfs for the full-disk test: {done.stderr.strip()}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run([*sudo, "umount", "-l", str(mount)], check=True)


def big_network(folder: Path, actors: int) -> Path:
    """A network of `actors` organisations with random names (names alike would be resolved as one)."""
    rng = random.Random(20261129)
    folder.mkdir()
    (folder / "reseau.csv").write_text(
        "identifiant,nom,description,commune,pays\ngros-reseau,Gros réseau (fictif),,40312,FR\n"
    )
    names = ("".join(rng.choices(string.ascii_lowercase, k=12)).capitalize() for _ in range(actors))
    rows = "".join(f"g{k},{name},association,emploi,40312,FR\n" for k, name in enumerate(names))
    (folder / "acteurs.csv").write_text("identifiant,nom,type,domaines,commune,pays\n" + rows)
    return folder


def dump(path: Path) -> bytes:
    store = OxigraphStore(path)
    out = io.BytesIO()
    store.dump_nquads(out)
    store.close()
    return out.getvalue()


@pytest.mark.parametrize("journal_from", [None, "1000"], ids=["one-transaction", "journaled"])
def test_an_import_on_a_full_disk_is_refused_and_changes_nothing(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal_from: str | None
) -> None:
    data = small_disk / "data"
    store = OxigraphStore(data / "oxigraph")
    import_path(store, SAMPLE)
    store.close()
    before = dump(data / "oxigraph")
    stat = os.statvfs(small_disk)
    filler = small_disk / "remplissage"
    filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - FREE_LEFT))

    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(data))
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    if journal_from is None:
        monkeypatch.delenv("MAILLAGE_OXIGRAPH_JOURNAL_FROM", raising=False)
    else:  # the import (about 40,000 quads) goes through the journal, which does not fit either
        monkeypatch.setenv("MAILLAGE_OXIGRAPH_JOURNAL_FROM", journal_from)
    result = runner.invoke(app, ["import", str(big_network(tmp_path / "gros", 3000))])

    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"Erreur : Écriture refusée par la base Oxigraph « {data / 'oxigraph'} », rien n'a été écrit "
        "(disque plein : libérez de la place, puis redémarrez le serveur — la base garde son dernier état "
        "validé) : "
    ), result.output
    assert "No space left on device" in result.output
    # the journaled import failed while writing its journal, before its commit point
    assert (f"journal « {data / 'oxigraph.journal.tmp'} »" in result.output) == (journal_from is not None)
    filler.unlink()  # the operator frees space and restarts
    assert dump(data / "oxigraph") == before
    assert sorted(p.name for p in data.iterdir()) == ["oxigraph"]  # no journal, no staging left
    # and the store takes writes again
    again = runner.invoke(app, ["import", str(tmp_path / "gros")])
    assert again.exit_code == 0, again.output
    assert "entités créées : 3001" in again.output
