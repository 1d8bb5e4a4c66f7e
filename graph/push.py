"""Push the public graph into a remote triple store (SPARQL 1.1 Graph Store HTTP Protocol) and verify it.

The only module that talks HTTP to other servers (through `httpx`). The protocol, as used here:

- the first chunk is sent with `PUT ?graph=IRI`, which *replaces* the named graph; the next chunks with
  `POST ?graph=IRI`, which *merges* them in. A graph with no public triple is emptied with `DELETE`.
- blank nodes are skolemised first (`https://w3id.org/maillage/genid/<id>`, stable for a given store), so a
  chunk boundary never splits a blank node in two and every chunk is ground.
- a request that meets a connection error, a timeout or HTTP 500/502/503/504 is sent again after a growing
  pause (`backoff`, doubled each time). Repeating a chunk is harmless: `PUT` is idempotent, and a graph is a
  *set* of triples, so POSTing the same ground triples twice leaves the graph as one POST would (this is
  why blank nodes must be skolemised: a re-sent blank node would be a new node).
- afterwards the store's SPARQL endpoint counts the graph's triples; a different number is an error.

Between the `PUT` and the last `POST` readers of the remote graph see part of it: the protocol has no
transaction. A failed push leaves the graph partial and says so; pushing again repairs it.
See docs/decisions/20261128-push.md.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal as TypingLiteral
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from maillage.graph.export import PREFIXES, public_graph
from maillage.graph.stores.base import Store
from maillage.ontology.iri import BASE

PUSH_FORMATS = {
    # name: (rdflib format, media type)
    "nt": ("nt", "application/n-triples"),
    "turtle": ("turtle", "text/turtle; charset=utf-8"),
}
GENID = BASE + "genid/"
RETRIED_STATUSES = frozenset({500, 502, 503, 504})
AuthScheme = TypingLiteral["digest", "basic"]
Triple = tuple[Node, Node, Node]
# An IRI safe to write between < > in a SPARQL query (RFC 3987 forbids these characters anyway).
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class PushError(Exception):
    """A push that could not be done or verified; the message is one French line saying where and why."""


@dataclass(frozen=True)
class PushAuth:
    """Credentials for the remote store (HTTP digest or basic authentication)."""

    user: str
    password: str
    scheme: AuthScheme = "digest"

    def httpx_auth(self) -> httpx.Auth:
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.password)
        return httpx.DigestAuth(self.user, self.password)


@dataclass(frozen=True)
class PushReport:
    """What a push did: the graph, the triples sent and counted, the chunks, the requests sent again."""

    graph_iri: str
    triples: int
    chunks: int
    remote_count: int
    retries: int

    def sentence(self) -> str:
        again = f", {self.retries} requête(s) renvoyée(s)" if self.retries else ""
        return (
            f"Graphe <{self.graph_iri}> remplacé : {self.triples} triplets envoyés en {self.chunks} "
            f"morceau(x){again} ; le serveur en compte {self.remote_count}."
        )


def auth_from_environment(environ: Mapping[str, str] | None = None) -> PushAuth | None:
    """Read `MAILLAGE_PUSH_USER`, `MAILLAGE_PUSH_PASSWORD` and `MAILLAGE_PUSH_AUTH` (digest, the default, or
    basic). No user means no authentication.

    >>> auth_from_environment({"MAILLAGE_PUSH_USER": "u", "MAILLAGE_PUSH_PASSWORD": "p"}).scheme
    'digest'
    >>> auth_from_environment({}) is None
    True
    """
    environ = os.environ if environ is None else environ
    user = environ.get("MAILLAGE_PUSH_USER", "")
    scheme = environ.get("MAILLAGE_PUSH_AUTH", "digest").strip().lower() or "digest"
    if scheme not in ("digest", "basic"):
        raise PushError(
            f"MAILLAGE_PUSH_AUTH : « {scheme} » n'est pas une authentification connue (digest ou basic)"
        )
    if not user:
        return None
    if "MAILLAGE_PUSH_PASSWORD" not in environ:
        raise PushError(f"MAILLAGE_PUSH_USER vaut « {user} » mais MAILLAGE_PUSH_PASSWORD n'est pas défini")
    return PushAuth(user, environ["MAILLAGE_PUSH_PASSWORD"], scheme)  # type: ignore[arg-type]


def default_sparql_endpoint(graph_store_url: str) -> str:
    """The query endpoint beside a Virtuoso Graph Store endpoint: `/sparql-graph-crud-auth` → `/sparql-auth`,
    `/sparql-graph-crud` → `/sparql`.

    >>> default_sparql_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql-auth'

    Raises:
        PushError: for any other URL (give `sparql_endpoint` explicitly).
    """
    parts = urlsplit(graph_store_url)
    path = parts.path.rstrip("/")
    for crud, query in (("/sparql-graph-crud-auth", "/sparql-auth"), ("/sparql-graph-crud", "/sparql")):
        if path.endswith(crud):
            return urlunsplit(parts._replace(path=path[: -len(crud)] + query, query="", fragment=""))
    raise PushError(
        f"{graph_store_url} : point d'accès SPARQL inconnu pour vérifier le compte ; "
        "donnez-le avec --sparql-endpoint (Virtuoso : …/sparql-graph-crud-auth → …/sparql-auth)"
    )


def skolemized(graph: Graph) -> Graph:
    """The same triples with every blank node replaced by the IRI `GENID + its id` (RDF 1.1 §3.5)."""

    def ground(term: Node) -> Node:
        return URIRef(GENID + str(term)) if isinstance(term, BNode) else term

    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace)
    for s, p, o in graph:
        result.add((ground(s), p, ground(o)))
    return result


def chunked(graph: Graph, *, chunk_triples: int) -> list[list[Triple]]:
    """The triples sorted by subject (a subject's triples stay together when they fit) and cut every
    `chunk_triples`. A graph with no triple gives no chunk."""
    if chunk_triples < 1:
        raise PushError(f"--chunk-triples : {chunk_triples} n'est pas un nombre de triplets positif")
    ordered = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    return [ordered[i : i + chunk_triples] for i in range(0, len(ordered), chunk_triples)]


def serialize_chunk(triples: list[Triple], format_name: str) -> bytes:
    """One chunk as N-Triples or Turtle (UTF-8)."""
    chunk = Graph()
    if format_name == "turtle":
        for prefix, namespace in PREFIXES.items():
            chunk.bind(prefix, namespace)
    for triple in triples:
        chunk.add(triple)
    return chunk.serialize(format=PUSH_FORMATS[format_name][0], encoding="utf-8")


def push_public(store: Store, graph_store_url: str, **options: object) -> PushReport:
    """Push the public network data (the same filter as `maillage export`) with `push_graph`."""
    return push_graph(public_graph(store), graph_store_url, **options)  # type: ignore[arg-type]


def push_graph(
    graph: Graph,
    graph_store_url: str,
    *,
    graph_iri: str,
    format_name: str = "nt",
    chunk_triples: int = 20_000,
    sparql_endpoint: str | None = None,
    auth: PushAuth | None = None,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 60.0,
) -> PushReport:
    """Replace the named graph `graph_iri` of the store at `graph_store_url` with `graph`, then count.

    Arguments:
        graph: the triples to publish (blank nodes are skolemised here).
        graph_store_url: the Graph Store endpoint, e.g. `http://hôte:8890/sparql-graph-crud-auth`.
        graph_iri: the named graph to replace.
        format_name: `nt` or `turtle`, the body of each request.
        chunk_triples: at most this many triples per request.
        sparql_endpoint: where to count (default: derived for Virtuoso by `default_sparql_endpoint`).
        auth: credentials, see `auth_from_environment`.
        retries, backoff: how many times a failed request is sent again, and the first pause in seconds.

    Returns:
        a `PushReport`.

    Raises:
        PushError: refused credentials, wrong URL, unreachable server, or a count that differs.

    Cost: one request per chunk plus the count; the graph is held in memory once more (skolemised).
    """
    if format_name not in PUSH_FORMATS:
        known = ", ".join(PUSH_FORMATS)
        raise PushError(f"format « {format_name} » inconnu pour l'envoi (formats : {known})")
    if not IRI.match(graph_iri):
        raise PushError(
            f"--graph : « {graph_iri} » n'est pas une IRI absolue (ex. https://exemple.org/graphe)"
        )
    if urlsplit(graph_store_url).scheme not in ("http", "https"):
        raise PushError(
            f"{graph_store_url} : l'adresse du point d'accès doit commencer par http:// ou https://"
        )
    endpoint = sparql_endpoint or default_sparql_endpoint(graph_store_url)
    ground = skolemized(graph)
    chunks = chunked(ground, chunk_triples=chunk_triples)
    sender = _Sender(auth=auth, retries=retries, backoff=backoff, timeout=timeout)
    with sender:
        if not chunks:
            sender.send("DELETE", graph_store_url, graph_iri, where="vidage du graphe", allow_missing=True)
        for number, triples in enumerate(chunks, 1):
            method = "PUT" if number == 1 else "POST"
            sender.send(
                method,
                graph_store_url,
                graph_iri,
                body=serialize_chunk(triples, format_name),
                media_type=PUSH_FORMATS[format_name][1],
                where=f"morceau {number}/{len(chunks)} ({method}, {len(triples)} triplets)",
            )
        remote = sender.count(endpoint, graph_iri)
    if remote != len(ground):
        raise PushError(
            f"vérification échouée : le graphe <{graph_iri}> compte {remote} triplets sur {endpoint}, "
            f"{len(ground)} attendus ({len(chunks)} morceau(x) envoyés) — le serveur a pu fusionner des "
            "littéraux qu'il normalise (nombres, dates) ou un autre client écrit dans ce graphe"
        )
    return PushReport(graph_iri, len(ground), len(chunks), remote, sender.retried)


class _Sender:
    """One HTTP client, the retry policy, and the translation of HTTP failures into French sentences."""

    def __init__(self, *, auth: PushAuth | None, retries: int, backoff: float, timeout: float) -> None:
        self.auth = auth
        self.retries = max(retries, 0)
        self.backoff = backoff
        self.retried = 0
        self.client = httpx.Client(
            auth=auth.httpx_auth() if auth else None, timeout=timeout, follow_redirects=False
        )

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def request(self, method: str, url: str, *, where: str, **kwargs: object) -> httpx.Response:
        """Send, again after a pause on connection errors and HTTP 500/502/503/504."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except httpx.TransportError as error:
                if last:
                    reason = _transport_reason(error)
                    raise PushError(
                        f"{url} injoignable ({reason}) après {attempt + 1} essai(s), {where} : "
                        "vérifiez l'adresse et que le serveur tourne"
                    ) from None
            else:
                if response.status_code not in RETRIED_STATUSES or last:
                    return response
            self.retried += 1
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt

    def send(
        self,
        method: str,
        url: str,
        graph_iri: str,
        *,
        where: str,
        body: bytes = b"",
        media_type: str = "",
        allow_missing: bool = False,
    ) -> None:
        headers = {"Content-Type": media_type} if media_type else {}
        response = self.request(
            method, url, where=where, params={"graph": graph_iri}, content=body, headers=headers
        )
        if response.is_success or (allow_missing and response.status_code == 404):
            return
        raise PushError(f"{url} (graphe <{graph_iri}>, {where}) : {self.explain(response)}")

    def count(self, endpoint: str, graph_iri: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) FROM <{graph_iri}> WHERE {{ ?s ?p ?o }}"
        response = self.request(
            "POST",
            endpoint,
            where="comptage des triplets",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        if not response.is_success:
            raise PushError(f"{endpoint} (comptage des triplets) : {self.explain(response)}")
        try:
            return int(response.json()["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise PushError(
                f"{endpoint} (comptage des triplets) : réponse illisible, ce n'est pas un point d'accès "
                f"SPARQL ({_excerpt(response.text)})"
            ) from None

    def explain(self, response: httpx.Response) -> str:
        """One French sentence for an HTTP failure."""
        status = response.status_code
        detail = _excerpt(response.text)
        if status == 401:
            if self.auth is None:
                return (
                    "authentification demandée (HTTP 401) : "
                    "définissez MAILLAGE_PUSH_USER et MAILLAGE_PUSH_PASSWORD"
                )
            asked = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
            hint = ""
            if asked in ("digest", "basic") and asked != self.auth.scheme:
                hint = f" ; le serveur demande l'authentification {asked} (MAILLAGE_PUSH_AUTH={asked})"
            elif self.auth.scheme == "basic" and not asked:
                # Virtuoso answers basic credentials with a bare 401, no challenge to read
                hint = " ; Virtuoso n'accepte que l'authentification digest (MAILLAGE_PUSH_AUTH=digest)"
            return (
                f"identifiants refusés pour « {self.auth.user} » (HTTP 401, {self.auth.scheme}) : "
                f"vérifiez MAILLAGE_PUSH_USER et MAILLAGE_PUSH_PASSWORD{hint}"
            )
        if status == 403:
            return (
                "écriture refusée (HTTP 403) : l'utilisateur n'a pas le droit de modifier ce graphe "
                f"(Virtuoso : rôle SPARQL_UPDATE) — {detail}"
            )
        if status in (404, 405, 501):
            return (
                f"ce n'est pas un point d'accès SPARQL Graph Store (HTTP {status}) : vérifiez l'URL "
                "(Virtuoso : http://hôte:8890/sparql-graph-crud-auth)"
            )
        return f"HTTP {status} — {detail}"


def _transport_reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.ConnectError):
        return "connexion refusée ou hôte inconnu"
    if isinstance(error, httpx.TimeoutException):
        return "délai dépassé"
    return type(error).__name__


def _excerpt(text: str, limit: int = 200) -> str:
    """The readable part of an error body (Virtuoso puts its message in <xmp>), on one line."""
    found = re.search(r"<xmp>(.*?)</xmp>", text, re.S)
    plain = found.group(1) if found else re.sub(r"<[^>]+>", " ", text)
    plain = " ".join(plain.split())
    return (plain[: limit - 1] + "…" if len(plain) > limit else plain) or "réponse vide"
