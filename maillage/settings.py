"""Settings, read from the environment when asked (never at import), and the store they choose."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from maillage.graph.stores.base import Store, StoreError


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    store: str
    host: str = "127.0.0.1"
    port: int = 8000


def get_settings() -> Settings:
    """Read `MAILLAGE_DATA_DIR` (default ./maillage-data) and `MAILLAGE_STORE`.

    `MAILLAGE_STORE` defaults to oxigraph:<data dir>/oxigraph.
    """
    data_dir = Path(os.environ.get("MAILLAGE_DATA_DIR", "maillage-data"))
    store = os.environ.get("MAILLAGE_STORE", f"oxigraph:{data_dir / 'oxigraph'}")
    return Settings(
        data_dir=data_dir,
        store=store,
        host=os.environ.get("MAILLAGE_HOST", "127.0.0.1"),
        port=int(os.environ.get("MAILLAGE_PORT", "8000")),
    )


def open_store(settings: Settings) -> Store:
    """The store named by `settings.store`: `oxigraph:PATH` (or `oxigraph:` in memory)."""
    kind, _, where = settings.store.partition(":")
    if kind == "oxigraph":
        from maillage.graph.stores.oxigraph import OxigraphStore

        return OxigraphStore(where or None)
    raise StoreError(
        f"MAILLAGE_STORE inconnu : « {settings.store} » (attendu : oxigraph:CHEMIN ; bolt:// arrive bientôt)"
    )
