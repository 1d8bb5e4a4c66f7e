"""Network-wide scans: every scored pair of one kind, in blocks of rows, for the maxima and the best pairs.

Each kind is a sparse product computed ``_BLOCK_ROWS`` rows at a time, so memory stays at about
block × n products whatever the size of the network:

- complementarity ``N · diag(idf) · Mᵀ`` (directed pairs), times f(d);
- pooling ``P · diag(rarity) · Pᵀ`` with P the actors × groups membership (unordered pairs), times f(d);
- affinity ``X · Xᵀ`` (unordered pairs not linked yet);
- triangles ``A · diag(w) · A`` with A the collaboration adjacency (unordered pairs not linked yet).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from maillage.graph._synergies.complementarity import restricted
from maillage.graph._synergies.filters import Selection
from maillage.graph._synergies.model import Model
from maillage.graph._synergies.parameters import (
    AFFINITY,
    COMPLEMENTARITY,
    EPSILON,
    POOLING,
    BoolArray,
    FloatArray,
    IntArray,
)
from maillage.graph._synergies.pooling import groups_of
from maillage.graph._synergies.rows import distances_km, modulation, rank_key
from maillage.graph._synergies.triangles import intermediary_weights
from maillage.graph.index import NetworkIndex

_BLOCK_ROWS = 1024  # rows per block in network scans: bounds memory at ~ block × n products
_DENSE_BLOCK_BYTES = 64 * 2**20  # one dense block of affinity scores (rows × n float64) stays within this


@dataclass
class Pairs:
    """Scored pairs of one block: rows `first`, `second`, raw scores and distances (NaN if unknown)."""

    first: IntArray
    second: IntArray
    scores: FloatArray
    distances: FloatArray

    def keep(self, mask: BoolArray) -> Pairs:
        return Pairs(self.first[mask], self.second[mask], self.scores[mask], self.distances[mask])


def scored_pairs(
    index: NetworkIndex,
    model: Model,
    kind: str,
    *,
    include_private: bool,
    resources: BoolArray | None = None,
    need_distances: bool = True,
) -> Iterator[Pairs]:
    """Every pair of `kind` with a positive score, block by block (complementarity directed, the other
    kinds unordered with ``first < second``; affinity and triangles never pair linked actors).

    Only the resource filter is applied here (it changes the scores); the other filters are masks.
    """
    n = model.n
    if kind == COMPLEMENTARITY:
        left, right = restricted(model.weighted_needs, resources), model.match_t
    elif kind == POOLING:
        groups = groups_of(index, model, include_private=include_private)
        left, right = groups.membership, groups.weighted_t
        if resources is not None:
            left = restricted_groups(left, resources[groups.resource])
    elif kind == AFFINITY:
        left, right = model.field_vectors, model.field_vectors_t
    else:
        left, right = model.adjacency, intermediary_weights(model, include_private=include_private)
    modulated = kind in (COMPLEMENTARITY, POOLING)
    for start in range(0, n, _BLOCK_ROWS):
        end = min(n, start + _BLOCK_ROWS)
        block = (left[start:end] @ right).tocsr()
        if kind not in (COMPLEMENTARITY, POOLING):  # never pair linked actors: O(nnz), no search
            block = (block - block.multiply(model.adjacency[start:end])).tocsr()
            block.eliminate_zeros()
        i = (np.repeat(np.arange(end - start), np.diff(block.indptr)) + start).astype(np.int64)
        j = block.indices.astype(np.int64)
        s = block.data.astype(np.float64)
        keep = i != j if kind == COMPLEMENTARITY else i < j
        i, j, s = i[keep], j[keep], s[keep]
        if modulated or need_distances:
            d = distances_km(model, i, j)
        else:
            d = np.full(len(i), np.nan)
        if modulated:
            s = s * modulation(d)
        yield Pairs(i, j, s, d).keep(s > EPSILON)


def restricted_groups(membership: sparse.csr_array, kept: BoolArray) -> sparse.csr_array:
    """The membership matrix with only the groups of `kept` (columns)."""
    return (membership @ sparse.diags_array(kept.astype(np.float64))).tocsr()


def maximum(index: NetworkIndex, model: Model, kind: str, *, include_private: bool) -> float:
    """The best score of `kind` over the pairs of visible actors, memoised in the model."""
    key = (kind, include_private)
    if key not in model.maxima and kind == AFFINITY:
        visible = np.ones(model.n, dtype=np.bool_) if include_private else model.public
        model.maxima[key] = _affinity_maximum(model, visible)
    if key not in model.maxima:
        best = 0.0
        for pairs in scored_pairs(index, model, kind, include_private=include_private, need_distances=False):
            if not include_private:
                pairs = pairs.keep(model.public[pairs.first] & model.public[pairs.second])
            if len(pairs.scores):
                best = max(best, float(pairs.scores.max()))
        model.maxima[key] = best
    return model.maxima[key]


def _affinity_maximum(model: Model, visible: BoolArray) -> float:
    """The best cosine between two visible actors not linked yet, in dense blocks.

    The field vectors have as many columns as the fields taxonomy (a few dozen): a dense product of
    rows × n is then cheaper than a sparse one and its pair bookkeeping. Memory: one block of
    `_DENSE_BLOCK_BYTES`. Affinity is symmetric, so the best over i ≠ j is the best over i < j.
    """
    n = model.n
    vectors = model.field_vectors.toarray()
    vectors[~visible] = 0.0  # a hidden actor pairs with nobody
    step = max(1, _DENSE_BLOCK_BYTES // (8 * max(n, 1)))
    best = 0.0
    for start in range(0, n, step):
        end = min(n, start + step)
        scores = vectors[start:end] @ vectors.T
        scores[np.arange(end - start), np.arange(start, end)] = 0.0  # oneself
        linked = model.adjacency[start:end]
        scores[np.repeat(np.arange(end - start), np.diff(linked.indptr)), linked.indices] = 0.0
        if scores.size:
            best = max(best, float(scores.max()))
    return best if best > EPSILON else 0.0


def best_pairs(
    index: NetworkIndex, model: Model, kind: str, selection: Selection, *, keep: int
) -> tuple[Pairs, int]:
    """The `keep` best pairs of `kind` that pass the filters (ties by first then second row) and how
    many passed in all."""
    best = Pairs(*(np.zeros(0, dtype=np.int64),) * 2, np.zeros(0), np.zeros(0))
    total = 0
    # Affinity and triangles are not modulated by distance: without a radius, only the pairs kept need
    # theirs. Measured for every pair, they were 7.7 of the 24.5 s of `network_synergies` at 25,000.
    measured = selection.radius_km is not None or kind in (COMPLEMENTARITY, POOLING)
    scan = scored_pairs(
        index,
        model,
        kind,
        include_private=selection.include_private,
        resources=selection.resources,
        need_distances=measured,
    )
    for pairs in scan:
        mask = selection.pairs(
            model,
            pairs.first,
            pairs.second,
            pairs.distances,
            about_resources=kind in (COMPLEMENTARITY, POOLING),
        )
        pairs = pairs.keep(mask)
        total += len(pairs.scores)
        if keep:
            best = _best(_concatenate(best, _best(pairs, keep)), keep)
    if not measured:
        best.distances = distances_km(model, best.first, best.second)
    return best, total


def _concatenate(a: Pairs, b: Pairs) -> Pairs:
    return Pairs(
        np.concatenate([a.first, b.first]),
        np.concatenate([a.second, b.second]),
        np.concatenate([a.scores, b.scores]),
        np.concatenate([a.distances, b.distances]),
    )


def _best(pairs: Pairs, limit: int) -> Pairs:
    """The `limit` best pairs, ties by first then second; O(m) selection before sorting the few kept."""
    scores = rank_key(pairs.scores)
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        pairs = pairs.keep(scores >= threshold)  # ties at the threshold all kept: the tie-break stays exact
    order = np.lexsort((pairs.second, pairs.first, -rank_key(pairs.scores)))[:limit]
    return Pairs(pairs.first[order], pairs.second[order], pairs.scores[order], pairs.distances[order])
