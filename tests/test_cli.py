"""The `maillage` command: each subcommand, its help, and errors as one clear line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maillage.cli import app

from .conftest import SAMPLE

runner = CliRunner()


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    return tmp_path / "data"


@pytest.mark.parametrize(
    "command",
    [
        "import",
        "validate",
        "serve",
        "synergies",
        "overlaps",
        "check",
        "metrics",
        "export",
        "push",
        "concepts",
        "template",
        "backup",
        "restore",
        "copy",
    ],
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_dry_run_then_import_then_synergies_then_export(data_dir: Path, tmp_path: Path) -> None:
    dry = runner.invoke(app, ["import", str(SAMPLE), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "essai à blanc (rien n'a été écrit)" in dry.output
    done = runner.invoke(app, ["import", str(SAMPLE)])
    assert done.exit_code == 0, done.output
    assert "entités créées : 518, mises à jour : 0, inchangées : 0" in done.output
    again = runner.invoke(app, ["import", str(SAMPLE)])
    assert "entités créées : 0, mises à jour : 0, inchangées : 518" in again.output
    synergies = runner.invoke(app, ["synergies", "ressourcerie-lur-berri", "--limit", "3"])
    assert synergies.exit_code == 0
    # Chantier Bois & Adour offers exactly « Menuiserie et charpente » 2 km away and shares the field
    # « Insertion professionnelle » without any common project: both kinds contribute, it ranks first.
    assert synergies.output.startswith("1. Chantier d'insertion Bois & Adour — score")
    assert "a besoin de « Menuiserie et charpente »" in synergies.output
    target = tmp_path / "reseau.ttl"
    exported = runner.invoke(app, ["export", "--format", "turtle", "-o", str(target)])
    assert exported.exit_code == 0 and "octets écrits" in exported.output
    assert "Ressourcerie Lur Berri" in target.read_text("utf-8")


def test_refused_import_prints_each_problem_and_fails(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mauvais"
    folder.mkdir()
    (folder / "reseau.csv").write_text("identifiant,nom,commune,pays\nr,R,40312,FR\n")
    (folder / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\nx,X,association,emploi,4031,FR\n"
    )
    result = runner.invoke(app, ["import", str(folder)])
    assert result.exit_code == 1
    assert (
        "acteurs.csv › ligne 2 › colonne « commune » : « 4031 » — code INSEE de commune inconnu "
        "(Pyrénées-Atlantiques et Landes)"
    ) in result.output
    assert "rien n'a été écrit" in result.output


def test_errors_are_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["import", str(tmp_path / "absent.csv")])
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Erreur : {tmp_path / 'absent.csv'} : fichier ou dossier introuvable"
    runner.invoke(app, ["import", str(SAMPLE)])
    unknown = runner.invoke(app, ["synergies", "personne"])
    assert (unknown.exit_code, unknown.output.strip()) == (1, "Erreur : acteur inconnu : « personne »")
    private = runner.invoke(app, ["synergies", "hab-lucas-lafitte"])
    assert private.output.strip() == "Erreur : acteur inconnu : « hab-lucas-lafitte »"
    bad_format = runner.invoke(app, ["export", "--format", "pdf", "-o", "x"])
    assert bad_format.exit_code == 2


def test_a_setting_that_makes_no_sense_is_one_line_before_anything_opens(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILLAGE_SPARQL_AT_START", "parfois")
    refused = runner.invoke(app, ["serve", "--port", "1"])
    assert (refused.exit_code, refused.output.strip()) == (
        1,
        "Erreur : MAILLAGE_SPARQL_AT_START : « parfois » n'est ni oui ni non",
    )
    monkeypatch.setenv("MAILLAGE_SPARQL_AT_START", "non")
    monkeypatch.setenv("MAILLAGE_SPARQL_TIMEOUT", "dix")
    refused = runner.invoke(app, ["serve", "--port", "1"])
    assert refused.output.strip() == "Erreur : MAILLAGE_SPARQL_TIMEOUT : « dix » n'est pas un nombre"
    monkeypatch.delenv("MAILLAGE_SPARQL_TIMEOUT")
    monkeypatch.setenv("MAILLAGE_PORT", "huit-mille")
    refused = runner.invoke(app, ["serve"])
    assert refused.output.strip() == "Erreur : MAILLAGE_PORT : « huit-mille » n'est pas un entier positif"
    for command in (["import", str(SAMPLE)], ["token", "list"], ["backup", str(data_dir / "copie")]):
        refused = runner.invoke(app, command)  # every command reads the settings the same way
        assert (refused.exit_code, refused.output.strip()) == (
            1,
            "Erreur : MAILLAGE_PORT : « huit-mille » n'est pas un entier positif",
        ), command
    assert not data_dir.exists()  # nothing opened


def test_a_store_held_by_another_process_is_one_line(data_dir: Path) -> None:
    # a running server holds its Oxigraph folder: the commands say so instead of a traceback
    data_dir.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); sys.stdin.read()",
            str(data_dir / "oxigraph"),
        ],
        stdin=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if (data_dir / "oxigraph" / "LOCK").exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)
        assert holder.poll() is None  # it holds the store
        refused = runner.invoke(app, ["synergies", "ressourcerie-lur-berri"])
        assert refused.exit_code == 1
        line = refused.output.strip()
        assert line.startswith(
            f"Erreur : Impossible d'ouvrir la base Oxigraph « {data_dir / 'oxigraph'} » : "
        )
        assert line.endswith(" (un serveur Maillage l'utilise-t-il ? arrêtez-le)") and "\n" not in line
    finally:
        holder.communicate(b"")


def test_template_writes_a_workbook_that_imports(data_dir: Path, tmp_path: Path) -> None:
    filled = tmp_path / "modele.xlsx"
    assert runner.invoke(app, ["template", "-o", str(filled)]).exit_code == 0
    result = runner.invoke(app, ["import", str(filled), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "entités créées : 518" in result.output
    empty = tmp_path / "vide.xlsx"
    assert runner.invoke(app, ["template", "-o", str(empty), "--vide"]).exit_code == 0
    from maillage.ingest.readers.xlsx import read_xlsx

    sheets = read_xlsx(empty.read_bytes(), name="vide.xlsx")
    assert [t.sheet for t in sheets] == [
        "reseau",
        "acteurs",
        "adhesions",
        "projets",
        "participations",
        "besoins",
        "offres",
        "partenariats",
    ]
    assert all(t.rows == [] for t in sheets)
    # the filled model shows the contact columns the sample leaves empty, as the empty one does
    workbook = read_xlsx(filled.read_bytes(), name="modele.xlsx")
    for actors in (next(t for t in workbook if t.sheet == "acteurs"), sheets[1]):
        assert actors.header[-3:] == ["courriel", "telephone", "note_interne"]


def test_concepts_lists_keys_and_french_labels() -> None:
    result = runner.invoke(app, ["concepts", "college"])
    assert result.output.splitlines()[0] == "collectivites\tCollectivités"
    assert runner.invoke(app, ["concepts", "planetes"]).exit_code == 1


def test_validate_checks_without_writing(data_dir: Path) -> None:
    result = runner.invoke(app, ["validate", str(SAMPLE)])
    assert result.exit_code == 0
    assert "essai à blanc (rien n'a été écrit)" in result.output
    assert "entités créées : 518" in result.output
    again = runner.invoke(app, ["validate", str(SAMPLE)])
    assert "entités créées : 518" in again.output  # still nothing written


def test_keep_valid_from_the_command_line(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "melange"
    folder.mkdir()
    (folder / "reseau.csv").write_text("identifiant,nom,commune,pays\nr,R,40312,FR\n")
    (folder / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\nbon,Bon,association,emploi,40312,FR\n"
        "mauvais,Mauvais,association,emploi,99999,FR\n"
    )
    result = runner.invoke(app, ["import", str(folder), "--keep-valid"])
    assert result.exit_code == 0
    assert "1 ligne(s) écartée(s) (--keep-valid), le reste est importé :" in result.output
    assert "acteurs.csv › ligne 3 › colonne « commune » : « 99999 »" in result.output


def test_overlaps_from_the_command_line(data_dir: Path) -> None:
    runner.invoke(app, ["import", str(SAMPLE)])
    result = runner.invoke(app, ["overlaps", "scop-menuiserie-zurgin", "--limit", "1"])
    # offres.csv: both offer « menuiserie-charpente »; Bayonne ↔ Anglet centroids are 7 km apart
    assert result.output.startswith(
        "1. 0.54 — « Zurgin Menuiserie » et « Charpente Larraburu & Fils » proposent"
    )
    assert "à 7 km l'un de l'autre" in result.output
    assert runner.invoke(app, ["overlaps", "--duplicates"]).output.strip() == "Aucun doublon trouvé."
    unknown = runner.invoke(app, ["overlaps", "personne"])
    assert (unknown.exit_code, unknown.output.strip()) == (1, "Erreur : acteur inconnu : « personne »")


def test_project_check_from_the_command_line(data_dir: Path) -> None:
    runner.invoke(app, ["import", str(SAMPLE)])
    projects = Path(__file__).resolve().parent / "data" / "projects"
    copy = runner.invoke(app, ["check", str(projects / "legumerie-copie.yaml")])
    assert copy.exit_code == 0, copy.output
    # a rewrite of projets.csv « Légumerie Baratze »: same fields, same EPCI, same words
    assert copy.output.startswith("Verdict : doublon")
    assert "« Légumerie Baratze »" in copy.output
    minibus = runner.invoke(app, ["check", str(projects / "minibus-partages.json")])
    assert minibus.output.startswith("Verdict : complémentaire")
    assert "Minibus" in minibus.output


def test_metrics_from_the_command_line(data_dir: Path) -> None:
    runner.invoke(app, ["import", str(SAMPLE)])
    gaps = runner.invoke(app, ["metrics", "manques", "--limit", "1"]).output.splitlines()
    # besoins.csv: 7 actors need « emploi-partage », offres.csv has no offer of it nor of a neighbour
    assert gaps[0].startswith("Besoin « Emploi partagé » exprimé par 7 acteurs")
    centrality = runner.invoke(app, ["metrics", "centralites", "--limit", "1"]).output.splitlines()
    assert centrality[0] == "Intermédiarité exacte (algorithme de Brandes, toutes les 77 sources)."
    unknown = runner.invoke(app, ["metrics", "popularite"])
    assert unknown.exit_code == 1 and "indicateur inconnu : « popularite »" in unknown.output
