"""The numeric kernels of the layout: a force model for one component, a pass that keeps discs apart.

They work on numpy arrays of node indices and coordinates; :mod:`maillage.viz.layout` turns graphs into
those arrays and the results into a picture.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

GRAVITY = 8.0
"""Pull of each node towards the centre of its component, per unit of mass, in the force model. Without it,
leaves drift far out and the picture, fitted to its farthest nodes, squeezes everyone else in the middle;
with it a component fills a disc evenly and its clusters stay visible (a chain of three comes out as a V)."""

OVERLAP_ROUNDS = 50
"""Most rounds of :func:`separate_discs` (each one pushes every overlapping pair apart)."""

_ROW_CHUNK = 128  # rows of the pairwise matrices held at once: memory O(128 · n), fast in cache


def force_layout(
    count: int,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    *,
    seed: int,
    iterations: int,
) -> np.ndarray:
    """Place the *count* nodes of one connected component by a force model; return an ``(count, 2)`` array.

    Fruchterman–Reingold (optimal distance ``k = 1/√n`` in the unit square, attraction ``d²/k`` times the
    edge weight, repulsion ``k²/d``, linear cooling from a random start drawn from *seed*) with two
    changes taken from ForceAtlas2: nodes repel in proportion to their masses ``1 + degree`` (normalised
    to a mean of 1), so hubs push each other apart and keep their neighbours round them instead of piling
    up in the middle; and a gravity ``GRAVITY × mass × offset`` pulls every node towards the centre, so
    the component fills a disc evenly.

    Parameters
    ----------
    count
        Number of nodes, numbered ``0 … count - 1``.
    sources, targets, weights
        The edges, as two integer arrays of node numbers and an array of weights ≥ 0.
    seed, iterations
        Seed of the random start, and number of rounds.

    Notes
    -----
    Cost: O(count² · iterations) time, O(128 · count) memory: about ten times faster than
    ``networkx.spring_layout`` at 2,000 nodes, because it works on two coordinate arrays in row blocks
    instead of an ``n × n × 2`` array.

    Examples
    --------
    >>> chain = (np.array([0, 1]), np.array([1, 2]), np.ones(2))  # 0 – 1 – 2
    >>> points = force_layout(3, *chain, seed=7, iterations=50)
    >>> points.shape, bool((points == force_layout(3, *chain, seed=7, iterations=50)).all())
    ((3, 2), True)
    """
    rng = np.random.default_rng(seed)
    x, y = rng.random((2, count))
    mass = 1.0 + np.bincount(sources, minlength=count) + np.bincount(targets, minlength=count)
    mass /= mass.mean()
    k = math.sqrt(1.0 / count)
    k_squared = k * k
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    force_x = np.empty(count)
    force_y = np.empty(count)
    for _ in range(iterations):
        for start in range(0, count, _ROW_CHUNK):
            stop = min(count, start + _ROW_CHUNK)
            dx = x[start:stop, None] - x[None, :]
            dy = y[start:stop, None] - y[None, :]
            factor = dx * dx
            factor += dy * dy
            np.maximum(factor, 1e-4, out=factor)  # coincident nodes push apart, but finitely
            np.divide(k_squared, factor, out=factor)
            factor *= mass[None, :]
            force_x[start:stop] = (dx * factor).sum(axis=1)
            force_y[start:stop] = (dy * factor).sum(axis=1)
        force_x *= mass
        force_y *= mass
        force_x -= GRAVITY * mass * (x - x.mean())
        force_y -= GRAVITY * mass * (y - y.mean())
        edge_dx = x[sources] - x[targets]
        edge_dy = y[sources] - y[targets]
        pull = weights * np.sqrt(edge_dx * edge_dx + edge_dy * edge_dy) / k
        pull_x = edge_dx * pull
        pull_y = edge_dy * pull
        force_x -= np.bincount(sources, pull_x, count)
        force_x += np.bincount(targets, pull_x, count)
        force_y -= np.bincount(sources, pull_y, count)
        force_y += np.bincount(targets, pull_y, count)
        length = np.sqrt(force_x * force_x + force_y * force_y)
        np.maximum(length, 0.01, out=length)
        step = temperature / length
        x += force_x * step
        y += force_y * step
        temperature -= cooling
    return np.column_stack((x, y))


def principal_axes(coordinates: np.ndarray) -> np.ndarray:
    """Centre the points and turn them so their longest extent is horizontal (screens are landscape).

    Each axis is oriented so that its largest component is positive, which makes the result depend only
    on the points, not on the eigen-solver's choice of sign.

    Examples
    --------
    >>> principal_axes(np.array([[0.0, 0.0], [0.0, 2.0], [0.0, 4.0]])).round(6).tolist()
    [[-2.0, 0.0], [0.0, 0.0], [2.0, 0.0]]
    """
    centred = coordinates - coordinates.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)  # eigenvalues ascending: the major axis is last
    axes = vectors[:, ::-1].copy()
    for column in range(2):
        if axes[np.argmax(np.abs(axes[:, column])), column] < 0:
            axes[:, column] *= -1
    turned: np.ndarray = centred @ axes + 0.0  # + 0.0 turns -0.0 into 0.0
    return turned


def separate_discs(coordinates: np.ndarray, radii: np.ndarray, *, gap: float) -> np.ndarray:
    """Push apart the discs that overlap or come closer than *gap*; return the new centres.

    Each round, every pair of discs too close moves apart along the line of their centres, each by half
    of what is missing (coincident centres part along a direction fixed by their indices), so the picture
    keeps its shape; rounds stop when no pair is too close, or after ``OVERLAP_ROUNDS``.

    Notes
    -----
    Cost per round: a k-d tree query, O(n log n) plus the pairs found.

    Examples
    --------
    >>> separate_discs(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([10.0, 10.0]), gap=4.0).tolist()
    [[-7.0, 0.0], [17.0, 0.0]]
    """
    points = np.array(coordinates, dtype=float)
    if len(points) < 2:
        return points
    reach = 2 * float(radii.max()) + gap
    for _ in range(OVERLAP_ROUNDS):
        pairs = cKDTree(points).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            break
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]  # a fixed order keeps the sums reproducible
        first, second = pairs[:, 0], pairs[:, 1]
        offset = points[second] - points[first]
        distance = np.sqrt((offset * offset).sum(axis=1))
        needed = radii[first] + radii[second] + gap
        short = distance < needed * (1 - 1e-9)
        if not short.any():
            break
        first, second, offset, distance, needed = (
            first[short],
            second[short],
            offset[short],
            distance[short],
            needed[short],
        )
        stacked = distance < 1e-9
        angle = first[stacked] * 2.399963 + second[stacked]  # golden angle: distinct directions
        offset[stacked] = np.column_stack((np.cos(angle), np.sin(angle)))
        distance[stacked] = 1.0
        push = offset * ((needed - distance) / (2 * distance))[:, None]
        moves = np.zeros_like(points)
        np.add.at(moves, first, -push)
        np.add.at(moves, second, push)
        points += moves
    return points
