"""The concept records of the taxonomies, the matrix columns they give, and the actor × concept matrices."""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator

import numpy as np
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph._index.reading import Triples
from maillage.graph._index.records import ConceptRecord, SparseMatrix, iri_key
from maillage.graph._index.vocabulary import SKOS


def build_concepts(
    triples: Triples,
    types: dict[str, set[str]],
    labels_of: typing.Callable[[str], dict[str, str]],
) -> dict[URIRef, ConceptRecord]:
    """A record per concept: typed `skos:Concept`, in a scheme, or on either side of `skos:broader`."""
    broader = triples.iris(SKOS.broader)
    in_scheme = triples.iris(SKOS.inScheme)
    notations = triples.one(SKOS.notation)
    concept_class = str(SKOS.Concept)
    members: set[str] = {s for s, classes in types.items() if concept_class in classes}
    members |= set(in_scheme) | set(broader)
    members |= {parent for parents in broader.values() for parent in parents}
    concepts: dict[URIRef, ConceptRecord] = {}
    for value in sorted(m for m in members if not m.startswith("_:")):
        notation = notations.get(value)
        all_labels = labels_of(value)
        labels = {lang: text for lang, text in all_labels.items() if lang}
        plain = all_labels.get("")
        if plain is not None:
            labels.setdefault("fr", plain)
        schemes = in_scheme.get(value, ())
        iri = triples.iri(value)
        concepts[iri] = ConceptRecord(
            iri=iri,
            key=notation[0] if notation is not None else iri_key(value),
            labels=labels,
            scheme=triples.iri(schemes[0]) if schemes else None,
            broader=triples.iri_tuple(broader.get(value, ())),
            notation=notation[0] if notation is not None else None,
        )
    return concepts


def _ancestors(concepts: dict[URIRef, ConceptRecord], start: Iterable[URIRef]) -> Iterator[URIRef]:
    seen: set[URIRef] = set()
    stack = list(start)
    while stack:
        concept = stack.pop()
        if concept in seen:
            continue
        seen.add(concept)
        yield concept
        record = concepts.get(concept)
        if record is not None:
            stack.extend(record.broader)


def matrix_columns(
    concepts: dict[URIRef, ConceptRecord], scheme: URIRef, used: Iterable[tuple[URIRef, ...]]
) -> tuple[URIRef, ...]:
    """The scheme's concepts, plus any concept used by an actor, plus all their ancestors; sorted."""
    columns = {iri for iri, record in concepts.items() if record.scheme == scheme}
    for concepts_used in used:
        columns.update(concepts_used)
    return tuple(sorted(set(_ancestors(concepts, columns))))


def binary_matrix(rows: Iterable[tuple[URIRef, ...]], column: dict[URIRef, int], n_rows: int) -> SparseMatrix:
    """A CSR matrix with 1.0 where a row declares a concept of `column`."""
    row_index: list[int] = []
    col_index: list[int] = []
    for row, concepts_of_row in enumerate(rows):
        for concept in concepts_of_row:
            row_index.append(row)
            col_index.append(column[concept])
    data = np.ones(len(row_index), dtype=np.float64)
    return sparse.csr_array((data, (row_index, col_index)), shape=(n_rows, len(column)))
