"""`maillage backup DEST` and `maillage restore SRC`: the store and its tokens, copied and put back whole."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maillage.cli_errors import fail, read_settings
from maillage.settings import open_store


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the `maillage` command."""
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    destination: Annotated[
        Path, typer.Argument(help="dossier de sauvegarde à créer (il ne doit pas exister)")
    ],
) -> None:
    """Sauvegarder la base et les jetons dans un nouveau dossier, avec un manifeste (sommes SHA-256).

    La copie est un état validé de la base, même pendant des écritures du même processus. Une base Oxigraph
    ne s'ouvre que dans un processus à la fois : serveur en marche, demandez-lui la sauvegarde
    (POST /api/admin/backups, jeton admin) ; sinon arrêtez-le le temps de la sauvegarde (moins d'une
    seconde pour le réseau d'exemple), voir docs/reliability.md.
    """
    from maillage.cli_tokens import open_tokens
    from maillage.graph.backup import BackupError
    from maillage.graph.backup import backup as make_backup
    from maillage.graph.stores.base import StoreError

    settings = read_settings()
    try:
        store = open_store(settings)
    except StoreError as error:
        fail(
            f"{error} (un serveur Maillage utilise-t-il la base ? demandez-lui la sauvegarde : "
            "POST /api/admin/backups avec un jeton admin, ou arrêtez-le le temps de la sauvegarde)"
        )
    try:
        manifest = make_backup(store, destination, tokens_path=open_tokens(settings).path)
    except BackupError as error:
        fail(str(error))
    finally:
        store.close()
    typer.echo(f"{destination} : {manifest.sentence()}")


def restore(
    source: Annotated[Path, typer.Argument(help="dossier écrit par « maillage backup »")],
    force: Annotated[
        bool, typer.Option("--force", help="remplacer une base (ou des jetons) qui contient déjà des données")
    ] = False,
) -> None:
    """Restaurer une sauvegarde : sommes vérifiées, nouvelle base construite à côté puis mise en place.

    Serveur arrêté pour une base Oxigraph. Refuse une base non vide sans --force.
    """
    from maillage.cli_tokens import open_tokens
    from maillage.graph.backup import BackupError, restore_folder, restore_into
    from maillage.graph.stores.base import StoreError

    settings = read_settings()
    tokens_path = open_tokens(settings).path
    kind, _, where = settings.store.partition(":")
    try:
        if kind == "oxigraph" and where:
            manifest = restore_folder(source, Path(where), tokens_path=tokens_path, force=force)
        else:
            store = open_store(settings)
            try:
                manifest = restore_into(store, source, tokens_path=tokens_path, force=force)
            finally:
                store.close()
    except (BackupError, StoreError) as error:
        fail(str(error))
    typer.echo(f"{settings.store} restaurée — {manifest.sentence()}")
