"""API tokens and roles: stored hashed, checked on every request, revoked at once; 401 / 403 in one shape."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from maillage.api.app import create_app
from maillage.api.auth import Caller, require_role
from maillage.api.errors import install_error_handlers
from maillage.cli import app as cli
from maillage.graph.export import FORMATS, serialize
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenError, TokenStore

runner = CliRunner()
TOKEN = re.compile(r"^mai_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")


@pytest.fixture()
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "data" / "tokens.sqlite3")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the token store -------------------------------------------------------------------------------------


def test_only_the_sha256_of_a_token_is_stored(tokens: TokenStore) -> None:
    record, token = tokens.create("animator", note="Maite, animatrice")
    assert TOKEN.match(token) and token.split("_")[1] == record.id
    rows = sqlite3.connect(tokens.path).execute("SELECT id, hash, role, actor, note FROM tokens").fetchall()
    assert rows == [
        (record.id, hashlib.sha256(token.encode()).hexdigest(), "animator", None, "Maite, animatrice")
    ]
    assert token.encode() not in tokens.path.read_bytes()
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_authenticate_accepts_the_token_and_nothing_near_it(tokens: TokenStore) -> None:
    record, token = tokens.create("member", actor="atelier")
    assert tokens.authenticate(token) == record
    assert record.actor == "atelier" and record.revoked is None
    # the right id with one character of the secret changed; a token of another store; garbage
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert tokens.authenticate(flipped) is None
    assert tokens.authenticate(TokenStore(tokens.path.parent / "other.sqlite3").create("admin")[1]) is None
    assert tokens.authenticate("") is None and tokens.authenticate("mai_zz_' OR 1=1 --") is None


def test_revocation_is_seen_by_every_store_object_on_the_file(tokens: TokenStore) -> None:
    record, token = tokens.create("admin")
    other_process = TokenStore(tokens.path)  # another API worker reading the same file
    assert other_process.authenticate(token) == record
    revoked = tokens.revoke(record.id)
    assert revoked.revoked is not None and not revoked.active
    assert other_process.authenticate(token) is None
    assert [r.id for r in other_process.list()] == [record.id]


def test_token_errors_say_what_to_do(tokens: TokenStore) -> None:
    with pytest.raises(
        TokenError, match="rôle inconnu : « boss » \\(rôles : public, member, animator, admin\\)"
    ):
        tokens.create("boss")
    with pytest.raises(TokenError, match="doit nommer son acteur : --actor IDENTIFIANT"):
        tokens.create("member")
    with pytest.raises(TokenError, match="jeton inconnu : « 00000000 »"):
        tokens.revoke("00000000")
    tokens.create("public")
    with pytest.raises(TokenError, match="jeton inconnu : « 00000000 » \\(voir : maillage token list\\)"):
        tokens.revoke("00000000")


# --- roles on a real app ----------------------------------------------------------------------------------


def role_app(tokens: TokenStore) -> TestClient:
    """A bare app with one route per role, behind the same dependency the real routes use."""
    app = FastAPI()
    app.state.tokens = tokens
    install_error_handlers(app)
    for role in ("public", "member", "animator", "admin"):

        def route(caller: Caller = Depends(require_role(role))) -> dict[str, str | None]:  # noqa: B008
            return {"role": caller.role, "actor": caller.actor}

        app.get(f"/{role}")(route)
    return TestClient(app)


def test_roles_are_ordered_public_member_animator_admin(tokens: TokenStore) -> None:
    client = role_app(tokens)
    given = {
        role: tokens.create(role, actor="atelier" if role == "member" else None)[1]
        for role in ("public", "member", "animator", "admin")
    }
    # rows: the caller's role; columns: the route's role. 200 = let through, 403 = too low (from the
    # order public < member < animator < admin)
    expected = {
        "public": [200, 403, 403, 403],
        "member": [200, 200, 403, 403],
        "animator": [200, 200, 200, 403],
        "admin": [200, 200, 200, 200],
    }
    for role, token in given.items():
        seen = [client.get(f"/{route}", headers=bearer(token)).status_code for route in expected]
        assert seen == expected[role], role
    assert client.get("/member", headers=bearer(given["member"])).json() == {
        "role": "member",
        "actor": "atelier",
    }
    # no token at all: the public role
    assert client.get("/public").json() == {"role": "public", "actor": None}


def test_401_and_403_use_the_common_error_shape(tokens: TokenStore) -> None:
    client = role_app(tokens)
    member_id, member = tokens.create("member", actor="atelier")
    anonymous = client.get("/animator")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.json() == {
        "error": {
            "status": 401,
            "code": "non_authentifie",
            "message": "Authentification requise : il faut le rôle « animateur·rice » ou plus ; "
            "envoyez « Authorization: Bearer <jeton> »",
            "details": [],
        }
    }
    too_low = client.get("/animator", headers=bearer(member))
    assert too_low.status_code == 403 and too_low.headers["www-authenticate"] == "Bearer"
    assert too_low.json()["error"] == {
        "status": 403,
        "code": "interdit",
        "message": f"Rôle insuffisant : ce jeton ({member_id.id}) a le rôle « membre », "
        "il faut « animateur·rice » ou plus",
        "details": [],
    }
    # a bad token is refused even on a public route: the caller meant to be someone
    for headers in (bearer("mai_00000000_" + "x" * 43), {"Authorization": "Basic YWRtaW46YWRtaW4="}):
        refused = client.get("/public", headers=headers)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["error"]["code"] == "non_authentifie"


def test_a_revoked_token_is_refused_from_the_next_request(tokens: TokenStore) -> None:
    client = role_app(tokens)
    record, token = tokens.create("animator")
    assert client.get("/animator", headers=bearer(token)).status_code == 200
    TokenStore(tokens.path).revoke(record.id)  # as `maillage token revoke` does, from another process
    refused = client.get("/animator", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json()["error"]["message"].startswith("Jeton inconnu ou révoqué")


def test_an_app_without_a_token_store_refuses_every_token(tmp_path: Path, sample_store: Store) -> None:
    _, token = TokenStore(tmp_path / "tokens.sqlite3").create("admin")
    client = TestClient(create_app(sample_store))
    assert client.post("/api/imports", headers=bearer(token)).status_code == 401


# --- no output carries a token or its hash ----------------------------------------------------------------


def test_no_export_or_api_answer_contains_a_token_or_its_hash(tmp_path: Path, sample_store: Store) -> None:
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    secrets = []
    for role in ("public", "member", "animator", "admin"):
        _, token = tokens.create(role, actor="ressourcerie-lur-berri" if role == "member" else None)
        secrets += [token, hashlib.sha256(token.encode()).hexdigest()]
    outputs = [serialize(sample_store, name) for name in FORMATS]
    client = TestClient(create_app(sample_store, tokens=tokens))
    for path in (
        "/openapi.json",
        "/api/actors?limit=1000",
        "/api/actors/ressourcerie-lur-berri",
        "/api/fields",
        "/api/projects",
        "/api/synergies",
        "/id/actor/ressourcerie-lur-berri",
        "/",
    ):
        response = client.get(path, headers=bearer(secrets[4]))
        assert response.status_code == 200, path
        outputs.append(response.content)
    outputs.append(client.post("/api/imports", headers=bearer(secrets[4])).content)
    leaks = [s for s in secrets for output in outputs if s.encode() in output]
    assert leaks == []
    assert secrets[1] not in "".join(str(term) for quad in sample_store.quads() for term in quad)


# --- the CLI ----------------------------------------------------------------------------------------------


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    return tmp_path / "data"


def test_token_create_list_revoke(data_dir: Path) -> None:
    created = runner.invoke(cli, ["token", "create", "--role", "animator", "--name", "Maite"])
    assert created.exit_code == 0, created.output
    first, token = created.output.splitlines()
    token_id = token.split("_")[1]
    assert first == f"Jeton {token_id} (animateur·rice) créé. Copiez-le maintenant, il ne sera plus affiché :"
    assert TOKEN.match(token)
    tokens = TokenStore(data_dir / "tokens.sqlite3")
    assert tokens.authenticate(token) is not None  # the CLI and the API use the same file and function
    listed = runner.invoke(cli, ["token", "list"])
    (line,) = listed.output.splitlines()
    fields = line.split("\t")
    assert fields[:3] == [token_id, "animator", "-"] and fields[4:] == ["actif", "Maite"]
    assert token not in listed.output and hashlib.sha256(token.encode()).hexdigest() not in listed.output
    revoked = runner.invoke(cli, ["token", "revoke", token_id])
    assert revoked.exit_code == 0 and revoked.output.startswith(f"Jeton {token_id} révoqué le ")
    assert tokens.authenticate(token) is None
    assert "\trévoqué le " in runner.invoke(cli, ["token", "list"]).output


def test_token_cli_errors_are_one_clear_line(data_dir: Path) -> None:
    assert runner.invoke(cli, ["token", "list"]).output == "Aucun jeton.\n"
    cases = {
        (
            "create",
            "--role",
            "boss",
        ): "Erreur : rôle inconnu : « boss » (rôles : public, member, animator, admin)\n",
        (
            "create",
            "--role",
            "member",
        ): "Erreur : un jeton « member » doit nommer son acteur : --actor IDENTIFIANT\n",
        ("create", "--role", "member", "--actor", "fantome"): "Erreur : acteur inconnu : « fantome » "
        "(importez-le d'abord, ou vérifiez l'identifiant)\n",
        (
            "create",
            "--role",
            "member",
            "--actor",
            "a b",
        ): "Erreur : identifiant d'acteur invalide : « a b »\n",
        (
            "revoke",
            "deadbeef",
        ): "Erreur : jeton inconnu : « deadbeef » (aucun jeton créé dans ce dossier de données)\n",
    }
    for arguments, message in cases.items():
        result = runner.invoke(cli, ["token", *arguments])
        assert (result.exit_code, result.output) == (1, message), arguments


def test_a_member_token_names_an_actor_of_the_store(data_dir: Path) -> None:
    from .conftest import SAMPLE

    assert runner.invoke(cli, ["import", str(SAMPLE)]).exit_code == 0
    created = runner.invoke(cli, ["token", "create", "--role", "member", "--actor", "ressourcerie-lur-berri"])
    assert created.exit_code == 0, created.output
    (record,) = TokenStore(data_dir / "tokens.sqlite3").list()
    assert (record.role, record.actor) == ("member", "ressourcerie-lur-berri")
