"""`maillage concepts [list] SCHEME | concepts add …` and `maillage merge A B`: the taxonomy and the actors
as animators curate them."""

from __future__ import annotations

import os
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from maillage.cli_errors import fail, opened_store, read_settings

SCHEME_HELP = (
    "field, resource, actor-type, college, membership-role, participation-role, partnership-kind ou "
    "project-status"
)


class _ListByDefault(TyperGroup):
    """`maillage concepts SCHEME` still lists a scheme: a first word that is not a subcommand means `list`."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["list", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_ListByDefault,
    help="Les concepts des taxonomies : lister un schéma (maillage concepts SCHÉMA), ajouter un concept "
    "local.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command("list")
def list_concepts(scheme: Annotated[str, typer.Argument(help=SCHEME_HELP)]) -> None:
    """Lister les concepts d'un schéma (clé et libellé français), tels que le modèle d'import les accepte ;
    les concepts ajoutés localement sont marqués « ajout local »."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from maillage.ingest.concepts import SCHEMES
    from maillage.ingest.local_concepts import local_concepts
    from maillage.ontology.vocab import ontology_graph

    if scheme not in SCHEMES:
        fail(f"schéma inconnu : « {scheme} » (schémas : {', '.join(SCHEMES)})")
    settings = read_settings()
    local = Graph()
    if "MAILLAGE_STORE" in os.environ or settings.data_dir.exists():  # never create a store just to list
        store = opened_store(settings)
        try:
            local = local_concepts(store)
        finally:
            store.close()
    rows = []
    for graph, mark in ((ontology_graph(), ""), (local, "\t(ajout local)")):
        for concept in graph.subjects(SKOS.inScheme, SCHEMES[scheme]):
            labels = [
                o for o in graph.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "fr"
            ]
            rows.append((str(concept).rsplit("/", 1)[-1], (str(labels[0]) if labels else "") + mark))
    for key, label in sorted(rows):
        typer.echo(f"{key}\t{label}")


@app.command("add")
def add_concept(
    scheme: Annotated[str, typer.Argument(help=SCHEME_HELP)],
    key: Annotated[str, typer.Argument(help="clé du nouveau concept (lettres sans accent, chiffres, « - »)")],
    label_fr: Annotated[str, typer.Option("--label-fr", help="libellé français (obligatoire)")],
    label_es: Annotated[str | None, typer.Option("--label-es", help="libellé espagnol")] = None,
    label_eu: Annotated[str | None, typer.Option("--label-eu", help="libellé basque")] = None,
    label_en: Annotated[str | None, typer.Option("--label-en", help="libellé anglais")] = None,
    broader: Annotated[str | None, typer.Option("--broader", help="clé du concept plus large")] = None,
    alt_label: Annotated[
        list[str] | None, typer.Option("--alt-label", help="autre libellé français accepté (répétable)")
    ] = None,
) -> None:
    """Ajouter un concept à un schéma (« à compléter par les enjeux locaux »), puis relancer l'import."""
    from maillage.ingest.concepts import scheme_label
    from maillage.ingest.local_concepts import LocalConceptError, add_local_concept

    labels = {"fr": label_fr, "es": label_es, "eu": label_eu, "en": label_en}
    store = opened_store()
    try:
        iri = add_local_concept(
            store,
            scheme,
            key,
            labels={lang: text for lang, text in labels.items() if text},
            broader=broader,
            alt_labels=tuple(alt_label or ()),
        )
    except LocalConceptError as error:
        fail(str(error))
    finally:
        store.close()
    typer.echo(f"« {key} » ajouté au schéma « {scheme_label(scheme)} » : {iri}")


def merge(
    keep: Annotated[str, typer.Argument(metavar="A", help="identifiant de l'acteur gardé")],
    absorb: Annotated[str, typer.Argument(metavar="B", help="identifiant de l'acteur fusionné dans A")],
) -> None:
    """Fusionner l'acteur B dans l'acteur A (doublon) : tout ce que dit B passe à A, en une transaction ;
    les deux provenances sont gardées et l'IRI de B redirige vers A."""
    from maillage.graph.stores.base import StoreError
    from maillage.ingest.merge import MergeError, merge_actors

    store = opened_store()
    try:
        result = merge_actors(store, keep, absorb)
    except (MergeError, StoreError) as error:
        fail(str(error))
    finally:
        store.close()
    typer.echo(result.as_text())
