"""Overlaps between actors (DESIGN §5.2): who already does the same thing nearby, and duplicate records.

Formulas (docs/decisions/20261128-overlaps.md):

- activity overlap of A and B, unordered:
  ``overlap(A, B) = f(d) · (w_offres · O(A, B) + w_domaines · F(A, B))``, default weights 0.6 and 0.4,
  where O (offers) and F (fields) are the same idf-weighted, hierarchy-aware Dice coefficient
  ``D(A, B) = (Σ_{a ∈ A} idf(a) · m_B(a) + Σ_{b ∈ B} idf(b) · m_A(b)) / (Σ_A idf + Σ_B idf)``
  over the concepts each actor declares; ``m_B(a)`` is 1 when B declares a, 0.5 when B declares a
  concept one `skos:broader` step from a (its broader or a narrower concept; never a sibling), else 0;
  ``idf(c) = ln((1 + n) / (1 + df(c))) + 1`` with ``df(c)`` the number of actors with ``m(c) > 0``;
  ``f(d) = 1 / (1 + d / 50)`` with d in km (f = 1 when a coordinate is missing), as in the synergies;
  pairs farther than `radius_km` (30 km by default) are left out;
- duplicate records: the same SIREN (a SIRET's first 9 digits, or `mai:siren`), RNA or NIF → certain;
  names equal after folding (accents, case, punctuation, legal forms, stop words) up to a rapidfuzz
  ``token_set_ratio`` ≥ 90, in the same commune or at most 2 km apart → probable.

Per-actor questions cost one sparse row product per component; network-wide questions multiply
each cell of a grid (cells as wide as the radius) with its neighbouring cells only.

This module is the public face: import from here. The code lives in `maillage.graph._overlaps`, one
module per step (`model`, `scan`, `activity`, `identifiers`, `names`, `duplicates`, `results`, …).
"""

from __future__ import annotations

from maillage.graph._overlaps.activity import activity_overlaps, overlap_page
from maillage.graph._overlaps.duplicates import duplicate_records
from maillage.graph._overlaps.identifiers import identifier_key, read_identifiers
from maillage.graph._overlaps.names import normalise_name
from maillage.graph._overlaps.parameters import (
    DEFAULT_RADIUS_KM,
    DEFAULT_WEIGHTS,
    DISTANCE_SCALE_KM,
    DUPLICATE_RADIUS_KM,
    FIELDS,
    LEGAL_FORM_WORDS,
    NAME_SIMILARITY_THRESHOLD,
    OFFERS,
    STEP_WEIGHTS,
)

# Each ``import X as X`` keeps a name importable from here as before the split, outside `__all__`: the
# reason kinds and the argument types.
from maillage.graph._overlaps.parameters import RELATED_FIELDS as RELATED_FIELDS
from maillage.graph._overlaps.parameters import RELATED_OFFERS as RELATED_OFFERS
from maillage.graph._overlaps.parameters import SHARED_FIELDS as SHARED_FIELDS
from maillage.graph._overlaps.parameters import SHARED_OFFERS as SHARED_OFFERS
from maillage.graph._overlaps.parameters import Certainty as Certainty
from maillage.graph._overlaps.parameters import IdentifierKind as IdentifierKind
from maillage.graph._overlaps.results import (
    DuplicateCandidate,
    DuplicateEvidence,
    Overlap,
    OverlapPage,
    OverlapReason,
)
from maillage.graph.index import UnknownActorError

__all__ = [
    "DEFAULT_RADIUS_KM",
    "DEFAULT_WEIGHTS",
    "DISTANCE_SCALE_KM",
    "DUPLICATE_RADIUS_KM",
    "FIELDS",
    "LEGAL_FORM_WORDS",
    "NAME_SIMILARITY_THRESHOLD",
    "OFFERS",
    "STEP_WEIGHTS",
    "DuplicateCandidate",
    "DuplicateEvidence",
    "Overlap",
    "OverlapPage",
    "OverlapReason",
    "UnknownActorError",
    "activity_overlaps",
    "duplicate_records",
    "identifier_key",
    "normalise_name",
    "overlap_page",
    "read_identifiers",
]
