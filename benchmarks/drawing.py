"""Seeded draws for the generator: Zipf popularity, draws without replacement, weighted and local picks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

ZIPF_EXPONENT = 1.0  # popularity of the k-th field or resource ∝ 1 / k
LOCAL_SHARE = 0.75  # partners drawn from the leader's département or provincia


def zipf_log_weights(rng: np.random.Generator, count: int) -> FloatArray:
    """Log-popularity of `count` concepts: a seeded ranking, weight ∝ 1 / rank^ZIPF_EXPONENT."""
    ranks = rng.permutation(count) + 1
    weights: FloatArray = -ZIPF_EXPONENT * np.log(ranks.astype(np.float64))
    return weights


def draw_without_replacement(
    rng: np.random.Generator, log_weights: FloatArray, counts: IntArray
) -> list[list[int]]:
    """For each row, `counts[row]` distinct columns drawn in proportion to the weights (Gumbel top-k)."""
    widest = int(counts.max()) if len(counts) else 0
    if widest == 0:
        return [[] for _ in counts]
    keys = log_weights[None, :] + rng.gumbel(size=(len(counts), len(log_weights)))
    order = np.argsort(-keys, axis=1, kind="stable")[:, :widest]
    return [row[:count].tolist() for row, count in zip(order, counts.tolist(), strict=True)]


def cumulative(weights: FloatArray) -> FloatArray:
    """Normalised cumulative weights (the last is 1)."""
    total = np.cumsum(weights)
    result: FloatArray = total / total[-1]
    return result


def pick(rng: np.random.Generator, cumulative: FloatArray, size: int) -> IntArray:
    """`size` indices drawn with replacement from normalised cumulative weights."""
    picked: IntArray = np.searchsorted(cumulative, rng.random(size), side="right").astype(np.int64)
    return np.minimum(picked, len(cumulative) - 1)


@dataclass
class Actors:
    """The drawn attributes of every actor, as arrays (row i is the actor ``acteur-{i:06d}``)."""

    keys: list[str]
    place: IntArray
    zone: IntArray
    activity: FloatArray
    start: IntArray  # membership start, days since the network's start
    fields: list[list[int]]


def keys(prefix: str, count: int) -> list[str]:
    """``prefix-000000`` … (six digits at least), so that key order is number order."""
    width = max(6, len(str(count)))
    return [f"{prefix}-{i:0{width}d}" for i in range(count)]


def local_pickers(actors: Actors) -> tuple[list[IntArray], list[FloatArray]]:
    """Per zone: its actors and their cumulative activity, to draw local partners."""
    members: list[IntArray] = []
    weights: list[FloatArray] = []
    for zone in range(int(actors.zone.max()) + 1):
        inside = np.flatnonzero(actors.zone == zone).astype(np.int64)
        members.append(inside)
        weights.append(cumulative(actors.activity[inside]) if len(inside) else np.zeros(0))
    return members, weights


def partners(
    rng: np.random.Generator,
    actors: Actors,
    leaders: IntArray,
    pickers: tuple[list[IntArray], list[FloatArray]],
    global_cumulative: FloatArray,
) -> IntArray:
    """One partner per leader: in the leader's zone with probability LOCAL_SHARE, else anywhere."""
    members, weights = pickers
    result = pick(rng, global_cumulative, len(leaders))
    local = rng.random(len(leaders)) < LOCAL_SHARE
    draws = rng.random(len(leaders))
    zones = actors.zone[leaders]
    for zone, inside in enumerate(members):
        chosen = np.flatnonzero(local & (zones == zone))
        if len(chosen) and len(inside):
            picked = np.searchsorted(weights[zone], draws[chosen], side="right")
            result[chosen] = inside[np.minimum(picked, len(inside) - 1)]
    return result
