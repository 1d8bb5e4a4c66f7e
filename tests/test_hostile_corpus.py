"""The hostile-input corpus (issue 7 item 4): each payload goes in through a spreadsheet import and comes out
escaped in every page, neutralised in CSV, identical in every other export, in the JSON API and through the
Bolt store; as a query parameter it gets no 5xx and changes nothing.

Already covered elsewhere, and not repeated here: one hostile name in the pages (tests/test_escaping.py), the
bad-file corpus and formulas refused on import (tests/test_ingest_corpus.py), upload names and limits
(tests/test_imports_api.py), CSV neutralisation of one formula (tests/test_export.py), SPARQL text that looks
like an injection (tests/test_sparql.py). The RDF uploads and oversized uploads are in
tests/test_hostile_uploads.py, the body limits themselves in tests/test_body_limits.py; here, a body over
the limit on every write route.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS, SKOS

from maillage.api.app import create_app
from maillage.api.uploads import UploadRoute
from maillage.graph.export import export_chunks, neutralise
from maillage.graph.index import build_index
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import import_path
from maillage.ingest.readers.csv import read_csv
from maillage.ingest.readers.xlsx import write_xlsx
from maillage.ingest.report import ImportRefusedError
from maillage.ontology.iri import data_iri

from .conftest import make_store
from .public_outputs import app_routes
from .test_escaping import strings
from .test_export import read_zip

#: Text an animator may legitimately type (it is stored as typed) that attacks some output: name → payload.
PAYLOADS: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "single-quote-breakout": "'><svg onload=alert(1)>",
    "closing-script-comment": "</script><!-- <script>",
    "javascript-url": "javascript:alert(document.cookie)",
    "template": "{{7*7}} {% if 1 %}x{% endif %} ${7*7}",
    "sql": "' OR 1=1 --",
    "sparql-drop": '" } ; DROP ALL ; #',
    "sparql-triple": "> . ?s ?p ?o . <",
    "cypher-delete": "' }) MATCH (n) DETACH DELETE n //",
    "cypher-backslash": "\\' }) MATCH (n) DETACH DELETE n //",
    "cypher-unicode-escape": "\\u0027 }) MATCH (n) DELETE n // \\x27",
    "percent-escapes": "100% %25 %27 %5C %00 %2527",
    "negative-sum": "-2+3",
    "traversal": "../../etc/passwd ..\\..\\x C:\\Windows",
    "rtl-override": "Atelier \u202egnp.exe",
    "zero-width": "A\u200bt\u200de\u2060l\ufeffier",
    "entities": "&lt;b&gt; &amp;amp; &#x3C;",
}
#: Cells a spreadsheet would run: refused on import, neutralised in the CSV export when typed in the API.
FORMULAS = [
    '=HYPERLINK("http://exemple.org/vol","cliquez")',
    "+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
KEYS = {name: f"hostile-{i:02d}" for i, name in enumerate(PAYLOADS)}
IDS = list(PAYLOADS)


def dangerous(payload: str) -> bool:
    """Whether the raw text would change an HTML page's structure if it were not escaped."""
    return any(c in payload for c in "<>")


def workbook(payloads: dict[str, str]) -> bytes:
    """A workbook of the template: one network, one actor per payload (name and description), each partner
    of the next so that all are in the network picture."""
    reseau = "identifiant,nom,commune,pays\nreseau-hostile,Réseau hostile,40312,FR\n"
    sheets = [read_csv(reseau.encode(), name="reseau.csv")]
    actors = read_csv(b"identifiant,nom,type,domaines,commune,pays,description\n", name="acteurs.csv")
    actors.rows = [
        {
            "identifiant": KEYS[name],
            "nom": payload,
            "type": "association",
            "domaines": "emploi",
            "commune": "40312",
            "pays": "FR",
            "description": payload,
        }
        for name, payload in payloads.items()
    ]
    keys = [KEYS[name] for name in payloads]
    partners = read_csv(b"acteur_a,acteur_b,nature\n", name="partenariats.csv")
    partners.rows = [
        {"acteur_a": a, "acteur_b": b, "nature": "informel"} for a, b in zip(keys, keys[1:], strict=False)
    ]
    return write_xlsx([sheets[0], actors, partners])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "membres.xlsx"
    path.write_bytes(workbook(PAYLOADS))
    return path


@pytest.fixture(scope="module")
def store(folder: Path) -> Iterator[Store]:
    store = OxigraphStore(folder.parent / "db")
    import_path(store, folder)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def pages(client: TestClient) -> dict[str, str]:
    """The pages that show every actor (fetched once)."""
    return {url: client.get(url).text for url in ("/", "/embed/reseau", "/carte", "/recherche")}


@pytest.fixture(scope="module")
def exports(store: Store) -> dict[str, bytes]:
    index = build_index(store)
    return {
        name: b"".join(export_chunks(store, name, index=index))
        for name in ("csv", "gexf", "graphml", "turtle", "jsonld", "nt", "rdfxml")
    }


def data_blocks(html: str) -> list[str]:
    """Every string in the page's JSON data blocks (the drawing scripts' data and the JSON-LD)."""
    blocks = re.findall(r'<script type="application/(?:ld\+)?json"[^>]*>(.*?)</script>', html, flags=re.S)
    return [s for block in blocks for s in strings(json.loads(block))]


@pytest.mark.parametrize("name", IDS)
def test_the_actor_page_shows_the_payload_escaped(client: TestClient, name: str) -> None:
    payload = PAYLOADS[name]
    response = client.get(f"/actors/{KEYS[name]}")
    assert response.status_code == 200
    html = response.text
    assert str(escape(payload)) in html  # the title and the description, escaped by Jinja
    if dangerous(payload):
        assert payload not in html
    assert payload in data_blocks(html)  # the ego network and the schema.org JSON-LD carry it exactly


@pytest.mark.parametrize("name", IDS)
def test_network_embed_map_and_search_never_hold_the_raw_payload(pages: dict[str, str], name: str) -> None:
    payload = PAYLOADS[name]
    for url, html in pages.items():
        if dangerous(payload):
            assert payload not in html, url
    # the tooltips' data: the payload travels as JSON data, exactly
    assert payload in data_blocks(pages["/"]) and payload in data_blocks(pages["/embed/reseau"])
    assert str(escape(payload)) in pages["/recherche"]  # the list of actors


@pytest.mark.parametrize("name", IDS)
def test_a_search_for_the_payload_echoes_it_escaped(client: TestClient, name: str) -> None:
    payload = PAYLOADS[name]
    response = client.get("/recherche", params={"q": payload})
    assert response.status_code == 200
    if dangerous(payload):
        assert payload not in response.text
    assert f'value="{escape(payload)}"' in response.text


@pytest.mark.parametrize("name", IDS)
def test_the_json_api_gives_back_the_exact_text(client: TestClient, name: str) -> None:
    body = client.get(f"/api/actors/{KEYS[name]}").json()
    assert (body["name"], body["description"]) == (PAYLOADS[name], PAYLOADS[name])


def test_csv_export_neutralises_and_keeps_the_rest(exports: dict[str, bytes]) -> None:
    header, *rows = read_zip(exports["csv"])["actor.csv"]
    names = {row[1]: row[header.index("skos:prefLabel")] for row in rows}
    for name, payload in PAYLOADS.items():
        expected = "'-2+3" if name == "negative-sum" else payload  # "-2+3" runs in a spreadsheet
        assert names[KEYS[name]] == expected == neutralise(payload)


def test_gexf_and_graphml_keep_the_exact_labels(exports: dict[str, bytes]) -> None:
    for fmt in ("gexf", "graphml"):
        tree = ET.fromstring(exports[fmt])  # well-formed: the text is XML-escaped
        labels = {e.get("label") for e in tree.iter() if e.get("label") is not None} | {
            e.text for e in tree.iter() if e.text is not None
        }
        for name, payload in PAYLOADS.items():
            assert payload in labels, (fmt, name)


@pytest.mark.parametrize(
    "fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]
)
def test_rdf_exports_parse_back_to_the_same_literals(
    exports: dict[str, bytes], fmt: str, parser: str
) -> None:
    graph = Dataset() if fmt == "nt" else Graph()
    graph.parse(data=exports[fmt], format=parser)
    for name, payload in PAYLOADS.items():
        actor = data_iri("actor", KEYS[name])
        assert {str(o) for o in graph.objects(actor, SKOS.prefLabel)} == {payload}, (fmt, name)
        assert {str(o) for o in graph.objects(actor, DCTERMS.description)} == {payload}, (fmt, name)


# --- as query parameters: no 5xx, nothing changed ------------------------------------------------------


def parameter_urls(payload: str) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/api/actors", {"q": payload}),
        ("/api/actors", {"field": payload, "commune": payload, "country": payload, "sort": payload}),
        ("/api/actors", {"offers": payload, "needs": payload, "type": payload, "college": payload}),
        ("/api/projects", {"field": payload, "status": payload}),
        ("/api/synergies", {"field": payload, "territory": payload, "kind": payload}),
        ("/api/overlaps", {"actor": payload}),
        ("/api/network/path", {"from": payload, "to": KEYS["script"]}),
        ("/recherche", {"q": payload, "domaine": payload, "type": payload}),
        ("/sparql", {"query": payload}),
        ("/sparql", {"query": "ASK { ?s ?p ?o }", "default-graph-uri": payload}),
        (f"/api/actors/{quote(payload, safe='')}", {}),
        (f"/id/actor/{quote(payload, safe='')}", {}),
        (f"/actors/{quote(payload, safe='')}", {}),
        (f"/export/{quote(payload, safe='')}", {}),
    ]


def test_payloads_as_parameters_get_no_5xx_and_change_nothing(client: TestClient, store: Store) -> None:
    before = (len(store), store.generation)
    checked = 0
    for payload in [*PAYLOADS.values(), *FORMULAS, "\x00", "a" * 5000]:
        for url, params in parameter_urls(payload):
            response = client.get(url, params=params)
            assert response.status_code < 500, (url, params, response.text[:300])
            if response.headers.get("content-type", "").startswith("text/html") and dangerous(payload):
                assert payload not in response.text, (url, params)
            checked += 1
    assert checked == (len(PAYLOADS) + len(FORMULAS) + 2) * 14
    assert (len(store), store.generation) == before


# --- CSV formulas: refused on import, neutralised on export when typed in the API ------------------------


def test_formulas_are_refused_on_import_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    before = (len(store), store.generation)
    path = tmp_path / "membres.xlsx"
    path.write_bytes(workbook({name: formula for name, formula in zip(PAYLOADS, FORMULAS, strict=False)}))
    with pytest.raises(ImportRefusedError) as refused:
        import_path(store, path)
    found = {(p.row, p.column, p.rule) for p in refused.value.report.problems}
    # \t and \r are stripped from the cell's ends by the reader: "=1+1" is refused like the others
    assert found == {
        (row, column, "formule de tableur refusée")
        for row in range(2, 2 + len(FORMULAS))
        for column in ("nom", "description")
    }
    assert (len(store), store.generation) == before


def test_formulas_typed_in_the_api_are_neutralised_in_the_csv_export(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    folder = tmp_path / "membres.xlsx"
    folder.write_bytes(workbook({"sql": PAYLOADS["sql"]}))
    import_path(store, folder)
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    client = TestClient(create_app(store, tokens=tokens))
    animator = {"Authorization": "Bearer " + tokens.create("animator")[1]}
    for i, formula in enumerate(FORMULAS):
        body = {"id": f"formule-{i}", "name": formula, "type": "association", "fields": ["emploi"]}
        body |= {"commune": "40312", "country": "FR", "description": formula}
        response = client.post("/api/actors", json=body, headers=animator)
        assert response.status_code == 201, response.text
        # the API trims a text's ends, as the importer does: "\t=1+1" is stored "=1+1"
        assert client.get(f"/api/actors/formule-{i}").json()["name"] == formula.strip()
    header, *rows = read_zip(b"".join(export_chunks(store, "csv")))["actor.csv"]
    cells = {
        row[1]: (row[header.index("skos:prefLabel")], row[header.index("dct:description")]) for row in rows
    }
    for i, formula in enumerate(FORMULAS):
        assert cells[f"formule-{i}"] == ("'" + formula.strip(), "'" + formula.strip())
    store.close()


# --- through the Bolt store (FalkorDB splices parameters into the query text) ------------------------------


def test_the_bolt_store_reads_back_every_payload_and_loses_nothing(
    folder: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = make_store("bolt", tmp_path, request)
    try:
        import_path(store, _seed(tmp_path))
        before = dump_set(store)
        import_path(store, folder)
        after = dump_set(store)
        assert before - after == set()  # an injection deleted nothing
        assert len(after) > len(before)
        for name, payload in PAYLOADS.items():
            actor = data_iri("actor", KEYS[name])
            assert [str(o) for _s, _p, o in store.triples(actor, SKOS.prefLabel, None)] == [payload], name
            assert [str(o) for _s, _p, o in store.triples(actor, DCTERMS.description, None)] == [payload]
        client = TestClient(create_app(store), raise_server_exceptions=False)
        for name, payload in PAYLOADS.items():
            assert client.get(f"/api/actors/{KEYS[name]}").json()["name"] == payload
            for url, params in parameter_urls(payload)[:8]:
                assert client.get(url, params=params).status_code < 500, (url, params)
        assert dump_set(store) == after
    finally:
        drop = getattr(store, "drop_everything", None)
        if drop is not None:
            drop()
        store.close()


def _seed(tmp_path: Path) -> Path:
    """A first network already in the store, which the hostile import must leave whole."""
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "reseau.csv").write_text("identifiant,nom,commune,pays\nreseau-temoin,Réseau témoin,40312,FR\n")
    (seed / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\ntemoin,Témoin,association,emploi,40312,FR\n"
    )
    return seed


def dump_set(store: Store) -> set[bytes]:
    out = io.BytesIO()
    store.dump_nquads(out)
    return {
        line
        for line in out.getvalue().splitlines()
        if b"/import-run/" not in line and b"/provenance" not in line
    }


def test_text_no_store_can_hold_is_refused_in_words(tmp_path: Path) -> None:
    """A lone UTF-16 surrogate in JSON made the store's commit fail (a 500) after the shapes had passed."""
    store = OxigraphStore(tmp_path / "db")
    folder = tmp_path / "membres.xlsx"
    folder.write_bytes(workbook({"sql": PAYLOADS["sql"]}))
    import_path(store, folder)
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    client = TestClient(create_app(store, tokens=tokens), raise_server_exceptions=False)
    animator = {"Authorization": "Bearer " + tokens.create("animator")[1], "content-type": "application/json"}
    before = (len(store), store.generation)
    body = (
        '{"id": "surrogat", "name": "A\\ud800B", "type": "association", "fields": ["emploi"], '
        '"commune": "40312", "country": "FR"}'
    )
    response = client.post("/api/actors", content=body, headers=animator)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["regle"] == (
        "texte invalide : caractère UTF-16 isolé (U+D800), ce n'est pas un caractère Unicode"
    )
    assert detail["valeur"] == "A\\ud800B"
    assert (len(store), store.generation) == before
    # a NUL character is a character: it is kept and given back
    body = body.replace("\\ud800", "\\u0000").replace("surrogat", "nul")
    assert client.post("/api/actors", content=body, headers=animator).status_code == 201
    assert client.get("/api/actors/nul").json()["name"] == "A\x00B"
    store.close()


@pytest.mark.parametrize(
    "homepage",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://exemple.org/"><script>alert(1)</script>',
        "http://exemple .org",
    ],
)
def test_a_homepage_that_is_not_a_web_address_is_refused_like_on_import(
    tmp_path: Path, homepage: str
) -> None:
    """The API took « javascript: » as a site (the import refused it), and a space or a quote made a 500."""
    store = OxigraphStore(tmp_path / "db")
    folder = tmp_path / "membres.xlsx"
    folder.write_bytes(workbook({"sql": PAYLOADS["sql"]}))
    import_path(store, folder)
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    client = TestClient(create_app(store, tokens=tokens), raise_server_exceptions=False)
    animator = {"Authorization": "Bearer " + tokens.create("animator")[1]}
    before = (len(store), store.generation)
    body = {"id": "site", "name": "Site", "type": "association", "fields": ["emploi"], "commune": "40312"}
    response = client.post(
        "/api/actors", json=body | {"country": "FR", "homepage": homepage}, headers=animator
    )
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["parametre"], detail["regle"]) == (
        "homepage",
        "adresse web invalide (elle commence par https://)",
    )
    assert (len(store), store.generation) == before
    store.close()


# --- bodies over the limit (maillage.api.limits) ------------------------------------------------------------


def test_a_2_mib_body_on_every_write_route_gets_413_unread_and_changes_nothing(
    client: TestClient, store: Store
) -> None:
    """A JSON write route read a 30 MB body whole, then answered 422; now 413 before reading, everywhere."""
    before = (len(store), store.generation)
    routes = sorted(
        (path, method)
        for path, route in app_routes(client.app)  # type: ignore[arg-type]
        for method in route.methods & {"POST", "PUT", "PATCH"}
        if getattr(route, "body_field", None) is not None and not isinstance(route, UploadRoute)
    )
    # 20 JSON API writes and 5 page forms today (3 on the actor's edit page, /taxonomie, /connexion)
    assert len(routes) >= 25 and {("/api/actors/{actor_id}", "PATCH"), ("/taxonomie", "POST")} <= set(routes)
    for template, method in routes:
        path = re.sub(r"\{[^}]+\}", "x", template)
        kind = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
        declared = client.request(method, path, content=b"{" * (2 << 20), headers={"Content-Type": kind})
        streamed = client.request(
            method, path, content=(b"{" * 2**16 for _ in range(32)), headers={"Content-Type": kind}
        )
        limit = (
            f"la limite est de 1 Mo (1048576 octets) pour « {path} » ; un fichier s'importe par /api/imports"
        )
        for answer, seen in ((declared, "2097152 octets"), (streamed, "plus de 1048576 octets")):
            assert answer.status_code == 413, (method, path, answer.text[:300])
            assert answer.json()["error"] == {
                "status": 413,
                "code": "trop_volumineux",
                "message": f"Corps de la requête trop volumineux ({seen}) : {limit}",
                "details": [],
            }
    assert client.get("/api/actors?limit=1").status_code == 200  # still answering
    assert (len(store), store.generation) == before
