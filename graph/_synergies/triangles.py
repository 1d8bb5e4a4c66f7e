"""Closing triangles: A and C both work with B (a project or a partnership) but not with each other.

``triangle(A, C) = Σ_{B ∈ N(A) ∩ N(C)} 1 / ln(deg(B))`` (Adamic–Adar over the collaboration graph), for
C ≠ A not linked to A: a common partner counts more when it has few partners, as an introduction by it
means more. For the public, persons without consent are never counted as intermediaries (their degree
still counts the links they have). See `maillage.graph.synergies`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from maillage.graph._synergies.checks import check_limit, check_offset
from maillage.graph._synergies.example import _example_links_index  # noqa: F401 - the docstrings call it
from maillage.graph._synergies.filters import Selection, crosses, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import INTERMEDIARY, TRIANGLE, TRIANGLE_REASONS
from maillage.graph._synergies.results import Ranked, Reason, Synergy, link_between
from maillage.graph._synergies.rows import (
    Row,
    distances_km,
    filter_row,
    page_positions,
    sparse_row,
)
from maillage.graph.index import NetworkIndex, SparseMatrix


def intermediary_weights(model: Model, *, include_private: bool) -> SparseMatrix:
    """``diag(w) · A`` with ``w(B) = 1 / ln(deg(B))`` (0 below degree 2, and for hidden persons)."""
    key = ("triangle", include_private)
    cached = model.cache.get(key)
    if isinstance(cached, sparse.csr_array):
        return cached
    degree = model.degree.astype(np.float64)
    weights = np.divide(1.0, np.log(np.maximum(degree, 1.0)), out=np.zeros_like(degree), where=degree >= 2)
    if not include_private:
        weights = np.where(model.public, weights, 0.0)
    weighted: SparseMatrix = (sparse.diags_array(weights) @ model.adjacency).tocsr()
    weighted.eliminate_zeros()
    model.cache[key] = weighted
    return weighted


def intermediary_weight(model: Model, row: int) -> float:
    """``1 / ln(deg)`` of one actor."""
    return float(1.0 / np.log(model.degree[row]))


def triangle_row(model: Model, actor: int, selection: Selection) -> Row:
    """Adamic–Adar scores of `actor` against the actors two steps away, filtered.

    One sparse row product ``A[actor] · diag(w) · A``: it reads the rows of the actor's neighbours
    only, i.e. walks its 2-hop neighbourhood.
    """
    weighted = intermediary_weights(model, include_private=selection.include_private)
    others, scores = sparse_row(model.adjacency[[actor]] @ weighted)
    distances = distances_km(model, actor, others) if selection.radius_km is not None else None
    row = Row(others, scores, distances)
    return filter_row(model, actor, row, selection, unlinked=True, about_resources=False)


def triangle_reasons(
    index: NetworkIndex,
    model: Model,
    a: int,
    c: int,
    distance: float | None,
    selection: Selection,
) -> tuple[Reason, ...]:
    """The intermediaries of `a` and `c` with their links to each, the most telling first (at most 3)."""
    adjacency = model.adjacency
    common = np.intersect1d(
        adjacency.indices[adjacency.indptr[a] : adjacency.indptr[a + 1]],
        adjacency.indices[adjacency.indptr[c] : adjacency.indptr[c + 1]],
    )
    common = common[selection.visible[common]]
    cross = bool(crosses(model, np.array([a]), np.array([c]))[0])
    ranked = sorted(common.tolist(), key=lambda b: (-intermediary_weight(model, b), model.keys[b]))
    source, target = model.keys[a], model.keys[c]
    return tuple(
        Reason(
            kind=INTERMEDIARY,
            source=source,
            target=target,
            concepts=(),
            weight=intermediary_weight(model, b),
            distance_km=distance,
            cross_border=cross,
            actors=(model.keys[b],),
            links=(link_between(index, source, model.keys[b]), link_between(index, target, model.keys[b])),
        )
        for b in ranked[:TRIANGLE_REASONS]
    )


def triangles(
    index: NetworkIndex,
    actor_key: str,
    *,
    limit: int | None = 20,
    offset: int = 0,
    field: str | None = None,
    resource: str | None = None,
    radius_km: float | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    include_private: bool = False,
) -> Ranked[Synergy]:
    """Actors this one does not work with yet but who work with the same partners: « B could introduce them ».

    ``triangle(A, C) = Σ_{B ∈ N(A) ∩ N(C)} 1 / ln(deg(B))`` (Adamic–Adar) over the collaboration graph,
    where two actors are neighbours when they share a project or a partnership; C is never A nor one
    of its neighbours.

    Parameters
    ----------
    index : NetworkIndex
    actor_key : str
        The actor asked about.
    limit, offset : int, optional
        Paging (best first); the result's `total` counts every actor that passed.
    field, territory : str, optional
        The other actor declares this field (or a narrower one) / is based in this territory
        (``64102``, ``epci:200067106``, ``es:20045``).
    resource : str, optional
        The other actor offers or needs this resource (or a narrower one).
    radius_km : float, optional
        The other actor is at most this far (actors without coordinates are then left out).
    cross_border_only : bool, optional
        The other actor is across the border.
    include_private : bool, optional
        Persons without public consent may appear, and introduce (animators only).

    Returns
    -------
    Ranked of Synergy
        Of kind ``"triangle"``, source `actor_key`, by decreasing score then key of the other actor; the
        reasons name the intermediaries (at most 3, by weight) and their projects or partnerships with
        each side.

    Raises
    ------
    UnknownActorError
        For an unknown key. `UnknownFilterError` (a `ValueError`) for an unknown filter key, `ValueError`
        for a negative limit, offset or radius.

    Notes
    -----
    Cost: one sparse row product over the 2-hop neighbourhood, O(Σ_{B ∈ N(A)} deg(B)).

    Examples
    --------
    >>> index = _example_links_index()
    >>> [(s.target, round(s.score, 4)) for s in triangles(index, "ferme")]
    [('garraio', 2.164), ('atelier', 0.7213), ('lagunak', 0.7213)]
    >>> print(triangles(index, "ferme")[0].reasons[0].sentence(index, situated=False))
    « Ferme des Barthes » et « Coop Garraio » travaillent tous deux avec « Mairie de Tarnos » \
(« Ferme des Barthes » : partenariat ; « Coop Garraio » : partenariat) mais pas encore ensemble : \
« Mairie de Tarnos » pourrait les présenter.
    """
    actor = index.row(actor_key)
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
        cross_border_only=cross_border_only,
        include_private=include_private,
    )
    row = triangle_row(model, actor, selection)
    results: list[Synergy] = []
    for i in page_positions(row.others, row.scores, limit, offset):
        other = int(row.others[i])
        distance = row.distance_at(model, actor, int(i))
        score = float(row.scores[i])
        results.append(
            Synergy(
                kind=TRIANGLE,
                source=model.keys[actor],
                target=model.keys[other],
                score=score,
                components={TRIANGLE: score},
                distance_km=distance,
                cross_border=bool(crosses(model, np.array([actor]), np.array([other]))[0]),
                reasons=triangle_reasons(index, model, actor, other, distance, selection),
            )
        )
    return Ranked(results, total=len(row.others))
