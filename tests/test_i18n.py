"""The pages in English: the switch, the catalogue, and no reader-facing French left outside it.

The catalogue is keyed by the French text (`maillage.api.i18n`): every message the templates and the page
routes pass through ``_``/``N_``/``ngettext`` must have an English entry with the same placeholders, and no
template may hold words outside a message (text between tags, ``title``, ``placeholder``, ``aria-label``,
``alt``, ``value`` of buttons)."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from jinja2 import nodes

from maillage.api.app import create_app
from maillage.api.i18n import catalogue, chosen_language
from maillage.api.templating import templates

API = Path(__file__).resolve().parents[1] / "api"
TEMPLATES = sorted((API / "templates").glob("*.html"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Words that are the same in both languages: names, formats, standards.
SAME_IN_BOTH = {
    "Maillage",
    "SPARQL",
    "API",
    "JSON",
    "JSON-LD",
    "Turtle",
    "N-Triples",
    "RDF/XML",
    "RDF",
    "CSV",
    "XLSX",
    "PNG",
    "ODS",
    "IRI",
    "ETag",
    "OK",
    "EPCI",
    "PTCE",
    "FR",
    "ES",
    "Euskadi",
    "Navarra",
    "GeoNames",
    "INSEE",
    "INE",
    "Bolt",
    "DCAT",
    "SHACL",
}


def template_messages() -> list[tuple[str, int, str]]:
    """(template, line, message) for every ``_``/``ngettext`` call with literal text in the templates."""
    found = []
    for path in TEMPLATES:
        source = path.read_text(encoding="utf-8")
        for line, _function, message in templates.env.extract_translations(source):  # type: ignore[attr-defined]
            for text in message if isinstance(message, tuple) else (message,):
                if text:
                    found.append((path.name, line, text))
    return found


def python_messages() -> list[tuple[str, int, str]]:
    """(file, line, message) for every ``_("…")``, ``N_("…")`` and ``ngettext("…", "…", n)`` in api/."""
    found = []
    for path in sorted(API.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("_", "N_", "ngettext"):
                    texts = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
                    for arg in texts:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            found.append((str(path.relative_to(API)), node.lineno, arg.value))
    return found


def test_the_pages_messages_are_found_in_templates_and_python():
    assert ("base.html", 16, "Le réseau") in [(f, n, m) for f, n, m in template_messages()]
    assert any(m == "Connecté·e : %(role)s" for _f, _n, m in template_messages())


@pytest.mark.parametrize("source", ["templates", "python"])
def test_every_message_has_english_with_the_same_placeholders(source):
    english = catalogue("en")
    messages = template_messages() if source == "templates" else python_messages()
    missing = [f"{f}:{n}: {m!r}" for f, n, m in messages if m not in english]
    assert missing == [], "Sans traduction anglaise (api/locales/en/*.json) :\n" + "\n".join(missing)
    wrong = [
        f"{f}:{n}: {m!r} → {english[m]!r}"
        for f, n, m in messages
        if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(english[m]))
    ]
    assert wrong == []


class _Words(HTMLParser):
    """Collects the words a reader sees in a template's literal HTML: text and the attributes shown."""

    SHOWN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in self.SHOWN or (name == "value" and dict(attrs).get("type") == "submit")):
                self.words.extend(re.findall(r"[^\W\d_][\w'’·-]*", value))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.words.extend(re.findall(r"[^\W\d_][\w'’·-]*", data))


def literal_words(path: Path) -> list[str]:
    """The words of `path` outside any Jinja expression, tag or comment, minus the names kept as they are."""
    tree = templates.env.parse(path.read_text(encoding="utf-8"))
    html = "".join(node.data for node in tree.find_all(nodes.TemplateData))
    parser = _Words()
    parser.feed(html)
    return [w for w in parser.words if w not in SAME_IN_BOTH]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_reader_facing_words_outside_the_catalogue(path):
    assert literal_words(path) == []


def test_literal_words_catches_text_and_shown_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<p title="Bonjour">{{ _("Chercher") }} Acteurs <b>{{ n }}</b></p><input placeholder="ex. bois">'
        '<script>var x = "pas lu";</script>{# commentaire #}',
        encoding="utf-8",
    )
    assert literal_words(page) == ["Bonjour", "Acteurs", "ex", "bois"]


def test_the_language_is_chosen_by_the_address_then_the_cookie():
    assert chosen_language(b"lang=en", "maillage_langue=fr") == "en"
    assert chosen_language(b"q=bois", "maillage_langue=en; maillage_session=x") == "en"
    assert chosen_language(b"", "") == "fr"
    assert chosen_language(b"lang=EN", 'maillage_langue="en') == "fr"  # not a language, a broken cookie


@pytest.fixture(scope="module")
def pages(sample_store):
    return TestClient(create_app(sample_store))


def test_a_page_in_french_by_default_and_in_english_when_asked(pages):
    french = pages.get("/tableau-de-bord")
    assert '<html lang="fr">' in french.text and ">Tableau de bord</a>" in french.text
    assert french.headers["content-language"] == "fr" and "Cookie" in french.headers["vary"]
    assert 'href="/langue/en?suivant=%2Ftableau-de-bord" hreflang="en" lang="en">English</a>' in french.text

    english = pages.get("/tableau-de-bord?lang=en")
    assert '<html lang="en">' in english.text and ">Dashboard</a>" in english.text
    assert english.headers["content-language"] == "en"
    assert "English</a>" not in english.text and ">Français</a>" in english.text
    # ?lang=en chooses for this address only: the reader's own choice (the switch's cookie) is left alone
    assert "set-cookie" not in english.headers and "set-cookie" not in french.headers
    json_answer = pages.get("/api/actors?lang=en&limit=1")
    assert "set-cookie" not in json_answer.headers and "content-language" not in json_answer.headers


def test_the_switch_remembers_english_and_goes_back_to_the_page(pages):
    answer = pages.get("/langue/en?suivant=/recherche%3Fq%3Dbois", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/recherche?q=bois"
    assert answer.headers["set-cookie"] == "maillage_langue=en; Max-Age=31536000; Path=/; SameSite=lax"
    assert '<html lang="en">' in pages.get("/carte", headers={"cookie": "maillage_langue=en"}).text
    back = pages.get("/langue/fr?suivant=//ailleurs.example/", follow_redirects=False)
    assert back.headers["location"] == "/" and back.headers["set-cookie"].startswith("maillage_langue=fr;")
    assert pages.get("/langue/de", follow_redirects=False).status_code == 422
