"""Logging in and out in a real browser, under the pages' Content-Security-Policy; the API docs too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from tests.browser.conftest import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenStore:
    return TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")


@pytest.fixture(scope="module")
def site(sample_store: Store, tokens: TokenStore) -> Iterator[str]:
    with serving(create_app(sample_store, tokens=tokens)) as url:
        yield url


def test_a_member_logs_in_sees_the_banner_and_logs_out(
    site: str, tokens: TokenStore, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    _, token = tokens.create("member", actor="ressourcerie-lur-berri", note="Ainhoa")
    page.goto(site + "/recherche")
    page.get_by_role("link", name="Connexion").click()
    page.wait_for_url(site + "/connexion?suivant=/recherche")
    page.get_by_label("Jeton").fill("mai_00000000_" + "a" * 43)
    page.get_by_role("button", name="Se connecter").click()
    assert "Jeton inconnu ou révoqué" in page.locator("[role=alert]").inner_text()
    page.get_by_label("Jeton").fill(token)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(site + "/recherche")
    assert page.locator(".compte .qui").inner_text() == "Connecté·e : membre (ressourcerie-lur-berri)"
    cookie = next(c for c in page.context.cookies() if c["name"] == "maillage_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # invisible to scripts
    screenshot(page, "connexion-membre")
    page.get_by_role("button", name="Se déconnecter").click()  # a form carrying the CSRF token
    page.wait_for_url(site + "/")
    assert page.locator(".compte").inner_text().split() == ["English", "Connexion"]  # the language switch
    # the 401 of the wrong token is a console error of the browser's own (a failed resource): nothing else
    assert [e for e in page.console_errors if "401" not in e] == []  # type: ignore[attr-defined]


def test_every_page_carries_the_policy_and_the_api_docs_work_under_it(
    site: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    for path in ("/recherche", "/carte", "/tableau-de-bord", "/opportunites", "/verifier-un-projet", "/docs"):
        answer = page.goto(site + path)
        assert answer is not None and answer.status == 200, path
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
    page.wait_for_selector("text=Lister et filtrer les acteurs", timeout=15000)  # Swagger UI ran
    screenshot(page, "docs-api")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_member_adds_a_need_sees_the_new_synergy_and_cannot_edit_another_actor(
    editable_site: tuple[str, TokenStore], page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    site, tokens = editable_site
    member = "ressourcerie-lur-berri"
    _, token = tokens.create("member", actor=member, note="Ressourcerie")
    page.goto(f"{site}/connexion?suivant=/actors/{member}")
    page.get_by_label("Jeton").fill(token)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{site}/actors/{member}")
    assert page.locator("ol.synergies > li").first.get_attribute("data-target") == "chantier-bois-adour"
    page.get_by_role("link", name="Modifier cette fiche").click()
    page.wait_for_url(f"{site}/actors/{member}/modifier")
    needs = page.locator("section.edition--besoins")
    needs.get_by_label("Ajouter un besoin").select_option(label="Maraîchage")
    needs.get_by_role("button", name="Ajouter").click()
    page.wait_for_url(f"{site}/actors/{member}/modifier?fait=ajout")
    assert page.get_by_role("status").inner_text() == "Ajout enregistré : les synergies en tiennent compte."
    assert "Maraîchage" in needs.locator("ul.ressources").inner_text()
    screenshot(page, "modifier-ses-besoins")
    page.get_by_role("link", name="Voir la fiche et ses synergies").click()
    page.wait_for_url(f"{site}/actors/{member}")
    first = page.locator("ol.synergies > li").first
    assert first.get_attribute("data-target") == "jardins-solidaires-seignanx"  # the only grower
    assert "Maraîchage" in first.inner_text()
    screenshot(page, "nouvelle-synergie")
    refused = page.goto(f"{site}/actors/chantier-bois-adour/modifier")
    assert refused is not None and refused.status == 403
    assert "Un membre ne modifie que son propre acteur" in page.locator(".erreur").inner_text()
    assert [e for e in page.console_errors if "403" not in e] == []  # type: ignore[attr-defined]
