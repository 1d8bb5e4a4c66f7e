"""Pooling (« mutualisation »): nearby actors that need a resource nobody, or too few, offer in the network.

A resource r is *short* when ``demand(r) ≥ 2`` and ``supply(r) < demand(r) / 3``, where ``demand(r)``
counts the actors needing r itself and ``supply(r) = Σ_B match(B, r)`` the actors offering it (1), or a
concept one or two `skos:broader` steps away on the same line (0.5, 0.25), as for complementarity.
``rarity(r) = 1 − 3 · supply(r) / demand(r)`` (1 when nobody offers it). The actors needing a short
resource are grouped around centres: the needer with the most needers within 25 km, and those needers,
form the first group; and so on with the needers left (actors without coordinates form a group of their
own). Groups of at least 2 are pooling opportunities, ``score(group) = len(members) · rarity(r)``.
Between two members of a group, the pair score used by the combined ranking is
``pool(A, B) = f(d) · Σ_{r: A, B in the same group of r} rarity(r)``. See `maillage.graph.synergies`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from maillage.graph._synergies.checks import check_limit, check_offset, check_radius
from maillage.graph._synergies.example import _example_links_index  # noqa: F401 - the docstrings call it
from maillage.graph._synergies.filters import Selection, crosses, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import (
    POOLING_MIN_ACTORS,
    POOLING_NEEDS_PER_OFFER,
    POOLING_RADIUS_KM,
    RANK_DECIMALS,
    SHARED_NEED,
    FloatArray,
    IntArray,
)
from maillage.graph._synergies.results import Pooling, Ranked, Reason
from maillage.graph._synergies.rows import Row, distances_km, filter_row, modulation, sparse_row
from maillage.graph.geo import EARTH_RADIUS_KM, PointSet
from maillage.graph.index import NetworkIndex, SparseMatrix

_SPAN_BLOCK = 1024  # members per block when measuring a group's span


@dataclass(frozen=True)
class Groups:
    """The pooling groups of one index, for the public or with private persons (`groups_of`)."""

    resource: IntArray  # resource column of each group
    centre: IntArray  # the needer each group was formed around
    members: list[IntArray]  # member rows of each group, ascending (key order)
    rarity: FloatArray  # rarity of each group's resource
    demand: FloatArray  # per resource column: how many (visible) actors need it
    supply: FloatArray  # per resource column: Σ match over (visible) actors
    offerers: dict[int, IntArray]  # short resource column -> rows offering it or a neighbouring concept
    membership: SparseMatrix  # actors × groups: 1 where the actor is a member
    weighted_t: SparseMatrix  # groups × actors: rarity(group) where the actor is a member
    best: float  # best group score, the normaliser of network rankings


def groups_of(
    index: NetworkIndex, model: Model, *, include_private: bool, radius_km: float = POOLING_RADIUS_KM
) -> Groups:
    """The pooling groups, built on first use and kept in the model.

    Cost: O(nnz(N) + nnz(M)) for demand and supply, then for each short resource a k-d tree over its
    needers (O(m log m) for m of them, plus the pairs within the radius) and one pass over them.
    """
    key = ("pooling", include_private, radius_km)
    cached = model.cache.get(key)
    if isinstance(cached, Groups):
        return cached
    visible = np.ones(model.n, dtype=np.bool_) if include_private else model.public
    keep_rows = sparse.diags_array(visible.astype(np.float64))
    needs = (keep_rows @ index.needs).tocsc()
    needs.eliminate_zeros()
    demand = np.diff(needs.indptr).astype(np.float64)
    supply = np.asarray((keep_rows @ model.match).sum(axis=0), dtype=np.float64).ravel()
    short = np.flatnonzero((demand >= POOLING_MIN_ACTORS) & (supply < demand / POOLING_NEEDS_PER_OFFER))

    resources: list[int] = []
    centres: list[int] = []
    members: list[IntArray] = []
    offerers: dict[int, IntArray] = {}
    for column in short.tolist():
        needers = np.sort(needs.indices[needs.indptr[column] : needs.indptr[column + 1]]).astype(np.int64)
        for centre, group in _clusters(model.points, needers, radius_km):
            if len(group) >= POOLING_MIN_ACTORS:
                resources.append(column)
                centres.append(centre)
                members.append(group)
        start, end = model.match_csc.indptr[column], model.match_csc.indptr[column + 1]
        rows = np.sort(model.match_csc.indices[start:end]).astype(np.int64)
        offerers[column] = rows[visible[rows]]

    resource = np.array(resources, dtype=np.int64)
    rarity = 1.0 - POOLING_NEEDS_PER_OFFER * supply[resource] / demand[resource]
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    rows = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    cols = np.repeat(np.arange(len(members)), sizes)
    shape = (model.n, len(members))
    membership = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=shape)
    weighted_t = sparse.csr_array((rarity[cols], (cols, rows)), shape=(len(members), model.n))
    groups = Groups(
        resource=resource,
        centre=np.array(centres, dtype=np.int64),
        members=members,
        rarity=rarity.astype(np.float64),
        demand=demand,
        supply=supply,
        offerers=offerers,
        membership=membership,
        weighted_t=weighted_t,
        best=float((sizes * rarity).max()) if len(members) else 0.0,
    )
    model.cache[key] = groups
    return groups


def _clusters(points: PointSet, rows: IntArray, radius_km: float) -> list[tuple[int, IntArray]]:
    """Groups of `rows` around centres: (centre row, members ascending), by first member.

    Each needer is ranked by how many needers lie within `radius_km` of it (itself included; most
    first, ties by row, i.e. key order). In that order, a needer not yet grouped becomes a centre and
    takes every needer within the radius not yet grouped. So every member is within the radius of its
    centre and a group spans at most twice the radius, however dense the network (single linkage would
    chain a whole region into one group). Needers without coordinates form one more group, centred on
    the first of them. Points go on the unit sphere, where a great-circle distance d is a chord of
    2 sin(d / 2R): a k-d tree counts and finds the neighbours without measuring every pair.
    """
    phi, lam = points.phi[rows], points.lam[rows]
    known = ~np.isnan(phi) & ~np.isnan(lam)
    groups: list[tuple[int, IntArray]] = []
    placed = rows[known]
    if len(placed):
        cos_phi = np.cos(phi[known])
        xyz = np.column_stack(
            [cos_phi * np.cos(lam[known]), cos_phi * np.sin(lam[known]), np.sin(phi[known])]
        )
        chord = 2.0 * np.sin(min(radius_km / (2.0 * EARTH_RADIUS_KM), np.pi / 2))
        # Count the neighbours without listing them, then list those of each centre only: memory
        # O(needers + largest group). Listing every pair within the radius (`query_pairs`) is quadratic in
        # a dense area: 365 million pairs at 250,000 actors.
        tree = cKDTree(xyz)
        counts = np.asarray(tree.query_ball_point(xyz, chord, return_length=True), dtype=np.int64)
        size = len(placed)
        grouped = np.zeros(size, dtype=np.bool_)
        for centre in np.lexsort((np.arange(size), -counts)).tolist():
            if grouped[centre]:
                continue
            around = np.asarray(tree.query_ball_point(xyz[centre], chord), dtype=np.int64)
            around = around[~grouped[around]]
            grouped[around] = True
            groups.append((int(placed[centre]), np.sort(placed[around])))
    unknown = rows[~known]
    if len(unknown):
        groups.append((int(unknown[0]), unknown))
    return sorted(groups, key=lambda group: int(group[1][0]))


def span_km(model: Model, rows: IntArray) -> float | None:
    """The greatest distance between two of `rows` (None when one has no coordinates); blockwise."""
    if np.isnan(model.points.phi[rows]).any() or np.isnan(model.points.lam[rows]).any():
        return None
    best = 0.0
    for start in range(0, len(rows), _SPAN_BLOCK):
        block = rows[start : start + _SPAN_BLOCK]
        distances = distances_km(model, block[:, None], rows[None, :])
        best = max(best, float(distances.max()))
    return best


def pooling_row(model: Model, groups: Groups, actor: int, selection: Selection) -> Row:
    """``pool(actor, B)`` for every B sharing one of its groups: one sparse row product, then f(d)."""
    start, end = groups.membership.indptr[actor], groups.membership.indptr[actor + 1]
    own = groups.membership.indices[start:end]
    if selection.resources is not None:
        own = own[selection.resources[groups.resource[own]]]
    row = sparse.csr_array((np.ones(len(own)), own, np.array([0, len(own)])), shape=(1, len(groups.members)))
    others, raw = sparse_row(row @ groups.weighted_t)
    distances = distances_km(model, actor, others)
    return filter_row(model, actor, Row(others, raw * modulation(distances), distances), selection)


def pooling_reasons(
    index: NetworkIndex,
    model: Model,
    groups: Groups,
    a: int,
    b: int,
    distance: float | None,
    selection: Selection,
) -> tuple[Reason, ...]:
    """One reason per short resource for which `a` and `b` are in the same group, rarest first."""

    def group_ids(row: int) -> set[int]:
        start, end = groups.membership.indptr[row], groups.membership.indptr[row + 1]
        return set(groups.membership.indices[start:end].tolist())

    cross = bool(crosses(model, np.array([a]), np.array([b]))[0])
    reasons: list[Reason] = []
    for group in sorted(group_ids(a) & group_ids(b)):
        column = int(groups.resource[group])
        if selection.resources is not None and not selection.resources[column]:
            continue
        reasons.append(
            Reason(
                kind=SHARED_NEED,
                source=model.keys[a],
                target=model.keys[b],
                concepts=(index.resource_columns[column],),
                weight=float(groups.rarity[group]),
                distance_km=distance,
                cross_border=cross,
                demand=int(groups.demand[column]),
                offerers=tuple(model.keys[o] for o in groups.offerers[column].tolist()),
            )
        )
    reasons.sort(key=lambda r: (-r.weight, str(r.concepts[0])))
    return tuple(reasons)


def group_items(
    index: NetworkIndex,
    model: Model,
    groups: Groups,
    selection: Selection,
    *,
    actor: int | None = None,
) -> list[tuple[float, int, int]]:
    """(score, group, first listed member) of every group that passes the filters, unordered.

    Network-wide a group lists its members that pass the actor filters and is kept with at least 2 of
    them; per actor, the groups of `actor` list it and the others that pass (radius measured from it).
    """
    candidates = range(len(groups.members))
    if actor is not None:
        start, end = groups.membership.indptr[actor], groups.membership.indptr[actor + 1]
        candidates = groups.membership.indices[start:end].tolist()
    found: list[tuple[float, int, int]] = []
    for group in candidates:
        listed = listed_members(model, groups, group, selection, actor=actor)
        if listed is not None:
            found.append((len(listed) * float(groups.rarity[group]), group, int(listed[0])))
    return found


def listed_members(
    model: Model, groups: Groups, group: int, selection: Selection, *, actor: int | None = None
) -> IntArray | None:
    """The members of `group` that pass the filters, or None when the group does not."""
    if selection.resources is not None and not selection.resources[groups.resource[group]]:
        return None
    members = groups.members[group]
    keep = selection.chosen[members].copy()
    if actor is not None:
        if selection.radius_km is not None:
            distances = distances_km(model, actor, members)
            keep &= ~np.isnan(distances) & (distances <= selection.radius_km)
        keep |= members == actor
    listed = members[keep]
    if len(listed) < POOLING_MIN_ACTORS:
        return None
    codes = model.country_codes[listed]
    if selection.cross_border_only and len(set(codes[codes >= 0].tolist())) < 2:
        return None
    if actor is None and selection.radius_km is not None:
        span = span_km(model, listed)
        if span is None or span > selection.radius_km:
            return None
    return listed


def pooling_result(
    index: NetworkIndex, model: Model, groups: Groups, group: int, listed: IntArray
) -> Pooling:
    """The `Pooling` of one group, with its listed members."""
    column = int(groups.resource[group])
    codes = model.country_codes[listed]
    return Pooling(
        resource=index.resource_columns[column],
        members=tuple(model.keys[m] for m in listed.tolist()),
        centre=model.keys[int(groups.centre[group])],
        score=len(listed) * float(groups.rarity[group]),
        demand=int(groups.demand[column]),
        supply=float(groups.supply[column]),
        rarity=float(groups.rarity[group]),
        offerers=tuple(model.keys[o] for o in groups.offerers[column].tolist()),
        span_km=span_km(model, listed),
        cross_border=len(set(codes[codes >= 0].tolist())) >= 2,
    )


def _page(
    index: NetworkIndex,
    model: Model,
    groups: Groups,
    selection: Selection,
    found: list[tuple[float, int, int]],
    *,
    actor: int | None,
    limit: int | None,
    offset: int,
) -> Ranked[Pooling]:
    """Best score first, then resource (IRI order), then first member (key order)."""
    found.sort(key=lambda item: (-round(item[0], RANK_DECIMALS), int(groups.resource[item[1]]), item[2]))
    end = None if limit is None else offset + limit
    results = []
    for _score, group, _first in found[offset:end]:
        listed = listed_members(model, groups, group, selection, actor=actor)
        assert listed is not None  # it passed in `group_items`
        results.append(pooling_result(index, model, groups, group, listed))
    return Ranked(results, total=len(found))


def poolings(
    index: NetworkIndex,
    *,
    resource: str | None = None,
    field: str | None = None,
    territory: str | None = None,
    radius_km: float | None = None,
    cross_border_only: bool = False,
    group_radius_km: float = POOLING_RADIUS_KM,
    limit: int | None = 50,
    offset: int = 0,
    include_private: bool = False,
) -> Ranked[Pooling]:
    """The pooling opportunities of the network: nearby actors needing a resource the network lacks.

    A resource is short when at least 2 actors need it and ``supply < demand / 3``; its needers are
    grouped around centres (the needer with the most needers within `group_radius_km` takes them all,
    then the next among those left, …); each group of at least 2 scores ``len(members) · rarity``,
    ``rarity = 1 − 3 · supply / demand`` (module docstring).

    Parameters
    ----------
    index : NetworkIndex
    resource : str, optional
        A resource key: only groups of this resource or a narrower one.
    field, territory : str, optional
        A field key (narrower fields included) or a territory code (``64102``, ``epci:200067106``,
        ``es:20045``): a group lists only its members that declare the field or are based there, and is
        kept when at least 2 remain.
    radius_km : float, optional
        Keep the groups whose members are all at most this far from one another.
    cross_border_only : bool, optional
        Keep the groups with members in two countries.
    group_radius_km : float, optional
        How far from its centre a member may be (25 km by default): a group spans at most twice that.
    limit, offset : int, optional
        Paging; the result's `total` counts every group that passed.
    include_private : bool, optional
        Count and list persons without public consent (animators only).

    Returns
    -------
    Ranked of Pooling
        Best score first, then resource IRI, then first member.

    Raises
    ------
    UnknownFilterError
        For an unknown key or a malformed territory code (a `ValueError`, as for a negative limit,
        offset or radius).

    Notes
    -----
    Cost: the groups are built once per index (see `groups_of`); a question then walks the groups,
    O(Σ members), plus the span of the groups returned (O(m²) distances each, in blocks).

    Examples
    --------
    >>> index = _example_links_index()
    >>> [(g.members, g.score) for g in poolings(index)]
    [(('ferme', 'mairie'), 2.0)]
    >>> print(poolings(index)[0].sentence(index))
    « Ferme des Barthes » et « Mairie de Tarnos » ont besoin de « Emploi partagé », que personne ne \
propose dans le réseau : ils pourraient créer un groupement d'employeurs (à 5 km au plus les uns des autres).
    """
    check_limit(limit)
    check_offset(offset)
    check_radius(group_radius_km)
    model = model_of(index)
    selection = select(
        index,
        model,
        resource=resource,
        field=field,
        territory=territory,
        radius_km=radius_km,
        cross_border_only=cross_border_only,
        include_private=include_private,
    )
    groups = groups_of(index, model, include_private=include_private, radius_km=group_radius_km)
    found = group_items(index, model, groups, selection)
    return _page(index, model, groups, selection, found, actor=None, limit=limit, offset=offset)


def poolings_for_actor(
    index: NetworkIndex,
    actor_key: str,
    *,
    resource: str | None = None,
    field: str | None = None,
    territory: str | None = None,
    radius_km: float | None = None,
    cross_border_only: bool = False,
    group_radius_km: float = POOLING_RADIUS_KM,
    limit: int | None = 20,
    offset: int = 0,
    include_private: bool = False,
) -> Ranked[Pooling]:
    """The pooling groups this actor belongs to, with the other members that pass the filters.

    As `poolings`, except that the filters bear on the other members: `field` and `territory` as there,
    `radius_km` keeps the members at most this far from the actor, `cross_border_only` the groups with
    a member across the border from it. The actor itself is always listed.

    Raises
    ------
    UnknownActorError
        For an unknown key; `UnknownFilterError` or `ValueError` as in `poolings`.

    Examples
    --------
    >>> index = _example_links_index()
    >>> [(g.members, round(g.span_km, 2)) for g in poolings_for_actor(index, "mairie")]
    [(('ferme', 'mairie'), 4.96)]
    >>> poolings_for_actor(index, "tiers-lieu")
    []
    """
    actor = index.row(actor_key)
    check_limit(limit)
    check_offset(offset)
    check_radius(group_radius_km)
    model = model_of(index)
    selection = select(
        index,
        model,
        resource=resource,
        field=field,
        territory=territory,
        radius_km=radius_km,
        cross_border_only=cross_border_only,
        include_private=include_private,
    )
    groups = groups_of(index, model, include_private=include_private, radius_km=group_radius_km)
    found = group_items(index, model, groups, selection, actor=actor)
    return _page(index, model, groups, selection, found, actor=actor, limit=limit, offset=offset)
