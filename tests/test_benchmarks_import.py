"""The spreadsheets of benchmarks/import_spreadsheet.py — the sample scaled, and the seeded template of a
generated network (benchmarks/template_sheets.py): their shape, and that they import cleanly (no timing
here: figures live in benchmarks/)."""

from __future__ import annotations

import csv
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks.import_spreadsheet import Phases, TreeMemory, scaled_sample
from benchmarks.template_sheets import luhn_complete, siret, write_template
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.template import SHEETS_BY_NAME
from maillage.ingest.territories import places
from maillage.ingest.validate_ids import check_siret


def test_two_copies_of_the_sample_import_as_twice_the_entities(tmp_path: Path) -> None:
    # 100 actors asked: the 79 sample actors are copied twice (158 actors).
    assert scaled_sample(100, tmp_path / "tableur") == 158
    with open(tmp_path / "tableur" / "acteurs.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[79]["identifiant"] == rows[0]["identifiant"] + "-c1"
    assert rows[79]["nom"] == rows[0]["nom"] + " n°1" and rows[79]["siret"] == ""
    store = OxigraphStore(tmp_path / "store")
    report = import_path(store, tmp_path / "tableur")
    # The sample alone creates 518 entities, one of them the network, which the copy shares: 2 × 517 + 1.
    assert (report.created, report.updated, report.problems) == (1035, 0, [])
    again = import_path(store, tmp_path / "tableur")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1035)
    store.close()


def test_the_generated_template_is_seeded(tmp_path: Path) -> None:
    write_template(tmp_path / "a", 50, seed=1)
    write_template(tmp_path / "b", 50, seed=1)
    write_template(tmp_path / "c", 50, seed=2)
    for name in ("acteurs.csv", "projets.csv", "partenariats.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "acteurs.csv").read_bytes() != (tmp_path / "c" / "acteurs.csv").read_bytes()


def test_the_generated_template_has_the_template_shape(tmp_path: Path) -> None:
    counts = write_template(tmp_path, 50, seed=0)
    # one membership per actor, one project for 4 actors (50 // 4), at most one partnership for 2 actors
    assert counts["reseau"] == 1 and counts["acteurs"] == counts["adhesions"] == 50
    assert counts["projets"] == 12 and 0 < counts["partenariats"] <= 25
    sheets = {name: read(tmp_path / f"{name}.csv") for name in counts}
    assert list(sheets["acteurs"][0]) == SHEETS_BY_NAME["acteurs"].column_names()
    actors = {row["identifiant"]: row for row in sheets["acteurs"]}
    for row in actors.values():
        assert (row["pays"], row["commune"]) in places()  # a real commune or municipio
        if row["siret"]:  # French organisations only, with both Luhn keys right
            assert check_siret(row["siret"]) is None and row["pays"] == "FR" and row["type"] != "habitant"
        assert (row["consentement_public"] != "") == (row["type"] == "habitant")
    assert sum(1 for row in actors.values() if row["siret"]) > 0
    references = [("adhesions", "acteur"), ("besoins", "acteur"), ("offres", "acteur")]
    references += [("participations", "acteur"), ("partenariats", "acteur_a"), ("partenariats", "acteur_b")]
    for sheet, column in references:
        assert {row[column] for row in sheets[sheet]} <= set(actors)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_generated_template_imports_cleanly(tmp_path: Path, file_format: str) -> None:
    counts = write_template(tmp_path / "tableur", 50, seed=0, file_format=file_format)
    path = tmp_path / "tableur" / ("tableur.xlsx" if file_format == "xlsx" else "")
    store = OxigraphStore(tmp_path / "store")
    report = import_path(store, path)
    # every row of every sheet is one entity (the network, actors, memberships, projects, ...)
    assert (report.created, report.updated, report.problems) == (sum(counts.values()), 0, [])
    again = import_path(store, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, sum(counts.values()))
    store.close()


def test_a_siret_is_completed_with_its_luhn_key() -> None:
    # 73282932 + 0: doubled even positions from the right (2→4, 9→18→9, 8→16→7, 3→6) = 26, the others
    # (0, 3, 2, 2, 7) = 14: 40 ≡ 0 (mod 10). The check of ingest/validate_ids.py agrees.
    assert luhn_complete("73282932") == "732829320"
    assert check_siret(siret(np.random.default_rng(7))) is None


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_phases_count_cpu_and_memory_is_sampled_by_a_process_not_a_thread() -> None:
    # A thread would make the importer validate in one process (it never forks beside other threads).
    threads = threading.active_count()
    phases = Phases()
    with TreeMemory(every=0.05) as tree:
        assert threading.active_count() == threads
        phases("calcul")
        end = time.process_time() + 0.3
        while time.process_time() < end:  # 0.3 CPU seconds of work
            pass
        phases("attente")
        time.sleep(0.3)  # 0.3 s of nothing
        phases.stop()
    assert tree.peak_mib > 10  # this Python process alone holds more than 10 MiB
    # the phase clock (os.times) counts in clock ticks (10 ms here), process_time() finer: 0.3 CPU seconds
    # read within two ticks, a float difference of tick counts (0.29 came out as 0.28999999999999915)
    tick = 1 / os.sysconf("SC_CLK_TCK")
    assert phases.cpu_seconds["calcul"] >= 0.3 - 2 * tick and phases.cpu_seconds["attente"] < 0.1
    assert phases.seconds["attente"] >= 0.3
