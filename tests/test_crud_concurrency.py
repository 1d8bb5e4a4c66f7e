"""Two writers with the same version: exactly one wins, the other gets 412, and the store holds the winner's
value — on both stores (the check and the write happen under one lock: ingest/edit.py)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from maillage.ingest.edit_entities import entity_etag
from tests.conftest import STORE_KINDS, _close, make_store

DEMO = "ressourcerie-lur-berri"


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample_dump(sample_store: Store) -> bytes:
    out = io.BytesIO()
    sample_store.dump_nquads(out)
    return out.getvalue()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path, sample_dump: bytes) -> Iterator[Store]:
    store = make_store(request.param, tmp_path, request)
    store.restore_nquads(io.BytesIO(sample_dump))
    yield store
    _close(store)


def test_two_animators_racing_with_one_version_give_one_200_and_one_412(store: Store, tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    first, second = tokens.create("animator")[1], tokens.create("animator")[1]
    client = TestClient(create_app(store, tokens=tokens))
    # Without the write lock both writers pass the version check and both get 200 (tried: [200, 200]).
    answers: dict[str, tuple[int, str | None]] = {}
    for round_ in range(3):
        tag = client.get(f"/api/actors/{DEMO}/record").headers["etag"]
        start = threading.Barrier(2)

        def write(token: str, text: str, tag: str = tag, start: threading.Barrier = start) -> None:
            start.wait()
            answer = client.patch(
                f"/api/actors/{DEMO}",
                json={"description": text},
                headers={"Authorization": f"Bearer {token}", "If-Match": tag},
            )
            answers[text] = (answer.status_code, answer.headers.get("etag"))

        texts = (f"Version A, tour {round_}", f"Version B, tour {round_}")
        threads = [
            threading.Thread(target=write, args=pair) for pair in zip((first, second), texts, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(status for status, _etag in answers.values())
        assert statuses == [200, 412], answers
        winner = next(text for text, (status, _e) in answers.items() if status == 200)
        loser = next(text for text, (status, _e) in answers.items() if status == 412)
        now = client.get(f"/api/actors/{DEMO}/record")
        assert now.json()["description"] == winner
        assert now.headers["etag"] == answers[winner][1]  # the winner's answer carried the version now stored
        assert answers[loser][1] == answers[winner][1]  # the 412 names the version to read again
        answers.clear()


def test_versions_refusals_and_writes_agree_on_both_stores(
    store: Store, sample_store: Store, tmp_path: Path
) -> None:
    """The same content has the same version on either store (both dump byte-identical N-Quads); a refused
    write leaves the store's dump identical; an accepted one lands with its direct link."""
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    member = tokens.create("member", actor=DEMO)[1]
    client = TestClient(create_app(store, tokens=tokens))
    tag = client.get(f"/api/actors/{DEMO}/record").headers["etag"]
    assert tag == entity_etag(sample_store, "actor", DEMO)
    before = dump(store)
    refused = client.post(
        f"/api/actors/{DEMO}/needs",
        json={"resource": "licornes"},
        headers={"Authorization": f"Bearer {member}"},
    )
    assert refused.status_code == 422 and dump(store) == before
    created = client.post(
        f"/api/actors/{DEMO}/needs",
        json={"resource": "maraichage"},
        headers={"Authorization": f"Bearer {member}"},
    )
    assert created.status_code == 201
    assert created.json() == {
        "id": f"{DEMO}.maraichage",
        "actor": DEMO,
        "resource": "maraichage",
        "description": None,
        "quantity": None,
    }
    assert "maraichage" in {n["key"] for n in client.get(f"/api/actors/{DEMO}").json()["needs"]}
    assert client.get(f"/api/actors/{DEMO}/record").headers["etag"] != tag
