"""Reading the store: one pattern query per predicate, and the conversion of literals to plain values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from rdflib.term import Literal, Node, URIRef

from maillage.graph.stores.base import Store


class Triples:
    """Every (subject, object) of the predicates the index needs, each predicate read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[URIRef, dict[Node, list[Node]]] = {}
        self._one: dict[URIRef, dict[Node, Node]] = {}
        self._iris: dict[URIRef, dict[Node, tuple[URIRef, ...]]] = {}

    def by_subject(self, predicate: URIRef) -> dict[Node, list[Node]]:
        """subject → distinct objects (in store order) of one predicate, across all named graphs."""
        cached = self._cache.get(predicate)
        if cached is None:
            seen: dict[Node, dict[Node, None]] = defaultdict(dict)
            for s, _p, o, _g in self._store.quads(None, predicate, None, None):
                seen[s][o] = None
            cached = {s: list(objects) for s, objects in seen.items()}
            self._cache[predicate] = cached
        return cached

    def one(self, predicate: URIRef) -> dict[Node, Node]:
        """subject → one object (the smallest, so the choice is stable when the data has several)."""
        if predicate not in self._one:
            self._one[predicate] = {
                s: min(objects, key=_sort_key) for s, objects in self.by_subject(predicate).items()
            }
        return self._one[predicate]

    def iris(self, predicate: URIRef) -> dict[Node, tuple[URIRef, ...]]:
        """subject → sorted IRI objects."""
        if predicate not in self._iris:
            self._iris[predicate] = {
                s: tuple(sorted(o for o in objects if isinstance(o, URIRef)))
                for s, objects in self.by_subject(predicate).items()
            }
        return self._iris[predicate]


def _sort_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def literals_by_language(objects: Iterable[Node]) -> dict[str, str]:
    """lang ("" for none) → text, keeping the smallest text when a language has several."""
    labels: dict[str, str] = {}
    for o in objects:
        if isinstance(o, Literal):
            language = o.language or ""
            text = str(o)
            if language not in labels or text < labels[language]:
                labels[language] = text
    return labels


def pick_label(labels: dict[str, str], *languages: str) -> str | None:
    """The text in the first of `languages` present, else the one without language, else any (stable)."""
    for language in (*languages, ""):
        if language in labels:
            return labels[language]
    return labels[min(labels)] if labels else None


def as_float(term: Node | None) -> float | None:
    """A finite float from a literal, else None."""
    if not isinstance(term, Literal):
        return None
    try:
        value = float(str(term))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def as_date(term: Node | None) -> dt.date | None:
    """A date from a date, datetime or ISO literal, else None."""
    if not isinstance(term, Literal):
        return None
    value = term.toPython()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(term))
    except ValueError:
        return None


def is_true(term: Node | None) -> bool:
    """True for the literals ``true`` and ``1``."""
    return isinstance(term, Literal) and str(term).strip().lower() in {"true", "1"}


def as_iri(term: Node | None) -> URIRef | None:
    """The term when it is an IRI, else None."""
    return term if isinstance(term, URIRef) else None
