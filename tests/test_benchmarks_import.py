"""The scaled spreadsheet of benchmarks/import_spreadsheet.py: its shape, and that it imports cleanly
(no timing here: figures live in benchmarks/)."""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.import_spreadsheet import scaled_sample
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path


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
