"""The naive formulation: data read with SPARQL, scores recomputed by plain Python loops from the formulas.

Nothing here is fast or shared with Maillage: the scores follow docs/decisions/20261128-synergy-scores.md
line by line (a double loop over actors), the centralities are networkx's on the graph SPARQL returns.
`check_synergies` and `check_centralities` compare Maillage's answers with them; the runner calls them
on the 500-actor network, tests/test_benchmarks_generator.py on a 200-actor one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from maillage.graph.index import NetworkIndex
from maillage.graph.metrics import centralities
from maillage.graph.synergies import (
    AFFINITY,
    BROADER_FIELD_WEIGHT,
    COMBINED,
    COMPLEMENTARITY,
    DEFAULT_WEIGHTS,
    DISTANCE_SCALE_KM,
    HIERARCHY_WEIGHTS,
    KINDS,
    POOLING,
    POOLING_MIN_ACTORS,
    POOLING_NEEDS_PER_OFFER,
    POOLING_RADIUS_KM,
    TRIANGLE,
    max_scores,
    synergies_for_actor,
)

TOLERANCE = 1e-9
EPSILON = 1e-12  # as Maillage: a score at or below it is rounding noise
PREFIXES = """
PREFIX mai: <https://w3id.org/maillage/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""


@dataclass
class NaiveData:
    """What the formulas need, as SPARQL returned it (IRIs as strings)."""

    actors: list[str]  # sorted by key
    key: dict[str, str]
    needs: dict[str, set[str]]
    offers: dict[str, set[str]]
    fields: dict[str, set[str]]
    broader: dict[str, set[str]]
    point: dict[str, tuple[float, float]]
    public: dict[str, bool]
    linked: set[frozenset[str]]


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [
        tuple(term.value for term in solution)  # type: ignore[union-attr]
        for solution in store.query(PREFIXES + query)  # type: ignore[union-attr]
    ]


def read_naive_data(store: ox.Store) -> NaiveData:
    """The actors, their needs, offers, fields, coordinates, consent and links, by SPARQL."""
    actors = {
        a
        for (a,) in _select(
            store,
            "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a ?t } "
            "VALUES ?t { mai:Organisation mai:Person mai:Actor } }",
        )
    }
    key = {a: a.rsplit("/", 1)[-1] for a in actors}
    persons = {a for (a,) in _select(store, "SELECT ?a WHERE { GRAPH ?g { ?a a mai:Person } }")}
    consenting = {
        a
        for (a, v) in _select(store, "SELECT ?a ?v WHERE { GRAPH ?g { ?a mai:publicConsent ?v } }")
        if v == "true"
    }

    def relation(predicate: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for s, o in _select(store, f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} }}"):
            found[s].add(o)
        return found

    points: dict[str, tuple[float, float]] = {}
    own = "SELECT ?s ?lat ?lon WHERE { GRAPH ?g { ?s geo:lat ?lat ; geo:long ?lon } }"
    located = {s: (float(lat), float(lon)) for s, lat, lon in _select(store, own)}
    based_in = relation("mai:basedIn")
    for a in actors:
        if a in located:
            points[a] = located[a]
        else:
            for place in based_in.get(a, ()):
                if place in located:
                    points[a] = located[place]
    linked: set[frozenset[str]] = set()
    together = """SELECT DISTINCT ?a ?b WHERE {
        GRAPH ?g1 { ?p1 mai:project ?project ; mai:participant ?a }
        GRAPH ?g2 { ?p2 mai:project ?project ; mai:participant ?b }
        FILTER (STR(?a) < STR(?b)) }"""
    partners = "SELECT ?a ?b WHERE { GRAPH ?g { ?a mai:partnerOf ?b } }"
    qualified = "SELECT ?a ?b WHERE { GRAPH ?g { ?x mai:partner ?a , ?b } FILTER (STR(?a) < STR(?b)) }"
    for query in (together, partners, qualified):
        linked |= {
            frozenset((a, b)) for a, b in _select(store, query) if a in actors and b in actors and a != b
        }
    return NaiveData(
        actors=sorted(actors, key=key.__getitem__),
        key=key,
        needs=relation("mai:needs"),
        offers=relation("mai:offers"),
        fields=relation("mai:field"),
        broader=relation("skos:broader"),
        point=points,
        public={a: a not in persons or a in consenting for a in actors},
        linked=linked,
    )


def haversine_km(first: tuple[float, float], second: tuple[float, float]) -> float:
    """The decision's haversine on a sphere of radius 6,371 km."""
    phi1, phi2 = math.radians(first[0]), math.radians(second[0])
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(second[1] - first[1]) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class NaiveScores:
    """Every pair's score of each kind, for the public view (``scores[kind][A][B]``), and the maxima."""

    scores: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    maxima: dict[str, float] = field(default_factory=dict)


def _steps(data: NaiveData, needed: str, offered: str) -> int | None:
    """`skos:broader` links between two concepts along one line (up or down, never both), at most 2."""

    def ancestors(concept: str) -> dict[str, int]:
        found: dict[str, int] = {}
        frontier = {concept}
        for depth in (1, 2):
            frontier = {p for c in frontier for p in data.broader.get(c, ()) if p != c}
            for p in frontier:
                found.setdefault(p, depth)
        return found

    if needed == offered:
        return 0
    found = [s for s in (ancestors(needed).get(offered), ancestors(offered).get(needed)) if s is not None]
    return min(found) if found else None


def _centred_groups(data: NaiveData, needers: list[str], radius_km: float) -> list[list[str]]:
    """Groups around centres: the needer with the most needers within `radius_km` (itself included; ties
    by key) takes every needer within the radius not yet grouped, and so on; those without coordinates
    together form one more group."""
    placed = sorted((a for a in needers if a in data.point), key=data.key.__getitem__)
    near = {a: [b for b in placed if haversine_km(data.point[a], data.point[b]) <= radius_km] for a in placed}
    grouped: set[str] = set()
    found: list[list[str]] = []
    for centre in sorted(placed, key=lambda a: (-len(near[a]), data.key[a])):
        if centre in grouped:
            continue
        members = [b for b in near[centre] if b not in grouped]
        grouped.update(members)
        found.append(members)
    unplaced = [a for a in needers if a not in data.point]
    if unplaced:
        found.append(unplaced)
    return found


def naive_scores(data: NaiveData) -> NaiveScores:
    """The formulas of `maillage.graph.synergies` (and docs/decisions/20261128-synergy-scores.md), by plain
    loops over actors, for the public view: complementarity, pooling, affinity, closing triangles."""
    n = len(data.actors)
    public = [a for a in data.actors if data.public[a]]

    def f(a: str, b: str) -> float:
        if a in data.point and b in data.point:
            return 1.0 / (1.0 + haversine_km(data.point[a], data.point[b]) / DISTANCE_SCALE_KM)
        return 1.0

    needed = {r for a in data.actors for r in data.needs.get(a, ())}
    matches: dict[tuple[str, str], float] = {}
    for b in data.actors:
        for r in needed:
            weights = [
                HIERARCHY_WEIGHTS[s] for c in data.offers.get(b, ()) if (s := _steps(data, r, c)) is not None
            ]
            matches[(b, r)] = max(weights, default=0.0)
    idf = {
        r: math.log((1 + n) / (1 + sum(1 for b in data.actors if matches[(b, r)] > 0))) + 1 for r in needed
    }

    rarity_of_group: list[tuple[set[str], float]] = []
    for r in sorted(needed):
        needers = [a for a in public if r in data.needs.get(a, ())]
        demand = len(needers)
        supply = sum(matches[(b, r)] for b in public)
        if demand >= POOLING_MIN_ACTORS and supply < demand / POOLING_NEEDS_PER_OFFER:
            for group in _centred_groups(data, needers, POOLING_RADIUS_KM):
                if len(group) >= POOLING_MIN_ACTORS:
                    rarity_of_group.append((set(group), 1.0 - POOLING_NEEDS_PER_OFFER * supply / demand))

    vectors: dict[str, dict[str, float]] = {}
    for a in data.actors:
        vector = dict.fromkeys(data.fields.get(a, ()), 1.0)
        for own in data.fields.get(a, ()):
            for parent in data.broader.get(own, ()):
                if parent != own:
                    vector[parent] = max(vector.get(parent, 0.0), BROADER_FIELD_WEIGHT)
        vectors[a] = vector
    field_idf = {
        c: math.log((1 + n) / (1 + sum(1 for v in vectors.values() if c in v))) + 1
        for c in {c for v in vectors.values() for c in v}
    }
    for a, vector in vectors.items():
        weighted = {c: value * field_idf[c] for c, value in vector.items()}
        norm = math.sqrt(sum(value * value for value in weighted.values()))
        vectors[a] = {c: value / norm for c, value in weighted.items()} if norm > 0 else {}

    partners: dict[str, set[str]] = defaultdict(set)
    for pair in data.linked:
        a, b = sorted(pair)
        partners[a].add(b)
        partners[b].add(a)

    result = NaiveScores(scores={kind: {} for kind in KINDS}, maxima=dict.fromkeys(KINDS, 0.0))
    for a in public:
        for kind in KINDS:
            result.scores[kind][a] = {}
        for b in public:
            if a == b:
                continue
            values = {
                COMPLEMENTARITY: f(a, b) * sum(matches[(b, r)] * idf[r] for r in data.needs.get(a, ())),
                POOLING: f(a, b)
                * sum(rarity for group, rarity in rarity_of_group if a in group and b in group),
            }
            if b not in partners[a]:
                values[AFFINITY] = sum(value * vectors[b].get(c, 0.0) for c, value in vectors[a].items())
                values[TRIANGLE] = sum(
                    1.0 / math.log(len(partners[m]))
                    for m in partners[a] & partners[b]
                    if data.public[m] and len(partners[m]) >= 2
                )
            for kind, value in values.items():
                if value > EPSILON:
                    result.scores[kind][a][b] = value
                    result.maxima[kind] = max(result.maxima[kind], value)
    return result


def combined(scores: NaiveScores, actor: str) -> dict[str, float]:
    """``Σ_k w_k · score_k / max_k`` (`DEFAULT_WEIGHTS`) of every public other actor with a score."""
    result: dict[str, float] = defaultdict(float)
    for kind in KINDS:
        if scores.maxima[kind] > 0:
            for b, value in scores.scores[kind][actor].items():
                result[b] += DEFAULT_WEIGHTS[kind] * value / scores.maxima[kind]
    return dict(result)


@dataclass
class Check:
    """One equality check: how many values were compared, the largest difference, the first mismatches."""

    name: str
    compared: int = 0
    max_difference: float = 0.0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def compare(self, where: str, expected: float, got: float, tolerance: float = TOLERANCE) -> None:
        self.compared += 1
        difference = abs(expected - got)
        self.max_difference = max(self.max_difference, difference)
        if difference > tolerance and len(self.mismatches) < 20:
            self.mismatches.append(f"{where}: attendu {expected!r}, obtenu {got!r}")

    def same_keys(self, where: str, expected: Iterable[str], got: Iterable[str]) -> None:
        missing, extra = set(expected) - set(got), set(got) - set(expected)
        if (missing or extra) and len(self.mismatches) < 20:
            self.mismatches.append(f"{where}: manquants {sorted(missing)[:5]}, en trop {sorted(extra)[:5]}")

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "ok": self.ok,
            "compared": self.compared,
            "max_difference": self.max_difference,
            "mismatches": self.mismatches,
        }


def compare_ranking(
    check: Check, where: str, expected: dict[str, float], got: list[tuple[str, float]], limit: int
) -> None:
    """`got` is a correct top-`limit` of `expected` when each item has its expected score and the scores are
    the `limit` best ones (so ties at the cut may name either actor)."""
    best = sorted(expected.values(), reverse=True)[:limit]
    if len(got) != len(best) and len(check.mismatches) < 20:
        check.mismatches.append(f"{where}: {len(got)} résultats au lieu de {len(best)}")
    for (key, score), wanted in zip(got, best, strict=False):
        check.compare(f"{where} rang de {key}", wanted, score)
        check.compare(f"{where} score de {key}", expected.get(key, math.nan), score)


def check_synergies(
    index: NetworkIndex, data: NaiveData, scores: NaiveScores, *, limit: int = 10
) -> list[Check]:
    """Maillage's scores of each kind (every public pair, from ``synergies_for_actor(kinds=(k,),
    limit=None)``), its network maxima, and its combined top-`limit`, against the naive ones."""
    checks = {kind: Check(kind) for kind in (*KINDS, "maxima", COMBINED)}
    maxima = max_scores(index)
    for kind in KINDS:
        checks["maxima"].compare(kind, scores.maxima[kind], maxima[kind])
    for actor in data.actors:
        if not data.public[actor]:
            continue
        key = data.key[actor]
        for kind in KINDS:
            got = {
                s.target: s.components[kind]
                for s in synergies_for_actor(index, key, kinds=(kind,), limit=None)
            }
            expected = {data.key[b]: v for b, v in scores.scores[kind][actor].items()}
            checks[kind].same_keys(key, expected, got)
            for other, value in got.items():
                checks[kind].compare(f"{key} / {other}", expected.get(other, math.nan), value)
        ranked = [(s.target, s.score) for s in synergies_for_actor(index, key, limit=limit)]
        wanted = {data.key[b]: v for b, v in combined(scores, actor).items()}
        compare_ranking(checks[COMBINED], key, wanted, ranked, limit)
    return list(checks.values())


def check_centralities(index: NetworkIndex, data: NaiveData) -> Check:
    """Maillage's degree, betweenness (exact at this size) and eigenvector against networkx on the public
    graph SPARQL returned (eigenvector within 10⁻⁶: both stop a power iteration at the same tolerance)."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(data.key[a] for a in data.actors if data.public[a])
    for pair in data.linked:
        a, b = sorted(pair)
        if data.public[a] and data.public[b]:
            graph.add_edge(data.key[a], data.key[b])
    degree = dict(graph.degree())
    betweenness = nx.betweenness_centrality(graph)
    eigenvector = nx.eigenvector_centrality(graph, max_iter=1000)
    check = Check("centralites")
    result = centralities(index, betweenness="exact")
    check.same_keys("acteurs", degree, [a.key for a in result.actors])
    for actor in result.actors:
        check.compare(f"degré de {actor.key}", degree.get(actor.key, math.nan), actor.degree)
        check.compare(
            f"intermédiarité de {actor.key}", betweenness.get(actor.key, math.nan), actor.betweenness
        )
        check.compare(
            f"vecteur propre de {actor.key}", eigenvector.get(actor.key, math.nan), actor.eigenvector, 1e-6
        )
    return check
