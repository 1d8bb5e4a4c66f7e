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
    bolt_user: str | None = None
    bolt_password: str | None = None
    bolt_database: str | None = None


def get_settings() -> Settings:
    """Read `MAILLAGE_DATA_DIR` (default ./maillage-data) and `MAILLAGE_STORE`.

    `MAILLAGE_STORE` defaults to oxigraph:<data dir>/oxigraph; a Bolt server (``bolt://host:port``,
    ``neo4j://…``, ``neo4j+s://…`` for Aura) takes `MAILLAGE_BOLT_USER`, `MAILLAGE_BOLT_PASSWORD` and
    `MAILLAGE_BOLT_DATABASE` (the Neo4j database, or the FalkorDB graph; the server's default when unset).
    """
    data_dir = Path(os.environ.get("MAILLAGE_DATA_DIR", "maillage-data"))
    store = os.environ.get("MAILLAGE_STORE", f"oxigraph:{data_dir / 'oxigraph'}")
    return Settings(
        data_dir=data_dir,
        store=store,
        host=os.environ.get("MAILLAGE_HOST", "127.0.0.1"),
        port=int(os.environ.get("MAILLAGE_PORT", "8000")),
        bolt_user=os.environ.get("MAILLAGE_BOLT_USER") or None,
        bolt_password=os.environ.get("MAILLAGE_BOLT_PASSWORD") or None,
        bolt_database=os.environ.get("MAILLAGE_BOLT_DATABASE") or None,
    )


def open_store(settings: Settings) -> Store:
    """The store named by `settings.store`: `oxigraph:PATH` (or `oxigraph:` in memory), or a Bolt URI.

    >>> open_store(Settings(data_dir=Path("."), store="sqlite:x.db"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maillage.graph.stores.base.StoreError: MAILLAGE_STORE inconnu : « sqlite:x.db » ...
    """
    kind, _, where = settings.store.partition(":")
    if kind == "oxigraph":
        from maillage.graph.stores.oxigraph import OxigraphStore

        return OxigraphStore(where or None)
    if kind in BOLT_SCHEMES and where.startswith("//"):
        from maillage.graph.stores.bolt import BoltStore

        return BoltStore(
            settings.store,
            user=settings.bolt_user,
            password=settings.bolt_password,
            database=settings.bolt_database,
        )
    raise StoreError(
        f"MAILLAGE_STORE inconnu : « {settings.store} » (attendu : oxigraph:CHEMIN, bolt://hôte:port, "
        "neo4j://hôte:port ou neo4j+s://hôte pour Aura)"
    )


#: The URI schemes of the neo4j driver (``+s``: TLS, ``+ssc``: TLS with a self-signed certificate).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
