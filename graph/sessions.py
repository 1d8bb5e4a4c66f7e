"""Web sessions: a person logs in to the pages once with their API token and gets a session cookie.

A session is a random secret (``secrets.token_urlsafe(32)``, 256 bits) sent as a cookie; only its SHA-256 is
stored, with the token it was opened with, its CSRF token and its expiry, in the same SQLite file as the
tokens (``tokens.sqlite3``, beside the store: no export or query can read it). Every lookup joins the token:
revoking the token ends its sessions at the next request, in every process.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from dataclasses import dataclass

from maillage.graph.tokens import TokenRecord, TokenStore, token_hash

#: How long a session lasts after login (a working day: the cookie is not renewed on use).
SESSION_HOURS = 12

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    token_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Session:
    """An open session: the token record it acts for, and the CSRF token its forms must send back."""

    token: TokenRecord
    csrf: str
    expires: str


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class SessionStore:
    """The sessions of one data folder, kept with its tokens.

    >>> import tempfile
    >>> from pathlib import Path
    >>> tokens = TokenStore(Path(tempfile.mkdtemp()) / "tokens.sqlite3")
    >>> record, token = tokens.create("animator", note="Maite")
    >>> sessions = SessionStore(tokens)
    >>> secret, session = sessions.open(token)
    >>> sessions.get(secret).token == record
    True
    >>> _ = tokens.revoke(record.id); sessions.get(secret) is None
    True
    """

    def __init__(self, tokens: TokenStore, *, hours: float = SESSION_HOURS) -> None:
        self.tokens = tokens
        self.hours = hours

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.tokens.path, timeout=10)
        connection.execute(_SCHEMA)
        return connection

    def open(self, token: str, *, now: dt.datetime | None = None) -> tuple[str, Session] | None:
        """A new session for an active `token`: the cookie secret (returned once) and the session; None for
        an unknown, malformed or revoked token. Expired sessions are deleted on the way."""
        record = self.tokens.authenticate(token)
        if record is None:
            return None
        moment = now or dt.datetime.now(dt.timezone.utc)
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = _stamp(moment + dt.timedelta(hours=self.hours))
        connection = self._connect()
        try:
            with connection:
                connection.execute("DELETE FROM sessions WHERE expires <= ?", (_stamp(moment),))
                connection.execute(
                    "INSERT INTO sessions (hash, token_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
                    (token_hash(secret), record.id, csrf, _stamp(moment), expires),
                )
        finally:
            connection.close()
        return secret, Session(token=record, csrf=csrf, expires=expires)

    def get(self, secret: str, *, now: dt.datetime | None = None) -> Session | None:
        """The live session of a cookie secret: None if unknown, expired, or its token was revoked."""
        if not secret or len(secret) > 100 or not self.tokens.path.exists():
            return None
        moment = _stamp(now or dt.datetime.now(dt.timezone.utc))
        connection = self._connect()
        try:
            row = connection.execute(
                "SELECT t.id, t.role, t.actor, t.created, t.note, t.revoked, s.csrf, s.expires "
                "FROM sessions s JOIN tokens t ON t.id = s.token_id "
                "WHERE s.hash = ? AND s.expires > ? AND t.revoked IS NULL",
                (token_hash(secret), moment),
            ).fetchone()
        finally:
            connection.close()
        if row is None:
            return None
        return Session(token=TokenRecord(*row[:6]), csrf=row[6], expires=row[7])

    def close(self, secret: str) -> None:
        """End a session (logout); nothing happens for an unknown secret."""
        if not self.tokens.path.exists():
            return
        connection = self._connect()
        try:
            with connection:
                connection.execute("DELETE FROM sessions WHERE hash = ?", (token_hash(secret),))
        finally:
            connection.close()
