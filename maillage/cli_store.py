"""`maillage copy --from SPEC --to SPEC [--replace]`: move a whole network from one store to another."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from maillage.cli_errors import fail, read_settings
from maillage.settings import BOLT_SCHEMES, Settings, open_store, redact, split_credentials

if TYPE_CHECKING:
    from maillage.graph.stores.base import Store

SPEC_HELP = (
    "oxigraph:CHEMIN (dossier de la base) ou bolt://hôte:port (aussi neo4j://, neo4j+s://…), avec "
    "identifiants : bolt://utilisateur:mot-de-passe@hôte:port ; sans, MAILLAGE_BOLT_USER et "
    "MAILLAGE_BOLT_PASSWORD"
)
EXPECTED = "oxigraph:CHEMIN, bolt://hôte:port ou bolt://utilisateur:mot-de-passe@hôte:port"


def copy_command(
    source: Annotated[str, typer.Option("--from", help=f"la base à copier : {SPEC_HELP}")],
    target: Annotated[str, typer.Option("--to", help=f"la base où copier : {SPEC_HELP}")],
    replace: Annotated[
        bool, typer.Option("--replace", help="remplacer le contenu d'une base cible qui n'est pas vide")
    ] = False,
) -> None:
    """Copier toute une base (réseau, provenance, ontologie, territoires) vers une autre, vérifiée.

    La cible doit être vide, sauf avec --replace.

    Les quads sont comptés par graphe des deux côtés avant que la copie devienne visible : en cas d'échec,
    une cible Oxigraph ou Bolt garde son contenu.

    Arrêtez d'abord tout serveur Maillage qui utilise ces bases. Les jetons de l'API ne sont pas copiés.
    """
    from maillage.graph.stores.base import StoreError
    from maillage.graph.stores.copy import copy_store

    settings = read_settings()
    check_spec(source, option="--from", must_exist=True)
    check_spec(target, option="--to", must_exist=False)
    if _same_place(source, target):
        fail(f"--from et --to désignent la même base « {redact(source)} » : rien n'a été copié")
    try:
        source_store = _open(settings, source, option="--from")
        try:
            target_store = _open(settings, target, option="--to")
            try:
                with _Progress() as progress:
                    report = copy_store(source_store, target_store, replace=replace, progress=progress)
            finally:
                target_store.close()
        finally:
            source_store.close()
    except StoreError as error:
        fail(str(error))
    typer.echo(f"{redact(source)} → {redact(target)}")
    for graph, count in report.graphs.items():
        typer.echo(f"  <{graph}> : {count} quads")
    typer.echo(report.sentence())


def check_spec(spec: str, *, option: str, must_exist: bool) -> None:
    """Refuse, in words, a spec that names no store, an in-memory one, or (`must_exist`) a missing folder."""
    kind, _, where = spec.partition(":")
    if kind == "oxigraph":
        if not where:
            fail(f"{option} oxigraph: sans chemin désigne une base en mémoire, perdue en fin de commande")
        if must_exist and not Path(where).is_dir():
            fail(f"{option} : la base Oxigraph « {where} » n'existe pas (aucun dossier à ce chemin)")
        return
    if kind in BOLT_SCHEMES and where.startswith("//"):
        return
    fail(f"{option} : « {redact(spec)} » ne désigne pas une base (attendu : {EXPECTED})")


def _same_place(source: str, target: str) -> bool:
    if source.startswith("oxigraph:") and target.startswith("oxigraph:"):
        return Path(source[9:]).resolve() == Path(target[9:]).resolve()
    return split_credentials(source)[0] == split_credentials(target)[0]


def _open(settings: Settings, spec: str, *, option: str) -> Store:
    """The store of `spec`, opened as `MAILLAGE_STORE` would open it (same syntax, same Bolt settings)."""
    from maillage.graph.stores.base import StoreError

    try:
        return open_store(dataclasses.replace(settings, store=spec))
    except StoreError as error:
        busy = " (un serveur Maillage l'utilise-t-il ? arrêtez-le)" if spec.startswith("oxigraph:") else ""
        raise StoreError(f"{option} : {error}{busy}") from error


class _Progress:
    """A transient progress bar of the quads copied, on a terminal only (rich)."""

    def __enter__(self) -> _Progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(stderr=True)
        self._bar: Any = (
            Progress(BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
            if console.is_terminal
            else None
        )
        self._task: Any = None
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("copie", total=None)
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *_exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
