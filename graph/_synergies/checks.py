"""Checks of the arguments the synergy questions share (kinds, weights, limit, offset, radius)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from maillage.graph._synergies.parameters import CROSS_BORDER, DEFAULT_WEIGHTS, KINDS


def check_kinds(kinds: Collection[str]) -> tuple[str, ...]:
    """The requested kinds in `KINDS` order; `ValueError` for an unknown kind or none.

    >>> check_kinds(["triangle", "complementarite"])
    ('complementarite', 'triangle')
    """
    kinds, cross_border_only = split_kinds(kinds)
    if cross_border_only:
        raise ValueError(
            f"« {CROSS_BORDER} » est un filtre, pas un type de score ; utilisez cross_border_only."
        )
    return kinds


def split_kinds(kinds: Collection[str]) -> tuple[tuple[str, ...], bool]:
    """The kinds asked (in `KINDS` order) and whether « transfrontalier » was among them.

    « transfrontalier » is a filter: alone it means every kind, across the border only.

    >>> split_kinds(["transfrontalier", "mutualisation"])
    (('mutualisation',), True)
    >>> split_kinds(["transfrontalier"])[0] == KINDS
    True
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    names = (*KINDS, CROSS_BORDER)
    unknown = [kind for kind in kinds if kind not in names]
    if unknown:
        raise ValueError(
            f"Type de synergie inconnu : « {unknown[0]} » ; types disponibles : {', '.join(names)}."
        )
    if not kinds:
        raise ValueError(f"Aucun type de synergie demandé ; types disponibles : {', '.join(names)}.")
    chosen = tuple(kind for kind in KINDS if kind in kinds)
    return chosen or KINDS, CROSS_BORDER in kinds


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """`DEFAULT_WEIGHTS` overridden by `weights`; `ValueError` for an unknown kind or a bad weight."""
    result = dict(DEFAULT_WEIGHTS)
    for kind, weight in (weights or {}).items():
        check_kinds((kind,))
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(
                f"Poids invalide pour « {kind} » : {weight} (un nombre positif ou nul est attendu)."
            )
        result[kind] = float(weight)
    return result


def check_limit(limit: int | None) -> None:
    """`ValueError` for a negative limit."""
    if limit is not None and limit < 0:
        raise ValueError(f"Limite invalide : {limit} (un entier positif ou nul est attendu).")


def check_offset(offset: int) -> None:
    """`ValueError` for a negative offset."""
    if offset < 0:
        raise ValueError(f"Décalage invalide : {offset} (un entier positif ou nul est attendu).")


def check_radius(radius_km: float | None) -> None:
    """`ValueError` for a negative (or NaN) radius."""
    if radius_km is not None and not radius_km >= 0:
        raise ValueError(f"Rayon invalide : {radius_km} km (une distance positive ou nulle est attendue).")
