"""The taxonomy page on the sample network: trees, labels, counts worked out from acteurs.csv, offres.csv
and besoins.csv; an animator adds a local concept, others cannot."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def item(page: str, scheme: str, key: str) -> str:
    """The text of one concept's line (up to its narrower concepts)."""
    start = page.index(f'<li id="{scheme}-{key}"')
    return page[start:].split("<ul", 1)[0].split("</li>", 1)[0]


def log_in(client: TestClient, token: str) -> str:
    page = client.post("/connexion", data={"jeton": token, "suivant": "/taxonomie"})
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found is not None
    return found.group(1)


def test_fields_form_a_tree_with_counts_and_links_to_the_search(client: TestClient) -> None:
    page = client.get("/taxonomie").text
    # acteurs.csv: 7 public actors declare eco-construction, 10 declare it or eco-renovation /
    # habitat-participatif (its narrower fields in fields.ttl): what /recherche?domaine=eco-construction
    # finds
    line = item(page, "field", "eco-construction")
    assert "Éco-construction" in line
    assert '<span class="arbre__langue" lang="eu" title="euskara">Eraikuntza ekologikoa</span>' in line
    assert '<span class="arbre__langue" lang="es" title="español">Ecoconstrucción</span>' in line
    assert (
        'href="/recherche?domaine=eco-construction"' in line
        and "7 acteurs (10 avec les sous-domaines)" in line
    )
    search = client.get("/recherche", params={"domaine": "eco-construction"}).text
    assert '<span id="nombre-resultats">10</span>' in search
    below = page.split('<li id="field-eco-construction"')[1].split('<li id="field-emploi"')[0]
    assert re.findall(r'<li id="field-([\w-]+)"', below) == ["eco-renovation", "habitat-participatif"]
    assert "Ajouter un concept local" not in page  # anonymous: no form


def test_resources_count_who_offers_and_who_needs(client: TestClient) -> None:
    page = client.get("/taxonomie").text
    # offres.csv: maraichage offered by jardins-solidaires-seignanx only; besoins.csv: needed by
    # ent-conserverie-chalosse-adour and scic-sukalde
    line = item(page, "resource", "maraichage")
    assert 'href="/recherche?propose=maraichage" title="Acteurs qui la proposent">1 propose</a>' in line
    assert (
        'href="/recherche?recherche=maraichage" title="Acteurs qui la recherchent">2 recherchent</a>' in line
    )


def test_an_animator_adds_a_field_under_another(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    _, token = tokens.create("animator")
    csrf = log_in(client, token)
    assert "Ajouter un concept local" in client.get("/taxonomie").text
    size = len(store)
    added = client.post(
        "/taxonomie",
        data={
            "csrf": csrf,
            "schema": "field",
            "cle": "sylviculture",
            "libelle_fr": "Sylviculture",
            "libelle_eu": "Basogintza",
            "parent": "circuits-courts",
        },
    )
    assert added.status_code == 200 and str(added.url).endswith(
        "/taxonomie?ajout=sylviculture#field-sylviculture"
    )
    assert "Concept « sylviculture » ajouté." in html.unescape(added.text)
    below = added.text.split('<li id="field-circuits-courts"')[1].split('<li id="field-creation-activite"')[0]
    assert re.findall(r'<li id="field-([\w-]+)"', below) == [
        "agriculture-paysanne",
        "alimentation-locale",
        "sylviculture",
    ]
    assert "0 acteur</a>" in item(added.text, "field", "sylviculture")
    # add_local_concept writes 12 quads for a concept with two labels and a parent: 8 for the concept (type,
    # scheme, notation, 2 prefLabels, broader, created, wasGeneratedBy), 4 for the run (type, label,
    # startedAtTime, source)
    assert len(store) == size + 12
    concept = client.get("/api/concepts/field/sylviculture").json()
    assert concept["labels"] == {"fr": "Sylviculture", "eu": "Basogintza"} and concept["local"] is True


def test_refusals_are_shown_in_french_and_write_nothing(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    _, token = tokens.create("animator")
    csrf = log_in(client, token)
    dump = sorted(store.quads())
    taken = client.post(
        "/taxonomie",
        data={"csrf": csrf, "schema": "field", "cle": "eco-batiment", "libelle_fr": "Eco construction"},
    )
    assert taken.status_code == 422
    assert "« Eco construction » désigne déjà le concept « eco-construction »" in html.unescape(taken.text)
    assert 'value="eco-batiment"' in taken.text  # the form keeps what was typed
    wrong_parent = client.post(
        "/taxonomie",
        data={
            "csrf": csrf,
            "schema": "resource",
            "cle": "scierie",
            "libelle_fr": "Scierie",
            "parent": "emploi",
        },
    )
    assert wrong_parent.status_code == 422
    # the scheme is named by its French label (ontology/maillage.ttl, mai:resources), not by its key
    refusal = html.unescape(wrong_parent.text)
    assert "concept plus large inconnu dans le schéma « ressources » : « emploi »" in refusal
    assert "« resource »" not in refusal
    no_csrf = client.post("/taxonomie", data={"schema": "field", "cle": "x", "libelle_fr": "X"})
    assert no_csrf.status_code == 403
    assert sorted(store.quads()) == dump


def test_a_member_may_not_add_a_concept(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    _, token = tokens.create("member", actor="ressourcerie-lur-berri")
    csrf = log_in(client, token)
    assert "Ajouter un concept local" not in client.get("/taxonomie").text
    dump = sorted(store.quads())
    refused = client.post(
        "/taxonomie",
        data={"csrf": csrf, "schema": "field", "cle": "sylviculture", "libelle_fr": "Sylviculture"},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 403
    assert sorted(store.quads()) == dump
