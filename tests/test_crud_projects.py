"""Projects, participations, partnerships and concepts through the API, on a copy of the sample network;
and the OpenAPI document of every write route."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ontology.vocab import MAI

DEMO = "ressourcerie-lur-berri"
PRIVATE = "hab-jean-baptiste-dufau"  # no consent; takes part in 2 projects (participations.csv, lines 59, 78)


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample_dump(sample_store: Store) -> bytes:
    return dump(sample_store)


@pytest.fixture()
def store(sample_dump: bytes) -> Iterator[Store]:
    store = OxigraphStore(None)
    store.restore_nquads(io.BytesIO(sample_dump))
    yield store
    store.close()


@pytest.fixture()
def tokens(tmp_path: Path) -> dict[str, str]:
    store = TokenStore(tmp_path / "tokens.sqlite3")
    return {"animator": store.create("animator")[1], "member": store.create("member", actor=DEMO)[1]}


@pytest.fixture()
def client(store: Store, tmp_path: Path, tokens: dict[str, str]) -> TestClient:
    return TestClient(create_app(store, tokens=TokenStore(tmp_path / "tokens.sqlite3")))


def auth(token: str, etag: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **({"If-Match": etag} if etag else {})}


def test_a_project_reads_with_its_version(client: TestClient) -> None:
    # projets.csv: couveuse-haziak, creation-activite;formation, epci:244000659;epci:200067106, en-cours,
    # 2016-01-04
    answer = client.get("/api/projects/couveuse-haziak")
    assert answer.status_code == 200 and answer.headers["etag"].startswith('"')
    body = answer.json()
    assert (
        body["name"],
        body["fields"],
        body["territories"],
        body["status"],
        body["start"],
        body["end"],
    ) == (
        "Incubateur Haziak",
        ["creation-activite", "formation"],
        ["epci:200067106", "epci:244000659"],
        "en-cours",
        "2016-01-04",
        None,
    )
    assert client.get("/api/projects/nope").status_code == 404


def test_lists_filter_page_sort_and_hide_private_persons(client: TestClient) -> None:
    # 112 participations, 2 of them naming a person without consent
    everything = client.get("/api/participations", params={"limit": 1000}).json()
    assert everything["count"] == 110
    assert PRIVATE not in {p["actor"] for p in everything["data"]}
    assert client.get(f"/api/participations/tiers-lieu-gare-aux-idees.{PRIVATE}").status_code == 404
    haziak = client.get("/api/participations", params={"project": "couveuse-haziak", "sort": "actor"}).json()
    assert haziak["count"] == 7
    assert [p["actor"] for p in haziak["data"]][:2] == ["asso-ekin-initiative", "cae-sud-aquitaine"]
    porteur = client.get(
        "/api/participations", params={"project": "couveuse-haziak", "role": "porteur"}
    ).json()
    assert [p["actor"] for p in porteur["data"]] == ["cae-sud-aquitaine"]
    paged = client.get("/api/participations", params={"limit": 5, "offset": 105}).json()
    assert paged["count"] == 110 and len(paged["data"]) == 5
    mine = client.get("/api/partnerships", params={"actor": DEMO, "sort": "-start"}).json()
    # partenariats.csv: DEMO's 5 partnerships, latest first (2024-07-01 … 2015-06-01)
    assert mine["count"] == 5
    assert [p["start"] for p in mine["data"]] == [
        "2024-07-01",
        "2016-06-01",
        "2016-01-15",
        "2016-01-01",
        "2015-06-01",
    ]
    contracts = client.get("/api/partnerships", params={"actor": DEMO, "kind": "contrat"}).json()
    assert [p["id"] for p in contracts["data"]] == [f"{DEMO}.syndicat-dechets-sud-landes"]
    statuses = client.get("/api/projects", params={"status": "en-cours", "sort": "-id", "limit": 2}).json()
    assert [p["id"] for p in statuses["data"]] == sorted([p["id"] for p in statuses["data"]], reverse=True)
    assert all(p["status"]["key"] == "en-cours" for p in statuses["data"])


def test_project_participation_and_partnership_writes(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    animator = tokens["animator"]
    project = {"id": "fablab", "name": "Fablab", "fields": ["formation"], "status": "en-projet"}
    late = client.post(
        "/api/projects", json={**project, "start": "2027-01-01", "end": "2026-01-01"}, headers=auth(animator)
    )
    assert late.status_code == 422
    assert late.json()["error"]["details"] == [
        {
            "parametre": "start",
            "valeur": "2027-01-01",
            "regle": "La date de fin d'un projet ne peut pas précéder sa date de début "
            "(feuille « projets »).",
            "entite": "project/fablab",
        }
    ]
    assert client.post("/api/projects", json=project, headers=auth(tokens["member"])).status_code == 403
    created = client.post("/api/projects", json={**project, "territories": ["40312"]}, headers=auth(animator))
    assert created.status_code == 201 and created.json()["territories"] == ["40312"]
    fablab = URIRef("https://w3id.org/maillage/id/project/fablab")
    assert store.value(fablab, MAI.network) == URIRef(
        "https://w3id.org/maillage/id/network/ptce-sud-aquitain"
    )
    joined = client.post(
        "/api/participations",
        json={"project": "fablab", "actor": DEMO, "role": "porteur"},
        headers=auth(animator),
    )
    assert joined.status_code == 201 and joined.json()["id"] == f"fablab.{DEMO}"
    changed = client.patch(
        f"/api/participations/fablab.{DEMO}",
        json={"role": "financeur"},
        headers=auth(animator, joined.headers["etag"]),
    )
    assert changed.json() == {**joined.json(), "role": "financeur"}
    projects = client.get(f"/api/actors/{DEMO}").json()["projects"]
    assert ("fablab", "financeur") in {(p["id"], p["role"]["key"]) for p in projects}
    # a partnership writes the mai:partnerOf links both ways, and its deletion removes them
    tie = client.post(
        "/api/partnerships",
        json={"partners": ["scic-sukalde", DEMO], "kind": "informel"},
        headers=auth(animator),
    )
    assert tie.status_code == 201 and tie.json()["id"] == f"{DEMO}.scic-sukalde"
    assert DEMO in client.get("/api/actors/scic-sukalde").json()["partners"]
    self_tie = client.post(
        "/api/partnerships", json={"partners": [DEMO, DEMO], "kind": "informel"}, headers=auth(animator)
    )
    assert self_tie.status_code == 422
    assert self_tie.json()["error"]["details"][0]["regle"] == "un acteur ne peut être partenaire de lui-même"
    assert (
        client.delete(
            f"/api/partnerships/{DEMO}.scic-sukalde", headers=auth(animator, tie.headers["etag"])
        ).status_code
        == 204
    )
    assert DEMO not in client.get("/api/actors/scic-sukalde").json()["partners"]
    # deleting the project deletes its participation
    tag = client.get("/api/projects/fablab").headers["etag"]
    assert client.delete("/api/projects/fablab", headers=auth(animator)).status_code == 428
    assert client.delete("/api/projects/fablab", headers=auth(animator, tag)).status_code == 204
    assert client.get(f"/api/participations/fablab.{DEMO}").status_code == 404
    assert list(store.quads(None, None, fablab, None)) == []


def test_concepts_are_added_through_the_local_concept_mechanism(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = {
        "key": "sylviculture",
        "labels": {"fr": "Sylviculture", "eu": "Basogintza"},
        "broader": "circuits-courts",
    }
    assert client.post("/api/concepts/field", json=body).status_code == 401
    assert client.post("/api/concepts/field", json=body, headers=auth(tokens["member"])).status_code == 403
    created = client.post("/api/concepts/field", json=body, headers=auth(tokens["animator"]))
    assert created.status_code == 201
    assert created.json() == {
        "key": "sylviculture",
        "iri": "https://w3id.org/maillage/concept/field/sylviculture",
        "scheme": "field",
        "labels": {"fr": "Sylviculture", "eu": "Basogintza"},
        "broader": ["circuits-courts"],
        "local": True,
    }
    assert client.get("/api/concepts/field/sylviculture").headers["etag"] == created.headers["etag"]
    again = client.post("/api/concepts/field", json=body, headers=auth(tokens["animator"]))
    assert again.status_code == 422
    assert (
        again.json()["error"]["message"]
        == "Concept refusé : « sylviculture » existe déjà dans le schéma « domaines d'activité »"
    )
    assert [c["key"] for c in client.get("/api/concepts/field", params={"local": True}).json()["data"]] == [
        "sylviculture"
    ]
    # the new concept is a field an actor may now have
    tag = client.get(f"/api/actors/{DEMO}").headers["etag"]
    answer = client.patch(
        f"/api/actors/{DEMO}", json={"fields": ["sylviculture"]}, headers=auth(tokens["animator"], tag)
    )
    assert answer.status_code == 200 and answer.json()["fields"] == ["sylviculture"]


def test_openapi_documents_every_write_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    writes = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
        and path.startswith("/api/")
        and path != "/api/projects/check"
    ]
    assert len(writes) >= 20
    for path, method, operation in writes:
        where = f"{method.upper()} {path}"
        assert operation["summary"] and operation["summary"][0].isupper(), where
        takes_input = bool(operation.get("requestBody") or operation.get("parameters"))
        assert {"401", "403"} | ({"422"} if takes_input else set()) <= set(operation["responses"]), where
        if method in ("put", "patch", "delete"):
            assert {"412", "428"} <= set(operation["responses"]), where
            names = {p["name"] for p in operation.get("parameters", [])}
            assert "If-Match" in names, where
    assert spec["components"]["schemas"]["ActorPatch"]["additionalProperties"] is False
