"""The best hand-written baseline of each measured query, on the same data, for the same answers.

- (a) `actor_top`: one actor's combined top-k of the four kinds (complementarity, pooling, affinity,
  closing triangles) from a bare numpy inverted index (resource → actors offering it, pooling group →
  its members, field → actors having it, intermediary → its partners), no reasons;
- (b) `all_top`: every actor's top-k from blockwise products — scipy sparse products for complementarity,
  pooling and triangles, one BLAS product of the dense field vectors for affinity (it pairs ~40 % of the
  actors) — summed and selected in dense blocks sized to a memory budget;
- (c) `read_analysis_arrays`: what the analysis needs read with raw pyoxigraph ``quads_for_pattern`` into
  numpy arrays (actors, needs, offers, fields, coordinates, consent, collaboration links);
- (d) `graph_indicators`: degree, sampled betweenness, eigenvector, Leiden communities, coreness and
  components with igraph (networkx when igraph is missing) on the same public collaboration graph.

(c) lives in `benchmarks.baseline_index`, (d) in `benchmarks.baseline_indicators`; this module is the
public face of all four. (a) and (b) start from the index's raw inputs (the actor × concept matrices,
the `skos:broader` links, the coordinates, the consent, the collaboration links) and compute the scores
of `maillage.graph.synergies` (docs/decisions/20261128-synergy-scores.md) their own way
(`prepare_synergy_arrays`); their answers are checked against Maillage's in `benchmarks.run` and in
tests/test_benchmarks_generator.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.spatial import cKDTree

from benchmarks.baseline_index import AnalysisArrays, read_analysis_arrays
from benchmarks.baseline_indicators import GraphIndicators, graph_indicators, public_graph
from maillage.graph.index import NetworkIndex
from maillage.graph.synergies import (
    AFFINITY,
    BROADER_FIELD_WEIGHT,
    COMPLEMENTARITY,
    DEFAULT_WEIGHTS,
    DISTANCE_SCALE_KM,
    HIERARCHY_WEIGHTS,
    KINDS,
    POOLING,
    POOLING_MIN_ACTORS,
    POOLING_NEEDS_PER_OFFER,
    POOLING_RADIUS_KM,
    TRIANGLE,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Csr = sparse.csr_array

EARTH_RADIUS_KM = 6371.0
EPSILON = 1e-12
#: the kinds whose pair score is multiplied by f(d); the others never pair actors already linked
MODULATED = frozenset({COMPLEMENTARITY, POOLING})
#: up to this size one actor's affinity is a dense matrix-vector product, beyond a sparse row product
DENSE_AFFINITY_MAX_ACTORS = 50_000

__all__ = [
    "AnalysisArrays",
    "GraphIndicators",
    "SynergyArrays",
    "actor_kind_scores",
    "actor_top",
    "all_top",
    "block_rows",
    "distance_factor",
    "graph_indicators",
    "kind_top",
    "network_maxima",
    "prepare_synergy_arrays",
    "public_graph",
    "read_analysis_arrays",
]


# ------------------------------------------------------------------------------ (a) and (b) synergies


@dataclass
class SynergyArrays:
    """Everything (a) and (b) read. For each kind k, ``score_k(A, ·) = left_k[A] @ right_k``: the rows of
    ``right_k`` (resources, pooling groups, fields, intermediaries) are the posting lists of the inverted
    index, the row ``left_k[A]`` says which lists to add up with which weights."""

    n: int
    left: dict[str, Csr]
    right: dict[str, Csr]
    phi: FloatArray
    lam: FloatArray
    cos_phi: FloatArray
    public: BoolArray
    linked: Csr  # actors × actors, 1 where a project or a partnership links them
    maxima: dict[str, float]
    #: the field vectors as a dense n × fields array: affinity touches ~40 % of the pairs, where one BLAS
    #: product beats posting lists and sparse products
    field_dense: FloatArray


def _binary(matrix: Csr) -> Csr:
    result = sparse.csr_array(matrix, copy=True)
    result.eliminate_zeros()
    result.data[:] = 1.0
    return result


def _idf(n: int, matrix: Csr) -> FloatArray:
    frequency = np.bincount(_binary(matrix).indices, minlength=matrix.shape[1])
    result: FloatArray = np.log((1.0 + n) / (1.0 + frequency)) + 1.0
    return result


def _parents(index: NetworkIndex, column: dict[str, int]) -> Csr:
    """Concept → its direct `skos:broader` concepts among the columns, as a 0/1 matrix."""
    rows: list[int] = []
    cols: list[int] = []
    for concept, j in column.items():
        record = index.concepts.get(concept)  # type: ignore[call-overload]
        for parent in record.broader if record is not None else ():
            if parent in column and column[parent] != j:
                rows.append(j)
                cols.append(column[parent])
    return _binary(sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(column),) * 2))


def _groups(points: tuple[FloatArray, FloatArray], needers: IntArray, radius_km: float) -> list[IntArray]:
    """Groups of `needers` (ascending rows) around centres: by decreasing count of needers within
    `radius_km` (ties by row), a needer not yet grouped takes those within the radius not yet grouped;
    the needers without coordinates form one more group.

    A k-d tree on the unit sphere (a distance d is a chord of 2 sin(d / 2R)) counts the neighbours
    without listing them (``return_length``), then lists those of each centre only: memory O(needers +
    largest group), where listing every pair within the radius would be quadratic in a dense area.
    """
    phi, lam = points[0][needers], points[1][needers]
    known = ~np.isnan(phi) & ~np.isnan(lam)
    found: list[IntArray] = []
    placed = needers[known]
    if len(placed):
        cos_phi = np.cos(phi[known])
        xyz = np.column_stack(
            [cos_phi * np.cos(lam[known]), cos_phi * np.sin(lam[known]), np.sin(phi[known])]
        )
        tree = cKDTree(xyz)
        chord = 2.0 * np.sin(radius_km / (2.0 * EARTH_RADIUS_KM))
        counts = np.asarray(tree.query_ball_point(xyz, chord, return_length=True))
        grouped = np.zeros(len(placed), dtype=np.bool_)
        for centre in np.lexsort((np.arange(len(placed)), -counts)).tolist():
            if grouped[centre]:
                continue
            around = np.asarray(tree.query_ball_point(xyz[centre], chord), dtype=np.int64)
            around = np.sort(around[~grouped[around]])
            grouped[around] = True
            found.append(placed[around])
    if (~known).any():
        found.append(needers[~known])
    return found


def prepare_synergy_arrays(index: NetworkIndex) -> SynergyArrays:
    """Build the baseline's matrices from the raw inputs of `index` (not from Maillage's synergy model),
    for the public view (private persons neither count in pooling demand and supply nor as intermediaries).

    Steps along one `skos:broader` line are powers of the parent relation (``P``, ``P²``) and their
    transposes; siblings (``P Pᵀ``) are never formed. Cost: a few sparse products, O(nnz), plus one k-d
    tree per short resource.
    """
    n = len(index.actors)
    public = np.array([a.is_public for a in index.actors], dtype=np.bool_)
    lat = np.array([np.nan if a.lat is None else a.lat for a in index.actors])
    lon = np.array([np.nan if a.lon is None else a.lon for a in index.actors])
    phi, lam = np.radians(lat), np.radians(lon)

    parent = _parents(index, index.resource_column)  # type: ignore[arg-type]
    one_step = _binary(parent + parent.T)
    grand = _binary(parent @ parent)
    two_steps = _binary(grand + grand.T)
    two_steps = _binary(
        two_steps - two_steps.multiply(one_step) - two_steps.multiply(sparse.eye_array(parent.shape[0]))
    )
    offers = _binary(index.offers.tocsr())
    match = offers.maximum(HIERARCHY_WEIGHTS[1] * _binary(offers @ one_step))
    match = sparse.csr_array(match.maximum(HIERARCHY_WEIGHTS[2] * _binary(offers @ two_steps)))
    match.eliminate_zeros()
    needs = _binary(index.needs.tocsr())
    weighted_needs = sparse.csr_array(needs @ sparse.diags_array(_idf(n, match)))

    visible_needs = sparse.csc_array(needs[public])
    public_rows = np.flatnonzero(public)
    demand = np.diff(visible_needs.indptr).astype(np.float64)
    supply = np.asarray(match[public].sum(axis=0)).ravel()
    short = np.flatnonzero((demand >= POOLING_MIN_ACTORS) & (supply < demand / POOLING_NEEDS_PER_OFFER))
    members: list[IntArray] = []
    rarity: list[float] = []
    for column in short.tolist():
        needers = public_rows[
            visible_needs.indices[visible_needs.indptr[column] : visible_needs.indptr[column + 1]]
        ]
        for group in _groups((phi, lam), needers.astype(np.int64), POOLING_RADIUS_KM):
            if len(group) >= POOLING_MIN_ACTORS:
                members.append(group)
                rarity.append(1.0 - POOLING_NEEDS_PER_OFFER * supply[column] / demand[column])
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    member_rows = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    group_cols = np.repeat(np.arange(len(members)), sizes)
    membership = sparse.csr_array(
        (np.ones(len(member_rows)), (member_rows, group_cols)), shape=(n, len(members))
    )
    pooled = sparse.csr_array(
        (np.asarray(rarity)[group_cols], (group_cols, member_rows)), shape=(len(members), n)
    )

    fields = _binary(index.fields.tocsr())
    broader = _parents(index, index.field_column)  # type: ignore[arg-type]
    expanded = sparse.csr_array(fields.maximum(BROADER_FIELD_WEIGHT * _binary(fields @ broader)))
    weighted = sparse.csr_array(expanded @ sparse.diags_array(_idf(n, expanded)))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    vectors = sparse.csr_array(sparse.diags_array(inverse) @ weighted)

    position = index.position
    pairs = np.asarray(
        [
            (position[a], position[b])
            for a, b in index.collaboration.edges()
            if a in position and b in position
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    both = np.concatenate([pairs, pairs[:, ::-1]])
    linked = sparse.csr_array((np.ones(len(both)), (both[:, 0], both[:, 1])), shape=(n, n))
    linked.sum_duplicates()
    linked.data[:] = 1.0
    degree = np.diff(linked.indptr).astype(np.float64)
    bridge = np.divide(1.0, np.log(np.maximum(degree, 1.0)), out=np.zeros(n), where=(degree >= 2) & public)

    return SynergyArrays(
        n=n,
        left={COMPLEMENTARITY: weighted_needs, POOLING: membership, AFFINITY: vectors, TRIANGLE: linked},
        right={
            COMPLEMENTARITY: sparse.csr_array(match.T),
            POOLING: pooled,
            AFFINITY: sparse.csr_array(vectors.T),
            TRIANGLE: sparse.csr_array(sparse.diags_array(bridge) @ linked),
        },
        phi=phi,
        lam=lam,
        cos_phi=np.cos(phi),
        public=public,
        linked=linked,
        maxima={},
        field_dense=vectors.toarray(),
    )


def distance_factor(arrays: SynergyArrays, first: IntArray | int, second: IntArray) -> FloatArray:
    """f(d) = 1 / (1 + d / 50) with the haversine distance; 1 where a coordinate is missing."""
    h = np.square(np.sin((arrays.phi[second] - arrays.phi[first]) * 0.5))
    h += (
        arrays.cos_phi[first]
        * arrays.cos_phi[second]
        * np.square(np.sin((arrays.lam[second] - arrays.lam[first]) * 0.5))
    )
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(h), 1.0))
    result: FloatArray = np.where(np.isnan(distance), 1.0, 1.0 / (1.0 + distance / DISTANCE_SCALE_KM))
    return result


def _postings(arrays: SynergyArrays, actor: int, kind: str) -> tuple[IntArray, FloatArray]:
    """(target rows, weighted values) of every posting the actor's row of `kind` reaches, unsummed."""
    left, right = arrays.left[kind], arrays.right[kind]
    columns = left.indices[left.indptr[actor] : left.indptr[actor + 1]]
    weights = left.data[left.indptr[actor] : left.indptr[actor + 1]]
    starts = right.indptr[columns]
    lengths = right.indptr[columns + 1] - starts
    total = int(lengths.sum())
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    return right.indices[positions].astype(np.int64), right.data[positions] * np.repeat(weights, lengths)


def _accumulate(targets: IntArray, values: FloatArray, n: int) -> tuple[IntArray, FloatArray]:
    """Sum the values of equal targets: (distinct targets ascending, sums). A dense `bincount` when the
    postings cover a good part of the n actors, else a sort of the postings (no O(n) pass)."""
    if 8 * len(targets) >= n:
        dense = np.bincount(targets, values, minlength=n)
        found = np.flatnonzero(dense)
        return found, dense[found].astype(np.float64)
    found, inverse = np.unique(targets, return_inverse=True)
    return found, np.bincount(inverse, values, minlength=len(found)).astype(np.float64)


def _linked_to(arrays: SynergyArrays, actor: int) -> IntArray:
    result: IntArray = arrays.linked.indices[arrays.linked.indptr[actor] : arrays.linked.indptr[actor + 1]]
    return result


def _affinity_row(arrays: SynergyArrays, actor: int) -> tuple[IntArray, FloatArray]:
    """(others, cosines) of one actor, itself and linked actors included: a dense matrix-vector product
    while the n × fields array fits in cache-friendly sizes, a sparse row product beyond (at 250,000
    actors the dense product reads 60 MB per query and is memory-bound)."""
    if arrays.n <= DENSE_AFFINITY_MAX_ACTORS:
        dense = arrays.field_dense @ arrays.field_dense[actor]
        others = np.flatnonzero(dense)
        return others, dense[others]
    left = arrays.left[AFFINITY]
    start, end = left.indptr[actor], left.indptr[actor + 1]
    row = sparse.csr_array(
        (left.data[start:end], left.indices[start:end], np.array([0, end - start])), shape=(1, left.shape[1])
    )
    product = sparse.csr_array(row @ arrays.right[AFFINITY])
    return product.indices.astype(np.int64), product.data


def actor_kind_scores(arrays: SynergyArrays, actor: int, kind: str) -> tuple[IntArray, FloatArray]:
    """One actor's raw scores of one kind: (others ascending, scores > ε), self and linked pairs left out.

    Affinity is one matrix-vector product (`_affinity_row`); the other kinds add up posting lists.
    """
    if kind == AFFINITY:
        others, scores = _affinity_row(arrays, actor)
    else:
        others, scores = _accumulate(*_postings(arrays, actor, kind), arrays.n)
    if kind in MODULATED:
        scores = scores * distance_factor(arrays, actor, others)
        keep = others != actor
    else:
        keep = (others != actor) & ~np.isin(others, _linked_to(arrays, actor))
    keep &= scores > EPSILON
    return others[keep], scores[keep]


def actor_top(arrays: SynergyArrays, actor: int, *, limit: int = 10) -> tuple[IntArray, FloatArray]:
    """Baseline (a): one actor's combined top-`limit` (others, scores), best first, ties by row (key order).

    ``combined = Σ_k weight_k · score_k / max_k`` over public others, in one dense vector: affinity by
    `_affinity_row`, the other kinds by one `bincount` of their postings (scaled by
    ``weight_k / max_k``, and by f(d) per posting for complementarity and pooling); the linked actors are
    then cleared from the affinity and triangle part. Cost: O(n · fields + postings reached).
    """
    n = arrays.n
    kinds = [kind for kind in KINDS if arrays.maxima.get(kind, 0.0) > 0]
    parts: dict[bool, FloatArray] = {}
    for modulated in (True, False):
        chosen = [kind for kind in kinds if (kind in MODULATED) == modulated and kind != AFFINITY]
        targets_list: list[IntArray] = []
        values_list: list[FloatArray] = []
        for kind in chosen:
            targets, values = _postings(arrays, actor, kind)
            values *= DEFAULT_WEIGHTS[kind] / arrays.maxima[kind]
            if modulated:
                values *= distance_factor(arrays, actor, targets)
            targets_list.append(targets)
            values_list.append(values)
        if targets_list:
            summed = np.bincount(np.concatenate(targets_list), np.concatenate(values_list), minlength=n)
            parts[modulated] = summed.astype(np.float64, copy=False)  # an empty bincount is of integers
    if AFFINITY in kinds:
        others, scores = _affinity_row(arrays, actor)
        if False not in parts:
            parts[False] = np.zeros(n)
        parts[False][others] += scores * (DEFAULT_WEIGHTS[AFFINITY] / arrays.maxima[AFFINITY])
    if False in parts:
        parts[False][_linked_to(arrays, actor)] = 0.0
    combined = parts[True] + parts[False] if len(parts) == 2 else next(iter(parts.values()), np.zeros(n))
    combined[actor] = 0.0
    others = np.flatnonzero(combined > EPSILON)
    return _top(arrays, others, combined[others], limit)


def _top(
    arrays: SynergyArrays, others: IntArray, scores: FloatArray, limit: int
) -> tuple[IntArray, FloatArray]:
    """The `limit` best public others (ties by row): O(m) selection, then a sort of the few kept."""
    keep = arrays.public[others]
    others, scores = others[keep], scores[keep]
    if len(others) > limit:
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= kth
        others, scores = others[keep], scores[keep]
    order = np.lexsort((others, -scores))[:limit]
    return others[order], scores[order]


def kind_top(arrays: SynergyArrays, actor: int, kind: str, *, limit: int = 10) -> tuple[IntArray, FloatArray]:
    """Baseline (a) for one kind: the actor's `limit` best public others by raw score (no maxima needed)."""
    return _top(arrays, *actor_kind_scores(arrays, actor, kind), limit)


def block_rows(n: int, *, budget_bytes: int = 128 * 2**20) -> int:
    """Rows per block so that one dense block of scores (rows × n float64) stays within the budget."""
    return max(16, min(n, budget_bytes // (8 * max(n, 1))))


def _block_scores(arrays: SynergyArrays, kind: str, start: int, end: int) -> FloatArray:
    """Raw scores of one kind for rows start:end against everyone, as a dense block: affinity by one BLAS
    product of the dense field vectors, the other kinds by one scipy sparse product; distance-modulated
    (complementarity, pooling) or without the linked pairs (affinity, triangles); oneself at 0."""
    if kind == AFFINITY:
        block = arrays.field_dense[start:end] @ arrays.field_dense.T
    else:
        product = sparse.csr_array(arrays.left[kind][start:end] @ arrays.right[kind])
        if kind in MODULATED:
            rows = np.repeat(np.arange(start, end), np.diff(product.indptr))
            product.data *= distance_factor(arrays, rows, product.indices.astype(np.int64))
        block = product.toarray()
    if kind not in MODULATED:
        linked = arrays.linked[start:end]
        block[np.repeat(np.arange(end - start), np.diff(linked.indptr)), linked.indices] = 0.0
    block[np.arange(end - start), np.arange(start, end)] = 0.0
    block[block <= EPSILON] = 0.0
    result: FloatArray = block
    return result


def network_maxima(arrays: SynergyArrays, *, budget_bytes: int = 128 * 2**20) -> dict[str, float]:
    """The best score of each kind over pairs of distinct public actors (blockwise scan); kept in `arrays`.

    Affinity: dense BLAS blocks; the other kinds: the non-zeros of their sparse products only.
    """
    step = block_rows(arrays.n, budget_bytes=budget_bytes)
    best = dict.fromkeys(KINDS, 0.0)
    public = arrays.public
    visible_vectors = arrays.field_dense * public[:, None]
    for start in range(0, arrays.n, step):
        end = min(arrays.n, start + step)
        rows = public[start:end]
        if not rows.any():
            continue
        for kind in KINDS:
            if kind == AFFINITY:  # private persons' vectors at 0: they pair with nobody
                block = visible_vectors[start:end] @ visible_vectors.T
                block[np.arange(end - start), np.arange(start, end)] = 0.0
                linked = arrays.linked[start:end]
                block[np.repeat(np.arange(end - start), np.diff(linked.indptr)), linked.indices] = 0.0
                found = float(block.max()) if block.size else 0.0
            else:
                product = sparse.csr_array(arrays.left[kind][start:end] @ arrays.right[kind])
                if kind not in MODULATED:
                    product = sparse.csr_array(product - product.multiply(arrays.linked[start:end]))
                    product.eliminate_zeros()
                i = np.repeat(np.arange(start, end), np.diff(product.indptr))
                j = product.indices.astype(np.int64)
                keep = (i != j) & public[i] & public[j]
                values = product.data[keep]
                if kind in MODULATED:
                    values = values * distance_factor(arrays, i[keep], j[keep])
                found = float(values.max()) if len(values) else 0.0
            best[kind] = max(best[kind], found if found > EPSILON else 0.0)
    arrays.maxima = best
    return best


def all_top(
    arrays: SynergyArrays, *, limit: int = 10, stop: int | None = None, budget_bytes: int = 128 * 2**20
) -> tuple[IntArray, FloatArray]:
    """Baseline (b): the combined top-`limit` of every actor (rows ``0 … stop - 1`` with `stop`), blockwise.

    Each block of `block_rows` × n (within `budget_bytes`; the selection needs about three times that):
    one product per kind (`_block_scores`: BLAS for affinity, scipy sparse for the others), their weighted,
    normalised sum, and one `argpartition`. Needs the maxima (`network_maxima`). Returns (rows × limit)
    arrays of others and scores, -1 / 0 where an actor has fewer results.
    Cost: O(n² · fields / rows-per-BLAS-call + nnz of the sparse products + rows · n).
    """
    last = arrays.n if stop is None else min(arrays.n, stop)
    step = block_rows(arrays.n, budget_bytes=budget_bytes)
    width = min(limit, arrays.n)
    others = np.full((last, limit), -1, dtype=np.int64)
    scores = np.zeros((last, limit))
    for start in range(0, last, step):
        end = min(last, start + step)
        dense = np.zeros((end - start, arrays.n))
        sparse_part: Csr | None = None
        for kind in KINDS:
            if arrays.maxima.get(kind, 0.0) <= 0:
                continue
            weight = DEFAULT_WEIGHTS[kind] / arrays.maxima[kind]
            if kind == AFFINITY:
                dense += _block_scores(arrays, kind, start, end) * weight
                continue
            product = sparse.csr_array(arrays.left[kind][start:end] @ arrays.right[kind])
            if kind in MODULATED:
                rows = np.repeat(np.arange(start, end), np.diff(product.indptr))
                product.data *= distance_factor(arrays, rows, product.indices.astype(np.int64))
            else:
                product = sparse.csr_array(product - product.multiply(arrays.linked[start:end]))
            product.data[product.data <= EPSILON] = 0.0
            product.data *= weight
            sparse_part = product if sparse_part is None else sparse.csr_array(sparse_part + product)
        if sparse_part is not None:
            dense += sparse_part.toarray()  # one conversion for the three sparse kinds
        dense[np.arange(end - start), np.arange(start, end)] = 0.0
        dense[:, ~arrays.public] = 0.0
        np.negative(dense, out=dense)  # argpartition keeps the smallest: the best scores, negated
        top = np.argpartition(dense, width - 1, axis=1)[:, :width]
        top_scores = -np.take_along_axis(dense, top, axis=1)
        del dense
        order = np.lexsort((top, -top_scores), axis=1)
        top = np.take_along_axis(top, order, axis=1)
        top_scores = np.take_along_axis(top_scores, order, axis=1)
        others[start:end, :width] = np.where(top_scores > 0, top, -1)
        scores[start:end, :width] = top_scores
    return others, scores
