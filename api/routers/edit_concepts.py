"""/api/concepts/{scheme}: the taxonomy's concepts, and the ones animators add (« à compléter par les
enjeux locaux »), through the local-concept mechanism of the importer (`maillage.ingest.local_concepts`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from maillage.api.auth import CallerDep, check_role
from maillage.api.deps import StateDep
from maillage.api.edit_schemas import ConceptCreate, ConceptOut
from maillage.api.editing import CREATE_ERRORS, ETAG_HEADER, UPDATE_ERRORS, edit_errors, with_etag
from maillage.api.errors import APIError
from maillage.api.schemas import Page
from maillage.graph.stores.base import Store
from maillage.ingest.concepts import SCHEMES
from maillage.ingest.edit import WRITE_LOCK, data_quads, etag_of
from maillage.ingest.local_concepts import add_local_concept, is_local, local_concepts
from maillage.ontology.iri import concept_iri, key_of
from maillage.ontology.vocab import SKOS, ontology_graph

router = APIRouter(prefix="/api/concepts", tags=["taxonomie et projets"])
Scheme = Annotated[
    Literal[
        "field",
        "resource",
        "actor-type",
        "college",
        "membership-role",
        "participation-role",
        "partnership-kind",
        "project-status",
    ],
    Path(description="Schéma de concepts"),
]


def _concepts(store: Store, scheme: str) -> list[ConceptOut]:
    """Every concept of a scheme: the ontology's, then the local ones, each with its labels and parents."""
    scheme_iri = SCHEMES[scheme]
    graphs = ((ontology_graph(), False), (local_concepts(store), True))
    found = []
    for graph, local in graphs:
        for concept in sorted(set(graph.subjects(SKOS.inScheme, scheme_iri)), key=str):
            labels = {o.language: str(o) for o in graph.objects(concept, SKOS.prefLabel) if o.language}
            broader = sorted(key_of(str(b)) for b in graph.objects(concept, SKOS.broader))
            found.append(
                ConceptOut(
                    key=key_of(str(concept)),
                    iri=str(concept),
                    scheme=scheme,
                    labels=labels,
                    broader=broader,
                    local=local,
                )
            )
    return found


@router.get("/{scheme}", response_model=Page[ConceptOut], summary="Les concepts d'un schéma")
def list_concepts(
    scheme: Scheme,
    state: StateDep,
    local: Annotated[
        bool | None, Query(description="vrai : seulement les concepts ajoutés localement")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[ConceptOut]:
    found = [c for c in _concepts(state.store, scheme) if local is None or c.local == local]
    return Page[ConceptOut](data=found[offset : offset + limit], count=len(found))


@router.get(
    "/{scheme}/{key}",
    response_model=ConceptOut,
    summary="Un concept, avec sa version (ETag)",
    responses={404: UPDATE_ERRORS[404], 200: {"headers": ETAG_HEADER}},
)
def get_concept(scheme: Scheme, key: str, state: StateDep) -> Response:
    found = next((c for c in _concepts(state.store, scheme) if c.key == key), None)
    if found is None:
        raise APIError(404, f"Concept inconnu dans le schéma « {scheme} » : « {key} »")
    etag = etag_of(data_quads(state.store, [concept_iri(scheme, key)])) if found.local else None
    return with_etag(found, etag)


@router.post(
    "/{scheme}",
    status_code=201,
    response_model=ConceptOut,
    summary="Ajouter un concept local à un schéma",
    description="Réservé aux jetons « animator » ou « admin ». Le libellé français est obligatoire ; la "
    "clé et les libellés ne doivent pas déjà désigner un concept du schéma. L'ajout est daté et attribué "
    "au jeton.",
    responses={**CREATE_ERRORS, 201: {"headers": ETAG_HEADER}},
    openapi_extra={"x-role": "animator"},
)
def create_concept(scheme: Scheme, body: ConceptCreate, caller: CallerDep, state: StateDep) -> Response:
    check_role(caller, "animator")
    with edit_errors(), WRITE_LOCK:
        iri = add_local_concept(
            state.store,
            scheme,
            body.key,
            labels=dict(body.labels),
            broader=body.broader,
            alt_labels=tuple(body.alt_labels),
            source=f"API Maillage, jeton {caller.token_id} (rôle {caller.role})",
        )
    assert is_local(iri, state.store)
    found = next(c for c in _concepts(state.store, scheme) if c.key == body.key)
    etag = etag_of(data_quads(state.store, [iri]))
    return with_etag(found, etag, status=201, location=f"/api/concepts/{scheme}/{body.key}")
