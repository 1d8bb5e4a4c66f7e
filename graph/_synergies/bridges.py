"""Cross-border bridges: the actors that already work with actors on the other side of the border.

An actor whose country is known is a bridge when one of its collaborators (a shared project or a
partnership) is in another country; ``bridge(A) = (1 + same(A)) · other(A)``, with `same` and `other`
its collaborators in its own country and in another one (collaborators of unknown country are not
counted): the number of pairs of actors from the two sides, itself counted on its side, that it
connects. See `maillage.graph.synergies`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from maillage.graph._synergies.checks import check_limit, check_offset
from maillage.graph._synergies.example import _example_links_index  # noqa: F401 - the docstrings call it
from maillage.graph._synergies.filters import select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import CROSS_BORDER_LINK, BoolArray, FloatArray
from maillage.graph._synergies.results import Bridge, Ranked, Reason, link_between
from maillage.graph._synergies.rows import distance_or_none, distances_km
from maillage.graph.index import NetworkIndex


def side_counts(model: Model, visible: BoolArray) -> tuple[FloatArray, FloatArray]:
    """For every actor, how many visible collaborators it has in its own country and in another one.

    One sparse product ``A · C`` with C the actors × countries indicator of the visible actors whose
    country is known: O(nnz(A)).
    """
    known = visible & (model.country_codes >= 0)
    rows = np.flatnonzero(known)
    countries = int(model.country_codes.max()) + 1 if model.n else 0
    indicator = sparse.csr_array(
        (np.ones(len(rows)), (rows, model.country_codes[rows])), shape=(model.n, max(countries, 1))
    )
    counts = (model.adjacency @ indicator).toarray()
    total = counts.sum(axis=1)
    own = np.where(model.country_codes >= 0, model.country_codes, 0)
    same = np.where(model.country_codes >= 0, counts[np.arange(model.n), own], 0.0)
    other = np.where(model.country_codes >= 0, total - same, 0.0)
    return same.astype(np.float64), other.astype(np.float64)


def bridges(
    index: NetworkIndex,
    *,
    field: str | None = None,
    territory: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    include_private: bool = False,
) -> Ranked[Bridge]:
    """The actors that work on both sides of the border, the best connectors first.

    ``bridge(A) = (1 + same(A)) · other(A)`` where `same` and `other` count A's collaborators (shared
    project or partnership) in its own country and in another one; A is listed when ``other(A) ≥ 1``.

    Parameters
    ----------
    index : NetworkIndex
    field, territory : str, optional
        The bridge declares this field (or a narrower one) / is based in this territory (``64102``,
        ``epci:200067106``, ``es:20045``).
    limit, offset : int, optional
        Paging; the result's `total` counts every bridge.
    include_private : bool, optional
        Count and list persons without public consent (animators only).

    Returns
    -------
    Ranked of Bridge
        By decreasing score, then key; each with its collaborators on both sides, the projects it
        shares with the other side, and one reason per collaborator across the border.

    Raises
    ------
    UnknownFilterError
        For an unknown field key or a malformed territory code; `ValueError` for a negative limit or
        offset.

    Notes
    -----
    Cost: one sparse product, O(nnz(A)), plus the links of the bridges returned.

    Examples
    --------
    >>> index = _example_links_index()
    >>> [(b.actor, b.score) for b in bridges(index)]
    [('tiers-lieu', 4.0), ('garraio', 2.0), ('mairie', 2.0), ('lagunak', 1.0)]
    >>> print(bridges(index)[0].sentence(index))
    « Tiers-lieu Itsasoa » relie les deux côtés de la frontière : il travaille avec « Coop Garraio » et \
« Asso Lagunak » (Espagne) et avec 1 acteur (France).
    """
    check_limit(limit)
    check_offset(offset)
    model = model_of(index)
    selection = select(index, model, field=field, territory=territory, include_private=include_private)
    same, other = side_counts(model, selection.visible)
    score = (1.0 + same) * other
    found = np.flatnonzero(selection.visible & selection.chosen & (other >= 1))
    order = found[np.lexsort((found, -score[found]))]
    end = None if limit is None else offset + limit
    results = [
        _bridge(index, model, int(row), float(score[row]), selection.visible) for row in order[offset:end]
    ]
    return Ranked(results, total=len(found))


def _bridge(index: NetworkIndex, model: Model, row: int, score: float, visible: BoolArray) -> Bridge:
    adjacency = model.adjacency
    neighbours = adjacency.indices[adjacency.indptr[row] : adjacency.indptr[row + 1]]
    neighbours = np.sort(neighbours[visible[neighbours] & (model.country_codes[neighbours] >= 0)])
    own = model.country_codes[row]
    same = neighbours[model.country_codes[neighbours] == own]
    other = neighbours[model.country_codes[neighbours] != own]
    key = model.keys[row]
    distances = distances_km(model, row, other)
    links = [link_between(index, key, model.keys[o]) for o in other.tolist()]
    reasons = tuple(
        Reason(
            kind=CROSS_BORDER_LINK,
            source=key,
            target=link.target,
            concepts=(),
            weight=1.0,
            distance_km=distance_or_none(float(distance)),
            cross_border=True,
            links=(link,),
        )
        for link, distance in zip(links, distances.tolist(), strict=True)
    )
    return Bridge(
        actor=key,
        score=score,
        same_side=tuple(model.keys[s] for s in same.tolist()),
        other_side=tuple(model.keys[o] for o in other.tolist()),
        projects=tuple(sorted({p for link in links for p in link.projects})),
        reasons=reasons,
    )
