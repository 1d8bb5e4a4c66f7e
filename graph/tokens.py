"""API tokens: created once, stored hashed in a small SQLite file of the data folder, revocable at once.

A token reads ``mai_<id>_<secret>``: ``<id>`` (8 hex digits) names the row, ``<secret>`` is
``secrets.token_urlsafe(32)`` (256 random bits). Only the SHA-256 of the whole token is stored: with 256
random bits a fast hash is enough (nobody can try 2**256 guesses), and it keeps the check per request in
microseconds, where scrypt would cost tens of milliseconds (docs/decisions/20261128-api-tokens.md).

The file lives beside the store, never inside it, so no export, dump or SPARQL answer can read it. Every
check opens the file again: a revocation, by any process, holds from the next request on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: Roles, weakest first: each role may do what the roles before it may.
ROLES = ("public", "member", "animator", "admin")
#: French names of the roles, for messages.
ROLE_LABELS = {
    "public": "public",
    "member": "membre",
    "animator": "animateur·rice",
    "admin": "administrateur·rice",
}
TOKENS_FILE = "tokens.sqlite3"
PREFIX = "mai"
_TOKEN = re.compile(r"^mai_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    role TEXT NOT NULL,
    actor TEXT,
    created TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    revoked TEXT
)
"""


class TokenError(ValueError):
    """A token could not be created or revoked; the message says why, in French."""


@dataclass(frozen=True)
class TokenRecord:
    """What is known of a token — never the token itself, nor its hash."""

    id: str
    role: str
    actor: str | None
    created: str
    note: str
    revoked: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None


def role_rank(role: str) -> int:
    """The position of `role` in `ROLES` (public 0 … admin 3).

    >>> role_rank("animator") > role_rank("member")
    True
    """
    return ROLES.index(role)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class TokenStore:
    """The tokens of one data folder, in ``<data dir>/tokens.sqlite3`` (created on first write, mode 0600).

    >>> import tempfile
    >>> tokens = TokenStore(Path(tempfile.mkdtemp()) / "tokens.sqlite3")
    >>> record, token = tokens.create("animator", note="Maite")
    >>> tokens.authenticate(token) == record
    True
    >>> tokens.revoke(record.id).active, tokens.authenticate(token)
    (False, None)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        if create and not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            with connection:
                if create:
                    connection.execute(_SCHEMA)
                yield connection
        finally:
            connection.close()

    def create(self, role: str, *, actor: str | None = None, note: str = "") -> tuple[TokenRecord, str]:
        """A new token for `role` (and, for a member, the `actor` key it may edit): its record and the token.

        The token is returned once and never stored. Raises `TokenError` for an unknown role or a member
        without an actor.
        """
        if role not in ROLES:
            raise TokenError(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLES)})")
        if role == "member" and not actor:
            raise TokenError("un jeton « member » doit nommer son acteur : --actor IDENTIFIANT")
        with self._connect(create=True) as connection:
            while True:
                token_id = secrets.token_hex(4)
                token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
                record = TokenRecord(id=token_id, role=role, actor=actor or None, created=_now(), note=note)
                try:
                    connection.execute(
                        "INSERT INTO tokens (id, hash, role, actor, created, note) VALUES (?, ?, ?, ?, ?, ?)",
                        (token_id, token_hash(token), role, record.actor, record.created, note),
                    )
                except sqlite3.IntegrityError:
                    continue  # the same 32-bit id drawn twice: draw again
                return record, token

    def list(self) -> list[TokenRecord]:
        """Every token ever created, revoked ones included, oldest first."""
        if not self.path.exists():
            return []
        with self._connect(create=False) as connection:
            rows = connection.execute(
                "SELECT id, role, actor, created, note, revoked FROM tokens ORDER BY created, id"
            ).fetchall()
        return [TokenRecord(*row) for row in rows]

    def revoke(self, token_id: str) -> TokenRecord:
        """Revoke a token by its id: refused from the next request on. Raises `TokenError` if unknown."""
        if not self.path.exists():
            raise TokenError(f"jeton inconnu : « {token_id} » (aucun jeton créé dans ce dossier de données)")
        with self._connect(create=False) as connection:
            connection.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", (_now(), token_id)
            )
            row = connection.execute(
                "SELECT id, role, actor, created, note, revoked FROM tokens WHERE id = ?", (token_id,)
            ).fetchone()
        if row is None:
            raise TokenError(f"jeton inconnu : « {token_id} » (voir : maillage token list)")
        return TokenRecord(*row)

    def authenticate(self, token: str) -> TokenRecord | None:
        """The record of an active token, or None (malformed, unknown or revoked).

        Looks the row up by its id, then compares hashes in constant time (`hmac.compare_digest`).
        Cost: one SQLite lookup by primary key (tens of microseconds).
        """
        match = _TOKEN.match(token)
        if match is None or not self.path.exists():
            return None
        with self._connect(create=False) as connection:
            row = connection.execute(
                "SELECT hash, id, role, actor, created, note, revoked FROM tokens WHERE id = ?",
                (match.group(1),),
            ).fetchone()
        if row is None or not hmac.compare_digest(row[0], token_hash(token)) or row[6] is not None:
            return None
        return TokenRecord(*row[1:])
