"""The sparse model the synergies answer from, derived once per index and cached in `index.derived`.

Complementarity: best match weight of what each actor offers against every resource (hierarchy-aware),
needs weighted by idf. Affinity: idf-weighted field vectors, L2-normalised, and the pairs already linked.
Triangles: the collaboration graph as a sparse adjacency matrix. Filters: territories, concept hierarchy
and column-major copies of the actor × concept matrices. What depends on privacy (pooling groups,
triangle weights) is derived on first use and kept in `Model.cache`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph._synergies.parameters import (
    BROADER_FIELD_WEIGHT,
    HIERARCHY_WEIGHTS,
    BoolArray,
    FloatArray,
    IntArray,
)
from maillage.graph.geo import PointSet
from maillage.graph.index import NetworkIndex, SparseMatrix, iri_key


@dataclass
class Model:
    """The arrays every synergy question reads; `maxima` memoises the network scans."""

    n: int
    keys: list[str]
    points: PointSet
    public: BoolArray
    countries: list[str | None]
    # complementarity
    steps: list[dict[int, int]]  # resource column -> {resource column: steps 0..2}
    resource_idf: FloatArray
    match: SparseMatrix  # actors × resources: best match weight of what each actor offers
    match_t: SparseMatrix
    weighted_needs: SparseMatrix  # actors × resources: needs · idf
    weighted_needs_t: SparseMatrix
    # affinity
    field_idf: FloatArray
    explained_by: list[tuple[int, ...]]  # field column -> its direct broader columns
    field_vectors: SparseMatrix  # actors × fields: idf-weighted, hierarchy-aware, L2-normalised
    field_vectors_t: SparseMatrix
    linked_codes: IntArray  # sorted i·n + j (i < j) of pairs sharing a project or a partnership
    # triangles, cross-border, filters
    adjacency: SparseMatrix  # actors × actors, 1 where two actors share a project or a partnership
    degree: IntArray
    country_codes: IntArray  # a number per country (-1 when unknown), to compare countries in bulk
    territory_rows: dict[str, IntArray]  # "64102", "epci:200067106", "es:20045" -> actors based there
    narrower: dict[URIRef, tuple[URIRef, ...]]  # concept -> its direct narrower concepts
    fields_csc: sparse.csc_array
    needs_csc: sparse.csc_array
    offers_csc: sparse.csc_array
    match_csc: sparse.csc_array
    maxima: dict[tuple[str, bool], float] = field(default_factory=dict)
    #: what depends on privacy, built on first use: ("pooling", include_private) -> groups, …
    cache: dict[tuple[object, ...], object] = field(default_factory=dict)


def model_of(index: NetworkIndex) -> Model:
    """The model of `index`, built on first use (once, even under concurrent requests)."""
    return index.derive("synergies", Model, lambda: _build_model(index))


def _idf(n: int, document_frequency: npt.NDArray[np.int64]) -> FloatArray:
    result: FloatArray = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    return result


def _column_counts(matrix: SparseMatrix) -> npt.NDArray[np.int64]:
    """How many rows have a non-zero value in each column."""
    matrix = matrix.tocsr(copy=True)
    matrix.eliminate_zeros()
    return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)


def _at_weight(matrix: SparseMatrix, weight: float) -> SparseMatrix:
    """The same pattern of non-zeros, every value set to `weight`."""
    result = matrix.tocsr(copy=True)
    result.eliminate_zeros()
    result.data[:] = weight
    return result


def _hierarchy_steps(index: NetworkIndex) -> list[dict[int, int]]:
    """For each resource column, the columns at most two `skos:broader` steps up or down the same line.

    Siblings are not reached: « Médiation » does not answer a need for « Graphisme » because both are skills.
    """
    column = index.resource_column
    parents: list[set[int]] = [set() for _ in index.resource_columns]
    children: list[set[int]] = [set() for _ in index.resource_columns]
    for concept, i in column.items():
        record = index.concepts.get(concept)
        for parent in record.broader if record is not None else ():
            j = column.get(parent)
            if j is not None and j != i:
                parents[i].add(j)
                children[j].add(i)
    steps: list[dict[int, int]] = []
    for i in range(len(parents)):
        reach = {i: 0}
        for line in (parents, children):
            for j in line[i]:
                reach.setdefault(j, 1)
            for j in line[i]:
                for k in line[j]:
                    reach.setdefault(k, 2)
        steps.append(reach)
    return steps


def _step_matrix(steps: list[dict[int, int]], distance: int) -> SparseMatrix:
    rows = [i for i, reach in enumerate(steps) for j, s in reach.items() if s == distance]
    cols = [j for reach in steps for j, s in reach.items() if s == distance]
    size = len(steps)
    return sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(size, size))


def _build_model(index: NetworkIndex) -> Model:
    n = len(index.actors)
    position = index.position

    # Complementarity: match(B, r) = max over B's offers c of HIERARCHY_WEIGHTS[steps(r, c)].
    steps = _hierarchy_steps(index)
    offers = index.offers.tocsr()
    match = offers.copy()
    for distance in range(1, len(HIERARCHY_WEIGHTS)):
        reached = offers @ _step_matrix(steps, distance)
        match = match.maximum(_at_weight(reached, HIERARCHY_WEIGHTS[distance])).tocsr()
    match.eliminate_zeros()
    resource_idf = _idf(n, _column_counts(match))
    weighted_needs = (index.needs @ sparse.diags_array(resource_idf)).tocsr()

    # Affinity: own fields at 1, their direct broader concepts at 0.5, times idf, L2-normalised.
    explained_by: list[tuple[int, ...]] = []
    broader_rows: list[int] = []
    broader_cols: list[int] = []
    for concept, i in sorted(index.field_column.items(), key=lambda item: item[1]):
        record = index.concepts.get(concept)
        parents = tuple(
            sorted(
                index.field_column[p]
                for p in (record.broader if record is not None else ())
                if p in index.field_column and index.field_column[p] != i
            )
        )
        explained_by.append(parents)
        broader_rows.extend([i] * len(parents))
        broader_cols.extend(parents)
    size = len(index.field_columns)
    broader = sparse.csr_array((np.ones(len(broader_rows)), (broader_rows, broader_cols)), shape=(size, size))
    own = index.fields.tocsr()
    expanded = own.maximum(_at_weight(own @ broader, BROADER_FIELD_WEIGHT)).tocsr()
    expanded.eliminate_zeros()
    field_idf = _idf(n, _column_counts(expanded))
    weighted = (expanded @ sparse.diags_array(field_idf)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1), dtype=np.float64)).ravel()
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    field_vectors = (sparse.diags_array(inverse) @ weighted).tocsr()

    edges = np.array(
        [
            (position[a], position[b])
            for a, b in index.collaboration.edges()
            if a in position and b in position
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    codes = np.sort(edges.min(axis=1) * n + edges.max(axis=1))
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    adjacency = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adjacency.sum_duplicates()
    adjacency.data[:] = 1.0
    countries = sorted({a.country for a in index.actors if a.country is not None})
    narrower: dict[URIRef, list[URIRef]] = defaultdict(list)
    for concept, record in index.concepts.items():
        for parent in record.broader:
            if parent != concept:
                narrower[parent].append(concept)
    return Model(
        n=n,
        keys=[actor.key for actor in index.actors],
        points=PointSet.of_places(index.actors),
        public=np.array([a.is_public for a in index.actors], dtype=np.bool_),
        countries=[a.country for a in index.actors],
        steps=steps,
        resource_idf=resource_idf,
        match=match,
        match_t=match.T.tocsr(),
        weighted_needs=weighted_needs,
        weighted_needs_t=weighted_needs.T.tocsr(),
        field_idf=field_idf,
        explained_by=explained_by,
        field_vectors=field_vectors,
        field_vectors_t=field_vectors.T.tocsr(),
        linked_codes=codes.astype(np.int64),
        adjacency=adjacency,
        degree=np.diff(adjacency.indptr).astype(np.int64),
        country_codes=np.array(
            [-1 if a.country is None else countries.index(a.country) for a in index.actors], dtype=np.int64
        ),
        territory_rows=_territory_rows(index),
        narrower={concept: tuple(sorted(children)) for concept, children in narrower.items()},
        fields_csc=index.fields.tocsc(),
        needs_csc=index.needs.tocsc(),
        offers_csc=index.offers.tocsc(),
        match_csc=match.tocsc(),
    )


def _territory_rows(index: NetworkIndex) -> dict[str, IntArray]:
    """The actors based in each commune (INSEE code), municipio (``es:`` + INE code) and EPCI (``epci:``)."""
    found: dict[str, list[int]] = defaultdict(list)
    for row, actor in enumerate(index.actors):
        if actor.commune is not None:
            code = iri_key(actor.commune)
            found[f"es:{code}" if "/municipio/" in actor.commune else code].append(row)
        if actor.epci is not None:
            found[f"epci:{iri_key(actor.epci)}"].append(row)
    return {code: np.array(rows, dtype=np.int64) for code, rows in found.items()}
