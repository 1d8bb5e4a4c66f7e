"""The explorer in English in Debian's Chromium (issue 5): the switch, the controls, the words the script
writes (copy status) and the tooltips and legend vis-network holds, with no console error."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DEMO = "ressourcerie-lur-berri"


def test_the_explorer_in_english_in_a_browser(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(server + "/langue/en?suivant=/%3Fsuggestions%3D1")  # the banner's switch, then the explorer
    page.wait_for_function("window.maillageNetworkReady === true", timeout=15_000)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("The network")
    page.get_by_label("Colour by").select_option("pays")  # the choice keeps English (the cookie)
    page.wait_for_url("**couleur=pays**")
    page.wait_for_function("window.maillageNetworkReady === true", timeout=15_000)
    expect(page.locator(".legende")).to_contain_text("Spain")
    title = page.evaluate(f"() => window.maillageNetworks.reseau.nodes.get('{DEMO}').title.textContent")
    assert title.endswith("Fields: Work integration, Reuse and circular economy")
    page.get_by_text("Permanent link").click()
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator('[data-maillage-status="lien-permanent"]')).to_have_text(
        re.compile(r"^(Copied to the clipboard|Text selected: Ctrl\+C to copy it)\.$")
    )
    screenshot(page, "explorateur-anglais")
    assert page.console_errors == []  # type: ignore[attr-defined]
