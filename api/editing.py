"""What every write route shares: ``If-Match`` (428 without it, 412 on a stale version), who may write
what (401 anonymous, 403 a member outside its own actor), the edit errors in the common error shape, and
the ``ETag`` of the answers.

The write logic itself lives below the API (`maillage.ingest.edit_entities`): a route reads its request,
checks the caller's role, and calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse, Response

from maillage.api.auth import Caller, check_role
from maillage.api.errors import APIError
from maillage.api.routers.imports import ErrorOnly
from maillage.ingest.edit import (
    Author,
    ConflictError,
    EditRefusedError,
    ForbiddenFieldsError,
    NotFoundError,
    PreconditionFailedError,
)
from maillage.ingest.edit_slots import SlotError
from maillage.ingest.local_concepts import LocalConceptError

#: What a member may change on its own actor (needs and offers are their own routes).
MEMBER_ACTOR_FIELDS = frozenset({"description", "email", "telephone"})

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="La version lue (en-tête `ETag` de la lecture) : obligatoire pour modifier ou supprimer",
    ),
]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOnly, "description": description}


#: The error answers of the write routes, for the OpenAPI document.
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("Jeton absent, invalide ou révoqué"),
    403: _error(
        "Rôle insuffisant, ou membre hors de son propre acteur, ou champ réservé aux animateur·rices"
    ),
    404: _error("Entité inconnue"),
    422: _error("Valeurs refusées par les formes SHACL : `details` liste champ, valeur et règle"),
}
UPDATE_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    412: _error("Version périmée : l'entité a changé depuis votre lecture (relisez-la)"),
    428: _error("En-tête If-Match manquant : lisez l'entité et renvoyez son ETag"),
}
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    409: _error("L'entité existe déjà"),
}
ETAG_HEADER = {
    "ETag": {"description": "Version de l'entité (à renvoyer en If-Match)", "schema": {"type": "string"}}
}


def required_versions(if_match: str | None) -> list[str]:
    """The versions of an ``If-Match`` header; 428 when it is missing (updates and deletes need one).

    >>> required_versions('"abc", W/"def"')
    ['"abc"', 'W/"def"']
    """
    if if_match is None or not if_match.strip():
        raise APIError(
            428,
            "En-tête If-Match obligatoire : lisez d'abord l'entité (GET) et renvoyez la valeur de son "
            "en-tête ETag, pour ne pas écraser une modification faite entre-temps",
        )
    return [tag.strip() for tag in if_match.split(",") if tag.strip()]


def author_of(caller: Caller) -> Author:
    assert caller.token_id is not None  # check_role let no anonymous caller through
    return Author(token_id=caller.token_id, role=caller.role)


def member_fields(caller: Caller, actor: str, fields: frozenset[str] | None) -> set[str] | None:
    """Who may change something of `actor`: 401 anonymous, 403 a member of another actor; a member of
    this actor may change `fields` (None: every field), an animator or admin every field (None)."""
    check_role(caller, "member")
    if caller.may("animator"):
        return None
    if caller.actor != actor:
        raise APIError(
            403,
            f"Un membre ne modifie que son propre acteur (« {caller.actor} ») : « {actor} » lui est interdit",
        )
    return set(fields) if fields is not None else None


@contextmanager
def edit_errors() -> Iterator[None]:
    """The edit errors as API errors in the common shape."""
    try:
        yield
    except PreconditionFailedError as error:
        headers = {"ETag": error.current} if error.current else {}
        raise APIError(412, str(error), headers=headers) from None
    except NotFoundError as error:
        raise APIError(404, str(error)) from None
    except ConflictError as error:
        raise APIError(409, str(error)) from None
    except ForbiddenFieldsError as error:
        details = [
            {"parametre": f, "valeur": None, "regle": "réservé aux animateur·rices"} for f in error.fields
        ]
        raise APIError(403, str(error), details=details) from None
    except EditRefusedError as error:
        raise APIError(422, str(error), details=[p.detail() for p in error.problems]) from None
    except SlotError as error:
        detail = {"parametre": error.field, "valeur": error.value, "regle": error.rule}
        raise APIError(422, f"Valeur refusée : {error}", details=[detail]) from None
    except LocalConceptError as error:
        raise APIError(422, f"Concept refusé : {error}") from None


def with_etag(body: Any, etag: str | None, *, status: int = 200, location: str | None = None) -> Response:
    """`body` (a pydantic model) as JSON with its version in ``ETag``."""
    headers = {"ETag": etag} if etag else {}
    if location:
        headers["Location"] = location
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)
