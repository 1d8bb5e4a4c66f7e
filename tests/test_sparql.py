"""/sparql: the SPARQL 1.1 Protocol, read-only, bounded in time and size, public data for the public.

Counts worked out from ingest/data/sample/ptce-sud-aquitain/: acteurs.csv has 79 actors, 5 inhabitants of
whom 2 did not consent (hab-jean-baptiste-dufau, hab-lucas-lafitte): 77 public actors, 79 for an animator;
projets.csv has 18 projects. The seeded store (tests/test_export.py) adds an e-mail address and a phone
number to Dufau: the secrets.
"""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from maillage.api.app import create_app
from maillage.graph._sparql.checks import RefusedQueryError, query_form
from maillage.graph._sparql.formats import negotiate
from maillage.graph.privacy import Audience
from maillage.graph.sparql import SparqlEndpoint, SparqlError, SparqlLimits
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from maillage.ontology.iri import DATA_BASE, data_iri, network_graph
from maillage.ontology.vocab import MAI

from . import test_export
from .conftest import SAMPLE
from .test_export import BREAKOUT, DUFAU, SECRETS

seeded_store = test_export.seeded_store  # the seeded network's fixture, shared
TIMEOUT = 2.0
PREFIXES = (
    "PREFIX mai: <https://w3id.org/maillage/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
ACTORS = (
    PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { VALUES ?t { mai:Organisation mai:Person } ?a a ?t }"
)
PROJECTS = PREFIXES + "SELECT ?p ?nom WHERE { ?p a mai:Project ; skos:prefLabel ?nom }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
EVERYTHING = "CONSTRUCT WHERE { ?s ?p ?o }"


def sample_rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PUBLIC_ACTORS = sum(
    1
    for row in sample_rows("acteurs.csv")
    if row["type"] != "habitant" or row["consentement_public"] == "oui"
)
ALL_ACTORS = len(sample_rows("acteurs.csv"))
EXPECTED_PROJECTS = {
    (DATA_BASE + "project/" + row["identifiant"], row["nom"]) for row in sample_rows("projets.csv")
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")


@pytest.fixture(scope="module")
def client(seeded_store: Store, tokens: TokenStore) -> Iterator[TestClient]:
    """The seeded network, a 2 s time limit, and a result limit above its size (whole dumps)."""
    app = create_app(
        seeded_store, tokens=tokens, sparql_limits=SparqlLimits(timeout=TIMEOUT, max_results=100_000)
    )
    yield TestClient(app)
    app.state.sparql.close()


@pytest.fixture(scope="module")
def roles(tokens: TokenStore) -> dict[str, dict[str, str]]:
    """The request headers of each kind of caller."""
    return {
        "public": {},
        "member": bearer(tokens.create("member", actor="ressourcerie-lur-berri")[1]),
        "animator": bearer(tokens.create("animator")[1]),
        "admin": bearer(tokens.create("admin")[1]),
    }


def count(response: object) -> int:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    bindings = response.json()["results"]["bindings"]  # type: ignore[attr-defined]
    return int(bindings[0]["n"]["value"])


# --- what each caller sees ---------------------------------------------------------------------------------


def test_the_public_and_members_count_the_public_actors_animators_all(
    client: TestClient, roles: dict[str, dict[str, str]]
) -> None:
    assert (PUBLIC_ACTORS, ALL_ACTORS) == (77, 79)
    seen = {
        role: count(client.get("/sparql", params={"query": ACTORS}, headers=h)) for role, h in roles.items()
    }
    assert seen == {"public": 77, "member": 77, "animator": 79, "admin": 79}


def test_no_public_answer_holds_a_secret_but_an_animator_s_does(
    client: TestClient, roles: dict[str, dict[str, str]]
) -> None:
    dufau = f"<{DUFAU}>"
    queries = [
        EVERYTHING,
        f"DESCRIBE {dufau}",
        # the query does not spell a secret itself: the page echoes it
        'SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(LCASE(STR(?o)), "dufau")) }',
        f"SELECT * WHERE {{ ?m ?p {dufau} }}",
    ]
    outputs = []
    for role in ("public", "member"):
        for query in queries:
            for accept in (
                "application/sparql-results+json",
                "text/csv",
                "text/turtle",
                "application/ld+json",
            ):
                response = client.get(
                    "/sparql", params={"query": query}, headers={**roles[role], "accept": accept}
                )
                assert response.status_code in (200, 406), response.text
                outputs.append(response.content)
        response = client.get(
            "/sparql", params={"query": queries[2]}, headers={**roles[role], "accept": "text/html"}
        )
        outputs.append(response.content)
    outputs.append(client.get("/sparql", params={"query": f"ASK {{ {dufau} ?p ?o }}"}).content)
    leaks = [secret for secret in SECRETS for output in outputs if secret.encode() in output]
    assert leaks == []
    assert b'"boolean": false' in outputs[-1]
    # the same dump, for an animator, holds every secret
    private = client.get("/sparql", params={"query": EVERYTHING}, headers=roles["animator"]).content
    assert all(secret.encode() in private for secret in SECRETS)


@pytest.mark.parametrize("sample_store_any", ["oxigraph", "bolt"], indirect=True)
def test_the_endpoint_answers_on_every_store_kind(sample_store_any: Store) -> None:
    endpoint = SparqlEndpoint(sample_store_any, limits=SparqlLimits(timeout=10))
    try:
        public = json.loads(endpoint.query(ACTORS).body)["results"]["bindings"][0]["n"]["value"]
        everyone = json.loads(endpoint.query(ACTORS, audience=Audience.ANIMATORS).body)["results"]["bindings"]
        rows = ox.parse_query_results(endpoint.query(PROJECTS).body, format=ox.QueryResultsFormat.JSON)
        projects = {(row["p"].value, row["nom"].value) for row in rows}
    finally:
        endpoint.close()
    assert (int(public), int(everyone[0]["n"]["value"])) == (77, 79)
    assert projects == EXPECTED_PROJECTS and len(projects) == 18


def test_a_write_to_the_store_reaches_the_next_query(tmp_path: Path) -> None:
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    endpoint = SparqlEndpoint(store, limits=SparqlLimits(timeout=10))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        assert json.loads(endpoint.query(query).body)["results"]["bindings"][0]["n"]["value"] == "0"
        store.add_all([(data_iri("actor", "a"), SKOS.prefLabel, Literal("A"), network_graph("n"))])
        assert json.loads(endpoint.query(query).body)["results"]["bindings"][0]["n"]["value"] == "1"
    finally:
        endpoint.close()


def count_of(endpoint: SparqlEndpoint) -> int:
    answer = endpoint.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def wait_for_count(endpoint: SparqlEndpoint, expected: int, seconds: float = 120) -> None:
    """Query until the snapshot taken in the background counts `expected` quads."""
    deadline = time.monotonic() + seconds
    while count_of(endpoint) != expected:
        assert time.monotonic() < deadline, "le nouvel instantané n'est jamais arrivé"
        time.sleep(0.2)


def test_a_slow_snapshot_is_replaced_in_the_background_from_a_checkpoint(tmp_path: Path) -> None:
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "oxigraph")
    # every snapshot counts as slow: after a write, queries keep the previous one while the next is taken
    endpoint = SparqlEndpoint(store, limits=SparqlLimits(timeout=10), stale_after=-1.0, rest_ratio=0.0)
    label = (data_iri("actor", "a"), SKOS.prefLabel, Literal("A"), network_graph("n"))
    try:
        assert count_of(endpoint) == 0
        store.add_all([label])
        assert count_of(endpoint) == 0  # answered at once, from the previous snapshot
        wait_for_count(endpoint, 1)
    finally:
        endpoint.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oxigraph"]  # the checkpoint is gone


def test_queries_waiting_for_the_first_snapshot_do_not_each_take_one_after_a_write() -> None:
    # At 25,000 actors the first snapshot takes minutes under load. Queries that arrived meanwhile waited
    # for it, then — a write having landed — each took another one in turn, in the request path: minutes
    # of stalled API. Now the second query is served the first snapshot (stale), and the next one is
    # taken once, in the background.
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    endpoint = SparqlEndpoint(store, limits=SparqlLimits(timeout=10), stale_after=-1.0, rest_ratio=0.0)
    taken_by: list[str] = []
    start_worker = endpoint._start_worker
    second: list[int] = []
    waiting = threading.Thread(target=lambda: second.append(count_of(endpoint)))

    def counted(audience: Audience, *, apart: bool) -> object:
        taken_by.append(threading.current_thread().name)
        worker = start_worker(audience, apart=apart)
        if len(taken_by) == 1:  # the first snapshot is taken: a write lands, a second query comes and waits
            store.add_all([(data_iri("actor", "a"), SKOS.prefLabel, Literal("A"), network_graph("n"))])
            waiting.start()
            time.sleep(0.5)
        return worker

    endpoint._start_worker = counted  # type: ignore[method-assign]
    try:
        assert count_of(endpoint) == 0  # the first snapshot was read before the write
        waiting.join(30)
        assert second == [0]  # the waiting query: the same snapshot, stale, not a second one of its own
        wait_for_count(endpoint, 1)
    finally:
        endpoint.close()
    request_threads = [name for name in taken_by if not name.startswith("maillage-sparql-")]
    assert len(request_threads) == 1 and len(taken_by) >= 2  # one in a request, the next in the background


def test_a_started_server_takes_the_first_public_snapshot_apart_before_any_query(tmp_path: Path) -> None:
    # At 25,000 actors the first public snapshot took a minute under load, written in the API process by
    # the first query while every other waited: `maillage serve` now starts it (and the index) at once.
    from maillage.api.app import warm_up
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "oxigraph")
    store.add_all([(data_iri("actor", "a"), SKOS.prefLabel, Literal("A"), network_graph("n"))])
    app = create_app(store, sparql_limits=SparqlLimits(timeout=10))
    endpoint: SparqlEndpoint = app.state.sparql
    taken: list[tuple[str, bool]] = []
    start_worker = endpoint._start_worker

    def recorded(audience: Audience, *, apart: bool) -> object:
        taken.append((audience.name, apart))
        return start_worker(audience, apart=apart)

    endpoint._start_worker = recorded  # type: ignore[method-assign]
    try:
        for thread in warm_up(app):
            thread.join(60)
        assert taken == [("PUBLIC", True)]  # taken once, in a process of its own
        index = app.state.maillage.current_index()
        assert index is not None  # the index was built, and warmed: the synergy maxima are known
        assert ("complementarite", False) in index.derived["synergies"].maxima
        assert count_of(endpoint) == 1
        assert taken == [("PUBLIC", True)]  # the first query used it: no snapshot of its own
    finally:
        endpoint.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oxigraph"]  # the checkpoint is gone


def test_a_server_told_not_to_takes_no_snapshot_at_start(tmp_path: Path) -> None:
    # MAILLAGE_SPARQL_AT_START=non: for a server nobody queries by SPARQL, no worker and no snapshot
    from maillage.api.app import warm_up
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "oxigraph")
    store.add_all([(data_iri("actor", "a"), SKOS.prefLabel, Literal("A"), network_graph("n"))])
    app = create_app(store, sparql_limits=SparqlLimits(timeout=10))
    endpoint: SparqlEndpoint = app.state.sparql
    try:
        threads = warm_up(app, sparql=False)
        assert [thread.name for thread in threads] == ["maillage-index-first"]
        threads[0].join(60)
        assert app.state.maillage.current_index() is not None
        assert endpoint._workers == {}  # nothing taken: the first query will
        assert count_of(endpoint) == 1
        assert list(endpoint._workers) == [Audience.PUBLIC]
    finally:
        endpoint.close()


def test_the_public_snapshot_is_never_served_stale_once_someone_withdraws_consent(tmp_path: Path) -> None:
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "oxigraph")
    person, graph = data_iri("actor", "jeanne"), network_graph("n")
    consent = (person, MAI.publicConsent, Literal(True), graph)
    store.add_all(
        [(person, RDF.type, MAI.Person, graph), (person, SKOS.prefLabel, Literal("Jeanne"), graph), consent]
    )
    endpoint = SparqlEndpoint(store, limits=SparqlLimits(timeout=10), stale_after=-1.0, rest_ratio=0.0)
    names = "SELECT ?l WHERE { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"

    def shown() -> list[str]:
        return [row["l"]["value"] for row in json.loads(endpoint.query(names).body)["results"]["bindings"]]

    try:
        assert shown() == ["Jeanne"]
        with store.transaction() as tx:
            tx.remove(consent)
            tx.add((person, MAI.publicConsent, Literal(False), graph))
        assert shown() == []  # at once: the previous snapshot showed her
    finally:
        endpoint.close()


def test_a_snapshot_taken_apart_keeps_the_privacy_filter(seeded_store: Store, tmp_path: Path) -> None:
    from maillage.graph._sparql.snapshot import write_snapshot_apart
    from maillage.graph.stores.oxigraph import OxigraphStore

    assert write_snapshot_apart(OxigraphStore(None), tmp_path / "x.nq", audience=Audience.PUBLIC) is None
    store = OxigraphStore(tmp_path / "oxigraph")
    store.add_all(seeded_store.quads())
    written = {}
    for audience in Audience:
        path = tmp_path / f"{audience.name}.nq"
        count = write_snapshot_apart(store, path, audience=audience)
        text = path.read_text("utf-8")
        assert count == len(text.splitlines())
        written[audience] = text
    # the person who did not consent, and its secrets, only in the animators' snapshot (members neither)
    for audience in (Audience.PUBLIC, Audience.NETWORK):
        assert all(secret not in written[audience] for secret in SECRETS)
        assert str(DUFAU) not in written[audience]
    assert str(DUFAU) in written[Audience.ANIMATORS]
    assert all(secret in written[Audience.ANIMATORS] for secret in SECRETS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ANIMATORS.nq",
        "NETWORK.nq",
        "PUBLIC.nq",
        "oxigraph",
    ]


# --- the protocol and the formats --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
def test_select_answers_parse_back_to_the_sample_projects(client: TestClient, name: str) -> None:
    response = client.get("/sparql", params={"query": PROJECTS, "format": name})
    assert response.status_code == 200
    rows = ox.parse_query_results(response.content, format=getattr(ox.QueryResultsFormat, name.upper()))
    assert {(row["p"].value, row["nom"].value) for row in rows} == EXPECTED_PROJECTS


def test_csv_answer_reads_back_with_a_header_line(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": PROJECTS}, headers={"accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(response.text.splitlines()))
    assert lines[0] == ["p", "nom"] and {tuple(line) for line in lines[1:]} == EXPECTED_PROJECTS


@pytest.mark.parametrize(
    "accept,parser",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_parse_back_to_the_sample_projects(
    client: TestClient, accept: str, parser: str
) -> None:
    query = (
        PREFIXES
        + "CONSTRUCT { ?p a mai:Project ; skos:prefLabel ?nom } "
        + "WHERE { ?p a mai:Project ; skos:prefLabel ?nom }"
    )
    response = client.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query", "accept": accept}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    expected = Graph()
    for iri, name in EXPECTED_PROJECTS:
        expected.add((URIRef(iri), RDF.type, MAI.Project))
        expected.add((URIRef(iri), SKOS.prefLabel, Literal(name)))
    assert isomorphic(Graph().parse(data=response.content, format=parser), expected)


@pytest.mark.parametrize(
    "name,expected", [("json", b'"boolean": true'), ("xml", b"<boolean>true</boolean>"), ("tsv", b"true\n")]
)
def test_ask_answers_in_each_results_format(client: TestClient, name: str, expected: bytes) -> None:
    query = f"ASK {{ <{data_iri('actor', 'ressourcerie-lur-berri')}> ?p ?o }}"
    response = client.post("/sparql", data={"query": query, "format": name})
    assert response.status_code == 200 and expected in response.content
    if name != "tsv":
        assert bool(
            ox.parse_query_results(response.content, format=getattr(ox.QueryResultsFormat, name.upper()))
        )


def test_graph_parameters_choose_the_default_and_named_graphs(client: TestClient) -> None:
    ontology = "https://w3id.org/maillage/graph/ontology"
    # the ontology graph as the only default graph: no actor in it
    alone = client.get("/sparql", params={"query": ACTORS, "default-graph-uri": ontology})
    assert count(alone) == 0
    named = PREFIXES + "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client.post("/sparql", data={"query": named, "named-graph-uri": [ontology]})) == 1
    bad = client.get("/sparql", params={"query": ACTORS, "named-graph-uri": "pas une IRI"})
    assert (
        bad.status_code == 400
        and bad.json()["error"]["message"] == "IRI de graphe invalide : « pas une IRI »"
    )


def test_no_format_fits_is_a_406_naming_the_choices(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": PROJECTS}, headers={"accept": "text/turtle"})
    assert response.status_code == 406
    assert response.json()["error"]["message"] == (
        "Aucun format demandé (« text/turtle ») ne convient à une requête SELECT : formats possibles : "
        "application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values"
    )


def test_negotiation_follows_the_quality_values() -> None:
    assert negotiate("select", accept="text/csv;q=0.2, application/sparql-results+xml").name == "xml"  # type: ignore[union-attr]
    assert negotiate("describe", accept="").name == "turtle"  # type: ignore[union-attr]
    assert negotiate("select", accept="text/turtle;q=0, */*;q=0.1").name == "json"  # type: ignore[union-attr]


def test_without_a_query_a_program_gets_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    described = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in described
    assert (None, URIRef(sd + "endpoint"), URIRef("http://testserver/sparql")) in described
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in described


def test_a_browser_gets_the_form_then_an_escaped_results_table(client: TestClient) -> None:
    form = client.get("/sparql", headers={"accept": "text/html"})
    assert form.status_code == 200 and '<textarea id="requete" name="query"' in form.text
    query = (
        PREFIXES
        + "SELECT ?d WHERE { ?a mai:actorType ?t ; <http://purl.org/dc/terms/description> ?d "
        + 'FILTER(CONTAINS(?d, "</script>")) }'
    )
    page = client.get("/sparql", params={"query": query}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "1 résultat." in page.text
    assert (
        BREAKOUT not in page.text and "Atelier &lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)" in page.text
    )
    refused = client.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/x>", "format": "html"})
    assert refused.status_code == 400 and "Mise à jour refusée (LOAD)" in refused.text


def test_the_form_s_examples_answer_with_the_sample_s_figures(client: TestClient) -> None:
    from collections import Counter

    from maillage.api.routers.sparql import EXAMPLES

    public = [
        r for r in sample_rows("acteurs.csv") if r["type"] != "habitant" or r["consentement_public"] == "oui"
    ]
    answers = [client.get("/sparql", params={"query": query}).json() for _title, query in EXAMPLES]
    by_type = sorted(int(row["nombre"]["value"]) for row in answers[0]["results"]["bindings"])
    assert by_type == sorted(
        Counter(row["type"] for row in public).values()
    )  # association 17, ..., habitant 3
    assert answers[1]["results"]["bindings"] and answers[2]["results"]["bindings"]
    in_64 = {row["nom"]["value"] for row in answers[2]["results"]["bindings"]}
    assert "Chantier d'insertion Bois & Adour" in in_64  # commune 64140
    assert "Ressourcerie Lur Berri" not in in_64  # Tarnos, Landes


def test_the_openapi_documents_both_methods_in_french(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]["/sparql"]
    assert paths["get"]["summary"] == "Interroger les données en SPARQL"
    assert paths["post"]["summary"] == "Interroger les données en SPARQL (requête dans le corps)"
    assert set(paths["post"]["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
    }
    assert {"400", "406", "413", "503", "504"} <= set(paths["get"]["responses"])


# --- refusals ----------------------------------------------------------------------------------------------


UPDATES = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("LOAD <http://127.0.0.1:9/donnees.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <https://w3id.org/maillage/graph/ontology>", "DROP"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE / INSERT"),
    ("PREFIX a: <urn:a#> COPY DEFAULT TO <urn:x> ; MOVE <urn:x> TO <urn:y>", "COPY, MOVE"),
]


@pytest.mark.parametrize("update,words", UPDATES)
def test_every_update_form_is_refused(
    client: TestClient, seeded_store: Store, update: str, words: str
) -> None:
    before = (len(seeded_store), seeded_store.generation)
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
    ):
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith(f"Mise à jour refusée ({words}) : ")
    for response in (
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
    ):
        assert response.status_code == 400 and response.json()["error"]["code"] == "requete_invalide"
    assert (len(seeded_store), seeded_store.generation) == before


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list[object] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            seen.append(address)
            connection.close()

    thread = threading.Thread(target=watch)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def service_queries(port: int) -> list[str]:
    here = f"<http://127.0.0.1:{port}/sparql>"
    return [
        f"SELECT * WHERE {{ SERVICE {here} {{ ?s ?p ?o }} }}",
        f"select * where {{ ?a ?b ?c OPTIONAL {{ service silent {here} {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVI\\u0043E {here} {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE {here} {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ BIND({here} AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE {here} {{ ?s ?p ?o }} }} }}",
    ]


def test_service_is_refused_and_nothing_connects(
    client: TestClient, listener: tuple[int, list[object]]
) -> None:
    port, seen = listener
    for query in service_queries(port):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400, query
        assert response.json()["error"]["message"].startswith("Clause SERVICE refusée"), query
    time.sleep(0.3)
    assert seen == []


FENCED = """
import socket, sys
import pyoxigraph as ox
from maillage.graph._sparql.child import fence
ours, theirs = socket.socketpair()
ours.detach()  # its descriptor becomes the query socket's: only the fence may close it
fence(theirs.detach(), memory_mb=512)
try:
    list(ox.Store().query(sys.argv[1]))
    print("évaluée")
except OSError as error:
    print("refusée :", error)
"""


def test_a_fenced_worker_cannot_connect_even_if_the_check_missed_service(
    listener: tuple[int, list[object]],
) -> None:
    port, seen = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    done = subprocess.run(
        [sys.executable, "-c", FENCED, query], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.startswith("refusée :") and "Too many open files" in done.stdout
    time.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize(
    "query,message",
    [
        ("SELECT * WHERE { ?s ?p ", "Requête SPARQL invalide : "),
        ("", "Requête SPARQL vide : donnez-la dans le paramètre « query »"),
        ("   \n", "Requête SPARQL vide : donnez-la dans le paramètre « query »"),
    ],
)
def test_bad_queries_get_a_400_in_the_common_shape(client: TestClient, query: str, message: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"status", "code", "message", "details"}
    assert response.json()["error"]["message"].startswith(message)


def test_oversized_and_malformed_requests_are_refused(client: TestClient) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 40_000
    response = client.post("/sparql", content=long, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        f"Requête SPARQL trop longue : {len(long)} caractères, la limite est 32768"
    )
    twice = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert (
        twice.status_code == 400
        and twice.json()["error"]["message"] == "Paramètre « query » donné 2 fois : il en faut un seul"
    )
    other = client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"})
    assert other.status_code == 415 and other.json()["error"]["code"] == "type_non_pris_en_charge"
    latin = client.post(
        "/sparql",
        content='ASK { ?s ?p "\xe9" }'.encode("latin-1"),
        headers={"content-type": "application/sparql-query"},
    )
    assert latin.status_code == 400 and latin.json()["error"]["message"].startswith(
        "Corps de la requête illisible"
    )


def test_injection_looking_text_is_data(client: TestClient, seeded_store: Store) -> None:
    before = (len(seeded_store), seeded_store.generation)
    attempts = [
        '" } ; DROP ALL ; SELECT * { "',
        "'); MATCH (n) DETACH DELETE n; //",
        "<script>alert(1)</script>",
        '\\" } } LOAD <http://127.0.0.1:9/x> #',
    ]
    for text in attempts:
        literal = json.dumps(text)  # a JSON string is a valid SPARQL string literal here
        query = PREFIXES + f"SELECT ?a WHERE {{ ?a skos:prefLabel ?l FILTER(?l = {literal}) }}"
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, (text, response.text)
        assert response.json()["results"]["bindings"] == []
        echoed = client.get("/sparql", params={"query": f"SELECT ({literal} AS ?x) WHERE {{}}"}).json()
        assert echoed["results"]["bindings"] == [{"x": {"type": "literal", "value": text}}]
    page = client.get(
        "/sparql?query=" + quote("SELECT * WHERE { } # <script>alert(1)</script>"),
        headers={"accept": "text/html"},
    )
    assert (
        "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    )
    assert (len(seeded_store), seeded_store.generation) == before


def test_the_check_finds_the_form_of_a_query() -> None:
    assert query_form(PROJECTS) == "select" and query_form("DESCRIBE <urn:x>") == "describe"
    with pytest.raises(RefusedQueryError, match="^Requête SPARQL invalide : "):
        query_form("SELECT WHERE")


# --- limits ------------------------------------------------------------------------------------------------


def test_a_runaway_query_is_stopped_and_the_next_one_answered(client: TestClient) -> None:
    started = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    elapsed = time.monotonic() - started
    assert response.status_code == 504 and response.json()["error"]["code"] == "delai_depasse"
    assert response.json()["error"]["message"].startswith("Requête arrêtée au bout de 2 s")
    assert TIMEOUT <= elapsed < TIMEOUT + 2
    assert count(client.get("/sparql", params={"query": ACTORS})) == 77


def test_a_query_that_eats_memory_is_stopped(seeded_store: Store) -> None:
    endpoint = SparqlEndpoint(seeded_store, limits=SparqlLimits(timeout=20, memory_mb=64))
    try:
        with pytest.raises(SparqlError, match=r"plus de mémoire que permis \(64 Mio") as stopped:
            endpoint.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d")
        assert stopped.value.status == 503
        assert endpoint.query("ASK { ?s ?p ?o }").body == b'{"head": {}, "boolean": true}'
    finally:
        endpoint.close()


def test_answers_are_cut_at_the_result_limit_and_say_so(seeded_store: Store) -> None:
    app = create_app(seeded_store, sparql_limits=SparqlLimits(timeout=10, max_results=5))
    try:
        small = TestClient(app)
        cut = small.get("/sparql", params={"query": PROJECTS})
        assert len(cut.json()["results"]["bindings"]) == 5
        assert (cut.headers["Maillage-Results-Truncated"], cut.headers["Maillage-Result-Limit"]) == (
            "true",
            "5",
        )
        whole = small.get("/sparql", params={"query": PROJECTS + " LIMIT 5"})
        assert (len(whole.json()["results"]["bindings"]), whole.headers["Maillage-Results-Truncated"]) == (
            5,
            "false",
        )
        triples = small.get(
            "/sparql", params={"query": EVERYTHING}, headers={"accept": "application/n-triples"}
        )
        assert len(triples.text.splitlines()) == 5 and triples.headers["Maillage-Results-Count"] == "5"
        page = small.get("/sparql", params={"query": PROJECTS}, headers={"accept": "text/html"})
        assert "Réponse coupée : seuls les 5 premiers résultats sont montrés" in page.text
    finally:
        app.state.sparql.close()


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from maillage.settings import get_sparql_limits

    monkeypatch.setenv("MAILLAGE_SPARQL_TIMEOUT", "2.5")
    monkeypatch.setenv("MAILLAGE_SPARQL_MAX_RESULTS", "100")
    limits = get_sparql_limits()
    assert (limits.timeout, limits.max_results, limits.max_query_chars, limits.concurrency) == (
        2.5,
        100,
        32768,
        2,
    )
    monkeypatch.setenv("MAILLAGE_SPARQL_MEMORY_MB", "beaucoup")
    with pytest.raises(ValueError, match="^MAILLAGE_SPARQL_MEMORY_MB : « beaucoup » n'est pas un nombre$"):
        get_sparql_limits()
    monkeypatch.delenv("MAILLAGE_SPARQL_MEMORY_MB")
    monkeypatch.setenv("MAILLAGE_SPARQL_TIMEOUT", "0")
    with pytest.raises(ValueError, match="^MAILLAGE_SPARQL_\\* : Limites SPARQL invalides"):
        get_sparql_limits()
