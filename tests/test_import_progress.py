"""The phases an import reports, and the CLI's progress bar that draws them (only on a terminal)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from maillage.cli import app as cli
from maillage.cli_progress import ImportProgressBar
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.progress import PHASES
from maillage.ingest.report import ImportRefusedError

RESEAU = "identifiant,nom,description,commune,pays\nreseau-test,Réseau test (exemple fictif),,40312,FR\n"
ACTEURS = "identifiant,nom,type,domaines,commune,pays\natelier,Atelier,scop,emploi,40312,FR\n"


def folder(path: Path, **files: str) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / f"{name}.csv").write_text(text, encoding="utf-8")
    return path


def test_a_spreadsheet_import_goes_through_the_four_phases(tmp_path: Path) -> None:
    seen: list[str] = []
    store = OxigraphStore(tmp_path / "db")
    import_path(store, folder(tmp_path / "in", reseau=RESEAU, acteurs=ACTEURS), progress=seen.append)
    assert seen == ["lecture", "correspondances", "validation SHACL", "écriture"] == list(PHASES)


def test_a_refused_mapping_stops_before_validation(tmp_path: Path) -> None:
    seen: list[str] = []
    store = OxigraphStore(tmp_path / "db")
    bad = ACTEURS.replace("emploi", "astrologie")
    with pytest.raises(ImportRefusedError):
        import_path(store, folder(tmp_path / "in", reseau=RESEAU, acteurs=bad), progress=seen.append)
    assert seen == ["lecture", "correspondances"]


def test_an_rdf_import_has_no_mapping_phase(tmp_path: Path) -> None:
    from maillage.graph.export import serialize

    source = OxigraphStore(tmp_path / "a")
    import_path(source, folder(tmp_path / "in", reseau=RESEAU, acteurs=ACTEURS))
    turtle = tmp_path / "reseau.ttl"
    turtle.write_bytes(serialize(source, "turtle"))
    seen: list[str] = []
    import_path(OxigraphStore(tmp_path / "b"), turtle, dry_run=True, progress=seen.append)
    assert seen == ["lecture", "validation SHACL", "écriture"]


def test_the_bar_draws_the_current_phase_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with ImportProgressBar(console, delay=0) as bar:
        bar("validation SHACL")
        bar._progress.refresh()  # type: ignore[union-attr]  # draw now rather than at the next tick
    drawn = screen.getvalue()
    # « validation SHACL » is the third phase: two are done
    assert "validation SHACL…" in drawn and "phase 2/4" in drawn


def test_a_quick_import_never_draws_the_bar() -> None:
    screen = io.StringIO()
    with ImportProgressBar(Console(file=screen, force_terminal=True), delay=60) as bar:
        for phase in PHASES:
            bar(phase)
    assert screen.getvalue() == ""


def test_no_bar_when_stdout_is_not_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    result = CliRunner().invoke(cli, ["import", str(folder(tmp_path / "in", reseau=RESEAU, acteurs=ACTEURS))])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "in — import",
        "lignes lues : reseau : 1, acteurs : 1",
        "entités créées : 2, mises à jour : 0, inchangées : 0",
    ]
