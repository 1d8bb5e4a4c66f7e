"""Duplicate records (`duplicate_records`): the same SIREN, RNA or NIF → certain; nearly identical names
nearby → probable."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import cast

from rapidfuzz import fuzz

from maillage.graph._overlaps.checks import check_paging
from maillage.graph._overlaps.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._overlaps.identifiers import identifier_key, read_identifiers
from maillage.graph._overlaps.model import model_of
from maillage.graph._overlaps.names import name_candidates, normalise_name
from maillage.graph._overlaps.parameters import IdentifierKind
from maillage.graph._overlaps.results import DuplicateCandidate, DuplicateEvidence
from maillage.graph._overlaps.scan import distance_km
from maillage.graph.index import NetworkIndex
from maillage.graph.stores.base import Store


def duplicate_records(
    index: NetworkIndex,
    store: Store | None = None,
    *,
    identifiers: Mapping[str, Iterable[tuple[IdentifierKind, str]]] | None = None,
    limit: int | None = 100,
    include_private: bool = False,
) -> list[DuplicateCandidate]:
    """Records that probably describe the same actor: shared identifiers, or near-identical names nearby.

    - **certain**: the same SIREN (the first 9 digits of a SIRET, or a `mai:siren`), RNA or NIF;
    - **probable**: folded names (`normalise_name`) with a rapidfuzz ``token_set_ratio`` ≥ 90, in the
      same commune or at most 2 km apart. The same name 80 km away is another actor (a franchise,
      a namesake), not a duplicate.

    Parameters
    ----------
    index : NetworkIndex
    store : Store, optional
        Where the identifiers are read (`read_identifiers`, one pattern query per predicate), since the
        index does not carry them. The answer is then kept in ``index.derived`` while the store's
        generation is the index's.
    identifiers : mapping, optional
        Actor key → [(kind, value)], kind among ``"siret"``, ``"siren"``, ``"rna"``, ``"nif"``: used
        instead of reading `store`. One of `store` and `identifiers` is required.
    limit : int or None, optional
        How many candidates: certain ones first, then by name similarity, then keys.
    include_private : bool, optional
        Let persons without public consent appear (for animators only).

    Returns
    -------
    list of DuplicateCandidate

    Raises
    ------
    ValueError
        When neither `store` nor `identifiers` is given, or for a negative limit.

    Examples
    --------
    >>> index = _example_index()
    >>> found = duplicate_records(index, identifiers={"zurgin": [("siret", "77271581900029")],
    ...                                               "forges": [("siren", "772715819")]})
    >>> [(c.certainty, c.source, c.target, c.evidence[0].kind) for c in found]
    [('certain', 'forges', 'zurgin', 'siren'), ('probable', 'atelier-bois', 'atelier-bois-scop', 'nom')]
    >>> print(found[0].sentence(index, "en"))
    Certain duplicate: “Forges de l'Adour” (SIREN 772715819) and “Zurgin Menuiserie” \
(SIRET 77271581900029) have the same SIREN: 772715819.
    """
    check_paging(limit, 0)
    if identifiers is not None:
        found = _duplicates(index, identifiers, include_private=include_private)
    elif store is None:
        raise ValueError("duplicate_records : donnez le store (pour lire les identifiants) ou `identifiers`.")
    else:
        # The index does not change, the store may have: the answer is kept while they agree.
        memo = f"overlaps.duplicates.{'all' if include_private else 'public'}"
        cached = index.derived.get(memo)
        if isinstance(cached, list) and store.generation == index.generation:
            found = cast("list[DuplicateCandidate]", cached)
        else:
            found = _duplicates(index, read_identifiers(store, index), include_private=include_private)
            if store.generation == index.generation:
                index.derived[memo] = found
    return list(found) if limit is None else found[:limit]


def _duplicates(
    index: NetworkIndex,
    identifiers: Mapping[str, Iterable[tuple[IdentifierKind, str]]],
    *,
    include_private: bool,
) -> list[DuplicateCandidate]:
    """Every duplicate candidate, certain ones first, then by name similarity, then keys."""
    model = model_of(index)
    actors = index.actors
    eligible = [i for i in range(model.n) if include_private or model.public[i]]
    allowed = set(eligible)

    evidence: dict[tuple[int, int], list[DuplicateEvidence]] = defaultdict(list)
    groups: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for key, values in identifiers.items():
        row = index.position.get(key)
        if row is None or row not in allowed:
            continue
        for kind, value in sorted(values):
            canonical = identifier_key(kind, value)
            if canonical is not None:
                groups[canonical].setdefault(row, re.sub(r"\s", "", value))
    for (compared, shared), holders in sorted(groups.items()):
        for i, j in combinations(sorted(holders), 2):
            written = (holders[i], holders[j])
            same_siret = compared == "siren" and written[0] == written[1] and len(written[0]) == 14
            evidence[(i, j)].append(
                DuplicateEvidence(
                    "siret" if same_siret else compared, written[0] if same_siret else shared, written
                )
            )

    names = name_candidates(model, actors, eligible)
    for (i, j), similarity in names.items():
        folded = (normalise_name(actors[i].label), normalise_name(actors[j].label))
        evidence[(i, j)].append(DuplicateEvidence("nom", f"{similarity:g}", folded, similarity))

    candidates: list[DuplicateCandidate] = []
    for (i, j), found in evidence.items():
        distance = distance_km(model, i, j)
        name_similarity = names.get((i, j))
        if name_similarity is None:
            name_similarity = float(
                fuzz.token_set_ratio(normalise_name(actors[i].label), normalise_name(actors[j].label))
            )
        candidates.append(
            DuplicateCandidate(
                source=model.keys[i],
                target=model.keys[j],
                certainty="probable" if all(e.kind == "nom" for e in found) else "certain",
                evidence=tuple(found),
                name_similarity=name_similarity,
                distance_km=None if math.isnan(distance) else distance,
                same_commune=model.communes[i] is not None and model.communes[i] == model.communes[j],
            )
        )
    candidates.sort(key=lambda c: (c.certainty != "certain", -c.name_similarity, c.source, c.target))
    return candidates
