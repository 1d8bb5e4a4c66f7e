"""/api/fields and /api/projects: the taxonomy of fields and the common projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from maillage.api.deps import IndexDep, LangDep
from maillage.api.present import field_public, project_public
from maillage.api.routers.actors import narrower_closure
from maillage.api.schemas import FieldPublic, Page, ProjectPublic

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
    lang: LangDep = "fr",
) -> Page[ProjectPublic]:
    fields = narrower_closure(index, field, "field") if field else None
    projects = [p for p in index.projects if fields is None or fields.intersection(p.fields)]
    return Page[ProjectPublic](data=[project_public(index, p, lang) for p in projects], count=len(projects))
