"""Checks of the arguments the overlap questions share (weights, limit, offset, radius)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from maillage.graph._overlaps.parameters import DEFAULT_WEIGHTS, FIELDS, OFFERS


def check_weights(weights: Mapping[str, float] | None) -> tuple[float, float]:
    """(offers weight, fields weight): `DEFAULT_WEIGHTS` overridden by `weights`; `ValueError` if unusable."""
    result = dict(DEFAULT_WEIGHTS)
    for kind, weight in (weights or {}).items():
        if kind not in DEFAULT_WEIGHTS:
            raise ValueError(
                f"Composante inconnue : « {kind} » ; composantes disponibles : {OFFERS}, {FIELDS}."
            )
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(
                f"Poids invalide pour « {kind} » : {weight} (un nombre positif ou nul est attendu)."
            )
        result[kind] = float(weight)
    if result[OFFERS] + result[FIELDS] <= 0:
        raise ValueError(
            "Les poids des offres et des domaines sont tous deux nuls : aucun chevauchement possible."
        )
    return result[OFFERS], result[FIELDS]


def check_paging(limit: int | None, offset: int) -> None:
    """`ValueError` for a negative limit or offset."""
    if limit is not None and limit < 0:
        raise ValueError(f"Limite invalide : {limit} (un entier positif ou nul est attendu).")
    if offset < 0:
        raise ValueError(f"Décalage invalide : {offset} (un entier positif ou nul est attendu).")


def check_radius(radius_km: float | None) -> None:
    """`ValueError` for a negative (or NaN) radius; None is no radius."""
    if radius_km is not None and not radius_km >= 0:
        raise ValueError(f"Rayon invalide : {radius_km} km (une distance positive ou nulle est attendue).")
