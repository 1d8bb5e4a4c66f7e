"""The result formats of the endpoint and the content negotiation that picks one.

SELECT and ASK answer in the SPARQL results formats (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE in
RDF (Turtle, N-Triples, JSON-LD, RDF/XML). The query form is known only once the query is parsed, so
the choice is made by the worker, from the caller's ``Accept`` header or ``format`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

SOLUTION_FORMS = frozenset({"select", "ask"})
GRAPH_FORMS = frozenset({"construct", "describe"})


@dataclass(frozen=True)
class ResultFormat:
    """One result format: its short name (the ``format`` parameter), media type and other media types
    that ask for it."""

    name: str
    label: str
    media_type: str
    forms: frozenset[str]
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat(
            "json", "JSON (SPARQL)", "application/sparql-results+json", SOLUTION_FORMS, ("application/json",)
        ),
        ResultFormat(
            "xml",
            "XML (SPARQL)",
            "application/sparql-results+xml",
            SOLUTION_FORMS,
            ("application/xml", "text/xml"),
        ),
        ResultFormat("csv", "CSV", "text/csv", SOLUTION_FORMS),
        ResultFormat("tsv", "TSV", "text/tab-separated-values", SOLUTION_FORMS),
        ResultFormat("turtle", "Turtle", "text/turtle", GRAPH_FORMS, ("application/x-turtle",)),
        ResultFormat("nt", "N-Triples", "application/n-triples", GRAPH_FORMS, ("text/plain",)),
        ResultFormat("jsonld", "JSON-LD", "application/ld+json", GRAPH_FORMS, ("application/json",)),
        ResultFormat(
            "rdfxml", "RDF/XML", "application/rdf+xml", GRAPH_FORMS, ("application/xml", "text/xml")
        ),
    )
}
"""Every result format, by the name of the ``format`` parameter."""

DEFAULT_FORMAT = {"select": "json", "ask": "json", "construct": "turtle", "describe": "turtle"}


def accepted_media(accept: str) -> list[str]:
    """The media ranges of an ``Accept`` header, most wanted first (quality 0 dropped; ties keep their
    order).

    >>> accepted_media("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1, text/xml;q=0")
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media.strip() and quality > 0:
            ranked.append((-quality, position, media.strip().lower()))
    return [media for _q, _p, media in sorted(ranked)]


def negotiate(form: str, *, accept: str = "", format_name: str | None = None) -> ResultFormat | None:
    """The format to answer a query of `form` in, or None when nothing the caller accepts fits.

    `format_name` (the ``format`` parameter) wins over `accept`; an empty ``Accept`` gets the default
    (JSON for SELECT / ASK, Turtle for CONSTRUCT / DESCRIBE).

    >>> negotiate("select", accept="text/csv, application/sparql-results+json;q=0.9").name
    'csv'
    >>> negotiate("construct", accept="application/json").name, negotiate("select", accept="text/*").name
    ('jsonld', 'csv')
    >>> negotiate("ask", format_name="turtle") is None, negotiate("construct", accept="image/png") is None
    (True, True)
    """
    fitting = [f for f in RESULT_FORMATS.values() if form in f.forms]
    if format_name is not None:
        chosen = RESULT_FORMATS.get(format_name)
        return chosen if chosen is not None and form in chosen.forms else None
    wanted = accepted_media(accept)
    if not wanted:
        return RESULT_FORMATS[DEFAULT_FORMAT[form]]
    for media in wanted:
        if media == "*/*":
            return RESULT_FORMATS[DEFAULT_FORMAT[form]]
        for candidate in fitting:
            kind = media.removesuffix("/*")
            if media in candidate.media_types or (
                media.endswith("/*") and candidate.media_type.startswith(kind + "/")
            ):
                return candidate
    return None


def formats_for(form: str) -> str:
    """The media types a query of `form` may be answered in, for error messages.

    >>> formats_for("ask")
    'application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values'
    """
    return ", ".join(f.media_type for f in RESULT_FORMATS.values() if form in f.forms)
