"""Complementarity, A needs → B offers: who offers what an actor needs, or needs what it offers.

``score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)``, where ``match(B, r)`` is 1 when B offers
r, 0.5 one `skos:broader` step away, 0.25 two steps up or down the same line (never a sibling), the best
offered concept counting once; ``idf(r) = ln((1 + n) / (1 + df(r))) + 1``; ``f(d) = 1 / (1 + d / 50)``
with d in km (f = 1 without coordinates). See `maillage.graph.synergies`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from maillage.graph._synergies.checks import check_limit, check_offset
from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.filters import Selection, select
from maillage.graph._synergies.model import Model, model_of
from maillage.graph._synergies.parameters import (
    COMPLEMENTARITY,
    HIERARCHY_WEIGHTS,
    NEED_OFFER,
    NEED_OFFER_RELATED,
    BoolArray,
    Direction,
)
from maillage.graph._synergies.results import Ranked, Reason, Synergy
from maillage.graph._synergies.rows import (
    Row,
    crosses_border,
    distances_km,
    filter_row,
    modulation,
    page_positions,
    row_entries,
    sparse_row,
)
from maillage.graph.index import NetworkIndex, SparseMatrix


def restricted(matrix: SparseMatrix, resources: BoolArray | None) -> SparseMatrix:
    """The matrix with only the resource columns of a resource filter (all of them without one)."""
    if resources is None:
        return matrix
    return (matrix @ sparse.diags_array(resources.astype(np.float64))).tocsr()


def complementarity_row(model: Model, actor: int, *, direction: Direction, selection: Selection) -> Row:
    """Complementarity scores of `actor` against all others, distance-modulated and filtered.

    Under a resource filter only the needs of its concepts count (the needs of `actor`, or of the
    others with ``direction="offers"``).
    """
    if direction == "needs":  # what `actor` needs, offered by the others
        product = restricted(model.weighted_needs[[actor]], selection.resources) @ model.match_t
    else:  # what `actor` offers, needed by the others
        product = restricted(model.match[[actor]], selection.resources) @ model.weighted_needs_t
    others, raw = sparse_row(product)
    distances = distances_km(model, actor, others)
    row = Row(others, raw * modulation(distances), distances)
    return filter_row(model, actor, row, selection)


def complementarity_reasons(
    index: NetworkIndex,
    model: Model,
    needer: int,
    offerer: int,
    distance: float | None,
    selection: Selection | None = None,
) -> tuple[Reason, ...]:
    """One reason per need of `needer` met by `offerer` (of the resource filter if any), heaviest first."""
    needs = sorted(row_entries(index.needs, needer))
    if selection is not None and selection.resources is not None:
        needs = [need for need in needs if selection.resources[need]]
    offers = sorted(row_entries(index.offers, offerer))
    cross = crosses_border(model, needer, offerer)
    reasons: list[Reason] = []
    for need in needs:
        reach = model.steps[need]
        candidates = [(reach[offer], offer) for offer in offers if offer in reach]
        if not candidates:
            continue
        steps, offer = min(candidates)  # fewest steps, then the first column (IRI order)
        reasons.append(
            Reason(
                kind=NEED_OFFER if steps == 0 else NEED_OFFER_RELATED,
                source=model.keys[needer],
                target=model.keys[offerer],
                concepts=(index.resource_columns[need], index.resource_columns[offer]),
                weight=HIERARCHY_WEIGHTS[steps] * float(model.resource_idf[need]),
                distance_km=distance,
                cross_border=cross,
            )
        )
    reasons.sort(key=lambda r: (-r.weight, str(r.concepts[0])))
    return tuple(reasons)


def complementarities(
    index: NetworkIndex,
    actor_key: str,
    *,
    limit: int | None = 20,
    offset: int = 0,
    radius_km: float | None = None,
    direction: Direction = "needs",
    field: str | None = None,
    resource: str | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    exclude_linked: bool = False,
    include_private: bool = False,
) -> Ranked[Synergy]:
    """Who offers what this actor needs (or, with ``direction="offers"``, who needs what it offers).

    ``score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)`` (module docstring). The source of
    each result is the actor who needs, the target the one who offers; one reason per need met.

    Parameters
    ----------
    index : NetworkIndex
    actor_key : str
        The actor asked about.
    limit : int or None, optional
        How many results (best first); None for all.
    offset : int, optional
        How many of the best to skip (paging); the result's `total` counts every actor that passed.
    radius_km : float, optional
        Keep only actors at most this far; actors without coordinates are then left out.
    direction : {"needs", "offers"}, optional
        "needs": the others offer what `actor_key` needs; "offers": the others need what it offers.
    field : str, optional
        A field key: the other actor declares it or a narrower field.
    resource : str, optional
        A resource key: only the needs of this resource or a narrower one count (score and reasons).
    territory : str, optional
        The other actor is based in this commune (INSEE code, ``64102``), EPCI (``epci:200067106``) or
        municipio (``es:20045``).
    cross_border_only : bool, optional
        Keep only actors across the border.
    exclude_linked : bool, optional
        Leave out the actors already sharing a project or a partnership with this one.
    include_private : bool, optional
        Let persons without public consent appear (for animators only).

    Returns
    -------
    Ranked of Synergy
        Of kind ``"complementarite"``, by decreasing score then key of the other actor.

    Raises
    ------
    UnknownActorError
        For an unknown key. `UnknownFilterError` (a `ValueError`) for an unknown field or resource
        key or a malformed territory code; `ValueError` for a negative limit, offset or radius.

    Notes
    -----
    Cost: one sparse row product, O(Σ_{r ∈ needs(A)} df(r)), plus reasons for the `limit` kept.
    The first question on a new index builds the model (a few sparse products, O(nnz)).

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4)) for s in complementarities(index, "ferme")]
    [('tiers-lieu', 2.2185), ('garraio', 0.7929)]
    >>> print(complementarities(index, "ferme", radius_km=40)[1].sentence(index))
    « Ferme des Barthes » a besoin de « Camion frigorifique » ; « Coop Garraio » propose \
« Camion frigorifique » (à 31 km) (coopération transfrontalière).
    """
    actor = index.row(actor_key)
    check_limit(limit)
    check_offset(offset)
    if direction not in ("needs", "offers"):
        raise ValueError(f"Sens inconnu : « {direction} » (attendu : needs ou offers).")
    model = model_of(index)
    selection = select(
        index,
        model,
        field=field,
        resource=resource,
        radius_km=radius_km,
        territory=territory,
        cross_border_only=cross_border_only,
        exclude_linked=exclude_linked,
        include_private=include_private,
    )
    row = complementarity_row(model, actor, direction=direction, selection=selection)
    results: list[Synergy] = []
    for i in page_positions(row.others, row.scores, limit, offset):
        other = int(row.others[i])
        needer, offerer = (actor, other) if direction == "needs" else (other, actor)
        distance = row.distance_at(model, actor, int(i))
        score = float(row.scores[i])
        results.append(
            Synergy(
                kind=COMPLEMENTARITY,
                source=model.keys[needer],
                target=model.keys[offerer],
                score=score,
                components={COMPLEMENTARITY: score},
                distance_km=distance,
                cross_border=crosses_border(model, needer, offerer),
                reasons=complementarity_reasons(index, model, needer, offerer, distance, selection),
            )
        )
    return Ranked(results, total=len(row.others))
