"""The work pages in English (issue 5): the projects, the synergy board, the project check and the edit
form, on the sample network. Each English phrase below was read on the page and checked against the data
(ingest/data/sample/ptce-sud-aquitain/, the English labels of ontology/schemes/); the French page must keep
its French words."""

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


def page(client: TestClient, url: str, **params: object) -> str:
    """The page's HTML with the entities read (&#39; → ')."""
    return html.unescape(client.get(url, params=params).text)


# -- the projects ----------------------------------------------------------------------------------------


def test_the_project_list_in_english(client: TestClient) -> None:
    english = page(client, "/projets", lang="en")
    assert "<title>Joint projects — Maillage</title>" in english and "<h1>Joint projects</h1>" in english
    assert '<aside class="facettes" aria-label="Refine">' in english
    assert "<h2>Field of activity</h2>" in english
    # statut: 11 en-cours (« Ongoing » in roles.ttl), 2 en-projet (« Planned »)
    assert '?statut=en-cours">Ongoing</a> <span class="compte">11</span>' in english
    assert '<span id="nombre-projets">18</span> projects out of 18' in english
    # groupement-employeurs-ekin-lana: en-projet, starts 2027-01-04, 7 participants, employment fields
    assert "Planned</span>\n          · 7 participants · planned to start on 04/01/2027" in english
    assert "Employment, Employers' group" in english
    # konekta-ateliers-numeriques: termine, 2019-09-02 → 2022-08-31
    assert "· from 02/09/2019 to 31/08/2022" in english
    filtered = page(client, "/projets", lang="en", statut="termine")
    assert 'title="Remove this filter">✕ Completed</a>' in filtered and ">clear all</a>" in filtered
    assert "projects out of 18" in filtered

    french = page(client, "/projets")
    assert "<h1>Les projets communs</h1>" in french and '?statut=en-cours">En cours</a>' in french
    assert "début prévu le 04/01/2027" in french and "du 02/09/2019 au 31/08/2022" in french
    assert "7 participants" in french and "Planned" not in french


def test_one_project_in_english(client: TestClient) -> None:
    english = page(client, "/projets/couveuse-haziak", lang="en")
    # participations.csv: cae-sud-aquitaine is the porteur (« Lead partner »), 7 public participants
    assert 'CAE Ekintza Sud Aquitaine</a> <span class="aide">(Lead partner)</span>' in english
    assert "<h2>Participants (7)</h2>" in english and "<h2>Fields</h2>" in english
    assert "Ongoing</span>\n · since 04/01/2016" in english
    assert "<h2>What others already do</h2>" in english
    assert "No notable overlap with the members or the other projects." in english
    created = re.search(r"<dt>Created</dt><dd><time datetime=\"([^\"]+)\">([^<]+)</time>", english)
    assert created is not None
    iso, shown = created.groups()
    assert shown == f"{iso[8:10]}/{iso[5:7]}/{iso[:4]} at {iso[11:16]} (UTC)"

    french = page(client, "/projets/couveuse-haziak")
    assert "(Porteur)" in french and "<dt>Créé le</dt>" in french
    assert f"{iso[8:10]}/{iso[5:7]}/{iso[:4]} à {iso[11:16]} (UTC)" in french


def test_a_project_overlap_is_explained_in_english(client: TestClient) -> None:
    # the ressourcerie shares reemploi-economie-circulaire (« Reuse and circular economy ») and the
    # Seignanx with plateforme-materiaux-egurra: a partial overlap, 0.31 (test_pages_projects)
    english = page(client, "/projets/plateforme-materiaux-egurra", lang="en")
    assert "partial overlap · score 0.31" in english
    assert (
        "The member “Ressourcerie Lur Berri”: shared field “Reuse and circular economy”; shared words: "
        in english
    )
    assert "same territory (CC du Seignanx)." in english
    french = page(client, "/projets/plateforme-materiaux-egurra")
    assert "Le membre « Ressourcerie Lur Berri » : domaine commun « Réemploi et économie circulaire »" in (
        french
    )


# -- the synergy board -----------------------------------------------------------------------------------


def test_the_board_filters_and_first_item_in_english(client: TestClient) -> None:
    english = page(client, "/opportunites", lang="en", rayon=30)
    assert "<h1>Cooperation opportunities</h1>" in english
    assert '<input type="checkbox" name="type" value="complementarite" > Need ↔ offer</label>' in english
    assert 'value="triangle" > Triangle to close</label>' in english
    assert '<select name="domaine"><option value="">all</option>' in english
    assert (
        '<label>Within <input type="number" name="rayon" min="1" max="500" step="1" value="30"> km</label>'
        in english
    )
    assert "> cross-border only</label>" in english and "> between actors not yet linked</label>" in english
    assert '<button type="submit">Show</button>' in english
    # the best pair (test_board_page): ei-net-ocean needs service-paie (« Payroll service »), offered by
    # cae-sud-aquitaine in the same commune
    assert (
        "“Net'Océan” needs “Payroll service”; “CAE Ekintza Sud Aquitaine” offers “Payroll service” "
        "(less than a kilometre away)." in english
    )
    assert re.search(r"<span>page 1 of \d+</span>", english) and ">next →</a>" in english

    french = page(client, "/opportunites", rayon=30)
    assert "<label>À moins de <input" in french and "> Besoin ↔ offre</label>" in french
    assert "« Net'Océan » a besoin de « Service de paie »" in french and "<span>page 1 / " in french


def test_the_cross_border_pooling_in_english(client: TestClient) -> None:
    params = {"type": "mutualisation", "transfrontalier": "true"}
    english = page(client, "/opportunites", lang="en", **params)
    # besoins.csv: Hendaye and Irun need projets-europeens (« EU-funded projects »), offered only by
    # es-fundacion-europa-lankidetza, needed by 8 actors; 4 km apart, across the border
    assert '<span id="nombre-opportunites">1</span> opportunity — <a href="/opportunites">clear all</a>' in (
        english
    )
    assert '<span class="opportunite__type">Pooling</span>' in english
    assert '<span class="transfrontalier">cross-border</span>' in english
    assert (
        "need “EU-funded projects”, which only “Fundación Europa Lankidetza” offers in the network, for 8 "
        "actors who need it: they could share a skill (for instance a joint post) (at most 4 km apart) "
        "(cross-border cooperation)." in english
    )
    french = page(client, "/opportunites", **params)
    assert '<span id="nombre-opportunites">1</span> opportunité — ' in french
    assert '<span class="transfrontalier">transfrontalier</span>' in french


# -- the project check -----------------------------------------------------------------------------------

LEGUMERIE = {
    "titre": "Légumerie solidaire du Seignanx",
    "domaines": ["circuits-courts", "alimentation-locale"],
    "services": ["restauration-collective"],
    "territoires": ["epci:244000659"],
}


def test_the_check_form_in_english(client: TestClient) -> None:
    english = page(client, "/verifier-un-projet", lang="en")
    assert "<h1>Check a joint project</h1>" in english
    assert "<label>Fields of action (one or more)\n" in english
    assert "<label>Intended audience <input" in english
    assert '<option value="circuits-courts" >Short supply chains</option>' in english
    assert '<option value="es:31050" >Baztan (Spain)</option>' in english  # a Spanish municipality
    assert '<button type="submit">Check</button>' in english
    french = page(client, "/verifier-un-projet")
    assert '<option value="es:31050" >Baztan (Espagne)</option>' in french
    assert '<option value="circuits-courts" >Circuits courts</option>' in french


def test_a_duplicate_is_explained_in_english(client: TestClient) -> None:
    body = {
        "title": LEGUMERIE["titre"],
        "fields": LEGUMERIE["domaines"],
        "services": LEGUMERIE["services"],
        "territory": LEGUMERIE["territoires"],
    }
    count = client.post("/api/projects/check", params={"limit": 100}, json=body).json()["count"]
    assert count > 11
    english = page(client, "/verifier-un-projet", lang="en", **LEGUMERIE)
    assert "<h2>Verdict: duplicates</h2>" in english
    assert (
        "Duplicates: “Légumerie solidaire du Seignanx” repeats what the project “Légumerie Baratze” "
        "(ongoing, " in english
    )
    assert f"<h2>What already exists (the first 10 of {count})</h2>" in english
    assert f"Closest first; the other {count - 10} are less close." in english
    assert (
        "The project “Légumerie Baratze” (ongoing): shared fields “Local food” and “Short supply chains”"
        in english
    )
    french = page(client, "/verifier-un-projet", **LEGUMERIE)
    assert "<h2>Verdict : doublon</h2>" in french
    assert f"les {count - 10} autres sont moins proches." in french


def test_needs_met_and_refusals_in_english(client: TestClient) -> None:
    minibus = {"titre": "Minibus", "domaines": ["mobilite"], "services": ["minibus"], "lang": "en"}
    english = page(client, "/verifier-un-projet", **minibus)
    # four sample members need a minibus and nobody offers one (test_check_page)
    assert "<h2>Verdict: complements</h2>" in english
    assert "<h2>Needs in the network the project would meet</h2>" in english
    needs = r"<li>“Minibus”: needed by “[^<]+, offered by nobody; the project would bring “Minibus”"
    assert re.search(needs, english)
    missing = client.get("/verifier-un-projet", params={"titre": "X", "lang": "en"})
    assert missing.status_code == 422
    assert "<p>The project could not be checked:</p><ul><li>Choose at least one field of action.</li>" in (
        missing.text
    )


# -- the edit form ---------------------------------------------------------------------------------------

MEMBER = "ressourcerie-lur-berri"
EDIT = f"/actors/{MEMBER}/modifier"


def english_member(site: tuple[TestClient, TokenStore, Store]) -> tuple[TestClient, str, str]:
    """A member of the ressourcerie logged in with English chosen by the switch's cookie: (client, the
    form's HTML, its CSRF token)."""
    client, tokens, _store = site
    client.cookies.set("maillage_langue", "en")
    _, token = tokens.create("member", actor=MEMBER)
    form = client.post("/connexion", data={"jeton": token, "suivant": EDIT})
    assert form.status_code == 200 and str(form.url).endswith(EDIT)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    return client, form.text, csrf.group(1)


def test_the_edit_form_in_english(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, raw, csrf = english_member(site)
    form = html.unescape(raw)
    assert "<h1>Edit “Ressourcerie Lur Berri”</h1>" in form
    assert (
        "As a member, you can edit your organisation's description, contact details, needs and offers."
        in form
    )
    assert "<label>E-mail <input" in form and '<button type="submit">Save</button>' in form
    # besoins.csv: the ressourcerie needs vehicule-utilitaire (« Van »)
    assert '<button type="submit" aria-label="Remove Van">Remove</button>' in form
    assert "<label>Add a need\n" in form and "<label>Add an offer\n" in form
    assert '<option value="maraichage">Market gardening</option>' in form

    added = client.post(f"{EDIT}/besoins", data={"csrf": csrf, "ressource": "maraichage"})
    assert str(added.url).endswith(f"{EDIT}?fait=ajout")
    assert "Addition saved: the cooperation opportunities now take it into account." in added.text
    assert 'aria-label="Remove Market gardening"' in added.text

    client.cookies.set("maillage_langue", "fr")
    french = html.unescape(client.get(EDIT).text)
    assert "<h1>Modifier « Ressourcerie Lur Berri »</h1>" in french
    assert 'aria-label="Retirer Maraîchage">Retirer</button>' in french


def test_edit_refusals_in_english(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, form, csrf = english_member(site)
    version = re.search(r'name="version" value="([^"]+)"', form)
    assert version is not None
    data = {"csrf": csrf, "version": html.unescape(version.group(1)), "description": "Réemploi."}
    assert "Description and contact details saved." in client.post(f"{EDIT}/description", data=data).text
    stale = client.post(f"{EDIT}/description", data={**data, "description": "Écrasé"})
    assert stale.status_code == 412
    assert (
        "Someone else changed this actor in the meantime: here is the current version; please make your "
        "change again." in html.unescape(stale.text)
    )
    current = re.search(r'name="version" value="([^"]+)"', stale.text)
    assert current is not None
    data["version"] = html.unescape(current.group(1))
    refused = client.post(f"{EDIT}/description", data={**data, "telephone": "appelez-nous"})
    assert refused.status_code == 422
    shown = html.unescape(refused.text)
    assert "<p>Change refused, nothing was saved: telephone « appelez-nous » : " in shown
    client.cookies.set("maillage_langue", "fr")
    refused = client.post(f"{EDIT}/description", data={**data, "telephone": "appelez-nous"})
    assert "<p>Modification refusée, rien n'a été enregistré : telephone « appelez-nous » : " in (
        html.unescape(refused.text)
    )
