"""One actor against all others: a row of scores, its distances and filters, and the helpers of reasons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maillage.graph._synergies.filters import Selection
from maillage.graph._synergies.model import Model
from maillage.graph._synergies.parameters import (
    DISTANCE_SCALE_KM,
    EPSILON,
    RANK_DECIMALS,
    FloatArray,
    IntArray,
)
from maillage.graph.index import SparseMatrix


@dataclass
class Row:
    """Scores of one actor against some others, with their distances.

    `distances` is None when they were not needed to score or filter (affinity, triangles without a
    radius): `distance_at` then measures the few that are shown.
    """

    others: IntArray
    scores: FloatArray
    distances: FloatArray | None  # NaN where a coordinate is missing

    def distance_at(self, model: Model, actor: int, position: int) -> float | None:
        """The distance from `actor` to ``others[position]``, in km (None when unknown)."""
        if self.distances is not None:
            return distance_or_none(float(self.distances[position]))
        return distance_or_none(float(distances_km(model, actor, self.others[position : position + 1])[0]))


def distances_km(model: Model, rows: IntArray | int, others: IntArray) -> FloatArray:
    """Great-circle distances from `rows` to `others` (NaN where a coordinate is missing)."""
    return model.points.distances_km(rows, others)


def modulation(distances: FloatArray) -> FloatArray:
    """f(d) = 1 / (1 + d / 50), and 1 where the distance is unknown."""
    known = 1.0 / (1.0 + np.nan_to_num(distances) / DISTANCE_SCALE_KM)
    result: FloatArray = np.where(np.isnan(distances), 1.0, known)
    return result


def sparse_row(product: SparseMatrix) -> tuple[IntArray, FloatArray]:
    """Columns and values of a one-row sparse product."""
    row = product.tocsr()  # a product has no duplicate entries: no need to sort them
    return row.indices.astype(np.int64), row.data.astype(np.float64)


def filter_row(
    model: Model,
    actor: int,
    row: Row,
    selection: Selection,
    *,
    unlinked: bool = False,
    about_resources: bool = True,
) -> Row:
    """The row without zero scores and without the others the filters drop (`Selection.others`)."""
    keep = (row.scores > EPSILON) & selection.others(
        model, actor, row.others, row.distances, unlinked=unlinked, about_resources=about_resources
    )
    distances = None if row.distances is None else row.distances[keep]
    return Row(row.others[keep], row.scores[keep], distances)


def page_positions(keys: IntArray, scores: FloatArray, limit: int | None, offset: int = 0) -> IntArray:
    """Positions of the best scores from `offset` on, at most `limit` of them (ties by key order)."""
    order = top_positions(keys, scores, None if limit is None else offset + limit)
    return order[offset:]


def rank_key(scores: FloatArray) -> FloatArray:
    """Scores as they are ranked: rounded to 10 decimals, so that two scores equal by their formula but
    computed along different paths (distances north and south, say) tie and fall back to key order."""
    rounded: FloatArray = np.round(scores, RANK_DECIMALS)
    return rounded


def top_positions(keys: IntArray, scores: FloatArray, limit: int | None) -> IntArray:
    """Positions of the best scores, ties broken by key order (actors are sorted by key).

    O(m) selection of the `limit` best (ties at the threshold all kept, so the tie-break stays exact),
    then a sort of those only.
    """
    ranked = rank_key(scores)
    candidates = np.arange(len(ranked), dtype=np.int64)
    if limit is not None and len(ranked) > limit:
        if limit == 0:
            return candidates[:0]
        threshold = np.partition(ranked, len(ranked) - limit)[len(ranked) - limit]
        candidates = np.flatnonzero(ranked >= threshold).astype(np.int64)
    order = candidates[np.lexsort((keys[candidates], -ranked[candidates]))]
    return order if limit is None else order[:limit]


def crosses_border(model: Model, a: int, b: int) -> bool:
    """True when both countries are known and differ."""
    ca, cb = model.countries[a], model.countries[b]
    return ca is not None and cb is not None and ca != cb


def distance_or_none(value: float) -> float | None:
    """None for NaN (unknown distance), else the float."""
    return None if np.isnan(value) else float(value)


def row_entries(matrix: SparseMatrix, row: int) -> dict[int, float]:
    """column → value of one row of a CSR matrix."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))
