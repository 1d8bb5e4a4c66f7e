"""The names and numbers of the overlap formulas: components, weights, distances, thresholds, reason kinds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

#: Component names (keys of `Overlap.components` and of the weights).
OFFERS = "offres"
FIELDS = "domaines"
#: Weight of each component in the overlap score: offering the same thing is what competes.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({OFFERS: 0.6, FIELDS: 0.4})
#: Match weight of a concept at 0 and 1 `skos:broader` step (never two, never a sibling).
STEP_WEIGHTS: tuple[float, float] = (1.0, 0.5)
#: d in f(d) = 1 / (1 + d / DISTANCE_SCALE_KM), as for the synergies.
DISTANCE_SCALE_KM = 50.0
#: Overlaps farther apart than this are not listed (the charter's concern is the same territory).
DEFAULT_RADIUS_KM = 30.0
#: rapidfuzz token_set_ratio (0–100) from which two folded names are "nearly identical".
NAME_SIMILARITY_THRESHOLD = 90.0
#: Nearly identical names in different communes are a probable duplicate up to this distance.
DUPLICATE_RADIUS_KM = 2.0

#: Reason kinds.
SHARED_OFFERS = "offres-communes"
RELATED_OFFERS = "offres-voisines"
SHARED_FIELDS = "domaines-communs"
RELATED_FIELDS = "domaines-voisins"

#: Words dropped from names before comparing them: legal forms (fr, es, eu), once folded.
LEGAL_FORM_WORDS = frozenset(
    {
        # France
        "association", "asso", "assoc", "scop", "scic", "sarl", "sas", "sasu", "sa", "eurl", "snc",
        "sca", "sci", "gie", "cooperative", "coop",
        # Spain, Basque Country
        "sl", "slu", "sll", "scoop", "cooperativa", "asociacion", "koop", "kooperatiba", "elk",
        "elkartea",
    }
)  # fmt: skip
#: Short words that make names look alike without naming anything (plus every one-letter token).
STOP_WORDS = frozenset(
    {"le", "la", "les", "de", "du", "des", "et", "en", "au", "aux", "pour", "el", "los", "las", "del", "eta"}
)

Certainty = Literal["certain", "probable"]
IdentifierKind = Literal["siret", "siren", "rna", "nif"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KM_PER_DEGREE = 6371.0 * math.pi / 180.0
