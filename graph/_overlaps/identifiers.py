"""Legal identifiers of the actors (SIRET, SIREN, RNA, NIF): read from a store, compared in canonical form."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import cast

from rdflib.term import Literal as RDFLiteral
from rdflib.term import URIRef

from maillage.graph._overlaps.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._overlaps.parameters import IdentifierKind
from maillage.graph.index import NetworkIndex
from maillage.graph.stores.base import Store
from maillage.ontology.vocab import MAI

#: Identifier predicates read by `read_identifiers`, one pattern query each.
_IDENTIFIER_PREDICATES: tuple[tuple[IdentifierKind, URIRef], ...] = (
    ("siret", URIRef(MAI.siret)),
    ("siren", URIRef(MAI.siren)),
    ("rna", URIRef(MAI.rna)),
    ("nif", URIRef(MAI.nif)),
)


def read_identifiers(store: Store, index: NetworkIndex) -> dict[str, list[tuple[IdentifierKind, str]]]:
    """The legal identifiers of the index's actors: key → [(kind, value as written)], sorted.

    One pattern query per predicate (`mai:siret`, `mai:siren`, `mai:rna`, `mai:nif`), across the
    store's graphs; subjects that are not actors of the index are ignored.

    Examples
    --------
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> store = OxigraphStore(None)
    >>> actor = URIRef("https://w3id.org/maillage/id/actor/zurgin")
    >>> store.add_all([(actor, URIRef(MAI.siret), RDFLiteral("77271581900029"), URIRef("urn:g"))])
    >>> read_identifiers(store, _example_index())
    {'zurgin': [('siret', '77271581900029')]}
    """
    key_of = {actor.iri: actor.key for actor in index.actors}
    found: dict[str, set[tuple[IdentifierKind, str]]] = defaultdict(set)
    for kind, predicate in _IDENTIFIER_PREDICATES:
        for subject, _p, value, _g in store.quads(None, predicate, None, None):
            key = key_of.get(cast("URIRef", subject))
            if key is not None and isinstance(value, RDFLiteral) and str(value).strip():
                found[key].add((kind, str(value).strip()))
    return {key: sorted(values) for key, values in sorted(found.items())}


def identifier_key(kind: IdentifierKind, value: str) -> tuple[str, str] | None:
    """(kind compared, canonical value): SIRET and SIREN compare by SIREN; None when malformed."""
    text = re.sub(r"[\s.\-]", "", value).upper()
    if kind == "siret":
        return ("siren", text[:9]) if re.fullmatch(r"\d{14}", text) else None
    if kind == "siren":
        return ("siren", text) if re.fullmatch(r"\d{9}", text) else None
    return (kind, text) if text else None
