"""The project pages on the sample network (ingest/data/sample/ptce-sud-aquitain/projets.csv and
participations.csv): the list, its filters and counts, one project's page, the 404 page."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def listed(html: str) -> list[str]:
    return re.findall(r'<li data-id="([^"]+)"><a class="resultats__nom" href="/projets/', html)


def facet(html: str, name: str) -> dict[str, int]:
    section = html.split(f'data-facette="{name}"')[1].split("</section>")[0]
    pattern = r"[?;]" + name + r'=([\w-]+)[^"]*">[^<]+</a> <span class="compte">(\d+)'
    return {key: int(count) for key, count in re.findall(pattern, section)}


def test_the_list_shows_the_eighteen_projects_newest_first_with_status_counts(client: TestClient) -> None:
    html = client.get("/projets").text
    projects = listed(html)
    # date_debut: groupement-employeurs-ekin-lana starts last (2027-01-04),
    # then routes-solidaires-garazi-baztan
    # (2024-04-02); cuisine-partagee-sukalde has no start date and comes last
    assert projects[:2] == ["groupement-employeurs-ekin-lana", "routes-solidaires-garazi-baztan"]
    assert projects[-1] == "cuisine-partagee-sukalde"
    assert len(projects) == 18 and '<span id="nombre-projets">18</span> projets sur 18' in html
    # statut column: 11 « en-cours », 5 « termine », 2 « en-projet »
    assert facet(html, "statut") == {"en-cours": 11, "en-projet": 2, "termine": 5}
    assert 'href="/projets/couveuse-haziak">Incubateur Haziak</a>' in html


def test_a_field_filter_includes_its_sub_fields_and_combines_with_the_status(client: TestClient) -> None:
    # eco-construction and its narrower eco-renovation, habitat-participatif (fields.ttl):
    # plateforme-materiaux-egurra, renov-solidaire, etxe-berri-habitat
    html = client.get("/projets", params={"domaine": "eco-construction"}).text
    assert sorted(listed(html)) == ["etxe-berri-habitat", "plateforme-materiaux-egurra", "renov-solidaire"]
    # insertion-professionnelle: achats-responsables… and reemploi-collecte… (termine),
    # plateforme-mobilite-mugi,
    # hiru-hizkuntza-formation, legumerie-baratze (en-cours)
    html = client.get("/projets", params={"domaine": "insertion-professionnelle"}).text
    assert len(listed(html)) == 5 and facet(html, "statut") == {"en-cours": 3, "termine": 2}
    html = client.get("/projets", params={"domaine": "insertion-professionnelle", "statut": "termine"}).text
    assert sorted(listed(html)) == ["achats-responsables-clauses-sociales", "reemploi-collecte-mutualisee"]
    assert "✕ Insertion professionnelle" in html and "✕ Terminé" in html


def test_an_unknown_field_is_refused_in_words(client: TestClient) -> None:
    answer = client.get("/projets", params={"domaine": "astrologie"}, headers={"Accept": "text/html"})
    assert answer.status_code == 422 and "Concept inconnu : « astrologie »" in answer.text


def test_a_project_page_names_its_public_participants_with_roles(client: TestClient) -> None:
    html = client.get("/projets/couveuse-haziak").text
    # participations.csv: 7 rows for couveuse-haziak; the porteur is cae-sud-aquitaine
    participants = re.findall(
        r'<li data-id="([^"]+)"><a href="/actors/', html.split('class="participants"')[1]
    )
    assert sorted(participants) == [
        "asso-ekin-initiative",
        "cae-sud-aquitaine",
        "cc-seignanx-dev-eco",
        "ent-kontuak-expertise",
        "ent-olatu-surfboards",
        "hab-amaia-irigoyen",
        "scic-lan-gunea",
    ]
    assert 'CAE Ekintza Sud Aquitaine</a> <span class="aide">(Porteur)</span>' in html
    assert "<li>CA du Pays Basque</li><li>CC du Seignanx</li>" in html  # epci:200067106;epci:244000659
    assert "depuis le 04/01/2016" in html and "projets.csv › ligne 4" in html
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    project = next(n for n in data["@graph"] if n["@type"] == "Project")
    assert project["name"] == "Incubateur Haziak" and len(project["member"]) == 7
    assert project["foundingDate"]["@value"] == "2016-01-04"


def test_a_person_without_consent_is_not_named_on_a_project_page(client: TestClient) -> None:
    # eguzki-seignanx has 5 participants; hab-jean-baptiste-dufau (financeur) gave no public consent
    html = client.get("/projets/eguzki-seignanx").text
    assert "Participants (4)" in html
    assert "hab-jean-baptiste-dufau" not in html and "Dufau" not in html


def test_a_project_page_lists_members_already_doing_it(client: TestClient) -> None:
    # the check run on plateforme-materiaux-egurra finds the ressourcerie (re-use of materials), not a
    # participant of the project, above the overlap threshold
    html = client.get("/projets/plateforme-materiaux-egurra").text
    overlaps = re.findall(r'<li data-kind="(\w+)" data-id="([^"]+)">', html)
    assert overlaps == [("actor", "ressourcerie-lur-berri")]
    assert "chevauchement partiel · score 0.31" in html


def test_an_unknown_project_is_a_404_page(client: TestClient) -> None:
    answer = client.get("/projets/nulle-part", headers={"Accept": "text/html"})
    assert answer.status_code == 404 and "Projet inconnu : « nulle-part »" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


NEWEST_FIRST = [  # projets.csv, date_debut descending; cuisine-partagee-sukalde has none and comes last
    *("groupement-employeurs-ekin-lana", "routes-solidaires-garazi-baztan", "etxe-berri-habitat"),
    *("etude-impact-ptce", "legumerie-baratze", "eguzki-seignanx", "renov-solidaire"),
    *("hiru-hizkuntza-formation", "tiers-lieu-gare-aux-idees", "konekta-ateliers-numeriques"),
    *("plateforme-materiaux-egurra", "fonds-elkar-diru", "mugaz-gaindi-cooperation"),
    *("plateforme-mobilite-mugi", "reemploi-collecte-mutualisee", "couveuse-haziak"),
    *("achats-responsables-clauses-sociales", "cuisine-partagee-sukalde"),
]


def test_the_list_is_paged_and_a_filter_goes_back_to_the_first_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maillage.api.routers import pages_projects

    monkeypatch.setattr(pages_projects, "PROJECTS_PAGE_SIZE", 5)  # 18 projects: pages of 5, 5, 5 and 3
    assert listed(client.get("/projets").text) == NEWEST_FIRST[:5]
    html = client.get("/projets", params={"page": 2}).text
    assert listed(html) == NEWEST_FIRST[5:10] and "page 2 / 4" in html
    assert '<ol class="resultats__liste projets" start="6">' in html  # numbered on from page 1
    assert 'href="/projets?page=1" rel="prev"' in html and 'href="/projets?page=3" rel="next"' in html
    assert '<span id="nombre-projets">18</span> projets sur 18' in html  # the count is of them all
    assert 'href="/projets?statut=termine">' in html  # a filter chosen from page 2 starts at page 1
    last = client.get("/projets", params={"page": 4}).text
    assert listed(last) == NEWEST_FIRST[15:] and 'rel="next"' not in last
    assert listed(client.get("/projets", params={"page": 5}).text) == []


def test_the_projects_of_one_participant_newest_first(client: TestClient) -> None:
    # participations.csv: cc-seignanx-dev-eco takes part in seven projects
    html = client.get("/projets", params={"acteur": "cc-seignanx-dev-eco"}).text
    assert listed(html) == [
        *("etude-impact-ptce", "eguzki-seignanx", "plateforme-materiaux-egurra", "mugaz-gaindi-cooperation"),
        *("couveuse-haziak", "achats-responsables-clauses-sociales", "cuisine-partagee-sukalde"),
    ]
    assert '<span id="nombre-projets">7</span> projets sur 18' in html
    assert 'href="/projets?statut=termine&amp;acteur=cc-seignanx-dev-eco">' in html  # the filters combine
    assert '<a href="/projets" title="Retirer ce filtre">✕ ' in html
    # projets.csv, statut « termine »: three of the seven
    ended = client.get("/projets", params={"acteur": "cc-seignanx-dev-eco", "statut": "termine"}).text
    assert listed(ended) == [
        "etude-impact-ptce",
        "mugaz-gaindi-cooperation",
        "achats-responsables-clauses-sociales",
    ]


def test_a_person_without_consent_has_no_public_list_of_projects(client: TestClient) -> None:
    # hab-jean-baptiste-dufau finances eguzki-seignanx but gave no public consent: unknown to the public
    answer = client.get(
        "/projets", params={"acteur": "hab-jean-baptiste-dufau"}, headers={"Accept": "text/html"}
    )
    assert answer.status_code == 404 and "Dufau" not in answer.text


def test_the_actor_page_lists_the_newest_projects_and_links_to_them_all(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maillage.api.routers import pages

    html = client.get("/actors/cc-seignanx-dev-eco").text
    assert '<a href="/projets/etude-impact-ptce">' in html and "Voir ses" not in html  # 7: all shown
    monkeypatch.setattr(pages, "ACTOR_PAGE_PROJECTS", 3)
    html = client.get("/actors/cc-seignanx-dev-eco").text
    shown = re.findall(r'<li><a href="/projets/([\w-]+)">', html)
    assert shown == ["etude-impact-ptce", "eguzki-seignanx", "plateforme-materiaux-egurra"]
    assert '<a href="/projets?acteur=cc-seignanx-dev-eco">Voir ses 7 projets</a>' in html
