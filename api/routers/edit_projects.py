"""/api/projects/{id}, /api/participations and /api/partnerships: read one with its version (ETag), list
with filters, paging and sorting, and write (animators and admins only; ``If-Match`` on updates)."""

# No `from __future__ import annotations` here: the routes are made in a function, and FastAPI must see
# their body models (local names) as classes, not as strings to look up in the module.
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel
from rdflib.namespace import DCTERMS, SDO

from maillage.api.auth import Caller, CallerDep, check_role
from maillage.api.deps import StateDep
from maillage.api.edit_schemas import (
    ParticipationCreate,
    ParticipationFields,
    ParticipationOut,
    ParticipationPatch,
    PartnershipCreate,
    PartnershipFields,
    PartnershipOut,
    PartnershipPatch,
    ProjectCreate,
    ProjectFields,
    ProjectOut,
    ProjectPatch,
)
from maillage.api.editing import (
    CREATE_ERRORS,
    ETAG_HEADER,
    UPDATE_ERRORS,
    IfMatchHeader,
    author_of,
    edit_errors,
    required_versions,
    with_etag,
)
from maillage.api.errors import APIError
from maillage.api.schemas import Page
from maillage.graph.privacy import private_actors
from maillage.graph.stores.base import Store
from maillage.ingest.edit_entities import delete_entity, entity_etag, read_entity, save_entity
from maillage.ontology.iri import IRIError, data_iri, key_of
from maillage.ontology.vocab import MAI

router = APIRouter(tags=["projets, participations et partenariats"])
EntityId = Annotated[str, Path(description="Identifiant", pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")]
ANIMATOR = "Réservé aux jetons « animator » ou « admin »."


def _participation_key(body: Any) -> str:
    return f"{body.project}.{body.actor}"


def _partnership_key(body: Any) -> str:
    first, second = sorted(body.partners)
    return f"{first}.{second}"


def _fixed(kind: str, key: str, store: Store) -> dict[str, Any]:
    """The fields an update cannot change: they make the key (its project and actor, its partners)."""
    if kind == "project":
        return {}
    current = read_entity(store, kind, key) or {}
    names = ("project", "actor") if kind == "participation" else ("partners",)
    return {name: current[name] for name in names if name in current}


def _register(
    kind: str,
    path: str,
    label: str,
    models: tuple[type[BaseModel], type[BaseModel], type[BaseModel], type[BaseModel]],
    key_of_body: Callable[[Any], str],
) -> None:
    """GET one, POST, PUT, PATCH and DELETE of one kind of entity, at `path` and `path/{id}`."""
    create_model, fields_model, patch_model, out_model = models

    def read_one(entity_id: EntityId, state: StateDep) -> Response:
        values = read_entity(state.store, kind, entity_id) if _valid(entity_id) else None
        if values is None or _names_private(state.store, values):
            raise APIError(404, f"{label.capitalize()} inconnu·e : « {entity_id} »")
        return with_etag(out_model(**values), entity_etag(state.store, kind, entity_id))

    def create(body: create_model, caller: CallerDep, state: StateDep) -> Response:  # type: ignore[valid-type]
        check_role(caller, "animator")
        key = key_of_body(body)
        with edit_errors():
            result = save_entity(
                state.store,
                kind,
                key,
                body.model_dump(exclude={"id"}),
                author=author_of(caller),  # type: ignore[attr-defined]
                if_match=None,
                create=True,
                replace=True,
            )
        out = out_model(**read_entity(state.store, kind, key) or {})
        return with_etag(out, result.etag, status=201, location=f"{path}/{key}")

    def update(
        entity_id: str,
        changes: dict[str, Any],
        caller: Caller,
        store: Store,
        if_match: str | None,
        *,
        replace: bool,
    ) -> Response:
        check_role(caller, "animator")
        versions = required_versions(if_match)
        with edit_errors():
            fixed = _fixed(kind, entity_id, store)
            result = save_entity(
                store,
                kind,
                entity_id,
                {**changes, **fixed},
                author=author_of(caller),
                if_match=versions,
                create=False,
                replace=replace,
            )
        return with_etag(out_model(**read_entity(store, kind, entity_id) or {}), result.etag)

    def replace(
        entity_id: EntityId,
        body: fields_model,
        caller: CallerDep,
        state: StateDep,  # type: ignore[valid-type]
        if_match: IfMatchHeader = None,
    ) -> Response:
        return update(entity_id, body.model_dump(), caller, state.store, if_match, replace=True)  # type: ignore[attr-defined]

    def patch(
        entity_id: EntityId,
        body: patch_model,
        caller: CallerDep,
        state: StateDep,  # type: ignore[valid-type]
        if_match: IfMatchHeader = None,
    ) -> Response:
        changes = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        return update(entity_id, changes, caller, state.store, if_match, replace=False)

    def delete(
        entity_id: EntityId, caller: CallerDep, state: StateDep, if_match: IfMatchHeader = None
    ) -> Response:
        check_role(caller, "animator")
        versions = required_versions(if_match)
        with edit_errors():
            delete_entity(state.store, kind, entity_id, author=author_of(caller), if_match=versions)
        return Response(status_code=204)

    for function in (read_one, create, replace, patch, delete):
        function.__name__ = f"{function.__name__}_{kind}"
    one = path + "/{entity_id}"
    note = ANIMATOR + " En-tête If-Match obligatoire."
    extra = {"x-role": "animator"}
    router.get(
        one,
        response_model=out_model,
        summary=f"Un·e {label}, avec sa version (ETag)",
        responses={404: UPDATE_ERRORS[404], 200: {"headers": ETAG_HEADER}},
    )(read_one)
    router.post(
        path,
        status_code=201,
        response_model=out_model,
        summary=f"Créer un·e {label}",
        description=ANIMATOR + " Les valeurs sont vérifiées par les formes SHACL.",
        responses={**CREATE_ERRORS, 201: {"headers": ETAG_HEADER}},
        openapi_extra=extra,
    )(create)
    router.put(
        one,
        response_model=out_model,
        summary=f"Remplacer un·e {label} (champs absents effacés)",
        description=note,
        responses=UPDATE_ERRORS,
        openapi_extra=extra,
    )(replace)
    router.patch(
        one,
        response_model=out_model,
        summary=f"Modifier un·e {label}",
        description=note,
        responses=UPDATE_ERRORS,
        openapi_extra=extra,
    )(patch)
    description = note + (" Supprime aussi ses participations." if kind == "project" else "")
    router.delete(
        one,
        status_code=204,
        summary=f"Supprimer un·e {label}",
        description=description,
        responses=UPDATE_ERRORS,
        openapi_extra=extra,
    )(delete)


def _valid(key: str) -> bool:
    try:
        data_iri("actor", key)
        return True
    except IRIError:
        return False


def _names_private(store: Store, values: dict[str, Any]) -> bool:
    """Whether an entity names a private person (then the public may not see it)."""
    named = [values.get("actor"), *(values.get("partners") or [])]
    private = {key_of(str(a)) for a in private_actors(store)} if any(named) else set()
    return any(name in private for name in named if name)


_register(
    "project",
    "/api/projects",
    "projet",
    (ProjectCreate, ProjectFields, ProjectPatch, ProjectOut),
    lambda b: b.id,
)
_register(
    "participation",
    "/api/participations",
    "participation",
    (ParticipationCreate, ParticipationFields, ParticipationPatch, ParticipationOut),
    _participation_key,
)
_register(
    "partnership",
    "/api/partnerships",
    "partenariat",
    (PartnershipCreate, PartnershipFields, PartnershipPatch, PartnershipOut),
    _partnership_key,
)


# -- lists ----------------------------------------------------------------------------------------------


def _column(store: Store, predicate: Any) -> dict[str, list[str]]:
    """subject IRI → the values of one predicate (keys of IRIs, lexical forms of literals), in one read."""
    found: dict[str, list[str]] = {}
    for subject, value, datatype, language in store.rows(predicate):
        if language and language != "fr":
            continue
        found.setdefault(subject, []).append(value if datatype else key_of(value))
    return found


def _page(
    items: list[dict[str, Any]], sort: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    name = sort.lstrip("-")
    ordered = sorted(
        items, key=lambda item: (str(item.get(name) or ""), item["id"]), reverse=sort.startswith("-")
    )
    return ordered[offset : offset + limit], len(ordered)


Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@router.get(
    "/api/participations", response_model=Page[ParticipationOut], summary="Les participations aux projets"
)
def list_participations(
    state: StateDep,
    project: Annotated[str | None, Query(description="identifiant d'un projet")] = None,
    actor: Annotated[str | None, Query(description="identifiant d'un acteur")] = None,
    role: Annotated[str | None, Query(description="porteur, partenaire, financeur ou beneficiaire")] = None,
    sort: Annotated[Literal["id", "-id", "project", "actor", "role", "start", "-start"], Query()] = "id",
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[ParticipationOut]:
    """Les personnes qui n'ont pas consenti à être publiques n'y figurent pas."""
    store = state.store
    projects, actors, roles = (
        _column(store, p) for p in (MAI.project, MAI.participant, MAI.participationRole)
    )
    starts, ends = _column(store, SDO.startDate), _column(store, SDO.endDate)
    private = {key_of(str(a)) for a in private_actors(store)}
    items = []
    for subject, (project_key, *_rest) in projects.items():
        if not subject.startswith("https://w3id.org/maillage/id/participation/"):
            continue
        values = {
            "id": key_of(subject),
            "project": project_key,
            "actor": (actors.get(subject) or [""])[0],
            "role": (roles.get(subject) or [""])[0],
            "start": (starts.get(subject) or [None])[0],
            "end": (ends.get(subject) or [None])[0],
        }
        wanted = (project, values["project"]), (actor, values["actor"]), (role, values["role"])
        if values["actor"] not in private and all(ask is None or ask == got for ask, got in wanted):
            items.append(values)
    data, count = _page(items, sort, limit, offset)
    return Page[ParticipationOut](data=[ParticipationOut(**v) for v in data], count=count)


@router.get(
    "/api/partnerships", response_model=Page[PartnershipOut], summary="Les partenariats entre acteurs"
)
def list_partnerships(
    state: StateDep,
    actor: Annotated[str | None, Query(description="identifiant d'un des deux acteurs")] = None,
    kind: Annotated[
        str | None, Query(description="contrat, fournisseur, financement, locaux-partages, informel")
    ] = None,
    sort: Annotated[Literal["id", "-id", "kind", "start", "-start"], Query()] = "id",
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[PartnershipOut]:
    """Les partenariats d'une personne qui n'a pas consenti à être publique n'y figurent pas."""
    store = state.store
    partners, kinds = _column(store, MAI.partner), _column(store, MAI.partnershipKind)
    descriptions = _column(store, DCTERMS.description)
    starts, ends = _column(store, SDO.startDate), _column(store, SDO.endDate)
    private = {key_of(str(a)) for a in private_actors(store)}
    items = []
    for subject, pair in partners.items():
        values = {
            "id": key_of(subject),
            "partners": sorted(pair),
            "kind": (kinds.get(subject) or [""])[0],
            "description": (descriptions.get(subject) or [None])[0],
            "start": (starts.get(subject) or [None])[0],
            "end": (ends.get(subject) or [None])[0],
        }
        if (
            private & set(pair)
            or (actor is not None and actor not in pair)
            or kind not in (None, values["kind"])
        ):
            continue
        items.append(values)
    data, count = _page(items, sort, limit, offset)
    return Page[PartnershipOut](data=[PartnershipOut(**v) for v in data], count=count)
