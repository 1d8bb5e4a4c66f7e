"""The sparse model the overlaps answer from, derived once per index, cached in ``index.derived["overlaps"]``.

One `Component` per family of concepts (offers, fields), prepared for the Dice coefficient: each actor's
own concepts weighted by idf, and the best match weight each reaches one `skos:broader` step away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph._overlaps.parameters import FIELDS, OFFERS, STEP_WEIGHTS, BoolArray, FloatArray
from maillage.graph.geo import PointSet
from maillage.graph.index import NetworkIndex, SparseMatrix


@dataclass
class Component:
    """One family of concepts (offers or fields) prepared for the Dice coefficient."""

    kind: str
    columns: tuple[URIRef, ...]
    own: SparseMatrix  # actors × concepts, 1 where the actor declares the concept
    neighbours: list[frozenset[int]]  # column -> the columns one skos:broader step away
    idf: FloatArray
    totals: FloatArray  # Σ idf of each actor's own concepts (half the Dice denominator)
    left: SparseMatrix  # [U | M]: U = own · diag(idf), M = best match weight reached
    right: SparseMatrix  # [M | U], so that left · rightᵀ = U·Mᵀ + M·Uᵀ (the Dice numerator)
    right_t: SparseMatrix  # rightᵀ, ready for row products


@dataclass
class Model:
    """What every overlap question reads, in index row order: keys, places, consent and both components."""

    n: int
    keys: list[str]
    points: PointSet
    public: BoolArray
    countries: list[str | None]
    communes: list[URIRef | None]
    offers: Component
    fields: Component


def model_of(index: NetworkIndex) -> Model:
    """The model of `index`, built on first use (once, under a lock) and kept in ``index.derived``."""
    return index.derive("overlaps", Model, lambda: _build_model(index))


def _build_model(index: NetworkIndex) -> Model:
    return Model(
        n=len(index.actors),
        keys=[a.key for a in index.actors],
        points=PointSet.of_places(index.actors),
        public=np.array([a.is_public for a in index.actors], dtype=np.bool_),
        countries=[a.country for a in index.actors],
        communes=[a.commune for a in index.actors],
        offers=_component(index, OFFERS, index.offers, index.resource_columns, index.resource_column),
        fields=_component(index, FIELDS, index.fields, index.field_columns, index.field_column),
    )


def _component(
    index: NetworkIndex,
    kind: str,
    own: SparseMatrix,
    columns: tuple[URIRef, ...],
    column: dict[URIRef, int],
) -> Component:
    size = len(columns)
    rows: list[int] = []
    cols: list[int] = []
    for concept, i in column.items():
        record = index.concepts.get(concept)
        for parent in record.broader if record is not None else ():
            j = column.get(parent)
            if j is not None and j != i:
                rows += [i, j]
                cols += [j, i]
    step = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    step.sum_duplicates()
    neighbours = [frozenset(step.indices[step.indptr[i] : step.indptr[i + 1]].tolist()) for i in range(size)]

    own = own.tocsr(copy=True)
    own.eliminate_zeros()
    own.data[:] = STEP_WEIGHTS[0]
    reached = (own @ step).tocsr()
    reached.data[:] = STEP_WEIGHTS[1]
    reach = own.maximum(reached).tocsr()
    reach.eliminate_zeros()
    n = own.shape[0]
    document_frequency = np.bincount(reach.indices, minlength=size)
    idf: FloatArray = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    weighted = (own @ sparse.diags_array(idf)).tocsr()
    totals = np.asarray(weighted.sum(axis=1), dtype=np.float64).ravel()
    right = sparse.hstack([reach, weighted], format="csr")
    return Component(
        kind=kind,
        columns=columns,
        own=own,
        neighbours=neighbours,
        idf=idf,
        totals=totals,
        left=sparse.hstack([weighted, reach], format="csr"),
        right=right,
        right_t=right.T.tocsr(),
    )
