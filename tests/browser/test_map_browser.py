"""The map page in Debian's Chromium: drawn offline, every public actor on it, zoom and pan by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def view_box(page: Page) -> list[float]:
    return [float(v) for v in page.locator("svg#carte").get_attribute("viewBox").split()]  # type: ignore[union-attr]


def test_map_shows_actors_communes_and_legends(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/carte")
    page.wait_for_function("window.maillageMapReady === true", timeout=10000)
    assert page.locator("circle.carte__acteur").count() == 77  # 79 less the two private inhabitants
    assert page.locator("g.carte__communes path").count() == 876
    assert page.locator("circle.carte__acteur").first.is_visible()
    legends = page.locator(".maillage-carte__legendes").inner_text()
    assert "Partenaire transfrontalier" in legends and "5 et plus" in legends
    screenshot(page, "carte")

    # The wheel zooms in round the pointer: the view box gets smaller.
    before = view_box(page)
    box = page.locator("svg#carte").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(100)
    after = view_box(page)
    assert after[2] < before[2] and after[3] < before[3]
    # A double click shows the whole territory (the full drawing), a second one comes back to the actors.
    page.locator("svg#carte").dblclick(position={"x": 5, "y": 5})
    full = [float(v) for v in page.locator("svg#carte").get_attribute("data-full").split()]  # type: ignore[union-attr]
    assert view_box(page) == full

    # Clicking an actor opens its page.
    page.locator("svg#carte").dblclick(position={"x": 5, "y": 5})
    page.locator('circle.carte__acteur[data-id="ressourcerie-lur-berri"]').click(force=True)
    page.wait_for_url("**/actors/ressourcerie-lur-berri")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_map_draws_synergy_lines_on_demand(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/carte")
    page.get_by_label("montrer les meilleures synergies").check()
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/carte?*synergies=true*")
    assert page.locator('line[data-kind="suggestion"]').count() == 40
    assert "Coopération suggérée" in page.locator(".maillage-carte__legendes").inner_text()
    screenshot(page, "carte-synergies")
    assert page.console_errors == []  # type: ignore[attr-defined]
