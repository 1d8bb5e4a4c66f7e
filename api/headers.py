"""Security headers on every answer: a strict Content-Security-Policy, no sniffing, no framing, no caching of
what a logged-in caller sees.

The policy allows scripts, styles, fonts and requests from this site only — no inline script, no ``eval``,
no inline ``style`` attribute in the HTML (scripts may still set styles through the DOM) — and images from
this site, ``data:`` and ``blob:`` (the network explorer's PNG export, Swagger UI's icons). Only the embed
pages (``/embed/...``) may be framed, by any site: they are read-only and public.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from maillage.api.asgi import HTTPMiddleware

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
NO_FRAMES = "'none'"
EMBED_PREFIX = "/embed/"


def headers_for(path: str, *, signed_in: bool) -> dict[str, str]:
    """The headers added to an answer at `path` (a route may set its own instead).

    >>> headers_for("/embed/reseau", signed_in=False)["Content-Security-Policy"].endswith("frame-ancestors *")
    True
    >>> "X-Frame-Options" in headers_for("/embed/reseau", signed_in=False)
    False
    >>> headers_for("/", signed_in=True)["X-Frame-Options"], headers_for("/", signed_in=True)["Cache-Control"]
    ('DENY', 'private, no-store')
    """
    embed = path.startswith(EMBED_PREFIX)
    found = {
        "Content-Security-Policy": f"{POLICY}; frame-ancestors {'*' if embed else NO_FRAMES}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }
    if not embed:
        found["X-Frame-Options"] = "DENY"
    if signed_in:
        found["Cache-Control"] = "private, no-store"
    return found


class SecurityHeadersMiddleware(HTTPMiddleware):
    """Adds `headers_for` to every HTTP answer, keeping any header the route set itself."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_headers = dict(scope.get("headers") or [])
        signed_in = b"authorization" in request_headers or b"maillage_session=" in request_headers.get(
            b"cookie", b""
        )
        wanted = headers_for(scope["path"], signed_in=signed_in)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
