"""The real pages, served by uvicorn on 127.0.0.1 over the sample network, in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DEMO = "ressourcerie-lur-berri"


def wait_for_network(page: Page) -> dict[str, int]:
    page.wait_for_function("window.maillageNetworkReady === true", timeout=15000)
    return page.evaluate(
        "() => ({nodes: window.maillageNetwork.body.data.nodes.length,"
        " edges: window.maillageNetwork.body.data.edges.length})"
    )


def test_network_page_draws_every_public_actor(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server + "/")
    counts = wait_for_network(page)
    assert counts["nodes"] == 77  # 79 actors less the two inhabitants without consent
    assert counts["edges"] > 50
    assert page.locator("canvas").count() >= 1
    legend = page.locator(".legende").inner_text()
    assert "Insertion professionnelle" in legend
    assert "Espagne" in legend or "transfrontalier" in legend
    assert (
        "77 acteurs (64 en France, 13 en Espagne), 18 projets communs" in page.locator(".resume").inner_text()
    )
    screenshot(page, "reseau")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_network_page_colours_by_college(server: str, page: Page) -> None:
    page.goto(server + "/?couleur=college")
    wait_for_network(page)
    legend = page.locator(".legende").inner_text()
    assert "Partenaires transfrontaliers" in legend or "partenaires transfrontaliers" in legend.lower()
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_actor_page_shows_ego_network_and_explained_synergies(
    server: str, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server}/actors/{DEMO}")
    counts = wait_for_network(page)
    assert page.locator("h1").inner_text() == "Ressourcerie Lur Berri"
    items = page.locator("ol.synergies > li")
    assert items.count() == 10
    text = page.locator("ol.synergies").inner_text()
    assert "a besoin de" in text
    # its 5 partners and the partners of its 3 projects are in the ego network, plus suggested actors
    assert counts["nodes"] > 8
    screenshot(page, "acteur")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_unknown_actor_page_is_a_404(server: str, page: Page) -> None:
    response = page.goto(f"{server}/actors/inconnu")
    assert response is not None and response.status == 404
