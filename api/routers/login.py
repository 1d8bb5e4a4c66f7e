"""Logging in to the web pages with a token (`/connexion`) and out (`/deconnexion`).

A person pastes the token an administrator gave them (`maillage token create`); the page opens a session and
sets its cookie (`maillage.api.session`). Failed attempts are throttled per client address.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maillage.api.i18n import _
from maillage.api.session import (
    COOKIE,
    LoginThrottle,
    cookie_options,
    current_session,
    same_origin,
    session_store,
)
from maillage.api.templating import render_page
from maillage.graph.tokens import ROLE_LABELS

router = APIRouter(tags=["pages"], include_in_schema=False)


def local_target(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never ``//other.site`` nor a full URL).

    >>> local_target("/actors/atelier-bois"), local_target("//evil.example/"), local_target("https://x/")
    ('/actors/atelier-bois', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def throttle(request: Request) -> LoginThrottle:
    found: LoginThrottle | None = getattr(request.app.state, "login_throttle", None)
    if found is None:
        found = request.app.state.login_throttle = LoginThrottle()
    return found


def _client(request: Request) -> str:
    return request.client.host if request.client else "inconnu"


def _form(request: Request, status: int = 200, *, message: str = "", target: str = "/") -> HTMLResponse:
    return render_page(request, "login.html", status_code=status, message=message, target=target)


@router.get("/connexion", response_class=HTMLResponse)
def login_page(request: Request, suivant: str | None = None) -> HTMLResponse:
    return _form(request, target=local_target(suivant))


@router.post("/connexion", response_class=HTMLResponse)
def login(
    request: Request,
    jeton: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    target = local_target(suivant)
    if not same_origin(request):
        return _form(request, 403, message=_("Connexion refusée : le formulaire vient d'un autre site."))
    client = _client(request)
    wait = throttle(request).retry_after(client)
    if wait:
        response = _form(
            request,
            429,
            message=_("Trop d'essais infructueux : réessayez dans %(seconds)s s.", seconds=wait),
            target=target,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    sessions = session_store(request)
    opened = sessions.open(jeton.strip()) if sessions is not None else None
    if opened is None:
        throttle(request).fail(client)
        return _form(
            request,
            401,
            message=_("Jeton inconnu ou révoqué. Demandez un jeton à un·e administrateur·rice du réseau."),
            target=target,
        )
    secret, session = opened
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(value=secret, **cookie_options(request, int(sessions.hours * 3600)))  # type: ignore[union-attr]
    return response


@router.post("/deconnexion")
def logout(request: Request) -> Response:
    """End the session (the CSRF middleware has checked the form's token)."""
    sessions = session_store(request)
    secret = request.cookies.get(COOKIE)
    if sessions is not None and secret:
        sessions.close(secret)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=cookie_options(request, None)["secure"]
    )
    return response


def viewer(request: Request) -> dict[str, str | bool] | None:
    """Who is logged in to the pages, for the banner and the edit links: role label, actor, CSRF token,
    whether they edit every actor; None if nobody."""
    session = current_session(request)
    if session is None:
        return None
    return {
        "role": _(ROLE_LABELS[session.token.role]),
        "actor": session.token.actor or "",
        "note": session.token.note,
        "csrf": session.csrf,
        "edits_all": session.token.role in ("animator", "admin"),
    }
