"""The tiny network of the examples and of tests/test_project_check.py (scores worked out by hand there).

Three actors and one project around Tarnos, Ondres (both CC du Seignanx) and Bayonne (CA du Pays Basque):

| actor / project | place | fields | needs | offers / text |
|---|---|---|---|---|
| roule | Tarnos | mobilite | — | velo-cargo |
| cantine | Ondres | alimentation-locale | minibus, cuisine-professionnelle | — |
| kultur | Bayonne | tourisme-solidaire | minibus | — |
| navettes (project, en cours) | epci:244000659 | mobilite | — | « Navettes en minibus … » |

Hierarchy: alimentation-locale ⊂ circuits-courts; minibus, velo-cargo ⊂ vehicules;
cuisine-professionnelle ⊂ locaux. Nobody offers minibus nor cuisine-professionnelle (velo-cargo is a
sibling of minibus: siblings never match).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rdflib import Graph, URIRef

from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.base import Object, Store, Subject
from maillage.graph.stores.oxigraph import OxigraphStore

EXAMPLE_TURTLE = r"""
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
@prefix status: <https://w3id.org/maillage/concept/project-status/> .
@prefix role: <https://w3id.org/maillage/concept/participation-role/> .

field:mobilite skos:inScheme mai:fields ; skos:notation "mobilite" ;
    skos:prefLabel "Mobilité"@fr, "Mobility"@en .
field:circuits-courts skos:inScheme mai:fields ; skos:notation "circuits-courts" ;
    skos:prefLabel "Circuits courts"@fr, "Short supply chains"@en .
field:alimentation-locale skos:inScheme mai:fields ; skos:notation "alimentation-locale" ;
    skos:broader field:circuits-courts ; skos:prefLabel "Alimentation locale"@fr, "Local food"@en .
field:tourisme-solidaire skos:inScheme mai:fields ; skos:notation "tourisme-solidaire" ;
    skos:prefLabel "Tourisme solidaire"@fr, "Solidarity tourism"@en .
resource:vehicules skos:inScheme mai:resources ; skos:notation "vehicules" ;
    skos:prefLabel "Véhicules"@fr, "Vehicles"@en .
resource:minibus skos:inScheme mai:resources ; skos:notation "minibus" ; skos:broader resource:vehicules ;
    skos:prefLabel "Minibus"@fr, "Minibus"@en, "Microbús"@es .
resource:velo-cargo skos:inScheme mai:resources ; skos:notation "velo-cargo" ;
    skos:broader resource:vehicules ;
    skos:prefLabel "Vélo-cargo"@fr, "Cargo bike"@en .
resource:locaux skos:inScheme mai:resources ; skos:notation "locaux" ;
    skos:prefLabel "Locaux"@fr, "Premises"@en .
resource:cuisine-professionnelle skos:inScheme mai:resources ; skos:notation "cuisine-professionnelle" ;
    skos:broader resource:locaux ; skos:prefLabel "Cuisine professionnelle"@fr, "Commercial kitchen"@en .
status:en-cours skos:inScheme mai:projectStatuses ; skos:prefLabel "en cours"@fr, "ongoing"@en .

id:commune\/40312 a mai:Commune ; skos:prefLabel "Tarnos" ; mai:inseeCode "40312" ;
    mai:within id:epci\/244000659 ; geo:lat 43.53697 ; geo:long -1.46578 .
id:commune\/40209 a mai:Commune ; skos:prefLabel "Ondres" ; mai:inseeCode "40209" ;
    mai:within id:epci\/244000659 ; geo:lat 43.56593 ; geo:long -1.45416 .
id:commune\/64102 a mai:Commune ; skos:prefLabel "Bayonne" ; mai:inseeCode "64102" ;
    mai:within id:epci\/200067106 ; geo:lat 43.49235 ; geo:long -1.4659 .
id:epci\/244000659 a mai:EPCI ; skos:prefLabel "CC du Seignanx" ; mai:sirenCode "244000659" .
id:epci\/200067106 a mai:EPCI ; skos:prefLabel "CA du Pays Basque" ; mai:sirenCode "200067106" .

actor:roule a mai:Organisation ; skos:prefLabel "Roule Solidaire" ;
    dct:description "Prêt de vélos-cargos et location solidaire."@fr ;
    mai:field field:mobilite ; mai:offers resource:velo-cargo ; mai:basedIn id:commune\/40312 ;
    geo:lat 43.53697 ; geo:long -1.46578 .
actor:cantine a mai:Organisation ; skos:prefLabel "Cantine d'Ondres" ;
    dct:description "Repas locaux pour les écoles."@fr ;
    mai:field field:alimentation-locale ; mai:needs resource:minibus, resource:cuisine-professionnelle ;
    mai:basedIn id:commune\/40209 ; geo:lat 43.56593 ; geo:long -1.45416 .
actor:kultur a mai:Organisation ; skos:prefLabel "Kultur Etxea" ;
    dct:description "Sorties culturelles en groupe."@fr ;
    mai:field field:tourisme-solidaire ; mai:needs resource:minibus ; mai:basedIn id:commune\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 .

id:project\/navettes a mai:Project ; skos:prefLabel "Navettes du Seignanx" ;
    dct:description "Navettes en minibus vers les zones d'activité."@fr ;
    mai:field field:mobilite ; mai:status status:en-cours ; mai:territory id:epci\/244000659 .
id:participation\/navettes-roule a mai:Participation ; mai:project id:project\/navettes ;
    mai:participant actor:roule ; mai:participationRole role:porteur .
"""


def example_store(turtle: str = EXAMPLE_TURTLE) -> Store:
    """An in-memory store holding `turtle` (the example network by default) in one named graph."""
    graph = URIRef("https://w3id.org/maillage/graph/example")
    triples = cast("Iterable[tuple[Subject, URIRef, Object]]", Graph().parse(data=turtle, format="turtle"))
    store = OxigraphStore(None)
    store.add_all((s, p, o, graph) for s, p, o in triples)
    return store


def example_index() -> NetworkIndex:
    """The index of the example network.

    >>> [a.key for a in example_index().actors], [p.key for p in example_index().projects]
    (['cantine', 'kultur', 'roule'], ['navettes'])
    """
    return build_index(example_store())
