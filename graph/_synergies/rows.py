"""One actor against all others: a row of scores, its distances and filters, and the helpers of reasons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maillage.graph._synergies.model import Model
from maillage.graph._synergies.parameters import DISTANCE_SCALE_KM, EPSILON, FloatArray, IntArray
from maillage.graph.index import SparseMatrix


@dataclass
class Row:
    """Scores of one actor against some others, with their distances."""

    others: IntArray
    scores: FloatArray
    distances: FloatArray  # NaN when a coordinate is missing


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
    *,
    include_private: bool,
    radius_km: float | None,
    excluded: IntArray | None = None,
) -> Row:
    """The row without the actor itself, zero scores, private persons, far actors and `excluded`."""
    keep = (row.others != actor) & (row.scores > EPSILON)
    if not include_private:
        keep &= model.public[row.others]
    if radius_km is not None:
        keep &= ~np.isnan(row.distances) & (row.distances <= radius_km)
    if excluded is not None and len(excluded):
        keep &= ~np.isin(row.others, excluded)
    return Row(row.others[keep], row.scores[keep], row.distances[keep])


def top_positions(keys: IntArray, scores: FloatArray, limit: int | None) -> IntArray:
    """Positions of the best scores, ties broken by key order (actors are sorted by key)."""
    order = np.lexsort((keys, -scores)).astype(np.int64)
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
