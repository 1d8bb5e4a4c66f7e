"""Provenance of imports (PROV-O, DCTERMS): which run created or last changed each entity, and when.

It lives in its own named graph per network (`graph/provenance/{slug}`), so that comparing an import with
the store never sees it: an import that changes nothing leaves no trace at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from maillage.graph.stores.base import Object, Store, Subject, Upsert
from maillage.ontology.iri import data_iri, key_of, provenance_graph

#: From this many changed entities, their previous dct:modified are read in one pass over the graph.
BULK_READ_FROM = 1_000


@dataclass(frozen=True)
class PublicDataset:
    """A public dataset an import reads: its name, licence and attribution, as recorded in the provenance.

    `key` names its graph (``graph/source/{key}``) and its provenance graph; `licence` is the licence in
    words (as the source states it); `licence_iri` only when the source names the exact licence document.
    """

    key: str
    title: str
    licence: str
    attribution: str
    url: str
    licence_iri: str | None = None


def record_run(
    store: Store,
    plan: Upsert,
    *,
    network: URIRef,
    source: str,
    now: dt.datetime | None = None,
    dataset: PublicDataset | None = None,
    label: str | None = None,
) -> URIRef | None:
    """Add the provenance of a planned import to its transaction; None when the import changes nothing.

    `label` names the activity (default « Import de « source » »; an API edit says what it changed).

    The run is a `prov:Activity` (label, start time, source); a created entity gets `prov:wasGeneratedBy` and
    `dct:created`, every changed entity `dct:modified` (replacing the previous one) and
    `prov:wasInfluencedBy` the run. For a public `dataset`, `network` is the dataset's graph: the run
    `prov:used` it, and it is described there (`dct:title`, `dct:rights`, `dct:publisher`, `dct:source`,
    `dct:license` when known).
    """
    if not plan.changes:
        return None
    moment = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    stamp = Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    graph = provenance_graph(key_of(str(network)))
    run = data_iri("import-run", moment.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8])
    tx = plan.transaction
    counts = plan.counts()
    tx.add((run, RDF.type, PROV.Activity, graph))
    tx.add((run, RDFS.label, Literal(label or f"Import de « {source} »", lang="fr"), graph))
    tx.add((run, PROV.startedAtTime, stamp, graph))
    tx.add((run, DCTERMS.source, Literal(source), graph))
    tx.add(
        (
            run,
            RDFS.comment,
            Literal(f"{counts['created']} entité(s) créée(s), {counts['updated']} mise(s) à jour", lang="fr"),
            graph,
        )
    )
    if dataset is not None:
        tx.add((run, PROV.used, network, graph))
        for predicate, value in (
            (DCTERMS.title, dataset.title),
            (DCTERMS.rights, dataset.licence),
            (DCTERMS.publisher, dataset.attribution),
            (DCTERMS.source, dataset.url),
        ):
            for old in store.triples(network, predicate, None, graph):
                tx.remove((*old, graph))
            tx.add((network, predicate, Literal(value), graph))
        if dataset.licence_iri:
            tx.add((network, DCTERMS.license, URIRef(dataset.licence_iri), graph))
        tx.add((network, RDF.type, PROV.Entity, graph))
    previous = _modified_before(store, graph, plan.changes)
    for subject, change in plan.changes.items():
        if change == "created":
            tx.add((subject, PROV.wasGeneratedBy, run, graph))
            tx.add((subject, DCTERMS.created, stamp, graph))
        for old in previous.get(subject, ()):
            tx.remove((*old, graph))
        tx.add((subject, DCTERMS.modified, stamp, graph))
        tx.add((subject, PROV.wasInfluencedBy, run, graph))
    return run


def _modified_before(
    store: Store, graph: URIRef, subjects: Collection[Subject]
) -> dict[Subject, list[tuple[Subject, URIRef, Object]]]:
    """The ``dct:modified`` of `subjects` in `graph`: one pass over the graph for many subjects (a large
    import), one pattern per subject for a few."""
    found: dict[Subject, list[tuple[Subject, URIRef, Object]]] = {}
    if len(subjects) > BULK_READ_FROM:
        for s, p, o, _g in store.quads(None, DCTERMS.modified, None, graph):
            if s in subjects:
                found.setdefault(s, []).append((s, p, o))
        return found
    for subject in subjects:
        found[subject] = list(store.triples(subject, DCTERMS.modified, None, graph))
    return found


@dataclass(frozen=True)
class Provenance:
    """Where an entity comes from: its source row, the runs that created and last changed it, and when."""

    source: str | None
    created: str | None
    modified: str | None
    created_by: str | None
    runs: tuple[str, ...]
    #: For an entity of a public dataset: the dataset's name and licence (in words).
    dataset: str | None = None
    licence: str | None = None


def read_provenance(store: Store, entity: URIRef) -> Provenance:
    """The provenance of one entity, from its network graph (source) and the provenance graphs."""
    source = created = modified = created_by = dataset = licence = None
    runs: list[str] = []
    for _s, predicate, obj, graph in store.quads(entity, None, None, None):
        if predicate == DCTERMS.source and "/graph/network/" in str(graph):
            source = str(obj)
        elif predicate == DCTERMS.source and "/graph/source/" in str(graph):
            source = str(obj)
            described = provenance_graph(key_of(str(graph)))
            dataset = _text(store.value(graph, DCTERMS.title, graph=described))  # type: ignore[arg-type]
            licence = _text(store.value(graph, DCTERMS.rights, graph=described))  # type: ignore[arg-type]
        elif "/graph/provenance/" not in str(graph):
            continue
        elif predicate == DCTERMS.created:
            created = str(obj)
        elif predicate == DCTERMS.modified:
            modified = str(obj)
        elif predicate == PROV.wasGeneratedBy:
            created_by = str(obj)
        elif predicate == PROV.wasInfluencedBy:
            runs.append(str(obj))
    return Provenance(source, created, modified, created_by, tuple(sorted(runs)), dataset, licence)


def _text(term: object) -> str | None:
    return None if term is None else str(term)
