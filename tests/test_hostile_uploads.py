"""Hostile uploads (issue 7 item 4): RDF that tries to reach the network or to explode in memory, JSON nested
100,000 deep, bodies over the limits. Each is refused in French, writes nothing, and the server answers on.

A listener on 127.0.0.1 stands for the network: no parse may connect to it. The first RDF/XML and JSON-LD
refusals (one external entity, one remote context, one owl:imports) are in tests/test_ingest_sources.py and
tests/test_export.py; here are their variants and the attacks that needed a fix (billion laughs, deep JSON).
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import ensure_reference_data, import_path
from maillage.ingest.readers.rdf import RDFRefusedError, read_rdf
from maillage.ingest.report import ImportRefusedError

RDF_BODY = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">'
    '<rdf:Description rdf:about="https://w3id.org/maillage/id/actor/a"><s:name>{text}</s:name>'
    "</rdf:Description></rdf:RDF>"
)
# « lol » ten times per level, nine levels: 3 × 10⁹ characters from a 700-byte file.
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
    + RDF_BODY.format(text="&j;")
)
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port = self.socket.getsockname()[1]
        self.connections: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(1000))
                except OSError:
                    self.connections.append(b"")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.socket.close()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    store = OxigraphStore(tmp_path / "db")
    ensure_reference_data(store)
    yield store
    store.close()


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


def refused(store: Store, path: Path, **options: str) -> list[str]:
    """The rules of an import that must be refused and leave the store as it was."""
    before = dump(store)
    with pytest.raises(ImportRefusedError) as error:
        import_path(store, path, **options)  # type: ignore[arg-type]
    assert dump(store) == before
    return [p.rule for p in error.value.report.problems]


def hostile_rdf(listener: Listener) -> dict[str, bytes]:
    """file name → content: every way an RDF file could make the parser fetch something."""
    url = listener.url
    entity = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}x">]>' + RDF_BODY.format(text="&x;")
    return {
        "entite-http.rdf": entity.encode(),
        "entite-fichier.rdf": entity.replace(url + "x", "file:///etc/passwd").encode(),
        "entite-parametre.rdf": (
            f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}p"> %p;]>' + RDF_BODY.format(text="x")
        ).encode(),
        "dtd-publique.rdf": (
            f'<!DOCTYPE r PUBLIC "-//X//Y" "{url}d.dtd">' + RDF_BODY.format(text="x")
        ).encode(),
        "utf16.rdf": ('<?xml version="1.0" encoding="UTF-16"?>' + entity).encode("utf-16"),
        "contexte.jsonld": f'{{"@context": "{url}c", "@id": "urn:a"}}'.encode(),
        "contexte-liste.jsonld": f'[{{"@context": ["{url}c"], "@id": "urn:a"}}]'.encode(),
        "contexte-portee.jsonld": (
            f'{{"@context": {{"n": {{"@id": "urn:n", "@context": "{url}c"}}}}, '
            '"@id": "urn:a", "n": {"@id": "urn:b"}}'
        ).encode(),
        "contexte-import.jsonld": f'{{"@context": {{"@import": "{url}i"}}, "@id": "urn:a"}}'.encode(),
        "contexte.json": f'{{"@context": "{url}c", "@id": "urn:a"}}'.encode(),
        "base.ttl": (
            f"@base <{url}> . @prefix owl: <http://www.w3.org/2002/07/owl#> . <o> owl:imports <o2> ."
        ).encode(),
    }


def test_no_rdf_upload_reaches_the_network(store: Store, tmp_path: Path, listener: Listener) -> None:
    files = hostile_rdf(listener)
    rules = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        [rules[name]] = refused(store, tmp_path / name)
    time.sleep(0.2)  # a connection would have been accepted by now
    assert listener.connections == []
    external = "DTD ou entité XML externe refusée : Maillage ne la cherche jamais sur le réseau"
    remote = "contexte JSON-LD distant refusé : Maillage ne va jamais le chercher sur le réseau"
    assert rules == {
        "entite-http.rdf": external,
        "entite-fichier.rdf": external,
        "entite-parametre.rdf": external,
        "dtd-publique.rdf": external,
        # rdflib reads RDF/XML as UTF-8 only: the UTF-16 file is refused before any entity is looked at
        "utf16.rdf": "fichier RDF illisible (xml) : 'utf-8' codec can't decode byte 0xff in position 0: "
        "invalid start byte",
        "contexte.jsonld": remote,
        "contexte-liste.jsonld": remote,
        "contexte-portee.jsonld": remote,
        "contexte-import.jsonld": remote,
        "contexte.json": remote,
        "base.ttl": "owl:imports refusé : Maillage ne suit pas les imports d'ontologies sur le réseau",
    }


def test_billion_laughs_is_refused_at_once(store: Store, tmp_path: Path) -> None:
    """Before the fix, rdflib spent minutes joining the expanded text of a 1 KB file (hours for this one)."""
    path = tmp_path / "rires.rdf"
    path.write_text(LAUGHS)
    assert refused(store, path) == [
        "entité XML définie par d'autres entités refusée (expansion exponentielle, « billion laughs »)"
    ]
    with pytest.raises(RDFRefusedError) as error:
        read_rdf(LAUGHS.encode(), name="rires.rdf", suffix=".rdf")
    assert error.value.problem.value == "<!ENTITY b …>"


def test_text_in_a_million_pieces_is_refused_but_entities_for_names_pass() -> None:
    """A 12 MB literal of « &lt; » (3 million pieces) would cost rdflib hours; a DTD entity that abbreviates a
    namespace (as Protégé writes) is still read."""
    with pytest.raises(RDFRefusedError, match="texte XML trop morcelé"):
        read_rdf(RDF_BODY.format(text="&lt;" * 3_000_000).encode(), name="x.rdf", suffix=".rdf")
    short = read_rdf(RDF_BODY.format(text="&lt;" * 1000).encode(), name="x.rdf", suffix=".rdf")
    assert [str(o) for o in short.objects()] == ["<" * 1000]
    named = '<!DOCTYPE r [<!ENTITY id "https://w3id.org/maillage/id/">]>' + RDF_BODY.replace(
        "https://w3id.org/maillage/id/", "&id;"
    ).format(text="Atelier")
    graph = read_rdf(named.encode(), name="x.rdf", suffix=".rdf")
    assert [(str(s), str(o)) for s, _p, o in graph] == [("https://w3id.org/maillage/id/actor/a", "Atelier")]


@pytest.mark.parametrize(
    "name,source,rule",
    [
        ("profond.jsonld", None, "fichier RDF illisible (json-ld) : maximum recursion depth exceeded"),
        ("profond.json", None, "fichier RDF illisible (json-ld) : maximum recursion depth exceeded"),
        ("profond.json", "gogocarto", "JSON illisible (maximum recursion depth exceeded"),
    ],
)
def test_json_nested_100000_deep_is_refused_in_words(
    store: Store, tmp_path: Path, name: str, source: str | None, rule: str
) -> None:
    """The sniffers and the GoGoCarto reader let json.loads's RecursionError through: a crash, no refusal."""
    path = tmp_path / name
    path.write_bytes(DEEP_JSON)
    [found] = refused(store, path, **({"source": source} if source else {}))
    assert found.startswith(rule)


# --- through the API --------------------------------------------------------------------------------------


@pytest.fixture()
def client(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    app = create_app(store, tokens=tokens)
    yield (
        TestClient(app, raise_server_exceptions=False),
        {"Authorization": "Bearer " + tokens.create("animator")[1]},
    )


def test_hostile_rdf_uploads_get_422_and_write_nothing(
    store: Store, client: tuple[TestClient, dict[str, str]], listener: Listener
) -> None:
    http, animator = client
    before = dump(store)
    files = {**hostile_rdf(listener), "rires.rdf": LAUGHS.encode(), "profond.jsonld": DEEP_JSON}
    for name, data in files.items():
        response = http.post(
            "/api/imports", headers=animator, files={"file": (name, data)}, data={"dry_run": "false"}
        )
        assert response.status_code == 422, (name, response.text[:300])
        assert response.json()["error"]["code"] == "import_refuse"
    assert listener.connections == [] and dump(store) == before


WRITE_ROUTES = [
    "/api/actors",
    "/api/projects",
    "/api/partnerships",
    "/api/participations",
    "/api/projects/check",
]


def test_deep_and_oversized_bodies_get_4xx_and_the_server_answers_on(
    store: Store, client: tuple[TestClient, dict[str, str]]
) -> None:
    http, animator = client
    before = dump(store)
    json_headers = {**animator, "content-type": "application/json"}
    for url in WRITE_ROUTES:
        deep = http.post(url, content=DEEP_JSON, headers=json_headers)
        assert (deep.status_code, deep.json()["error"]["message"]) == (
            400,
            "Corps de la requête illisible : JSON mal formé ou imbriqué trop profondément",
        ), url
        chunks = (b"x" * 2**20 for _ in range(21))  # 21 MiB without a declared length
        assert http.post(url, content=chunks, headers=json_headers).status_code in (400, 413, 422), url
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert http.post("/sparql", content=b"query=" + DEEP_JSON, headers=form).status_code in (400, 413)
    streamed = http.post(
        "/sparql",
        content=(b"x" * 2**20 for _ in range(21)),
        headers={"content-type": "application/sparql-query"},
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["message"].startswith("Corps de la requête trop volumineux")
    assert http.get("/api/actors").status_code == 200  # still answering
    assert dump(store) == before
