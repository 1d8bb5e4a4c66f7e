"""The names and numbers of the synergy formulas: kinds, weights, distance scale, reason kinds."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

COMPLEMENTARITY = "complementarite"
POOLING = "mutualisation"
AFFINITY = "affinite"
TRIANGLE = "triangle"
COMBINED = "combine"
#: Not a score but a filter: asking for this kind keeps the items that cross the border
#: (``cross_border_only=True``) among the other kinds asked, or among all of them.
CROSS_BORDER = "transfrontalier"
#: The kinds of synergy, each with its own score; the combined ranking adds them up.
KINDS: tuple[str, ...] = (COMPLEMENTARITY, POOLING, AFFINITY, TRIANGLE)
#: Default weights of the combined ranking (each kind's score is first divided by its network maximum):
#: a need met counts most; a need shared with nobody to meet it comes next (it asks both actors to build
#: something); a resemblance and a common partner are leads, not answers.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {COMPLEMENTARITY: 1.0, POOLING: 0.75, AFFINITY: 0.5, TRIANGLE: 0.5}
)
#: match weight of an offered concept at 0, 1 and 2 `skos:broader` steps from the needed one.
HIERARCHY_WEIGHTS: tuple[float, ...] = (1.0, 0.5, 0.25)
#: weight of a field's direct broader concept in an actor's field vector (its own fields weigh 1).
BROADER_FIELD_WEIGHT = 0.5
#: d in f(d) = 1 / (1 + d / DISTANCE_SCALE_KM): at 50 km a complementarity counts half.
DISTANCE_SCALE_KM = 50.0

#: Pooling: a resource is short when at least this many actors need it …
POOLING_MIN_ACTORS = 2
#: … and its supply is below demand / POOLING_NEEDS_PER_OFFER (one offer is taken to serve three needs).
POOLING_NEEDS_PER_OFFER = 3.0
#: Pooling groups: every member is at most this far from its group's centre (the needer with the most
#: needers this close), so a group spans at most twice this.
POOLING_RADIUS_KM = 25.0
#: Closing triangles: how many intermediaries a synergy names (the score counts them all).
TRIANGLE_REASONS = 3
#: How many names a sentence lists before « et N autres ».
NAMES_IN_SENTENCE = 8

#: Reason kinds: need met by the same concept / by a neighbouring one; fields shared / related;
#: a need both actors share and nobody meets; a common partner; a collaboration across the border.
NEED_OFFER = "besoin-offre"
NEED_OFFER_RELATED = "besoin-offre-voisine"
SHARED_FIELDS = "domaines-partages"
RELATED_FIELDS = "domaines-voisins"
SHARED_NEED = "besoin-non-couvert"
INTERMEDIARY = "intermediaire"
CROSS_BORDER_LINK = "lien-transfrontalier"

Direction = Literal["needs", "offers"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EPSILON = 1e-12  # cosine rounding noise
RANK_DECIMALS = 10  # scores are ranked rounded to this many decimals: ties then fall back to key order
