"""The collaboration graph as the network indicators read it: public or complete, as integer arrays.

The public view (``include_private=False``) drops private persons (a `mai:Person` without
``mai:publicConsent true``) and every link that names them, before anything is computed: their presence
cannot be guessed from a degree, a path or a community size. Views and results are memoised on the index
(``index.derived["metrics"]``) and die with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from rdflib import URIRef
from scipy import sparse

from maillage.graph.index import NetworkIndex
from maillage.graph.metrics import engine
from maillage.graph.stores.base import Store

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
T = TypeVar("T")

_LOCK = threading.RLock()
#: results kept per index (views, centralities, communities for a few seeds …); oldest dropped first
MEMO_SIZE = 32


def memo(index: NetworkIndex, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value memoised on `index` under `key`, computed once (under a lock: two requests for the same
    costly indicator wait for one computation instead of running two).

    >>> from maillage.graph.metrics.view import example_index
    >>> index = example_index()
    >>> memo(index, ("demo",), lambda: 42), memo(index, ("demo",), lambda: 0)
    (42, 42)
    """
    with _LOCK:
        table = cast(dict[tuple[Hashable, ...], Any], index.derived.setdefault("metrics", {}))
        if key in table:
            return cast(T, table[key])
        value = compute()
        while len(table) >= MEMO_SIZE:
            del table[next(iter(table))]
        table[key] = value
        return value


@dataclass(frozen=True, eq=False)
class CollaborationView:
    """The collaboration graph restricted to the actors a caller may see, with vertices numbered ``0 … n-1``
    in index order (so in key order).

    `edges` holds each link once as ``(u, v)`` with ``u < v``, sorted; `weights` is the number of shared
    projects plus one for a partnership (used by the communities only: distances count links, not weights).
    """

    keys: tuple[str, ...]
    position: dict[str, int]
    #: the index row of each vertex
    rows: IntArray
    edges: IntArray
    weights: FloatArray
    adjacency: sparse.csr_array
    include_private: bool
    _graph: list[Any] = field(default_factory=list, repr=False)

    @property
    def n(self) -> int:
        """Number of actors (vertices)."""
        return len(self.keys)

    @property
    def m(self) -> int:
        """Number of links (edges)."""
        return int(self.edges.shape[0])

    def degrees(self) -> IntArray:
        """Distinct collaborators of each vertex."""
        return np.diff(self.adjacency.indptr).astype(np.int64)

    def neighbours(self, vertex: int) -> IntArray:
        """The vertices linked to `vertex`, in increasing order."""
        start, end = self.adjacency.indptr[vertex], self.adjacency.indptr[vertex + 1]
        return self.adjacency.indices[start:end].astype(np.int64)

    def igraph(self) -> Any:
        """The same graph for igraph (built once)."""
        with _LOCK:
            if not self._graph:
                self._graph.append(engine.make_graph(self.n, self.edges))
            return self._graph[0]


def collaboration_view(index: NetworkIndex, *, include_private: bool = False) -> CollaborationView:
    """The collaboration graph of `index` as arrays; without `include_private`, private persons and their
    links are left out. Memoised on the index. Cost: O(n + m).

    >>> view = collaboration_view(example_index())
    >>> view.keys, view.edges.tolist(), view.weights.tolist()
    (('ane', 'bea', 'cole', 'dan'), [[0, 1], [1, 2]], [1.0, 2.0])
    >>> collaboration_view(example_index(), include_private=True).n
    5
    """
    return memo(index, ("view", include_private), lambda: _build_view(index, include_private))


def _build_view(index: NetworkIndex, include_private: bool) -> CollaborationView:
    rows = [row for row, actor in enumerate(index.actors) if include_private or actor.is_public]
    keys = tuple(index.actors[row].key for row in rows)
    position = {key: vertex for vertex, key in enumerate(keys)}
    pairs: list[tuple[int, int]] = []
    weights: list[float] = []
    for a, b, data in index.collaboration.edges(data=True):
        u, v = position.get(a), position.get(b)
        if u is None or v is None or u == v:
            continue
        pairs.append((min(u, v), max(u, v)))
        weights.append(len(data.get("projects", ())) + (1.0 if data.get("partnership") else 0.0))
    edge_array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    weight_array = np.asarray(weights, dtype=np.float64)
    order = np.lexsort((edge_array[:, 1], edge_array[:, 0])) if len(pairs) else np.zeros(0, dtype=np.int64)
    edge_array, weight_array = edge_array[order], weight_array[order]
    n = len(keys)
    both = np.concatenate([edge_array, edge_array[:, ::-1]])
    adjacency = sparse.csr_array((np.ones(len(both)), (both[:, 0], both[:, 1])), shape=(n, n))
    adjacency.sort_indices()
    return CollaborationView(
        keys=keys,
        position=position,
        rows=np.asarray(rows, dtype=np.int64),
        edges=edge_array,
        weights=weight_array,
        adjacency=adjacency,
        include_private=include_private,
    )


def top_concepts(index: NetworkIndex, concept: URIRef) -> tuple[URIRef, ...]:
    """The top concepts of the `skos:broader` hierarchy above `concept` (itself when it has no broader).

    >>> from maillage.graph.metrics.view import FIELD
    >>> [str(c)[len(FIELD):] for c in top_concepts(example_index(), URIRef(FIELD + "alimentation-locale"))]
    ['circuits-courts']
    """
    tops: set[URIRef] = set()
    seen: set[URIRef] = set()
    stack = [concept]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        record = index.concepts.get(current)
        parents = [p for p in (record.broader if record is not None else ()) if p != current]
        if parents:
            stack.extend(parents)
        else:
            tops.add(current)
    return tuple(sorted(tops))


def actor_top_fields(index: NetworkIndex) -> list[tuple[URIRef, ...]]:
    """For each actor (index order), the top-level fields above its declared fields. Memoised.

    >>> [len(tops) for tops in actor_top_fields(example_index())]
    [1, 2, 1, 1, 1]
    """

    def compute() -> list[tuple[URIRef, ...]]:
        cache: dict[URIRef, tuple[URIRef, ...]] = {}
        result = []
        for actor in index.actors:
            tops: set[URIRef] = set()
            for concept in actor.fields:
                if concept not in cache:
                    cache[concept] = top_concepts(index, concept)
                tops.update(cache[concept])
            result.append(tuple(sorted(tops)))
        return result

    return memo(index, ("top-fields",), compute)


# --------------------------------------------------------------------------------------------------
# The network of the docstring examples: five actors, one of them a private person, with dates.

FIELD = "https://w3id.org/maillage/concept/field/"

_EXAMPLE_TURTLE = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix project: <https://w3id.org/maillage/id/project/> .
@prefix membership: <https://w3id.org/maillage/id/membership/> .
@prefix participation: <https://w3id.org/maillage/id/participation/> .
@prefix partnership: <https://w3id.org/maillage/id/partnership/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
field:circuits-courts skos:inScheme mai:fields ; skos:prefLabel "Circuits courts"@fr .
field:alimentation-locale skos:inScheme mai:fields ; skos:broader field:circuits-courts ;
    skos:prefLabel "Alimentation locale"@fr .
field:emploi skos:inScheme mai:fields ; skos:prefLabel "Emploi"@fr .
field:tourisme-solidaire skos:inScheme mai:fields ; skos:prefLabel "Tourisme solidaire"@fr .
resource:equipements skos:inScheme mai:resources ; skos:prefLabel "Équipements"@fr .
resource:chambre-froide skos:inScheme mai:resources ; skos:broader resource:equipements ;
    skos:prefLabel "Chambre froide"@fr .
resource:vehicules skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr .
resource:vehicule-utilitaire skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Véhicule utilitaire"@fr .
actor:ane a mai:Organisation ; skos:prefLabel "Ane" ; mai:field field:alimentation-locale ;
    mai:needs resource:chambre-froide, resource:vehicule-utilitaire .
actor:bea a mai:Organisation ; skos:prefLabel "Bea" ; mai:field field:alimentation-locale, field:emploi ;
    mai:offers resource:vehicules .
actor:cole a mai:Organisation ; skos:prefLabel "Cole" ; mai:field field:emploi .
actor:dan a mai:Organisation ; skos:prefLabel "Dan" ; mai:field field:emploi .
actor:eve a mai:Person ; skos:prefLabel "Eve" ; mai:field field:emploi .
membership:ane org:member actor:ane ; schema:startDate "2019-03-01"^^xsd:date ;
    mai:charterSigned "2019-03-01"^^xsd:date .
membership:bea org:member actor:bea ; schema:startDate "2020-01-15"^^xsd:date .
membership:cole org:member actor:cole ; schema:startDate "2021-06-01"^^xsd:date .
membership:dan org:member actor:dan ; schema:startDate "2022-05-01"^^xsd:date .
membership:eve org:member actor:eve ; schema:startDate "2021-01-01"^^xsd:date .
project:p1 a mai:Project ; skos:prefLabel "P1" ;
    schema:startDate "2020-02-01"^^xsd:date ; schema:endDate "2022-12-31"^^xsd:date .
project:p2 a mai:Project ; skos:prefLabel "P2" ; schema:startDate "2021-09-01"^^xsd:date .
participation:p1.ane mai:project project:p1 ; mai:participant actor:ane .
participation:p1.bea mai:project project:p1 ; mai:participant actor:bea .
participation:p2.bea mai:project project:p2 ; mai:participant actor:bea .
participation:p2.cole mai:project project:p2 ; mai:participant actor:cole .
participation:p2.eve mai:project project:p2 ; mai:participant actor:eve .
partnership:bea.cole a mai:Partnership ; mai:partner actor:bea, actor:cole ;
    schema:startDate "2021-09-01"^^xsd:date .
actor:bea mai:partnerOf actor:cole .
actor:cole mai:partnerOf actor:bea .
"""


def example_store() -> Store:
    """An in-memory store holding the example network: ane – bea – cole (bea and cole share project p2
    and a partnership, ane and bea project p1), dan alone, eve a private person in p2; ane needs a cold
    room and a van, bea offers vehicles, nobody works in « Tourisme solidaire »; members since 2019
    (ane), 2020 (bea), 2021 (cole, eve), 2022 (dan).

    >>> len(example_store()) > 50
    True
    """
    from rdflib import Graph

    from maillage.graph.stores.oxigraph import OxigraphStore

    graph = Graph().parse(data=_EXAMPLE_TURTLE, format="turtle")
    store = OxigraphStore(None)
    name = URIRef("https://w3id.org/maillage/graph/network/exemple")
    store.add_all((s, p, o, name) for s, p, o in graph)  # type: ignore[misc, unused-ignore]
    return store


def example_index() -> NetworkIndex:
    """The index of `example_store`.

    >>> [a.key for a in example_index().actors]
    ['ane', 'bea', 'cole', 'dan', 'eve']
    """
    from maillage.graph.index import build_index

    return build_index(example_store())
