"""The session cookie of the web pages, its CSRF check, and the login throttle.

- The cookie ``maillage_session`` is HttpOnly, SameSite=Lax, Path=/, and Secure whenever the request came over
  HTTPS (directly, or through a proxy that uvicorn trusts with ``--proxy-headers``) or
  ``MAILLAGE_SECURE_COOKIES=1``: a browser does not send a Secure cookie back over plain HTTP, which
  ``make demo`` serves on 127.0.0.1.
- A request that changes something (not GET, HEAD, OPTIONS) carried by the cookie (no ``Authorization``)
  must send the session's CSRF token back, as the ``X-CSRF-Token`` header or, in a urlencoded form, the
  ``csrf`` field, or — for a multipart upload only (the import page, which works without script) — as the
  ``csrf`` query parameter of the form's action URL: the middleware never spools a multipart body (up to
  the import limit) to look for a field in it. Such a POST answers with a redirect, so that address never
  becomes a page's address or a ``Referer``. And its ``Origin``, when the browser sends one, must be this
  site. Otherwise: 403, and the route never runs (a page in the reader's language for a browser, the API's
  French JSON error otherwise). Bearer-token requests are not concerned: a browser never adds that header by
  itself.
- Failed logins are counted per client address: `LoginThrottle`.
"""

from __future__ import annotations

import hmac
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from maillage.api.asgi import HTTPMiddleware
from maillage.api.i18n import N_, translate
from maillage.graph.sessions import Session, SessionStore

COOKIE = "maillage_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A urlencoded form larger than this is not read for its CSRF field (send the header instead).
FORM_LIMIT = 1 << 20
#: Why a write is refused (`CSRFMiddleware`).
OTHER_SITE = N_("requête venue d'un autre site : refusée")
FORM_TOO_LARGE = N_("formulaire trop volumineux pour être vérifié")
NO_TOKEN = N_("jeton anti-falsification (CSRF) absent ou invalide : rechargez la page et recommencez")


def session_store(request: Request) -> SessionStore | None:
    """The app's sessions (kept with its tokens), or None when the app knows no tokens."""
    tokens = getattr(request.app.state, "tokens", None)
    return SessionStore(tokens) if tokens is not None else None


def current_session(request: Request) -> Session | None:
    """The live session of the request's cookie, looked up once per request."""
    if "maillage_session" in request.scope.get("state", {}):
        found: Session | None = request.scope["state"]["maillage_session"]
        return found
    sessions = session_store(request)
    secret = request.cookies.get(COOKIE)
    session = sessions.get(secret) if sessions is not None and secret else None
    request.scope.setdefault("state", {})["maillage_session"] = session
    return session


def cookie_is_secure(request: Request) -> bool:
    return request.url.scheme == "https" or os.environ.get("MAILLAGE_SECURE_COOKIES") == "1"


def cookie_options(request: Request, max_age: int | None) -> dict[str, Any]:
    return {
        "key": COOKIE,
        "max_age": max_age,
        "path": "/",
        "httponly": True,
        "samesite": "lax",
        "secure": cookie_is_secure(request),
    }


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site (``Origin``, else ``Referer``)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source != "null"
    parts = urlsplit(source)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


class CSRFMiddleware(HTTPMiddleware):
    """Refuses a cookie-carried write without its CSRF token or from another origin (see the module)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if request.headers.get("authorization") or not request.cookies.get(COOKIE):
            await self.app(scope, receive, send)
            return
        session = current_session(request)
        if session is None:  # an expired or unknown cookie: the request is anonymous, the routes decide
            await self.app(scope, receive, send)
            return
        if not same_origin(request):
            await self._refuse(scope, receive, send, OTHER_SITE)
            return
        sent = request.headers.get(CSRF_HEADER)
        replay: Receive = receive
        if sent is None and _is_form(request):
            body = await _read_body(receive)
            if body is None:
                await self._refuse(scope, receive, send, FORM_TOO_LARGE)
                return
            sent = (parse_qs(body.decode("latin-1")).get(CSRF_FIELD) or [None])[0]
            replay = _replaying(body)
        elif sent is None and _is_multipart(request):
            sent = request.query_params.get(CSRF_FIELD)
        if sent is None or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            await self._refuse(scope, receive, send, NO_TOKEN)
            return
        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, message: str) -> None:
        """403 with `message`, translated on a page (`LanguageMiddleware` runs before this one)."""
        from maillage.api.errors import error_response
        from maillage.api.templating import wants_html

        request = Request(scope, receive)
        shown = translate(message) if wants_html(request) else message
        response = error_response(request, 403, shown)
        await response(scope, receive, send)


def _is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > FORM_LIMIT:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes) -> Callable[[], Awaitable[Message]]:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class LoginThrottle:
    """At most `attempts` failed logins per client address in a sliding window of `window` seconds.

    Kept in the memory of one process (several API processes each count their own): tokens carry 256 random
    bits, so the throttle is there against noise and log flooding, not guessing.

    >>> throttle = LoginThrottle(attempts=2, window=60)
    >>> throttle.fail("10.0.0.1", now=0.0); throttle.fail("10.0.0.1", now=1.0)
    >>> throttle.retry_after("10.0.0.1", now=2.0), throttle.retry_after("10.0.0.2", now=2.0)
    (58, 0)
    >>> throttle.retry_after("10.0.0.1", now=61.0)
    0
    """

    def __init__(self, *, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: MutableMapping[str, deque[float]] = {}

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str, *, now: float | None = None) -> int:
        """Seconds before `client` may try again (0: now)."""
        moment = time.monotonic() if now is None else now
        failures = self._recent(client, moment)
        if len(failures) < self.attempts:
            return 0
        return max(1, int(failures[0] + self.window - moment + 0.999))

    def fail(self, client: str, *, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        self._recent(client, moment)
        self._failures.setdefault(client, deque()).append(moment)
        if len(self._failures) > 10_000:  # a flood of addresses: forget the oldest
            del self._failures[next(iter(self._failures))]
