"""`maillage push` against a real Virtuoso (Debian's virtuoso-opensource-7-bin) started on loopback ports.

The server is started once for this module's tests (about 2 to 5 s) and always stopped. Without Virtuoso
the tests are skipped on a workstation and fail in CI (`CI=true`), as DESIGN §12 asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.export import public_graph, serialize
from maillage.graph.privacy import private_actors
from maillage.graph.push import (
    GENID,
    PushAuth,
    PushError,
    auth_from_environment,
    chunked,
    default_sparql_endpoint,
    push_graph,
    push_public,
    skolemized,
)
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path

from .conftest import IN_CI, SAMPLE
from .services.flaky_proxy import FlakyProxy
from .services.virtuoso import PASSWORD, USER, Virtuoso, VirtuosoMissingError, free_port, start_virtuoso

AUTH = PushAuth(USER, PASSWORD)
# `maillage export --format nt -o - | wc -l` on the sample network (N-Triples writes one triple per line; the
# sample has no blank node). By subject: actors 1092 + participations 680 + memberships 596 + needs 517
# + offers 496 + partnerships 270 + projects 208 + the network 5 = 3864 (private inhabitants left out).
SAMPLE_PUBLIC_TRIPLES = 3864
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
ACTOR = URIRef("https://w3id.org/maillage/id/actor/asso-habitat-partage-adour")
NETWORK_GRAPH = URIRef("https://w3id.org/maillage/graph/network/ptce-sud-aquitain")


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except VirtuosoMissingError as missing:
        if IN_CI:
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    yield server
    server.stop()


def remote_graph(virtuoso: Virtuoso, graph_iri: str) -> Graph:
    """The named graph as Virtuoso holds it, fetched by a SPARQL CONSTRUCT in N-Triples."""
    response = httpx.post(
        virtuoso.base_url + "/sparql",
        data={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "text/plain"},
        timeout=30,
    )
    response.raise_for_status()
    return Graph().parse(data=response.text, format="nt")


def test_push_the_sample_then_push_again_leaves_the_same_graph(
    sample_store: Store, virtuoso: Virtuoso
) -> None:
    graph_iri = "https://exemple.org/graphes/ptce-deux-fois"
    exported_lines = serialize(sample_store, "nt").decode("utf-8").strip().splitlines()
    assert len(exported_lines) == SAMPLE_PUBLIC_TRIPLES

    first = push_public(sample_store, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH)
    assert (first.triples, first.chunks, first.remote_count, first.retries) == (
        SAMPLE_PUBLIC_TRIPLES,
        1,
        3864,
        0,
    )
    assert virtuoso.count(graph_iri) == SAMPLE_PUBLIC_TRIPLES
    assert first.sentence() == (
        f"Graphe <{graph_iri}> remplacé : 3864 triplets envoyés en 1 morceau(x) ; le serveur en compte 3864."
    )

    again = push_public(sample_store, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH)
    assert again.remote_count == SAMPLE_PUBLIC_TRIPLES  # replaced, not doubled
    # the very same triples, accents and typed literals included
    assert isomorphic(remote_graph(virtuoso, graph_iri), public_graph(sample_store))


def test_small_chunks_in_turtle_give_the_same_graph(sample_store: Store, virtuoso: Virtuoso) -> None:
    graph_iri = "https://exemple.org/graphes/ptce-morceaux"
    report = push_public(
        sample_store,
        virtuoso.graph_store_url,
        graph_iri=graph_iri,
        auth=AUTH,
        format_name="turtle",
        chunk_triples=1000,
    )
    assert (report.chunks, report.remote_count) == (4, SAMPLE_PUBLIC_TRIPLES)  # ⌈3864 / 1000⌉ = 4 requests
    assert isomorphic(remote_graph(virtuoso, graph_iri), public_graph(sample_store))


def test_a_changed_network_replaces_the_remote_graph(tmp_path: Path, virtuoso: Virtuoso) -> None:
    graph_iri = "https://exemple.org/graphes/ptce-modifie"
    store = OxigraphStore(tmp_path / "oxigraph")
    import_path(store, SAMPLE)
    push_public(store, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH, chunk_triples=2000)
    # the association loses its one description and gains two labels: 3864 − 1 + 2 = 3865
    with store.transaction() as change:
        assert change.remove_pattern(ACTOR, DCTERMS.description, None, NETWORK_GRAPH) == 1
        change.add((ACTOR, SKOS.altLabel, Literal("Habiter Ensemble", lang="fr"), NETWORK_GRAPH))
        change.add((ACTOR, SKOS.altLabel, Literal("Elkarrekin Bizi", lang="eu"), NETWORK_GRAPH))
    report = push_public(store, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH, chunk_triples=2000)
    assert report.remote_count == virtuoso.count(graph_iri) == 3865
    remote = remote_graph(virtuoso, graph_iri)
    assert set(remote.objects(ACTOR, SKOS.altLabel)) == {
        Literal("Habiter Ensemble", lang="fr"),
        Literal("Elkarrekin Bizi", lang="eu"),
    }
    assert list(remote.objects(ACTOR, DCTERMS.description)) == []
    store.close()


def test_a_network_with_no_public_triple_empties_the_graph(tmp_path: Path, virtuoso: Virtuoso) -> None:
    graph_iri = "https://exemple.org/graphes/a-vider"
    push_graph(Graph().add((ACTOR, SKOS.prefLabel, Literal("x"))), virtuoso.graph_store_url,
               graph_iri=graph_iri, auth=AUTH)  # fmt: skip
    assert virtuoso.count(graph_iri) == 1
    empty = OxigraphStore(tmp_path / "vide")
    report = push_public(empty, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH)
    assert (report.triples, report.chunks, report.remote_count) == (0, 0, 0)
    empty.close()


def test_wrong_password_is_refused_and_changes_nothing(sample_store: Store, virtuoso: Virtuoso) -> None:
    graph_iri = "https://exemple.org/graphes/mauvais-mot-de-passe"
    before = Graph().add((ACTOR, SKOS.prefLabel, Literal("avant")))
    push_graph(before, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH)
    with pytest.raises(PushError) as refused:
        push_public(
            sample_store,
            virtuoso.graph_store_url,
            graph_iri=graph_iri,
            auth=PushAuth(USER, "pas-le-bon"),
        )
    assert str(refused.value) == (
        f"{virtuoso.graph_store_url} (graphe <{graph_iri}>, morceau 1/1 (PUT, 3864 triplets)) : "
        f"identifiants refusés pour « {USER} » (HTTP 401, digest) : "
        "vérifiez MAILLAGE_PUSH_USER et MAILLAGE_PUSH_PASSWORD"
    )
    assert isomorphic(remote_graph(virtuoso, graph_iri), before)


def test_basic_auth_on_virtuoso_says_it_wants_digest(virtuoso: Virtuoso) -> None:
    # Virtuoso's /sparql-graph-crud-auth answers basic credentials with a bare 401 (no challenge header)
    with pytest.raises(
        PushError,
        match=r"\(HTTP 401, basic\).*n'accepte que l'authentification digest \(MAILLAGE_PUSH_AUTH=digest\)",
    ):
        push_graph(
            Graph().add((ACTOR, SKOS.prefLabel, Literal("x"))),
            virtuoso.graph_store_url,
            graph_iri="https://exemple.org/graphes/basic",
            auth=PushAuth(USER, PASSWORD, "basic"),
        )


def test_missing_credentials_and_missing_rights(virtuoso: Virtuoso) -> None:
    one = Graph().add((ACTOR, SKOS.prefLabel, Literal("x")))
    with pytest.raises(PushError, match="HTTP 401.*définissez MAILLAGE_PUSH_USER et MAILLAGE_PUSH_PASSWORD"):
        push_graph(one, virtuoso.graph_store_url, graph_iri="https://exemple.org/g", auth=None)
    # the anonymous endpoint runs as Virtuoso's SPARQL user, who has no SPARQL_UPDATE grant
    with pytest.raises(PushError, match=r"écriture refusée \(HTTP 403\).*SPARQL_UPDATE.*Permission denied"):
        push_graph(one, virtuoso.base_url + "/sparql-graph-crud", graph_iri="https://exemple.org/g")


def test_a_url_that_is_not_a_graph_store(virtuoso: Virtuoso) -> None:
    with pytest.raises(PushError, match=r"ce n'est pas un point d'accès SPARQL Graph Store \(HTTP 501\)"):
        push_graph(
            Graph().add((ACTOR, SKOS.prefLabel, Literal("x"))),
            virtuoso.base_url + "/pas-ici",
            graph_iri="https://exemple.org/g",
            sparql_endpoint=virtuoso.base_url + "/sparql",
            auth=AUTH,
        )


def test_unreachable_port_is_tried_again_then_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql-graph-crud-auth"  # nobody listens there
    with pytest.raises(PushError) as unreachable:
        push_graph(
            Graph().add((ACTOR, SKOS.prefLabel, Literal("x"))),
            url,
            graph_iri="https://exemple.org/g",
            auth=AUTH,
            retries=2,
            backoff=0.01,
        )
    assert str(unreachable.value) == (
        f"{url} injoignable (connexion refusée ou hôte inconnu) après 3 essai(s), "
        "morceau 1/1 (PUT, 1 triplets) : vérifiez l'adresse et que le serveur tourne"
    )


def test_count_mismatch_is_an_error(virtuoso: Virtuoso) -> None:
    # 1.0 and 1.00 are two RDF terms but one xsd:decimal value: Virtuoso stores the value, so keeps 1 triple
    graph = Graph()
    graph.add((ACTOR, URIRef("https://exemple.org/mesure"), Literal("1.0", datatype=XSD_DECIMAL)))
    graph.add((ACTOR, URIRef("https://exemple.org/mesure"), Literal("1.00", datatype=XSD_DECIMAL)))
    assert len(graph) == 2
    graph_iri = "https://exemple.org/graphes/normalise"
    with pytest.raises(PushError) as mismatch:
        push_graph(graph, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH)
    assert str(mismatch.value).startswith(
        f"vérification échouée : le graphe <{graph_iri}> compte 1 triplets sur "
        f"{virtuoso.base_url}/sparql-auth, 2 attendus (1 morceau(x) envoyés)"
    )


def test_blank_nodes_are_skolemised_so_chunks_cannot_split_them(virtuoso: Virtuoso) -> None:
    address, street, city = (
        BNode("adresse1"),
        URIRef("https://schema.org/streetAddress"),
        URIRef("https://schema.org/addressLocality"),
    )
    graph = Graph()
    graph.add((ACTOR, URIRef("https://schema.org/address"), address))
    graph.add((address, street, Literal("12 rue de l'Adour")))
    graph.add((address, city, Literal("Tarnos")))
    graph_iri = "https://exemple.org/graphes/noeuds-anonymes"
    # one triple per request: without skolemisation Virtuoso would mint three different blank nodes
    report = push_graph(graph, virtuoso.graph_store_url, graph_iri=graph_iri, auth=AUTH, chunk_triples=1)
    assert report.chunks == 3
    rows = virtuoso.select(
        f"SELECT ?a FROM <{graph_iri}> WHERE {{ <{ACTOR}> <https://schema.org/address> ?a . "
        f'?a <{street}> "12 rue de l\'Adour" . ?a <{city}> "Tarnos" }}'
    )
    assert rows == [{"a": GENID + "adresse1"}]


def test_a_lost_answer_is_sent_again_without_duplicating(sample_store: Store, virtuoso: Virtuoso) -> None:
    """A proxy forwards every request to Virtuoso but answers 503 to the first POST that Virtuoso accepted:
    the chunk is stored, the client believes it is not, sends it again; the graph is a set, so the count is
    still the sample's."""
    with FlakyProxy(virtuoso.base_url) as proxy:
        report = push_public(
            sample_store,
            proxy.url + "/sparql-graph-crud-auth",
            graph_iri="https://exemple.org/graphes/reessai",
            auth=AUTH,
            chunk_triples=1000,
            backoff=0.01,
        )
    assert proxy.lost == 1
    assert (report.chunks, report.retries, report.remote_count) == (4, 1, SAMPLE_PUBLIC_TRIPLES)
    assert virtuoso.count("https://exemple.org/graphes/reessai") == SAMPLE_PUBLIC_TRIPLES


def test_no_private_field_reaches_virtuoso(sample_store: Store, virtuoso: Virtuoso) -> None:
    # the sample seeds inhabitants without consent; their IRIs and names are the secrets
    private = private_actors(sample_store)
    assert len(private) >= 2
    names = {str(name) for person in private for _s, _p, name in sample_store.triples(person, SKOS.prefLabel)}
    assert names
    push_public(
        sample_store, virtuoso.graph_store_url, graph_iri="https://exemple.org/graphes/prive", auth=AUTH
    )
    everything = virtuoso.select(
        "SELECT ?s ?o WHERE { GRAPH <https://exemple.org/graphes/prive> { ?s ?p ?o } }"
    )
    assert len(everything) == SAMPLE_PUBLIC_TRIPLES
    seen = {row["s"] for row in everything} | {row["o"] for row in everything}
    assert not {str(person) for person in private} & seen
    assert not any(name in value for name in names for value in seen)


def test_the_push_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, virtuoso: Virtuoso) -> None:
    monkeypatch.setenv("MAILLAGE_STORE", f"oxigraph:{tmp_path / 'oxigraph'}")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(SAMPLE)]).exit_code == 0
    arguments = ["push", virtuoso.graph_store_url, "--graph", "https://exemple.org/graphes/cli"]
    monkeypatch.setenv("MAILLAGE_PUSH_USER", USER)
    monkeypatch.setenv("MAILLAGE_PUSH_PASSWORD", "faux")
    refused = runner.invoke(app, arguments + ["--retries", "0"])
    assert refused.exit_code == 1 and refused.output.startswith("Erreur : ") and "HTTP 401" in refused.output
    assert refused.output.count("\n") == 1  # one line
    monkeypatch.setenv("MAILLAGE_PUSH_PASSWORD", PASSWORD)
    done = runner.invoke(app, arguments + ["--chunk-triples", "2000", "--format", "turtle"])
    assert done.exit_code == 0, done.output
    assert done.output == (
        "Graphe <https://exemple.org/graphes/cli> remplacé : 3864 triplets envoyés en 2 morceau(x) ; "
        "le serveur en compte 3864.\n"
    )


# Without a server: settings, URLs, chunking.


def test_auth_from_environment() -> None:
    assert auth_from_environment({}) is None
    assert auth_from_environment({"MAILLAGE_PUSH_USER": "u", "MAILLAGE_PUSH_PASSWORD": "p"}) == PushAuth(
        "u", "p"
    )
    basic = {"MAILLAGE_PUSH_USER": "u", "MAILLAGE_PUSH_PASSWORD": "p", "MAILLAGE_PUSH_AUTH": "Basic"}
    assert auth_from_environment(basic) == PushAuth("u", "p", "basic")
    with pytest.raises(
        PushError, match="MAILLAGE_PUSH_AUTH : « ntlm » n'est pas une authentification connue"
    ):
        auth_from_environment({"MAILLAGE_PUSH_AUTH": "ntlm"})
    with pytest.raises(PushError, match="MAILLAGE_PUSH_USER vaut « u » mais MAILLAGE_PUSH_PASSWORD"):
        auth_from_environment({"MAILLAGE_PUSH_USER": "u"})


def test_default_sparql_endpoint() -> None:
    assert default_sparql_endpoint("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert default_sparql_endpoint("https://h/v/sparql-graph-crud-auth/?x=1") == "https://h/v/sparql-auth"
    with pytest.raises(PushError, match="donnez-le avec --sparql-endpoint"):
        default_sparql_endpoint("http://fuseki:3030/reseau/data")


def test_bad_arguments_are_refused_before_any_request() -> None:
    one = Graph().add((ACTOR, SKOS.prefLabel, Literal("x")))
    url = "http://127.0.0.1:9/sparql-graph-crud-auth"
    with pytest.raises(PushError, match=r"--graph : « urn:x> \} ; DROP ALL » n'est pas une IRI absolue"):
        push_graph(one, url, graph_iri="urn:x> } ; DROP ALL")
    with pytest.raises(PushError, match="format « rdfxml » inconnu pour l'envoi"):
        push_graph(one, url, graph_iri="urn:x", format_name="rdfxml")
    with pytest.raises(PushError, match="doit commencer par http:// ou https://"):
        push_graph(one, "ftp://h/sparql-graph-crud", graph_iri="urn:x")
    with pytest.raises(PushError, match="--chunk-triples : 0 n'est pas"):
        push_graph(one, url, graph_iri="urn:x", chunk_triples=0)


def test_chunks_are_sorted_and_cut() -> None:
    graph = Graph()
    for number in (3, 1, 2):
        graph.add((URIRef(f"urn:s{number}"), SKOS.prefLabel, Literal(str(number))))
    assert [[str(t[0]) for t in chunk] for chunk in chunked(graph, chunk_triples=2)] == [
        ["urn:s1", "urn:s2"],
        ["urn:s3"],
    ]
    assert chunked(Graph(), chunk_triples=5) == []
    ground = skolemized(Graph().add((BNode("b"), SKOS.prefLabel, Literal("x"))))
    assert list(ground) == [(URIRef(GENID + "b"), SKOS.prefLabel, Literal("x"))]
