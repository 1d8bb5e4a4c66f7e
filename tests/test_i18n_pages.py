"""The most visited pages in English (issue 5): the explorer and its embed, the actor page, the dashboard, the
map, the search, the login and the error page, on the sample network. Each asserts words a person checked
against the English catalogue (api/locales/en/pages.json), the taxonomy's English labels
(ontology/schemes/*.ttl) and the graph layer's English sentences, and that the French page keeps its words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import import_path

DEMO = "ressourcerie-lur-berri"  # acteurs.csv: a SIAE in Tarnos, fields reemploi…;insertion-professionnelle
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")


@pytest.fixture(scope="module")
def client(sample_store: Store, tokens: TokenStore) -> TestClient:
    return TestClient(create_app(sample_store, tokens=tokens))


def drawn(html: str, element: str) -> dict:
    """The nodes and edges a network fragment hands to the browser."""
    found = re.search(rf'<script type="application/json" id="{element}-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def french_page(client: TestClient, url: str, **options: object) -> str:
    """The page at `url` for a reader who never chose English (a page opened with ``?lang=en`` remembers it
    in a cookie: forget it)."""
    client.cookies.clear()
    page = client.get(url, **options).text  # type: ignore[arg-type]
    assert '<html lang="fr">' in page
    return page


def legend(html: str) -> list[str]:
    return re.findall(r'<span class="legende__libelle">(.*?)</span>', html)


def test_the_explorer_in_english(client: TestClient) -> None:
    page = client.get("/?lang=en&suggestions=1").text
    assert "<h1>The network</h1>" in page
    # 77 public actors, 64 in France and 13 in Spain, 18 projects (test_dashboard.py works them out)
    assert "77 actors (64 in France, 13 in Spain), 18 joint projects." in page
    assert '<label for="choix-couleur">Colour by</label>' in page
    assert '<option value="pays" >country</option>' in page
    assert '<option value="intermediarite" >betweenness</option>' in page
    assert '<label for="choix-regrouper">Beyond 2,000 actors, group by</label>' in page  # English thousands
    assert (
        '<option value="ES" >Spain</option>' in page and "> suggested cooperations (dashed)</label>" in page
    )
    assert '<option value="habitants" >Inhabitants (3)</option>' in page  # the college's English label
    assert "Size: number of links (joint projects and partnerships) in the drawing." in page
    assert "Magenta links cross the border; dashed links are suggested cooperations" in page
    assert 'data-maillage-copied="Copied to the clipboard."' in page and ">Download as PNG</button>" in page
    # the embed code says its language (an <iframe> elsewhere has no switch and sends no cookie of ours)
    assert 'src="http://testserver/embed/reseau?suggestions=1&amp;lang=en"' in page
    assert 'title="Cooperation network — Maillage"' in page
    data = drawn(page, "reseau")
    node = next(n for n in data["nodes"] if n["id"] == DEMO)
    assert node["title"] == (
        "Ressourcerie Lur Berri\nWork integration social enterprise\nTarnos (CC du Seignanx) — France\n"
        "Fields: Work integration, Reuse and circular economy"
    )
    titles = {(e["from"], e["to"]): e["title"] for e in data["edges"]}
    # participations.csv: both take part in two projects
    assert titles[("cc-seignanx-dev-eco", DEMO)] == (
        "Joint projects: Achats responsables et clauses sociales, Étude d'impact territorial du PTCE"
    )
    assert any(" needs “" in title and " offers “" in title for title in titles.values())  # suggestions
    assert {
        "Work integration",
        "Other fields",
        "Joint project",
        "Partnership",
        "Suggested cooperation",
    } <= set(legend(page))
    assert "Domaines" not in page and "Projets communs" not in page


def test_the_explorer_stays_french_with_the_same_colours(client: TestClient) -> None:
    french = french_page(client, "/?suggestions=1")
    assert "77 acteurs (64 en France, 13 en Espagne), 18 projets communs." in french
    assert "Au-delà de 2\u202f000 acteurs, regrouper par" in french
    assert 'src="http://testserver/embed/reseau?suggestions=1"' in french
    node = next(n for n in drawn(french, "reseau")["nodes"] if n["id"] == DEMO)
    assert node["title"].endswith("Domaines : Insertion professionnelle, Réemploi et économie circulaire")
    assert {"Insertion professionnelle", "Autres domaines", "Projet commun"} <= set(legend(french))
    # a group keeps its colour whatever the language (the palette is that of the French names)
    english = client.get("/?lang=en&suggestions=1").text
    colours = {
        lang: {n["id"]: n["color"]["background"] for n in drawn(page, "reseau")["nodes"]}
        for lang, page in (("fr", french), ("en", english))
    }
    assert colours["fr"] == colours["en"]


def test_the_grouped_embed_in_english(client: TestClient) -> None:
    page = client.get("/embed/reseau?lang=en&seuil=10&regrouper=territoire").text
    assert '<html lang="en">' in page and "<title>Cooperation network — Maillage</title>" in page
    assert "77 actors shown out of 77," in page and ">Open in Maillage</a>" in page
    assert "77 actors: beyond 10, the drawing groups them by territory (EPCI, province)." in page
    seignanx = next(n for n in drawn(page, "reseau")["nodes"] if n["label"].startswith("CC du Seignanx"))
    assert seignanx["title"] == (
        "CC du Seignanx\n17 actors, 29 internal links\nColour: Short supply chains (8 members)\n"
        "Click to see its members."
    )
    # a click on a group opens its members, still in English
    assert seignanx["url"].startswith("/embed/reseau?territoire=") and seignanx["url"].endswith("&lang=en")
    assert all(" between “" in e["title"] for e in drawn(page, "reseau")["edges"])

    french = french_page(client, "/embed/reseau?seuil=10&regrouper=territoire")
    node = next(n for n in drawn(french, "reseau")["nodes"] if n["label"].startswith("CC du Seignanx"))
    assert node["title"] == (
        "CC du Seignanx\n17 acteurs, 29 liens internes\nCouleur : Circuits courts (8 membres)\n"
        "Cliquez pour voir ses membres."
    )
    assert "lang=" not in node["url"]


def test_a_large_neighbourhood_is_drawn_nearest_first_and_said_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lur Berri has 15 partners at depth 1. Drawing at most 2 of them (3 actors): the two with two links
    # (a project and a partnership, or two projects) first in key order — the Communauté de communes du
    # Seignanx (two projects) and Berrerabili (reuse project and partnership) — then its synergies' actors.
    from maillage.api.routers import pages

    monkeypatch.setattr(pages, "ACTOR_PAGE_NEIGHBOURS", 3)
    french = french_page(client, f"/actors/{DEMO}")
    assert (
        "Les 2 acteurs les plus proches sont dessinés, sur 15 dans ce voisinage : "
        "l'explorateur les montre tous."
    ) in french
    shown = {node["id"] for node in drawn(french, "ego")["nodes"]}
    assert {DEMO, "cc-seignanx-dev-eco", "es-berrerabili-elkartea"} <= shown
    # two links too, but after them in key order; one project only: not drawn (neither suggested)
    assert "syndicat-dechets-sud-landes" not in shown and "labo-iker-ess" not in shown
    assert len(shown) == 13  # the actor, its 2 nearest, its 10 synergies' actors (none among those 2)
    english = client.get(f"/actors/{DEMO}?lang=en").text
    assert (
        "The 2 nearest actors are drawn, out of 15 in this neighbourhood: the explorer shows them all."
        in english
    )
    monkeypatch.setattr(pages, "ACTOR_PAGE_NEIGHBOURS", 150)
    assert "voisinage-partiel" not in french_page(client, f"/actors/{DEMO}")  # all 15 drawn: nothing to say


def test_the_actor_page_in_english(client: TestClient) -> None:
    page = client.get(f"/actors/{DEMO}?lang=en").text
    assert "Work integration social enterprise · college “Social and solidarity economy”" in page
    assert "<h2>Fields</h2><ul><li>Work integration</li><li>Reuse and circular economy</li></ul>" in page
    assert "<h2>Looks for</h2>" in page and "<li>Van</li>" in page  # besoins.csv: vehicule-utilitaire
    assert (  # participations.csv: porteur
        '<li><a href="/projets/reemploi-collecte-mutualisee">Réseau de réemploi Adour-Bidassoa</a>'
        " (Lead partner)</li>"
    ) in page
    assert "<h2>Suggested synergies</h2>" in page
    assert (
        "<li>“Ressourcerie Lur Berri” needs “Van”; “Transports Adour Océan” offers “Van” "
        "(less than a kilometre away).</li>"
    ) in page
    assert "Dashed links are suggested cooperations (hover over them for the reason)." in page
    assert ">Explore this neighbourhood in the network</a>" in page
    ego = drawn(page, "ego")
    assert next(n for n in ego["nodes"] if n["id"] == DEMO)["title"].endswith(
        "Fields: Work integration, Reuse and circular economy"
    )
    assert "Suggested cooperation" in legend(page) and "Projet commun" not in legend(page)

    french = french_page(client, f"/actors/{DEMO}")
    assert "<h2>Synergies suggérées</h2>" in french and "<h2>Recherche</h2>" in french
    assert "« Ressourcerie Lur Berri » a besoin de « Véhicule utilitaire »" in french


def test_the_dashboard_in_english(client: TestClient) -> None:
    page = client.get("/tableau-de-bord?lang=en").text
    assert '<strong>77</strong> actors <span class="aide">64 in France, 13 in Spain</span>' in page
    assert "<strong>74</strong> members this year" in page and "network founded in 2014" in page
    assert "<strong>18</strong> joint projects" in page
    assert 'aria-label="Members and active projects, year by year"' in page
    assert "<title>members in 2014: 8</title>" in page  # 8 public founders joined in 2014
    assert "<h2>Needs nobody meets</h2>" in page
    assert "Need “Shared employment” expressed by 7 actors" in page
    assert "<li>Field “Cohousing”: a single actor, “Habiter Ensemble Adour”.</li>" in page
    assert '<tr><td>Non-profit association</td><td class="nombre">17</td></tr>' in page


def test_the_map_in_english(client: TestClient) -> None:
    page = client.get("/carte?lang=en&synergies=true").text
    assert "77 actors placed on their communes." in page
    assert "40 synergies drawn dashed (needs met, affinities, triangles to close)." in page
    assert "<title>Tarnos — 9 actors</title>" in page
    assert "Fields: Work integration, Reuse and circular economy</title>" in page
    french = french_page(client, "/carte")
    assert "<title>Tarnos — 9 acteurs</title>" in french and "Domaines : Insertion professionnelle" in french


def test_the_search_in_english(client: TestClient) -> None:
    page = client.get("/recherche?lang=en&pays=ES").text
    assert (
        "<h1>Find an actor</h1>" in page and 'placeholder="for example: insertion, Tarnos, recycling' in page
    )
    assert '<span id="nombre-resultats">13</span> actors found' in page  # 13 actors in Spain
    assert "<h2>Type of actor</h2>" in page and "<h2>Looks for</h2>" in page
    assert "✕ Spain</a>" in page and ">clear all</a>" in page
    assert '<span class="transfrontalier">Spain</span>' in page
    french = french_page(client, "/recherche?pays=ES")
    assert "13</span> acteurs trouvés" in french and "<h2>Type d&#39;acteur</h2>" in french


def test_login_in_english(client: TestClient, tokens: TokenStore) -> None:
    page = client.get("/connexion?lang=en").text
    assert "Paste the token a network administrator gave you (it starts with <code>mai_</code>)." in page
    refused = client.post("/connexion?lang=en", data={"jeton": "mai_faux", "suivant": "/"})
    assert refused.status_code == 401
    assert "Unknown or revoked token. Ask a network administrator for a token." in refused.text
    _, token = tokens.create("member", actor="atelier-bois")
    client.post("/connexion", data={"jeton": token, "suivant": "/"}, follow_redirects=False)
    signed_in = client.get("/connexion?lang=en").text
    client.cookies.clear()
    assert "You are signed in (member, for the actor “atelier-bois”)." in signed_in


def test_the_error_page_in_english_and_the_api_in_french(client: TestClient) -> None:
    page = client.get("/actors/personne?lang=en", headers=HTML)
    assert page.status_code == 404
    assert "<h1>Page not found</h1>" in page.text and "Unknown actor: “personne”" in page.text
    assert "<title>Error 404 — Maillage</title>" in page.text and ">Back to the network</a>" in page.text
    assert "Address not found" in client.get("/nulle-part?lang=en", headers=HTML).text
    french = french_page(client, "/actors/personne", headers=HTML)
    assert "<h1>Page introuvable</h1>" in french and "Acteur inconnu : « personne »" in french
    api = client.get("/api/actors/personne?lang=en")
    assert api.json()["error"]["message"] == "Acteur inconnu : « personne »"


NETWORK = "identifiant,nom,description,commune,pays\nreseau-test,Réseau de test,,40312,FR\n"
ACTORS = (
    "identifiant,nom,type,domaines,commune,pays,consentement_public,courriel,telephone,note_interne\n"
    "atelier-velo,Atelier Vélo,association,mobilite,40312,FR,,contact@atelier-velo.fr,05 59 12 34 56,"
    "Relancer en mars\n"
)
MEMBERSHIPS = (
    "acteur,role,college,date_signature_charte,date_debut,date_fin\natelier-velo,membre,ess,,2020-01-01,\n"
)


@pytest.fixture(scope="module")
def with_contacts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """One actor with contacts, and an animator's token (who sees them all, the internal note included)."""
    folder = tmp_path_factory.mktemp("contacts")
    for name, text in (("reseau.csv", NETWORK), ("acteurs.csv", ACTORS), ("adhesions.csv", MEMBERSHIPS)):
        (folder / name).write_text(text, encoding="utf-8")
    store = OxigraphStore(None)
    import_path(store, Path(folder))
    tokens = TokenStore(folder / "tokens.sqlite3")
    yield TestClient(create_app(store, tokens=tokens)), tokens.create("animator")[1]
    store.close()


def test_the_contacts_in_english(with_contacts: tuple[TestClient, str]) -> None:
    client, token = with_contacts
    page = client.get("/actors/atelier-velo?lang=en", headers={"Authorization": f"Bearer {token}"}).text
    assert '<section class="contact" aria-label="Contact details (for the network only)">' in page
    assert '<li>Email: <a class="courriel"' in page and '<li>Phone: <a class="telephone"' in page
    assert (
        '<li class="note-interne">Internal note <span class="reserve">animators</span>: Relancer en mars</li>'
    ) in page
    french = french_page(client, "/actors/atelier-velo", headers={"Authorization": f"Bearer {token}"})
    assert 'Note interne <span class="reserve">animateur·rices</span> : Relancer en mars</li>' in french
