"""Journeys an animator walks, in Debian's Chromium over the sample network (issue 5 acceptance)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.test_pages import wait_for_network

pytestmark = pytest.mark.browser


def test_search_insertion_open_an_actor_and_widen_its_ego_network(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/")
    page.get_by_role("link", name="Chercher").click()
    page.get_by_label("Nom, activité, commune").fill("insertion")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url("**/recherche?q=insertion")
    assert page.locator("#nombre-resultats").inner_text() == "13"  # see tests/test_search.py
    screenshot(page, "recherche-insertion")

    # Narrow to Spain with the facet, then clear it again.
    page.locator('[data-facette="pays"]').get_by_role("link", name="Espagne").click()
    assert page.locator("#nombre-resultats").inner_text() == "3"
    page.locator('[data-facette="pays"]').get_by_role("link", name="✕ Espagne").click()
    assert page.locator("#nombre-resultats").inner_text() == "13"

    page.get_by_role("link", name="Ressourcerie Lur Berri").click()
    page.wait_for_url("**/actors/ressourcerie-lur-berri")
    depth_one = wait_for_network(page)["nodes"]
    page.get_by_label("Profondeur").select_option("2")
    page.wait_for_url("**/actors/ressourcerie-lur-berri?profondeur=2")
    depth_two = wait_for_network(page)["nodes"]
    assert depth_two > depth_one  # partners of partners join the picture
    screenshot(page, "acteur-profondeur-2")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_dashboard_shows_growth_and_gaps(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/tableau-de-bord")
    assert page.locator("rect.graphique__barre").count() >= 2 * 13  # two bars a year since 2014
    assert page.locator('[data-manque="besoins"] li').count() >= 1
    screenshot(page, "tableau-de-bord")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_project_check_from_the_form(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/")
    page.get_by_role("link", name="Vérifier un projet").click()
    page.get_by_label("Titre").fill("Minibus partagés du Pays Basque")
    page.get_by_label("Domaines d'action").select_option(["mobilite"])
    page.get_by_label("Services ou ressources").select_option(["minibus"])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/verifier-un-projet?*titre=*")
    # Four members need a minibus and nobody offers one: the proposal complements the network.
    assert page.locator(".verdict h2").inner_text() == "Verdict : complémentaire"
    screenshot(page, "verification-projet")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]
