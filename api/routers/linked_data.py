"""/id/...: every entity IRI answers Turtle, JSON-LD or N-Triples by content negotiation, or its HTML page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import Graph, URIRef

from maillage.api.deps import StateDep
from maillage.api.errors import APIError
from maillage.graph.export import FORMATS, PREFIXES
from maillage.graph.privacy import public_quads
from maillage.ontology.iri import DATA_BASE, split_data_iri

router = APIRouter(tags=["données liées"])

MEDIA = {media: name for name, (_fmt, media, _ext) in FORMATS.items() if name != "nquads"}


def negotiate(accept: str) -> str | None:
    """The export format for an Accept header, or None for HTML (browsers)."""
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
            return None
        if media in MEDIA:
            return MEDIA[media]
        if media in ("*/*", ""):
            return None
    return "turtle" if choices else None


@router.get(
    "/id/{kind}/{key}",
    summary="Une entité, par négociation de contenu",
    responses={200: {"content": {"text/turtle": {}, "application/ld+json": {}}}},
)
def describe(kind: str, key: str, request: Request, state: StateDep) -> Response:
    iri = URIRef(f"{DATA_BASE}{kind}/{key}")
    if split_data_iri(str(iri)) is None:
        raise APIError(404, f"Entité inconnue : « {kind}/{key} »")
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o, _g in public_quads(state.store, subject=iri):
        graph.add((s, p, o))
    if len(graph) == 0:
        raise APIError(404, f"Entité inconnue : « {kind}/{key} »")
    format_name = negotiate(request.headers.get("accept", "*/*"))
    if format_name is None:
        if kind == "actor":
            return RedirectResponse(f"/actors/{key}", status_code=303)
        format_name = "turtle"
    rdflib_format, media, _ext = FORMATS[format_name]
    return Response(
        graph.serialize(format=rdflib_format, encoding="utf-8"), media_type=media, headers={"Vary": "Accept"}
    )
