"""Synergies between actors (DESIGN §5.1): who should work with whom, and on what — scored and explained.

Every score is a documented formula (docs/decisions/20261128-synergy-scores.md):

- complementarity, A needs → B offers:
  ``score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)`` where ``match(B, r)`` is 1 when B
  offers r, 0.5 when B offers a concept one `skos:broader` step from r (broader or narrower), 0.25 at
  two steps up or down the same line (grand-parent, grand-child; never a sibling), the best offered
  concept counting once;
  ``idf(r) = ln((1 + n) / (1 + df(r))) + 1`` with ``df(r)`` the number of actors matching r at any
  weight; ``f(d) = 1 / (1 + d / 50)`` with d the distance in km (f = 1 when coordinates are missing);
- pooling (« mutualisation »), a resource several actors need and the network lacks: r is short when
  ``demand(r) ≥ 2`` and ``supply(r) < demand(r) / 3`` (``supply = Σ_B match(B, r)``);
  ``rarity(r) = 1 − 3 · supply / demand``; its needers are grouped around centres (each member within
  25 km of its centre, the needer with the most needers nearby) and a group scores
  ``len(members) · rarity(r)``; two members of a group score
  ``pool(A, B) = f(d) · Σ_r rarity(r)`` in the combined ranking;
- affinity, A ~ B: cosine of idf-weighted field vectors (1 on own fields, 0.5 on their direct broader
  concepts), for pairs not yet linked by a project or a partnership;
- closing triangle, A and C both work with B but not together (Adamic–Adar):
  ``triangle(A, C) = Σ_{B ∈ N(A) ∩ N(C)} 1 / ln(deg(B))`` over the collaboration graph;
- cross-border: every kind can be kept across the border only (``cross_border_only``, or the kind
  « transfrontalier »), every item says whether it crosses it, and `bridges` lists the actors working on
  both sides, ``bridge(A) = (1 + same(A)) · other(A)``.

The combined ranking adds ``weight_k · score_k / max_k`` over the kinds (`DEFAULT_WEIGHTS`).
Per-actor questions cost one sparse row product per kind; network-wide questions scan the products in
row blocks; every actor's top items at once (`all_top_synergies`) is a batch over the same blocks.

This module is the public face: import from here. The code lives in `maillage.graph._synergies`, one
module per step (`model`, `filters`, `complementarity`, `pooling`, `affinity`, `triangles`, `bridges`,
`ranking`, `results`, …).
"""

from __future__ import annotations

from maillage.graph._synergies.affinity import affinities
from maillage.graph._synergies.bridges import bridges
from maillage.graph._synergies.complementarity import complementarities
from maillage.graph._synergies.filters import UnknownFilterError
from maillage.graph._synergies.parameters import (
    AFFINITY,
    BROADER_FIELD_WEIGHT,
    COMBINED,
    COMPLEMENTARITY,
    CROSS_BORDER,
    DEFAULT_WEIGHTS,
    DISTANCE_SCALE_KM,
    HIERARCHY_WEIGHTS,
    KINDS,
    POOLING,
    POOLING_MIN_ACTORS,
    POOLING_NEEDS_PER_OFFER,
    POOLING_RADIUS_KM,
    TRIANGLE,
    TRIANGLE_REASONS,
)

# Each ``import X as X`` keeps a name importable from here as before the split, outside `__all__`: the
# reason kinds, the argument and array types, and the index types of the signatures.
from maillage.graph._synergies.parameters import CROSS_BORDER_LINK as CROSS_BORDER_LINK
from maillage.graph._synergies.parameters import INTERMEDIARY as INTERMEDIARY
from maillage.graph._synergies.parameters import NEED_OFFER as NEED_OFFER
from maillage.graph._synergies.parameters import NEED_OFFER_RELATED as NEED_OFFER_RELATED
from maillage.graph._synergies.parameters import RELATED_FIELDS as RELATED_FIELDS
from maillage.graph._synergies.parameters import SHARED_FIELDS as SHARED_FIELDS
from maillage.graph._synergies.parameters import SHARED_NEED as SHARED_NEED
from maillage.graph._synergies.parameters import BoolArray as BoolArray
from maillage.graph._synergies.parameters import Direction as Direction
from maillage.graph._synergies.parameters import FloatArray as FloatArray
from maillage.graph._synergies.parameters import IntArray as IntArray
from maillage.graph._synergies.pooling import poolings, poolings_for_actor
from maillage.graph._synergies.ranking import max_scores, network_synergies, synergies_for_actor
from maillage.graph._synergies.results import Bridge, Link, Pooling, Ranked, Reason, Synergy
from maillage.graph._synergies.table import all_top_synergies
from maillage.graph._synergies.triangles import triangles
from maillage.graph.index import NetworkIndex as NetworkIndex
from maillage.graph.index import SparseMatrix as SparseMatrix
from maillage.graph.index import UnknownActorError

__all__ = [
    "AFFINITY",
    "BROADER_FIELD_WEIGHT",
    "COMBINED",
    "COMPLEMENTARITY",
    "CROSS_BORDER",
    "DEFAULT_WEIGHTS",
    "DISTANCE_SCALE_KM",
    "HIERARCHY_WEIGHTS",
    "KINDS",
    "POOLING",
    "POOLING_MIN_ACTORS",
    "POOLING_NEEDS_PER_OFFER",
    "POOLING_RADIUS_KM",
    "TRIANGLE",
    "TRIANGLE_REASONS",
    "Bridge",
    "Link",
    "Pooling",
    "Ranked",
    "Reason",
    "Synergy",
    "UnknownActorError",
    "UnknownFilterError",
    "affinities",
    "all_top_synergies",
    "bridges",
    "complementarities",
    "max_scores",
    "network_synergies",
    "poolings",
    "poolings_for_actor",
    "synergies_for_actor",
    "triangles",
]
