"""The endpoint's limits, its answers and its refusals."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SparqlLimits:
    """How far one query may go (`maillage.settings` reads them from ``MAILLAGE_SPARQL_*``).

    The defaults follow public query services: Wikidata stops a query at 60 s; an endpoint on a small
    server stops at 10 s.
    """

    #: wall-clock seconds for parsing, evaluating and serialising one query
    timeout: float = 10.0
    #: rows of a SELECT, or triples of a CONSTRUCT / DESCRIBE, beyond which the answer is cut
    max_results: int = 10_000
    #: characters of query text (the check parses about 16,000 characters a second)
    max_query_chars: int = 32_768
    #: memory a query may take on top of the snapshot it reads, in MiB
    memory_mb: int = 1024
    #: queries evaluated at once (each in its own process); more wait for a slot up to `timeout`
    concurrency: int = 2

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_results < 1 or self.max_query_chars < 1:
            raise ValueError(f"Limites SPARQL invalides : {self}")
        if self.memory_mb < 64 or self.concurrency < 1:
            raise ValueError(f"Limites SPARQL invalides : {self}")


class SparqlError(Exception):
    """A query refused or stopped: `status` is the HTTP status the API answers with, `message` says why
    in French."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class SparqlAnswer:
    """The serialised answer to one query.

    `form` is ``select``, ``ask``, ``construct`` or ``describe``; `count` the rows or triples in `body`;
    `truncated` whether more were found than `SparqlLimits.max_results`.
    """

    body: bytes
    media_type: str
    form: str
    count: int
    truncated: bool
    headers: dict[str, str] = field(default_factory=dict)
