"""Vocabularies as closed namespaces: a misspelt term raises instead of minting a bogus IRI.

`MAI` is read from `ontology/maillage.ttl` (the single source of truth); the reused vocabularies list
the terms Maillage uses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, SDO, SKOS, ClosedNamespace

ONTOLOGY_DIR = Path(__file__).resolve().parent
MAI_IRI = "https://w3id.org/maillage/ontology#"


def ontology_files() -> list[Path]:
    """The Turtle files of the ontology and of its SKOS schemes, in load order."""
    return [ONTOLOGY_DIR / "maillage.ttl", *sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl"))]


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and every concept scheme as one rdflib graph (parsed once; do not mutate)."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes: what valid data means."""
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def _mai_terms() -> list[str]:
    graph = Graph().parse(ONTOLOGY_DIR / "maillage.ttl", format="turtle")
    return sorted(
        str(subject)[len(MAI_IRI) :]
        for subject in set(graph.subjects())
        if isinstance(subject, URIRef)
        and str(subject).startswith(MAI_IRI)
        and len(str(subject)) > len(MAI_IRI)
    )


MAI = ClosedNamespace(MAI_IRI, _mai_terms())
GEO = ClosedNamespace("http://www.w3.org/2003/01/geo/wgs84_pos#", ["lat", "long", "Point", "SpatialThing"])

__all__ = ["DCTERMS", "FOAF", "GEO", "MAI", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD"]
