"""N-Quads as plain strings, for stores that write and read their own dumps (the Bolt store).

A raw quad is ``(subject, predicate, (value, datatype, language), graph)`` in the `Row` conventions of
`maillage.graph.stores.base`: a node is its IRI or ``_:label``; a literal keeps its exact lexical form,
its datatype IRI and its (lower-case) language tag. No rdflib term is made, so nothing is normalised:
``"01"^^xsd:integer`` stays ``01``. Lines are written exactly as Oxigraph writes them, so dumps of equal
content are byte-identical whichever store made them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from maillage.graph.stores.base import RDF_LANGSTRING, XSD_STRING, StoreError

#: (value, datatype, language); datatype ``""`` for a node (IRI or ``_:label``).
RawObject = tuple[str, str, str]
RawQuad = tuple[str, str, RawObject, str]

# N-Triples IRIREF: no space, control character or <>"{}|^`\ ; a scheme first.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BNODE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_TO_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_UNESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_NODE = r"<([^>]*)>|_:([^\s]+)"
_LINE = re.compile(
    rf"\s*(?:{_NODE})\s*<([^>]*)>\s*"
    r'(?:<([^>]*)>|_:([^\s]+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9\-]+)|\^\^<([^>]*)>)?)'
    r"\s*(?:<([^>]*)>)?\s*\.\s*"
)
_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def check_iri(iri: str, *, role: str) -> str:
    """Return `iri` when it is an absolute IRI that N-Quads can carry; else raise `StoreError`.

    >>> check_iri("https://w3id.org/maillage/id/actor/a", role="sujet")
    'https://w3id.org/maillage/id/actor/a'
    >>> check_iri("https://exemple.org/not an iri", role="sujet")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maillage.graph.stores.base.StoreError: IRI invalide (sujet) : « https://exemple.org/not an iri » ...
    """
    if _IRI.fullmatch(iri) is None:
        raise StoreError(
            f"IRI invalide ({role}) : « {iri} » — une IRI absolue sans espace ni aucun des caractères "
            "<>\"{}|^`\\ est attendue ; rien n'a été écrit."
        )
    return iri


def check_node(node: str, *, role: str) -> str:
    """`check_iri` for an IRI, or a well-formed ``_:label`` blank node."""
    if node.startswith("_:"):
        if _BNODE.fullmatch(node[2:]) is None:
            raise StoreError(f"Nœud anonyme invalide ({role}) : « {node} » ; rien n'a été écrit.")
        return node
    return check_iri(node, role=role)


def check_object(raw: RawObject) -> RawObject:
    """Check an object; a language tag comes back lower-cased (as Oxigraph keeps it)."""
    value, datatype, language = raw
    if not datatype:
        check_node(value, role="objet")
        return raw
    check_iri(datatype, role="type de donnée")
    if language:
        if _LANGUAGE.fullmatch(language) is None:
            raise StoreError(f"Étiquette de langue invalide : « {language} » ; rien n'a été écrit.")
        return value, RDF_LANGSTRING, language.lower()
    return raw


def _node(node: str) -> str:
    return node if node.startswith("_:") else f"<{node}>"


def _literal(value: str, datatype: str, language: str) -> str:
    text = _TO_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)
    if language:
        return f'"{text}"@{language}'
    if datatype == XSD_STRING:
        return f'"{text}"'
    return f'"{text}"^^<{datatype}>'


def format_quad(quad: RawQuad) -> str:
    """One N-Quads line (with its newline), as Oxigraph writes it.

    >>> format_quad(("urn:a", "urn:p", ('Ligne "1"\\n', XSD_STRING, ""), "urn:g"))
    '<urn:a> <urn:p> "Ligne \\\\"1\\\\"\\\\n" <urn:g> .\\n'
    """
    subject, predicate, (value, datatype, language), graph = quad
    obj = _literal(value, datatype, language) if datatype else _node(value)
    return f"{_node(subject)} <{predicate}> {obj} {_node(graph)} .\n"


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code is not None:
            return chr(int(code, 16))
        if match.group(3) not in _UNESCAPES:
            raise ValueError(f"échappement inconnu \\{match.group(3)}")
        return _UNESCAPES[match.group(3)]

    return _UNESCAPE.sub(one, text)


def parse_nquads(lines: Iterable[str]) -> Iterator[RawQuad]:
    """Parse N-Quads lines into checked raw quads; blank node labels are kept as they are.

    Raises `StoreError` naming the line and its text for a malformed line or a quad outside any named
    graph (Maillage writes named graphs only).

    >>> list(parse_nquads(['_:b0 <urn:p> "x"@EU <urn:g> .']))
    [('_:b0', 'urn:p', ('x', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'eu'), 'urn:g')]
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        try:
            if match is None:
                raise ValueError("ligne mal formée")
            s_iri, s_bnode, predicate, o_iri, o_bnode, text, language, datatype, graph = match.groups()
            if graph is None:
                raise ValueError("quad hors de tout graphe nommé (IRI)")
            subject = s_iri if s_iri is not None else f"_:{s_bnode}"
            if text is not None:
                kind = RDF_LANGSTRING if language else (datatype or XSD_STRING)
                obj: RawObject = (_unescape(text), kind, language or "")
            else:
                obj = (o_iri if o_iri is not None else f"_:{o_bnode}", "", "")
            yield (
                check_node(subject, role="sujet"),
                check_iri(predicate, role="prédicat"),
                check_object(obj),
                check_iri(graph, role="graphe"),
            )
        except (ValueError, StoreError) as error:
            raise StoreError(
                f"Sauvegarde N-Quads illisible, ligne {number} : {error} — « {line.strip()[:200]} » ; "
                "la base n'a pas été modifiée."
            ) from error
