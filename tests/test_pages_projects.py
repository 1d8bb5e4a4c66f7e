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
