"""The `maillage` command: import, serve, synergies, export. Errors print as one clear line."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from maillage import cli_backup
from maillage.cli_curation import app as concepts_app
from maillage.cli_curation import merge
from maillage.cli_errors import fail, opened_store, read_settings
from maillage.cli_store import copy_command
from maillage.cli_tokens import app as token_app
from maillage.cli_tokens import open_tokens
from maillage.settings import get_sparql_limits

app = typer.Typer(
    help="Maillage : le graphe de connaissances d'un réseau de coopération territoriale.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(token_app, name="token")
app.add_typer(concepts_app, name="concepts")
app.command("merge")(merge)
app.command("copy")(copy_command)
cli_backup.register(app)

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "sample" / "ptce-sud-aquitain"


@app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="fichier CSV, XLSX, Turtle, JSON-LD, N-Triples, ou dossier de CSV")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="vérifier sans rien écrire")] = False,
    keep_valid: Annotated[
        bool, typer.Option("--keep-valid", help="importer les lignes valides et lister les autres")
    ] = False,
    json_report: Annotated[bool, typer.Option("--json", help="rapport en JSON")] = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="lecteur à utiliser (gogocarto, projets-ue, fse-euskadi, naf, essglobal, turtle, …) ;"
            " par défaut reconnu d'après le contenu et l'extension",
        ),
    ] = None,
) -> None:
    """Importer un tableur (modèle d'import), un fichier RDF ou un jeu de données public : tout ou rien."""
    from maillage.graph.stores.base import StoreError
    from maillage.ingest.importer import import_path
    from maillage.ingest.report import ImportRefusedError

    if not path.exists():
        fail(f"{path} : fichier ou dossier introuvable")
    from maillage.cli_progress import ImportProgressBar

    store = opened_store()
    # a bar only on a terminal and for the text report; ImportProgressBar waits a moment before drawing
    bar = ImportProgressBar() if sys.stdout.isatty() and not json_report else None
    try:
        if bar is None:
            report = import_path(store, path, dry_run=dry_run, keep_valid=keep_valid, source=source)
        else:
            with bar:
                report = import_path(
                    store, path, dry_run=dry_run, keep_valid=keep_valid, progress=bar, source=source
                )
    except ImportRefusedError as refused:
        typer.echo(refused.report.as_json() if json_report else refused.report.as_text(), err=True)
        raise typer.Exit(1) from None
    except StoreError as error:
        fail(str(error))
    finally:
        store.close()
    typer.echo(report.as_json() if json_report else report.as_text())


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="fichier ou dossier à vérifier")],
    json_report: Annotated[bool, typer.Option("--json", help="rapport en JSON")] = False,
) -> None:
    """Vérifier un fichier sans rien importer (comme import --dry-run)."""
    import_command(path, dry_run=True, keep_valid=False, json_report=json_report)


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="classeur .xlsx à écrire")],
    empty: Annotated[bool, typer.Option("--vide", help="seulement les en-têtes, sans l'exemple")] = False,
) -> None:
    """Écrire le modèle d'import : un classeur rempli avec le réseau d'exemple (fictif), ou vide."""
    from maillage.ingest.importer import read_tables
    from maillage.ingest.readers.table import Table
    from maillage.ingest.readers.xlsx import write_xlsx
    from maillage.ingest.template import SHEETS, SHEETS_BY_NAME

    if output.suffix.lower() != ".xlsx":
        fail(f"{output} : le modèle s'écrit en .xlsx")
    tables = (
        [Table(file=output.name, sheet=s.name, header=s.column_names(), rows=[]) for s in SHEETS]
        if empty
        else read_tables(SAMPLE)
    )
    for table in tables:  # the sample leaves some columns out (contacts): the model shows them all
        sheet = SHEETS_BY_NAME.get(table.sheet)
        if sheet is not None:
            table.header += [name for name in sheet.column_names() if name not in table.header]
    try:
        output.write_bytes(write_xlsx(tables))
    except OSError as error:
        fail(f"{output} : écriture impossible ({error.strerror})")
    typer.echo(f"{output} : modèle {'vide' if empty else 'rempli avec le réseau d’exemple'} écrit")


@app.command("sample-path")
def sample_path() -> None:
    """Afficher le dossier du réseau d'exemple (fictif) livré avec Maillage."""
    typer.echo(str(SAMPLE))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="adresse d'écoute (défaut 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (défaut 8000)")] = None,
) -> None:
    """Servir l'interface web et l'API."""
    import uvicorn

    from maillage.api.app import create_app, warm_up

    settings = read_settings()
    try:
        limits = get_sparql_limits()
    except ValueError as error:  # a setting that makes no sense: said before anything opens
        fail(str(error))
    store = opened_store(settings)
    try:
        application = create_app(store, tokens=open_tokens(settings), sparql_limits=limits)
        warm_up(application, sparql=settings.sparql_at_start)
        uvicorn.run(
            application,
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
        )
    finally:
        store.close()


@app.command()
def synergies(
    actor: Annotated[str, typer.Argument(help="identifiant de l'acteur")],
    limit: Annotated[int, typer.Option(min=1, max=200)] = 10,
    lang: Annotated[str, typer.Option(help="fr ou en")] = "fr",
) -> None:
    """Lister les synergies d'un acteur, avec leurs raisons."""
    from maillage.graph.index import build_index
    from maillage.graph.synergies import UnknownActorError, synergies_for_actor

    if lang not in ("fr", "en"):
        fail(f"langue inconnue : « {lang} » (fr ou en)")
    store = opened_store()
    try:
        index = build_index(store)
        row = index.position.get(actor)
        if row is None or not index.actors[row].is_public:
            raise UnknownActorError(actor)
        items = synergies_for_actor(index, actor, limit=limit)
    except UnknownActorError:
        fail(f"acteur inconnu : « {actor} »")
    finally:
        store.close()
    if not items:
        typer.echo("Aucune synergie trouvée.")
    for rank, item in enumerate(items, 1):
        typer.echo(f"{rank}. {index.actors[index.position[item.target]].label} — score {item.score:.2f}")
        for reason in item.reasons:
            typer.echo(f"   {reason.sentence(index, lang=lang)}")


@app.command()
def overlaps(
    actor: Annotated[
        str | None, typer.Argument(help="identifiant d'un acteur (sinon tout le réseau)")
    ] = None,
    radius: Annotated[float, typer.Option(min=0.1, max=1000, help="distance maximale en km")] = 30.0,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    duplicates: Annotated[
        bool, typer.Option("--duplicates", help="lister plutôt les doublons probables")
    ] = False,
    lang: Annotated[str, typer.Option(help="fr ou en")] = "fr",
) -> None:
    """Lister les chevauchements d'activité (qui fait déjà la même chose à proximité) ou les doublons."""
    from maillage.graph.index import build_index
    from maillage.graph.overlaps import UnknownActorError, activity_overlaps, duplicate_records

    if lang not in ("fr", "en"):
        fail(f"langue inconnue : « {lang} » (fr ou en)")
    store = opened_store()
    try:
        index = build_index(store)
        if duplicates:
            sentences = [c.sentence(index, lang) for c in duplicate_records(index, store, limit=limit)]
        else:
            items = activity_overlaps(index, actor_key=actor, radius_km=radius, limit=limit)
            sentences = [f"{o.score:.2f} — {o.sentence(index, lang)}" for o in items]
    except UnknownActorError:
        fail(f"acteur inconnu : « {actor} »")
    finally:
        store.close()
    if not sentences:
        typer.echo("Aucun doublon trouvé." if duplicates else "Aucun chevauchement trouvé.")
    for rank, sentence in enumerate(sentences, 1):
        typer.echo(f"{rank}. {sentence}")


@app.command()
def check(
    path: Annotated[Path, typer.Argument(help="projet proposé : fichier YAML (.yaml, .yml) ou JSON (.json)")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="nombre de correspondances affichées")] = 10,
    lang: Annotated[str, typer.Option(help="fr ou en")] = "fr",
    json_output: Annotated[bool, typer.Option("--json", help="la réponse de l'API, en JSON")] = False,
) -> None:
    """Vérifier un projet commun proposé (subsidiarité) : doublon, chevauchement, complément ou nouveau."""
    import json

    from maillage.graph.index import build_index
    from maillage.graph.project_check import ProposalError, check_project, load_proposal, store_territories

    if lang not in ("fr", "en"):
        fail(f"langue inconnue : « {lang} » (fr ou en)")
    try:
        proposal = load_proposal(path)
    except ProposalError as error:
        fail(str(error))
    store = opened_store()
    try:
        index = build_index(store)
        result = check_project(index, proposal, limit=limit, territories=store_territories(index, store))
    except ProposalError as error:
        fail(f"{path.name} : " + " ; ".join(problem.rule for problem in error.problems))
    finally:
        store.close()
    if json_output:
        from maillage.api.routers.project_check import check_public

        typer.echo(json.dumps(check_public(index, result, lang).model_dump(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"Verdict : {result.verdict.label(lang)}")
    typer.echo(result.verdict.sentence(index, lang))
    for need in result.needs_met:
        typer.echo(f"  • {need.sentence(index, lang)}")
    for rank, match in enumerate(result.matches, 1):
        typer.echo(f"{rank}. {match.label} — score {match.score:.2f}")
        typer.echo(f"   {match.sentence(index, lang)}")


METRICS = ("centralites", "passerelles", "communautes", "peripherie", "manques", "evolution")


@app.command()
def metrics(
    what: Annotated[str, typer.Argument(help=", ".join(METRICS))] = "centralites",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    seed: Annotated[int, typer.Option(help="graine (communautés, intermédiarité échantillonnée)")] = 0,
    dimension: Annotated[str, typer.Option(help="domaines, colleges ou frontiere")] = "domaines",
    tri: Annotated[str, typer.Option(help="betweenness, degree ou eigenvector")] = "betweenness",
) -> None:
    """Indicateurs du réseau : centralités, passerelles, communautés, périphérie, manques, évolution."""
    from maillage.graph import metrics as m
    from maillage.graph.index import build_index

    if what not in METRICS:
        fail(f"indicateur inconnu : « {what} » ({', '.join(METRICS)})")
    store = opened_store()
    lines: list[str] = []
    try:
        index = build_index(store)
        if what == "centralites":
            result = m.centralities(index, seed=seed)
            lines.append(result.betweenness_method.sentence())
            lines += [
                f"{a.key}\t{a.degree}\t{a.betweenness:.4f}\t{a.eigenvector:.4f}"
                for a in result.ranked(tri)[:limit]
            ]  # type: ignore[arg-type]
        elif what == "passerelles":
            lines += [b.sentence(index) for b in m.brokers(index, dimension=dimension, limit=limit)]  # type: ignore[arg-type]
        elif what == "communautes":
            found = m.communities(index, seed=seed)
            lines.append(f"{found.method} ; modularité {found.modularity:.3f}")
            lines += [c.sentence(index) for c in found.communities[:limit]]
        elif what == "peripherie":
            lines += [p.sentence(index) for p in m.peripheral_actors(index)[:limit]]
        elif what == "manques":
            gaps = m.gaps(index)
            lines += [item.sentence(index) for item in (*gaps.needs[:limit], *gaps.fields[:limit])]
        else:
            lines += [y.sentence() for y in m.evolution(index, m.read_dated_network(store, index))]
    except ValueError as error:
        fail(str(error))
    finally:
        store.close()
    for line in lines:
        typer.echo(line)


class ExportFormat(str, Enum):
    turtle = "turtle"
    jsonld = "jsonld"
    nt = "nt"
    rdfxml = "rdfxml"
    nquads = "nquads"
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"
    geojson = "geojson"
    catalogue = "catalogue"


class ExportAudience(str, Enum):
    public = "public"
    reseau = "reseau"
    animateurs = "animateurs"


@app.command()
def export(
    format: Annotated[  # noqa: A002
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="turtle, jsonld, nt, rdfxml, nquads, gexf, graphml, csv (zip), geojson, "
            "ou catalogue (DCAT-AP, Turtle ou JSON-LD selon l'extension)",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="fichier à écrire ; - pour la sortie standard")
    ],
    dataset: Annotated[
        str, typer.Option("--dataset", "-d", help="reseau (défaut), acteurs, projets ou taxonomie")
    ] = "reseau",
    base_url: Annotated[
        str, typer.Option("--base-url", help="adresse publique du serveur (liens du catalogue)")
    ] = "http://127.0.0.1:8000/",
    audience: Annotated[
        ExportAudience,
        typer.Option(
            "--audience",
            "-a",
            help="pour qui : public (défaut), reseau (+ courriels et téléphones des membres) ou animateurs "
            "(+ notes internes et personnes sans consentement)",
        ),
    ] = ExportAudience.public,
) -> None:
    """Exporter les données du réseau (données liées alignées sur schema.org et ESSGlobal, Gephi, CSV,
    GeoJSON) — publiques par défaut — ou le catalogue DCAT-AP qui les décrit (toujours public)."""
    from maillage.graph.export import ExportError, catalog_graph, check_export, export_chunks, graph_bytes
    from maillage.graph.index import build_index
    from maillage.graph.privacy import Audience

    level = {"public": Audience.PUBLIC, "reseau": Audience.NETWORK, "animateurs": Audience.ANIMATORS}[
        audience.value
    ]
    if format is ExportFormat.catalogue and level is not Audience.PUBLIC:
        fail("--audience : le catalogue DCAT-AP décrit les données publiques ; il n'a pas d'autre audience")
    if format is not ExportFormat.catalogue:
        try:
            check_export(dataset, format.value)
        except ExportError as error:
            fail(str(error))
    store = opened_store()
    written = 0
    try:
        index = build_index(store)
        if format is ExportFormat.catalogue:
            graph = catalog_graph(store, index, base_url=base_url)
            chunks = iter([graph_bytes(graph, "json-ld" if output.suffix == ".jsonld" else "turtle")])
        else:
            colors = None
            if format in (ExportFormat.gexf, ExportFormat.graphml):
                from maillage.api.routers.linked_data import actor_colors

                colors = actor_colors(index)
            chunks = export_chunks(
                store,
                format.value,
                dataset=dataset,
                aligned=True,
                index=index,
                colors=colors,
                audience=level,
            )
        target = sys.stdout.buffer if str(output) == "-" else output.open("wb")
        try:
            for chunk in chunks:
                target.write(chunk)
                written += len(chunk)
        finally:
            if target is not sys.stdout.buffer:
                target.close()
    except OSError as error:
        fail(f"{output} : écriture impossible ({error.strerror})")
    finally:
        store.close()
    if str(output) != "-":
        typer.echo(f"{output} : {written} octets écrits")
    if level is not Audience.PUBLIC:
        typer.echo(
            f"Attention : export pour les {level.label}, avec des champs non publics — à ne pas publier.",
            err=True,
        )


@app.command()
def push(
    url: Annotated[
        str,
        typer.Argument(help="point d'accès SPARQL Graph Store, ex. http://hôte:8890/sparql-graph-crud-auth"),
    ],
    graph: Annotated[str, typer.Option("--graph", help="IRI du graphe nommé à remplacer")],
    format: Annotated[str, typer.Option("--format", help="nt ou turtle")] = "nt",  # noqa: A002
    chunk_triples: Annotated[
        int, typer.Option("--chunk-triples", min=1, help="triplets par requête")
    ] = 20_000,
    sparql_endpoint: Annotated[
        str | None, typer.Option("--sparql-endpoint", help="où compter les triplets (défaut : Virtuoso)")
    ] = None,
    retries: Annotated[int, typer.Option(min=0, max=10, help="nouveaux essais par requête")] = 3,
) -> None:
    """Remplacer un graphe nommé d'un entrepôt distant par les données publiques, puis compter.

    Identifiants : MAILLAGE_PUSH_USER, MAILLAGE_PUSH_PASSWORD, MAILLAGE_PUSH_AUTH (digest ou basic).
    """
    from maillage.graph.push import PushError, auth_from_environment, push_public

    store = opened_store()
    try:
        report = push_public(
            store,
            url,
            graph_iri=graph,
            format_name=format,
            chunk_triples=chunk_triples,
            sparql_endpoint=sparql_endpoint,
            auth=auth_from_environment(),
            retries=retries,
        )
    except PushError as error:
        fail(str(error))
    finally:
        store.close()
    typer.echo(report.sentence())
