"""`maillage token create | list | revoke`: the API tokens of the data folder (stored hashed, revocable)."""

from __future__ import annotations

from typing import Annotated

import typer

from maillage.cli_errors import fail, read_settings
from maillage.graph.tokens import ROLE_LABELS, ROLES, TOKENS_FILE, TokenError, TokenStore
from maillage.settings import Settings, open_store

app = typer.Typer(
    help="Jetons de l'API : créer (affiché une seule fois), lister, révoquer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def open_tokens(settings: Settings) -> TokenStore:
    """The token store of the data folder: ``<MAILLAGE_DATA_DIR>/tokens.sqlite3``, outside the graph store."""
    return TokenStore(settings.data_dir / TOKENS_FILE)


def _check_actor(settings: Settings, actor: str) -> None:
    """Refuse an actor the store does not hold; say so, and go on, when the store is busy (a server runs)."""
    from rdflib import RDF

    from maillage.graph.stores.base import StoreError
    from maillage.ontology.iri import IRIError, data_iri

    try:
        iri = data_iri("actor", actor)
    except IRIError:
        fail(f"identifiant d'acteur invalide : « {actor} »")
    try:
        store = open_store(settings)
    except StoreError:
        typer.echo(f"Attention : base occupée, l'acteur « {actor} » n'a pas été vérifié", err=True)
        return
    try:
        if store.value(iri, RDF.type) is None:
            fail(f"acteur inconnu : « {actor} » (importez-le d'abord, ou vérifiez l'identifiant)")
    finally:
        store.close()


@app.command()
def create(
    role: Annotated[str, typer.Option("--role", help=" | ".join(ROLES))],
    actor: Annotated[
        str | None, typer.Option("--actor", help="identifiant de l'acteur (obligatoire pour member)")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="note : à qui, pour quoi")] = "",
) -> None:
    """Créer un jeton et l'afficher une seule fois (seule son empreinte SHA-256 est gardée)."""
    settings = read_settings()
    if role not in ROLES:
        fail(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLES)})")
    if actor:
        _check_actor(settings, actor)
    try:
        record, token = open_tokens(settings).create(role, actor=actor, note=name)
    except TokenError as error:
        fail(str(error))
    typer.echo(
        f"Jeton {record.id} ({ROLE_LABELS[record.role]}) créé. "
        "Copiez-le maintenant, il ne sera plus affiché :"
    )
    typer.echo(token)


@app.command("list")
def list_tokens() -> None:
    """Lister les jetons (identifiant, rôle, acteur, création, état, note) — jamais les jetons eux-mêmes."""
    records = open_tokens(read_settings()).list()
    if not records:
        typer.echo("Aucun jeton.")
    for record in records:
        state = f"révoqué le {record.revoked}" if record.revoked else "actif"
        typer.echo(
            "\t".join((record.id, record.role, record.actor or "-", record.created, state, record.note))
        )


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(help="identifiant du jeton (voir : maillage token list)")],
) -> None:
    """Révoquer un jeton : refusé dès la requête suivante, par tous les processus de l'API."""
    try:
        record = open_tokens(read_settings()).revoke(token_id)
    except TokenError as error:
        fail(str(error))
    typer.echo(f"Jeton {record.id} révoqué le {record.revoked}.")
