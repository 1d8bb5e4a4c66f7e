"""The tiny network of the docstring examples (tests/test_synergies.py works its scores out by hand)."""

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
