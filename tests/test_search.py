"""Search: the /recherche page and the facets, on the sample network (counts worked out from acteurs.csv)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.search import ActorQuery, facets, matching_actors
from maillage.graph.index import build_index
from maillage.graph.stores.base import Store


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def result_ids(html: str) -> list[str]:
    return re.findall(r'<li data-id="([^"]+)">', html)


def test_words_search_names_first_then_by_name(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "insertion"}).text
    ids = result_ids(html)
    # 13 public actors say "insertion" in their name or description (acteurs.csv, accents ignored;
    # "Inserción" is another word); the four whose name holds it come first, in alphabetical order.
    assert len(ids) == 13 and '<span id="nombre-resultats">13</span>' in html
    assert ids[:4] == [
        "chantier-bois-adour",
        "departement-landes-insertion",
        "mei-adour-seignanx",
        "etti-mugan",
    ]


def test_facets_narrow_and_count(client: TestClient) -> None:
    html = client.get("/recherche", params={"domaine": "insertion-professionnelle", "pays": "ES"}).text
    # The three Spanish partners whose fields include insertion-professionnelle.
    assert sorted(result_ids(html)) == [
        "es-berrerabili-elkartea",
        "es-gasteiz-birziklatu",
        "es-lanbide-berri-koop",
    ]
    assert "✕ Espagne" in html and "✕ Insertion professionnelle" in html
    # Removing a filter keeps the other one in the link.
    assert 'href="/recherche?domaine=insertion-professionnelle"' in html


def test_private_inhabitants_are_never_found(client: TestClient) -> None:
    for words in ("Dufau", "Lafitte", "habitant"):
        html = client.get("/recherche", params={"q": words}).text
        assert "hab-jean-baptiste-dufau" not in html and "hab-lucas-lafitte" not in html


def test_unknown_concept_and_bad_page_are_refused(client: TestClient) -> None:
    assert client.get("/recherche", params={"domaine": "n-existe-pas"}).status_code == 422
    assert client.get("/recherche", params={"page": 0}).status_code == 422


def test_paging_splits_the_public_actors(client: TestClient) -> None:
    first = result_ids(client.get("/recherche").text)
    third = result_ids(client.get("/recherche", params={"page": 3}).text)
    assert len(first) == 30 and len(third) == 77 - 60  # 77 public actors, 30 a page


def test_resource_filters_and_facet_counts(sample_store: Store) -> None:
    index = build_index(sample_store)
    everyone = matching_actors(index, ActorQuery())
    assert len(everyone) == 77
    found = matching_actors(index, ActorQuery(country="ES"))
    counted = {f.name: {v.key: v.count for v in f.values} for f in facets(index, found)}
    assert counted["pays"] == {"ES": 13}
    assert sum(counted["college"].values()) == 13  # every Spanish partner has a college
    offers = matching_actors(index, ActorQuery(offers="mediation-insertion"))
    assert all(any("mediation-insertion" in str(r) for r in a.offers) for a in offers) and offers


def test_the_results_are_paged_thirty_at_a_time_and_numbered_on(client: TestClient) -> None:
    # 77 public actors in acteurs.csv (79, less the two persons without consent): pages of 30, 30 and 17
    first, last = client.get("/recherche").text, client.get("/recherche", params={"page": 3}).text
    assert '<span id="nombre-resultats">77</span>' in first and "page 1 / 3" in first
    assert len(result_ids(first)) == 30 and '<ol class="resultats__liste" start="1">' in first
    assert len(result_ids(last)) == 17 and '<ol class="resultats__liste" start="61">' in last
    assert 'href="/recherche?page=2" rel="prev"' in last and 'rel="next"' not in last
    assert not set(result_ids(first)) & set(result_ids(last))
