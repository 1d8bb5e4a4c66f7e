"""Synergies between actors (DESIGN §5.1): complementarity and affinity, with scores and reasons.

Every score is a documented formula (docs/decisions/20261128-synergy-scores.md):

- complementarity, A needs → B offers:
  ``score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)`` where ``match(B, r)`` is 1 when B
  offers r, 0.5 when B offers a concept one `skos:broader` step from r (broader or narrower), 0.25 at
  two steps up or down the same line (grand-parent, grand-child; never a sibling), the best offered
  concept counting once;
  ``idf(r) = ln((1 + n) / (1 + df(r))) + 1`` with ``df(r)`` the number of actors matching r at any
  weight; ``f(d) = 1 / (1 + d / 50)`` with d the distance in km (f = 1 when coordinates are missing);
- affinity, A ~ B: cosine of idf-weighted field vectors (1 on own fields, 0.5 on their direct broader
  concepts), for pairs not yet linked by a project or a partnership.

Per-actor questions cost one sparse row product; network-wide questions scan the products in row blocks.

This module is the public face: import from here. The code lives in `maillage.graph._synergies`, one
module per step (`model`, `complementarity`, `affinity`, `ranking`, `results`, …).
"""

from __future__ import annotations

from maillage.graph._synergies.affinity import affinities
from maillage.graph._synergies.complementarity import complementarities
from maillage.graph._synergies.parameters import (
    AFFINITY,
    BROADER_FIELD_WEIGHT,
    COMBINED,
    COMPLEMENTARITY,
    DEFAULT_WEIGHTS,
    DISTANCE_SCALE_KM,
    HIERARCHY_WEIGHTS,
    KINDS,
)

# Each ``import X as X`` keeps a name importable from here as before the split, outside `__all__`: the
# reason kinds, the argument and array types, and the index types of the signatures.
from maillage.graph._synergies.parameters import NEED_OFFER as NEED_OFFER
from maillage.graph._synergies.parameters import NEED_OFFER_RELATED as NEED_OFFER_RELATED
from maillage.graph._synergies.parameters import RELATED_FIELDS as RELATED_FIELDS
from maillage.graph._synergies.parameters import SHARED_FIELDS as SHARED_FIELDS
from maillage.graph._synergies.parameters import BoolArray as BoolArray
from maillage.graph._synergies.parameters import Direction as Direction
from maillage.graph._synergies.parameters import FloatArray as FloatArray
from maillage.graph._synergies.parameters import IntArray as IntArray
from maillage.graph._synergies.ranking import max_scores, network_synergies, synergies_for_actor
from maillage.graph._synergies.results import Reason, Synergy
from maillage.graph.index import NetworkIndex as NetworkIndex
from maillage.graph.index import SparseMatrix as SparseMatrix
from maillage.graph.index import UnknownActorError

__all__ = [
    "AFFINITY",
    "BROADER_FIELD_WEIGHT",
    "COMBINED",
    "COMPLEMENTARITY",
    "DEFAULT_WEIGHTS",
    "DISTANCE_SCALE_KM",
    "HIERARCHY_WEIGHTS",
    "KINDS",
    "Reason",
    "Synergy",
    "UnknownActorError",
    "affinities",
    "complementarities",
    "max_scores",
    "network_synergies",
    "synergies_for_actor",
]
