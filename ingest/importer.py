"""Imports: read a file or folder, map it, validate it, then write it in one transaction — or nothing."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, URIRef

from maillage.graph.collector import paused_collector
from maillage.graph.stores.base import Store, Upsert
from maillage.ingest.local_concepts import matcher_for
from maillage.ingest.progress import ImportProgress, no_progress
from maillage.ingest.provenance import PublicDataset, record_run
from maillage.ingest.readers.csv import read_csv
from maillage.ingest.readers.rdf import RDFRefusedError, read_rdf
from maillage.ingest.readers.table import Table, UnreadableFileError
from maillage.ingest.report import ImportRefusedError, ImportReport, Problem
from maillage.ingest.sources import Reader, UnknownSourceError, reader_for
from maillage.ingest.spreadsheet import Mapped, SheetMapper
from maillage.ingest.template import sheet_for
from maillage.ingest.territories import load_territories
from maillage.ingest.validate import shacl_problems
from maillage.ontology.iri import ONTOLOGY_GRAPH, TERRITORIES_GRAPH
from maillage.ontology.vocab import MAI, ontology_graph

MAX_FILE_BYTES = 20 * 1024 * 1024


SUPPORTED = (".csv", ".xlsx")


def read_tables(path: Path) -> list[Table]:
    """The tables of a CSV file, an XLSX workbook, or a folder of CSV files (one per sheet).

    Raises `ImportRefusedError` listing every file that cannot be read (empty, binary, too large, bad
    encoding, broken quoting, truncated workbook, unsupported format).
    """
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED) if path.is_dir() else [path]
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(file=path.name, rule="aucun fichier CSV ou XLSX dans ce dossier"))
    tables: list[Table] = []
    for file in files:
        if file.suffix.lower() not in SUPPORTED:
            problems.append(
                Problem(
                    file=file.name,
                    rule="format non pris en charge",
                    suggestion="CSV, XLSX, ou RDF (.ttl, .jsonld, .nt, .rdf)",
                )
            )
            continue
        if file.stat().st_size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    file=file.name,
                    rule=f"fichier trop gros (plus de {MAX_FILE_BYTES // 2**20} Mo)",
                    suggestion="découpez-le en plusieurs fichiers",
                )
            )
            continue
        try:
            data = file.read_bytes()
            if file.suffix.lower() == ".xlsx":
                from maillage.ingest.readers.xlsx import read_xlsx

                tables += read_xlsx(data, name=file.name)
            else:
                tables.append(read_csv(data, name=file.name))
        except UnreadableFileError as error:
            problems.append(error.problem)
    if problems:
        raise ImportRefusedError(ImportReport(str(path), problems=problems))
    return tables


def ensure_reference_data(store: Store) -> None:
    """Load the ontology, its schemes and the territories if the store does not hold them yet."""
    graphs = store.graphs()
    if ONTOLOGY_GRAPH not in graphs:
        store.add_all((s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology_graph())  # type: ignore[misc]
    if TERRITORIES_GRAPH not in graphs:
        load_territories(store)


@paused_collector()  # its objects live until it ends: no collection while they are built (collector.py)
def import_path(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    progress: ImportProgress = no_progress,
    source: str | None = None,
) -> ImportReport:
    """Import a spreadsheet (file or folder), an RDF file or a public dataset into `store`; all-or-nothing
    unless `keep_valid`.

    The reader comes from the registry `maillage.ingest.sources`: the one named by `source` (``--source``),
    else the one that recognises the file's content or extension.

    Raises `ImportRefusedError` (with the full report) when any value breaks a rule; the store is then
    unchanged. With `keep_valid`, rows with a problem (and the rows that point to them) are left out and
    listed in the report; a file that cannot be read at all is still refused. `progress` is told when each
    phase of `maillage.ingest.progress.PHASES` starts.
    """
    progress("lecture")
    ensure_reference_data(store)
    reader = _registered_reader(path, source)
    if reader is not None and reader.kind in ("records", "scheme"):
        from maillage.ingest.sources.importing import import_records

        return import_records(store, path, reader, dry_run=dry_run, keep_valid=keep_valid, progress=progress)
    if reader is not None and reader.kind == "rdf":
        return import_rdf(store, path, dry_run=dry_run, progress=progress, rdf_format=reader.rdf_format)
    report = ImportReport(source=path.name, dry_run=dry_run)
    tables = read_tables(path)
    matcher = matcher_for(store)  # the ontology's schemes and the concepts added locally
    rejected: list[Problem] = []
    plan: Upsert | None = None
    rows_read: dict[str, int] | None = None
    for _attempt in range(10):  # each round drops the rows that broke a rule, then maps again
        progress("correspondances")
        mapped = SheetMapper(tables, store=store, matcher=matcher).run()
        if rows_read is None:  # later rounds see the dropped rows as blank: only the first counts the file
            rows_read = dict(mapped.rows_read)
        plan = None
        if not mapped.problems:
            progress("validation SHACL")
            plan = _plan(store, mapped)
        problems = list(mapped.problems) or shacl_problems(
            mapped, store, subjects=changed_and_around(mapped, plan) if plan is not None else None
        )
        if not problems or not keep_valid:
            break
        if any(p.row is None for p in problems):
            break  # a whole sheet or file is wrong: keeping "valid rows" would mean nothing
        rejected += problems
        tables = _without_rows(tables, {(p.file, p.sheet, p.row) for p in problems})
    report.rows_read = rows_read if rows_read is not None else mapped.rows_read
    report.reviews, report.resolutions = mapped.reviews, mapped.resolutions
    report.problems = rejected + problems
    report.rejected_rows = len({(p.file, p.sheet, p.row) for p in report.problems if p.row is not None})
    if problems:
        raise ImportRefusedError(report)
    if mapped.network is None:
        report.problems.append(Problem(file=path.name, rule="aucun réseau : ajoutez la feuille « reseau »"))
        raise ImportRefusedError(report)
    progress("écriture")
    plan = plan or _plan(store, mapped)
    assert plan is not None  # a network was mapped
    network = mapped.network
    del mapped, tables  # the plan holds what is written: the rows and mapping go before the write buffers
    return _finish(store, plan, report, network=network, source=path.name, dry_run=dry_run)


def _plan(store: Store, mapped: Mapped) -> Upsert | None:
    """The upsert of a mapping into its network's graph (None without a network: the import is refused)."""
    if mapped.network is None:
        return None
    graph = URIRef(str(mapped.network).replace("/id/network/", "/graph/network/"))
    managed = {s: frozenset(p) for s, p in mapped.managed.items()}
    return store.plan_upsert(graph, mapped.triples, managed=managed)  # type: ignore[arg-type]


def changed_and_around(mapped: Mapped, plan: Upsert) -> set[URIRef]:
    """The mapped entities SHACL must check: those the import creates or updates, and the mapped ones
    pointing to them or pointed to by them (a type or a link of theirs may have changed). The others are
    written exactly as the store holds them, which was checked when it was written: re-importing an
    unchanged file checks nothing.
    """
    changed: set[URIRef] = set(plan.changes)  # type: ignore[arg-type]
    around = set(changed)
    for subject, triples in mapped.triples.items():
        if subject in changed:
            around.update(o for _s, _p, o in triples if o in mapped.triples)  # type: ignore[misc]
        elif any(o in changed for _s, _p, o in triples):
            around.add(subject)
    return around


def _registered_reader(path: Path, source: str | None) -> Reader | None:
    """The registry's reader for a file (None: a folder, or an extension no reader takes — the spreadsheet
    reader then says why); a file too large or an unknown `source` name is refused here."""
    if path.is_dir():
        if source not in (None, "tableur-csv"):
            raise ImportRefusedError(
                ImportReport(
                    path.name,
                    problems=[
                        Problem(
                            file=path.name, rule=f"« --source {source} » attend un fichier, pas un dossier"
                        )
                    ],
                )
            )
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        return None  # read_tables refuses it with the size rule
    try:
        return reader_for(path.name, path.read_bytes(), source=source)
    except UnknownSourceError as error:
        if source:
            raise ImportRefusedError(
                ImportReport(
                    path.name,
                    problems=[Problem(file=path.name, column="--source", value=source, rule=str(error))],
                )
            ) from None
        return None


def _finish(
    store: Store,
    plan: Upsert,
    report: ImportReport,
    *,
    network: URIRef,
    source: str,
    dry_run: bool,
    dataset: PublicDataset | None = None,
) -> ImportReport:
    """Record the counts, add the provenance (naming the public `dataset`, if any), and commit — or, in a dry
    run, only count."""
    counts = plan.counts()
    report.created, report.updated, report.unchanged = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    if not dry_run:
        record_run(store, plan, network=network, source=source, dataset=dataset)
        store.commit(plan.transaction)
    return report


def _without_rows(tables: list[Table], rows: set[tuple[str, str | None, int | None]]) -> list[Table]:
    """The same tables with the given (file, sheet, line) rows blanked (line numbers stay right)."""
    kept = []
    for table in tables:
        template = sheet_for(table.sheet)
        sheet = template.name if template is not None else table.sheet
        kept.append(
            Table(
                file=table.file,
                sheet=table.sheet,
                header=table.header,
                rows=[
                    {} if (table.file, sheet, Table.line_of(i)) in rows else row
                    for i, row in enumerate(table.rows)
                ],
            )
        )
    return kept


def import_rdf(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    progress: ImportProgress = no_progress,
    rdf_format: str | None = None,
) -> ImportReport:
    """Import an RDF file holding one network (as `maillage export` writes it); all-or-nothing."""
    report = ImportReport(source=path.name, dry_run=dry_run)
    try:
        graph = read_rdf(path.read_bytes(), name=path.name, suffix=path.suffix.lower(), rdf_format=rdf_format)
    except RDFRefusedError as refused:
        report.problems.append(refused.problem)
        raise ImportRefusedError(report) from None
    networks = sorted(set(graph.subjects(RDF.type, MAI.Network)))
    if len(networks) != 1:
        report.problems.append(
            Problem(file=path.name, rule=f"un et un seul mai:Network attendu, {len(networks)} trouvé(s)")
        )
        raise ImportRefusedError(report)
    mapped = Mapped(network=networks[0])  # type: ignore[arg-type]
    for s, p, o in graph:
        mapped.triples.setdefault(s, set()).add((s, p, o))  # type: ignore[arg-type]
        mapped.origin.setdefault(s, (path.name, path.name, 0))  # type: ignore[index]
    report.rows_read = {"triplets": len(graph)}
    progress("validation SHACL")
    report.problems = shacl_problems(mapped, store)
    if report.problems:
        raise ImportRefusedError(report)
    target = URIRef(str(networks[0]).replace("/id/network/", "/graph/network/"))
    progress("écriture")
    plan = store.plan_upsert(target, mapped.triples)  # type: ignore[arg-type]
    return _finish(store, plan, report, network=networks[0], source=path.name, dry_run=dry_run)  # type: ignore[arg-type]
