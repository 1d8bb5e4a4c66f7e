"""The synergy board (/opportunites) on the sample network: items a person can check in besoins.csv and
offres.csv, and the filters."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def kinds_and_pairs(html: str) -> list[tuple[str, list[str]]]:
    items = re.findall(r'<li class="opportunite [^"]+" data-kind="(\w+)">(.*?)</li>\n', html, re.S)
    return [(kind, re.findall(r'href="/actors/([^"]+)"', body)) for kind, body in items]


def test_a_need_met_by_an_offer_comes_first_with_its_reason(client: TestClient) -> None:
    html = client.get("/opportunites").text
    items = kinds_and_pairs(html)
    assert len(items) == 20  # a page
    # ei-net-ocean needs service-paie, which cae-sud-aquitaine offers, both in Anglet: the best score
    # (a rare resource, offered once, at 0 km).
    assert items[0] == ("complementarite", ["ei-net-ocean", "cae-sud-aquitaine"])
    assert "« Net&#39;Océan » a besoin de « Service de paie »" in html


def test_cross_border_pooling(client: TestClient) -> None:
    html = client.get("/opportunites", params={"type": "mutualisation", "transfrontalier": "true"}).text
    # besoins.csv: 8 actors need projets-europeens, offered only by es-fundacion-europa-lankidetza; the one
    # group across the border is Hendaye and Irun, 4 km apart.
    assert kinds_and_pairs(html) == [
        ("mutualisation", ["commune-hendaye-transfrontalier", "es-irun-desarrollo-local"])
    ]
    assert '<span id="nombre-opportunites">1</span>' in html
    assert "pour 8 acteurs qui en ont besoin" in html


def test_filters_narrow_and_page_links_keep_them(client: TestClient) -> None:
    everything = client.get("/opportunites").text
    total = shown_count(everything)
    both = client.get("/opportunites", params={"type": ["affinite", "triangle"]}).text
    narrowed = shown_count(both)
    assert 20 < narrowed < total
    # counts are written as readers of each language write them: 1 711 (narrow space) / 1,711
    assert total > 999 and f'id="nombre-opportunites">{total // 1000}\u202f{total % 1000:03d}<' in everything
    english = client.get("/opportunites", params={"lang": "en"}).text
    assert f'id="nombre-opportunites">{total:,}</span> opportunities' in english
    assert {kind for kind, _ in kinds_and_pairs(both)} <= {"affinite", "triangle"}
    assert 'href="/opportunites?type=affinite&amp;type=triangle&amp;page=2"' in both


def test_bad_filters_are_refused(client: TestClient) -> None:
    assert client.get("/opportunites", params={"domaine": "inconnu"}).status_code == 422
    assert client.get("/opportunites", params={"type": "tout"}).status_code == 422
    assert client.get("/opportunites", params={"rayon": "-3"}).status_code == 422


def shown_count(html: str) -> int:
    """The board's count of opportunities as shown (« 1 711 », a narrow space between thousands)."""
    shown = re.search(r'id="nombre-opportunites">([\d\u202f]+)<', html).group(1)  # type: ignore[union-attr]
    return int(shown.replace("\u202f", ""))


def test_ten_pages_are_ranked_at_once_and_kept_until_the_synergies_change(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A ranking scans every pair of actors (16 s at 25,000): the board ranks ten pages of 20 at once and
    # keeps them under the index's synergy fingerprint; page 11 is the next block of ten.
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    from maillage.api.routers import pages_board
    from maillage.graph.stores.oxigraph import OxigraphStore
    from maillage.ontology.iri import concept_iri, data_iri, network_graph
    from maillage.ontology.vocab import MAI

    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    client = TestClient(create_app(store))
    asked: list[tuple[int, int]] = []
    ranking = pages_board.network_synergies

    def counted(*args: object, **kwargs: object) -> object:
        asked.append((int(kwargs["limit"]), int(kwargs["offset"])))  # type: ignore[call-overload]
        return ranking(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pages_board, "network_synergies", counted)
    first = kinds_and_pairs(client.get("/opportunites").text)
    second = kinds_and_pairs(client.get("/opportunites", params={"page": 2}).text)
    assert asked == [(200, 0)] and len(first) == len(second) == 20 and first != second
    assert '<ol class="opportunites" start="21">' in client.get("/opportunites", params={"page": 2}).text
    assert kinds_and_pairs(client.get("/opportunites").text) == first and asked == [(200, 0)]
    client.get("/opportunites", params={"page": 11})
    assert asked == [(200, 0), (200, 200)]
    actor, graph = data_iri("actor", "ressourcerie-lur-berri"), network_graph("ptce-sud-aquitain")
    with store.transaction() as tx:  # a description: the synergies read none, the pages stay kept
        tx.add((actor, DCTERMS.description, Literal("Une autre description", lang="fr"), graph))
    client.get("/opportunites")
    assert len(asked) == 2
    with store.transaction() as tx:  # a need it did not have (besoins.csv): the ranking is made again
        tx.add((actor, MAI.needs, concept_iri("resource", "juridique"), graph))
    client.get("/opportunites")
    assert asked[-1] == (200, 0) and len(asked) == 3
