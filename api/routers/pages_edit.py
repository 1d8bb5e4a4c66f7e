"""Editing an actor from the pages (/actors/{id}/modifier): its description and contacts, needs and offers.

For a logged-in person (`/connexion`): a member edits its own actor, an animator or admin any actor —
the same rules, checks and writes as the API (`maillage.api.editing`, `maillage.ingest.edit_entities`):
validated by the shapes, one transaction each, recorded with who and when, and refused when the actor
changed since the form was shown (its version travels in the form). Plain HTML forms, no script; the CSRF
middleware has checked every POST before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maillage.api.auth import Caller, CallerDep
from maillage.api.deps import StateDep
from maillage.api.editing import author_of, edit_errors, member_fields
from maillage.api.errors import APIError
from maillage.api.i18n import N_, _, current_language
from maillage.api.routers.pages_check import concept_choices
from maillage.api.templating import render_page
from maillage.ingest.edit_entities import delete_entity, entity_etag, read_entity, save_entity

router = APIRouter(tags=["pages"], include_in_schema=False)

KINDS = {"besoins": "need", "offres": "offer"}
DONE = {
    "description": N_("Description et coordonnées enregistrées."),
    "ajout": N_("Ajout enregistré : les synergies en tiennent compte."),
    "retrait": N_("Retrait enregistré."),
}
"""What the form says after a write (``?fait=``), translated when shown."""
STALE = N_(
    "Cet acteur a été modifié entre-temps par quelqu'un d'autre : voici la version actuelle, "
    "recommencez votre modification."
)
REFUSED = N_("Modification refusée, rien n'a été enregistré :")
"""The refusal's first words when the write layer lists what it refused (field « value » : rule)."""


def _statements(state: StateDep, actor_id: str, kind: str, lang: str) -> list[dict[str, str]]:
    index = state.fresh_index()
    actor = index.actor(actor_id)
    resources = actor.needs if kind == "need" else actor.offers
    choices = dict(concept_choices(index, "resource", lang=lang))
    found = []
    for iri in sorted(set(resources), key=str):
        resource = str(iri).rsplit("/", 1)[-1]
        key = f"{actor_id}.{resource}"
        found.append(
            {
                "resource": resource,
                "label": choices.get(resource, resource),
                "etag": entity_etag(state.store, kind, key) or "",
            }
        )
    return found


def _form(
    request: Request,
    state: StateDep,
    caller: Caller,
    actor_id: str,
    *,
    status: int = 200,
    message: str = "",
    done: str = "",
) -> HTMLResponse:
    values = read_entity(state.store, "actor", actor_id)
    if values is None:
        raise APIError(404, f"Acteur inconnu : « {actor_id} »")
    index = state.fresh_index()
    lang = current_language()
    return render_page(
        request,
        "actor_edit.html",
        status_code=status,
        actor_id=actor_id,
        name=values.get("name") or actor_id,
        description=values.get("description") or "",
        email=values.get("email") or "",
        telephone=values.get("telephone") or "",
        etag=entity_etag(state.store, "actor", actor_id, audience=caller.audience) or "",
        needs=_statements(state, actor_id, "need", lang),
        offers=_statements(state, actor_id, "offer", lang),
        resources=concept_choices(index, "resource", lang=lang),
        message=message,
        done=_(DONE[done]) if done in DONE else "",
        animator=caller.may("animator"),
    )


def _allowed(request: Request, caller: Caller, actor_id: str) -> Response | None:
    """A redirect to the login page for an anonymous visitor; raises 403 for a member of another actor."""
    if caller.anonymous:
        return RedirectResponse(f"/connexion?suivant={quote(str(request.url.path))}", status_code=303)
    member_fields(caller, actor_id, None)
    return None


def _after(actor_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/actors/{quote(actor_id)}/modifier?fait={done}", status_code=303)


@router.get("/actors/{actor_id}/modifier", response_class=HTMLResponse)
def edit_page(
    request: Request, actor_id: str, caller: CallerDep, state: StateDep, fait: str = ""
) -> Response:
    return _allowed(request, caller, actor_id) or _form(request, state, caller, actor_id, done=fait)


def _write(
    request: Request, state: StateDep, caller: Caller, actor_id: str, done: str, write: Callable[[], object]
) -> Response:
    """Run one edit for a caller allowed on `actor_id`; back to the form with `done`, or with the refusal."""
    if (redirect := _allowed(request, caller, actor_id)) is not None:
        return redirect
    try:
        with edit_errors():
            write()
    except APIError as error:
        return _refused(request, state, caller, actor_id, error)
    return _after(actor_id, done)


@router.post("/actors/{actor_id}/modifier/description", response_class=HTMLResponse)
def save_description(
    request: Request,
    actor_id: str,
    caller: CallerDep,
    state: StateDep,
    description: Annotated[str, Form(max_length=5000)] = "",
    courriel: Annotated[str | None, Form(max_length=320)] = None,
    telephone: Annotated[str | None, Form(max_length=40)] = None,
    version: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The description and the contacts (e-mail, phone: seen by the network's members only), one write; a
    contact field the form did not send is left as it is (emptied, it is removed)."""
    changes: dict[str, str | None] = {"description": description.strip() or None}
    for name, value in (("email", courriel), ("telephone", telephone)):
        if value is not None:
            changes[name] = value.strip() or None
    return _write(
        request,
        state,
        caller,
        actor_id,
        "description",
        lambda: save_entity(
            state.store,
            "actor",
            actor_id,
            changes,
            author=author_of(caller),
            if_match=[version],
            create=False,
            replace=False,
            allowed=None if caller.may("animator") else set(changes),
        ),
    )


@router.post("/actors/{actor_id}/modifier/{which}", response_class=HTMLResponse)
def add_statement(
    request: Request,
    actor_id: str,
    which: str,
    caller: CallerDep,
    state: StateDep,
    ressource: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    kind = _kind(which)
    return _write(
        request,
        state,
        caller,
        actor_id,
        "ajout",
        lambda: save_entity(
            state.store,
            kind,
            f"{actor_id}.{ressource}",
            {"actor": actor_id, "resource": ressource},
            author=author_of(caller),
            if_match=None,
            create=True,
            replace=True,
        ),
    )


@router.post("/actors/{actor_id}/modifier/{which}/{resource}/retirer", response_class=HTMLResponse)
def remove_statement(
    request: Request,
    actor_id: str,
    which: str,
    resource: str,
    caller: CallerDep,
    state: StateDep,
    version: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    kind = _kind(which)
    key = f"{actor_id}.{resource}"
    return _write(
        request,
        state,
        caller,
        actor_id,
        "retrait",
        lambda: delete_entity(state.store, kind, key, author=author_of(caller), if_match=[version]),
    )


def _kind(which: str) -> str:
    if which not in KINDS:
        raise APIError(404, f"Rien à modifier sous « {which} » (besoins, offres ou description)")
    return KINDS[which]


def _refused(request: Request, state: StateDep, caller: Caller, actor_id: str, error: APIError) -> Response:
    """The form again, with the refusal in words (a stale version, a value the shapes refuse…).

    The write layer words its refusals in French only: the page puts its own first words before the
    values it lists (field « value » : rule, the rule as the shapes say it), and keeps the write layer's
    French message when it lists none."""
    if error.status in (401, 403, 404):
        raise error
    reasons = [
        f"{d.get('parametre') or ''} « {d.get('valeur') or ''} » : {d.get('regle')}" for d in error.details
    ]
    if error.status == 412:
        message = _(STALE)
    elif reasons:
        message = _(REFUSED)
    else:
        message = error.message
    return _form(
        request, state, caller, actor_id, status=error.status, message=" ".join([message, *reasons]).strip()
    )
