"""Request body limits: a body past its route's limit is answered 413, in the API's error shape, unread.

Without it a JSON write route read a 30 MB body whole before its validation answered 422 (issue 7 item 4).
The limit of a request is decided by its path (`body_limit`): the file upload routes (``/api/imports``,
``/importer``) keep the upload limit of `maillage.api.uploads` (`MAX_BODY_BYTES`, which also words their
refusal); every other route gets `JSON_BODY_BYTES`, far above any form or JSON write of this API.

Nothing is buffered here: the middleware wraps the ASGI ``receive`` channel. When the application first asks
for the body, a declared ``Content-Length`` over the limit is refused before a byte is read; a body without
one (``Transfer-Encoding: chunked``) is counted chunk by chunk and refused as soon as it passes the limit.
Checking on the first read rather than on arrival keeps the order of the routes' own refusals: an upload
route checks the caller's role before it parses its form (`maillage.api.uploads.UploadRoute`), so an
anonymous upload still gets 401, whatever length it declares. A route that never reads its body is never
refused by this middleware, and never reads that body either.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from maillage.api.asgi import HTTPMiddleware
from maillage.api.errors import error_response
from maillage.api.uploads import MAX_BODY_BYTES, too_large

#: Largest body of a route that is not a file upload: a JSON write or a form is a few kilobytes.
JSON_BODY_BYTES = 1 << 20
#: Paths (and the paths below them) that receive files, with the upload limit.
UPLOAD_PREFIXES = ("/api/imports", "/importer")


def body_limit(path: str) -> int:
    """The largest request body, in bytes, accepted at `path`.

    >>> body_limit("/api/actors"), body_limit("/taxonomie")
    (1048576, 1048576)
    >>> body_limit("/api/imports") == body_limit("/importer/essai") == MAX_BODY_BYTES
    True
    >>> body_limit("/importerx")  # a prefix is a whole path segment
    1048576
    """
    if any(path == prefix or path.startswith(prefix + "/") for prefix in UPLOAD_PREFIXES):
        return MAX_BODY_BYTES
    return JSON_BODY_BYTES


class BodyTooLarge(HTTPException):
    """A body past its limit (413), rendered by the app's handler or, outside it, by the middleware."""

    def __init__(self, path: str, limit: int, size: int | None) -> None:
        if limit == MAX_BODY_BYTES:  # an upload route: the words its users already know
            message = str(too_large(size).detail)
        else:
            seen = f"{size} octets" if size is not None else f"plus de {limit} octets"
            message = (
                f"Corps de la requête trop volumineux ({seen}) : la limite est de {limit // 2**20} Mo "
                f"({limit} octets) pour « {path} » ; un fichier s'importe par /api/imports"
            )
        super().__init__(413, message)


class BodyLimitMiddleware(HTTPMiddleware):
    """Refuses a request body over `body_limit` of its path with 413, reading no further (see the module)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        limit = body_limit(path)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(path, limit, int(declared))
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(path, limit, None)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge as refusal:
            # Raised inside a route, the app's own handler has answered already; here it came from a
            # middleware that reads bodies itself (the CSRF check of a urlencoded form).
            if started:
                raise
            response = error_response(Request(scope), 413, str(refusal.detail))
            await response(scope, receive, send)
