"""The tiny networks of the docstring examples (tests/test_synergies.py and tests/test_synergies_kinds.py
work their scores out by hand)."""

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


_LINKS_TURTLE = r"""
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
resource:temps-salarie skos:inScheme mai:resources ; skos:prefLabel "Temps salarié"@fr, "Staff time"@en .
resource:emploi-partage skos:inScheme mai:resources ; skos:broader resource:temps-salarie ;
    skos:prefLabel "Emploi partagé"@fr, "Shared employment"@en .
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:basedIn id:commune\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:needs resource:emploi-partage .
actor:tiers-lieu a mai:Organisation ; skos:prefLabel "Tiers-lieu Itsasoa" ; mai:basedIn id:commune\/64483 ;
    geo:lat 43.39448 ; geo:long -1.63056 .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:basedIn id:municipio\/20045 ;
    geo:lat 43.33904 ; geo:long -1.78938 .
actor:lagunak a mai:Organisation ; skos:prefLabel "Asso Lagunak" ; mai:basedIn id:municipio\/20036 ;
    geo:lat 43.3622 ; geo:long -1.7911 .
actor:mairie a mai:Organisation ; skos:prefLabel "Mairie de Tarnos" ; mai:basedIn id:commune\/40312 ;
    geo:lat 43.53697 ; geo:long -1.46578 ; mai:needs resource:emploi-partage .
actor:atelier a mai:Organisation ; skos:prefLabel "Atelier Bois" .
id:project\/potager a mai:Project ; skos:prefLabel "Potager partagé" .
id:project\/marche a mai:Project ; skos:prefLabel "Marché transfrontalier" .
id:participation\/1 mai:project id:project\/potager ; mai:participant actor:ferme .
id:participation\/2 mai:project id:project\/potager ; mai:participant actor:tiers-lieu .
id:participation\/3 mai:project id:project\/marche ; mai:participant actor:tiers-lieu .
id:participation\/4 mai:project id:project\/marche ; mai:participant actor:garraio .
id:participation\/5 mai:project id:project\/marche ; mai:participant actor:atelier .
actor:ferme mai:partnerOf actor:mairie .
actor:mairie mai:partnerOf actor:garraio .
actor:tiers-lieu mai:partnerOf actor:lagunak .
"""


def _example_index() -> NetworkIndex:
    """Three actors in Bayonne, Saint-Jean-de-Luz and Irun: the network of the docstring examples."""
    return _index_of(_EXAMPLE_TURTLE)


def _example_links_index() -> NetworkIndex:
    """Six actors, two projects and three partnerships: the examples of triangles, bridges and pooling.

    Potager partagé: ferme, tiers-lieu; Marché transfrontalier: tiers-lieu, garraio (ES), atelier (no
    place); partners: ferme–mairie, mairie–garraio, tiers-lieu–lagunak (ES). Ferme (Bayonne) and mairie
    (Tarnos) both need *Emploi partagé*, which nobody offers.
    """
    return _index_of(_LINKS_TURTLE)


def _index_of(turtle: str) -> NetworkIndex:
    from rdflib import Graph

    from maillage.graph.index import build_index
    from maillage.graph.stores.oxigraph import OxigraphStore

    graph = URIRef("https://w3id.org/maillage/graph/example")
    triples = cast("Iterable[tuple[Subject, URIRef, Object]]", Graph().parse(data=turtle, format="turtle"))
    store = OxigraphStore(None)
    store.add_all((s, p, o, graph) for s, p, o in triples)
    return build_index(store)
