"""The project check itself: score everything, find the needs the proposal would meet, say the verdict.

Verdicts, in this order (docs/decisions/20261128-project-check.md):

1. ``doublon`` — an existing project or a public member scores ≥ 0.60: it already does this (named);
2. ``complementaire`` — a service of the proposal meets a need that members declare and that nobody in
   the network offers (no offer of the concept nor of a concept one step away): the need and its members are
   named, with any partial overlap;
3. ``chevauchement-partiel`` — something scores ≥ 0.30 (named, up to three);
4. ``nouveau`` — nothing scores as much (the closest is named when there is one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from rdflib import URIRef

from maillage.graph.index import NetworkIndex
from maillage.graph.texts import TEXTS as SHARED_TEXTS
from maillage.graph.texts import sentence_language

from .model import NEIGHBOUR_WEIGHT, model
from .proposal import Proposal, ResolvedProposal, resolve_proposal
from .scoring import Match, make_match, score_all
from .territories import Place, Territories, territories_from_index
from .texts import lower_first, number, quote, quoted_list, say

__all__ = [
    "DUPLICATE_THRESHOLD",
    "MIN_SCORE",
    "NeedMet",
    "OVERLAP_THRESHOLD",
    "ProjectCheck",
    "VERDICTS",
    "Verdict",
    "check_project",
]

VerdictCode = Literal["doublon", "chevauchement-partiel", "complementaire", "nouveau"]
#: The verdict codes, strongest first.
VERDICTS: tuple[VerdictCode, ...] = ("doublon", "complementaire", "chevauchement-partiel", "nouveau")
#: A match at or above this score already does what the proposal would do.
DUPLICATE_THRESHOLD = 0.60
#: A match at or above this score does part of it.
OVERLAP_THRESHOLD = 0.30
#: Matches under this score are noise (one shared common word) and are not listed.
MIN_SCORE = 0.05
#: How many matches a verdict names.
NAMED = 3


@dataclass(frozen=True)
class NeedMet:
    """A need declared by members, offered by nobody, that a service of the proposal would meet.

    `weight` is 1 when the service is the needed concept, 0.5 when it is one `skos:broader` step away;
    `actors` are the keys of the members who need it (public ones, unless asked otherwise).
    """

    need: URIRef
    service: URIRef
    weight: float
    actors: tuple[str, ...]

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """« Minibus » : besoin de « … », que personne ne propose ; le projet apporterait « Minibus ».

        >>> from maillage.graph.project_check.example import example_index
        >>> from rdflib import URIRef
        >>> minibus = URIRef("https://w3id.org/maillage/concept/resource/minibus")
        >>> print(NeedMet(minibus, minibus, 1.0, ("cantine", "kultur")).sentence(example_index()))
        « Minibus » : besoin de « Cantine d'Ondres » et « Kultur Etxea », que personne ne propose ;
        le projet apporterait « Minibus ».
        """
        return say(
            lang,
            "needed_by",
            need=quote(lang, index.concept_label(self.need, lang)),
            actors=quoted_list(lang, [index.actor(key).label for key in self.actors]),
            service=quote(lang, index.concept_label(self.service, lang)),
        )


@dataclass(frozen=True)
class Verdict:
    """The answer in words: `code` (one of `VERDICTS`), the matches and needs it names."""

    code: VerdictCode
    title: str
    matches: tuple[Match, ...]
    needs_met: tuple[NeedMet, ...]

    def label(self, lang: str = "fr") -> str:
        """« doublon », « chevauchement partiel », « complémentaire » or « nouveau » (or in English)."""
        return say(lang, f"verdict.{self.code}")

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The verdict and its reasons in one or two sentences, naming projects, members and needs."""
        title = quote(lang, self.title)
        if self.code == "doublon":
            template = "duplicate" if len(self.matches) == 1 else "duplicate_many"
            sentence = say(lang, template, title=title, targets=_targets(index, self.matches, lang))
            if self.needs_met:
                needs = quoted_list(lang, [index.concept_label(n.need, lang) for n in self.needs_met[:NAMED]])
                sentence += say(lang, "duplicate_needs", needs=needs)
            return sentence
        if self.code == "chevauchement-partiel":
            return say(lang, "overlap", title=title, targets=_targets(index, self.matches, lang))
        if self.code == "complementaire":
            phrases = [
                say(
                    lang,
                    "need_of" if need.weight == 1.0 else "need_of_related",
                    need=quote(lang, index.concept_label(need.need, lang)),
                    actors=quoted_list(lang, [index.actor(k).label for k in need.actors]),
                    service=quote(lang, index.concept_label(need.service, lang)),
                )
                for need in self.needs_met[:NAMED]
            ]
            sentence = say(lang, "complement", title=title, needs=_join(lang, phrases))
            if self.matches:
                sentence += say(lang, "complement_overlap", targets=_targets(index, self.matches, lang))
            return sentence
        sentence = say(lang, "new", title=title)
        if self.matches:
            best = self.matches[0]
            sentence += say(
                lang, "new_closest", target=quote(lang, best.label), score=number(lang, best.score)
            )
        return sentence


def _targets(index: NetworkIndex, matches: tuple[Match, ...], lang: str) -> str:
    parts = []
    for match in matches:
        label, score = quote(lang, match.label), number(lang, match.score)
        if match.kind == "project":
            status = (
                say(lang, "target_status", status=lower_first(index.concept_label(match.status, lang)))
                if match.status
                else ""
            )
            parts.append(say(lang, "target_project", label=label, status=status, score=score))
        else:
            parts.append(say(lang, "target_actor", label=label, score=score))
    return _join(lang, parts)


def _join(lang: str, items: list[str]) -> str:
    catalogue = SHARED_TEXTS[sentence_language(lang)]
    if len(items) <= 1:
        return "".join(items)
    separator, last = catalogue["list_separator"], catalogue["list_last"]
    return separator.join(items[:-1]) + last + items[-1]


@dataclass(frozen=True)
class ProjectCheck:
    """The whole answer: the verdict, the best matches (at most `limit`), the needs met.

    `count` is the number of matches scoring at least `MIN_SCORE`, before the limit; `places` the
    proposal's resolved territories; `territories` says where places came from (``store`` or ``index``).
    """

    proposal: Proposal
    verdict: Verdict
    matches: tuple[Match, ...]
    count: int
    needs_met: tuple[NeedMet, ...]
    places: tuple[Place, ...]
    territories: Literal["store", "index"]


def check_project(
    index: NetworkIndex,
    proposal: Proposal,
    *,
    limit: int = 10,
    territories: Territories | None = None,
    include_private: bool = False,
) -> ProjectCheck:
    """Check a proposed common project against what the network's projects and members already do.

    Every existing project and every public actor is scored (`maillage.graph.project_check.scoring`:
    fields, services, text, territory); the best are returned with their evidence, with the needs the
    proposal would meet that nobody offers, and a verdict in words.

    Parameters
    ----------
    index : NetworkIndex
        The analysis index of the network.
    proposal : Proposal
        The proposed project; its concepts and territories are checked first.
    limit : int
        How many matches to return (the verdict may name up to three, always among the best).
    territories : Territories, optional
        The places a proposal may name and the projects' territories, normally
        ``store_territories(index, store)``. Without them, only the communes and EPCIs where actors are
        based are known, and projects are placed where their participants are.
    include_private : bool
        Also match and name persons without public consent (animators only).

    Returns
    -------
    ProjectCheck

    Raises
    ------
    ProposalError
        An empty title, no field, an unknown field, resource or territory (each named).
    ValueError
        A negative `limit`.

    Examples
    --------
    >>> from maillage.graph.project_check.example import example_index
    >>> index = example_index()
    >>> check = check_project(index, Proposal("Cuisine partagée", fields=("alimentation-locale",),
    ...                                       services=("cuisine-professionnelle",)))
    >>> check.verdict.code, [n.actors for n in check.needs_met]
    ('complementaire', [('cantine',)])
    >>> print(check.verdict.sentence(index))
    Complémentaire : « Cuisine partagée » répond au besoin « Cuisine professionnelle » exprimé par
    « Cantine d'Ondres », que personne ne propose dans le réseau.
    >>> print(check.verdict.sentence(index, "en"))
    Complements: “Cuisine partagée” meets the need for “Commercial kitchen” stated by “Cantine d'Ondres”,
    which nobody in the network offers.

    Cost: one sparse product per component over all actors and projects, plus the evidence of the
    `limit` matches kept.
    """
    if limit < 0:
        raise ValueError(f"Limite invalide : {limit} (un entier positif ou nul est attendu).")
    if territories is None:
        territories = _index_territories(index)
    resolved = resolve_proposal(index, proposal, territories)
    scores = score_all(index, resolved, territories)
    m = model(index)

    eligible = np.array(
        [include_private or actor.is_public for actor in index.actors] + [True] * len(index.projects),
        dtype=np.bool_,
    )
    kept = np.flatnonzero(eligible & (scores.score >= MIN_SCORE))
    # best first; at equal score projects before actors, then by key (stable answers)
    order = sorted(
        kept.tolist(),
        key=lambda d: (-round(float(scores.score[d]), 12), m.keys[d][0] != "project", m.keys[d][1]),
    )
    wanted = set(order[:limit]) | set(order[:NAMED])
    built = {d: make_match(index, resolved, territories, scores, d) for d in order if d in wanted}
    ranked = [built[d] for d in order if d in built]

    needs = _needs_met(index, resolved, include_private=include_private)
    duplicates = tuple(x for x in ranked if x.score >= DUPLICATE_THRESHOLD)[:NAMED]
    overlaps = tuple(x for x in ranked if x.score >= OVERLAP_THRESHOLD)[:NAMED]
    title = proposal.title.strip()
    if duplicates:
        verdict = Verdict("doublon", title, duplicates, needs)
    elif needs:
        verdict = Verdict("complementaire", title, overlaps, needs)
    elif overlaps:
        verdict = Verdict("chevauchement-partiel", title, overlaps, needs)
    else:
        verdict = Verdict("nouveau", title, tuple(ranked[:1]), needs)
    return ProjectCheck(
        proposal=proposal,
        verdict=verdict,
        matches=tuple(built[d] for d in order[:limit]),
        count=len(order),
        needs_met=needs,
        places=resolved.places,
        territories=territories.source,
    )


def _index_territories(index: NetworkIndex) -> Territories:
    cached = index.derived.get("project_check.index_territories")
    if isinstance(cached, Territories):
        return cached
    territories = territories_from_index(index)
    index.derived["project_check.index_territories"] = territories
    return territories


def _needs_met(
    index: NetworkIndex, resolved: ResolvedProposal, *, include_private: bool
) -> tuple[NeedMet, ...]:
    """The needs nobody offers that a service meets: the service itself (1) or one step away (0.5)."""
    m = model(index)
    found: list[NeedMet] = []
    for service in resolved.services:
        column = index.resource_column.get(service)
        if column is None:
            continue
        candidates = [(column, 1.0)] + [(j, NEIGHBOUR_WEIGHT) for j in m.resource_neighbours[column]]
        for need, weight in candidates:
            rows = m.unmet_needs.get(need, ())
            actors = tuple(index.actors[r].key for r in rows if include_private or index.actors[r].is_public)
            if actors:
                found.append(NeedMet(index.resource_columns[need], service, weight, actors))
    best: dict[URIRef, NeedMet] = {}
    for item in found:  # one entry per need: the service meeting it best (first given at a tie)
        if item.need not in best or item.weight > best[item.need].weight:
            best[item.need] = item
    return tuple(sorted(best.values(), key=lambda n: (-n.weight, -len(n.actors), str(n.need))))
