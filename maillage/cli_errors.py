"""How every command of the CLI fails: one line on stderr, « Erreur : … », and an exit code."""

from __future__ import annotations

from typing import NoReturn

import typer

from maillage.graph.stores.base import StoreError
from maillage.settings import Settings, get_settings


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
