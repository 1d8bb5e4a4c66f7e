"""Linked data: /id/... (every entity IRI by content negotiation), /export/... (the dumps, streamed) and
/ns/context/v1.jsonld (the published JSON-LD context).

Each route serves what its caller may see (`maillage.graph.privacy`): the public data without a token,
also the e-mails and phones for a member, everything for an animator — the caller's `audience` is the one
switch the exports and `visible_quads` take.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from rdflib import RDF
from rdflib.namespace import DCTERMS

from maillage.api.auth import CallerDep
from maillage.api.deps import StateDep
from maillage.api.errors import APIError
from maillage.api.views import group_colors, group_name
from maillage.graph.export import (
    BY_EXTENSION,
    CONTEXT_PATH,
    CONTEXT_VERSION,
    DATASETS,
    FORMATS,
    ExportError,
    as_graph,
    check_export,
    export_chunks,
)
from maillage.graph.index import NetworkIndex
from maillage.graph.privacy import private_actors, visible_quads
from maillage.ontology.iri import DATA_BASE, IRIError, data_iri
from maillage.viz.palette import OTHER_COLOR

router = APIRouter(tags=["données liées"])

NEGOTIABLE = ("turtle", "jsonld", "rdfxml", "nt")
MEDIA = {FORMATS[name].media_type: name for name in NEGOTIABLE}


def negotiate(accept: str, *, html: bool = True) -> str | None:
    """The RDF format for an Accept header, or None for HTML (browsers; with `html=False`, Turtle).

    >>> negotiate("application/ld+json;q=0.9, text/turtle;q=0.5"), negotiate("text/html,*/*")
    ('jsonld', None)
    """
    choices = []
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        choices.append((quality, media.strip().lower()))
    for _quality, media in sorted(choices, key=lambda c: -c[0]):
        if media in ("text/html", "application/xhtml+xml"):
            return None if html else "turtle"
        if media in MEDIA:
            return MEDIA[media]
        if media in ("*/*", ""):
            return None if html else "turtle"
    return "turtle" if choices or not html else None


@router.get(
    "/id/{kind}/{key}",
    summary="Une entité, par négociation de contenu",
    responses={200: {"content": {FORMATS[name].media_type: {} for name in NEGOTIABLE}}},
)
def describe(kind: str, key: str, request: Request, state: StateDep, caller: CallerDep) -> Response:
    try:  # a key that cannot be an IRI (a space, a quote) names no entity, and no store can be asked about it
        iri = data_iri(kind, key)
    except IRIError:
        raise APIError(404, f"Entité inconnue : « {kind}/{key} »") from None
    # An actor merged into another (`maillage merge`): its IRI answers with the one that replaces it.
    keeper = next((s for s, _p, _o in state.store.triples(None, DCTERMS.replaces, iri)), None)
    if keeper is not None and state.store.value(iri, RDF.type) is None:
        hidden = not caller.audience.sees_private_persons and keeper in private_actors(state.store)
        if hidden:  # its key would leak through the Location header
            raise APIError(404, f"Entité inconnue : « {kind}/{key} »")
        return RedirectResponse(str(keeper).replace(DATA_BASE, "/id/", 1), status_code=301)
    graph = as_graph(visible_quads(state.store, caller.audience, subject=iri))
    if len(graph) == 0:
        raise APIError(404, f"Entité inconnue : « {kind}/{key} »")
    format_name = negotiate(request.headers.get("accept", "*/*"))
    if format_name is None:
        if kind == "actor":
            return RedirectResponse(f"/actors/{key}", status_code=303)
        format_name = "turtle"
    chosen = FORMATS[format_name]
    return Response(
        graph.serialize(format=chosen.rdflib_format, encoding="utf-8"),
        media_type=chosen.media_type,
        headers={"Vary": "Accept, Authorization, Cookie"},
    )


def actor_colors(index: NetworkIndex, mode: str = "domaine") -> dict[str, str]:
    """Each public actor's colour on the network page (`mode` ``domaine`` or ``college``), for Gephi."""
    palette = group_colors(index, mode)
    # as on the page: groups beyond the palette share the grey of OTHER_GROUPS
    return {a.key: palette.get(group_name(index, a, mode), OTHER_COLOR) for a in index.actors if a.is_public}


@router.get(
    "/export/{filename}",
    summary="Un jeu de données dans un format (en flux ; ce que le rôle de l'appelant peut voir)",
    description="Jeux : "
    + ", ".join(DATASETS)
    + ". Extensions : "
    + ", ".join(f"{f.extension} ({f.label})" for f in FORMATS.values())
    + ". Par exemple `/export/reseau.ttl`, `/export/acteurs.geojson`, `/export/reseau.csv.zip`. "
    "Le catalogue DCAT-AP de ces fichiers est à `/catalog`. Sans jeton : les données publiques ; jeton "
    "member : aussi les courriels et téléphones ; jeton animator : tout, personnes sans consentement "
    "et notes internes comprises.",
)
def export(filename: str, state: StateDep, caller: CallerDep) -> StreamingResponse:
    dataset, _, extension = filename.partition(".")
    chosen = BY_EXTENSION.get(extension)
    if chosen is None:
        raise APIError(
            404,
            f"Export inconnu : « {filename} » (extension « {extension} » inconnue ; "
            f"extensions : {', '.join(BY_EXTENSION)})",
        )
    try:
        check_export(dataset, chosen.name)
    except ExportError as error:
        raise APIError(404, str(error)) from None
    index = state.index()
    chunks: Iterator[bytes] = export_chunks(
        state.store,
        chosen.name,
        dataset=dataset,
        audience=caller.audience,
        aligned=True,
        index=index,
        colors=actor_colors(index) if chosen.name in ("gexf", "graphml") else None,
    )
    return StreamingResponse(
        chunks,
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Vary": "Authorization, Cookie",
        },
    )


@router.get(
    f"/ns/context/{CONTEXT_VERSION}.jsonld",
    summary="Le contexte JSON-LD publié (versionné) des exports",
    response_class=FileResponse,
)
def context() -> FileResponse:
    return FileResponse(CONTEXT_PATH, media_type="application/ld+json")
