"""The HTML page renderer shared by the page routes and the error pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from maillage.api.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, plural_message, translate
from maillage.viz.network import script_urls, stylesheet_urls
from maillage.viz.texts import format_count

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
_environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=translate, ngettext=plural_message, newstyle=True
)
templates = Jinja2Templates(env=_environment)


def merge_query(current: Mapping[str, object], changes: Mapping[str, object]) -> str:
    """The query string of `current` with `changes` applied (a None value removes the parameter).

    >>> merge_query({"q": "bois & fer", "pays": "FR"}, {"pays": None, "page": 2})
    'q=bois+%26+fer&page=2'
    >>> merge_query({"type": ["affinite", "triangle"]}, {"page": 3})
    'type=affinite&type=triangle&page=3'
    """
    merged = {**current, **changes}
    pairs = []
    for key, value in merged.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                pairs.append((key, str(item)))
    return urlencode(pairs)


templates.env.filters["merge_query"] = merge_query


def count_in_words(count: int) -> str:
    """A count as the page's readers write it: ``1 711`` (narrow space) in French, ``1,711`` in English."""
    return format_count(count, lang=current_language())


templates.env.filters["nombre"] = count_in_words


def render_page(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """A page of the web UI (Jinja2 autoescapes every value from the data)."""
    from maillage.api.routers.login import viewer

    context.update(scripts=script_urls(), stylesheets=[*stylesheet_urls(), "/static/maillage-pages.css"])
    context.setdefault("viewer", viewer(request))
    context.update(page_language(request))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def page_language(request: Request) -> dict[str, object]:
    """What the banner needs for the language switch: the page's language and the other one's link."""
    lang = current_language()
    other = LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "lang": lang,
        "other_language": {
            "code": other,
            "name": LANGUAGE_NAMES[other],
            "href": f"/langue/{other}?{urlencode({'suivant': here})}",
        },
    }


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API, not linked data)."""
    if request.url.path.startswith(("/api/", "/id/", "/openapi", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "")
