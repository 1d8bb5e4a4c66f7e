"""The HTTP API on the sample network: lists, filters, details, synergies, errors, linked data."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from maillage.api.app import create_app
from maillage.graph.stores.base import Store

# The sample has 79 actors; two inhabitants (hab-jean-baptiste-dufau, hab-lucas-lafitte) did not consent to be
# public, so the public API shows 77; 13 actors are in Spain (acteurs.csv, column pays).
PUBLIC_ACTORS = 77
SPANISH_ACTORS = 13
DEMO = "ressourcerie-lur-berri"


@pytest.fixture(scope="module")
def client(sample_store_any: Store) -> TestClient:
    """The API on the sample network, once per store kind (conftest.STORE_KINDS: oxigraph, bolt)."""
    return TestClient(create_app(sample_store_any))


def test_lists_public_actors_with_count(client: TestClient) -> None:
    body = client.get("/api/actors", params={"limit": 1000}).json()
    assert body["count"] == PUBLIC_ACTORS
    assert len(body["data"]) == PUBLIC_ACTORS
    keys = {a["id"] for a in body["data"]}
    assert "hab-lucas-lafitte" not in keys and "hab-maite-etcheverry" in keys


def test_filters_by_country_field_and_text(client: TestClient) -> None:
    assert client.get("/api/actors", params={"country": "ES"}).json()["count"] == SPANISH_ACTORS
    # eco-construction includes its narrower fields eco-renovation and habitat-participatif
    eco = client.get("/api/actors", params={"field": "eco-construction", "limit": 1000}).json()
    fields = {f["key"] for a in eco["data"] for f in a["fields"]}
    assert fields & {"eco-construction", "eco-renovation", "habitat-participatif"}
    found = client.get("/api/actors", params={"q": "lur berri"}).json()
    assert [a["id"] for a in found["data"]] == [DEMO]
    tarnos = client.get("/api/actors", params={"commune": "40312", "limit": 1000}).json()
    assert DEMO in {a["id"] for a in tarnos["data"]}
    assert all(a["commune"]["label"] == "Tarnos" for a in tarnos["data"])


def test_paging_keeps_the_total_count(client: TestClient) -> None:
    body = client.get("/api/actors", params={"limit": 5, "offset": 10}).json()
    assert body["count"] == PUBLIC_ACTORS and len(body["data"]) == 5


def test_actor_detail(client: TestClient) -> None:
    actor = client.get(f"/api/actors/{DEMO}").json()
    assert actor["name"] == "Ressourcerie Lur Berri"
    assert actor["type"]["key"] == "siae"
    assert actor["commune"] == {
        "code": "40312",
        "iri": "https://w3id.org/maillage/id/commune/40312",
        "label": "Tarnos",
    }
    assert actor["epci"]["label"] == "CC du Seignanx"
    assert actor["country"] == "FR"
    assert {c["key"] for c in actor["needs"]} == {
        "vehicule-utilitaire",
        "entrepot-stockage",
        "communication-graphisme",
        "menuiserie-charpente",
    }
    assert [c["key"] for c in actor["offers"]] == ["collecte-reemploi"]
    assert {p["id"] for p in actor["projects"]} == {
        "achats-responsables-clauses-sociales",
        "reemploi-collecte-mutualisee",
        "etude-impact-ptce",
    }
    assert set(actor["partners"]) == {
        "syndicat-dechets-sud-landes",
        "scop-transports-adour-ocean",
        "es-berrerabili-elkartea",
        "ent-kontuak-expertise",
        "ent-forges-adour",
    }


def test_synergies_name_the_resource_and_the_other_actor(client: TestClient) -> None:
    body = client.get(f"/api/actors/{DEMO}/synergies", params={"kind": "complementarite", "limit": 50}).json()
    targets = {s["target"] for s in body["data"]}
    # offres.csv: who offers what the ressourcerie needs (besoins.csv)
    assert {
        "scop-transports-adour-ocean",
        "asso-roule-solidaire",
        "ent-forges-adour",
        "epf-adour-cote-basque",
        "scop-uhina-communication",
        "chantier-bois-adour",
        "es-egur-etxe-koop",
    } <= targets
    scores = [s["score"] for s in body["data"]]
    assert scores == sorted(scores, reverse=True)
    for item in body["data"]:
        assert item["source"] == DEMO
        assert item["target_name"] in item["sentence"]
        for reason in item["reasons"]:
            assert any(c["label"] in reason["sentence"] for c in reason["concepts"])
    egur = next(s for s in body["data"] if s["target"] == "es-egur-etxe-koop")
    assert egur["cross_border"] is True
    assert "Menuiserie" in egur["sentence"] or "menuiserie" in egur["sentence"]


def test_network_synergies_are_ranked(client: TestClient) -> None:
    body = client.get("/api/synergies", params={"limit": 20}).json()
    assert len(body["data"]) == 20 and body["count"] > 20  # count: every item found, before paging
    scores = [s["score"] for s in body["data"]]
    assert scores == sorted(scores, reverse=True)


def test_fields_and_projects(client: TestClient) -> None:
    fields = client.get("/api/fields").json()
    by_key = {f["key"]: f for f in fields["data"]}
    assert by_key["insertion-professionnelle"]["labels"]["fr"] == "Insertion professionnelle"
    assert set(by_key["insertion-professionnelle"]["labels"]) >= {"fr", "eu", "es", "en"}
    assert by_key["eco-renovation"]["broader"] == ["eco-construction"]
    projects = client.get("/api/projects").json()
    assert projects["count"] == 18  # projets.csv


def test_unknown_actor_gives_the_common_error_shape(client: TestClient) -> None:
    response = client.get("/api/actors/inconnu-xyz")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "code": "introuvable",
            "message": "Acteur inconnu : « inconnu-xyz »",
            "details": [],
        }
    }


def test_private_person_is_not_found(client: TestClient) -> None:
    assert client.get("/api/actors/hab-lucas-lafitte").status_code == 404
    assert client.get("/api/actors/hab-lucas-lafitte/synergies").status_code == 404
    assert client.get("/id/actor/hab-lucas-lafitte", headers={"Accept": "text/turtle"}).status_code == 404


def test_bad_parameter_gives_422_in_the_common_shape(client: TestClient) -> None:
    response = client.get("/api/actors", params={"limit": 0})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (422, "parametre_invalide")
    assert error["details"][0]["parametre"] == "limit"
    unknown = client.get("/api/actors", params={"field": "permaculture"}).json()["error"]
    assert unknown["message"] == "Concept inconnu : « permaculture »"


def test_unknown_route_uses_the_common_shape(client: TestClient) -> None:
    response = client.get("/api/nope")
    assert response.status_code == 404 and response.json()["error"]["code"] == "introuvable"


def test_entity_iri_answers_turtle_and_jsonld(client: TestClient) -> None:
    iri = URIRef(f"https://w3id.org/maillage/id/actor/{DEMO}")
    turtle = client.get(f"/id/actor/{DEMO}", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert graph.value(iri, SKOS.prefLabel) == Literal("Ressourcerie Lur Berri")
    jsonld = client.get(f"/id/actor/{DEMO}", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert isomorphic_json(jsonld.text, graph)
    html = client.get(f"/id/actor/{DEMO}", headers={"Accept": "text/html"}, follow_redirects=False)
    assert (html.status_code, html.headers["location"]) == (303, f"/actors/{DEMO}")


def isomorphic_json(text: str, graph: Graph) -> bool:
    from rdflib.compare import isomorphic

    json.loads(text)
    return isomorphic(Graph().parse(data=text, format="json-ld"), graph)


def test_openapi_and_docs_are_offline(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/actors/{actor_id}/synergies",
        "/api/synergies",
        "/api/fields",
        "/api/projects",
    } <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
