"""Validate mapped data against `ontology/shapes.ttl` (pyshacl) and report each violation in words."""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import threading
from collections.abc import Collection
from functools import lru_cache
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SDO, SH, SKOS

from maillage.graph.stores.base import Store
from maillage.ingest.local_concepts import local_concepts
from maillage.ingest.report import Problem
from maillage.ingest.shacl_data import data_graph
from maillage.ingest.spreadsheet import Mapped
from maillage.ontology.iri import DATA_BASE
from maillage.ontology.vocab import GEO, MAI, ontology_graph, shapes_graph

COLUMNS = {
    SKOS.prefLabel: "nom",
    MAI.actorType: "type",
    MAI.field: "domaines",
    MAI.basedIn: "commune",
    GEO.lat: "latitude",
    GEO.long: "longitude",
    MAI.siret: "siret",
    MAI.rna: "rna",
    MAI.nif: "nif",
    MAI.publicConsent: "consentement_public",
    DCTERMS.description: "description",
    FOAF.homepage: "site_web",
    SDO.email: "courriel",
    SDO.telephone: "telephone",
    MAI.internalNote: "note_interne",
    ORG.member: "acteur",
    ORG.role: "role",
    MAI.college: "college",
    MAI.charterSigned: "date_signature_charte",
    SDO.startDate: "date_debut",
    SDO.endDate: "date_fin",
    MAI.territory: "territoires",
    MAI.status: "statut",
    MAI.project: "projet",
    MAI.participant: "acteur",
    MAI.participationRole: "role",
    MAI.resource: "ressource",
    MAI.actor: "acteur",
    MAI.quantity: "quantite",
    MAI.partner: "acteur_a",
    MAI.partnershipKind: "nature",
}


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


@lru_cache(maxsize=1)
def flat_shapes() -> Graph:
    """The shapes of `shapes_graph`, each property shape of a node shape carrying that node shape's targets
    itself instead of hanging from its ``sh:property``.

    The same constraints on the same focus nodes, with the same paths, values and messages: SHACL gives a
    property shape with targets the meaning the nested one has for the node shape's focus nodes. But
    pyshacl 0.40 evaluates a nested property shape once per focus node (building its constraint
    components each time), and a targeted one once for all its focus nodes: 2.5 times faster on an
    import (25,000 actors: 119 s → 47 s). Node shapes without targets keep their property shapes.
    """
    graph = Graph()
    for triple in shapes_graph():
        graph.add(triple)
    for node in sorted(set(graph.subjects(RDF.type, SH.NodeShape))):
        targets = [(p, o) for p in _TARGETS for o in graph.objects(node, p)]
        if not targets:
            continue
        for shape in list(graph.objects(node, SH.property)):
            graph.remove((node, SH.property, shape))
            graph.add((shape, RDF.type, SH.PropertyShape))
            for predicate, value in targets:
                graph.add((shape, predicate, value))
    return data_graph(graph)  # type: ignore[arg-type]  # pyshacl's lookups on the shapes too (shacl_data)


#: The targets of the shapes of SKOS concepts (`ConceptShape`, `BroaderShape` in ontology/shapes.ttl).
_CONCEPT_TARGETS = ((SH.targetClass, SKOS.Concept), (SH.targetSubjectsOf, SKOS.broader))


@lru_cache(maxsize=1)
def entity_shapes() -> Graph:
    """`flat_shapes` without the shapes of SKOS concepts (their targets removed: a shape without targets
    checks nothing): what a validation uses when none of the entities it checks is a concept.

    Why: the data graph holds the ontology and its schemes (class and scheme lookups), so pyshacl checked
    every concept of every scheme — NAF's included — each time: 60 % of the CPU of one actor's edit (75 ms at
    25,000 actors), results then dropped as not about the checked entities.
    """
    graph = data_graph(flat_shapes())  # type: ignore[arg-type]
    for predicate, target in _CONCEPT_TARGETS:
        for shape in list(graph.subjects(predicate, target)):
            graph.remove((shape, predicate, target))
    return graph


def _checks_concepts(mapped: Mapped, checked: set[URIRef]) -> bool:
    """Whether some checked entity is a SKOS concept (or says what it is narrower than)."""
    return any(
        (p, o) == (RDF.type, SKOS.Concept) or p == SKOS.broader
        for subject in checked
        for _s, p, o in mapped.triples.get(subject, ())
    )


#: From this many entities to check, SHACL runs in `WORKERS` forked processes, each on a part of them.
PARALLEL_FROM = 20_000
#: Entities per part at most: each part is checked by a fresh process, which gives its memory back when the
#: part is done. More parts than workers cost time: each checks again what it points to in the others
#: (6 parts instead of 2 at 25,000 actors: 52 s, not 36, before the indexed data graph).
PART_SIZE = 100_000
#: Processes for a large validation: one. Two saved 3 of 52 s at 25,000 actors on two cores but took
#: 2.1 GiB with the workers (PSS) against 1.5 GiB in one process: each worker copies the pages of the
#: parent's objects it touches and checks again what it points to in the other half
#: (docs/decisions/20261129-import-target.md). `workers=2` still shares the check.
WORKERS = 1


def shacl_problems(
    mapped: Mapped,
    store: Store,
    *,
    subjects: Collection[URIRef] | None = None,
    workers: int | None = None,
) -> list[Problem]:
    """SHACL violations of the mapped triples, located back to their file, sheet and row.

    With `subjects`, only the mapped entities among them are checked (the importer passes those that
    change the store and their neighbours: the rest is what the store already holds, checked when it was
    written); each is checked with every triple it depends on, as without it. From `PARALLEL_FROM`
    entities, the check is shared between `workers` (default `WORKERS`, one; never more in a process running
    other threads, such as the web server's import route) forked processes: the store is read
    before forking, and each process checks a part (`_parts`, at most `PART_SIZE` entities: those of some
    actors) with what they point to and what points to them, then ends. Cost: about 0.12 CPU ms per entity
    checked, most of it in pyshacl (on the indexed data graph of `maillage.ingest.shacl_data`).
    """
    checked = set(mapped.triples) if subjects is None else set(subjects) & set(mapped.triples)
    if not checked:
        return []
    if workers is not None:
        count = workers
    else:  # never fork a process running other threads (a web server): a lock they hold would stay held
        single = threading.active_count() == 1
        count = WORKERS if len(checked) >= PARALLEL_FROM and single else 1
    count = count if "fork" in multiprocessing.get_all_start_methods() else 1
    stored = _Stored(mapped, store)
    extra = local_concepts(store)  # concepts animators added to a scheme
    if count <= 1:
        whole = subjects is None or checked == set(mapped.triples)
        problems = _check(mapped, checked, stored, extra, whole=whole)
    else:
        stored.read_all()  # the workers never touch the store: an open database is not shared with a fork
        parts = _parts(mapped, checked, max(count, -(-len(checked) // PART_SIZE)))
        _FORKED.update(mapped=mapped, parts=parts, stored=stored, extra=extra)
        gc.freeze()  # the workers' collector then leaves the parent's objects alone: no copy of their pages
        try:
            with multiprocessing.get_context("fork").Pool(count, maxtasksperchild=1) as pool:
                found = pool.map(_check_part, range(len(parts)), chunksize=1)
            problems = [problem for part in found for problem in part]
        finally:
            gc.unfreeze()
            _FORKED.clear()
    return sorted(
        problems, key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.value or "", p.rule)
    )


#: What a forked worker reads (set by the parent just before forking, cleared after).
_FORKED: dict[str, Any] = {}


def _check_part(index: int) -> list[Problem]:
    """In a worker: the problems of one part (`_parts`)."""
    parts: list[set[URIRef]] = _FORKED["parts"]
    return _check(_FORKED["mapped"], parts[index], _FORKED["stored"], _FORKED["extra"], whole=False)


def _parts(mapped: Mapped, checked: set[URIRef], count: int) -> list[set[URIRef]]:
    """`checked` in `count` parts of about the same size, each entity with the actor it describes (its
    membership, needs, offers, participations): fewer entities needed by two parts."""
    actors = {
        s
        for s, triples in mapped.triples.items()
        if {(s, RDF.type, MAI.Organisation), (s, RDF.type, MAI.Person)} & triples
    }

    def anchor(subject: URIRef) -> str:
        if subject in actors:
            return str(subject)
        linked = sorted(str(o) for _s, _p, o in mapped.triples[subject] if o in actors)
        return linked[0] if linked else str(subject)

    ordered = sorted(checked, key=lambda s: (anchor(s), str(s)))
    size = -(-len(ordered) // count)
    return [set(ordered[i : i + size]) for i in range(0, len(ordered), size)]


class _Stored:
    """What the store holds on the entities a validation needs, minus what the import replaces; read
    when first asked, or all at once (`read_all`) before forking."""

    def __init__(self, mapped: Mapped, store: Store) -> None:
        self._mapped, self._store = mapped, store
        self._kept: dict[URIRef, list[tuple[URIRef, URIRef, URIRef]]] = {}
        self._complete = False

    def kept(self, node: URIRef) -> list[tuple[URIRef, URIRef, URIRef]]:
        if node not in self._kept:
            if self._complete:
                return []  # read_all read every node a validation can reach: this one holds nothing
            replaced = self._mapped.managed.get(node, set())
            triples = self._store.triples(node, None, None)
            self._kept[node] = [t for t in triples if t[1] not in replaced]  # type: ignore[misc]
        return self._kept[node]

    def read_all(self) -> None:
        """Read every mapped entity and every data entity they point to: all that `_check` reads."""
        for node in list(self._mapped.triples):
            triples = [*self._mapped.triples[node], *self.kept(node)]
            for _s, _p, o in triples:
                if _is_data(o):
                    self.kept(o)  # type: ignore[arg-type]
        self._complete = True


@lru_cache(maxsize=1)
def _inverse_predicates() -> frozenset[URIRef]:
    """The predicates the shapes follow backwards (``sh:inversePath``)."""
    return frozenset(o for o in flat_shapes().objects(None, SH.inversePath) if isinstance(o, URIRef))


def _is_data(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(DATA_BASE)


def _check(
    mapped: Mapped, checked: set[URIRef], stored: _Stored, extra: Graph, *, whole: bool
) -> list[Problem]:
    """The problems of the `checked` entities (`whole`: they are all the mapped ones)."""
    from pyshacl import validate  # imported here: it is slow to import and only ingest needs it

    # Entities already in the store that the import points to (territories and what encloses them, actors of a
    # previous import) come with their descriptions, so that class constraints can be checked. pyshacl's
    # `focus_nodes` is not used: it also restricts the nodes checked by sh:not / sh:node (pyshacl 0.40), and
    # tests each target against a list (quadratic).
    triples: list[tuple[URIRef, URIRef, URIRef]] = []
    included: set[URIRef] = set()
    pending: list[URIRef] = []
    for subject in checked:
        kept = _describe(triples, subject, mapped, stored, included)
        pending += [o for _s, _p, o in (*mapped.triples[subject], *kept) if _is_data(o)]  # type: ignore[misc]
    if not whole:
        # What points to a checked entity from the rest of the import, along an inverse path of the shapes
        # (« partenaire de » both ways): those triples alone, so that their subjects are not checked too.
        inverse = _inverse_predicates()
        for subject, described in mapped.triples.items():
            if subject not in checked:
                triples += (t for t in described if t[1] in inverse and t[2] in checked)
    for node in pending:
        if node in included:
            continue
        if node in mapped.triples:
            _describe(triples, node, mapped, stored, included)
        else:  # one hop into the store, never further (see `_neighbour`)
            included.add(node)
            triples += _neighbour(stored.kept(node), checked)
    shapes = flat_shapes() if _checks_concepts(mapped, checked) else entity_shapes()
    data = data_graph(itertools.chain(triples, ontology_graph(), extra))  # type: ignore[arg-type]
    del triples
    conforms, results, _text = validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    if conforms:
        return []
    problems = []
    # Top-level results only: pyshacl also types the nested details of sh:or / sh:node as results.
    for result in results.objects(None, SH.result):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        if focus not in checked:
            continue  # an entity checked when it was loaded, or by another worker
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        file, sheet, row = mapped.origin.get(focus, ("?", None, None))  # type: ignore[arg-type]
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=row,
                column=COLUMNS.get(path) if isinstance(path, URIRef) else None,  # type: ignore[arg-type]
                value=str(value) if value is not None else None,
                rule=str(message) if message else "donnée non conforme aux formes SHACL",
            )
        )
    return problems


#: What the shapes read of an entity a checked one points to: its classes (sh:class, ``( p rdf:type )``)
#: and schemes (``( p skos:inScheme )``).
_NEIGHBOUR_PREDICATES = frozenset({RDF.type, SKOS.inScheme})


def _neighbour(
    kept: list[tuple[URIRef, URIRef, URIRef]], checked: set[URIRef]
) -> list[tuple[URIRef, URIRef, URIRef]]:
    """The part of a stored entity's description the checked entities' shapes read: its classes and
    schemes, and its links back to a checked entity (``sh:inversePath mai:partnerOf``).

    Why not all of it, and what it points to in turn: the shapes never follow a path further than that,
    and a whole description makes the entity a focus node, checked again for nothing — following the
    links transitively pulled in, for one actor edited at 25,000 actors, most of the network (7 s per edit).
    Its results are not reported anyway (only the checked entities' are).
    """
    return [t for t in kept if t[1] in _NEIGHBOUR_PREDICATES or t[2] in checked]


def _describe(
    triples: list[tuple[URIRef, URIRef, URIRef]],
    node: URIRef,
    mapped: Mapped,
    stored: _Stored,
    included: set[URIRef],
) -> list[tuple[URIRef, URIRef, URIRef]]:
    """Append to `triples` what `node` will be after the import — its mapped triples and what the import
    leaves in place of the store's — and return the store's part."""
    included.add(node)
    triples += mapped.triples.get(node, ())  # type: ignore[arg-type]
    kept = stored.kept(node)
    triples += kept
    return kept
