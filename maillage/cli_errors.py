"""How every command of the CLI fails: one line on stderr, « Erreur : … », and an exit code."""

from __future__ import annotations

from typing import NoReturn

import typer

from maillage.graph.stores.base import Store, StoreError
from maillage.settings import Settings, get_settings, open_store


def fail(message: str, code: int = 1) -> NoReturn:
    """Print « Erreur : `message` » on stderr and leave with `code` (1 by default)."""
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(code)


def read_settings() -> Settings:
    """`get_settings`, or — a variable that makes no sense (`MAILLAGE_PORT=abc`…) — `fail` naming it."""
    try:
        return get_settings()
    except (ValueError, StoreError) as error:
        fail(str(error))


def opened_store(settings: Settings | None = None) -> Store:
    """The store of `settings` (read if not given), or `fail` saying why it cannot be opened — for an
    Oxigraph folder, most often a running server holding it."""
    settings = settings or read_settings()
    try:
        return open_store(settings)
    except StoreError as error:
        busy = (
            " (un serveur Maillage l'utilise-t-il ? arrêtez-le)"
            if settings.store.startswith("oxigraph:")
            else ""
        )
        fail(f"{error}{busy}")
