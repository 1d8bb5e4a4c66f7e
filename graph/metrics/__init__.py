"""Network indicators (DESIGN §5.4): centralities, brokers, communities, periphery, gaps, paths, evolution.

Every function reads a `NetworkIndex` (and, for the evolution, the dated facts of its store), answers for
the public view unless asked ``include_private=True``, memoises its result on the index, and returns
records whose ``sentence(index, lang)`` says the result in French (or English). Methods, thresholds and
the sampling error are in docs/decisions/20261128-network-metrics.md.

>>> from maillage.graph.metrics import centralities, communities
>>> from maillage.graph.metrics.view import example_index
>>> index = example_index()
>>> centralities(index).ranked("degree")[0].key, len(communities(index, seed=0).communities)
('bea', 1)
"""

from __future__ import annotations

from maillage.graph.metrics.brokers import DIMENSIONS, Broker, Dimension, GroupCount, brokers
from maillage.graph.metrics.centrality import (
    DEFAULT_SAMPLE_SOURCES,
    EXACT_BETWEENNESS_MAX_WORK,
    ActorCentrality,
    BetweennessMethod,
    Centralities,
    CentralityName,
    centralities,
)
from maillage.graph.metrics.communities import Communities, Community, communities
from maillage.graph.metrics.evolution import (
    DatedNetwork,
    Evolution,
    YearIndicators,
    evolution,
    read_dated_network,
)
from maillage.graph.metrics.gaps import FieldGap, Gaps, NeedGap, RelatedOffer, field_gaps, gaps, need_gaps
from maillage.graph.metrics.paths import CollaborationPath, PathStep, collaboration_path
from maillage.graph.metrics.periphery import STATUSES, PeripheralActor, peripheral_actors
from maillage.graph.metrics.view import CollaborationView, collaboration_view

__all__ = [
    "DEFAULT_SAMPLE_SOURCES",
    "DIMENSIONS",
    "EXACT_BETWEENNESS_MAX_WORK",
    "STATUSES",
    "ActorCentrality",
    "BetweennessMethod",
    "Broker",
    "Centralities",
    "CentralityName",
    "CollaborationPath",
    "CollaborationView",
    "Communities",
    "Community",
    "DatedNetwork",
    "Dimension",
    "Evolution",
    "FieldGap",
    "Gaps",
    "GroupCount",
    "NeedGap",
    "PathStep",
    "PeripheralActor",
    "RelatedOffer",
    "YearIndicators",
    "brokers",
    "centralities",
    "collaboration_path",
    "collaboration_view",
    "communities",
    "evolution",
    "field_gaps",
    "gaps",
    "need_gaps",
    "peripheral_actors",
    "read_dated_network",
]
