"""Linked-data serialisations of the store's public content (Turtle, JSON-LD, N-Triples, N-Quads)."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from maillage.graph.privacy import public_quads
from maillage.graph.stores.base import Store
from maillage.ontology.iri import GRAPH_BASE

FORMATS = {
    # name: (rdflib format, media type, file extension)
    "turtle": ("turtle", "text/turtle", "ttl"),
    "jsonld": ("json-ld", "application/ld+json", "jsonld"),
    "nt": ("nt", "application/n-triples", "nt"),
    "nquads": ("nquads", "application/n-quads", "nq"),
}
PREFIXES = {
    "mai": "https://w3id.org/maillage/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
}


class ExportError(ValueError):
    """An unknown export format."""


def network_graphs(store: Store, *, provenance: bool = False) -> list[URIRef]:
    """The named graphs holding imported networks (and, if asked, their provenance graphs)."""
    prefixes = (GRAPH_BASE + "network/",) + ((GRAPH_BASE + "provenance/",) if provenance else ())
    return sorted(g for g in store.graphs() if str(g).startswith(prefixes))


def public_graph(store: Store, *, graphs: list[URIRef] | None = None) -> Graph:
    """The public triples of the network graphs (not the ontology nor the territories) as one graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for name in graphs if graphs is not None else network_graphs(store):
        for s, p, o, _g in public_quads(store, graph=name):
            graph.add((s, p, o))
    return graph


def serialize(store: Store, format_name: str, *, graphs: list[URIRef] | None = None) -> bytes:
    """The public network data in one of `FORMATS`."""
    if format_name not in FORMATS:
        raise ExportError(f"Format d'export inconnu : « {format_name} » (formats : {', '.join(FORMATS)})")
    rdflib_format = FORMATS[format_name][0]
    if format_name == "nquads":
        dataset = Dataset()
        for name in graphs if graphs is not None else network_graphs(store, provenance=True):
            target = dataset.graph(name)
            for s, p, o, _g in public_quads(store, graph=name):
                target.add((s, p, o))
        return dataset.serialize(format="nquads", encoding="utf-8")
    return public_graph(store, graphs=graphs).serialize(format=rdflib_format, encoding="utf-8")
