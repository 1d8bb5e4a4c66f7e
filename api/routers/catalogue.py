"""/api/fields and /api/projects (the taxonomy of fields and the common projects), and /catalog: the
DCAT-AP 3 catalogue of the exports, in Turtle or JSON-LD by content negotiation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.present import field_public, project_public
from maillage.api.routers.linked_data import negotiate
from maillage.api.schemas import FieldPublic, Page, ProjectPublic
from maillage.api.search import narrower_closure
from maillage.graph.export import FORMATS, catalog_graph, graph_bytes

router = APIRouter(tags=["taxonomie et projets"])


@router.get(
    "/api/fields", response_model=Page[FieldPublic], summary="Les domaines d'activité, avec leurs effectifs"
)
def list_fields(index: IndexDep) -> Page[FieldPublic]:
    counts: dict = {}
    for actor in index.actors:
        if actor.is_public:
            for concept in actor.fields:
                counts[concept] = counts.get(concept, 0) + 1
    fields = sorted((iri for iri in index.concepts if "/concept/field/" in str(iri)), key=str)
    data = [field_public(index, iri, counts) for iri in fields]
    return Page[FieldPublic](data=data, count=len(data))


@router.get("/api/projects", response_model=Page[ProjectPublic], summary="Les projets communs")
def list_projects(
    index: IndexDep,
    field: Annotated[str | None, Query(description="clé d'un domaine (sous-domaines inclus)")] = None,
    status: Annotated[str | None, Query(description="clé d'un statut : en-projet, en-cours, termine")] = None,
    sort: Annotated[
        Literal["id", "-id", "name", "-name", "start", "-start"] | None,
        Query(description="tri : id, name (nom), start (date de début) ; « - » devant pour l'ordre inverse"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> Page[ProjectPublic]:
    fields = narrower_closure(index, field, "field") if field else None
    projects = [p for p in index.projects if fields is None or fields.intersection(p.fields)]
    if status is not None:
        projects = [p for p in projects if p.status is not None and str(p.status).endswith(f"/{status}")]
    if sort is not None:
        name = sort.lstrip("-")
        projects = sorted(
            projects,
            key=lambda p: (
                str(p.start or "") if name == "start" else p.label if name == "name" else p.key,
                p.key,
            ),
            reverse=sort.startswith("-"),
        )
    page = projects[offset : offset + limit]
    return Page[ProjectPublic](data=[project_public(index, p, lang) for p in page], count=len(projects))


@router.get(
    "/catalog",
    tags=["données liées"],
    summary="Le catalogue DCAT-AP 3 des exports (Turtle ou JSON-LD, par négociation de contenu)",
    responses={200: {"content": {"text/turtle": {}, "application/ld+json": {}}}},
)
def catalog(request: Request, state: StateDep) -> Response:
    graph = catalog_graph(state.store, state.index(), base_url=str(request.base_url))
    chosen = FORMATS[negotiate(request.headers.get("accept", "*/*"), html=False) or "turtle"]
    assert chosen.rdflib_format is not None
    return Response(
        graph_bytes(graph, chosen.rdflib_format), media_type=chosen.media_type, headers={"Vary": "Accept"}
    )
