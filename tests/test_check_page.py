"""The project-check page on the sample network, with the two proposals of tests/data/projects/."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def test_empty_form_lists_the_taxonomy(client: TestClient) -> None:
    html = client.get("/verifier-un-projet").text
    assert '<option value="circuits-courts"' in html and '<option value="minibus"' in html
    assert '<option value="epci:244000659"' in html  # CC du Seignanx, where sample actors are
    assert "Verdict" not in html


LEGUMERIE = {
    "titre": "Légumerie solidaire du Seignanx",
    "description": "Une légumerie pour approvisionner la restauration collective en circuits "
    "courts : lavage, épluchage et découpe des légumes des maraîchers locaux pour les cantines "
    "du Seignanx, avec des salariés en insertion.",
    "domaines": ["circuits-courts", "alimentation-locale", "insertion-professionnelle"],
    "services": ["restauration-collective"],
    "territoires": ["epci:244000659"],
    "public": "cantines scolaires et maraîchers du territoire",
}


def every_match(client: TestClient, form: dict[str, object]) -> list[str]:
    """The ids of every match of a proposal, as /api/projects/check lists them with its largest limit."""
    body = {
        "title": form["titre"],
        "description": form.get("description", ""),
        "fields": form["domaines"],
        "services": form.get("services", []),
        "territory": form.get("territoires"),
        "target_public": form.get("public", ""),
    }
    answer = client.post("/api/projects/check", params={"limit": 100}, json=body).json()
    assert answer["count"] == len(answer["matches"]) < 100  # all of them
    return [m["id"] for m in answer["matches"]]


def listed(html: str) -> list[str]:
    return re.findall(r'<li data-kind="\w+" data-id="([^"]+)">', html)


def test_a_copy_of_the_legumerie_is_a_duplicate_and_names_it(client: TestClient) -> None:
    # tests/data/projects/legumerie-copie.yaml, as the form sends it.
    html = client.get("/verifier-un-projet", params=LEGUMERIE).text
    assert 'class="verdict verdict--doublon"' in html
    first = re.search(r'<li data-kind="(\w+)" data-id="([^"]+)">', html)
    assert first is not None and first.groups() == ("project", "legumerie-baratze")
    assert "Légumerie Baratze" in html


def test_the_heading_says_how_many_of_how_many_matches_are_listed(client: TestClient) -> None:
    # More matches than the page lists: it shows the 10 best, and says out of how many.
    everything = every_match(client, LEGUMERIE)
    html = client.get("/verifier-un-projet", params=LEGUMERIE).text
    assert len(everything) > 10 and listed(html) == everything[:10]
    assert f"<h2>Ce qui existe déjà (les 10 premiers sur {len(everything)})</h2>" in html
    assert f"les {len(everything) - 10} autres sont moins proches" in html
    # Exactly 10 matches (a one-letter title adds no word to compare): all listed, and one number.
    employers = {"titre": "X", "domaines": ["groupement-employeurs"]}
    everything = every_match(client, employers)
    html = client.get("/verifier-un-projet", params=employers).text
    assert len(everything) == 10 and listed(html) == everything
    assert "<h2>Ce qui existe déjà (10)</h2>" in html and "premiers sur" not in html


def test_shared_minibuses_complement_the_network(client: TestClient) -> None:
    html = client.get(
        "/verifier-un-projet",
        params={
            "titre": "Minibus partagés du Pays Basque",
            "domaines": ["mobilite"],
            "services": ["minibus"],
            "territoires": ["epci:200067106"],
        },
    ).text
    assert 'class="verdict verdict--complementaire"' in html
    # Four sample members need a minibus and nobody offers one (tests/data/projects/minibus-partages.json).
    needs = re.search(r'<ul class="besoins-couverts">(.*?)</ul>', html, re.S)
    assert needs is not None and "Minibus" in needs.group(1)


def test_unknown_field_is_reported_in_the_form(client: TestClient) -> None:
    response = client.get("/verifier-un-projet", params={"titre": "X", "domaines": ["<script>x</script>"]})
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert "<script>x</script>" not in response.text
    missing = client.get("/verifier-un-projet", params={"titre": "X"})
    assert missing.status_code == 422 and "Choisissez au moins un domaine" in missing.text
