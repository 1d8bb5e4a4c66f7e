"""Who is calling: a bearer token becomes a `Caller`; `require_role(...)` guards the routes that write.

Roles go public < member < animator < admin (`maillage.graph.tokens.ROLES`). No ``Authorization`` header
means the public role; a header that is not ``Bearer <token>``, or an unknown or revoked token, is a 401;
a known token whose role is too low is a 403. Both carry ``WWW-Authenticate: Bearer`` and the common error
shape. Tokens are checked against the token file on every request, so a revocation holds at once.

The web pages log in once with a token (`/connexion`) and then carry a session cookie instead
(`maillage.api.session`): without an ``Authorization`` header, a live session cookie gives its token's
`Caller`; its writes are checked against CSRF by `maillage.api.session.CSRFMiddleware` before any route runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from maillage.api.errors import APIError
from maillage.api.session import current_session
from maillage.graph.privacy import Audience, audience_of
from maillage.graph.tokens import ROLE_LABELS, ROLES, TokenStore, role_rank

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="jeton",
    description="Jeton créé par `maillage token create --role ...`, "
    "envoyé en `Authorization: Bearer <jeton>`.",
)
CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Caller:
    """The caller of one request: its role, the actor key it speaks for (members), and its token id."""

    role: str
    actor: str | None = None
    token_id: str | None = None
    session: bool = False

    @property
    def anonymous(self) -> bool:
        return self.token_id is None

    def may(self, role: str) -> bool:
        """Whether this caller holds `role` or a stronger one.

        >>> Caller("animator", token_id="0a1b2c3d").may("member"), Caller("member").may("animator")
        (True, False)
        """
        return role_rank(self.role) >= role_rank(role)

    @property
    def audience(self) -> Audience:
        """What this caller may see (`maillage.graph.privacy.audience_of` its role): every output that
        shows data passes it on.

        >>> Caller("member").audience.name, Caller("admin").audience.name
        ('NETWORK', 'ANIMATORS')
        """
        return audience_of(self.role)


PUBLIC = Caller("public")


def token_store(request: Request) -> TokenStore | None:
    """The app's token store (`create_app(..., tokens=...)`); None when the app knows no tokens."""
    tokens: TokenStore | None = getattr(request.app.state, "tokens", None)
    return tokens


def unauthorized(message: str) -> APIError:
    return APIError(401, message, headers=CHALLENGE)


def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The `Caller` of this request: the bearer token's, else the session cookie's, else public; 401 on a
    malformed, unknown or revoked token (an expired or unknown cookie is simply anonymous)."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise unauthorized(
                "En-tête Authorization invalide : attendu « Bearer <jeton> » "
                "(jeton créé par : maillage token create)"
            )
        session = current_session(request)
        if session is None:
            return PUBLIC
        record = session.token
        return Caller(role=record.role, actor=record.actor, token_id=record.id, session=True)
    tokens = token_store(request)
    record = tokens.authenticate(credentials.credentials) if tokens is not None else None
    if record is None:
        raise unauthorized(
            "Jeton inconnu ou révoqué : demandez un nouveau jeton à un·e administrateur·rice "
            "(maillage token create)"
        )
    return Caller(role=record.role, actor=record.actor, token_id=record.id)


CallerDep = Annotated[Caller, Depends(current_caller)]


def require_role(role: str) -> Callable[[Caller], Caller]:
    """A dependency that lets through callers holding `role` or a stronger one.

    Anonymous callers get a 401 (they may still authenticate), known callers with a weaker role a 403.
    Use it as ``caller: Annotated[Caller, Depends(require_role("animator"))]``.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")

    def dependency(caller: CallerDep) -> Caller:
        return check_role(caller, role)

    dependency.__name__ = f"require_{role}"
    return dependency


def check_role(caller: Caller, role: str) -> Caller:
    """`caller` if it holds `role` or a stronger one; else a 401 (anonymous) or a 403 (`APIError`)."""
    if caller.may(role):
        return caller
    if caller.anonymous:
        raise unauthorized(
            f"Authentification requise : il faut le rôle « {ROLE_LABELS[role]} » ou plus ; "
            "envoyez « Authorization: Bearer <jeton> »"
        )
    raise APIError(
        403,
        f"Rôle insuffisant : ce jeton ({caller.token_id}) a le rôle « {ROLE_LABELS[caller.role]} », "
        f"il faut « {ROLE_LABELS[role]} » ou plus",
        headers=CHALLENGE,
    )


def authorize(request: Request, role: str) -> Caller:
    """The same check as `require_role(role)`, from the raw request: usable before the body is read."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    credentials = (
        HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
        if scheme.lower() == "bearer" and token.strip()
        else None
    )
    return check_role(current_caller(request, credentials), role)


AnimatorDep = Annotated[Caller, Depends(require_role("animator"))]
