"""The names and numbers of the synergy formulas: kinds, weights, distance scale, reason kinds."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

COMPLEMENTARITY = "complementarite"
AFFINITY = "affinite"
COMBINED = "combine"
#: The kinds of synergy computed so far (pooling, triangles and cross-border bridges come next).
KINDS: tuple[str, ...] = (COMPLEMENTARITY, AFFINITY)
#: Default weights of the combined ranking (each kind's score is first divided by its network maximum).
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({COMPLEMENTARITY: 1.0, AFFINITY: 0.5})
#: match weight of an offered concept at 0, 1 and 2 `skos:broader` steps from the needed one.
HIERARCHY_WEIGHTS: tuple[float, ...] = (1.0, 0.5, 0.25)
#: weight of a field's direct broader concept in an actor's field vector (its own fields weigh 1).
BROADER_FIELD_WEIGHT = 0.5
#: d in f(d) = 1 / (1 + d / DISTANCE_SCALE_KM): at 50 km a complementarity counts half.
DISTANCE_SCALE_KM = 50.0

#: Reason kinds: need met by the same concept / by a neighbouring one; fields shared / related.
NEED_OFFER = "besoin-offre"
NEED_OFFER_RELATED = "besoin-offre-voisine"
SHARED_FIELDS = "domaines-partages"
RELATED_FIELDS = "domaines-voisins"

Direction = Literal["needs", "offers"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EPSILON = 1e-12  # cosine rounding noise
