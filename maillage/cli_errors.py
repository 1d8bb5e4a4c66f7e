"""How every command of the CLI fails: one line on stderr, « Erreur : … », and an exit code."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str, code: int = 1) -> NoReturn:
    """Print « Erreur : `message` » on stderr and leave with `code` (1 by default)."""
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(code)
