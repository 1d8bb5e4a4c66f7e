"""Fuzzing the importers with Hypothesis (issue 7 item 4): whatever the bytes or the cells, an import either
succeeds or raises `ImportRefusedError` with located problems — never any other exception — and a refused
import leaves the store as it was.

Bounded for `make test`: derandomized (the same examples on every run), `MAILLAGE_FUZZ_EXAMPLES` examples per
test (default 100, about 30 s for the file here). Run many more by hand (docs/reliability.md):
``MAILLAGE_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz_importers.py -q``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.readers.csv import read_csv
from maillage.ingest.readers.xlsx import write_xlsx
from maillage.ingest.report import ImportRefusedError, ImportReport
from maillage.ingest.template import SHEETS_BY_NAME

EXAMPLES = int(os.environ.get("MAILLAGE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RESEAU = "identifiant,nom,commune,pays\nreseau-fuzz,Réseau fuzz,40312,FR\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A network with one actor (« atelier ») that the fuzzed rows may name."""
    folder = tmp_path_factory.mktemp("fuzz-base")
    (folder / "reseau.csv").write_text(RESEAU)
    (folder / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\natelier,Atelier,association,emploi,40312,FR\n"
    )
    store = OxigraphStore(folder / "db")
    import_path(store, folder)
    yield store
    store.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def state(store: Store) -> tuple[int, int]:
    return len(store), store.generation


def import_or_refuse(store: Store, path: Path, files: set[str]) -> ImportReport | None:
    """Import `path`; on a refusal, check each problem is located in one of `files` and says why in words,
    and that the store did not move. Any other exception fails the test (Hypothesis shrinks it)."""
    before = state(store)
    try:
        return import_path(store, path)
    except ImportRefusedError as refused:
        problems = refused.report.problems
        assert problems, "a refusal lists at least one problem"
        for problem in problems:
            assert problem.file in files | {path.name}, problem
            assert problem.rule.strip(), problem
            assert str(problem).startswith(problem.file)
        assert state(store) == before
        return None


# --- bytes -------------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_a_csv_file(store: Store, workdir: Path, data: bytes) -> None:
    path = workdir / "acteurs.csv"
    path.write_bytes(data)
    import_or_refuse(store, path, {"acteurs.csv"})


#: Pieces of a CSV body: any characters, the ones CSV and formulas give a meaning to, and real values.
CSV_PIECES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4) | st.sampled_from(
    list(',;\t|"\n\r =@+-') + ["atelier", "emploi", "40312", "FR", "association", "\ufeff"]
)


@FUZZ
@given(
    header=st.lists(st.sampled_from(SHEETS_BY_NAME["acteurs"].column_names() + ["?", ""]), max_size=8),
    body=st.lists(CSV_PIECES, max_size=120).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_text_under_a_real_header(
    store: Store, workdir: Path, header: list[str], body: str, encoding: str
) -> None:
    text = ",".join(header) + "\n" + body
    path = workdir / "acteurs.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    import_or_refuse(store, path, {"acteurs.csv"})


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".ttl", ".jsonld", ".nt", ".rdf", ".json"]))
def test_random_bytes_as_rdf(store: Store, workdir: Path, data: bytes, suffix: str) -> None:
    path = workdir / f"reseau{suffix}"
    path.write_bytes(data)
    import_or_refuse(store, path, {path.name})


# --- structured rows of the template ----------------------------------------------------------------------

ACTOR_COLUMNS = [
    "identifiant", "nom", "type", "domaines", "commune", "pays", "description", "site_web", "siret",
    "latitude", "longitude", "consentement_public",
]  # fmt: skip
# no control characters: a workbook cannot hold them (openpyxl refuses them); the byte fuzzers send them
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


def mostly(valid: st.SearchStrategy[str], other: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`valid` nine times in ten: rows with one odd cell, not rows that are all wrong."""
    return st.sampled_from(range(10)).flatmap(lambda n: other if n == 9 else valid)


ROW = st.fixed_dictionaries(
    {
        "identifiant": mostly(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), TEXT),
        "nom": mostly(TEXT.filter(str.strip), TEXT),
        "type": mostly(st.sampled_from(["association", "scop", "habitant", "entreprise"]), TEXT),
        "domaines": mostly(
            st.sampled_from(["emploi", "circuits-courts;emploi", "insertion profesionnelle"]), TEXT
        ),
        "commune": mostly(
            st.sampled_from(["40312", "64102", "20045"]), st.from_regex(r"\d{5}", fullmatch=True)
        ),
        "pays": mostly(st.sampled_from(["FR", "FR", "ES", "fr"]), st.sampled_from(["PT", "", "France"])),
        "description": TEXT,
        "site_web": mostly(st.sampled_from(["", "https://exemple.org", "javascript:alert(1)"]), TEXT),
        "siret": mostly(st.sampled_from(["", "73282932000074"]), st.from_regex(r"\d{14}", fullmatch=True)),
        "latitude": mostly(
            st.sampled_from([""]), st.floats(allow_nan=True, allow_infinity=True).map(str) | TEXT
        ),
        "longitude": mostly(st.sampled_from([""]), st.floats(-10, 10).map(str)),
        "consentement_public": mostly(st.sampled_from(["", "oui", "non"]), st.just("peut-être")),
    }
)
LINK = st.fixed_dictionaries(
    {
        "acteur": mostly(st.sampled_from(["atelier", "inconnu"]), TEXT),
        "ressource": mostly(st.sampled_from(["atelier", "vehicule-utilitaire", "local"]), TEXT),
        "quantite": mostly(st.sampled_from(["", "2", "-2+3"]), TEXT),
    }
)
DATE = mostly(
    st.dates().map(lambda d: d.isoformat()) | st.dates().map(lambda d: d.strftime("%d/%m/%Y")), TEXT
)
MEMBERSHIP = st.fixed_dictionaries(
    {
        "acteur": mostly(st.sampled_from(["atelier"]), TEXT),
        "role": mostly(st.sampled_from(["membre", "fondateur"]), TEXT),
        "college": mostly(st.sampled_from(["ess", "entreprises"]), TEXT),
        "date_debut": DATE,
        "date_fin": DATE | st.just(""),
    }
)


def as_csv(rows: list[dict[str, str]], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@FUZZ
@given(
    actors=st.lists(ROW, min_size=1, max_size=4),
    needs=st.lists(LINK, max_size=3),
    memberships=st.lists(MEMBERSHIP, max_size=2),
    as_workbook=st.booleans(),
)
def test_structured_rows_of_the_template(
    store: Store,
    workdir: Path,
    actors: list[dict[str, str]],
    needs: list[dict[str, str]],
    memberships: list[dict[str, str]],
    as_workbook: bool,
) -> None:
    sheets = {
        "reseau": RESEAU.encode(),
        "acteurs": as_csv(actors, ACTOR_COLUMNS),
        "besoins": as_csv(needs, ["acteur", "ressource", "quantite"]),
        "adhesions": as_csv(memberships, ["acteur", "role", "college", "date_debut", "date_fin"]),
    }
    if as_workbook:
        path = workdir / "membres.xlsx"
        tables = [read_csv(data, name=f"{name}.csv") for name, data in sheets.items()]
        path.write_bytes(write_xlsx(tables))
        files = {"membres.xlsx"}
    else:
        path = workdir / "dossier"
        path.mkdir(exist_ok=True)
        for name, data in sheets.items():
            (path / f"{name}.csv").write_bytes(data)
        files = {f"{name}.csv" for name in sheets}
    report = import_or_refuse(store, path, files)
    if report is not None:
        assert report.rows_read["acteurs"] == len(actors)


# --- workbooks with damaged bytes --------------------------------------------------------------------------


def _template_workbook() -> bytes:
    acteurs = "identifiant,nom,type,domaines,commune,pays\nb,B,association,emploi,40312,FR\n"
    return write_xlsx(
        [read_csv(RESEAU.encode(), name="reseau.csv"), read_csv(acteurs.encode(), name="acteurs.csv")]
    )


WORKBOOK = _template_workbook()


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8)
)
def test_a_workbook_with_damaged_bytes(store: Store, workdir: Path, edits: list[tuple[int, int]]) -> None:
    damaged = bytearray(WORKBOOK)
    for position, value in edits:
        damaged[position] = value
    path = workdir / "membres.xlsx"
    path.write_bytes(bytes(damaged))
    import_or_refuse(store, path, {"membres.xlsx"})


def test_the_workbook_before_damage_imports(store: Store, workdir: Path) -> None:
    """The damage test starts from a good workbook (else it would only test refusals)."""
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    path = workdir / "intact.xlsx"
    path.write_bytes(WORKBOOK)
    report = import_path(store, path, dry_run=True)
    assert report.rows_read == {"reseau": 1, "acteurs": 1} and report.problems == []
