"""Which quads an export holds: what its audience may see of the network, per dataset.

Privacy is decided here, once for every format, by `maillage.graph.privacy`: for the public and the network
a person who did not consent and everything naming them stay out, and each audience gets only the
properties at its level (e-mail and phone from the network up, the internal note for the animators).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from maillage.graph.index import NetworkIndex
from maillage.graph.privacy import Audience, visibility, withheld_properties
from maillage.graph.stores.base import Quad, Store, Subject
from maillage.ontology.iri import GRAPH_BASE, ONTOLOGY_GRAPH, split_data_iri
from maillage.ontology.vocab import MAI

PREFIXES = {
    "mai": "https://w3id.org/maillage/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "essglobal": "http://purl.org/essglobal/vocab/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefixes bound in every RDF export (`ontology/context.jsonld`, the JSON-LD `@context`, has them all)."""

ALIGNMENT_GRAPH = URIRef(GRAPH_BASE + "alignment")
"""The named graph of the schema.org / ESSGlobal triples added at export time (in the N-Quads dump)."""

ACTOR_KINDS = frozenset({"network", "actor", "membership", "need", "offer", "partnership"})
PROJECT_KINDS = frozenset({"network", "project", "participation"})


def network_graphs(store: Store, *, provenance: bool = False) -> list[URIRef]:
    """The named graphs holding imported networks (and, if asked, their provenance graphs)."""
    prefixes = (GRAPH_BASE + "network/",) + ((GRAPH_BASE + "provenance/",) if provenance else ())
    return sorted(g for g in store.graphs() if str(g).startswith(prefixes))


def network_identity(store: Store) -> tuple[URIRef | None, str]:
    """The IRI and name of the first network of the store, or (None, "Maillage") when it holds none."""
    for graph in network_graphs(store):
        for s, _p, _o in store.triples(None, RDF.type, MAI.Network, graph=graph):
            label = store.value(s, SKOS.prefLabel, graph=graph)
            if isinstance(s, URIRef):
                return s, str(label) if label is not None else str(s)
    return None, "Maillage"


def in_dataset(subject: Subject, dataset: str) -> bool:
    """Whether a network quad about `subject` belongs to `dataset` (``acteurs`` or ``projets``; the
    network itself is in both, so that each file names the network it comes from).

    >>> in_dataset(URIRef("https://w3id.org/maillage/id/participation/p.a"), "projets")
    True
    >>> in_dataset(URIRef("https://w3id.org/maillage/id/actor/a#adresse"), "projets")
    False
    """
    if dataset == "reseau":
        return True
    parts = split_data_iri(str(subject).partition("#")[0])
    if parts is None:
        return False
    return parts[0] in (ACTOR_KINDS if dataset == "acteurs" else PROJECT_KINDS)


def network_quads(
    store: Store,
    *,
    dataset: str = "reseau",
    audience: Audience = Audience.PUBLIC,
    provenance: bool = False,
) -> Iterator[Quad]:
    """The quads of the network graphs (and provenance graphs if asked) that `dataset` holds and
    `audience` may see.

    One pass per named graph; memory is the set of hidden nodes, not the data.
    """
    seen = visibility(store, audience)
    for name in network_graphs(store, provenance=provenance):
        for quad in store.quads(None, None, None, name):
            if seen.shows(quad) and in_dataset(quad[0], dataset):
                yield quad


def taxonomy_quads(store: Store, *, audience: Audience = Audience.PUBLIC) -> Iterator[Quad]:
    """The concept schemes and concepts of the ontology graph, with their labels and alignments (a
    concept's note at a level above `audience` left out, as anywhere else)."""
    withheld = withheld_properties(audience)  # concepts name no person: only the levels apply
    subjects: set[Subject] = set()
    for kind in (SKOS.ConceptScheme, SKOS.Concept):
        subjects.update(s for s, _p, _o in store.triples(None, RDF.type, kind, graph=ONTOLOGY_GRAPH))
    for subject in sorted(subjects):
        for quad in store.quads(subject, None, None, ONTOLOGY_GRAPH):
            if quad[1] not in withheld:
                yield quad


def dataset_quads(
    store: Store,
    *,
    dataset: str = "reseau",
    audience: Audience = Audience.PUBLIC,
    provenance: bool = False,
    index: NetworkIndex | None = None,
) -> Iterator[Quad]:
    """Every quad of one dataset that `audience` may see: the taxonomy, or network data plus (given an
    `index`) the alignment triples in `ALIGNMENT_GRAPH`."""
    from maillage.graph._export.alignment import alignment_triples

    if dataset == "taxonomie":
        yield from taxonomy_quads(store, audience=audience)
        return
    yield from network_quads(store, dataset=dataset, audience=audience, provenance=provenance)
    if index is not None and dataset in ("reseau", "acteurs"):
        # the alignment restates the index, which holds no property above public: persons only matter
        for s, p, o in alignment_triples(store, index, include_private=audience.sees_private_persons):
            yield s, p, o, ALIGNMENT_GRAPH
