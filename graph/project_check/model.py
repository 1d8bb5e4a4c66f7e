"""What the project check precomputes once per index: field vectors and their idf, what each actor's
offers match, the concepts each project's text cites, and the needs nobody offers.

Kept in ``index.derived["project_check"]``; documents are every actor (index order) then every project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from rdflib import URIRef
from scipy import sparse

from maillage.graph.index import NetworkIndex, SparseMatrix
from maillage.graph.textsim import TextModel, index_text_model, tokenize

__all__ = ["BROADER_FIELD_WEIGHT", "NEIGHBOUR_WEIGHT", "MatchKind", "Model", "field_vector", "model"]

#: weight of a declared field's direct broader concept in a field vector (as for the synergies)
BROADER_FIELD_WEIGHT = 0.5
#: match of a service with a concept one `skos:broader` step away
NEIGHBOUR_WEIGHT = 0.5
#: labels of concepts read in project texts
_TEXT_LANGUAGES = ("fr", "es", "eu")

MatchKind = Literal["actor", "project"]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Model:
    """What the check precomputes once per index (documents: every actor, then every project)."""

    n_actors: int
    keys: list[tuple[MatchKind, str]]
    text: TextModel
    field_idf: FloatArray
    field_parents: list[tuple[int, ...]]
    field_vectors: SparseMatrix  # documents × fields, L2-normalised
    own_fields: list[frozenset[int]]
    resource_neighbours: list[tuple[int, ...]]  # one step up or down, never a sibling
    resource_top: frozenset[int]
    match: SparseMatrix  # actors × resources: best weight of each actor's offers (1, 0.5)
    service_idf: FloatArray
    project_tokens: list[frozenset[str]]
    resource_tokens: list[tuple[frozenset[str], ...]]
    #: needs nobody offers (no offer at 0 or 1 step): resource column → rows of the actors who need it
    unmet_needs: dict[int, tuple[int, ...]]
    lat: FloatArray
    lon: FloatArray


def model(index: NetworkIndex) -> Model:
    """The check's precomputed model of an index, built once (tens of ms for the sample network).

    >>> from maillage.graph.project_check.example import example_index
    >>> index = example_index()
    >>> m = model(index)
    >>> {index.resource_columns[c].rsplit("/", 1)[1]: [index.actors[r].key for r in rows]
    ...  for c, rows in sorted(m.unmet_needs.items())}
    {'cuisine-professionnelle': ['cantine'], 'minibus': ['cantine', 'kultur']}
    """
    return index.derive("project_check", Model, lambda: _build_model(index))


def _parents(index: NetworkIndex, columns: dict[URIRef, int]) -> list[tuple[int, ...]]:
    result: list[tuple[int, ...]] = [() for _ in columns]
    for concept, i in columns.items():
        record = index.concepts.get(concept)
        broader = record.broader if record is not None else ()
        result[i] = tuple(sorted({columns[b] for b in broader if b in columns and columns[b] != i}))
    return result


def field_vector(declared: set[int], parents: list[tuple[int, ...]], size: int) -> FloatArray:
    """1 on declared fields, 0.5 on their direct broader concepts (the larger value wins), no idf yet.

    >>> field_vector({0}, [(1,), ()], 2).tolist()  # field 0 is below field 1
    [1.0, 0.5]
    """
    vector = np.zeros(size, dtype=np.float64)
    for column in declared:
        for parent in parents[column]:
            vector[parent] = max(vector[parent], BROADER_FIELD_WEIGHT)
    for column in declared:
        vector[column] = 1.0
    return vector


def _normalise_rows(matrix: sparse.csr_array) -> sparse.csr_array:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64)).ravel()
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    result: sparse.csr_array = (sparse.diags_array(inverse) @ matrix).tocsr()
    return result


def _build_model(index: NetworkIndex) -> Model:
    n = len(index.actors)
    keys: list[tuple[MatchKind, str]] = [("actor", a.key) for a in index.actors]
    keys += [("project", p.key) for p in index.projects]
    size = len(index.field_columns)
    parents = _parents(index, index.field_column)
    own: list[frozenset[int]] = [
        frozenset(index.field_column[f] for f in a.fields if f in index.field_column) for a in index.actors
    ]
    own += [
        frozenset(index.field_column[f] for f in p.fields if f in index.field_column) for p in index.projects
    ]
    raw = sparse.csr_array(
        np.vstack([field_vector(set(o), parents, size) for o in own]) if own else np.zeros((0, size))
    )
    document_frequency = np.bincount(raw.tocoo().coords[1], minlength=size).astype(np.float64)
    field_idf: FloatArray = np.log((1.0 + len(keys)) / (1.0 + document_frequency)) + 1.0
    field_vectors = _normalise_rows((raw @ sparse.diags_array(field_idf)).tocsr())

    resource_parents = _parents(index, index.resource_column)
    neighbours: list[set[int]] = [set(p) for p in resource_parents]
    for child, ups in enumerate(resource_parents):
        for parent in ups:
            neighbours[parent].add(child)
    steps = sparse.csr_array(
        (
            np.ones(sum(len(s) for s in neighbours)),
            ([i for i, s in enumerate(neighbours) for _ in s], [j for s in neighbours for j in sorted(s)]),
        ),
        shape=(len(neighbours), len(neighbours)),
    )
    offers = index.offers.tocsr()
    near = (offers @ steps).tocsr()
    near.data[:] = NEIGHBOUR_WEIGHT
    match = offers.maximum(near).tocsr()
    match.eliminate_zeros()
    match_df = np.bincount(match.tocoo().coords[1], minlength=len(neighbours)).astype(np.float64)
    service_idf: FloatArray = np.log((1.0 + n) / (1.0 + match_df)) + 1.0

    needs = index.needs.tocsc()
    unmet: dict[int, tuple[int, ...]] = {}
    for column in range(needs.shape[1]):
        rows = needs.indices[needs.indptr[column] : needs.indptr[column + 1]]
        if len(rows) and match_df[column] == 0:
            unmet[column] = tuple(sorted(int(r) for r in rows))

    resource_tokens: list[tuple[frozenset[str], ...]] = []
    for concept in index.resource_columns:
        record = index.concepts.get(concept)
        labels = [
            record.labels[lang] for lang in _TEXT_LANGUAGES if record is not None and lang in record.labels
        ]
        resource_tokens.append(tuple({frozenset(tokenize(label)) for label in labels} - {frozenset()}))
    return Model(
        n_actors=n,
        keys=keys,
        text=index_text_model(index),
        field_idf=field_idf,
        field_parents=parents,
        field_vectors=field_vectors,
        own_fields=own,
        resource_neighbours=[tuple(sorted(s)) for s in neighbours],
        resource_top=frozenset(i for i, p in enumerate(resource_parents) if not p),
        match=match,
        service_idf=service_idf,
        project_tokens=[frozenset(tokenize(f"{p.label}\n{p.description}")) for p in index.projects],
        resource_tokens=resource_tokens,
        unmet_needs=unmet,
        lat=np.array([np.nan if a.lat is None else a.lat for a in index.actors], dtype=np.float64),
        lon=np.array([np.nan if a.lon is None else a.lon for a in index.actors], dtype=np.float64),
    )
