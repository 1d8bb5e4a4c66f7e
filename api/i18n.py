"""The pages' words in English: French is the source text, English a catalogue keyed by it.

A page is French unless the reader chose English: ``?lang=en`` on one address (a link to share), or the
switch in the banner (``/langue/en``), which remembers the choice in a cookie. Templates write
``{{ _("Chercher") }}`` (Jinja's i18n extension, new style: values are escaped, the message may hold markup),
Python writes ``_("…")`` at request time and ``N_("…")`` for a constant translated when shown. The English
catalogue is ``api/locales/en/*.json`` (one file per group of pages); a message missing there stays French,
and the tests list every message of the templates and the page routes that has no English.

Concept labels, synergy reasons and indicator sentences come from the graph layer in the asked language
(``lang``); Basque and Spanish labels are shown where the data has them, whatever the interface language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from maillage.api.asgi import HTTPMiddleware
from maillage.viz.texts import SUPPORTED_LANGUAGES

LANGUAGES = SUPPORTED_LANGUAGES
"""Languages of the pages (the visualisations' own): the first is the default and the source of every
message."""
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
COOKIE = "maillage_langue"
ONE_YEAR = 365 * 24 * 3600
LOCALES = Path(__file__).resolve().parent / "locales"

_current: ContextVar[str] = ContextVar("maillage_language", default=LANGUAGES[0])


def current_language() -> str:
    """The language of the page being answered (French outside a request)."""
    return _current.get()


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The messages of `lang`, French text → translation, merged from ``locales/<lang>/*.json``.

    >>> catalogue("en")["Chercher"]
    'Search'
    >>> catalogue("fr")
    {}
    """
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.json")) if lang != LANGUAGES[0] else []:
        for message, translation in json.loads(path.read_text(encoding="utf-8")).items():
            if merged.get(message, translation) != translation:
                raise ValueError(f"{path}: {message!r} is translated twice, differently.")
            merged[message] = translation
    return merged


def translate(message: str, lang: str | None = None) -> str:
    """`message` (French) in `lang` (the current page's language by default), French when not translated."""
    lang = lang or current_language()
    return catalogue(lang).get(message, message) if lang != LANGUAGES[0] else message


def _(message: str, **values: object) -> str:
    """`message` in the current language, ``%(name)s`` placeholders filled from `values`.

    >>> _("%(n)s acteurs", n=3)
    '3 acteurs'
    """
    text = translate(message)
    return text % values if values else text


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Marks a constant message for the catalogue; translate it when shown (``_`` in the template)."""
    return message


def plural_message(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural message for `n`, translated (French: 0 and 1 are singular, English: 1 only)
    into `lang` (the current page's language by default).

    >>> plural_message("%(num)s acteur", "%(num)s acteurs", 0)
    '%(num)s acteur'
    """
    lang = lang or current_language()
    one = n <= 1 if lang == LANGUAGES[0] else n == 1
    return translate(singular if one else plural, lang)


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """`plural_message` with ``%(num)s`` filled by `n` and the other placeholders from `values`.

    >>> ngettext("%(num)s acteur", "%(num)s acteurs", 2)
    '2 acteurs'
    """
    return plural_message(singular, plural, n) % {"num": n, **values}


def chosen_language(query_string: bytes, cookie_header: str) -> str:
    """The language asked by ``?lang=`` first, then by the cookie of the switch, else French.

    >>> chosen_language(b"lang=en&q=bois", ""), chosen_language(b"", "maillage_langue=en")
    ('en', 'en')
    >>> chosen_language(b"lang=de", "maillage_langue=xx")
    'fr'
    """
    return asked_language(query_string) or remembered_language(cookie_header) or LANGUAGES[0]


def asked_language(query_string: bytes) -> str | None:
    """The language of ``?lang=`` if it is one of the pages' languages."""
    if b"lang=" not in query_string:  # every API request goes through here: no parsing for nothing
        return None
    asked = parse_qs(query_string.decode("latin-1")).get("lang", [""])[-1]
    return asked if asked in LANGUAGES else None


def remembered_language(cookie_header: str) -> str | None:
    """The language of the switch's cookie if it is one of the pages' languages."""
    if COOKIE not in cookie_header:
        return None
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # a malformed cookie header is not the reader's choice of language
        return None
    remembered = cookies[COOKIE].value if COOKIE in cookies else ""
    return remembered if remembered in LANGUAGES else None


def language_cookie(lang: str, *, secure: bool) -> str:
    """The ``Set-Cookie`` value that remembers `lang` for a year (not secret: readable by scripts).

    >>> language_cookie("en", secure=False)
    'maillage_langue=en; Max-Age=31536000; Path=/; SameSite=lax'
    """
    return f"{COOKIE}={lang}; Max-Age={ONE_YEAR}; Path=/; SameSite=lax" + ("; Secure" if secure else "")


class LanguageMiddleware(HTTPMiddleware):
    """Sets the language of each HTTP request (`chosen_language`) for the pages and the Python messages, and
    says so in ``Content-Language``; answers vary with the cookie that may choose it. ``?lang=`` chooses for
    one address only (a shared link in English does not change its reader's own choice); the switch of the
    banner remembers."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        cookie = dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1")
        lang = chosen_language(scope.get("query_string", b""), cookie)
        token = _current.set(lang)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Language", lang)
                    headers.add_vary_header("Cookie")
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            _current.reset(token)
