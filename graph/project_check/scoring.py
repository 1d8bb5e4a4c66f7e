"""How close a proposed project is to each existing project and public actor: components, score, evidence.

Formulas (docs/decisions/20261128-project-check.md); D = actors + projects of the index, n = actors:

- fields ``domaines``: cosine of idf-weighted, hierarchy-aware vectors (1 on a declared field, 0.5 on
  its direct broader concept; ``idf(c) = ln((1 + D) / (1 + df(c))) + 1`` over actors and projects);
- services ``services``: ``Σ_s idf(s) · m(s) / Σ_s idf(s)`` over the proposal's services, where for an
  actor m(s) is its best offer — 1 for s itself, 0.5 one `skos:broader` step up or down, never a
  sibling — and for a project m(s) is 1 when its name or description cites a label (fr, es, eu) of s,
  0.5 when it cites a concept one step away (top concepts — « Locaux », « Services » — are everyday
  words and never read); ``idf(s) = ln((1 + n) / (1 + df(s))) + 1``, df counting actors matching s;
- ``texte``: TF-IDF cosine of the proposal's title, description and target public with the name and
  description of the actor or project (`maillage.graph.textsim`);
- ``territoire``: 1 in the same zone (same commune, or same EPCI), else ``1 / (1 + d / 50)`` with d the
  shortest distance in km between their points; unknown (None) without places or coordinates;
- ``pertinence = 0.25 · domaines + 0.35 · services + 0.40 · texte``, or ``0.25 · domaines + 0.75 · texte``
  when the proposal names no service: sharing a field is never enough to be a duplicate, doing the same
  thing (same services, same words) is;
- ``score = pertinence · (0.7 + 0.3 · territoire)`` — the territory only ever discounts, so a neighbour
  doing something else is never a match (``territoire`` unknown: factor 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from rdflib import URIRef

from maillage.graph.geo import haversine_km, haversine_km_array
from maillage.graph.index import NetworkIndex
from maillage.graph.textsim import surface_forms

from .model import NEIGHBOUR_WEIGHT, MatchKind, Model, field_vector, model
from .proposal import ResolvedProposal
from .territories import Place, Territories
from .texts import distance_clause, lower_first, quote, quoted_list, say

__all__ = [
    "DISTANCE_SCALE_KM",
    "Evidence",
    "Match",
    "ServiceEvidence",
    "TERRITORY_WEIGHT",
    "WEIGHTS",
    "WEIGHTS_WITHOUT_SERVICES",
]

#: pertinence = Σ weight · component, when the proposal names services …
WEIGHTS: dict[str, float] = {"domaines": 0.25, "services": 0.35, "texte": 0.40}
#: … and when it names none (the services' weight goes to the text)
WEIGHTS_WITHOUT_SERVICES: dict[str, float] = {"domaines": 0.25, "services": 0.0, "texte": 0.75}
#: score = relevance · (1 − TERRITORY_WEIGHT + TERRITORY_WEIGHT · territoire)
TERRITORY_WEIGHT = 0.3
#: d in 1 / (1 + d / DISTANCE_SCALE_KM), as for the synergies: 0.5 at 50 km
DISTANCE_SCALE_KM = 50.0
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ServiceEvidence:
    """A service of the proposal found at a match: `found` is the offered or cited concept.

    `how` is ``"offre"`` (an actor offers it) or ``"cite"`` (a project's text names it); `weight` 1 for
    the service itself, 0.5 for a concept one step away.
    """

    service: URIRef
    found: URIRef
    weight: float
    how: Literal["offre", "cite"]


@dataclass(frozen=True)
class Evidence:
    """What a person can check behind a match.

    `shared_fields`: fields both declare; `related_fields`: concepts both reach only through
    `skos:broader`; `services`: the proposal's services offered or cited; `words`: the top shared words,
    as written in the proposal; `distance_km`: None when unknown or in the same zone; `place`: where the
    match is (commune, or the project's territories).
    """

    shared_fields: tuple[URIRef, ...]
    related_fields: tuple[URIRef, ...]
    services: tuple[ServiceEvidence, ...]
    words: tuple[str, ...]
    distance_km: float | None
    same_territory: bool
    place: str


@dataclass(frozen=True)
class Match:
    """An existing project or public actor that already does part of what the proposal would do.

    `components` holds ``domaines``, ``services`` (None when the proposal names no service), ``texte``,
    ``territoire`` (None when unknown) and ``pertinence`` (their weighted sum, before the territory
    factor); ``score = pertinence · (0.7 + 0.3 · territoire)``.
    """

    kind: MatchKind
    key: str
    label: str
    score: float
    components: dict[str, float | None]
    evidence: Evidence
    status: URIRef | None = None

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The evidence in one sentence, French by default.

        >>> from maillage.graph.project_check import Proposal, check_project
        >>> from maillage.graph.project_check.example import example_index
        >>> index = example_index()
        >>> check = check_project(index, Proposal("Navettes en minibus", fields=("mobilite",),
        ...                                       services=("minibus",), territory=("40312",)))
        >>> print(check.matches[0].sentence(index))
        Le projet « Navettes du Seignanx » (en cours) : domaine commun « Mobilité » ; cite « Minibus » dans
        sa description ; mots communs : Navettes, minibus ; même territoire (CC du Seignanx).
        """
        evidence = self.evidence
        label = quote(lang, self.label)
        if self.kind == "project":
            status = (
                say(lang, "status", status=lower_first(index.concept_label(self.status, lang)))
                if self.status
                else ""
            )
            subject = say(lang, "match_project", label=label, status=status)
        else:
            subject = say(lang, "match_actor", label=label)
        clauses: list[str] = []
        if evidence.shared_fields:
            labels = [index.concept_label(c, lang) for c in evidence.shared_fields]
            name = "shared_field" if len(labels) == 1 else "shared_fields"
            clauses.append(say(lang, name, concepts=quoted_list(lang, labels)))
        if evidence.related_fields:
            labels = [index.concept_label(c, lang) for c in evidence.related_fields]
            clauses.append(say(lang, "related_fields", concepts=quoted_list(lang, labels)))
        same = [e for e in evidence.services if e.weight == 1.0]
        if same:
            labels = [index.concept_label(e.found, lang) for e in same]
            clauses.append(
                say(
                    lang,
                    "offers" if same[0].how == "offre" else "mentions",
                    concepts=quoted_list(lang, labels),
                )
            )
        for item in evidence.services:
            if item.weight < 1.0:
                clauses.append(
                    say(
                        lang,
                        "offers_related" if item.how == "offre" else "mentions_related",
                        offer=quote(lang, index.concept_label(item.found, lang)),
                        service=quote(lang, index.concept_label(item.service, lang)),
                    )
                )
        if evidence.words:
            separator = say(lang, "word_separator")
            clauses.append(say(lang, "words", words=separator.join(evidence.words)))
        if not clauses:
            clauses.append(say(lang, "nothing_shared"))
        if evidence.same_territory:
            clauses.append(say(lang, "same_territory", place=evidence.place))
        elif evidence.distance_km is not None:
            clauses.append(distance_clause(lang, evidence.distance_km))
        elif self.components.get("territoire") is None:
            clauses.append(say(lang, "place_unknown"))
        return say(lang, "clauses", subject=subject, clauses=say(lang, "clause_separator").join(clauses))


# --------------------------------------------------------------------------------------------------
# Scoring all documents against one proposal


@dataclass
class Scores:
    """Every component for every document (corpus order), before any filter."""

    fields: FloatArray
    services: FloatArray | None
    text: FloatArray
    territory: FloatArray  # NaN when unknown
    distance: FloatArray  # NaN when unknown or in the same zone
    same_zone: npt.NDArray[np.bool_]
    relevance: FloatArray
    score: FloatArray


def _mentions(m: Model, column: int, project: int) -> bool:
    if column in m.resource_top:
        return False
    tokens = m.project_tokens[project]
    return any(label <= tokens for label in m.resource_tokens[column])


def _service_match(
    index: NetworkIndex, m: Model, columns: tuple[int, ...], document: int
) -> list[tuple[int, int, float]]:
    """(service column, found column, weight) for each service a document matches, its best match only.

    An actor matches by its offers, a project by the concepts its text cites; at equal weight the
    smallest column (IRI order) is kept, so the evidence is stable.
    """
    found: list[tuple[int, int, float]] = []
    if document < m.n_actors:
        offers = {
            index.resource_column[o] for o in index.actors[document].offers if o in index.resource_column
        }

        def has(column: int) -> bool:
            return column in offers
    else:
        project = document - m.n_actors

        def has(column: int) -> bool:
            return _mentions(m, column, project)

    for column in columns:
        if has(column):
            found.append((column, column, 1.0))
            continue
        near = [j for j in m.resource_neighbours[column] if has(j)]
        if near:
            found.append((column, min(near), NEIGHBOUR_WEIGHT))
    return found


def score_all(index: NetworkIndex, resolved: ResolvedProposal, territories: Territories) -> Scores:
    """Every component of every actor and project for one proposal. Cost: O(nnz) sparse products.

    >>> from maillage.graph.project_check import Proposal, resolve_proposal, territories_from_index
    >>> from maillage.graph.project_check.example import example_index
    >>> index = example_index()
    >>> territories = territories_from_index(index)
    >>> proposal = resolve_proposal(index, Proposal("Ateliers", fields=("mobilite",)), territories)
    >>> score_all(index, proposal, territories).score.round(2).tolist()  # cantine, kultur, roule, navettes
    [0.0, 0.0, 0.25, 0.25]
    """
    m = model(index)
    size = len(index.field_columns)
    declared = {index.field_column[f] for f in resolved.fields if f in index.field_column}
    query = field_vector(declared, m.field_parents, size) * m.field_idf
    norm = float(np.linalg.norm(query))
    query = query / norm if norm > 0 else query
    fields = np.clip(np.asarray(m.field_vectors @ query, dtype=np.float64), 0.0, 1.0)

    n_documents = len(m.keys)
    columns = tuple(index.resource_column[s] for s in resolved.services if s in index.resource_column)
    services: FloatArray | None = None
    if resolved.services:
        service_weights = m.service_idf[list(columns)] if columns else np.zeros(0)
        total = float(service_weights.sum())
        services = np.zeros(n_documents, dtype=np.float64)
        if total > 0:
            offered = m.match[:, list(columns)] @ service_weights
            services[: m.n_actors] = np.asarray(offered, dtype=np.float64) / total
            for project in range(n_documents - m.n_actors):
                found = _service_match(index, m, columns, m.n_actors + project)
                services[m.n_actors + project] = sum(m.service_idf[c] * w for c, _f, w in found) / total
    text = m.text.similarities(_proposal_text(resolved))
    territory, distance, same_zone = _territory(index, m, resolved.places, territories)
    weights = WEIGHTS if services is not None else WEIGHTS_WITHOUT_SERVICES
    relevance = weights["domaines"] * fields + weights["texte"] * text
    if services is not None:
        relevance = relevance + weights["services"] * services
    factor = np.where(
        np.isnan(territory), 1.0, 1.0 - TERRITORY_WEIGHT + TERRITORY_WEIGHT * np.nan_to_num(territory)
    )
    return Scores(
        fields=fields,
        services=services,
        text=text,
        territory=territory,
        distance=distance,
        same_zone=same_zone,
        relevance=relevance,
        score=relevance * factor,
    )


def _proposal_text(resolved: ResolvedProposal) -> str:
    proposal = resolved.proposal
    return f"{proposal.title}\n{proposal.description}\n{proposal.target_public}"


def _territory(
    index: NetworkIndex, m: Model, places: tuple[Place, ...], territories: Territories
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """(proximity, distance, same zone) per document; NaN proximity when unknown."""
    n_documents = len(m.keys)
    proximity = np.full(n_documents, np.nan)
    distance = np.full(n_documents, np.nan)
    same = np.zeros(n_documents, dtype=np.bool_)
    if not places:
        return proximity, distance, same
    zones = {p.zone for p in places}
    points = [p.point for p in places if p.point is not None]
    if points:
        nearest = np.min(
            np.vstack([haversine_km_array(m.lat, m.lon, lat, lon) for lat, lon in points]), axis=0
        )
        distance[: m.n_actors] = nearest
    for row, actor in enumerate(index.actors):
        zone = actor.epci if actor.epci is not None else actor.commune
        if zone is not None and zone in zones:
            same[row] = True
    for i, project in enumerate(index.projects):
        row = m.n_actors + i
        own = territories.project_places.get(project.key, ())
        if any(p.zone in zones for p in own):
            same[row] = True
            continue
        pairs = [
            haversine_km(a[0], a[1], b[0], b[1])
            for a in points
            for b in (p.point for p in own)
            if b is not None
        ]
        if pairs:
            distance[row] = min(pairs)
    proximity = np.where(
        np.isnan(distance), np.nan, 1.0 / (1.0 + np.nan_to_num(distance) / DISTANCE_SCALE_KM)
    )
    proximity[same] = 1.0
    distance[same] = np.nan
    return proximity, distance, same


# --------------------------------------------------------------------------------------------------
# Evidence for the matches kept


def make_match(
    index: NetworkIndex, resolved: ResolvedProposal, territories: Territories, scores: Scores, document: int
) -> Match:
    """The `Match` of one document (index in `Model.keys`) with its evidence; `check_project` calls it
    for the matches it keeps only."""
    m = model(index)
    kind, key = m.keys[document]
    components: dict[str, float | None] = {
        "domaines": float(scores.fields[document]),
        "services": None if scores.services is None else float(scores.services[document]),
        "texte": float(scores.text[document]),
        "territoire": None if np.isnan(scores.territory[document]) else float(scores.territory[document]),
        "pertinence": float(scores.relevance[document]),
    }
    shared, related = _field_evidence(index, m, resolved, document)
    columns = tuple(index.resource_column[s] for s in resolved.services if s in index.resource_column)
    services = tuple(
        ServiceEvidence(
            service=index.resource_columns[c],
            found=index.resource_columns[f],
            weight=w,
            how="offre" if kind == "actor" else "cite",
        )
        for c, f, w in _service_match(index, m, columns, document)
    )
    text = _proposal_text(resolved)
    forms = surface_forms(text)
    words = tuple(forms.get(term, term) for term, _share in m.text.shared_terms(text, document, limit=5))
    distance = None if np.isnan(scores.distance[document]) else float(scores.distance[document])
    if kind == "actor":
        actor = index.actor(key)
        label, status = actor.label, None
        place = actor.epci_label if scores.same_zone[document] and actor.epci_label else actor.commune_label
    else:
        project = index.projects[index.project_position[key]]
        label, status = project.label, project.status
        own = territories.project_places.get(key, ())
        zones = {p.zone for p in resolved.places}
        common = [p for p in own if p.zone in zones]
        place = ", ".join(dict.fromkeys(_zone_label(p, territories) for p in (common or own)))
    return Match(
        kind=kind,
        key=key,
        label=label,
        score=float(scores.score[document]),
        components=components,
        evidence=Evidence(
            shared_fields=shared,
            related_fields=related,
            services=services,
            words=words,
            distance_km=distance,
            same_territory=bool(scores.same_zone[document]),
            place=place,
        ),
        status=status,
    )


def _zone_label(place: Place, territories: Territories) -> str:
    if place.epci is not None and place.epci in territories.by_iri:
        return territories.by_iri[place.epci].label
    return place.label


def _field_evidence(
    index: NetworkIndex, m: Model, resolved: ResolvedProposal, document: int
) -> tuple[tuple[URIRef, ...], tuple[URIRef, ...]]:
    """Fields both declare (by contribution to the cosine), and concepts both reach only by the hierarchy."""
    declared = {index.field_column[f] for f in resolved.fields if f in index.field_column}
    theirs = m.own_fields[document]
    size = len(index.field_columns)
    mine_vector = field_vector(declared, m.field_parents, size)
    their_vector = field_vector(set(theirs), m.field_parents, size)
    contribution = mine_vector * their_vector * m.field_idf**2
    shared = sorted(declared & theirs, key=lambda c: (-contribution[c], str(index.field_columns[c])))
    related = sorted(
        (c for c in np.flatnonzero(contribution > 0).tolist() if c not in declared or c not in theirs),
        key=lambda c: (-contribution[c], str(index.field_columns[c])),
    )
    # a broader concept both reach is only worth saying when no declared field explains it already
    explained = {p for c in declared & theirs for p in m.field_parents[c]}
    related = [c for c in related if c not in explained and c not in (declared & theirs)]
    return tuple(index.field_columns[c] for c in shared), tuple(index.field_columns[c] for c in related)
