"""The online backup route: an admin backs the store up while the server runs; the backup restores equal."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.backup import restore_folder
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore


def nquads(store: Store) -> set[bytes]:
    out = io.BytesIO()
    store.dump_nquads(out)
    return set(out.getvalue().splitlines())


def test_an_admin_backs_up_the_running_store_and_it_restores_equal(
    tmp_path: Path, sample_store: Store
) -> None:
    data = tmp_path / "donnees"
    store = OxigraphStore(data / "oxigraph")
    store.add_all(sample_store.quads())
    tokens = TokenStore(data / "tokens.sqlite3")
    _, admin = tokens.create("admin")
    _, animator = tokens.create("animator")
    client = TestClient(create_app(store, tokens=tokens))
    assert client.get("/api/actors/ressourcerie-lur-berri").status_code == 200  # the server is serving

    assert client.post("/api/admin/backups").status_code == 401
    refused = client.post("/api/admin/backups", headers={"Authorization": f"Bearer {animator}"})
    assert refused.status_code == 403
    assert not (data / "sauvegardes").exists() or not any((data / "sauvegardes").iterdir())

    answer = client.post("/api/admin/backups", headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["folder"].startswith("sauvegardes/") and body["kind"] == "oxigraph"
    assert body["quads"] == len(sample_store) and body["tokens"] == 2
    folder = data / body["folder"]
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["quads"] == len(sample_store)
    assert str(data) not in answer.text  # the data folder's absolute path is not given away

    restored_path = tmp_path / "restauree" / "oxigraph"
    restored_path.parent.mkdir()
    restore_folder(folder, restored_path, tokens_path=tmp_path / "restauree" / "tokens.sqlite3")
    restored = OxigraphStore(restored_path)
    assert nquads(restored) == nquads(store)
    assert TokenStore(tmp_path / "restauree" / "tokens.sqlite3").authenticate(admin) is not None
