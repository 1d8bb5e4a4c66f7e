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
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from types import MappingProxyType
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rdflib.term import Literal as RDFLiteral
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph.geo import PointSet
from maillage.graph.index import ActorRecord, NetworkIndex, SparseMatrix, UnknownActorError
from maillage.graph.overlaps_texts import overlap_text, place_phrase
from maillage.graph.stores.base import Object, Store, Subject
from maillage.graph.texts import quote, quoted_list
from maillage.ontology.vocab import MAI

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
    "normalise_name",
    "overlap_page",
    "read_identifiers",
]

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
_STOP_WORDS = frozenset(
    {"le", "la", "les", "de", "du", "des", "et", "en", "au", "aux", "pour", "el", "los", "las", "del", "eta"}
)

Certainty = Literal["certain", "probable"]
IdentifierKind = Literal["siret", "siren", "rna", "nif"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_BLOCK_CELLS = 4_000_000  # candidate pairs per chunk of a network scan: bounds its memory (~100 MB)
_EPSILON = 1e-12
_KM_PER_DEGREE = 6371.0 * math.pi / 180.0


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class OverlapReason:
    """One checkable piece of evidence behind an overlap.

    `kind` is ``"offres-communes"`` / ``"domaines-communs"`` (`concepts`: what both declare) or
    ``"offres-voisines"`` / ``"domaines-voisins"`` (`concepts`: the source's concept, then the target's,
    one `skos:broader` step apart). `weight` is the reason's share of its component (the reasons of a
    component add up to it).
    """

    kind: str
    concepts: tuple[URIRef, ...]
    weight: float


@dataclass(frozen=True)
class Overlap:
    """Two actors nearby who offer the same things or work in the same fields: possible duplication.

    The pair is unordered: `source` is the actor asked about, or the smaller key network-wide.
    ``score = f(d) · Σ_k weights[k] · components[k]`` with components ``"offres"`` and ``"domaines"``.
    """

    source: str
    target: str
    score: float
    components: dict[str, float]
    shared_offers: tuple[URIRef, ...]
    shared_fields: tuple[URIRef, ...]
    distance_km: float | None
    same_commune: bool
    cross_border: bool
    #: True when the two already share a project or a partnership
    linked: bool
    reasons: tuple[OverlapReason, ...] = field(default=())

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The overlap in words: what both do, where they are; French by default, ``lang="en"``.

        Examples
        --------
        >>> index = _example_index()
        >>> print(activity_overlaps(index, actor_key="zurgin")[1].sentence(index))
        « Zurgin Menuiserie » et « Atelier Bois Solidaire » proposent tous deux « Atelier » et \
travaillent dans « Éco-construction », dans la même commune (Bayonne).
        """
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        commune = index.actor(self.source).commune_label if self.same_commune else None
        place = place_phrase(lang, self.distance_km, commune or None)
        if self.cross_border:
            place += overlap_text(lang, "cross_border")
        offers = [index.concept_label(c, lang) for c in self.shared_offers]
        fields = [index.concept_label(c, lang) for c in self.shared_fields]
        sentences: list[str] = []
        if offers or fields:
            template = "offers_and_fields" if offers and fields else "offers" if offers else "fields"
            sentences.append(
                overlap_text(
                    lang,
                    template,
                    source=source,
                    target=target,
                    offers=quoted_list(lang, offers),
                    fields=quoted_list(lang, fields),
                    place=place,
                )
            )
        for reason in self.reasons:
            if reason.kind in (RELATED_OFFERS, RELATED_FIELDS):
                first, second = (quote(lang, index.concept_label(c, lang)) for c in reason.concepts)
                template = "related_offer" if reason.kind == RELATED_OFFERS else "related_field"
                where = place if not sentences else ""
                sentences.append(
                    overlap_text(
                        lang, template, source=source, target=target, first=first, second=second, place=where
                    )
                )
        if self.linked:
            sentences.append(overlap_text(lang, "linked"))
        return " ".join(sentences)


@dataclass(frozen=True)
class OverlapPage:
    """One page of overlaps and how many there are in all (before `limit` and `offset`)."""

    items: list[Overlap]
    count: int


@dataclass(frozen=True)
class DuplicateEvidence:
    """Why two records may be one actor.

    `kind` is ``"siret"`` (the same SIRET), ``"siren"`` (the same SIREN, from two SIRETs or a SIREN),
    ``"rna"``, ``"nif"`` or ``"nom"`` (nearly identical names nearby). `value` is the shared identifier
    (for a name: the similarity, 0–100, as text); `values` what each record holds (its identifier as
    written, or its folded name).
    """

    kind: str
    value: str
    values: tuple[str, str]
    similarity: float | None = None


@dataclass(frozen=True)
class DuplicateCandidate:
    """Two records that may describe the same actor: ``"certain"`` (an identifier) or ``"probable"`` (names).

    `source` has the smaller key. `name_similarity` is the token_set_ratio (0–100) of the folded names,
    given for every candidate.
    """

    source: str
    target: str
    certainty: Certainty
    evidence: tuple[DuplicateEvidence, ...]
    name_similarity: float
    distance_km: float | None
    same_commune: bool

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The evidence in words, after « Doublon certain : » or « Doublon probable : ».

        Examples
        --------
        >>> index = _example_index()
        >>> [candidate] = duplicate_records(index, identifiers={})
        >>> print(candidate.sentence(index))
        Doublon probable : « Atelier Bois Solidaire » et « ATELIER BOIS SOLIDAIRE (SCOP) » ont des noms \
presque identiques (similarité 100 / 100 après normalisation : « atelier bois solidaire » et \
« atelier bois solidaire »), dans la même commune (Bayonne).
        """
        return overlap_text(lang, self.certainty) + " ".join(
            self._evidence_sentence(index, lang, evidence) for evidence in self.evidence
        )

    def _evidence_sentence(self, index: NetworkIndex, lang: str, evidence: DuplicateEvidence) -> str:
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        if evidence.kind == "nom":
            commune = index.actor(self.source).commune_label if self.same_commune else None
            return overlap_text(
                lang,
                "similar_names",
                source=source,
                target=target,
                similarity=round(evidence.similarity or 0.0),
                first=quote(lang, evidence.values[0]),
                second=quote(lang, evidence.values[1]),
                place=place_phrase(lang, self.distance_km, commune or None),
            )
        if evidence.kind == "siren" and evidence.values[0] != evidence.values[1]:
            first, second = (_identifier_label(lang, value) + " " + value for value in evidence.values)
            return overlap_text(
                lang,
                "same_siren",
                source=source,
                target=target,
                first=first,
                second=second,
                value=evidence.value,
            )
        what = overlap_text(lang, f"identifier_{evidence.kind}")
        return overlap_text(
            lang, "same_identifier", source=source, target=target, what=what, value=evidence.value
        )


def _identifier_label(lang: str, value: str) -> str:
    return overlap_text(lang, "identifier_siret" if len(value) == 14 else "identifier_siren")


# --------------------------------------------------------------------------------------------------
# The model derived from an index (cached in `index.derived["overlaps"]`)


@dataclass
class _Component:
    """One family of concepts (offers or fields) prepared for the Dice coefficient."""

    kind: str
    columns: tuple[URIRef, ...]
    own: SparseMatrix  # actors × concepts, 1 where the actor declares the concept
    neighbours: list[frozenset[int]]  # column -> the columns one skos:broader step away
    idf: FloatArray
    totals: FloatArray  # Σ idf of each actor's own concepts (half the Dice denominator)
    left: SparseMatrix  # [U | M]: U = own · diag(idf), M = best match weight reached
    right: SparseMatrix  # [M | U], so that left · rightᵀ = U·Mᵀ + M·Uᵀ (the Dice numerator)
    right_t: SparseMatrix  # rightᵀ, ready for row products


@dataclass
class _Model:
    n: int
    keys: list[str]
    points: PointSet
    public: BoolArray
    countries: list[str | None]
    communes: list[URIRef | None]
    offers: _Component
    fields: _Component


_MODEL_LOCK = threading.Lock()


def _model(index: NetworkIndex) -> _Model:
    model = index.derived.get("overlaps")
    if isinstance(model, _Model):
        return model
    with _MODEL_LOCK:
        model = index.derived.get("overlaps")
        if not isinstance(model, _Model):
            model = _Model(
                n=len(index.actors),
                keys=[a.key for a in index.actors],
                points=PointSet(
                    [np.nan if a.lat is None else a.lat for a in index.actors],
                    [np.nan if a.lon is None else a.lon for a in index.actors],
                ),
                public=np.array([a.is_public for a in index.actors], dtype=np.bool_),
                countries=[a.country for a in index.actors],
                communes=[a.commune for a in index.actors],
                offers=_component(index, OFFERS, index.offers, index.resource_columns, index.resource_column),
                fields=_component(index, FIELDS, index.fields, index.field_columns, index.field_column),
            )
            index.derived["overlaps"] = model
    return model


def _component(
    index: NetworkIndex,
    kind: str,
    own: SparseMatrix,
    columns: tuple[URIRef, ...],
    column: dict[URIRef, int],
) -> _Component:
    size = len(columns)
    rows: list[int] = []
    cols: list[int] = []
    for concept, i in column.items():
        record = index.concepts.get(concept)
        for parent in record.broader if record is not None else ():
            j = column.get(parent)
            if j is not None and j != i:
                rows += [i, j]
                cols += [j, i]
    step = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    step.sum_duplicates()
    neighbours = [frozenset(step.indices[step.indptr[i] : step.indptr[i + 1]].tolist()) for i in range(size)]

    own = own.tocsr(copy=True)
    own.eliminate_zeros()
    own.data[:] = STEP_WEIGHTS[0]
    reached = (own @ step).tocsr()
    reached.data[:] = STEP_WEIGHTS[1]
    reach = own.maximum(reached).tocsr()
    reach.eliminate_zeros()
    n = own.shape[0]
    document_frequency = np.bincount(reach.indices, minlength=size)
    idf: FloatArray = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    weighted = (own @ sparse.diags_array(idf)).tocsr()
    totals = np.asarray(weighted.sum(axis=1), dtype=np.float64).ravel()
    right = sparse.hstack([reach, weighted], format="csr")
    return _Component(
        kind=kind,
        columns=columns,
        own=own,
        neighbours=neighbours,
        idf=idf,
        totals=totals,
        left=sparse.hstack([weighted, reach], format="csr"),
        right=right,
        right_t=right.T.tocsr(),
    )


# --------------------------------------------------------------------------------------------------
# Checks of the arguments


def _check_weights(weights: Mapping[str, float] | None) -> tuple[float, float]:
    result = dict(DEFAULT_WEIGHTS)
    for kind, weight in (weights or {}).items():
        if kind not in DEFAULT_WEIGHTS:
            raise ValueError(
                f"Composante inconnue : « {kind} » ; composantes disponibles : {OFFERS}, {FIELDS}."
            )
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(
                f"Poids invalide pour « {kind} » : {weight} (un nombre positif ou nul est attendu)."
            )
        result[kind] = float(weight)
    if result[OFFERS] + result[FIELDS] <= 0:
        raise ValueError(
            "Les poids des offres et des domaines sont tous deux nuls : aucun chevauchement possible."
        )
    return result[OFFERS], result[FIELDS]


def _check_paging(limit: int | None, offset: int) -> None:
    if limit is not None and limit < 0:
        raise ValueError(f"Limite invalide : {limit} (un entier positif ou nul est attendu).")
    if offset < 0:
        raise ValueError(f"Décalage invalide : {offset} (un entier positif ou nul est attendu).")


def _check_radius(radius_km: float | None) -> None:
    if radius_km is not None and not radius_km >= 0:
        raise ValueError(f"Rayon invalide : {radius_km} km (une distance positive ou nulle est attendue).")


# --------------------------------------------------------------------------------------------------
# Scores


def _distance(model: _Model, a: int, b: int) -> float:
    """The distance in km between two actors, NaN when a coordinate is missing."""
    return float(model.points.distances_km(np.array([a]), np.array([b]))[0])


def _modulation(distances: FloatArray) -> FloatArray:
    """f(d) = 1 / (1 + d / 50), and 1 where the distance is unknown."""
    known = 1.0 / (1.0 + np.nan_to_num(distances) / DISTANCE_SCALE_KM)
    result: FloatArray = np.where(np.isnan(distances), 1.0, known)
    return result


@dataclass
class _Pairs:
    sources: IntArray
    targets: IntArray
    scores: FloatArray

    @staticmethod
    def concat(parts: list[_Pairs]) -> _Pairs:
        """All the pairs of `parts`, in one copy."""
        return _Pairs(
            np.concatenate([np.zeros(0, np.int64), *(p.sources for p in parts)]),
            np.concatenate([np.zeros(0, np.int64), *(p.targets for p in parts)]),
            np.concatenate([np.zeros(0, np.float64), *(p.scores for p in parts)]),
        )


def _raw_scores(
    model: _Model, rows: IntArray, cols: IntArray | None, weights: tuple[float, float]
) -> tuple[IntArray, IntArray, FloatArray]:
    """``Σ_k weight_k · D_k`` for every pair of rows × cols with a non-zero score, before distance.

    Returns positions in `rows`, positions in `cols` (actor rows when `cols` is None: every actor) and
    scores. One sparse product per component, ``[U | M][rows] · [M | U][cols]ᵀ`` (the Dice numerators),
    divided by the pairs' denominators.
    """
    width = model.n if cols is None else len(cols)
    keys: list[IntArray] = []
    values: list[FloatArray] = []
    for component, weight in ((model.offers, weights[0]), (model.fields, weights[1])):
        if weight <= 0:
            continue
        right_t = component.right_t if cols is None else component.right[cols].T
        product = sparse.csr_array(component.left[rows] @ right_t)
        row_position = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(product.indptr))
        col_position = product.indices.astype(np.int64)
        other = col_position if cols is None else cols[col_position]
        denominators = component.totals[rows[row_position]] + component.totals[other]
        keys.append(row_position * width + col_position)
        values.append(weight * product.data / denominators)
    key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    value = np.concatenate(values) if values else np.zeros(0, np.float64)
    size = len(rows) * width
    if len(key) * 8 >= size:  # dense enough: sum the two components in an array
        total = np.asarray(np.bincount(key, weights=value, minlength=size), dtype=np.float64)
        key = np.flatnonzero(total > _EPSILON)
        value = total[key]
    else:
        key, inverse = np.unique(key, return_inverse=True)
        value = np.asarray(np.bincount(inverse, weights=value), dtype=np.float64)
        keep = value > _EPSILON
        key, value = key[keep], value[keep]
    row_position, col_position = np.divmod(key, width)
    return row_position.astype(np.int64), col_position.astype(np.int64), value.astype(np.float64)


def _situate(
    model: _Model, sources: IntArray, targets: IntArray, raw: FloatArray, radius_km: float | None
) -> _Pairs:
    """Drop the pairs farther than the radius (or not located, when there is one); modulate by f(d)."""
    distances = model.points.distances_km(sources, targets)
    if radius_km is not None:
        keep = ~np.isnan(distances) & (distances <= radius_km)
        sources, targets, raw, distances = sources[keep], targets[keep], raw[keep], distances[keep]
    return _Pairs(sources, targets, raw * _modulation(distances))


def _eligible(model: _Model, *, radius_km: float | None, include_private: bool) -> IntArray:
    """The actors a scan may pair: public ones (unless `include_private`), located ones under a radius."""
    keep = np.ones(model.n, dtype=np.bool_) if include_private else model.public.copy()
    if radius_km is not None:
        keep &= ~np.isnan(model.points.phi) & ~np.isnan(model.points.lam)
    return np.flatnonzero(keep).astype(np.int64)


def _neighbourhoods(model: _Model, actors: IntArray, radius_km: float) -> Iterator[tuple[IntArray, IntArray]]:
    """(actors of a grid cell, actors of its 4 "forward" neighbour cells), for every non-empty cell.

    Cells are at least `radius_km` wide in both directions (1 % margin for the sphere), so two actors
    within the radius sit in the same or adjacent cells, and each adjacent pair of cells is visited once.
    """
    size = max(radius_km, 1e-3) * 1.01
    lat = np.degrees(model.points.phi[actors])
    lon = np.degrees(model.points.lam[actors])
    lat_step = size / _KM_PER_DEGREE
    widest = min(float(np.abs(lat).max()), 89.0) if len(actors) else 0.0
    lon_step = lat_step / math.cos(math.radians(widest))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for actor, x, y in zip(
        actors.tolist(), np.floor(lat / lat_step).tolist(), np.floor(lon / lon_step).tolist(), strict=True
    ):
        cells[(int(x), int(y))].append(actor)
    for (x, y), members in sorted(cells.items()):
        forward = [a for dx, dy in ((0, 1), (1, -1), (1, 0), (1, 1)) for a in cells.get((x + dx, y + dy), ())]
        yield np.array(members, dtype=np.int64), np.array(forward, dtype=np.int64)


def _scan(
    model: _Model,
    weights: tuple[float, float],
    *,
    radius_km: float | None,
    include_private: bool,
    wanted: int | None,
) -> tuple[_Pairs, int]:
    """The `wanted` best unordered pairs of the network (all when None) and how many there are.

    Under a radius, each grid cell is compared with itself and its forward neighbours only; without
    one, every eligible actor with every other. Rows go in chunks so that a chunk has at most
    `_BLOCK_CELLS` candidate pairs.
    """
    actors = _eligible(model, radius_km=radius_km, include_private=include_private)
    if radius_km is None:
        groups: Iterable[tuple[IntArray, IntArray]] = [(actors, np.zeros(0, np.int64))]
    else:
        groups = _neighbourhoods(model, actors, radius_km)
    best, count = _Pairs.concat([]), 0
    every: list[_Pairs] = []
    for own, forward in groups:
        cols = np.concatenate([own, forward])
        chunk = max(1, _BLOCK_CELLS // len(cols))
        for start in range(0, len(own), chunk):
            rows = own[start : start + chunk]
            row_position, col_position, raw = _raw_scores(model, rows, cols, weights)
            i, j = rows[row_position], cols[col_position]
            once = (col_position >= len(own)) | (i < j)  # a pair inside a cell is listed once
            i, j, raw = i[once], j[once], raw[once]
            pairs = _situate(model, np.minimum(i, j), np.maximum(i, j), raw, radius_km)
            count += len(pairs.scores)
            if wanted is None:
                every.append(pairs)
            else:  # keep the few best as we go: memory O(wanted) beyond one chunk
                best = _best(_Pairs.concat([best, pairs]), wanted)
    if wanted is None:
        best = _best(_Pairs.concat(every), count)
    return best, count


def _best(pairs: _Pairs, limit: int) -> _Pairs:
    """The `limit` best pairs, ties by source then target; O(m) selection before sorting the few kept."""
    scores = pairs.scores
    if limit <= 0:
        return _Pairs(pairs.sources[:0], pairs.targets[:0], scores[:0])
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold  # ties at the threshold all kept, so the tie-break stays exact
        pairs = _Pairs(pairs.sources[keep], pairs.targets[keep], scores[keep])
    order = np.lexsort((pairs.targets, pairs.sources, -pairs.scores))[:limit]
    return _Pairs(pairs.sources[order], pairs.targets[order], pairs.scores[order])


def _own_columns(component: _Component, row: int) -> list[int]:
    return sorted(component.own.indices[component.own.indptr[row] : component.own.indptr[row + 1]].tolist())


def _explain(component: _Component, a: int, b: int) -> tuple[float, tuple[URIRef, ...], list[OverlapReason]]:
    """The Dice coefficient of one pair, the concepts both declare, and the reasons that add up to it."""
    own_a, own_b = _own_columns(component, a), _own_columns(component, b)
    idf = component.idf
    denominator = float(sum(idf[c] for c in own_a) + sum(idf[c] for c in own_b))
    if denominator <= 0:
        return 0.0, (), []
    shared = sorted(set(own_a) & set(own_b))
    related: dict[tuple[int, int], float] = defaultdict(float)
    for c in own_a:  # what a declares, met by a neighbour among b's concepts (the first in IRI order)
        near = component.neighbours[c].intersection(own_b)
        if c not in shared and near:
            related[(c, min(near))] += STEP_WEIGHTS[1] * float(idf[c])
    for c in own_b:
        near = component.neighbours[c].intersection(own_a)
        if c not in shared and near:
            related[(min(near), c)] += STEP_WEIGHTS[1] * float(idf[c])
    shared_part = 2 * STEP_WEIGHTS[0] * float(sum(idf[c] for c in shared))
    value = (shared_part + sum(related.values())) / denominator
    reasons: list[OverlapReason] = []
    if shared:
        kind = SHARED_OFFERS if component.kind == OFFERS else SHARED_FIELDS
        reasons.append(
            OverlapReason(kind, tuple(component.columns[c] for c in shared), shared_part / denominator)
        )
    kind = RELATED_OFFERS if component.kind == OFFERS else RELATED_FIELDS
    for (c, d), weight in sorted(related.items(), key=lambda item: (-item[1], item[0])):
        reasons.append(
            OverlapReason(kind, (component.columns[c], component.columns[d]), weight / denominator)
        )
    return value, tuple(component.columns[c] for c in shared), reasons


def _overlap(index: NetworkIndex, model: _Model, a: int, b: int, weights: tuple[float, float]) -> Overlap:
    offers, shared_offers, offer_reasons = _explain(model.offers, a, b)
    fields, shared_fields, field_reasons = _explain(model.fields, a, b)
    distance = _distance(model, a, b)
    known = not math.isnan(distance)
    modulation = 1.0 / (1.0 + distance / DISTANCE_SCALE_KM) if known else 1.0
    components = {kind: value for kind, value in ((OFFERS, offers), (FIELDS, fields)) if value > 0}
    country_a, country_b = model.countries[a], model.countries[b]
    return Overlap(
        source=model.keys[a],
        target=model.keys[b],
        score=modulation * (weights[0] * offers + weights[1] * fields),
        components=components,
        shared_offers=shared_offers,
        shared_fields=shared_fields,
        distance_km=distance if known else None,
        same_commune=model.communes[a] is not None and model.communes[a] == model.communes[b],
        cross_border=country_a is not None and country_b is not None and country_a != country_b,
        linked=index.linked(model.keys[a], model.keys[b]),
        reasons=(*offer_reasons, *field_reasons),
    )


# --------------------------------------------------------------------------------------------------
# Public questions: activity overlaps


def overlap_page(
    index: NetworkIndex,
    *,
    actor_key: str | None = None,
    radius_km: float | None = DEFAULT_RADIUS_KM,
    limit: int | None = 50,
    offset: int = 0,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> OverlapPage:
    """One page of activity overlaps, best first, with the number of overlaps in all.

    The same answer as `activity_overlaps` (see it for the parameters), plus `offset` (how many of the
    best to skip) and the total `count` before paging, for the API's ``{data, count}`` envelope.

    Examples
    --------
    >>> page = overlap_page(_example_index(), limit=1, offset=1)
    >>> [(o.source, o.target) for o in page.items], page.count
    ([('atelier-bois', 'atelier-bois-scop')], 6)
    """
    _check_paging(limit, offset)
    _check_radius(radius_km)
    weight = _check_weights(weights)
    model = _model(index)
    wanted = None if limit is None else offset + limit
    if actor_key is None:
        best, count = _scan(
            model, weight, radius_km=radius_km, include_private=include_private, wanted=wanted
        )
    else:
        actor = index.row(actor_key)
        if not include_private and not model.public[actor]:
            raise UnknownActorError(actor_key)
        rows = np.array([actor], dtype=np.int64)
        _row_position, others, raw = _raw_scores(model, rows, None, weight)
        keep = others != actor
        if not include_private:
            keep &= model.public[others]
        pairs = _situate(model, np.full(int(keep.sum()), actor, np.int64), others[keep], raw[keep], radius_km)
        count = len(pairs.scores)
        best = _best(pairs, count if wanted is None else wanted)
    items = [
        _overlap(index, model, i, j, weight)
        for i, j in zip(best.sources[offset:].tolist(), best.targets[offset:].tolist(), strict=True)
    ]
    return OverlapPage(items=items, count=count)


def activity_overlaps(
    index: NetworkIndex,
    *,
    actor_key: str | None = None,
    radius_km: float | None = DEFAULT_RADIUS_KM,
    limit: int | None = 50,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> list[Overlap]:
    """Actors nearby who offer the same resources or work in the same fields: possible duplication.

    ``overlap(A, B) = f(d) · (0.6 · O(A, B) + 0.4 · F(A, B))`` where O and F are the idf-weighted,
    hierarchy-aware Dice coefficients of the two actors' offers and fields (module docstring), and
    ``f(d) = 1 / (1 + d / 50)``. Pairs already cooperating are kept (`Overlap.linked` says so).

    Parameters
    ----------
    index : NetworkIndex
    actor_key : str, optional
        The actor asked about (then every overlap has it as `source`); None for the whole network,
        each unordered pair once with the smaller key as `source`.
    radius_km : float or None, optional
        Keep pairs at most this far apart (default 30 km); actors without coordinates are then left
        out. None: no filter, and f = 1 for a pair whose distance is unknown.
    limit : int or None, optional
        How many overlaps (best first, ties by keys); None for all.
    weights : mapping, optional
        Overrides ``{"offres": 0.6, "domaines": 0.4}`` (`DEFAULT_WEIGHTS`).
    include_private : bool, optional
        Let persons without public consent appear (for animators only).

    Returns
    -------
    list of Overlap
        By decreasing score; each with its components, the concepts both declare, the neighbouring
        concepts (reasons), the distance, the border and whether the pair already cooperates.

    Raises
    ------
    UnknownActorError
        For an unknown key, or a private person's when `include_private` is False.
    ValueError
        For a negative limit or radius, or an unknown or negative weight.

    Notes
    -----
    Per actor: one sparse row product per component, O(Σ df of its concepts), then distances for the
    actors reached. Network-wide: actors are put in a grid of cells at least `radius_km` wide, and
    each cell is multiplied with itself and its neighbouring cells only (every eligible actor with
    every other without a radius), in chunks of at most 4 million candidate pairs: O(nnz of the local
    pair products) time. Measured on the development machine with a synthetic network spread over the
    two départements (Zipf-skewed fields and offers, 30 km): 5,000 actors 0.2 s, 25,000 actors 8 s
    and 0.7 GB; one actor's overlaps 1–3 ms. The figures of record belong to `benchmarks/`.

    Examples
    --------
    >>> index = _example_index()
    >>> [(o.target, round(o.score, 4)) for o in activity_overlaps(index, actor_key="zurgin")]
    [('atelier-bois-scop', 1.0), ('atelier-bois', 0.5201), ('forges', 0.4167)]
    >>> print(activity_overlaps(index, actor_key="zurgin")[2].sentence(index, "en"))
    “Zurgin Menuiserie” offers “Workshop” and “Forges de l'Adour” “Premises”, a related concept, \
10 km apart. “Zurgin Menuiserie” works in “Eco-building” and “Forges de l'Adour” in “Eco-renovation”, \
a related field.
    >>> [(o.source, o.target) for o in activity_overlaps(index, radius_km=None, limit=2)]
    [('atelier-bois-scop', 'zurgin'), ('atelier-bois', 'atelier-bois-scop')]
    """
    return overlap_page(
        index,
        actor_key=actor_key,
        radius_km=radius_km,
        limit=limit,
        weights=weights,
        include_private=include_private,
    ).items


# --------------------------------------------------------------------------------------------------
# Duplicate records

#: Identifier predicates read by `read_identifiers`, one pattern query each.
_IDENTIFIER_PREDICATES: tuple[tuple[IdentifierKind, URIRef], ...] = (
    ("siret", URIRef(MAI.siret)),
    ("siren", URIRef(MAI.siren)),
    ("rna", URIRef(MAI.rna)),
    ("nif", URIRef(MAI.nif)),
)


def read_identifiers(store: Store, index: NetworkIndex) -> dict[str, list[tuple[IdentifierKind, str]]]:
    """The legal identifiers of the index's actors: key → [(kind, value as written)], sorted.

    One pattern query per predicate (`mai:siret`, `mai:siren`, `mai:rna`, `mai:nif`), across the
    store's graphs; subjects that are not actors of the index are ignored.

    Examples
    --------
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> store = OxigraphStore(None)
    >>> actor = URIRef("https://w3id.org/maillage/id/actor/zurgin")
    >>> store.add_all([(actor, URIRef(MAI.siret), RDFLiteral("77271581900029"), URIRef("urn:g"))])
    >>> read_identifiers(store, _example_index())
    {'zurgin': [('siret', '77271581900029')]}
    """
    key_of = {actor.iri: actor.key for actor in index.actors}
    found: dict[str, set[tuple[IdentifierKind, str]]] = defaultdict(set)
    for kind, predicate in _IDENTIFIER_PREDICATES:
        for subject, _p, value, _g in store.quads(None, predicate, None, None):
            key = key_of.get(cast("URIRef", subject))
            if key is not None and isinstance(value, RDFLiteral) and str(value).strip():
                found[key].add((kind, str(value).strip()))
    return {key: sorted(values) for key, values in sorted(found.items())}


def normalise_name(name: str) -> str:
    """A name folded for comparison: accents, case, punctuation, legal forms and short words removed.

    >>> normalise_name("ATELIER BOIS SOLIDAIRE (SCOP)")
    'atelier bois solidaire'
    >>> normalise_name("Lanbide Berri Koop. Elk."), normalise_name("Itzulpen Mugaz Gaindi S.L.")
    ('lanbide berri', 'itzulpen mugaz gaindi')
    >>> normalise_name("Association Les Jardins de l’Adour")
    'jardins adour'
    """
    spaced = re.sub(r"[^\w]+", " ", name)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    return " ".join(w for w in words if len(w) > 1 and w not in LEGAL_FORM_WORDS and w not in _STOP_WORDS)


def _identifier_key(kind: IdentifierKind, value: str) -> tuple[str, str] | None:
    """(kind compared, canonical value): SIRET and SIREN compare by SIREN; None when malformed."""
    text = re.sub(r"[\s.\-]", "", value).upper()
    if kind == "siret":
        return ("siren", text[:9]) if re.fullmatch(r"\d{14}", text) else None
    if kind == "siren":
        return ("siren", text) if re.fullmatch(r"\d{9}", text) else None
    return (kind, text) if text else None


def _similar_pairs(
    names: list[str], first: list[int], second: list[int] | None
) -> Iterator[tuple[int, int, float]]:
    """(i, j, similarity) of actors whose folded names reach the threshold (i < j when `second` is None)."""
    left = [names[i] for i in first]
    right = left if second is None else [names[j] for j in second]
    scores = process.cdist(
        left, right, scorer=fuzz.token_set_ratio, score_cutoff=NAME_SIMILARITY_THRESHOLD, dtype=np.float64
    )
    for x, y in zip(*np.nonzero(scores), strict=True):
        i, j = first[int(x)], (first if second is None else second)[int(y)]
        if (second is None and int(x) >= int(y)) or i == j:
            continue
        yield min(i, j), max(i, j), float(scores[x, y])


def _name_candidates(
    model: _Model, actors: list[ActorRecord], eligible: list[int]
) -> dict[tuple[int, int], float]:
    """Pairs with nearly identical names in the same commune or at most `DUPLICATE_RADIUS_KM` apart.

    Blocks: the communes, then a grid whose cells are at least 2 km wide, each compared with its
    neighbours; cost O(Σ block size²) name comparisons (rapidfuzz, in C++).
    """
    names = [normalise_name(a.label) for a in actors]
    found: dict[tuple[int, int], float] = {}
    by_commune: dict[URIRef, list[int]] = defaultdict(list)
    for i in eligible:
        if names[i] and actors[i].commune is not None:
            by_commune[cast("URIRef", actors[i].commune)].append(i)
    for members in by_commune.values():
        if len(members) > 1:
            found.update({(i, j): s for i, j, s in _similar_pairs(names, members, None)})

    located = [i for i in eligible if names[i] and not math.isnan(model.points.phi[i])]
    if located:
        lat_step = DUPLICATE_RADIUS_KM / _KM_PER_DEGREE
        widest = max(abs(math.degrees(model.points.phi[i])) for i in located)
        lon_step = lat_step / max(math.cos(math.radians(min(widest, 89.0))), 1e-6)
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in located:
            lat, lon = math.degrees(model.points.phi[i]), math.degrees(model.points.lam[i])
            cells[(math.floor(lat / lat_step), math.floor(lon / lon_step))].append(i)
        for (x, y), members in cells.items():
            for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):  # each neighbouring pair of cells once
                others = members if (dx, dy) == (0, 0) else cells.get((x + dx, y + dy))
                if not others or (others is members and len(members) < 2):
                    continue
                pairs = _similar_pairs(names, members, None if others is members else others)
                for i, j, s in pairs:
                    if (i, j) not in found and _distance(model, i, j) <= DUPLICATE_RADIUS_KM:
                        found[(i, j)] = s
    return found


def duplicate_records(
    index: NetworkIndex,
    store: Store | None = None,
    *,
    identifiers: Mapping[str, Iterable[tuple[IdentifierKind, str]]] | None = None,
    limit: int | None = 100,
    include_private: bool = False,
) -> list[DuplicateCandidate]:
    """Records that probably describe the same actor: shared identifiers, or near-identical names nearby.

    - **certain**: the same SIREN (the first 9 digits of a SIRET, or a `mai:siren`), RNA or NIF;
    - **probable**: folded names (`normalise_name`) with a rapidfuzz ``token_set_ratio`` ≥ 90, in the
      same commune or at most 2 km apart. The same name 80 km away is another actor (a franchise,
      a namesake), not a duplicate.

    Parameters
    ----------
    index : NetworkIndex
    store : Store, optional
        Where the identifiers are read (`read_identifiers`, one pattern query per predicate), since the
        index does not carry them. The answer is then kept in ``index.derived`` while the store's
        generation is the index's.
    identifiers : mapping, optional
        Actor key → [(kind, value)], kind among ``"siret"``, ``"siren"``, ``"rna"``, ``"nif"``: used
        instead of reading `store`. One of `store` and `identifiers` is required.
    limit : int or None, optional
        How many candidates: certain ones first, then by name similarity, then keys.
    include_private : bool, optional
        Let persons without public consent appear (for animators only).

    Returns
    -------
    list of DuplicateCandidate

    Raises
    ------
    ValueError
        When neither `store` nor `identifiers` is given, or for a negative limit.

    Examples
    --------
    >>> index = _example_index()
    >>> found = duplicate_records(index, identifiers={"zurgin": [("siret", "77271581900029")],
    ...                                               "forges": [("siren", "772715819")]})
    >>> [(c.certainty, c.source, c.target, c.evidence[0].kind) for c in found]
    [('certain', 'forges', 'zurgin', 'siren'), ('probable', 'atelier-bois', 'atelier-bois-scop', 'nom')]
    >>> print(found[0].sentence(index, "en"))
    Certain duplicate: “Forges de l'Adour” (SIREN 772715819) and “Zurgin Menuiserie” \
(SIRET 77271581900029) have the same SIREN: 772715819.
    """
    _check_paging(limit, 0)
    if identifiers is not None:
        found = _duplicates(index, identifiers, include_private=include_private)
    elif store is None:
        raise ValueError("duplicate_records : donnez le store (pour lire les identifiants) ou `identifiers`.")
    else:
        # The index does not change, the store may have: the answer is kept while they agree.
        memo = f"overlaps.duplicates.{'all' if include_private else 'public'}"
        cached = index.derived.get(memo)
        if isinstance(cached, list) and store.generation == index.generation:
            found = cast("list[DuplicateCandidate]", cached)
        else:
            found = _duplicates(index, read_identifiers(store, index), include_private=include_private)
            if store.generation == index.generation:
                index.derived[memo] = found
    return list(found) if limit is None else found[:limit]


def _duplicates(
    index: NetworkIndex,
    identifiers: Mapping[str, Iterable[tuple[IdentifierKind, str]]],
    *,
    include_private: bool,
) -> list[DuplicateCandidate]:
    """Every duplicate candidate, certain ones first, then by name similarity, then keys."""
    model = _model(index)
    actors = index.actors
    eligible = [i for i in range(model.n) if include_private or model.public[i]]
    allowed = set(eligible)

    evidence: dict[tuple[int, int], list[DuplicateEvidence]] = defaultdict(list)
    groups: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for key, values in identifiers.items():
        row = index.position.get(key)
        if row is None or row not in allowed:
            continue
        for kind, value in sorted(values):
            canonical = _identifier_key(kind, value)
            if canonical is not None:
                groups[canonical].setdefault(row, re.sub(r"\s", "", value))
    for (compared, shared), holders in sorted(groups.items()):
        for i, j in combinations(sorted(holders), 2):
            written = (holders[i], holders[j])
            same_siret = compared == "siren" and written[0] == written[1] and len(written[0]) == 14
            evidence[(i, j)].append(
                DuplicateEvidence(
                    "siret" if same_siret else compared, written[0] if same_siret else shared, written
                )
            )

    names = _name_candidates(model, actors, eligible)
    for (i, j), similarity in names.items():
        folded = (normalise_name(actors[i].label), normalise_name(actors[j].label))
        evidence[(i, j)].append(DuplicateEvidence("nom", f"{similarity:g}", folded, similarity))

    candidates: list[DuplicateCandidate] = []
    for (i, j), found in evidence.items():
        distance = _distance(model, i, j)
        name_similarity = names.get((i, j))
        if name_similarity is None:
            name_similarity = float(
                fuzz.token_set_ratio(normalise_name(actors[i].label), normalise_name(actors[j].label))
            )
        candidates.append(
            DuplicateCandidate(
                source=model.keys[i],
                target=model.keys[j],
                certainty="probable" if all(e.kind == "nom" for e in found) else "certain",
                evidence=tuple(found),
                name_similarity=name_similarity,
                distance_km=None if math.isnan(distance) else distance,
                same_commune=model.communes[i] is not None and model.communes[i] == model.communes[j],
            )
        )
    candidates.sort(key=lambda c: (c.certainty != "certain", -c.name_similarity, c.source, c.target))
    return candidates


# --------------------------------------------------------------------------------------------------
# The tiny network of the examples (tests/test_overlaps.py works its scores out by hand)

_EXAMPLE_TURTLE = r"""
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
resource:locaux skos:inScheme mai:resources ; skos:prefLabel "Locaux"@fr, "Premises"@en .
resource:atelier skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Atelier"@fr, "Workshop"@en .
resource:bureaux skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Bureaux"@fr, "Offices"@en .
field:eco-construction skos:inScheme mai:fields ; skos:prefLabel "Éco-construction"@fr, "Eco-building"@en .
field:eco-renovation skos:inScheme mai:fields ; skos:broader field:eco-construction ;
    skos:prefLabel "Éco-rénovation"@fr, "Eco-renovation"@en .
field:insertion-professionnelle skos:inScheme mai:fields ;
    skos:prefLabel "Insertion professionnelle"@fr, "Professional integration"@en .
id:commune\/64102 skos:prefLabel "Bayonne" .
actor:zurgin a mai:Organisation ; skos:prefLabel "Zurgin Menuiserie" ; mai:basedIn id:commune\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:eco-construction ; mai:offers resource:atelier .
actor:atelier-bois a mai:Organisation ; skos:prefLabel "Atelier Bois Solidaire" ;
    mai:basedIn id:commune\/64102 ; geo:lat 43.49235 ; geo:long -1.4659 ;
    mai:field field:eco-construction, field:insertion-professionnelle ;
    mai:offers resource:atelier, resource:bureaux .
actor:atelier-bois-scop a mai:Organisation ; skos:prefLabel "ATELIER BOIS SOLIDAIRE (SCOP)" ;
    mai:basedIn id:commune\/64102 ; geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:eco-construction ;
    mai:offers resource:atelier .
actor:forges a mai:Organisation ; skos:prefLabel "Forges de l'Adour" ; mai:basedIn id:commune\/40312 ;
    geo:lat 43.58228216 ; geo:long -1.4659 ; mai:field field:eco-renovation ; mai:offers resource:locaux .
actor:pau a mai:Organisation ; skos:prefLabel "Atelier Bois Pau" ; mai:basedIn id:commune\/64445 ;
    geo:lat 43.32003 ; geo:long -0.35004 ; mai:field field:eco-construction ; mai:offers resource:atelier .
"""


def _example_index() -> NetworkIndex:
    """Five actors in Bayonne, 10 km north of it, and Pau: the network of the docstring examples."""
    from rdflib import Graph

    from maillage.graph.index import build_index
    from maillage.graph.stores.oxigraph import OxigraphStore

    graph = URIRef("https://w3id.org/maillage/graph/example")
    triples = cast(
        "Iterable[tuple[Subject, URIRef, Object]]", Graph().parse(data=_EXAMPLE_TURTLE, format="turtle")
    )
    store = OxigraphStore(None)
    store.add_all((s, p, o, graph) for s, p, o in triples)
    return build_index(store)
