"""Every kind ranked together: an actor's combined ranking, the network maxima, the network's best items.

Per-actor questions cost one sparse row product per kind; network-wide questions scan the pair
products in blocks of rows (`maillage.graph._synergies.scan`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from maillage.graph._synergies.affinity import affinity_reasons, affinity_row
from maillage.graph._synergies.checks import check_limit, check_offset, check_weights, split_kinds
from maillage.graph._synergies.complementarity import complementarity_reasons, complementarity_row
from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.filters import Selection, crosses, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import (
    AFFINITY,
    COMBINED,
    COMPLEMENTARITY,
    KINDS,
    POOLING,
    RANK_DECIMALS,
    FloatArray,
)
from maillage.graph._synergies.pooling import (
    group_items,
    groups_of,
    listed_members,
    pooling_reasons,
    pooling_result,
    pooling_row,
)
from maillage.graph._synergies.results import Pooling, Ranked, Reason, Synergy
from maillage.graph._synergies.rows import Row, distance_or_none, distances_km, page_positions
from maillage.graph._synergies.scan import best_pairs, maximum
from maillage.graph._synergies.triangles import triangle_reasons, triangle_row
from maillage.graph.index import NetworkIndex


def synergies_for_actor(
    index: NetworkIndex,
    actor_key: str,
    *,
    kinds: Collection[str] = KINDS,
    limit: int | None = 20,
    offset: int = 0,
    radius_km: float | None = None,
    field: str | None = None,
    resource: str | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    exclude_linked: bool = False,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> Ranked[Synergy]:
    """The combined ranking of an actor's synergies: one item per other actor, every kind summed.

    ``combined(A, B) = Σ_k weights[k] · score_k(A, B) / max_k``, where ``max_k`` is the best score of
    kind k over the whole network (`max_scores`): complementarity (A needs → B offers), pooling (A and B
    both need a short resource, in the same group), affinity, closing triangle. Default weights
    (`DEFAULT_WEIGHTS`): complementarite 1, mutualisation 0.75, affinite 0.5, triangle 0.5; a kind
    whose network maximum is 0 adds nothing.

    Parameters
    ----------
    kinds : collection of str, optional
        Among `KINDS`; « transfrontalier » adds ``cross_border_only`` (alone: every kind).
    weights : mapping, optional
        Overrides some or all of `DEFAULT_WEIGHTS`.
    index, actor_key, limit, offset, radius_km, field, territory, cross_border_only, exclude_linked, \
include_private
        As in `complementarities`; the filters apply to every kind (affinity and triangles never pair
        linked actors).
    resource : str, optional
        Only the needs of this resource (or a narrower one) count for complementarity and pooling;
        affinity and triangles keep the actors that offer or need it.

    Returns
    -------
    Ranked of Synergy
        Of kind ``"combine"``, source `actor_key`; `components` holds the raw score of each kind that
        contributed, `reasons` their reasons in `KINDS` order; `total` counts every other actor found.

    Raises
    ------
    UnknownActorError
        For an unknown key. `UnknownFilterError` (a `ValueError`) for an unknown filter key;
        `ValueError` for an unknown kind, a negative weight, limit, offset or radius.

    Notes
    -----
    Cost: one sparse row product per kind (the triangle one walks the 2-hop neighbourhood). The network
    maxima are computed once per index by a full scan (see `network_synergies`); warm them with
    `max_scores` after a rebuild on large networks.

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4), s.kinds) for s in synergies_for_actor(index, "ferme")]
    [('tiers-lieu', 1.5, ('complementarite', 'affinite')), \
('garraio', 0.6437, ('complementarite', 'affinite'))]
    """
    actor = index.row(actor_key)
    chosen, border = split_kinds(kinds)
    weight = check_weights(weights)
    check_limit(limit)
    check_offset(offset)
    model = model_of(index)
    selection = select(
        index,
        model,
        field=field,
        resource=resource,
        radius_km=radius_km,
        territory=territory,
        cross_border_only=cross_border_only or border,
        exclude_linked=exclude_linked,
        include_private=include_private,
    )
    maxima = max_scores(index, include_private=include_private)

    combined = np.zeros(model.n, dtype=np.float64)
    found = np.zeros(model.n, dtype=np.bool_)
    raw: dict[str, FloatArray] = {}  # kind -> score against every actor (0 where none)
    for kind in chosen:
        if maxima[kind] <= 0:
            continue
        row = _actor_row(index, model, kind, actor, selection)
        combined[row.others] += weight[kind] * row.scores / maxima[kind]
        found[row.others] = True
        raw[kind] = np.zeros(model.n, dtype=np.float64)
        raw[kind][row.others] = row.scores
    candidates = np.flatnonzero(found).astype(np.int64)
    shown = candidates[page_positions(candidates, combined[candidates], limit, offset)]
    distances = distances_km(model, actor, shown)
    results: list[Synergy] = []
    for other, measured in zip(shown.tolist(), distances.tolist(), strict=True):
        distance = distance_or_none(measured)
        components = {kind: float(raw[kind][other]) for kind in KINDS if kind in raw and raw[kind][other] > 0}
        reasons: tuple[Reason, ...] = ()
        for kind in components:
            reasons += pair_reasons(index, model, kind, actor, other, distance, selection)
        results.append(
            Synergy(
                kind=COMBINED,
                source=model.keys[actor],
                target=model.keys[other],
                score=float(combined[other]),
                components=components,
                distance_km=distance,
                cross_border=_crosses(model, actor, other),
                reasons=reasons,
            )
        )
    return Ranked(results, total=len(candidates))


def _actor_row(index: NetworkIndex, model: Model, kind: str, actor: int, selection: Selection) -> Row:
    if kind == COMPLEMENTARITY:
        return complementarity_row(model, actor, direction="needs", selection=selection)
    if kind == POOLING:
        groups = groups_of(index, model, include_private=selection.include_private)
        return pooling_row(model, groups, actor, selection)
    if kind == AFFINITY:
        return affinity_row(model, actor, selection)
    return triangle_row(model, actor, selection)


def pair_reasons(
    index: NetworkIndex,
    model: Model,
    kind: str,
    a: int,
    b: int,
    distance: float | None,
    selection: Selection,
) -> tuple[Reason, ...]:
    """The reasons of one kind for the pair (a, b); for complementarity a needs and b offers."""
    if kind == COMPLEMENTARITY:
        return complementarity_reasons(index, model, a, b, distance, selection)
    if kind == POOLING:
        groups = groups_of(index, model, include_private=selection.include_private)
        return pooling_reasons(index, model, groups, a, b, distance, selection)
    if kind == AFFINITY:
        return affinity_reasons(index, model, a, b, distance)
    return triangle_reasons(index, model, a, b, distance, selection)


def _crosses(model: Model, a: int, b: int) -> bool:
    return bool(crosses(model, np.array([a]), np.array([b]))[0])


def max_scores(index: NetworkIndex, *, include_private: bool = False) -> dict[str, float]:
    """The best pair score of each kind over the network (pairs of public actors unless `include_private`).

    They normalise the combined ranking. Computed once per index by a full scan of the network, in
    blocks of rows (cost O(nnz of the pair products)), then cached in `index.derived`. For pooling it
    is the best *pair* score; `network_synergies` normalises pooling groups by the best group score.

    Examples
    --------
    >>> {kind: round(score, 4) for kind, score in max_scores(_example_index()).items()}
    {'complementarite': 2.2185, 'mutualisation': 0.0, 'affinite': 0.6322, 'triangle': 0.0}
    """
    model = model_of(index)
    return {kind: maximum(index, model, kind, include_private=include_private) for kind in KINDS}


def network_synergies(
    index: NetworkIndex,
    *,
    kinds: Collection[str] = KINDS,
    limit: int = 50,
    offset: int = 0,
    weights: Mapping[str, float] | None = None,
    radius_km: float | None = None,
    field: str | None = None,
    resource: str | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    exclude_linked: bool = False,
    include_private: bool = False,
) -> Ranked[Synergy | Pooling]:
    """The best items of the whole network, every requested kind ranked together.

    Complementarity pairs are directed (source needs → target offers); pooling items are groups
    (`Pooling`, see `poolings`); affinity and triangle pairs are unordered and listed once (source =
    the smaller key). Items are ranked by ``weights[k] · score / max_k``, where ``max_k`` is the best
    pair score of kind k (`max_scores`) or, for pooling groups, the best group score; ties by source
    (first member) then target key. Each item keeps its own kind and raw score.

    Parameters
    ----------
    kinds, weights, include_private
        As in `synergies_for_actor`.
    limit, offset : int, optional
        Paging over the merged ranking; the result's `total` counts every item that passed.
    radius_km : float, optional
        Pairs at most this far apart; groups whose members are all at most this far from one another.
    field, territory : str, optional
        A pair passes when either actor declares the field (or a narrower one) / is based in the
        territory; a group lists the members that do and is kept with at least 2 of them.
    resource : str, optional
        Complementarity counts only needs of this resource (or a narrower one), pooling keeps its
        groups, affinity and triangles keep pairs where either actor offers or needs it.
    cross_border_only, exclude_linked : bool, optional
        Pairs across the border, groups spanning it / pairs not linked yet (groups are not pairs: they
        stay).

    Returns
    -------
    Ranked of Synergy or Pooling

    Notes
    -----
    A batch job: it computes every pair product in blocks of rows, O(nnz of N·idf·Mᵀ, P·Pᵀ, X·Xᵀ and
    A·W·A) time and O(block × n) memory.

    Examples
    --------
    >>> [(s.kind, s.source, s.target) for s in network_synergies(_example_index(), limit=3)]
    [('complementarite', 'ferme', 'tiers-lieu'), ('affinite', 'ferme', 'tiers-lieu'), \
('complementarite', 'ferme', 'garraio')]
    """
    chosen, border = split_kinds(kinds)
    weight = check_weights(weights)
    check_limit(limit)
    check_offset(offset)
    model = model_of(index)
    selection = select(
        index,
        model,
        field=field,
        resource=resource,
        radius_km=radius_km,
        territory=territory,
        cross_border_only=cross_border_only or border,
        exclude_linked=exclude_linked,
        include_private=include_private,
    )
    maxima = max_scores(index, include_private=include_private)
    # (rank score, first row, second row, kind rank, kind, raw score, distance or group)
    items: list[tuple[float, int, int, int, str, float, float]] = []
    total = 0
    for rank, kind in enumerate(chosen):
        if kind == POOLING:
            groups = groups_of(index, model, include_private=include_private)
            found = group_items(index, model, groups, selection)
            total += len(found)
            for score, group, first in found:
                rank_score = round(weight[kind] * score / groups.best, RANK_DECIMALS)
                items.append(
                    (-rank_score, first, model.n + int(groups.resource[group]), rank, kind, score, group)
                )
            continue
        if maxima[kind] <= 0:
            continue  # no pair of this kind at all
        pairs, count = best_pairs(index, model, kind, selection, keep=limit + offset)
        total += count
        for i, j, s, d in zip(
            pairs.first.tolist(),
            pairs.second.tolist(),
            pairs.scores.tolist(),
            pairs.distances.tolist(),
            strict=True,
        ):
            items.append((-round(weight[kind] * s / maxima[kind], RANK_DECIMALS), i, j, rank, kind, s, d))
    items.sort(key=lambda item: item[:4])
    results: list[Synergy | Pooling] = []
    for _rank_score, i, j, _kind_rank, kind, score, extra in items[offset : offset + limit]:
        if kind == POOLING:
            groups = groups_of(index, model, include_private=include_private)
            listed = listed_members(model, groups, int(extra), selection)
            assert listed is not None  # it passed in `group_items`
            results.append(pooling_result(index, model, groups, int(extra), listed))
            continue
        distance = distance_or_none(extra)
        results.append(
            Synergy(
                kind=kind,
                source=model.keys[i],
                target=model.keys[j],
                score=score,
                components={kind: score},
                distance_km=distance,
                cross_border=_crosses(model, i, j),
                reasons=pair_reasons(index, model, kind, i, j, distance, selection),
            )
        )
    return Ranked(results, total=total)
