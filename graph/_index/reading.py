"""Reading the store: one raw pattern read per predicate (`Store.rows`: plain strings, no rdflib term),
the conversion of literals to plain values, and the one place where IRIs become `URIRef`s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
from rdflib.term import URIRef

from maillage.graph.stores.base import Store

#: An object as `Store.rows` gives it: (value, datatype, language); datatype ``""`` for a node.
Raw = tuple[str, str, str]

_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


class Triples:
    """Every (subject, object) of the predicates the index needs, each predicate read once.

    Subjects are strings (an IRI, or ``_:label`` for a blank node) and objects `Raw` tuples: dicts of
    plain strings hash and compare several times faster than dicts of rdflib terms, and no term is
    parsed. `iri` turns a string into a `URIRef`, one per distinct IRI, for the records only.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, dict[str, list[Raw]]] = {}
        self._one: dict[str, dict[str, Raw]] = {}
        self._iris: dict[str, dict[str, tuple[str, ...]]] = {}
        self._terms: dict[str, URIRef] = {}
        #: every predicate read so far (``rdf:type`` included): what a change must touch to matter
        self.read: set[str] = set()

    def by_subject(self, predicate: str) -> dict[str, list[Raw]]:
        """subject → distinct objects (in store order) of one predicate, across all named graphs."""
        predicate = str(predicate)  # a URIRef key would not find a str one
        cached = self._cache.get(predicate)
        if cached is None:
            self.read.add(predicate)
            cached = {}
            for subject, value, datatype, language in self._store.rows(URIRef(predicate)):
                objects = cached.get(subject)
                raw = (value, datatype, language)
                if objects is None:
                    cached[subject] = [raw]
                elif raw not in objects:  # the same triple in two graphs; lists are short
                    objects.append(raw)
            self._cache[predicate] = cached
        return cached

    def typed(self, classes: Iterable[str]) -> dict[str, set[str]]:
        """subject → its classes among `classes` (``rdf:type``), one pattern read per class.

        Only the classes asked for are read: most typed nodes of a network (memberships,
        participations, needs, offers) are not asked about, and skipping them saves the biggest read.
        """
        found: dict[str, set[str]] = {}
        self.read.add(str(_RDF_TYPE))
        for klass in classes:
            name = str(klass)
            for subject in self._store.instances(URIRef(klass)):
                found.setdefault(subject, set()).add(name)
        return found

    def one(self, predicate: str) -> dict[str, Raw]:
        """subject → one object (the smallest, so the choice is stable when the data has several)."""
        predicate = str(predicate)
        if predicate not in self._one:
            self._one[predicate] = {
                s: objects[0] if len(objects) == 1 else min(objects, key=_sort_key)
                for s, objects in self.by_subject(predicate).items()
            }
        return self._one[predicate]

    def iris(self, predicate: str) -> dict[str, tuple[str, ...]]:
        """subject → sorted IRI objects."""
        predicate = str(predicate)
        if predicate not in self._iris:
            self._iris[predicate] = {
                s: tuple(sorted(o[0] for o in objects if is_iri(o)))
                for s, objects in self.by_subject(predicate).items()
            }
        return self._iris[predicate]

    def iri(self, value: str) -> URIRef:
        """The `URIRef` of an IRI string, made once per distinct IRI."""
        term = self._terms.get(value)
        if term is None:
            term = self._terms[value] = URIRef(value)
        return term

    def iri_tuple(self, values: Iterable[str]) -> tuple[URIRef, ...]:
        """`iri` of each string, in order."""
        return tuple(self.iri(value) for value in values)


def _sort_key(raw: Raw) -> tuple[int, str]:
    # blank nodes, then literals, then IRIs, as rdflib's class names sort (BNode < Literal < URIRef)
    if raw[1]:
        return (1, raw[0])
    return (0, raw[0]) if raw[0].startswith("_:") else (2, raw[0])


def is_iri(raw: Raw | None) -> bool:
    """True for an IRI object (not a literal, not a blank node)."""
    return raw is not None and not raw[1] and not raw[0].startswith("_:")


def is_literal(raw: Raw | None) -> bool:
    """True for a literal object."""
    return raw is not None and bool(raw[1])


def literals_by_language(objects: Iterable[Raw]) -> dict[str, str]:
    """lang ("" for none) → text, keeping the smallest text when a language has several."""
    labels: dict[str, str] = {}
    for text, datatype, language in objects:
        if datatype and (language not in labels or text < labels[language]):
            labels[language] = text
    return labels


def pick_label(labels: dict[str, str], *languages: str) -> str | None:
    """The text in the first of `languages` present, else the one without language, else any (stable)."""
    for language in (*languages, ""):
        if language in labels:
            return labels[language]
    return labels[min(labels)] if labels else None


def as_float(raw: Raw | None) -> float | None:
    """A finite float from a literal, else None."""
    if raw is None or not raw[1]:
        return None
    try:
        value = float(raw[0])
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def as_date(raw: Raw | None) -> dt.date | None:
    """A date from a date, datetime or ISO literal (its lexical form), else None."""
    if raw is None or not raw[1]:
        return None
    text = raw[0].strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if raw[1] == _XSD_DATETIME:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            return None
    return None


def is_true(raw: Raw | None) -> bool:
    """True for the literals ``true`` and ``1``."""
    return raw is not None and bool(raw[1]) and raw[0].strip().lower() in {"true", "1"}


def as_iri(raw: Raw | None) -> str | None:
    """The IRI of an IRI object, else None."""
    return raw[0] if raw is not None and is_iri(raw) else None
