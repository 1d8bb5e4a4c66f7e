"""Playwright fixtures for the browser tests: Debian's Chromium, offline pages, console and request logs.

Fixtures:
- ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` (or ``$MAILLAGE_CHROMIUM``). Missing
  browser: the test fails when ``CI=true`` (DESIGN §12: CI never skips silently), else it is skipped.
- ``page``: a fresh page in its own context. ``page.console_errors`` lists console errors and uncaught
  page errors; every request to a host other than 127.0.0.1 / localhost is aborted and listed in
  ``page.external_requests``.
- ``server`` (module): the app over the sample network, served by uvicorn on a free 127.0.0.1 port.
- ``screenshot``: ``screenshot(page, name)`` saves ``<repo>/test-artifacts/screenshots/{name}.png``
  (also importable as :func:`save_screenshot`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Route, sync_playwright

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore

REPOSITORY = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPOSITORY / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that never leave the machine; Playwright does not route most of them, listed for safety.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def chromium_path() -> Path:
    """Return the Chromium the tests drive: ``$MAILLAGE_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    return Path(os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium"))


def is_local_url(url: str) -> bool:
    """Whether *url* stays on this machine (loopback host or a local-only scheme)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of *page* as ``test-artifacts/screenshots/{name}.png`` and return its path."""
    if not name or any(char in name for char in "/\\") or name.startswith("."):
        raise ValueError(f"Screenshot name {name!r} must be a plain file name without folders.")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not executable.exists():
        message = (
            f"Chromium not found at {executable}: install Debian's package (apt-get install chromium) "
            "or set MAILLAGE_CHROMIUM to its path."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 860}, locale="fr-FR", service_workers="block"
    )
    console_errors: list[str] = []
    external_requests: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            console_errors.append(f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})")

    def on_page_error(error: Error) -> None:
        console_errors.append(f"page error: {error.message}")

    def guard(route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            external_requests.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    new_page = context.new_page()
    # Plain attributes, so tests read them as page.console_errors / page.external_requests.
    new_page.console_errors = console_errors  # type: ignore[attr-defined]
    new_page.external_requests = external_requests  # type: ignore[attr-defined]
    new_page.on("console", on_console)
    new_page.on("pageerror", on_page_error)
    try:
        yield new_page
    finally:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    return save_screenshot


@pytest.fixture(scope="module")
def server(sample_store: Store) -> Iterator[str]:
    """The app over the sample network on a free loopback port; stopped after the module."""
    with serving(create_app(sample_store)) as url:
        yield url


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port, in a thread; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@pytest.fixture()
def editable_site(sample_store: Store, tmp_path: Path) -> Iterator[tuple[str, TokenStore]]:
    """A served copy of the sample network that a journey may change, with its own tokens."""
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    with serving(create_app(store, tokens=tokens)) as url:
        yield url, tokens
    store.close()
