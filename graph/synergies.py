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
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph.geo import PointSet
from maillage.graph.index import NetworkIndex, SparseMatrix, UnknownActorError
from maillage.graph.stores.base import Object, Subject
from maillage.graph.texts import distance_phrase, quote, quoted_list, sentence_language, text

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

_BLOCK_ROWS = 1024  # rows per block in network scans: bounds memory at ~ block × n products
_EPSILON = 1e-12  # cosine rounding noise


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Reason:
    """One checkable piece of evidence behind a synergy.

    `kind` is ``"besoin-offre"`` (source needs ``concepts[0]``, target offers it: ``concepts[1]`` is the
    same concept), ``"besoin-offre-voisine"`` (target offers ``concepts[1]``, one or two `skos:broader`
    steps from the needed ``concepts[0]``), ``"domaines-partages"`` (fields both actors declare,
    strongest first) or ``"domaines-voisins"`` (concepts both reach only through the hierarchy).
    `weight` is the reason's share of the score before distance modulation: ``match · idf(r)`` for a
    need, the summed cosine terms for fields.
    """

    kind: str
    source: str
    target: str
    concepts: tuple[URIRef, ...]
    weight: float
    distance_km: float | None = None
    cross_border: bool = False

    def sentence(self, index: NetworkIndex, lang: str = "fr", *, situated: bool = True) -> str:
        """The reason in words, French by default (``lang="en"`` for English).

        With `situated` (the default) the sentence says where the other actor is: the distance for a
        need, « n'ont encore aucun … » for fields, and « (coopération transfrontalière) » across the
        border. `Synergy.sentence` says it once for several reasons.

        Examples
        --------
        >>> index = _example_index()
        >>> camion = URIRef("https://w3id.org/maillage/concept/resource/camion-frigorifique")
        >>> reason = Reason("besoin-offre", "ferme", "garraio", (camion, camion), 1.29, 12.3)
        >>> print(reason.sentence(index, "en", situated=False))
        “Ferme des Barthes” needs “Refrigerated truck”; “Coop Garraio” offers “Refrigerated truck”.
        """
        return self._render(index, lang, place=situated, not_linked=situated)

    def _render(self, index: NetworkIndex, lang: str, *, place: bool, not_linked: bool) -> str:
        lang = sentence_language(lang)
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        border = text(lang, "cross_border") if self.cross_border else ""
        if self.kind in (NEED_OFFER, NEED_OFFER_RELATED):
            need, offer = (quote(lang, index.concept_label(c, lang)) for c in self.concepts[:2])
            template = "need_offer" if self.kind == NEED_OFFER else "need_offer_related"
            where = distance_phrase(lang, self.distance_km) + border if place else ""
            return text(lang, template, source=source, target=target, need=need, offer=offer, place=where)
        if self.kind in (SHARED_FIELDS, RELATED_FIELDS):
            labels = [index.concept_label(c, lang) for c in self.concepts]
            if self.kind == RELATED_FIELDS:
                template = "related_fields"
            else:
                template = "shared_field" if len(labels) == 1 else "shared_fields"
            return text(
                lang,
                template,
                source=source,
                target=target,
                concepts=quoted_list(lang, labels),
                not_linked=text(lang, "not_linked") if not_linked else "",
                place=border if place else "",
            )
        raise ValueError(f"Type de raison inconnu : « {self.kind} »")


@dataclass(frozen=True)
class Synergy:
    """A suggested cooperation between two actors, with its score and its reasons.

    For a complementarity `source` needs and `target` offers; for an affinity the pair is unordered
    (`source` is the actor asked about, or the smaller key network-wide); for a combined item
    (`kind="combine"`) `source` is the actor asked about. `components` gives the raw score of each
    kind that contributed (``{"complementarite": 2.71, "affinite": 0.58}``); for a combined item
    ``score = Σ weight[k] · components[k] / max_scores(index)[k]``.
    """

    kind: str
    source: str
    target: str
    score: float
    components: dict[str, float]
    distance_km: float | None
    cross_border: bool
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds that contributed, in `KINDS` order."""
        return tuple(kind for kind in KINDS if kind in self.components)

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """All reasons in words, one sentence each; the place (distance, border) is said once."""
        sentences: list[str] = []
        families_said: set[bool] = set()
        for position, reason in enumerate(self.reasons):
            family = reason.kind in (NEED_OFFER, NEED_OFFER_RELATED)
            sentences.append(
                reason._render(index, lang, place=position == 0, not_linked=family not in families_said)
            )
            families_said.add(family)
        return " ".join(sentences)


# --------------------------------------------------------------------------------------------------
# The model derived from an index (cached in `index.derived`)


@dataclass
class _Model:
    n: int
    keys: list[str]
    points: PointSet
    public: BoolArray
    countries: list[str | None]
    # complementarity
    steps: list[dict[int, int]]  # resource column -> {resource column: steps 0..2}
    resource_idf: FloatArray
    match: SparseMatrix  # actors × resources: best match weight of what each actor offers
    match_t: SparseMatrix
    weighted_needs: SparseMatrix  # actors × resources: needs · idf
    weighted_needs_t: SparseMatrix
    # affinity
    field_idf: FloatArray
    explained_by: list[tuple[int, ...]]  # field column -> its direct broader columns
    field_vectors: SparseMatrix  # actors × fields: idf-weighted, hierarchy-aware, L2-normalised
    field_vectors_t: SparseMatrix
    linked_codes: IntArray  # sorted i·n + j (i < j) of pairs sharing a project or a partnership
    maxima: dict[tuple[str, bool], float] = field(default_factory=dict)


_MODEL_LOCK = threading.Lock()


def _model(index: NetworkIndex) -> _Model:
    model = index.derived.get("synergies")
    if isinstance(model, _Model):
        return model
    with _MODEL_LOCK:
        model = index.derived.get("synergies")
        if not isinstance(model, _Model):
            model = _build_model(index)
            index.derived["synergies"] = model
    return model


def _idf(n: int, document_frequency: npt.NDArray[np.int64]) -> FloatArray:
    result: FloatArray = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    return result


def _column_counts(matrix: SparseMatrix) -> npt.NDArray[np.int64]:
    """How many rows have a non-zero value in each column."""
    matrix = matrix.tocsr(copy=True)
    matrix.eliminate_zeros()
    return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)


def _at_weight(matrix: SparseMatrix, weight: float) -> SparseMatrix:
    """The same pattern of non-zeros, every value set to `weight`."""
    result = matrix.tocsr(copy=True)
    result.eliminate_zeros()
    result.data[:] = weight
    return result


def _hierarchy_steps(index: NetworkIndex) -> list[dict[int, int]]:
    """For each resource column, the columns at most two `skos:broader` steps up or down the same line.

    Siblings are not reached: « Médiation » does not answer a need for « Graphisme » because both are skills.
    """
    column = index.resource_column
    parents: list[set[int]] = [set() for _ in index.resource_columns]
    children: list[set[int]] = [set() for _ in index.resource_columns]
    for concept, i in column.items():
        record = index.concepts.get(concept)
        for parent in record.broader if record is not None else ():
            j = column.get(parent)
            if j is not None and j != i:
                parents[i].add(j)
                children[j].add(i)
    steps: list[dict[int, int]] = []
    for i in range(len(parents)):
        reach = {i: 0}
        for line in (parents, children):
            for j in line[i]:
                reach.setdefault(j, 1)
            for j in line[i]:
                for k in line[j]:
                    reach.setdefault(k, 2)
        steps.append(reach)
    return steps


def _step_matrix(steps: list[dict[int, int]], distance: int) -> SparseMatrix:
    rows = [i for i, reach in enumerate(steps) for j, s in reach.items() if s == distance]
    cols = [j for reach in steps for j, s in reach.items() if s == distance]
    size = len(steps)
    return sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(size, size))


def _build_model(index: NetworkIndex) -> _Model:
    n = len(index.actors)
    position = index.position

    # Complementarity: match(B, r) = max over B's offers c of HIERARCHY_WEIGHTS[steps(r, c)].
    steps = _hierarchy_steps(index)
    offers = index.offers.tocsr()
    match = offers.copy()
    for distance in range(1, len(HIERARCHY_WEIGHTS)):
        reached = offers @ _step_matrix(steps, distance)
        match = match.maximum(_at_weight(reached, HIERARCHY_WEIGHTS[distance])).tocsr()
    match.eliminate_zeros()
    resource_idf = _idf(n, _column_counts(match))
    weighted_needs = (index.needs @ sparse.diags_array(resource_idf)).tocsr()

    # Affinity: own fields at 1, their direct broader concepts at 0.5, times idf, L2-normalised.
    explained_by: list[tuple[int, ...]] = []
    broader_rows: list[int] = []
    broader_cols: list[int] = []
    for concept, i in sorted(index.field_column.items(), key=lambda item: item[1]):
        record = index.concepts.get(concept)
        parents = tuple(
            sorted(
                index.field_column[p]
                for p in (record.broader if record is not None else ())
                if p in index.field_column and index.field_column[p] != i
            )
        )
        explained_by.append(parents)
        broader_rows.extend([i] * len(parents))
        broader_cols.extend(parents)
    size = len(index.field_columns)
    broader = sparse.csr_array((np.ones(len(broader_rows)), (broader_rows, broader_cols)), shape=(size, size))
    own = index.fields.tocsr()
    expanded = own.maximum(_at_weight(own @ broader, BROADER_FIELD_WEIGHT)).tocsr()
    expanded.eliminate_zeros()
    field_idf = _idf(n, _column_counts(expanded))
    weighted = (expanded @ sparse.diags_array(field_idf)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1), dtype=np.float64)).ravel()
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    field_vectors = (sparse.diags_array(inverse) @ weighted).tocsr()

    codes = sorted(
        min(position[a], position[b]) * n + max(position[a], position[b])
        for a, b in index.collaboration.edges()
        if a in position and b in position
    )
    return _Model(
        n=n,
        keys=[actor.key for actor in index.actors],
        points=PointSet(
            [np.nan if a.lat is None else a.lat for a in index.actors],
            [np.nan if a.lon is None else a.lon for a in index.actors],
        ),
        public=np.array([a.is_public for a in index.actors], dtype=np.bool_),
        countries=[a.country for a in index.actors],
        steps=steps,
        resource_idf=resource_idf,
        match=match,
        match_t=match.T.tocsr(),
        weighted_needs=weighted_needs,
        weighted_needs_t=weighted_needs.T.tocsr(),
        field_idf=field_idf,
        explained_by=explained_by,
        field_vectors=field_vectors,
        field_vectors_t=field_vectors.T.tocsr(),
        linked_codes=np.array(codes, dtype=np.int64),
    )


# --------------------------------------------------------------------------------------------------
# Checks of the arguments


def _check_kinds(kinds: Collection[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = (kinds,)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ValueError(
            f"Type de synergie inconnu : « {unknown[0]} » ; types disponibles : {', '.join(KINDS)}."
        )
    if not kinds:
        raise ValueError(f"Aucun type de synergie demandé ; types disponibles : {', '.join(KINDS)}.")
    return tuple(kind for kind in KINDS if kind in kinds)


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    result = dict(DEFAULT_WEIGHTS)
    for kind, weight in (weights or {}).items():
        _check_kinds((kind,))
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(
                f"Poids invalide pour « {kind} » : {weight} (un nombre positif ou nul est attendu)."
            )
        result[kind] = float(weight)
    return result


def _check_limit(limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise ValueError(f"Limite invalide : {limit} (un entier positif ou nul est attendu).")


def _check_radius(radius_km: float | None) -> None:
    if radius_km is not None and not radius_km >= 0:
        raise ValueError(f"Rayon invalide : {radius_km} km (une distance positive ou nulle est attendue).")


# --------------------------------------------------------------------------------------------------
# Rows: one actor against all others


@dataclass
class _Row:
    others: IntArray
    scores: FloatArray
    distances: FloatArray  # NaN when a coordinate is missing


def _distances(model: _Model, rows: IntArray | int, others: IntArray) -> FloatArray:
    return model.points.distances_km(rows, others)


def _modulation(distances: FloatArray) -> FloatArray:
    """f(d) = 1 / (1 + d / 50), and 1 where the distance is unknown."""
    known = 1.0 / (1.0 + np.nan_to_num(distances) / DISTANCE_SCALE_KM)
    result: FloatArray = np.where(np.isnan(distances), 1.0, known)
    return result


def _sparse_row(product: SparseMatrix) -> tuple[IntArray, FloatArray]:
    row = product.tocsr()  # a product has no duplicate entries: no need to sort them
    return row.indices.astype(np.int64), row.data.astype(np.float64)


def _filter(
    model: _Model,
    actor: int,
    row: _Row,
    *,
    include_private: bool,
    radius_km: float | None,
    excluded: IntArray | None = None,
) -> _Row:
    keep = (row.others != actor) & (row.scores > _EPSILON)
    if not include_private:
        keep &= model.public[row.others]
    if radius_km is not None:
        keep &= ~np.isnan(row.distances) & (row.distances <= radius_km)
    if excluded is not None and len(excluded):
        keep &= ~np.isin(row.others, excluded)
    return _Row(row.others[keep], row.scores[keep], row.distances[keep])


def _complementarity_row(
    model: _Model, actor: int, *, direction: Direction, include_private: bool, radius_km: float | None
) -> _Row:
    if direction == "needs":  # what `actor` needs, offered by the others
        product = model.weighted_needs[actor : actor + 1] @ model.match_t
    else:  # what `actor` offers, needed by the others
        product = model.match[actor : actor + 1] @ model.weighted_needs_t
    others, raw = _sparse_row(product)
    distances = _distances(model, actor, others)
    row = _Row(others, raw * _modulation(distances), distances)
    return _filter(model, actor, row, include_private=include_private, radius_km=radius_km)


def _affinity_row(
    index: NetworkIndex, model: _Model, actor: int, *, include_private: bool, radius_km: float | None
) -> _Row:
    others, scores = _sparse_row(model.field_vectors[actor : actor + 1] @ model.field_vectors_t)
    linked = np.array(
        [index.position[k] for k in index.collaboration.neighbors(model.keys[actor])], dtype=np.int64
    )
    row = _Row(others, scores, _distances(model, actor, others))
    return _filter(model, actor, row, include_private=include_private, radius_km=radius_km, excluded=linked)


def _top(keys: IntArray, scores: FloatArray, limit: int | None) -> IntArray:
    """Positions of the best scores, ties broken by key order (actors are sorted by key)."""
    order = np.lexsort((keys, -scores)).astype(np.int64)
    return order if limit is None else order[:limit]


# --------------------------------------------------------------------------------------------------
# Reasons


def _cross_border(model: _Model, a: int, b: int) -> bool:
    ca, cb = model.countries[a], model.countries[b]
    return ca is not None and cb is not None and ca != cb


def _distance_or_none(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _row_entries(matrix: SparseMatrix, row: int) -> dict[int, float]:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))


def _complementarity_reasons(
    index: NetworkIndex, model: _Model, needer: int, offerer: int, distance: float | None
) -> tuple[Reason, ...]:
    needs = sorted(_row_entries(index.needs, needer))
    offers = sorted(_row_entries(index.offers, offerer))
    cross = _cross_border(model, needer, offerer)
    reasons: list[Reason] = []
    for need in needs:
        reach = model.steps[need]
        candidates = [(reach[offer], offer) for offer in offers if offer in reach]
        if not candidates:
            continue
        steps, offer = min(candidates)  # fewest steps, then the first column (IRI order)
        reasons.append(
            Reason(
                kind=NEED_OFFER if steps == 0 else NEED_OFFER_RELATED,
                source=model.keys[needer],
                target=model.keys[offerer],
                concepts=(index.resource_columns[need], index.resource_columns[offer]),
                weight=HIERARCHY_WEIGHTS[steps] * float(model.resource_idf[need]),
                distance_km=distance,
                cross_border=cross,
            )
        )
    reasons.sort(key=lambda r: (-r.weight, str(r.concepts[0])))
    return tuple(reasons)


def _affinity_reasons(
    index: NetworkIndex, model: _Model, a: int, b: int, distance: float | None
) -> tuple[Reason, ...]:
    vector_a = _row_entries(model.field_vectors, a)
    vector_b = _row_entries(model.field_vectors, b)
    contribution = {c: vector_a[c] * vector_b[c] for c in vector_a.keys() & vector_b.keys()}
    own_shared = set(_row_entries(index.fields, a)) & set(_row_entries(index.fields, b))
    explained = own_shared | {p for c in own_shared for p in model.explained_by[c]}
    cross = _cross_border(model, a, b)

    def reason(kind: str, columns: set[int], weight_columns: set[int]) -> Reason:
        ordered = sorted(columns, key=lambda c: (-contribution[c], str(index.field_columns[c])))
        return Reason(
            kind=kind,
            source=model.keys[a],
            target=model.keys[b],
            concepts=tuple(index.field_columns[c] for c in ordered),
            weight=float(sum(contribution[c] for c in weight_columns)),
            distance_km=distance,
            cross_border=cross,
        )

    reasons: list[Reason] = []
    if own_shared:
        reasons.append(reason(SHARED_FIELDS, own_shared, explained & contribution.keys()))
    related = contribution.keys() - explained
    if related:
        reasons.append(reason(RELATED_FIELDS, set(related), set(related)))
    return tuple(reasons)


# --------------------------------------------------------------------------------------------------
# Public questions


def complementarities(
    index: NetworkIndex,
    actor_key: str,
    *,
    limit: int | None = 20,
    radius_km: float | None = None,
    direction: Direction = "needs",
    include_private: bool = False,
) -> list[Synergy]:
    """Who offers what this actor needs (or, with ``direction="offers"``, who needs what it offers).

    ``score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)`` (module docstring). The source of
    each result is the actor who needs, the target the one who offers; one reason per need met.

    Parameters
    ----------
    index : NetworkIndex
    actor_key : str
        The actor asked about.
    limit : int or None, optional
        How many results (best first); None for all.
    radius_km : float, optional
        Keep only actors at most this far; actors without coordinates are then left out.
    direction : {"needs", "offers"}, optional
        "needs": the others offer what `actor_key` needs; "offers": the others need what it offers.
    include_private : bool, optional
        Let persons without public consent appear (for animators only).

    Returns
    -------
    list of Synergy
        Of kind ``"complementarite"``, by decreasing score then key of the other actor.

    Raises
    ------
    UnknownActorError
        For an unknown key. `ValueError` for a negative limit or radius.

    Notes
    -----
    Cost: one sparse row product, O(Σ_{r ∈ needs(A)} df(r)), plus reasons for the `limit` kept.
    The first question on a new index builds the model (a few sparse products, O(nnz)).

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4)) for s in complementarities(index, "ferme")]
    [('tiers-lieu', 2.2185), ('garraio', 0.7929)]
    >>> print(complementarities(index, "ferme", radius_km=40)[1].sentence(index))
    « Ferme des Barthes » a besoin de « Camion frigorifique » ; « Coop Garraio » propose \
« Camion frigorifique » (à 31 km) (coopération transfrontalière).
    """
    actor = index.row(actor_key)
    _check_limit(limit)
    _check_radius(radius_km)
    if direction not in ("needs", "offers"):
        raise ValueError(f"Sens inconnu : « {direction} » (attendu : needs ou offers).")
    model = _model(index)
    row = _complementarity_row(
        model, actor, direction=direction, include_private=include_private, radius_km=radius_km
    )
    results: list[Synergy] = []
    for i in _top(row.others, row.scores, limit):
        other = int(row.others[i])
        needer, offerer = (actor, other) if direction == "needs" else (other, actor)
        distance = _distance_or_none(row.distances[i])
        score = float(row.scores[i])
        results.append(
            Synergy(
                kind=COMPLEMENTARITY,
                source=model.keys[needer],
                target=model.keys[offerer],
                score=score,
                components={COMPLEMENTARITY: score},
                distance_km=distance,
                cross_border=_cross_border(model, needer, offerer),
                reasons=_complementarity_reasons(index, model, needer, offerer, distance),
            )
        )
    return results


def affinities(
    index: NetworkIndex,
    actor_key: str,
    *,
    limit: int | None = 20,
    radius_km: float | None = None,
    include_private: bool = False,
) -> list[Synergy]:
    """Actors with similar fields of activity that share no project and no partnership with this one.

    ``affinity(A, B) = cos(x_A, x_B)`` where ``x`` has 1 on the actor's own fields and 0.5 on their
    direct broader concepts, each column times ``idf(c) = ln((1 + n) / (1 + df(c))) + 1``, rows
    L2-normalised. Only scores > 0, never the actor itself nor an actor it is already linked to.

    Parameters
    ----------
    index, actor_key, limit, radius_km, include_private
        As in `complementarities`.

    Returns
    -------
    list of Synergy
        Of kind ``"affinite"``, source `actor_key`, by decreasing score then key of the other actor.
        Reasons: the fields both declare (strongest first), then concepts shared only through the
        hierarchy.

    Raises
    ------
    UnknownActorError
        For an unknown key.

    Notes
    -----
    Cost: one sparse row product, O(Σ_{c ∈ x_A} df(c)).

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4)) for s in affinities(index, "ferme")]
    [('tiers-lieu', 0.6322), ('garraio', 0.362)]
    >>> print(affinities(index, "ferme")[0].sentence(index, "en"))
    “Ferme des Barthes” and “Tiers-lieu Itsasoa” share the field “Local food” and have no project or \
partnership together yet.
    """
    actor = index.row(actor_key)
    _check_limit(limit)
    _check_radius(radius_km)
    model = _model(index)
    row = _affinity_row(index, model, actor, include_private=include_private, radius_km=radius_km)
    results: list[Synergy] = []
    for i in _top(row.others, row.scores, limit):
        other = int(row.others[i])
        distance = _distance_or_none(row.distances[i])
        score = float(row.scores[i])
        results.append(
            Synergy(
                kind=AFFINITY,
                source=model.keys[actor],
                target=model.keys[other],
                score=score,
                components={AFFINITY: score},
                distance_km=distance,
                cross_border=_cross_border(model, actor, other),
                reasons=_affinity_reasons(index, model, actor, other, distance),
            )
        )
    return results


def synergies_for_actor(
    index: NetworkIndex,
    actor_key: str,
    *,
    kinds: Collection[str] = KINDS,
    limit: int | None = 20,
    radius_km: float | None = None,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> list[Synergy]:
    """The combined ranking of an actor's synergies: one item per other actor, every kind summed.

    ``combined(A, B) = Σ_k weights[k] · score_k(A, B) / max_k``, where ``max_k`` is the best score of
    kind k over the whole network (`max_scores`) and complementarity is A needs → B offers. Default
    weights: ``{"complementarite": 1.0, "affinite": 0.5}`` (`DEFAULT_WEIGHTS`); a kind whose network
    maximum is 0 adds nothing.

    Parameters
    ----------
    kinds : collection of str, optional
        Among `KINDS`.
    weights : mapping, optional
        Overrides some or all of `DEFAULT_WEIGHTS`.
    index, actor_key, limit, radius_km, include_private
        As in `complementarities`; the radius applies to every kind.

    Returns
    -------
    list of Synergy
        Of kind ``"combine"``, source `actor_key`; `components` holds the raw score of each kind that
        contributed, `reasons` the complementarity reasons then the affinity ones.

    Raises
    ------
    UnknownActorError
        For an unknown key. `ValueError` for an unknown kind or a negative weight, limit or radius.

    Notes
    -----
    Cost: one sparse row product per kind. The network maxima are computed once per index by a full
    scan (see `network_synergies`); warm them with `max_scores` after a rebuild on large networks.

    Examples
    --------
    >>> index = _example_index()
    >>> [(s.target, round(s.score, 4), s.kinds) for s in synergies_for_actor(index, "ferme")]
    [('tiers-lieu', 1.5, ('complementarite', 'affinite')), \
('garraio', 0.6437, ('complementarite', 'affinite'))]
    """
    actor = index.row(actor_key)
    chosen = _check_kinds(kinds)
    weight = _check_weights(weights)
    _check_limit(limit)
    _check_radius(radius_km)
    model = _model(index)
    maxima = max_scores(index, include_private=include_private)

    rows: dict[str, _Row] = {}
    for kind in chosen:
        if kind == COMPLEMENTARITY:
            rows[kind] = _complementarity_row(
                model, actor, direction="needs", include_private=include_private, radius_km=radius_km
            )
        else:
            rows[kind] = _affinity_row(
                index, model, actor, include_private=include_private, radius_km=radius_km
            )

    combined = np.zeros(model.n, dtype=np.float64)
    components: dict[int, dict[str, float]] = {}
    distances: dict[int, float] = {}
    for kind, row in rows.items():
        if maxima[kind] <= 0:
            continue
        combined[row.others] += weight[kind] * row.scores / maxima[kind]
        entries = zip(row.others.tolist(), row.scores.tolist(), row.distances.tolist(), strict=True)
        for other, score, distance in entries:
            components.setdefault(other, {})[kind] = score
            distances[other] = distance
    candidates = np.array(sorted(components), dtype=np.int64)
    results: list[Synergy] = []
    for i in _top(candidates, combined[candidates], limit):
        other = int(candidates[i])
        distance = _distance_or_none(distances[other])
        reasons: tuple[Reason, ...] = ()
        if COMPLEMENTARITY in components[other]:
            reasons += _complementarity_reasons(index, model, actor, other, distance)
        if AFFINITY in components[other]:
            reasons += _affinity_reasons(index, model, actor, other, distance)
        results.append(
            Synergy(
                kind=COMBINED,
                source=model.keys[actor],
                target=model.keys[other],
                score=float(combined[other]),
                components={k: components[other][k] for k in KINDS if k in components[other]},
                distance_km=distance,
                cross_border=_cross_border(model, actor, other),
                reasons=reasons,
            )
        )
    return results


# --------------------------------------------------------------------------------------------------
# Network-wide


@dataclass
class _Scan:
    sources: IntArray
    targets: IntArray
    scores: FloatArray
    max_all: float
    max_public: float


def _best(
    sources: IntArray, targets: IntArray, scores: FloatArray, limit: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """The `limit` best pairs, ties by source then target; O(m) selection before sorting the few kept."""
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold  # ties at the threshold all kept, so the tie-break stays exact
        sources, targets, scores = sources[keep], targets[keep], scores[keep]
    order = np.lexsort((targets, sources, -scores))[:limit]
    return sources[order], targets[order], scores[order]


def _scan(index: NetworkIndex, model: _Model, kind: str, *, limit: int, include_private: bool) -> _Scan:
    """Every scored pair of one kind, block by block, keeping the best `limit` and the maxima."""
    n = model.n
    best_i = np.zeros(0, dtype=np.int64)
    best_j = np.zeros(0, dtype=np.int64)
    best_s = np.zeros(0, dtype=np.float64)
    max_all = max_public = 0.0
    for start in range(0, n, _BLOCK_ROWS):
        end = min(n, start + _BLOCK_ROWS)
        if kind == COMPLEMENTARITY:
            block = (model.weighted_needs[start:end] @ model.match_t).tocsr()
        else:
            block = (model.field_vectors[start:end] @ model.field_vectors_t).tocsr()
        i = (np.repeat(np.arange(end - start), np.diff(block.indptr)) + start).astype(np.int64)
        j = block.indices.astype(np.int64)
        s = block.data.astype(np.float64)
        if kind == COMPLEMENTARITY:
            keep = i != j
            s = s * _modulation(_distances(model, i, j))
        else:
            keep = i < j  # unordered pairs, once
            keep &= ~np.isin(i * n + j, model.linked_codes)
        keep &= s > _EPSILON
        i, j, s = i[keep], j[keep], s[keep]
        if len(s):
            max_all = max(max_all, float(s.max()))
        public = model.public[i] & model.public[j]
        if public.any():
            max_public = max(max_public, float(s[public].max()))
        if not include_private:
            i, j, s = i[public], j[public], s[public]
        if limit:
            i, j, s = _best(i, j, s, limit)
            best_i, best_j, best_s = _best(
                np.concatenate([best_i, i]), np.concatenate([best_j, j]), np.concatenate([best_s, s]), limit
            )
    model.maxima[(kind, True)] = max_all
    model.maxima[(kind, False)] = max_public
    return _Scan(best_i, best_j, best_s, max_all, max_public)


def max_scores(index: NetworkIndex, *, include_private: bool = False) -> dict[str, float]:
    """The best score of each kind over the network (pairs of public actors unless `include_private`).

    They normalise the combined ranking. Computed once per index by a full scan of the network, in
    blocks of rows (cost O(nnz of the pair products)), then cached in `index.derived`.

    Examples
    --------
    >>> {kind: round(score, 4) for kind, score in max_scores(_example_index()).items()}
    {'complementarite': 2.2185, 'affinite': 0.6322}
    """
    model = _model(index)
    for kind in KINDS:
        if (kind, include_private) not in model.maxima:
            _scan(index, model, kind, limit=0, include_private=include_private)
    return {kind: model.maxima[(kind, include_private)] for kind in KINDS}


def network_synergies(
    index: NetworkIndex,
    *,
    kinds: Collection[str] = KINDS,
    limit: int = 50,
    weights: Mapping[str, float] | None = None,
    include_private: bool = False,
) -> list[Synergy]:
    """The best pairs of the whole network, every requested kind ranked together.

    Complementarity pairs are directed (source needs → target offers); affinity pairs are unordered and
    listed once (source = the smaller key). Items of different kinds are ranked by
    ``weights[k] · score / max_scores(index)[k]``, ties by source then target key; each item keeps its
    own kind and raw score. Private persons appear on neither side unless `include_private`.

    Parameters
    ----------
    kinds, weights, include_private
        As in `synergies_for_actor`.
    limit : int, optional
        How many pairs in all.

    Returns
    -------
    list of Synergy

    Notes
    -----
    A batch job: it computes every pair product in blocks of rows, O(nnz of N·idf·Mᵀ and X·Xᵀ) time
    and O(block × n) memory.

    Examples
    --------
    >>> [(s.kind, s.source, s.target) for s in network_synergies(_example_index(), limit=3)]
    [('complementarite', 'ferme', 'tiers-lieu'), ('affinite', 'ferme', 'tiers-lieu'), \
('complementarite', 'ferme', 'garraio')]
    """
    chosen = _check_kinds(kinds)
    weight = _check_weights(weights)
    _check_limit(limit)
    model = _model(index)
    items: list[tuple[float, int, int, int, str, float]] = []
    for rank, kind in enumerate(chosen):
        scan = _scan(index, model, kind, limit=limit, include_private=include_private)
        top = scan.max_all if include_private else scan.max_public
        if top <= 0:
            continue
        for i, j, s in zip(scan.sources.tolist(), scan.targets.tolist(), scan.scores.tolist(), strict=True):
            items.append((-weight[kind] * s / top, i, j, rank, kind, s))
    items.sort()
    results: list[Synergy] = []
    for _rank_score, i, j, _kind_rank, kind, score in items[:limit]:
        distance = _distance_or_none(float(_distances(model, i, np.array([j], dtype=np.int64))[0]))
        reasons = (
            _complementarity_reasons(index, model, i, j, distance)
            if kind == COMPLEMENTARITY
            else _affinity_reasons(index, model, i, j, distance)
        )
        results.append(
            Synergy(
                kind=kind,
                source=model.keys[i],
                target=model.keys[j],
                score=score,
                components={kind: score},
                distance_km=distance,
                cross_border=_cross_border(model, i, j),
                reasons=reasons,
            )
        )
    return results


# --------------------------------------------------------------------------------------------------
# The tiny network of the examples (tests/test_synergies.py works its scores out by hand)

_EXAMPLE_TURTLE = r"""
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
resource:vehicules skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr, "Vehicles"@en .
resource:camion-frigorifique skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Camion frigorifique"@fr, "Refrigerated truck"@en .
resource:salle-reunion skos:inScheme mai:resources ; skos:prefLabel "Salle de réunion"@fr, "Meeting room"@en .
field:circuits-courts skos:inScheme mai:fields ;
    skos:prefLabel "Circuits courts"@fr, "Short supply chains"@en .
field:alimentation-locale skos:inScheme mai:fields ; skos:broader field:circuits-courts ;
    skos:prefLabel "Alimentation locale"@fr, "Local food"@en .
field:insertion-professionnelle skos:inScheme mai:fields ;
    skos:prefLabel "Insertion professionnelle"@fr, "Professional integration"@en .
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:basedIn id:commune\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:alimentation-locale ;
    mai:needs resource:camion-frigorifique, resource:salle-reunion .
actor:tiers-lieu a mai:Organisation ; skos:prefLabel "Tiers-lieu Itsasoa" ; mai:basedIn id:commune\/64483 ;
    geo:lat 43.39448 ; geo:long -1.63056 ;
    mai:field field:alimentation-locale, field:insertion-professionnelle ;
    mai:offers resource:salle-reunion, resource:camion-frigorifique .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:basedIn id:municipio\/20045 ;
    geo:lat 43.33904 ; geo:long -1.78938 ; mai:field field:circuits-courts ;
    mai:offers resource:camion-frigorifique .
"""


def _example_index() -> NetworkIndex:
    """Three actors in Bayonne, Saint-Jean-de-Luz and Irun: the network of the docstring examples."""
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
