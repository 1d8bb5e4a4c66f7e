"""Body limits (maillage.api.limits, issue 7 item 4): a JSON write over 1 MiB is refused with 413 before it is
read — with or without a declared length — while normal writes and uploads up to the upload limit go through.

The streamed cases go through httpx's ASGI transport, which hands the app one chunk each time it asks
(Starlette's TestClient reads a generator whole first), so the tests count what the app consumed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.limits import JSON_BODY_BYTES, body_limit
from maillage.api.uploads import MAX_BODY_BYTES, UploadRoute
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from tests.public_outputs import app_routes

MIB = 1 << 20
CHUNK = 64 * 1024
NEW_ACTOR = {
    "id": "scop-txalupa",
    "name": "SCOP Txalupa",
    "type": "scop",
    "fields": ["eco-construction"],
    "commune": "64102",
    "description": "Charpente navale (exemple fictif)",
}
#: Row 2 is a new actor of the sample network's taxonomy (tests/test_pages_import.py uses the same).
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays\n"
    "atelier-neuf,Atelier Neuf,association,eco-construction,40312,FR\n"
)
JSON = {"Content-Type": "application/json"}


def padded_json(size: int) -> bytes:
    """A JSON actor of exactly `size` bytes (its description padded with « x »)."""
    empty = json.dumps({**NEW_ACTOR, "description": ""}).encode()
    body = json.dumps({**NEW_ACTOR, "description": "x" * (size - len(empty))}).encode()
    assert len(body) == size
    return body


@pytest.fixture()
def site(sample_store: Store, tmp_path: Path) -> Iterator[tuple[object, Store, dict[str, str]]]:
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    app = create_app(store, tokens=tokens)
    yield app, store, {"Authorization": "Bearer " + tokens.create("animator")[1]}
    store.close()


class Chunks:
    """An async body of `total` bytes sent in `CHUNK`-byte pieces, counting the pieces the app pulled."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), CHUNK):
            self.pulled += 1
            yield self.body[start : start + CHUNK]


def send(app: object, method: str, url: str, **options: object) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.request(method, url, **options)  # type: ignore[arg-type]

    # In a thread of its own: an earlier test of the suite may leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_each_write_route_has_the_limit_of_its_kind(site: tuple[object, Store, dict[str, str]]) -> None:
    app, _store, _auth = site
    routes = [(path, route) for path, route in app_routes(app) if route.methods & {"POST", "PUT", "PATCH"}]  # type: ignore[arg-type]
    uploads = {path for path, route in routes if isinstance(route, UploadRoute)}
    others = {path for path, route in routes if not isinstance(route, UploadRoute)}
    assert uploads == {"/api/imports", "/importer/essai", "/importer/{upload_id}/confirmer"}
    assert {path: body_limit(path) for path in uploads} == dict.fromkeys(uploads, MAX_BODY_BYTES)
    assert {"/api/actors", "/api/actors/{actor_id}", "/sparql", "/taxonomie", "/connexion"} <= others
    assert {path: body_limit(path) for path in others} == dict.fromkeys(others, JSON_BODY_BYTES)
    assert JSON_BODY_BYTES == MIB and MAX_BODY_BYTES == 20 * MIB + 64 * 1024


def test_a_2_mib_json_body_with_its_length_is_refused_before_a_byte_is_read(
    site: tuple[object, Store, dict[str, str]],
) -> None:
    app, store, auth = site
    before = (len(store), store.generation)
    body = Chunks(padded_json(2 * MIB))
    answer = send(
        app,
        "POST",
        "/api/actors",
        content=body,
        headers={**auth, **JSON, "Content-Length": str(2 * MIB)},
    )
    assert (answer.status_code, answer.json()) == (
        413,
        {
            "error": {
                "status": 413,
                "code": "trop_volumineux",
                "message": "Corps de la requête trop volumineux (2097152 octets) : la limite est de 1 Mo "
                "(1048576 octets) pour « /api/actors » ; un fichier s'importe par /api/imports",
                "details": [],
            }
        },
    )
    assert body.pulled == 0
    assert (len(store), store.generation) == before


def test_a_2_mib_chunked_json_body_is_counted_and_cut_past_1_mib(
    site: tuple[object, Store, dict[str, str]],
) -> None:
    app, store, auth = site
    before = (len(store), store.generation)
    body = Chunks(padded_json(2 * MIB))
    answer = send(app, "PATCH", "/api/actors/ressourcerie-lur-berri", content=body, headers={**auth, **JSON})
    assert "content-length" not in answer.request.headers
    assert answer.request.headers["transfer-encoding"] == "chunked"
    assert answer.status_code == 413 and answer.json()["error"]["message"] == (
        "Corps de la requête trop volumineux (plus de 1048576 octets) : la limite est de 1 Mo "
        "(1048576 octets) pour « /api/actors/ressourcerie-lur-berri » ; un fichier s'importe par /api/imports"
    )
    # 16 chunks of 64 KiB make exactly 1 MiB, still allowed; the 17th passes the limit: read no further
    assert body.pulled == 17
    assert (len(store), store.generation) == before


def test_a_body_of_exactly_the_limit_reaches_the_route(site: tuple[object, Store, dict[str, str]]) -> None:
    app, _store, auth = site
    answer = send(app, "POST", "/api/actors", content=Chunks(padded_json(MIB)), headers={**auth, **JSON})
    # read whole and written: a description has no maximum length of its own
    assert answer.status_code == 201, answer.text
    assert len(answer.json()["description"]) == MIB - len(json.dumps({**NEW_ACTOR, "description": ""}))


def test_a_normal_write_still_succeeds(site: tuple[object, Store, dict[str, str]]) -> None:
    app, _store, auth = site
    created = send(app, "POST", "/api/actors", json=NEW_ACTOR, headers=auth)
    assert created.status_code == 201 and created.headers["location"] == "/api/actors/scop-txalupa"
    chunked = send(
        app,
        "POST",
        "/api/actors",
        content=Chunks(json.dumps({**NEW_ACTOR, "id": "scop-bis"}).encode()),
        headers={**auth, **JSON},
    )
    assert chunked.status_code == 201 and chunked.json()["id"] == "scop-bis"


def test_an_upload_over_the_json_limit_and_under_its_own_is_accepted(
    site: tuple[object, Store, dict[str, str]],
) -> None:
    app, _store, auth = site
    # 2 MiB of trailing blank lines: a CSV reader skips them, the body is twice the JSON limit
    csv = ACTEURS + "\n" * (2 * MIB)
    client = TestClient(app)  # type: ignore[arg-type]
    answer = client.post("/api/imports", headers=auth, files={"file": ("acteurs.csv", csv.encode())})
    assert int(answer.request.headers["content-length"]) > 2 * MIB
    assert answer.status_code == 200, answer.text
    assert (answer.json()["dry_run"], answer.json()["created"], answer.json()["rejected_rows"]) == (
        True,
        1,
        0,
    )


def test_an_anonymous_upload_declaring_a_huge_length_gets_401_not_413(
    site: tuple[object, Store, dict[str, str]],
) -> None:
    app, _store, _auth = site
    body = Chunks(b"x" * MIB)
    answer = send(app, "POST", "/api/imports", content=body, headers={"Content-Length": str(10**9)})
    assert answer.status_code == 401 and body.pulled == 0  # the role is checked before the form is read


def test_an_oversized_form_under_a_session_is_refused_by_size_not_as_a_forgery(
    site: tuple[object, Store, dict[str, str]], tmp_path: Path
) -> None:
    app, store, _auth = site
    client = TestClient(app)  # type: ignore[arg-type]
    _, token = app.state.tokens.create("animator")  # type: ignore[attr-defined]
    page = client.post("/connexion", data={"jeton": token, "suivant": "/taxonomie"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    before = (len(store), store.generation)
    # the CSRF check reads the urlencoded form to find its field: the limit stops that reading too
    refused = client.post(
        "/taxonomie",
        data={"csrf": csrf.group(1), "schema": "field", "cle": "x", "libelle_fr": "x" * (2 * MIB)},
    )
    assert refused.status_code == 413 and refused.json()["error"]["message"].startswith(
        "Corps de la requête trop volumineux ("
    )
    assert refused.json()["error"]["message"].endswith(
        "pour « /taxonomie » ; un fichier s'importe par /api/imports"
    )
    assert (len(store), store.generation) == before


def test_a_json_write_sent_without_its_content_type_is_refused_not_crashed(
    site: tuple[object, Store, dict[str, str]],
) -> None:
    app, _store, auth = site
    # FastAPI hands the raw bytes to the validation error; they used to make the error answer fail (500)
    answer = send(app, "POST", "/api/actors", content=b'{"id": "x"}', headers=auth)
    assert answer.status_code == 422
    assert [(d["parametre"], d["valeur"]) for d in answer.json()["error"]["details"]] == [
        ("body", '{"id": "x"}')
    ]
    long = send(app, "POST", "/api/actors", content=b"[" + b"1," * 500 + b"1]", headers=auth)
    assert long.status_code == 422 and long.json()["error"]["details"][0]["valeur"] == "[" + "1," * 99 + "1…"
