"""Importing a large template spreadsheet (issue 3): time and peak memory per phase, validation on.

``python -m benchmarks.import_spreadsheet --size 25000 [--seed 0] [--format csv|xlsx]`` writes the
template spreadsheet of a generated network of `size` actors (`benchmarks.template_sheets`: the
generator's actors on real communes, with valid SIRETs), imports it into a fresh on-disk Oxigraph store
through `import_path` (the default path: entity resolution, concept mapping, SHACL validation,
all-or-nothing write), re-imports it (nothing may change), and writes
``benchmarks/results/import-{size}.json``. Baseline: Oxigraph's own bulk loader (`Store.bulk_load`) given
the quads the import wrote, dumped as N-Quads, into another fresh on-disk store.
``--sample`` imports the sample network copied to about `size` actors instead (`scaled_sample`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import maillage.ingest.spreadsheet as spreadsheet
import maillage.ingest.validate as validate
from benchmarks.measure import machine, peak_memory, timed
from benchmarks.template_sheets import write_template
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


class Phases:
    """The importer's `progress` callback: seconds, CPU seconds (this process and its ended children: the
    validation workers) and peak resident memory (MiB) of each phase, the kernel's high-water mark reset
    as each phase starts (`benchmarks.measure.peak_memory`). On a machine shared with other work, the CPU
    seconds say what the wall-clock seconds lost waiting."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}
        self._phase = ""
        self._at = 0.0
        self._cpu_at = 0.0
        self._memory: contextlib.ExitStack | None = None
        self._current: Any = None

    def __call__(self, phase: str) -> None:
        self.stop()
        self._phase, self._at, self._cpu_at = phase, time.perf_counter(), cpu_seconds()
        self._memory = contextlib.ExitStack()
        self._current = self._memory.enter_context(peak_memory(collect=False))  # inside the timed import

    def stop(self) -> None:
        """End the current phase (the import returned)."""
        if self._memory is None:
            return
        elapsed = time.perf_counter() - self._at
        self._memory.close()
        self.seconds[self._phase] = self.seconds.get(self._phase, 0.0) + elapsed
        self.cpu_seconds[self._phase] = self.cpu_seconds.get(self._phase, 0.0) + cpu_seconds() - self._cpu_at
        self.peak_mib[self._phase] = max(self.peak_mib.get(self._phase, 0.0), self._current.peak_mib)
        self._memory = None


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its children that ended (user and system)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class TreeMemory:
    """The largest proportional set size (PSS: shared pages split between the processes sharing them)
    of this process and its children together, sampled every `every` seconds — the memory of an import
    whose validation runs in forked workers, which the kernel's high-water mark of this process alone
    does not see. Sampled by a forked process, not a thread: the importer validates in one process when
    its caller runs other threads (`maillage.ingest.validate.shacl_problems`), and the benchmark must not
    change that. Linux only (``/proc/{pid}/smaps_rollup``); 0 elsewhere."""

    def __init__(self, every: float = 0.25) -> None:
        context = multiprocessing.get_context("fork")
        self._peak_kib = context.Value("q", 0, lock=False)
        self._stop = context.Event()
        self._process = context.Process(
            target=_sample, args=(os.getpid(), every, self._peak_kib, self._stop), daemon=True
        )

    @property
    def peak_mib(self) -> float:
        return float(self._peak_kib.value) / 1024

    def __enter__(self) -> TreeMemory:
        self._process.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._process.join()


def _sample(pid: int, every: float, peak_kib: Any, stop: Any) -> None:
    """In the sampling process: the PSS of `pid` and its children (this one left out) until `stop`."""
    while not stop.is_set():
        kib = sum(_pss_kib(p) for p in _tree(pid) if p != os.getpid())
        peak_kib.value = max(peak_kib.value, kib)
        stop.wait(every)


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                pending += [int(child) for child in task.read_text().split()]
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return 0
    return 0


@contextlib.contextmanager
def timed_resolution(totals: dict[str, float]) -> Any:
    """Time entity resolution inside the mapping phase (it runs first, on the « acteurs » sheet)."""
    original: Callable[..., Any] = spreadsheet.resolve_actor_rows

    def resolve(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals["résolution"] = totals.get("résolution", 0.0) + time.perf_counter() - start

    spreadsheet.resolve_actor_rows = resolve  # type: ignore[assignment]
    try:
        yield totals
    finally:
        spreadsheet.resolve_actor_rows = original  # type: ignore[assignment]


def run(
    size: int, *, seed: int = 0, file_format: str = "csv", sample: bool = False, workers: int | None = None
) -> dict[str, Any]:
    """Generate, import, re-import and bulk-load; the figures as a dict (see `main`). `workers`: the
    validation processes of a large import (default: the importer's `WORKERS`, one; more are used only
    by a caller running no other thread, which a web server or the CLI drawing its progress bar is not)."""
    work = Path(tempfile.mkdtemp(prefix="maillage-import-"))
    default_workers = validate.WORKERS
    validate.WORKERS = workers or default_workers
    try:
        folder = work / "tableur"
        if sample:
            rows = {"acteurs": scaled_sample(size, folder)}
        else:
            rows = write_template(folder, size, seed=seed, file_format=file_format)
        path = folder / "tableur.xlsx" if file_format == "xlsx" and not sample else folder
        store = OxigraphStore(work / "store")
        ensure_reference_data(store)  # the territories and ontology: loaded once per store, not timed
        phases, resolution = Phases(), {}  # type: ignore[var-annotated]
        load_before = list(os.getloadavg())  # machine() reads it again at the end
        with timed_resolution(resolution), peak_memory() as memory, TreeMemory() as tree:
            seconds, report = timed(lambda: import_path(store, path, progress=phases))
            phases.stop()
        again_phases = Phases()
        with peak_memory() as again_memory:
            again_seconds, again = timed(lambda: import_path(store, path, progress=again_phases))
            again_phases.stop()
        dump = io.BytesIO()
        store.dump_nquads(dump)
        quads = len(store)
        store.close()
        bulk = ox.Store(str(work / "bulk"))
        bulk_seconds, _ = timed(lambda: bulk.bulk_load(dump.getvalue(), format=ox.RdfFormat.N_QUADS))
        bulk.flush()
        return {
            "size": size,
            "seed": seed,
            "format": file_format,
            "source": "sample" if sample else "generated",
            "actors": rows["acteurs"],
            "validation_workers": validate.WORKERS,
            "load_average_before_import": load_before,
            "machine": machine(),
            "import": {
                "seconds": seconds,
                "phases": phases.seconds,
                "phase_cpu_seconds": phases.cpu_seconds,
                "resolution_seconds": resolution.get("résolution", 0.0),
                "phase_peak_mib": phases.peak_mib,
                "peak_mib": memory.peak_mib,
                "workers_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "with_workers_peak_pss_mib": tree.peak_mib,
                "created": report.created,
                "rows_read": report.rows_read,
            },
            "reimport": {
                "seconds": again_seconds,
                "phases": again_phases.seconds,
                "peak_mib": again_memory.peak_mib,
                "created": again.created,
                "updated": again.updated,
                "unchanged": again.unchanged,
            },
            "store_quads": quads,
            "baseline_bulk_load_seconds": bulk_seconds,
            "targets": {"seconds": 60, "peak_mib": 2048},
        }
    finally:
        validate.WORKERS = default_workers
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=25000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--sample", action="store_true", help="the sample copied, not a generated network")
    parser.add_argument("--workers", type=int, help="validation processes (default: the importer's choice)")
    arguments = parser.parse_args()
    figures = run(
        arguments.size,
        seed=arguments.seed,
        file_format=arguments.format,
        sample=arguments.sample,
        workers=arguments.workers,
    )
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{figures['source']}-{arguments.format}"
    suffix = "" if suffix == "-generated-csv" else suffix
    suffix += f"-workers-{arguments.workers}" if arguments.workers else ""
    (RESULTS / f"import-{figures['size']}{suffix}.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False)
    )
    i, r = figures["import"], figures["reimport"]
    phases = ", ".join(
        f"{k} {v:.1f} s ({i['phase_peak_mib'][k] / 1024:.2f} GiB)" for k, v in i["phases"].items()
    )
    print(
        f"{figures['actors']} actors: import {i['seconds']:.1f} s ({phases}; résolution "
        f"{i['resolution_seconds']:.1f} s), peak {i['peak_mib'] / 1024:.2f} GiB (with the validation "
        f"workers, PSS: {i['with_workers_peak_pss_mib'] / 1024:.2f} GiB); "
        f"re-import {r['seconds']:.1f} s ({r['created']} created, {r['updated']} updated); "
        f"bulk load of the same {figures['store_quads']} quads {figures['baseline_bulk_load_seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()
