"""schema.org JSON-LD for the HTML pages (``<script type="application/ld+json">``), escaped so that no
text from the data can close the script element."""

from __future__ import annotations

import json
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SDO

from maillage.graph._export.alignment import ESSGLOBAL, actor_alignment, legal_forms
from maillage.graph._export.rdf import bound_graph
from maillage.graph._export.selection import network_identity
from maillage.graph.index import ActorRecord, NetworkIndex, ProjectRecord
from maillage.graph.stores.base import Store
from maillage.ontology.iri import DATA_BASE
from maillage.ontology.vocab import MAI

PAGE_CONTEXT = {"@vocab": str(SDO), "essglobal": str(ESSGLOBAL)}
"""Inline, so that a reader of the page (or a test) never fetches a remote context."""


def script_json(data: Any) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>``, ``&`` and the JavaScript line separators are
    written as ``\\uXXXX`` escapes, so ``</script>`` in the data cannot end the element.

    >>> script_json({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _compact(triples: list[tuple[URIRef, URIRef, URIRef | Literal]]) -> Any:
    graph = bound_graph()
    for triple in triples:
        graph.add(triple)
    data = json.loads(graph.serialize(format="json-ld", context=PAGE_CONTEXT, auto_compact=True))
    return data


def actor_jsonld(store: Store, actor: ActorRecord) -> str:
    """The schema.org description of one actor's page (`maillage.graph._export.alignment`), ready to put
    between ``<script type="application/ld+json">`` and ``</script>``."""
    codes = (
        sorted(str(o) for _s, _p, o in store.triples(actor.commune, MAI.postalCode)) if actor.commune else []
    )
    form = legal_forms(store).get(actor.actor_type) if actor.actor_type is not None else None
    return script_json(_compact(list(actor_alignment(actor, postal_codes=codes, legal_form=form))))


def network_jsonld(index: NetworkIndex, *, name: str, iri: URIRef | None = None) -> str:
    """The network page's schema.org description: the network, an organisation whose members are the
    public actors (name and type only; each actor's page describes it in full)."""
    network = iri if iri is not None else URIRef(DATA_BASE + "network")
    triples: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (network, RDF.type, SDO.Organization),
        (network, SDO.additionalType, ESSGLOBAL.Network),
        (network, SDO.name, Literal(name)),
    ]
    for actor in index.actors:
        if actor.is_public:
            triples.append((network, SDO.member, actor.iri))
            triples.append((actor.iri, RDF.type, SDO.Person if actor.kind == "person" else SDO.Organization))
            triples.append((actor.iri, SDO.name, Literal(actor.label)))
    return script_json(_compact(triples))


def network_page_jsonld(store: Store, index: NetworkIndex) -> str:
    """`network_jsonld` for the store's (first) network."""
    iri, name = network_identity(store)
    return network_jsonld(index, name=name, iri=iri)


def project_jsonld(
    index: NetworkIndex, project: ProjectRecord, *, territories: list[tuple[URIRef, str]]
) -> str:
    """The project page's schema.org description: a `schema:Project` (an organisation in schema.org) with
    its name, description, dates, fields (``knowsAbout``), territories (``areaServed``) and its public
    participants as members (name and type only; each actor's page describes it in full).

    `territories` are (IRI, label) pairs, read from the store by the caller.
    """
    s = project.iri
    triples: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (s, RDF.type, SDO.Project),
        (s, SDO.name, Literal(project.label)),
    ]
    if project.description:
        triples.append((s, SDO.description, Literal(project.description, lang="fr")))
    if project.start is not None:
        triples.append((s, SDO.foundingDate, Literal(project.start)))
    if project.end is not None:
        triples.append((s, SDO.dissolutionDate, Literal(project.end)))
    for concept in project.fields:
        triples.append((s, SDO.knowsAbout, Literal(index.concept_label(concept), lang="fr")))
    for iri, name in territories:
        triples.append((s, SDO.areaServed, iri))
        triples.append((iri, RDF.type, SDO.AdministrativeArea))
        triples.append((iri, SDO.name, Literal(name)))
    for key, _role in project.participants:
        row = index.position.get(key)
        if row is None or not index.actors[row].is_public:
            continue
        actor = index.actors[row]
        triples.append((s, SDO.member, actor.iri))
        triples.append((actor.iri, RDF.type, SDO.Person if actor.kind == "person" else SDO.Organization))
        triples.append((actor.iri, SDO.name, Literal(actor.label)))
    return script_json(_compact(triples))
