"""Names compared for duplicates: `normalise_name` (the shared fold, minus legal forms and short words) and
the pairs of nearly identical names nearby."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import cast

import numpy as np
from rapidfuzz import fuzz, process
from rdflib.term import URIRef

from maillage.graph._overlaps.model import Model
from maillage.graph._overlaps.parameters import (
    DUPLICATE_RADIUS_KM,
    KM_PER_DEGREE,
    LEGAL_FORM_WORDS,
    NAME_SIMILARITY_THRESHOLD,
    STOP_WORDS,
)
from maillage.graph._overlaps.scan import distance_km
from maillage.graph.folding import fold
from maillage.graph.index import ActorRecord


def normalise_name(name: str) -> str:
    """A name folded for comparison: accents, case, punctuation, legal forms and short words removed.

    `maillage.graph.folding.fold`, then without `LEGAL_FORM_WORDS`, short words (« de », « la », « eta »…)
    and one-letter tokens.

    >>> normalise_name("ATELIER BOIS SOLIDAIRE (SCOP)")
    'atelier bois solidaire'
    >>> normalise_name("Lanbide Berri Koop. Elk."), normalise_name("Itzulpen Mugaz Gaindi S.L.")
    ('lanbide berri', 'itzulpen mugaz gaindi')
    >>> normalise_name("Association Les Jardins de l’Adour")
    'jardins adour'
    """
    words = fold(name).split()
    return " ".join(w for w in words if len(w) > 1 and w not in LEGAL_FORM_WORDS and w not in STOP_WORDS)


def _similar_pairs(
    names: list[str], first: list[int], second: list[int] | None
) -> Iterator[tuple[int, int, float]]:
    """(i, j, similarity) of actors whose folded names reach the threshold (i < j when `second` is None)."""
    left = [names[i] for i in first]
    right = left if second is None else [names[j] for j in second]
    scores = process.cdist(
        left, right, scorer=fuzz.token_set_ratio, score_cutoff=NAME_SIMILARITY_THRESHOLD, dtype=np.float64
    )
    for x, y in zip(*np.nonzero(scores), strict=True):
        i, j = first[int(x)], (first if second is None else second)[int(y)]
        if (second is None and int(x) >= int(y)) or i == j:
            continue
        yield min(i, j), max(i, j), float(scores[x, y])


def name_candidates(
    model: Model, actors: list[ActorRecord], eligible: list[int]
) -> dict[tuple[int, int], float]:
    """Pairs with nearly identical names in the same commune or at most `DUPLICATE_RADIUS_KM` apart.

    Blocks: the communes, then a grid whose cells are at least 2 km wide, each compared with its
    neighbours; cost O(Σ block size²) name comparisons (rapidfuzz, in C++).
    """
    names = [normalise_name(a.label) for a in actors]
    found: dict[tuple[int, int], float] = {}
    by_commune: dict[URIRef, list[int]] = defaultdict(list)
    for i in eligible:
        if names[i] and actors[i].commune is not None:
            by_commune[cast("URIRef", actors[i].commune)].append(i)
    for members in by_commune.values():
        if len(members) > 1:
            found.update({(i, j): s for i, j, s in _similar_pairs(names, members, None)})

    located = [i for i in eligible if names[i] and not math.isnan(model.points.phi[i])]
    if located:
        lat_step = DUPLICATE_RADIUS_KM / KM_PER_DEGREE
        widest = max(abs(math.degrees(model.points.phi[i])) for i in located)
        lon_step = lat_step / max(math.cos(math.radians(min(widest, 89.0))), 1e-6)
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in located:
            lat, lon = math.degrees(model.points.phi[i]), math.degrees(model.points.lam[i])
            cells[(math.floor(lat / lat_step), math.floor(lon / lon_step))].append(i)
        for (x, y), members in cells.items():
            for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):  # each neighbouring pair of cells once
                others = members if (dx, dy) == (0, 0) else cells.get((x + dx, y + dy))
                if not others or (others is members and len(members) < 2):
                    continue
                pairs = _similar_pairs(names, members, None if others is members else others)
                for i, j, s in pairs:
                    if (i, j) not in found and distance_km(model, i, j) <= DUPLICATE_RADIUS_KM:
                        found[(i, j)] = s
    return found
