"""The project check (DESIGN §5.3, the charter's subsidiarity): does a proposed common project duplicate
or compete with what the network's projects and members already do, or does it meet a need nobody meets?

>>> from maillage.graph.project_check import Proposal, check_project
>>> from maillage.graph.project_check.example import example_index
>>> check = check_project(example_index(), Proposal("Navettes en minibus", fields=("mobilite",),
...                                                 services=("minibus",), territory=("40312",)))
>>> check.verdict.code, check.matches[0].key, round(check.matches[0].score, 4)
('doublon', 'navettes', 0.8907)

Formulas, weights and thresholds: docs/decisions/20261128-project-check.md.
"""

from __future__ import annotations

from .check import (
    DUPLICATE_THRESHOLD,
    MIN_SCORE,
    OVERLAP_THRESHOLD,
    VERDICTS,
    NeedMet,
    ProjectCheck,
    Verdict,
    check_project,
)
from .proposal import (
    Proposal,
    ProposalError,
    ProposalProblem,
    ResolvedProposal,
    load_proposal,
    proposal_from_mapping,
    resolve_proposal,
)
from .scoring import (
    DISTANCE_SCALE_KM,
    TERRITORY_WEIGHT,
    WEIGHTS,
    WEIGHTS_WITHOUT_SERVICES,
    Evidence,
    Match,
    ServiceEvidence,
)
from .territories import Place, Territories, store_territories, territories_from_index, territories_from_store

__all__ = [
    "DISTANCE_SCALE_KM",
    "DUPLICATE_THRESHOLD",
    "MIN_SCORE",
    "OVERLAP_THRESHOLD",
    "TERRITORY_WEIGHT",
    "VERDICTS",
    "WEIGHTS",
    "WEIGHTS_WITHOUT_SERVICES",
    "Evidence",
    "Match",
    "NeedMet",
    "Place",
    "ProjectCheck",
    "Proposal",
    "ProposalError",
    "ProposalProblem",
    "ResolvedProposal",
    "ServiceEvidence",
    "Territories",
    "Verdict",
    "check_project",
    "load_proposal",
    "proposal_from_mapping",
    "resolve_proposal",
    "store_territories",
    "territories_from_index",
    "territories_from_store",
]
