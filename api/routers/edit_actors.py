"""Writes on /api/actors: create, replace, patch and delete actors, and their needs and offers.

Animators and admins write everything; a member writes its own actor's description, e-mail, phone, needs
and offers (`maillage.api.editing.member_fields`). Updates and deletes need ``If-Match`` (the ``ETag`` of a
read, made with the same token: each audience has its own version). A caller reads and writes only the
fields its role may see (`maillage.ingest.edit_slots.withheld_fields`): the public no e-mail or phone, a
member no internal note, which its writes keep as they are.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from maillage.api.auth import Caller, CallerDep, check_role
from maillage.api.deps import StateDep
from maillage.api.edit_schemas import (
    ActorCreate,
    ActorFields,
    ActorOut,
    ActorPatch,
    ResourceCreate,
    ResourceFields,
    ResourceOut,
    ResourcePatch,
)
from maillage.api.editing import (
    CREATE_ERRORS,
    ETAG_HEADER,
    MEMBER_ACTOR_FIELDS,
    UPDATE_ERRORS,
    IfMatchHeader,
    author_of,
    edit_errors,
    member_fields,
    required_versions,
    with_etag,
)
from maillage.api.errors import APIError
from maillage.api.schemas import Page
from maillage.graph.privacy import is_private_actor
from maillage.graph.stores.base import Store
from maillage.ingest.edit_entities import (
    delete_entity,
    entity_etag,
    entity_iri,
    read_entity,
    save_entity,
)
from maillage.ingest.edit_slots import ACTOR, withheld_fields
from maillage.ontology.vocab import MAI, RDF

router = APIRouter(prefix="/api/actors", tags=["acteurs"])

ActorId = Annotated[
    str, Path(description="Identifiant de l'acteur", pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
]
ResourceKey = Annotated[
    str, Path(description="Clé de la ressource", pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
]
ROLE_NOTE = (
    "Jeton « animator » ou « admin » ; un « member » pour son propre acteur : sa description, son courriel "
    "et son téléphone seulement (la note interne, qu'il ne voit pas, reste telle quelle)."
)


def visible_actor(store: Store, key: str, caller: Caller) -> dict[str, Any]:
    """The actor's values if this caller may read them (a private person: itself and animators), the
    fields its role may not see set to None; else 404."""
    with edit_errors():
        values = read_entity(store, "actor", key)
    hidden = values is not None and not (caller.may("animator") or caller.actor == key)
    if values is None or (hidden and is_private_actor(store, entity_iri("actor", key))):
        raise APIError(404, f"Acteur inconnu : « {key} »")
    return {**values, **dict.fromkeys(withheld_fields(ACTOR, caller.audience))}


@router.post(
    "",
    status_code=201,
    response_model=ActorOut,
    summary="Créer un acteur",
    description="Réservé aux animateur·rices. Les valeurs sont vérifiées par les formes SHACL (422 sinon, "
    "rien n'est écrit) ; l'écriture est datée et attribuée au jeton.",
    responses={**CREATE_ERRORS, 201: {"headers": ETAG_HEADER}},
    openapi_extra={"x-role": "animator"},
)
def create_actor(body: ActorCreate, caller: CallerDep, state: StateDep) -> Response:
    check_role(caller, "animator")
    values = body.model_dump(exclude={"id"})
    with edit_errors():
        result = save_entity(
            state.store,
            "actor",
            body.id,
            values,
            author=author_of(caller),
            if_match=None,
            create=True,
            replace=True,
        )
    out = ActorOut(**read_entity(state.store, "actor", body.id) or {})
    return with_etag(out, result.etag, status=201, location=f"/api/actors/{body.id}")


@router.get(
    "/{actor_id}/record",
    response_model=ActorOut,
    summary="Les valeurs modifiables d'un acteur, avec sa version (ETag)",
    responses={404: UPDATE_ERRORS[404], 200: {"headers": ETAG_HEADER}},
)
def get_actor_record(actor_id: ActorId, caller: CallerDep, state: StateDep) -> Response:
    values = visible_actor(state.store, actor_id, caller)
    return with_etag(
        ActorOut(**values), entity_etag(state.store, "actor", actor_id, audience=caller.audience)
    )


def _update_actor(
    actor_id: str,
    changes: dict[str, Any],
    caller: Caller,
    store: Store,
    if_match: str | None,
    *,
    replace: bool,
) -> Response:
    allowed = member_fields(caller, actor_id, MEMBER_ACTOR_FIELDS)
    versions = required_versions(if_match)
    with edit_errors():
        result = save_entity(
            store,
            "actor",
            actor_id,
            changes,
            author=author_of(caller),
            if_match=versions,
            create=False,
            replace=replace,
            allowed=allowed,
            hidden=withheld_fields(ACTOR, caller.audience),
        )
    return with_etag(ActorOut(**visible_actor(store, actor_id, caller)), result.etag)


@router.put(
    "/{actor_id}",
    response_model=ActorOut,
    summary="Remplacer les valeurs d'un acteur (les champs absents sont effacés)",
    description=ROLE_NOTE + " En-tête If-Match obligatoire.",
    responses={**UPDATE_ERRORS, 200: {"headers": ETAG_HEADER}},
    openapi_extra={"x-role": "member"},
)
def replace_actor(
    actor_id: ActorId, body: ActorFields, caller: CallerDep, state: StateDep, if_match: IfMatchHeader = None
) -> Response:
    return _update_actor(actor_id, body.model_dump(), caller, state.store, if_match, replace=True)


@router.patch(
    "/{actor_id}",
    response_model=ActorOut,
    summary="Modifier certains champs d'un acteur",
    description=ROLE_NOTE + " Seuls les champs envoyés changent ; `null` efface un champ facultatif. "
    "Changer de commune sans coordonnées efface les coordonnées (l'acteur est placé au centre de sa "
    "commune). "
    "En-tête If-Match obligatoire.",
    responses={**UPDATE_ERRORS, 200: {"headers": ETAG_HEADER}},
    openapi_extra={"x-role": "member"},
)
def patch_actor(
    actor_id: ActorId, body: ActorPatch, caller: CallerDep, state: StateDep, if_match: IfMatchHeader = None
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    return _update_actor(actor_id, changes, caller, state.store, if_match, replace=False)


@router.delete(
    "/{actor_id}",
    status_code=204,
    summary="Supprimer un acteur, avec ses besoins, offres, adhésions, participations et partenariats",
    description="Réservé aux animateur·rices. En-tête If-Match obligatoire.",
    responses=UPDATE_ERRORS,
    openapi_extra={"x-role": "animator"},
)
def delete_actor(
    actor_id: ActorId, caller: CallerDep, state: StateDep, if_match: IfMatchHeader = None
) -> Response:
    check_role(caller, "animator")
    versions = required_versions(if_match)
    with edit_errors():
        delete_entity(state.store, "actor", actor_id, author=author_of(caller), if_match=versions)
    return Response(status_code=204)


# -- needs and offers -------------------------------------------------------------------------------------

WORDS = {"need": ("besoin", "besoins", "needs"), "offer": ("offre", "offres", "offers")}


def _statements(store: Store, actor_id: str, kind: str) -> list[dict[str, Any]]:
    iri = entity_iri("actor", actor_id)
    klass = MAI.Need if kind == "need" else MAI.Offer
    found = []
    for subject, _p, _o in store.triples(None, MAI.actor, iri):
        if next(store.triples(subject, RDF.type, klass), None) is not None:
            key = str(subject).rsplit("/", 1)[-1]
            values = read_entity(store, kind, key)
            if values is not None:
                found.append(values)
    return sorted(found, key=lambda v: v["resource"])


def _register(kind: str) -> None:
    """The routes of one kind of statement: /api/actors/{id}/needs… and /offers…"""
    one, many, path = WORDS[kind]

    def list_statements(actor_id: ActorId, caller: CallerDep, state: StateDep) -> Page[ResourceOut]:
        visible_actor(state.store, actor_id, caller)
        data = [ResourceOut(**v) for v in _statements(state.store, actor_id, kind)]
        return Page[ResourceOut](data=data, count=len(data))

    def get_statement(
        actor_id: ActorId, resource: ResourceKey, caller: CallerDep, state: StateDep
    ) -> Response:
        visible_actor(state.store, actor_id, caller)
        key = f"{actor_id}.{resource}"
        values = read_entity(state.store, kind, key)
        if values is None:
            raise APIError(404, f"L'acteur « {actor_id} » n'a pas de {one} « {resource} »")
        return with_etag(ResourceOut(**values), entity_etag(state.store, kind, key))

    def create_statement(
        actor_id: ActorId, body: ResourceCreate, caller: CallerDep, state: StateDep
    ) -> Response:
        member_fields(caller, actor_id, None)
        key = f"{actor_id}.{body.resource}"
        with edit_errors():
            if read_entity(state.store, "actor", actor_id) is None:
                raise APIError(404, f"Acteur inconnu : « {actor_id} »")
            result = save_entity(
                state.store,
                kind,
                key,
                {"actor": actor_id, **body.model_dump()},
                author=author_of(caller),
                if_match=None,
                create=True,
                replace=True,
            )
        out = ResourceOut(**read_entity(state.store, kind, key) or {})
        return with_etag(
            out, result.etag, status=201, location=f"/api/actors/{actor_id}/{path}/{body.resource}"
        )

    def update(
        actor_id: str,
        resource: str,
        changes: dict[str, Any],
        caller: Caller,
        store: Store,
        if_match: str | None,
        *,
        replace: bool,
    ) -> Response:
        member_fields(caller, actor_id, None)
        versions = required_versions(if_match)
        key = f"{actor_id}.{resource}"
        fixed = {"actor": actor_id, "resource": resource}
        with edit_errors():
            result = save_entity(
                store,
                kind,
                key,
                {**changes, **fixed},
                author=author_of(caller),
                if_match=versions,
                create=False,
                replace=replace,
            )
        return with_etag(ResourceOut(**read_entity(store, kind, key) or {}), result.etag)

    def replace_statement(
        actor_id: ActorId,
        resource: ResourceKey,
        body: ResourceFields,
        caller: CallerDep,
        state: StateDep,
        if_match: IfMatchHeader = None,
    ) -> Response:
        return update(actor_id, resource, body.model_dump(), caller, state.store, if_match, replace=True)

    def patch_statement(
        actor_id: ActorId,
        resource: ResourceKey,
        body: ResourcePatch,
        caller: CallerDep,
        state: StateDep,
        if_match: IfMatchHeader = None,
    ) -> Response:
        changes = body.model_dump(exclude_unset=True)
        return update(actor_id, resource, changes, caller, state.store, if_match, replace=False)

    def delete_statement(
        actor_id: ActorId,
        resource: ResourceKey,
        caller: CallerDep,
        state: StateDep,
        if_match: IfMatchHeader = None,
    ) -> Response:
        member_fields(caller, actor_id, None)
        versions = required_versions(if_match)
        with edit_errors():
            delete_entity(
                state.store, kind, f"{actor_id}.{resource}", author=author_of(caller), if_match=versions
            )
        return Response(status_code=204)

    for function in (
        list_statements,
        get_statement,
        create_statement,
        replace_statement,
        patch_statement,
        delete_statement,
    ):
        function.__name__ = function.__name__.replace("statement", kind)  # names the OpenAPI operations
    note = "Jeton « animator » ou « admin », ou « member » de cet acteur."
    route = f"/{{actor_id}}/{path}"
    router.get(route, response_model=Page[ResourceOut], summary=f"Les {many} d'un acteur")(list_statements)
    router.get(
        route + "/{resource}",
        response_model=ResourceOut,
        summary=f"Un {one} d'un acteur, avec sa version (ETag)",
        responses={404: UPDATE_ERRORS[404], 200: {"headers": ETAG_HEADER}},
    )(get_statement)
    router.post(
        route,
        status_code=201,
        response_model=ResourceOut,
        summary=f"Déclarer un {one} d'un acteur",
        description=note,
        responses={**CREATE_ERRORS, 201: {"headers": ETAG_HEADER}},
        openapi_extra={"x-role": "member"},
    )(create_statement)
    router.put(
        route + "/{resource}",
        response_model=ResourceOut,
        summary=f"Remplacer la description d'un {one}",
        description=note + " En-tête If-Match obligatoire.",
        responses=UPDATE_ERRORS,
        openapi_extra={"x-role": "member"},
    )(replace_statement)
    router.patch(
        route + "/{resource}",
        response_model=ResourceOut,
        summary=f"Modifier un {one}",
        description=note + " En-tête If-Match obligatoire.",
        responses=UPDATE_ERRORS,
        openapi_extra={"x-role": "member"},
    )(patch_statement)
    router.delete(
        route + "/{resource}",
        status_code=204,
        summary=f"Retirer un {one}",
        description=note + " En-tête If-Match obligatoire.",
        responses=UPDATE_ERRORS,
        openapi_extra={"x-role": "member"},
    )(delete_statement)


for _kind in ("need", "offer"):
    _register(_kind)
