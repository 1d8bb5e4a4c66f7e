"""Affinity, A ~ B: actors with similar fields of activity that share no project and no partnership yet.

``affinity(A, B) = cos(x_A, x_B)``, with idf-weighted field vectors (1 on the actor's own fields, 0.5 on
their direct broader concepts). See `maillage.graph.synergies`.
"""

from __future__ import annotations

from maillage.graph._synergies.checks import check_limit, check_offset
from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.filters import Selection, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import AFFINITY, RELATED_FIELDS, SHARED_FIELDS
from maillage.graph._synergies.results import Ranked, Reason, Synergy
from maillage.graph._synergies.rows import (
    Row,
    crosses_border,
    distances_km,
    filter_row,
    page_positions,
    row_entries,
    sparse_row,
)
from maillage.graph.index import NetworkIndex


def affinity_row(model: Model, actor: int, selection: Selection) -> Row:
    """Affinity scores of `actor` against the others it is not linked to yet, filtered."""
    others, scores = sparse_row(model.field_vectors[[actor]] @ model.field_vectors_t)
    distances = distances_km(model, actor, others) if selection.radius_km is not None else None
    row = Row(others, scores, distances)
    return filter_row(model, actor, row, selection, unlinked=True, about_resources=False)


def affinity_reasons(
    index: NetworkIndex, model: Model, a: int, b: int, distance: float | None
) -> tuple[Reason, ...]:
    """The shared fields, then the concepts shared only through the hierarchy."""
    vector_a = row_entries(model.field_vectors, a)
    vector_b = row_entries(model.field_vectors, b)
    contribution = {c: vector_a[c] * vector_b[c] for c in vector_a.keys() & vector_b.keys()}
    own_shared = set(row_entries(index.fields, a)) & set(row_entries(index.fields, b))
    explained = own_shared | {p for c in own_shared for p in model.explained_by[c]}
    cross = crosses_border(model, a, b)

    def reason(kind: str, columns: set[int], weight_columns: set[int]) -> Reason:
        ordered = sorted(columns, key=lambda c: (-contribution[c], str(index.field_columns[c])))
        return Reason(
            kind=kind,
            source=model.keys[a],
            target=model.keys[b],
            concepts=tuple(index.field_columns[c] for c in ordered),
            weight=float(sum(contribution[c] for c in weight_columns)),
            distance_km=distance,
            cross_border=cross,
        )

    reasons: list[Reason] = []
    if own_shared:
        reasons.append(reason(SHARED_FIELDS, own_shared, explained & contribution.keys()))
    related = contribution.keys() - explained
    if related:
        reasons.append(reason(RELATED_FIELDS, set(related), set(related)))
    return tuple(reasons)


def affinities(
    index: NetworkIndex,
    actor_key: str,
    *,
    limit: int | None = 20,
    offset: int = 0,
    radius_km: float | None = None,
    field: str | None = None,
    resource: str | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    include_private: bool = False,
) -> Ranked[Synergy]:
    """Actors with similar fields of activity that share no project and no partnership with this one.

    ``affinity(A, B) = cos(x_A, x_B)`` where ``x`` has 1 on the actor's own fields and 0.5 on their
    direct broader concepts, each column times ``idf(c) = ln((1 + n) / (1 + df(c))) + 1``, rows
    L2-normalised. Only scores > 0, never the actor itself nor an actor it is already linked to.

    Parameters
    ----------
    index, actor_key, limit, offset, radius_km, field, territory, cross_border_only, include_private
        As in `complementarities`.
    resource : str, optional
        A resource key: the other actor offers or needs it (or a narrower resource).

    Returns
    -------
    Ranked of Synergy
        Of kind ``"affinite"``, source `actor_key`, by decreasing score then key of the other actor.
        Reasons: the fields both declare (strongest first), then concepts shared only through the
        hierarchy.

    Raises
    ------
    UnknownActorError
        For an unknown key; `UnknownFilterError` or `ValueError` as in `complementarities`.

    Notes
    -----
    Cost: one sparse row product, O(Σ_{c ∈ x_A} df(c)).

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4)) for s in affinities(index, "ferme")]
    [('tiers-lieu', 0.6322), ('garraio', 0.362)]
    >>> print(affinities(index, "ferme")[0].sentence(index, "en"))
    “Ferme des Barthes” and “Tiers-lieu Itsasoa” share the field “Local food” and have no project or \
partnership together yet.
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
    row = affinity_row(model, actor, selection)
    results: list[Synergy] = []
    for i in page_positions(row.others, row.scores, limit, offset):
        other = int(row.others[i])
        distance = row.distance_at(model, actor, int(i))
        score = float(row.scores[i])
        results.append(
            Synergy(
                kind=AFFINITY,
                source=model.keys[actor],
                target=model.keys[other],
                score=score,
                components={AFFINITY: score},
                distance_km=distance,
                cross_border=crosses_border(model, actor, other),
                reasons=affinity_reasons(index, model, actor, other, distance),
            )
        )
    return Ranked(results, total=len(row.others))
