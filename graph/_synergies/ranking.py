"""Every kind ranked together: an actor's combined ranking, the network maxima, the network's best pairs.

Per-actor questions cost one sparse row product per kind; network-wide questions scan the pair
products in blocks of rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from maillage.graph._synergies.affinity import affinity_reasons, affinity_row
from maillage.graph._synergies.checks import check_kinds, check_limit, check_radius, check_weights
from maillage.graph._synergies.complementarity import complementarity_reasons, complementarity_row
from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import (
    AFFINITY,
    COMBINED,
    COMPLEMENTARITY,
    EPSILON,
    KINDS,
    FloatArray,
    IntArray,
)
from maillage.graph._synergies.results import Reason, Synergy
from maillage.graph._synergies.rows import (
    Row,
    crosses_border,
    distance_or_none,
    distances_km,
    modulation,
    top_positions,
)
from maillage.graph.index import NetworkIndex

_BLOCK_ROWS = 1024  # rows per block in network scans: bounds memory at ~ block × n products


def synergies_for_actor(
    index: NetworkIndex,
    actor_key: str,
    *,
    kinds: Collection[str] = KINDS,
    limit: int | None = 20,
    radius_km: float | None = None,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> list[Synergy]:
    """The combined ranking of an actor's synergies: one item per other actor, every kind summed.

    ``combined(A, B) = Σ_k weights[k] · score_k(A, B) / max_k``, where ``max_k`` is the best score of
    kind k over the whole network (`max_scores`) and complementarity is A needs → B offers. Default
    weights: ``{"complementarite": 1.0, "affinite": 0.5}`` (`DEFAULT_WEIGHTS`); a kind whose network
    maximum is 0 adds nothing.

    Parameters
    ----------
    kinds : collection of str, optional
        Among `KINDS`.
    weights : mapping, optional
        Overrides some or all of `DEFAULT_WEIGHTS`.
    index, actor_key, limit, radius_km, include_private
        As in `complementarities`; the radius applies to every kind.

    Returns
    -------
    list of Synergy
        Of kind ``"combine"``, source `actor_key`; `components` holds the raw score of each kind that
        contributed, `reasons` the complementarity reasons then the affinity ones.

    Raises
    ------
    UnknownActorError
        For an unknown key. `ValueError` for an unknown kind or a negative weight, limit or radius.

    Notes
    -----
    Cost: one sparse row product per kind. The network maxima are computed once per index by a full
    scan (see `network_synergies`); warm them with `max_scores` after a rebuild on large networks.

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4), s.kinds) for s in synergies_for_actor(index, "ferme")]
    [('tiers-lieu', 1.5, ('complementarite', 'affinite')), \
('garraio', 0.6437, ('complementarite', 'affinite'))]
    """
    actor = index.row(actor_key)
    chosen = check_kinds(kinds)
    weight = check_weights(weights)
    check_limit(limit)
    check_radius(radius_km)
    model = model_of(index)
    maxima = max_scores(index, include_private=include_private)

    rows: dict[str, Row] = {}
    for kind in chosen:
        if kind == COMPLEMENTARITY:
            rows[kind] = complementarity_row(
                model, actor, direction="needs", include_private=include_private, radius_km=radius_km
            )
        else:
            rows[kind] = affinity_row(
                index, model, actor, include_private=include_private, radius_km=radius_km
            )

    combined = np.zeros(model.n, dtype=np.float64)
    components: dict[int, dict[str, float]] = {}
    distances: dict[int, float] = {}
    for kind, row in rows.items():
        if maxima[kind] <= 0:
            continue
        combined[row.others] += weight[kind] * row.scores / maxima[kind]
        entries = zip(row.others.tolist(), row.scores.tolist(), row.distances.tolist(), strict=True)
        for other, score, distance in entries:
            components.setdefault(other, {})[kind] = score
            distances[other] = distance
    candidates = np.array(sorted(components), dtype=np.int64)
    results: list[Synergy] = []
    for i in top_positions(candidates, combined[candidates], limit):
        other = int(candidates[i])
        distance = distance_or_none(distances[other])
        reasons: tuple[Reason, ...] = ()
        if COMPLEMENTARITY in components[other]:
            reasons += complementarity_reasons(index, model, actor, other, distance)
        if AFFINITY in components[other]:
            reasons += affinity_reasons(index, model, actor, other, distance)
        results.append(
            Synergy(
                kind=COMBINED,
                source=model.keys[actor],
                target=model.keys[other],
                score=float(combined[other]),
                components={k: components[other][k] for k in KINDS if k in components[other]},
                distance_km=distance,
                cross_border=crosses_border(model, actor, other),
                reasons=reasons,
            )
        )
    return results


@dataclass
class _Scan:
    sources: IntArray
    targets: IntArray
    scores: FloatArray
    max_all: float
    max_public: float


def _best(
    sources: IntArray, targets: IntArray, scores: FloatArray, limit: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """The `limit` best pairs, ties by source then target; O(m) selection before sorting the few kept."""
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold  # ties at the threshold all kept, so the tie-break stays exact
        sources, targets, scores = sources[keep], targets[keep], scores[keep]
    order = np.lexsort((targets, sources, -scores))[:limit]
    return sources[order], targets[order], scores[order]


def _scan(index: NetworkIndex, model: Model, kind: str, *, limit: int, include_private: bool) -> _Scan:
    """Every scored pair of one kind, block by block, keeping the best `limit` and the maxima."""
    n = model.n
    best_i = np.zeros(0, dtype=np.int64)
    best_j = np.zeros(0, dtype=np.int64)
    best_s = np.zeros(0, dtype=np.float64)
    max_all = max_public = 0.0
    for start in range(0, n, _BLOCK_ROWS):
        end = min(n, start + _BLOCK_ROWS)
        if kind == COMPLEMENTARITY:
            block = (model.weighted_needs[start:end] @ model.match_t).tocsr()
        else:
            block = (model.field_vectors[start:end] @ model.field_vectors_t).tocsr()
        i = (np.repeat(np.arange(end - start), np.diff(block.indptr)) + start).astype(np.int64)
        j = block.indices.astype(np.int64)
        s = block.data.astype(np.float64)
        if kind == COMPLEMENTARITY:
            keep = i != j
            s = s * modulation(distances_km(model, i, j))
        else:
            keep = i < j  # unordered pairs, once
            keep &= ~np.isin(i * n + j, model.linked_codes)
        keep &= s > EPSILON
        i, j, s = i[keep], j[keep], s[keep]
        if len(s):
            max_all = max(max_all, float(s.max()))
        public = model.public[i] & model.public[j]
        if public.any():
            max_public = max(max_public, float(s[public].max()))
        if not include_private:
            i, j, s = i[public], j[public], s[public]
        if limit:
            i, j, s = _best(i, j, s, limit)
            best_i, best_j, best_s = _best(
                np.concatenate([best_i, i]), np.concatenate([best_j, j]), np.concatenate([best_s, s]), limit
            )
    model.maxima[(kind, True)] = max_all
    model.maxima[(kind, False)] = max_public
    return _Scan(best_i, best_j, best_s, max_all, max_public)


def max_scores(index: NetworkIndex, *, include_private: bool = False) -> dict[str, float]:
    """The best score of each kind over the network (pairs of public actors unless `include_private`).

    They normalise the combined ranking. Computed once per index by a full scan of the network, in
    blocks of rows (cost O(nnz of the pair products)), then cached in `index.derived`.

    Examples
    --------
    >>> {kind: round(score, 4) for kind, score in max_scores(_example_index()).items()}
    {'complementarite': 2.2185, 'affinite': 0.6322}
    """
    model = model_of(index)
    for kind in KINDS:
        if (kind, include_private) not in model.maxima:
            _scan(index, model, kind, limit=0, include_private=include_private)
    return {kind: model.maxima[(kind, include_private)] for kind in KINDS}


def network_synergies(
    index: NetworkIndex,
    *,
    kinds: Collection[str] = KINDS,
    limit: int = 50,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> list[Synergy]:
    """The best pairs of the whole network, every requested kind ranked together.

    Complementarity pairs are directed (source needs → target offers); affinity pairs are unordered and
    listed once (source = the smaller key). Items of different kinds are ranked by
    ``weights[k] · score / max_scores(index)[k]``, ties by source then target key; each item keeps its
    own kind and raw score. Private persons appear on neither side unless `include_private`.

    Parameters
    ----------
    kinds, weights, include_private
        As in `synergies_for_actor`.
    limit : int, optional
        How many pairs in all.

    Returns
    -------
    list of Synergy

    Notes
    -----
    A batch job: it computes every pair product in blocks of rows, O(nnz of N·idf·Mᵀ and X·Xᵀ) time
    and O(block × n) memory.

    Examples
    --------
    >>> [(s.kind, s.source, s.target) for s in network_synergies(_example_index(), limit=3)]
    [('complementarite', 'ferme', 'tiers-lieu'), ('affinite', 'ferme', 'tiers-lieu'), \
('complementarite', 'ferme', 'garraio')]
    """
    chosen = check_kinds(kinds)
    weight = check_weights(weights)
    check_limit(limit)
    model = model_of(index)
    items: list[tuple[float, int, int, int, str, float]] = []
    for rank, kind in enumerate(chosen):
        scan = _scan(index, model, kind, limit=limit, include_private=include_private)
        top = scan.max_all if include_private else scan.max_public
        if top <= 0:
            continue
        for i, j, s in zip(scan.sources.tolist(), scan.targets.tolist(), scan.scores.tolist(), strict=True):
            items.append((-weight[kind] * s / top, i, j, rank, kind, s))
    items.sort()
    results: list[Synergy] = []
    for _rank_score, i, j, _kind_rank, kind, score in items[:limit]:
        distance = distance_or_none(float(distances_km(model, i, np.array([j], dtype=np.int64))[0]))
        reasons = (
            complementarity_reasons(index, model, i, j, distance)
            if kind == COMPLEMENTARITY
            else affinity_reasons(index, model, i, j, distance)
        )
        results.append(
            Synergy(
                kind=kind,
                source=model.keys[i],
                target=model.keys[j],
                score=score,
                components={kind: score},
                distance_km=distance,
                cross_border=crosses_border(model, i, j),
                reasons=reasons,
            )
        )
    return results
