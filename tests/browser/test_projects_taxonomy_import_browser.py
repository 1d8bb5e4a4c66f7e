"""The projects, taxonomy and import pages walked as their users would, in Debian's Chromium: a visitor opens
a common project and its participants; an animator logs in with a token, adds a concept, imports a CSV.

Expected values come from the sample network (ingest/data/sample/ptce-sud-aquitain), as worked out in
tests/test_pages_projects.py, tests/test_pages_taxonomy.py and tests/test_pages_import.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from maillage.graph.tokens import TokenStore

pytestmark = pytest.mark.browser

# Row 2 is a new actor; row 3 names a field (« astrologie ») that is not in the taxonomy.
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays\n"
    "atelier-neuf,Atelier Neuf,association,eco-construction,40312,FR\n"
    "ferme-test,Ferme Test,association,astrologie,40312,FR\n"
)


def log_in_as_animator(page: Page, site: str, tokens: TokenStore, target: str) -> None:
    _, token = tokens.create("animator", note="Animatrice")
    page.goto(f"{site}/connexion?suivant={target}")
    page.get_by_label("Jeton").fill(token)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + target)
    assert page.locator(".compte .qui").inner_text() == "Connecté·e : animateur·rice"


def test_a_visitor_opens_the_projects_and_a_project_with_its_participants(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(server + "/")
    page.get_by_role("navigation").get_by_role("link", name="Projets").click()
    page.wait_for_url(server + "/projets")
    assert page.locator("#nombre-projets").inner_text() == "18"
    assert page.locator("ol.projets > li").count() == 18
    screenshot(page, "projets")
    # the status facet: 5 projects are over (statut « termine » in projets.csv)
    page.locator('[data-facette="statut"]').get_by_role("link", name="Terminé").click()
    assert page.locator("#nombre-projets").inner_text() == "5"
    page.get_by_role("link", name="tout effacer").click()
    assert page.locator("#nombre-projets").inner_text() == "18"

    page.get_by_role("link", name="Incubateur Haziak").click()
    page.wait_for_url(server + "/projets/couveuse-haziak")
    assert page.get_by_role("heading", level=1).inner_text() == "Incubateur Haziak"
    participants = page.locator("section.participants")
    # participations.csv: 7 rows for couveuse-haziak, all public; the porteur is cae-sud-aquitaine
    assert participants.get_by_role("heading").inner_text() == "Participants (7)"
    assert participants.locator("li").count() == 7
    assert participants.locator('li[data-id="cae-sud-aquitaine"]').inner_text() == (
        "CAE Ekintza Sud Aquitaine (Porteur)"
    )
    screenshot(page, "projet")
    participants.get_by_role("link", name="CAE Ekintza Sud Aquitaine").click()
    page.wait_for_url(server + "/actors/cae-sud-aquitaine")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_an_animator_adds_a_concept_and_finds_it_in_the_tree_with_its_count(
    editable_site: tuple[str, TokenStore], page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    site, tokens = editable_site
    log_in_as_animator(page, site, tokens, "/taxonomie")
    form = page.locator("section.edition")
    form.get_by_label(re.compile(r"^Schéma")).select_option(label="Domaines d'activité")
    form.get_by_label("Clé").fill("sylviculture")
    form.get_by_label("Libellé en français").fill("Sylviculture")
    form.get_by_label("Libellé en basque (facultatif)").fill("Basogintza")
    form.get_by_label("Concept plus large (facultatif, du même schéma)").select_option(
        value="circuits-courts"
    )
    form.get_by_role("button", name="Ajouter le concept").click()
    page.wait_for_url(site + "/taxonomie?ajout=sylviculture#field-sylviculture")
    assert page.get_by_role("status").inner_text() == "Concept « sylviculture » ajouté."
    added = page.locator("#field-sylviculture")
    assert added.locator(".arbre__nom").inner_text() == "Sylviculture"
    assert added.locator('.arbre__langue[lang="eu"]').inner_text() == "Basogintza"
    assert added.locator(".arbre__compte").inner_text() == "0 acteur"  # nobody declares it yet
    # under « Circuits courts », after its two narrower fields of fields.ttl, in alphabetical order
    below = page.locator("#field-circuits-courts > ul > li")
    assert below.evaluate_all("items => items.map(i => i.dataset.key)") == [
        "agriculture-paysanne",
        "alimentation-locale",
        "sylviculture",
    ]
    added.scroll_into_view_if_needed()
    screenshot(page, "taxonomie-ajout")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_an_animator_imports_a_csv_after_reading_its_dry_run(
    editable_site: tuple[str, TokenStore], page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    site, tokens = editable_site
    log_in_as_animator(page, site, tokens, "/importer")
    screenshot(page, "importer")
    page.get_by_label("Fichier (au plus 20 Mo)").set_input_files(
        {"name": "acteurs.csv", "mimeType": "text/csv", "buffer": ACTEURS.encode()}
    )
    page.get_by_label("Importer les lignes valides même si d'autres sont refusées").check()
    page.get_by_role("button", name="Essayer (rien n'est écrit)").click()
    page.wait_for_url(f"{site}/importer/*")
    assert page.get_by_role("heading", level=2).first.inner_text() == (
        "Essai à blanc de « acteurs.csv » : rien n'a encore été écrit"
    )
    # keep_valid: the valid row would create one actor, the bad one is left out
    assert [page.locator(f"#{n}").inner_text() for n in ("cree", "modifie", "inchange", "ecarte")] == [
        "1",
        "0",
        "0",
        "1",
    ]
    rows = page.locator("table.problemes tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_inner_texts()[:6] == [
        "acteurs.csv",
        "acteurs",
        "3",
        "domaines",
        "astrologie",
        "domaine d'activité inconnu dans la taxonomie",
    ]
    screenshot(page, "import-essai")

    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_url(f"{site}/importer/*/confirmer")
    assert page.get_by_role("heading", level=2).first.inner_text() == "Import de « acteurs.csv » terminé"
    assert page.locator("#cree").inner_text() == "1"
    screenshot(page, "import-fait")

    page.get_by_role("navigation").get_by_role("link", name="Chercher").click()
    page.get_by_label("Nom, activité, commune").fill("Atelier Neuf")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url(f"{site}/recherche?q=Atelier+Neuf")
    assert page.locator('li[data-id="atelier-neuf"] .resultats__nom').inner_text() == "Atelier Neuf"
    assert page.locator('li[data-id="ferme-test"]').count() == 0  # the refused row was not imported
    screenshot(page, "recherche-import")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]
