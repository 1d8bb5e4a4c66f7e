"""What a query may be: a SELECT, ASK, CONSTRUCT or DESCRIBE with no SERVICE clause.

The text is parsed (rdflib's SPARQL grammar) before Oxigraph sees it, and the parse tree is searched:
updates (INSERT, DELETE, LOAD, CLEAR, ...) and SERVICE clauses, which would make Oxigraph fetch a remote
endpoint, are refused wherever they stand, whatever their spelling (``SERVI\\u0043E`` included: the
grammar expands escapes first). A query rdflib cannot parse is refused too, even if Oxigraph could run
it: nothing the check has not understood is evaluated. The worker process cannot open a socket anyway
(`maillage.graph._sparql.child`); this check is what gives the caller a clear answer.

The parse runs in the worker, under the time limit: rdflib's grammar reads about 16,000 characters a
second, so a long query must not hold the API process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

FORMS = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}
UPDATE_WORDS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE / INSERT",
}


class RefusedQueryError(Exception):
    """A query the endpoint will not evaluate; the message says why, in French."""


def nodes(tree: Any) -> Iterator[CompValue]:
    """Every grammar node of a parse tree, depth first (iterative: a deeply nested query cannot exhaust
    the recursion limit here)."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def query_form(text: str) -> str:
    """The form of a query the endpoint may evaluate (``select``, ``ask``, ``construct``, ``describe``);
    else `RefusedQueryError`.

    >>> query_form("PREFIX mai: <https://w3id.org/maillage/ontology#> ASK { ?a a mai:Actor }")
    'ask'
    >>> query_form("LOAD <http://127.0.0.1:9/x.ttl>")
    Traceback (most recent call last):
    ...
    maillage.graph._sparql.checks.RefusedQueryError: Mise à jour refusée (LOAD) : ce point d'accès \
SPARQL est en lecture seule ; il n'accepte que SELECT, ASK, CONSTRUCT et DESCRIBE
    """
    try:
        tree = parseQuery(text)
    except ParseBaseException as error:
        raise RefusedQueryError(_not_a_query(text, error)) from None
    except RecursionError:
        raise RefusedQueryError("Requête SPARQL trop imbriquée pour être analysée") from None
    if any(node.name == "ServiceGraphPattern" for node in nodes(tree)):
        raise RefusedQueryError(
            "Clause SERVICE refusée : ce point d'accès n'interroge aucun autre service SPARQL "
            "(requête fédérée) ; interrogez chaque service séparément"
        )
    return FORMS[tree[1].name]


def _not_a_query(text: str, error: ParseBaseException) -> str:
    """The message for a text that is not a query: an update named as such, else the syntax error."""
    try:
        update = parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return f"Requête SPARQL invalide : {error}"
    words = sorted({UPDATE_WORDS.get(op.name, op.name) for op in update.get("request", [])})
    if not words:
        return f"Requête SPARQL invalide : {error}"
    return (
        f"Mise à jour refusée ({', '.join(words)}) : ce point d'accès SPARQL est en lecture seule ; "
        "il n'accepte que SELECT, ASK, CONSTRUCT et DESCRIBE"
    )
