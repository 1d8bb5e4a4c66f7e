"""Settings, read from the environment when asked (never at import), and the store they choose."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from maillage.graph.sparql import SparqlLimits
from maillage.graph.stores.base import Store, StoreError


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    store: str
    host: str = "127.0.0.1"
    port: int = 8000
    bolt_user: str | None = None
    bolt_password: str | None = None
    bolt_database: str | None = None
    #: quads from which an Oxigraph transaction goes through its journal (None: the store's default)
    oxigraph_journal_from: int | None = None
    #: whether `maillage serve` takes the public SPARQL snapshot as it starts (`maillage.api.app.warm_up`)
    sparql_at_start: bool = True


def get_settings() -> Settings:
    """Read `MAILLAGE_DATA_DIR` (default ./maillage-data) and `MAILLAGE_STORE`.

    `MAILLAGE_STORE` defaults to oxigraph:<data dir>/oxigraph; a Bolt server (``bolt://host:port``,
    ``neo4j://…``, ``neo4j+s://…`` for Aura) takes `MAILLAGE_BOLT_USER`, `MAILLAGE_BOLT_PASSWORD` and
    `MAILLAGE_BOLT_DATABASE` (the Neo4j database, or the FalkorDB graph; the server's default when unset).
    Credentials may also be written in the URI: ``bolt://user:password@host:port`` (`split_credentials`).
    `MAILLAGE_OXIGRAPH_JOURNAL_FROM` sets the size (in quads) from which an Oxigraph transaction goes
    through its journal (tests of crash safety lower it; the default suits production).
    `MAILLAGE_SPARQL_AT_START` (``oui`` by default, ``non`` to skip) takes the public SPARQL snapshot as the
    server starts: about 20 s of one core and a worker of about 480 MiB at 25,000 actors, which a server
    nobody queries by SPARQL can spare (its first query then waits for the snapshot).
    """
    data_dir = Path(os.environ.get("MAILLAGE_DATA_DIR", "maillage-data"))
    store = os.environ.get("MAILLAGE_STORE", f"oxigraph:{data_dir / 'oxigraph'}")
    return Settings(
        data_dir=data_dir,
        store=store,
        host=os.environ.get("MAILLAGE_HOST", "127.0.0.1"),
        port=_positive_int("MAILLAGE_PORT") or 8000,
        bolt_user=os.environ.get("MAILLAGE_BOLT_USER") or None,
        bolt_password=os.environ.get("MAILLAGE_BOLT_PASSWORD") or None,
        bolt_database=os.environ.get("MAILLAGE_BOLT_DATABASE") or None,
        oxigraph_journal_from=_positive_int("MAILLAGE_OXIGRAPH_JOURNAL_FROM"),
        sparql_at_start=_yes_no("MAILLAGE_SPARQL_AT_START", default=True),
    )


YES = frozenset({"oui", "o", "yes", "y", "true", "1"})
NO = frozenset({"non", "n", "no", "false", "0"})


def _yes_no(name: str, *, default: bool) -> bool:
    """The environment variable `name` as a yes or no (`YES`, `NO`, any case; `default` when unset); else
    raises `ValueError`.

    >>> os.environ["MAILLAGE_EXEMPLE"] = "Non"
    >>> _yes_no("MAILLAGE_EXEMPLE", default=True)
    False
    >>> os.environ["MAILLAGE_EXEMPLE"] = "peut-être"
    >>> _yes_no("MAILLAGE_EXEMPLE", default=True)
    Traceback (most recent call last):
    ...
    ValueError: MAILLAGE_EXEMPLE : « peut-être » n'est ni oui ni non
    >>> del os.environ["MAILLAGE_EXEMPLE"]
    """
    text = os.environ.get(name, "").strip().lower()
    if not text:
        return default
    if text in YES or text in NO:
        return text in YES
    raise ValueError(f"{name} : « {os.environ[name].strip()} » n'est ni oui ni non")


def _positive_int(name: str) -> int | None:
    """The environment variable `name` as an integer ≥ 1 (None when unset); else raises `StoreError`."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise StoreError(f"{name} : « {text} » n'est pas un entier positif")
    return int(text)


def open_store(settings: Settings) -> Store:
    """The store named by `settings.store`: `oxigraph:PATH` (or `oxigraph:` in memory), or a Bolt URI.

    >>> open_store(Settings(data_dir=Path("."), store="sqlite:x.db"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maillage.graph.stores.base.StoreError: MAILLAGE_STORE inconnu : « sqlite:x.db » ...
    """
    kind, _, where = settings.store.partition(":")
    if kind == "oxigraph":
        from maillage.graph.stores.oxigraph import OxigraphStore

        if settings.oxigraph_journal_from is None:
            return OxigraphStore(where or None)
        return OxigraphStore(where or None, journal_from=settings.oxigraph_journal_from)
    if kind in BOLT_SCHEMES and where.startswith("//"):
        from maillage.graph.stores.bolt import BoltStore

        uri, user, password = split_credentials(settings.store)
        return BoltStore(
            uri,
            user=user if user is not None else settings.bolt_user,
            password=password if user is not None else settings.bolt_password,
            database=settings.bolt_database,
        )
    raise StoreError(
        f"MAILLAGE_STORE inconnu : « {redact(settings.store)} » (attendu : oxigraph:CHEMIN, "
        "bolt://hôte:port, neo4j://hôte:port ou neo4j+s://hôte pour Aura)"
    )


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """A Bolt URI without its user and password (the driver refuses them there), and those two, decoded.

    ``bolt://user:password@host:port`` names its credentials in the URI (percent-encode ``@ : / %`` in
    them); they then take the place of `MAILLAGE_BOLT_USER` and `MAILLAGE_BOLT_PASSWORD`.

    >>> split_credentials("bolt://falkordb:p%40ss@127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', 'falkordb', 'p@ss')
    >>> split_credentials("neo4j+s://abc.databases.neo4j.io")
    ('neo4j+s://abc.databases.neo4j.io', None, None)
    """
    parts = urlsplit(uri)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return uri, None, None
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), unquote(user), unquote(password)


def redact(spec: str) -> str:
    """A store spec fit to print: the password of a Bolt URI replaced by ``***``.

    >>> redact("bolt://falkordb:secret@127.0.0.1:7687")
    'bolt://falkordb:***@127.0.0.1:7687'
    >>> redact("oxigraph:/srv/maillage/oxigraph")
    'oxigraph:/srv/maillage/oxigraph'
    """
    parts = urlsplit(spec)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return spec
    return urlunsplit(parts._replace(netloc=f"{userinfo.partition(':')[0]}:***@{host}"))


#: The URI schemes of the neo4j driver (``+s``: TLS, ``+ssc``: TLS with a self-signed certificate).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def get_sparql_limits() -> SparqlLimits:
    """The limits of ``/sparql``, from `MAILLAGE_SPARQL_TIMEOUT` (seconds, default 10),
    `MAILLAGE_SPARQL_MAX_RESULTS` (rows or triples, default 10000), `MAILLAGE_SPARQL_MAX_QUERY_CHARS`
    (default 32768), `MAILLAGE_SPARQL_MEMORY_MB` (per query, on top of the data, default 1024) and
    `MAILLAGE_SPARQL_CONCURRENCY` (queries at once, default 2).

    >>> get_sparql_limits().timeout
    10.0
    """
    defaults = SparqlLimits()
    values: dict[str, float | int] = {}
    for field_name, kind in (
        ("timeout", float),
        ("max_results", int),
        ("max_query_chars", int),
        ("memory_mb", int),
        ("concurrency", int),
    ):
        name = f"MAILLAGE_SPARQL_{field_name.upper()}"
        text = os.environ.get(name, "").strip()
        if not text:
            continue
        try:
            values[field_name] = kind(text)
        except ValueError:
            raise ValueError(f"{name} : « {text} » n'est pas un nombre") from None
    try:
        return SparqlLimits(**{**defaults.__dict__, **values})
    except ValueError as error:
        raise ValueError(f"MAILLAGE_SPARQL_* : {error}") from None
