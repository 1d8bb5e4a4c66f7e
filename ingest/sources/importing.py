"""Importing a public dataset or a reference scheme: read through its registered reader, validate, write.

A dataset lands whole in its own named graph (``graph/source/{key}``) or not at all; its run's provenance
names the dataset and its licence. Values the reader left out are listed in ``report.ignored``; records it
could not import at all in ``report.problems`` (the import then goes through only with ``keep_valid``, as
for spreadsheets).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from maillage.graph.stores.base import Store
from maillage.ingest.importer import _finish
from maillage.ingest.progress import ImportProgress, no_progress
from maillage.ingest.readers.table import UnreadableFileError
from maillage.ingest.report import ImportRefusedError, ImportReport, Problem
from maillage.ingest.sources import Reader
from maillage.ingest.sources.batch import SourceBatch
from maillage.ingest.spreadsheet import Mapped
from maillage.ingest.validate import shacl_problems


def read_batch(store: Store, path: Path, reader: Reader) -> SourceBatch:
    """Run a ``records`` or ``scheme`` reader on a file; unreadable content raises `ImportRefusedError`."""
    module = importlib.import_module(reader.module or "")
    try:
        batch: SourceBatch = module.read(path.read_bytes(), name=path.name, store=store)
    except UnreadableFileError as error:
        raise ImportRefusedError(ImportReport(path.name, problems=[error.problem])) from None
    return batch


def import_records(
    store: Store,
    path: Path,
    reader: Reader,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    progress: ImportProgress = no_progress,
) -> ImportReport:
    """Import one public-dataset file into its graph; all-or-nothing unless `keep_valid`.

    Raises `ImportRefusedError` when a record cannot be imported (and `keep_valid` is not set) or when the
    mapped data breaks the shapes; the store is then unchanged.
    """
    report = ImportReport(source=path.name, dry_run=dry_run)
    progress("correspondances")
    batch = read_batch(store, path, reader)
    report.rows_read = dict(batch.rows_read)
    report.ignored = list(batch.ignored)
    rejected = list(batch.rejected)
    problems: list[Problem] = []
    if reader.kind == "records":
        progress("validation SHACL")
        for _attempt in range(5):  # each round leaves out the entities that broke a shape, then checks again
            mapped = Mapped(triples=batch.triples, origin=batch.origin)  # type: ignore[arg-type]
            problems = shacl_problems(mapped, store)
            if not problems or not keep_valid:
                break
            rejected += problems
            broken = {iri for iri, where in batch.origin.items() if any(_same(where, p) for p in problems)}
            batch.triples = {s: t for s, t in batch.triples.items() if s not in broken}
    report.problems = rejected + problems
    report.rejected_rows = len(rejected)
    if problems or (rejected and not keep_valid):
        raise ImportRefusedError(report)
    progress("écriture")
    plan = store.plan_upsert(batch.graph, batch.triples)  # type: ignore[arg-type]
    return _finish(
        store, plan, report, network=batch.graph, source=path.name, dry_run=dry_run, dataset=batch.dataset
    )


def _same(where: tuple[str, str | None, int | None], problem: Problem) -> bool:
    file, sheet, row = where
    return (problem.file, problem.sheet, problem.row) == (file, sheet, row)
