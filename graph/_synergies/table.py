"""Every actor's combined top synergies in one batch: blockwise products, one selection per block.

The batch form of `synergies_for_actor` (no filters): for a block of rows, one product per kind against
every actor (scipy sparse for complementarity, pooling and triangles; one dense BLAS product for
affinity, whose pairs are dense in practice), their weighted, normalised sum in one dense block, and one
`argpartition` per block. Reasons are built for the kept items only. The blocks of rows × n floats are
allocated once and reused, and the masks are applied by arithmetic (a subtraction, a product) rather than
by assignment through a boolean index, four times as slow on these blocks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

import numpy as np
from scipy import sparse

from maillage.graph._synergies.checks import check_limit, check_weights, split_kinds
from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring example calls it
from maillage.graph._synergies.filters import Selection, crosses, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import (
    AFFINITY,
    COMBINED,
    COMPLEMENTARITY,
    EPSILON,
    KINDS,
    POOLING,
    RANK_DECIMALS,
    BoolArray,
    FloatArray,
    IntArray,
)
from maillage.graph._synergies.pooling import groups_of
from maillage.graph._synergies.ranking import max_scores, pair_reasons
from maillage.graph._synergies.results import Reason, Synergy
from maillage.graph._synergies.rows import distance_or_none, distances_km, modulation
from maillage.graph._synergies.triangles import intermediary_weights
from maillage.graph.index import NetworkIndex

#: one dense block of combined scores (rows × n float64) stays within this; the selection needs about
#: three times as much again while it runs
DEFAULT_BLOCK_BYTES = 128 * 2**20


def all_top_synergies(
    index: NetworkIndex,
    *,
    limit: int = 10,
    kinds: Collection[str] = KINDS,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
    reasons: bool = True,
    block_bytes: int = DEFAULT_BLOCK_BYTES,
) -> Iterator[tuple[str, list[Synergy]]]:
    """Every visible actor's combined top `limit`, as `synergies_for_actor(index, key, limit=limit)` gives
    it (same scores, same order, same components and reasons), in key order.

    Parameters
    ----------
    limit : int, optional
        Items per actor (10 by default).
    kinds, weights, include_private
        As in `synergies_for_actor` (« transfrontalier » keeps the pairs across the border only). Without
        `include_private`, private persons are neither listed nor suggested.
    reasons : bool, optional
        False leaves every item's `reasons` empty (the scores and components stay): a third less time at
        25,000 actors (10.7 s against 16.1 s) when only the ranking is wanted.
    block_bytes : int, optional
        Memory for one block of rows × n combined scores; the rows per block follow from it.

    Yields
    ------
    (actor key, list of Synergy)
        One pair per visible actor, possibly with an empty list.

    Notes
    -----
    A batch job: O(n² · fields / BLAS speed + nnz of the sparse products + n²) time, and, besides the
    index, O(block_bytes) memory whatever the size of the network. It needs the network maxima
    (`max_scores`: a full scan, computed once per index).

    Examples
    --------
    >>> table = dict(all_top_synergies(_example_index(), limit=2))
    >>> [(s.target, round(s.score, 4), s.kinds) for s in table["ferme"]]
    [('tiers-lieu', 1.5, ('complementarite', 'affinite')), \
('garraio', 0.6437, ('complementarite', 'affinite'))]
    """
    chosen, border = split_kinds(kinds)
    weight = check_weights(weights)
    check_limit(limit)
    model = model_of(index)
    selection = select(index, model, cross_border_only=border, include_private=include_private)
    maxima = max_scores(index, include_private=include_private)
    active = [kind for kind in chosen if maxima[kind] > 0]
    visible = selection.visible
    hidden = np.flatnonzero(~visible)
    n = model.n
    step = max(1, min(n, block_bytes // (8 * max(n, 1))))
    products = _Products(index, model, include_private=include_private)
    needs_found = any(weight[kind] <= 0 for kind in active)  # else a pair is found iff combined > 0
    # three blocks reused from one block of rows to the next: fresh ones cost their page faults each time
    buffers = _Buffers(step, n)
    for start in range(0, n, step):
        end = min(n, start + step)
        rows = np.arange(start, end, dtype=np.int64)
        combined = buffers.zeros("combined", end - start)
        found = np.zeros((end - start, n), dtype=np.bool_) if needs_found else None
        raw: dict[str, sparse.csr_array | FloatArray] = {}
        for kind in active:
            scores = products.block(kind, start, end)
            raw[kind] = scores
            # weight · score / max in this order, as `synergies_for_actor` computes it (same rounding)
            if isinstance(scores, np.ndarray):
                term = buffers.get("term", end - start)
                if weight[kind] == 1.0:  # 1 · score is the score: one pass less
                    np.divide(scores, maxima[kind], out=term)
                else:
                    np.multiply(scores, weight[kind], out=term)
                    np.divide(term, maxima[kind], out=term)
                combined += term
                if found is not None:
                    found |= scores > 0
            else:
                i = np.repeat(np.arange(end - start), np.diff(scores.indptr))
                combined[i, scores.indices] += weight[kind] * scores.data / maxima[kind]
                if found is not None:
                    found[i, scores.indices] = True
        ranked = np.round(combined, RANK_DECIMALS, out=buffers.get("ranked", end - start))  # as `rank_key`
        # not a candidate: -1 (its combined score is 0, so is its rounded one); a subtraction of the mask
        # is four times as fast as an assignment through it
        np.subtract(ranked, (combined <= 0) if found is None else ~found, out=ranked)
        del found
        ranked[:, hidden] = -1.0
        ranked[np.arange(end - start), rows] = -1.0
        if border:
            ranked[~_crossing(model, rows)] = -1.0
        kept = _top(ranked, limit)
        del ranked
        values = _components(raw, kept)
        # the distances and borders of the block's kept pairs, in one pass
        sizes = [len(columns) for columns in kept]
        pair_rows = np.repeat(rows, sizes)
        pair_columns = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
        distances = distances_km(model, pair_rows, pair_columns).tolist()
        cross = crosses(model, pair_rows, pair_columns).tolist()
        first = 0
        for offset, others in enumerate(kept):
            actor = start + offset
            last = first + sizes[offset]
            if visible[actor]:
                items = _synergies(
                    index,
                    model,
                    actor,
                    others,
                    combined[offset],
                    values[offset],
                    (distances[first:last], cross[first:last]),
                    selection,
                    reasons,
                )
                yield model.keys[actor], items
            first = last


class _Products:
    """The per-kind products of a block of rows against every actor, positive scores only (> EPSILON)."""

    def __init__(self, index: NetworkIndex, model: Model, *, include_private: bool) -> None:
        self.model = model
        groups = groups_of(index, model, include_private=include_private)
        self.left = {COMPLEMENTARITY: model.weighted_needs, POOLING: groups.membership}
        self.right_of = {
            COMPLEMENTARITY: model.match_t,
            POOLING: groups.weighted_t,
        }
        self.triangles = intermediary_weights(model, include_private=include_private)
        self._dense_vectors: FloatArray | None = None

    def block(self, kind: str, start: int, end: int) -> sparse.csr_array | FloatArray:
        model = self.model
        if kind == AFFINITY:  # dense in practice: one BLAS product beats a sparse one and its bookkeeping
            if self._dense_vectors is None:
                self._dense_vectors = model.field_vectors.toarray()
            vectors = self._dense_vectors
            scores: FloatArray = vectors[start:end] @ vectors.T
            linked = model.adjacency[start:end]
            scores[np.repeat(np.arange(end - start), np.diff(linked.indptr)), linked.indices] = 0.0
            np.multiply(scores, scores > EPSILON, out=scores)  # as scores[scores <= EPSILON] = 0, 4× faster
            return scores
        if kind in (COMPLEMENTARITY, POOLING):
            product = sparse.csr_array(self.left[kind][start:end] @ self.right_of[kind])
            i = np.repeat(np.arange(start, end, dtype=np.int64), np.diff(product.indptr))
            product.data = product.data * modulation(distances_km(model, i, product.indices.astype(np.int64)))
        else:  # triangles, never between linked actors
            product = sparse.csr_array(model.adjacency[start:end] @ self.triangles)
            product = sparse.csr_array(product - product.multiply(model.adjacency[start:end]))
        product.data[product.data <= EPSILON] = 0.0
        product.eliminate_zeros()
        return product


def _crossing(model: Model, rows: IntArray) -> BoolArray:
    """rows × n: True where the two actors' countries are known and differ."""
    codes = model.country_codes
    mine = codes[rows][:, None]
    result: BoolArray = (mine >= 0) & (codes[None, :] >= 0) & (mine != codes[None, :])
    return result


def _top(ranked: FloatArray, limit: int) -> list[IntArray]:
    """Per row, the columns of the `limit` best rank scores (-1: not a candidate), best first, ties by
    column (key) order, as `top_positions` orders one actor's.

    One `argpartition` and one `lexsort` for the block; only a row whose threshold is tied beyond
    `limit` is settled on its own, by a sort of its tied candidates. `ranked` is negated in place.
    """
    width = min(limit, ranked.shape[1])
    if width == 0:
        return [np.zeros(0, dtype=np.int64) for _ in range(ranked.shape[0])]
    np.negative(ranked, out=ranked)  # argpartition keeps the smallest; not a candidate: +1
    part = np.argpartition(ranked, width - 1, axis=1)[:, :width]
    values = np.take_along_axis(ranked, part, axis=1)
    order = np.lexsort((part, values), axis=1)
    part = np.take_along_axis(part, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    threshold = values[:, -1]
    tied = np.flatnonzero(
        (threshold < 0.5) & (np.count_nonzero(ranked <= threshold[:, None], axis=1) > width)
    )
    result = [row_part[row_values < 0.5] for row_part, row_values in zip(part, values, strict=True)]
    for row in tied.tolist():
        candidates = np.flatnonzero(ranked[row] <= threshold[row])
        result[row] = candidates[np.lexsort((candidates, ranked[row][candidates]))][:width]
    return [columns.astype(np.int64) for columns in result]


def _components(
    raw: Mapping[str, sparse.csr_array | FloatArray], kept: list[IntArray]
) -> list[list[dict[str, float]]]:
    """The raw score of each kind for every kept pair of a block: per row, per kept column."""
    sizes = [len(columns) for columns in kept]
    rows = np.repeat(np.arange(len(kept)), sizes)
    columns = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    per_kind: dict[str, list[float]] = {}
    for kind in KINDS:
        scores = raw.get(kind)
        if scores is None or not len(columns):
            continue
        per_kind[kind] = np.asarray(scores[rows, columns], dtype=np.float64).ravel().tolist()
    result: list[list[dict[str, float]]] = []
    position = 0
    for size in sizes:
        row: list[dict[str, float]] = []
        for at in range(position, position + size):
            row.append({kind: values[at] for kind, values in per_kind.items() if values[at] > 0})
        result.append(row)
        position += size
    return result


class _Buffers:
    """Blocks of rows × n floats, allocated once and handed out as views of `size` rows."""

    def __init__(self, rows: int, n: int) -> None:
        self.shape = (rows, n)
        self._blocks: dict[str, FloatArray] = {}

    def get(self, name: str, size: int) -> FloatArray:
        block = self._blocks.get(name)
        if block is None:
            block = self._blocks[name] = np.empty(self.shape)
        return block[:size]

    def zeros(self, name: str, size: int) -> FloatArray:
        block = self.get(name, size)
        block.fill(0.0)
        return block


def _synergies(
    index: NetworkIndex,
    model: Model,
    actor: int,
    others: IntArray,
    combined: FloatArray,
    components: list[dict[str, float]],
    places: tuple[list[float], list[bool]],
    selection: Selection,
    with_reasons: bool,
) -> list[Synergy]:
    """The `Synergy` items of one actor's kept others, as `synergies_for_actor` writes them; `places` are
    the distances (km, NaN when unknown) and the border crossings of the pairs."""
    distances, cross = places
    items: list[Synergy] = []
    for position, other in enumerate(others.tolist()):
        distance = distance_or_none(distances[position])
        found_reasons: tuple[Reason, ...] = ()
        if with_reasons:
            for kind in components[position]:
                found_reasons += pair_reasons(index, model, kind, actor, other, distance, selection)
        items.append(
            Synergy(
                kind=COMBINED,
                source=model.keys[actor],
                target=model.keys[other],
                score=float(combined[other]),
                components=components[position],
                distance_km=distance,
                cross_border=bool(cross[position]),
                reasons=found_reasons,
            )
        )
    return items
