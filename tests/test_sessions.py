"""Logging in to the pages: session cookie flags, CSRF on every cookie-carried write, revocation, throttle."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.session import COOKIE
from maillage.graph.sessions import SessionStore
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore


@pytest.fixture()
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "tokens.sqlite3")


def client_for(store: Store, tokens: TokenStore, **options: object) -> TestClient:
    return TestClient(create_app(store, tokens=tokens), follow_redirects=False, **options)  # type: ignore[arg-type]


def login(client: TestClient, token: str, target: str = "/recherche") -> str:
    """Log in; the CSRF token the pages now carry."""
    answer = client.post("/connexion", data={"jeton": token, "suivant": target})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == target
    page = client.get("/recherche")
    marker = '<meta name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def test_login_sets_an_httponly_lax_cookie_and_the_banner_names_the_role(
    sample_store: Store, tokens: TokenStore
) -> None:
    _, token = tokens.create("member", actor="atelier-bois", note="Ainhoa")
    client = client_for(sample_store, tokens)
    assert "Connexion" in client.get("/recherche").text
    answer = client.post("/connexion", data={"jeton": token, "suivant": "/carte"})
    assert answer.status_code == 303 and answer.headers["location"] == "/carte"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/", "max-age=43200"} <= flags
    assert "secure" not in flags  # plain HTTP on 127.0.0.1: a Secure cookie would never come back
    page = client.get("/carte").text
    assert "Connecté·e : membre (atelier-bois)" in page
    assert token not in page


def test_the_cookie_is_secure_over_https(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens, base_url="https://testserver")
    cookie = client.post("/connexion", data={"jeton": token}).headers["set-cookie"]
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_only_the_hash_of_the_session_secret_is_stored(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    secret = client.post("/connexion", data={"jeton": token}).cookies[COOKIE]
    with sqlite3.connect(tokens.path) as connection:
        stored = connection.execute("SELECT hash, token_id FROM sessions").fetchall()
    assert len(stored) == 1 and secret not in repr(stored) and len(stored[0][0]) == 64


def test_a_cookie_carried_write_needs_the_csrf_token(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    csrf = login(client, token)
    refused = client.post("/api/imports", files={"file": ("a.csv", b"x")})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "jeton anti-falsification (CSRF) absent ou invalide : rechargez la page et recommencez"
    )
    wrong = client.post("/api/imports", headers={"X-CSRF-Token": csrf[:-1] + "x"})
    assert wrong.status_code == 403
    # with the token, the request reaches the route as the animator: a refused import (422), not 401/403
    passed = client.post(
        "/api/imports", headers={"X-CSRF-Token": csrf}, files={"file": ("acteurs.csv", b"nom\n")}
    )
    assert passed.status_code == 422, passed.text
    assert passed.json()["error"]["code"] == "import_refuse"


def test_a_write_from_another_site_is_refused_even_with_the_csrf_token(
    sample_store: Store, tokens: TokenStore
) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    csrf = login(client, token)
    answer = client.post(
        "/api/imports", headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"}, data={}
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["message"] == "requête venue d'un autre site : refusée"
    forged_login = client.post(
        "/connexion", data={"jeton": token}, headers={"Origin": "https://evil.example"}
    )
    assert forged_login.status_code == 403


def test_the_csrf_token_is_also_read_from_a_form_field(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    csrf = login(client, token)
    assert client.post("/deconnexion", data={"csrf": "faux"}).status_code == 403
    secret = client.cookies[COOKIE]
    answer = client.post("/deconnexion", data={"csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert SessionStore(tokens).get(secret) is None  # a replayed cookie is dead
    client.cookies.set(COOKIE, secret)
    assert "Connecté·e" not in client.get("/recherche").text


def test_a_member_session_has_the_member_role_only(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("member", actor="atelier-bois")
    client = client_for(sample_store, tokens)
    csrf = login(client, token)
    answer = client.post("/api/imports", headers={"X-CSRF-Token": csrf}, files={"file": ("a.csv", b"x")})
    assert answer.status_code == 403
    assert "il faut « animateur·rice » ou plus" in answer.json()["error"]["message"]


def test_revoking_the_token_ends_its_sessions_at_once(sample_store: Store, tokens: TokenStore) -> None:
    record, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    csrf = login(client, token)
    TokenStore(tokens.path).revoke(record.id)  # `maillage token revoke`, from another process
    assert "Connecté·e" not in client.get("/recherche").text
    answer = client.post("/api/imports", headers={"X-CSRF-Token": csrf}, files={"file": ("a.csv", b"x")})
    assert answer.status_code == 401  # the cookie is now anonymous


def test_a_session_expires_after_its_hours(tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    sessions = SessionStore(tokens, hours=12)
    start = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.timezone.utc)
    opened = sessions.open(token, now=start)
    assert opened is not None
    secret, session = opened
    assert session.expires == "2026-11-29T20:00:00Z"
    assert sessions.get(secret, now=start + dt.timedelta(hours=11, minutes=59)) is not None
    assert sessions.get(secret, now=start + dt.timedelta(hours=12)) is None


def test_a_bad_token_is_refused_and_failures_are_throttled(sample_store: Store, tokens: TokenStore) -> None:
    _, token = tokens.create("animator")
    client = client_for(sample_store, tokens)
    for _ in range(5):
        answer = client.post("/connexion", data={"jeton": "mai_00000000_" + "a" * 43})
        assert answer.status_code == 401
        assert "Jeton inconnu ou révoqué" in answer.text
        assert COOKIE not in answer.headers.get("set-cookie", "")
    blocked = client.post("/connexion", data={"jeton": token})  # even the right token must wait
    assert blocked.status_code == 429
    assert 295 <= int(blocked.headers["retry-after"]) <= 300
    other = client_for(sample_store, tokens, client=("10.0.0.9", 5000))
    other.app.state.login_throttle = client.app.state.login_throttle  # type: ignore[attr-defined]
    assert other.post("/connexion", data={"jeton": token}).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_to_another_site(sample_store: Store, tokens: TokenStore, target: str) -> None:
    _, token = tokens.create("animator")
    answer = client_for(sample_store, tokens).post("/connexion", data={"jeton": token, "suivant": target})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
