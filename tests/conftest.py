"""Fixtures shared by the whole suite: stores of every implementation, the sample network."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"

# The store implementations the contract suite runs on. The Bolt store joins this list when it exists.
STORE_KINDS = ["oxigraph"]


def make_store(kind: str, tmp_path: Path) -> Store:
    if kind == "oxigraph":
        return OxigraphStore(tmp_path / "oxigraph")
    raise ValueError(f"unknown store kind {kind}")


@pytest.fixture(params=STORE_KINDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty, persistent store of each implementation."""
    store = make_store(request.param, tmp_path)
    yield store
    store.close()


SAMPLE = REPO / "ingest" / "data" / "sample" / "ptce-sud-aquitain"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample network imported once through ingest; tests must not write to it."""
    from maillage.ingest.importer import import_path

    store = OxigraphStore(tmp_path_factory.mktemp("sample") / "oxigraph")
    import_path(store, SAMPLE)
    yield store
    store.close()
