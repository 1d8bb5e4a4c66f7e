"""POST /api/imports on a real app and store: roles, dry run, refusals, limits, file names, the index."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.uploads import MAX_BODY_BYTES, safe_filename
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import MAX_FILE_BYTES, ensure_reference_data
from maillage.ingest.readers.csv import read_csv
from maillage.ingest.readers.xlsx import write_xlsx

# The small network of tests/test_ingest.py: 1 network and 3 actors; Leïla is an inhabitant without recorded
# consent, so the public API lists 2 actors (atelier, garraio).
RESEAU = "identifiant,nom,description,commune,pays\nreseau-test,Réseau test (exemple fictif),,40312,FR\n"
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays,siret\n"
    "atelier,Atelier Bois Solidaire,scop,eco-construction;emploi,40312,FR,73282932000074\n"
    "garraio,Garraio Kooperatiba,cooperative,circuits-courts,20045,ES,\n"
    "leila,Leïla Etxeberri,habitant,circuits-courts,64102,FR,\n"
)
# Line 5 (« ferme ») names a field that is not in the taxonomy.
ACTEURS_BAD = ACTEURS + "ferme,Ferme des Barthes,association,astrologie,40312,FR,\n"
# (the advice that follows the rule belongs to the importer's own tests)
ASTROLOGIE = (
    "acteurs.csv › ligne 5 › colonne « domaines » : « astrologie » — domaine d'activité inconnu dans la "
    "taxonomie ("
)


def workbook(**sheets: str) -> bytes:
    return write_xlsx([read_csv(text.encode(), name=f"{name}.csv") for name, text in sheets.items()])


def archive(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    store = OxigraphStore(tmp_path / "db")
    ensure_reference_data(store)  # so that a refused import is compared with a store it did not prepare
    yield store
    store.close()


@pytest.fixture()
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "tokens.sqlite3")


@pytest.fixture()
def client(store: Store, tokens: TokenStore) -> TestClient:
    return TestClient(create_app(store, tokens=tokens))


@pytest.fixture()
def animator(tokens: TokenStore) -> dict[str, str]:
    return {"Authorization": "Bearer " + tokens.create("animator", note="tests")[1]}


def post(client: TestClient, headers: dict[str, str], name: str, data: bytes, **form: str):  # type: ignore[no-untyped-def]
    return client.post("/api/imports", headers=headers, files={"file": (name, data)}, data=form)


def test_a_dry_run_is_the_default_and_writes_nothing(
    client: TestClient, store: Store, animator: dict
) -> None:
    before = dump(store)
    response = post(client, animator, "membres.xlsx", workbook(reseau=RESEAU, acteurs=ACTEURS))
    assert response.status_code == 200
    assert response.json() == {
        "source": "membres.xlsx",
        "dry_run": True,
        "rows_read": {"reseau": 1, "acteurs": 3},
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "rejected_rows": 0,
        "problems": [],
        "reviews": [],
        "resolutions": [],
        "refused": False,
        "ok": True,
    }
    assert dump(store) == before


def test_a_real_import_refreshes_the_analysis_index(client: TestClient, animator: dict) -> None:
    assert client.get("/api/actors").json()["count"] == 0  # builds the index on the empty network
    done = post(client, animator, "membres.xlsx", workbook(reseau=RESEAU, acteurs=ACTEURS), dry_run="false")
    assert (done.status_code, done.json()["created"], done.json()["dry_run"]) == (200, 4, False)
    listed = client.get("/api/actors").json()
    assert listed["count"] == 2 and {a["id"] for a in listed["data"]} == {"atelier", "garraio"}
    again = post(client, animator, "membres.xlsx", workbook(reseau=RESEAU, acteurs=ACTEURS), dry_run="false")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 4)  # idempotent


def test_a_zip_of_csv_files_is_one_import(client: TestClient, animator: dict) -> None:
    # a folder inside the zip, a path that climbs out, and macOS litter: flattened or skipped
    members = {"export/reseau.csv": RESEAU, "../../acteurs.csv": ACTEURS, "__MACOSX/._acteurs.csv": "x"}
    response = post(client, animator, "membres.zip", archive(members), dry_run="false")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["source"], body["rows_read"], body["created"]) == (
        "membres.zip",
        {"reseau": 1, "acteurs": 3},
        4,
    )


def test_a_refused_import_answers_422_with_the_report_and_changes_nothing(
    client: TestClient, store: Store, animator: dict
) -> None:
    before = dump(store)
    members = {"reseau.csv": RESEAU, "acteurs.csv": ACTEURS_BAD}
    response = post(client, animator, "membres.zip", archive(members), dry_run="false")
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "import_refuse"
    assert (
        body["error"]["message"] == "Import refusé : 1 problème(s) dans « membres.zip », rien n'a été écrit"
    )
    assert [d["message"][: len(ASTROLOGIE)] for d in body["error"]["details"]] == [ASTROLOGIE]
    problem = body["report"]["problems"][0]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (
        "acteurs.csv",
        5,
        "domaines",
        "astrologie",
    )
    assert (body["report"]["refused"], body["report"]["ok"], body["report"]["dry_run"]) == (
        True,
        False,
        False,
    )
    assert dump(store) == before


def test_keep_valid_imports_the_other_rows(client: TestClient, animator: dict) -> None:
    members = {"reseau.csv": RESEAU, "acteurs.csv": ACTEURS_BAD}
    body = post(client, animator, "m.zip", archive(members), dry_run="false", keep_valid="true").json()
    # the network and the 3 good actors are written; the line of « ferme » is left out and listed
    assert (body["created"], body["rejected_rows"], body["ok"]) == (4, 1, False)
    assert [p["message"][: len(ASTROLOGIE)] for p in body["problems"]] == [ASTROLOGIE]


def test_values_to_review_are_in_the_report(client: TestClient, animator: dict) -> None:
    # « insertion profesionnelle » (one s) scores 97.9 against « Insertion professionnelle »: accepted by
    # fuzzy matching (≥ 92, docs/decisions/20261128-concept-mapping-and-resolution.md) and listed to review.
    typo = ACTEURS.replace("circuits-courts,20045", "insertion profesionnelle,20045")
    body = post(client, animator, "m.zip", archive({"reseau.csv": RESEAU, "acteurs.csv": typo})).json()
    assert body["ok"] is True and body["problems"] == []
    [review] = body["reviews"]
    assert (review["row"], review["column"], review["value"]) == (3, "domaines", "insertion profesionnelle")
    assert (review["status"], review["concept"]) == ("approché", "insertion-professionnelle")
    assert review["score"] == pytest.approx(97.87, abs=0.01)


def test_roles_guard_the_route(client: TestClient, tokens: TokenStore) -> None:
    data = workbook(reseau=RESEAU, acteurs=ACTEURS)
    assert post(client, {}, "m.xlsx", data).status_code == 401
    member = {"Authorization": "Bearer " + tokens.create("member", actor="atelier")[1]}
    assert post(client, member, "m.xlsx", data).status_code == 403
    record, admin_token = tokens.create("admin")
    admin = {"Authorization": "Bearer " + admin_token}
    assert post(client, admin, "m.xlsx", data).status_code == 200
    tokens.revoke(record.id)
    assert post(client, admin, "m.xlsx", data).status_code == 401


def test_file_names_cannot_climb_out_of_the_upload_folder(client: TestClient, animator: dict) -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\Windows\\win.ini") == "win.ini"
    assert safe_filename("/") == "fichier" and safe_filename("....") == "fichier"
    response = post(client, animator, "../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n")
    assert response.status_code == 422
    body = response.json()
    assert body["report"]["source"] == "passwd"
    assert body["error"]["details"][0]["message"] == (
        "passwd : format non pris en charge (CSV, XLSX, ou RDF (.ttl, .jsonld, .nt, .rdf))"
    )
    # a traversal name on a good file imports it under its last part only
    named = post(client, animator, "../../../tmp/membres.xlsx", workbook(reseau=RESEAU, acteurs=ACTEURS))
    assert named.json()["source"] == "membres.xlsx"


def test_bodies_over_the_limit_are_refused_with_413(client: TestClient, animator: dict) -> None:
    expected = {
        "status": 413,
        "code": "trop_volumineux",
        "message": f"Fichier trop volumineux ({MAX_BODY_BYTES + 1} octets) : la limite est de 20 Mo "
        "(découpez-le en plusieurs fichiers)",
        "details": [],
    }
    # a declared length over the limit is refused from the headers alone: the 10-byte body is never read
    declared = client.post(
        "/api/imports",
        headers={
            **animator,
            "Content-Length": str(MAX_BODY_BYTES + 1),
            "Content-Type": "multipart/form-data",
        },
        content=b"0123456789",
    )
    assert (declared.status_code, declared.json()) == (413, {"error": expected})
    # without a length (chunked), the bytes are counted as they arrive
    chunks = (b"x" * 2**20 for _ in range(MAX_FILE_BYTES // 2**20 + 1))
    streamed = client.post(
        "/api/imports",
        headers={**animator, "Content-Type": "multipart/form-data; boundary=b"},
        content=chunks,
    )
    assert streamed.status_code == 413 and streamed.json()["error"]["message"].startswith(
        "Fichier trop volumineux"
    )
    # anonymous callers are refused before their body is looked at
    assert client.post("/api/imports", headers={"Content-Length": str(10**9)}, content=b"").status_code == 401


def test_unusable_archives_are_refused_with_a_report(client: TestClient, animator: dict) -> None:
    broken = post(client, animator, "membres.zip", b"PK\x03\x04 not really a zip")
    assert broken.status_code == 422
    assert broken.json()["error"]["details"][0]["rule"] == "archive zip illisible (File is not a zip file)"
    other = post(client, animator, "membres.zip", archive({"reseau.csv": RESEAU, "notes.odt": b"x"}))
    assert [d["message"] for d in other.json()["error"]["details"]] == [
        "membres.zip › notes.odt : format non pris en charge dans une archive (CSV ou XLSX)"
    ]


def test_the_route_is_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/imports"]["post"]
    assert operation["tags"] == ["imports"]
    assert operation["security"] == [{"jeton": []}]
    assert spec["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    assert set(operation["responses"]) == {"200", "401", "403", "413", "422"}
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = spec["components"]["schemas"][body]["properties"]
    assert set(fields) == {"file", "dry_run", "keep_valid"}
    assert (fields["dry_run"]["default"], fields["keep_valid"]["default"]) == (True, False)
    assert spec["components"]["schemas"]["ImportReportPublic"]["examples"][0]["source"] == "membres.xlsx"
