"""The SPARQL page (/sparql) in Debian's Chromium: the form, a query typed and run, its table of results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

COUNT = (
    "PREFIX mai: <https://w3id.org/maillage/ontology#>\n"
    "SELECT (COUNT(DISTINCT ?a) AS ?acteurs) WHERE { VALUES ?t { mai:Organisation mai:Person } ?a a ?t }"
)


def test_a_query_typed_in_the_form_shows_its_table(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(server + "/sparql")
    assert page.locator("h1").inner_text() == "Interroger les données en SPARQL"
    page.fill("#requete", COUNT)
    page.click("form.sparql button[type=submit]")
    page.wait_for_selector("table.sparql__table")
    assert page.locator("table.sparql__table th").all_inner_texts() == ["?acteurs"]
    # 79 actors in acteurs.csv, less the two inhabitants without consent: the public view
    assert page.locator("table.sparql__table td").first.inner_text().startswith("77")
    assert page.locator("[data-visibilite]").get_attribute("data-visibilite") == "public"
    page.click("text=Les acteurs par type")
    page.wait_for_selector("table.sparql__table")
    assert page.locator("table.sparql__table th").all_inner_texts() == ["?type", "?nombre"]
    assert page.locator("table.sparql__table tbody tr").count() >= 5
    screenshot(page, "sparql")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]
