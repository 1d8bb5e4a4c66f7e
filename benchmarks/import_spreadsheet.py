"""Importing a large template spreadsheet (issue 3): time per phase and peak memory, validation on.

``python -m benchmarks.import_spreadsheet --size 25000`` writes the sample network's CSV folder scaled to
about `size` actors — the 79 actors, 18 projects and their memberships, needs, offers, participations and
partnerships copied k times with suffixed keys and names, identifiers left empty in the copies (a
duplicated SIRET would rightly be resolved to the first actor) — imports it into a fresh on-disk Oxigraph
store through `import_path` (the default path: concept mapping, entity resolution, SHACL validation,
all-or-nothing write), re-imports it (nothing may change), and writes
``benchmarks/results/import-{size}.json``. Baseline: Oxigraph's bulk load of the quads the import wrote.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import machine, peak_memory, timed
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import ensure_reference_data, import_path

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "sample" / "ptce-sud-aquitain"
RESULTS = Path(__file__).resolve().parent / "results"
#: the columns holding keys, per sheet: suffixed in each copy so the copies are new entities
KEY_COLUMNS = {
    "acteurs": ("identifiant",),
    "adhesions": ("acteur",),
    "besoins": ("acteur",),
    "offres": ("acteur",),
    "participations": ("acteur", "projet"),
    "projets": ("identifiant",),
    "partenariats": ("acteur_a", "acteur_b"),
}


def scaled_sample(size: int, out: Path) -> int:
    """Write the sample scaled to at least `size` actors into the folder `out`; return the actor count."""
    with open(SAMPLE / "acteurs.csv", encoding="utf-8") as handle:
        copies = max(1, -(-size // sum(1 for _ in csv.DictReader(handle))))
    out.mkdir(parents=True, exist_ok=True)
    actors = 0
    for path in sorted(SAMPLE.glob("*.csv")):
        if path.stem == "reseau":
            shutil.copy(path, out / path.name)
            continue
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        with open(out / path.name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            for copy in range(copies):
                for row in rows:
                    row = dict(row)
                    if copy:
                        for column in KEY_COLUMNS.get(path.stem, ()):
                            if row.get(column):
                                row[column] = f"{row[column]}-c{copy}"
                        if path.stem in ("acteurs", "projets"):
                            row["nom"] = f"{row['nom']} n°{copy}"
                        for column in ("siret", "rna", "nif"):
                            if column in row:
                                row[column] = ""
                    writer.writerow(row)
                    actors += path.stem == "acteurs"
    return actors


def run(size: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="maillage-import-"))
    try:
        actors = scaled_sample(size, work / "tableur")
        store = OxigraphStore(work / "store")
        ensure_reference_data(store)  # the territories and ontology: loaded once per store, not timed
        phases: dict[str, float] = {}
        clock = {"at": time.perf_counter(), "phase": ""}

        def progress(phase: str, *_args: object, **_kwargs: object) -> None:
            now = time.perf_counter()
            if clock["phase"]:
                phases[str(clock["phase"])] = phases.get(str(clock["phase"]), 0.0) + now - float(clock["at"])
            clock.update(at=now, phase=phase)

        with peak_memory() as memory:
            clock["at"] = time.perf_counter()
            seconds, report = timed(lambda: import_path(store, work / "tableur", progress=progress))
            phases[str(clock["phase"])] = (
                phases.get(str(clock["phase"]), 0.0) + time.perf_counter() - float(clock["at"])
            )
        again_seconds, again = timed(lambda: import_path(store, work / "tableur"))
        dump = io.BytesIO()
        store.dump_nquads(dump)
        store.close()
        bulk = OxigraphStore(work / "bulk")
        bulk_seconds, _ = timed(lambda: bulk.restore_nquads(io.BytesIO(dump.getvalue())))
        bulk.close()
        return {
            "size": size,
            "actors": actors,
            "machine": machine(),
            "import": {
                "seconds": seconds,
                "phases": phases,
                "peak_mib": memory.peak_mib,
                "created": report.created,
                "rows_read": report.rows_read,
            },
            "reimport": {"seconds": again_seconds, "created": again.created, "updated": again.updated},
            "baseline_bulk_load_seconds": bulk_seconds,
            "targets": {"seconds": 60, "peak_mib": 2048},
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=25000)
    figures = run(parser.parse_args().size)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"import-{figures['size']}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    i = figures["import"]
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in i["phases"].items())
    print(
        f"{figures['actors']} actors: import {i['seconds']:.1f} s ({phases}), "
        f"peak {i['peak_mib'] / 1024:.2f} GiB; "
        f"re-import {figures['reimport']['seconds']:.1f} s ({figures['reimport']['created']} created, "
        f"{figures['reimport']['updated']} updated); bulk load of the same quads "
        f"{figures['baseline_bulk_load_seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()
