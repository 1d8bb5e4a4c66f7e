"""The language switch of the banner: ``/langue/en`` remembers English in a cookie, ``/langue/fr`` French."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from maillage.api.i18n import language_cookie
from maillage.api.routers.login import local_target
from maillage.api.session import cookie_is_secure

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/langue/{code}")
def switch_language(
    request: Request, code: Literal["fr", "en"], suivant: str | None = None
) -> RedirectResponse:
    """Back to the page the reader was on (`suivant`, a path of this site only), now in `code`. A plain
    link, not a form: the choice of language changes nothing but the reader's own cookie."""
    answer = RedirectResponse(local_target(suivant), status_code=303)
    answer.headers.append("Set-Cookie", language_cookie(code, secure=cookie_is_secure(request)))
    return answer
