"""The tiny network of the docstring examples (tests/test_overlaps.py works its scores out by hand)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rdflib.term import URIRef

from maillage.graph.index import NetworkIndex
from maillage.graph.stores.base import Object, Subject

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
