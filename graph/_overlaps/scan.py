"""Scores of many pairs at once: sparse products, the distance modulation, the network-wide grid scan.

The Dice numerators of a block of rows come from one sparse product per component; a network-wide scan
puts actors in a grid of cells as wide as the radius and multiplies each cell with its neighbours only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from maillage.graph._overlaps.model import Model
from maillage.graph._overlaps.parameters import DISTANCE_SCALE_KM, KM_PER_DEGREE, FloatArray, IntArray

_BLOCK_CELLS = 4_000_000  # candidate pairs per chunk of a network scan: bounds its memory (~100 MB)
_EPSILON = 1e-12


def distance_km(model: Model, a: int, b: int) -> float:
    """The distance in km between two actors, NaN when a coordinate is missing."""
    return float(model.points.distances_km(np.array([a]), np.array([b]))[0])


def _modulation(distances: FloatArray) -> FloatArray:
    """f(d) = 1 / (1 + d / 50), and 1 where the distance is unknown."""
    known = 1.0 / (1.0 + np.nan_to_num(distances) / DISTANCE_SCALE_KM)
    result: FloatArray = np.where(np.isnan(distances), 1.0, known)
    return result


@dataclass
class Pairs:
    """Pairs of actor rows and their scores, as three parallel arrays."""

    sources: IntArray
    targets: IntArray
    scores: FloatArray

    @staticmethod
    def concat(parts: list[Pairs]) -> Pairs:
        """All the pairs of `parts`, in one copy."""
        return Pairs(
            np.concatenate([np.zeros(0, np.int64), *(p.sources for p in parts)]),
            np.concatenate([np.zeros(0, np.int64), *(p.targets for p in parts)]),
            np.concatenate([np.zeros(0, np.float64), *(p.scores for p in parts)]),
        )


def raw_scores(
    model: Model, rows: IntArray, cols: IntArray | None, weights: tuple[float, float]
) -> tuple[IntArray, IntArray, FloatArray]:
    """``Σ_k weight_k · D_k`` for every pair of rows × cols with a non-zero score, before distance.

    Returns positions in `rows`, positions in `cols` (actor rows when `cols` is None: every actor) and
    scores. One sparse product per component, ``[U | M][rows] · [M | U][cols]ᵀ`` (the Dice numerators),
    divided by the pairs' denominators.
    """
    width = model.n if cols is None else len(cols)
    keys: list[IntArray] = []
    values: list[FloatArray] = []
    for component, weight in ((model.offers, weights[0]), (model.fields, weights[1])):
        if weight <= 0:
            continue
        right_t = component.right_t if cols is None else component.right[cols].T
        product = sparse.csr_array(component.left[rows] @ right_t)
        row_position = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(product.indptr))
        col_position = product.indices.astype(np.int64)
        other = col_position if cols is None else cols[col_position]
        denominators = component.totals[rows[row_position]] + component.totals[other]
        keys.append(row_position * width + col_position)
        values.append(weight * product.data / denominators)
    key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    value = np.concatenate(values) if values else np.zeros(0, np.float64)
    size = len(rows) * width
    if len(key) * 8 >= size:  # dense enough: sum the two components in an array
        total = np.asarray(np.bincount(key, weights=value, minlength=size), dtype=np.float64)
        key = np.flatnonzero(total > _EPSILON)
        value = total[key]
    else:
        key, inverse = np.unique(key, return_inverse=True)
        value = np.asarray(np.bincount(inverse, weights=value), dtype=np.float64)
        keep = value > _EPSILON
        key, value = key[keep], value[keep]
    row_position, col_position = np.divmod(key, width)
    return row_position.astype(np.int64), col_position.astype(np.int64), value.astype(np.float64)


def situate(
    model: Model, sources: IntArray, targets: IntArray, raw: FloatArray, radius_km: float | None
) -> Pairs:
    """Drop the pairs farther than the radius (or not located, when there is one); modulate by f(d)."""
    distances = model.points.distances_km(sources, targets)
    if radius_km is not None:
        keep = ~np.isnan(distances) & (distances <= radius_km)
        sources, targets, raw, distances = sources[keep], targets[keep], raw[keep], distances[keep]
    return Pairs(sources, targets, raw * _modulation(distances))


def _eligible(model: Model, *, radius_km: float | None, include_private: bool) -> IntArray:
    """The actors a scan may pair: public ones (unless `include_private`), located ones under a radius."""
    keep = np.ones(model.n, dtype=np.bool_) if include_private else model.public.copy()
    if radius_km is not None:
        keep &= ~np.isnan(model.points.phi) & ~np.isnan(model.points.lam)
    return np.flatnonzero(keep).astype(np.int64)


def _neighbourhoods(model: Model, actors: IntArray, radius_km: float) -> Iterator[tuple[IntArray, IntArray]]:
    """(actors of a grid cell, actors of its 4 "forward" neighbour cells), for every non-empty cell.

    Cells are at least `radius_km` wide in both directions (1 % margin for the sphere), so two actors
    within the radius sit in the same or adjacent cells, and each adjacent pair of cells is visited once.
    """
    size = max(radius_km, 1e-3) * 1.01
    lat = np.degrees(model.points.phi[actors])
    lon = np.degrees(model.points.lam[actors])
    lat_step = size / KM_PER_DEGREE
    widest = min(float(np.abs(lat).max()), 89.0) if len(actors) else 0.0
    lon_step = lat_step / math.cos(math.radians(widest))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for actor, x, y in zip(
        actors.tolist(), np.floor(lat / lat_step).tolist(), np.floor(lon / lon_step).tolist(), strict=True
    ):
        cells[(int(x), int(y))].append(actor)
    for (x, y), members in sorted(cells.items()):
        forward = [a for dx, dy in ((0, 1), (1, -1), (1, 0), (1, 1)) for a in cells.get((x + dx, y + dy), ())]
        yield np.array(members, dtype=np.int64), np.array(forward, dtype=np.int64)


def scan(
    model: Model,
    weights: tuple[float, float],
    *,
    radius_km: float | None,
    include_private: bool,
    wanted: int | None,
) -> tuple[Pairs, int]:
    """The `wanted` best unordered pairs of the network (all when None) and how many there are.

    Under a radius, each grid cell is compared with itself and its forward neighbours only; without
    one, every eligible actor with every other. Rows go in chunks so that a chunk has at most
    `_BLOCK_CELLS` candidate pairs.
    """
    actors = _eligible(model, radius_km=radius_km, include_private=include_private)
    if radius_km is None:
        groups: Iterable[tuple[IntArray, IntArray]] = [(actors, np.zeros(0, np.int64))]
    else:
        groups = _neighbourhoods(model, actors, radius_km)
    best, count = Pairs.concat([]), 0
    every: list[Pairs] = []
    for own, forward in groups:
        cols = np.concatenate([own, forward])
        chunk = max(1, _BLOCK_CELLS // len(cols))
        for start in range(0, len(own), chunk):
            rows = own[start : start + chunk]
            row_position, col_position, raw = raw_scores(model, rows, cols, weights)
            i, j = rows[row_position], cols[col_position]
            once = (col_position >= len(own)) | (i < j)  # a pair inside a cell is listed once
            i, j, raw = i[once], j[once], raw[once]
            pairs = situate(model, np.minimum(i, j), np.maximum(i, j), raw, radius_km)
            count += len(pairs.scores)
            if wanted is None:
                every.append(pairs)
            else:  # keep the few best as we go: memory O(wanted) beyond one chunk
                best = best_pairs(Pairs.concat([best, pairs]), wanted)
    if wanted is None:
        best = best_pairs(Pairs.concat(every), count)
    return best, count


def best_pairs(pairs: Pairs, limit: int) -> Pairs:
    """The `limit` best pairs, ties by source then target; O(m) selection before sorting the few kept."""
    scores = pairs.scores
    if limit <= 0:
        return Pairs(pairs.sources[:0], pairs.targets[:0], scores[:0])
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold  # ties at the threshold all kept, so the tie-break stays exact
        pairs = Pairs(pairs.sources[keep], pairs.targets[keep], scores[keep])
    order = np.lexsort((pairs.targets, pairs.sources, -pairs.scores))[:limit]
    return Pairs(pairs.sources[order], pairs.targets[order], pairs.scores[order])
