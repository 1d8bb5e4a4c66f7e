"""The analysis index, built from a tiny network written by hand in Turtle (values read off the text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from rdflib import RDF, Graph, URIRef

from maillage.graph.index import (
    IndexBuildError,
    NetworkIndex,
    UnknownActorError,
    build_index,
    iri_key,
)
from maillage.graph.stores.base import Object, Quad, Row, Subject
from maillage.graph.stores.oxigraph import OxigraphStore

G = URIRef("https://w3id.org/maillage/graph/network/test")
ID = "https://w3id.org/maillage/id/"
CONCEPT = "https://w3id.org/maillage/concept/"
PTCE = URIRef(ID + "network/ptce")

PREFIXES = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
@prefix type: <https://w3id.org/maillage/concept/actor-type/> .
@prefix college: <https://w3id.org/maillage/concept/college/> .
@prefix role: <https://w3id.org/maillage/concept/membership-role/> .
@prefix prole: <https://w3id.org/maillage/concept/participation-role/> .
@prefix status: <https://w3id.org/maillage/concept/project-status/> .
"""

CONCEPTS = """
field:circuits-courts a skos:Concept ; skos:inScheme mai:fields ; skos:notation "circuits-courts" ;
    skos:prefLabel "Circuits courts"@fr, "Short supply chains"@en, "Zirkuitu laburrak"@eu,
    "Circuitos cortos"@es .
field:alimentation-locale a skos:Concept ; skos:inScheme mai:fields ; skos:notation "alimentation-locale" ;
    skos:prefLabel "Alimentation locale"@fr, "Local food"@en ; skos:broader field:circuits-courts .
field:insertion-professionnelle a skos:Concept ; skos:inScheme mai:fields ;
    skos:prefLabel "Insertion professionnelle"@fr .
resource:vehicules a skos:Concept ; skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr .
resource:camion-frigorifique a skos:Concept ; skos:inScheme mai:resources ;
    skos:prefLabel "Camion frigorifique"@fr, "Refrigerated truck"@en ; skos:broader resource:vehicules .
resource:salle-reunion a skos:Concept ; skos:inScheme mai:resources ; skos:prefLabel "Salle de réunion"@fr .
"""

TERRITORIES = """
id:commune\\/40312 a mai:Commune ; skos:prefLabel "Tarnos" ; geo:lat 43.53697 ; geo:long -1.46578 ;
    mai:within id:epci\\/244000659, id:departement\\/40 .
id:epci\\/244000659 a mai:EPCI ; skos:prefLabel "CC du Seignanx" .
id:departement\\/40 a mai:Departement ; skos:prefLabel "Landes" ; mai:within id:region\\/fr-75 .
id:region\\/fr-75 a mai:Region ; skos:prefLabel "Nouvelle-Aquitaine" ; mai:within id:country\\/FR .
id:country\\/FR a mai:Country ; skos:prefLabel "France"@fr .
id:municipio\\/20045 a mai:Municipio ; skos:prefLabel "Irun" ; geo:lat 43.33904 ; geo:long -1.78938 ;
    mai:within id:provincia\\/20 .
id:provincia\\/20 a mai:Provincia ; skos:prefLabel "Gipuzkoa" ; mai:within id:region\\/es-pv .
id:region\\/es-pv a mai:Region ; skos:prefLabel "Euskadi" ; mai:within id:country\\/ES .
id:country\\/ES a mai:Country ; skos:prefLabel "Espagne"@fr .
"""

NETWORK = """
id:network\\/ptce a mai:Network ; skos:prefLabel "PTCE Sud Aquitain" .
id:network\\/autre a mai:Network ; skos:prefLabel "Autre réseau" .

actor:atelier a mai:Organisation ; skos:prefLabel "Atelier Bois" ;
    dct:description "Menuiserie d'insertion"@fr, "Joinery"@en ; foaf:homepage <https://atelier.example> ;
    mai:actorType type:association ; mai:field field:insertion-professionnelle, field:alimentation-locale ;
    mai:offers resource:salle-reunion ; mai:needs resource:camion-frigorifique ;
    mai:basedIn id:commune\\/40312 ; geo:lat "43.5400"^^xsd:decimal ; geo:long "-1.4600"^^xsd:decimal .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:actorType type:cooperative ;
    mai:field field:circuits-courts ; mai:offers resource:camion-frigorifique ;
    mai:basedIn id:municipio\\/20045 .
actor:maite a mai:Person ; skos:prefLabel "Maite Etxeberri" ; mai:actorType type:habitant ;
    mai:publicConsent true ; mai:field field:alimentation-locale ; mai:basedIn id:commune\\/40312 .
actor:jean a mai:Person ; skos:prefLabel "Jean Dupont" ; mai:actorType type:habitant ;
    mai:field field:alimentation-locale ; mai:basedIn id:commune\\/40312 .
actor:ailleurs a mai:Organisation ; skos:prefLabel "Ailleurs" ; mai:field field:circuits-courts .

id:membership\\/atelier a org:Membership ; org:member actor:atelier ; org:organization id:network\\/ptce ;
    org:role role:fondateur ; mai:college college:ess ; schema:startDate "2019-03-01"^^xsd:date .
id:membership\\/atelier-ancienne a org:Membership ; org:member actor:atelier ;
    org:organization id:network\\/ptce ;
    org:role role:membre ; mai:college college:entreprises ; schema:startDate "2015-01-01"^^xsd:date ;
    schema:endDate "2018-12-31"^^xsd:date .
id:membership\\/garraio a org:Membership ; org:member actor:garraio ; org:organization id:network\\/ptce ;
    org:role role:partenaire-transfrontalier ; mai:college college:partenaires-transfrontaliers .
id:membership\\/maite a org:Membership ; org:member actor:maite ; org:organization id:network\\/ptce ;
    mai:college college:habitants .
id:membership\\/jean a org:Membership ; org:member actor:jean ; org:organization id:network\\/ptce ;
    mai:college college:habitants .
id:membership\\/ailleurs a org:Membership ; org:member actor:ailleurs ; org:organization id:network\\/autre .

id:project\\/legumerie a mai:Project ; skos:prefLabel "Légumerie partagée" ;
    dct:description "Transformer les légumes du territoire"@fr ; mai:field field:alimentation-locale ;
    mai:status status:en-cours ; mai:network id:network\\/ptce ;
    schema:startDate "2025-09-01"^^xsd:date .
id:participation\\/1 a mai:Participation ; mai:project id:project\\/legumerie ;
    mai:participant actor:atelier ;
    mai:participationRole prole:porteur .
id:participation\\/2 a mai:Participation ; mai:project id:project\\/legumerie ;
    mai:participant actor:garraio ;
    mai:participationRole prole:partenaire .
id:participation\\/3 a mai:Participation ; mai:project id:project\\/legumerie ; mai:participant actor:maite ;
    mai:participationRole prole:beneficiaire .
id:project\\/hors-reseau a mai:Project ; skos:prefLabel "Projet d'un autre réseau" ;
    mai:network id:network\\/autre .

actor:atelier mai:partnerOf actor:jean .
actor:jean mai:partnerOf actor:atelier .
id:partnership\\/1 a mai:Partnership ; mai:partner actor:garraio, actor:maite .
"""


def load(turtle: str) -> OxigraphStore:
    """An in-memory Oxigraph store holding the Turtle, in one named graph."""
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    store = OxigraphStore(None)
    store.add_all((s, p, o, G) for s, p, o in graph)
    return store


def actor(key: str) -> URIRef:
    return URIRef(ID + "actor/" + key)


def concept(path: str) -> URIRef:
    return URIRef(CONCEPT + path)


@pytest.fixture(scope="module")
def index() -> NetworkIndex:
    return build_index(load(CONCEPTS + TERRITORIES + NETWORK))


def test_actors_are_sorted_by_key_with_their_rows(index: NetworkIndex) -> None:
    assert [a.key for a in index.actors] == ["ailleurs", "atelier", "garraio", "jean", "maite"]
    assert index.position == {"ailleurs": 0, "atelier": 1, "garraio": 2, "jean": 3, "maite": 4}


def test_an_organisation_record_reads_every_property(index: NetworkIndex) -> None:
    record = index.actor("atelier")
    assert record.iri == actor("atelier")
    assert record.label == "Atelier Bois"
    assert record.kind == "organisation"
    assert record.is_public is True
    assert record.actor_type == concept("actor-type/association")
    assert record.fields == (concept("field/alimentation-locale"), concept("field/insertion-professionnelle"))
    assert record.offers == (concept("resource/salle-reunion"),)
    assert record.needs == (concept("resource/camion-frigorifique"),)
    assert record.commune == URIRef(ID + "commune/40312")
    assert record.commune_label == "Tarnos"
    assert record.epci == URIRef(ID + "epci/244000659")
    assert record.epci_label == "CC du Seignanx"
    assert record.country == "FR"  # commune → département → région → country/FR
    assert (record.lat, record.lon) == (43.54, -1.46)  # its own coordinates, not the commune's
    assert record.description == "Menuiserie d'insertion"  # the French one
    assert record.homepage == "https://atelier.example"
    # the current membership (no end date) wins over the ended one
    assert record.college == concept("college/ess")
    assert record.membership_role == concept("membership-role/fondateur")


def test_a_spanish_actor_takes_its_municipio_coordinates_and_country(index: NetworkIndex) -> None:
    record = index.actor("garraio")
    assert record.commune_label == "Irun"
    assert (record.epci, record.epci_label) == (None, "")
    assert record.country == "ES"  # municipio → provincia → Euskadi → country/ES
    assert (record.lat, record.lon) == (43.33904, -1.78938)
    assert record.college == concept("college/partenaires-transfrontaliers")


def test_a_person_is_public_only_with_consent(index: NetworkIndex) -> None:
    assert (index.actor("maite").kind, index.actor("maite").is_public) == ("person", True)
    assert (index.actor("jean").kind, index.actor("jean").is_public) == ("person", False)


def test_an_actor_without_place_or_membership_has_empty_values(index: NetworkIndex) -> None:
    record = index.actor("ailleurs")
    assert (record.commune, record.commune_label, record.country) == (None, "", None)
    assert (record.lat, record.lon, record.description, record.homepage) == (None, None, "", None)
    assert record.college is None  # its membership is of another network, but without filter it is kept


def test_unknown_actor_raises_a_key_error_naming_the_key(index: NetworkIndex) -> None:
    with pytest.raises(UnknownActorError, match="^Acteur inconnu : « personne »$"):
        index.actor("personne")
    with pytest.raises(KeyError):
        index.row("personne")


def test_concepts_have_labels_per_language_scheme_broader_and_notation(index: NetworkIndex) -> None:
    record = index.concepts[concept("field/circuits-courts")]
    assert record.labels == {
        "fr": "Circuits courts",
        "en": "Short supply chains",
        "eu": "Zirkuitu laburrak",
        "es": "Circuitos cortos",
    }
    assert record.scheme == URIRef("https://w3id.org/maillage/ontology#fields")
    assert record.notation == "circuits-courts"
    child = index.concepts[concept("field/alimentation-locale")]
    assert child.broader == (concept("field/circuits-courts"),)
    assert index.concept_label(child.iri, "eu") == "Alimentation locale"  # no Basque label: French
    assert index.concept_label(child.iri, "en") == "Local food"
    assert index.concepts[concept("field/insertion-professionnelle")].key == "insertion-professionnelle"


def test_projects_with_their_participants_and_dates(index: NetworkIndex) -> None:
    assert [p.key for p in index.projects] == ["hors-reseau", "legumerie"]
    project = index.projects[index.project_position["legumerie"]]
    assert project.label == "Légumerie partagée"
    assert project.description == "Transformer les légumes du territoire"
    assert project.fields == (concept("field/alimentation-locale"),)
    assert project.status == concept("project-status/en-cours")
    assert (project.start, project.end) == (dt.date(2025, 9, 1), None)
    assert project.participants == (
        ("atelier", concept("participation-role/porteur")),
        ("garraio", concept("participation-role/partenaire")),
        ("maite", concept("participation-role/beneficiaire")),
    )


def test_partnerships_come_from_partner_of_and_qualified_partnerships(index: NetworkIndex) -> None:
    assert index.partnerships == {frozenset({"atelier", "jean"}), frozenset({"garraio", "maite"})}


def test_collaboration_graph_links_co_participants_and_partners(index: NetworkIndex) -> None:
    graph = index.collaboration
    assert sorted(graph.nodes) == ["ailleurs", "atelier", "garraio", "jean", "maite"]
    edges = {tuple(sorted((a, b))): data for a, b, data in graph.edges(data=True)}
    assert edges == {
        ("atelier", "garraio"): {"projects": ["legumerie"], "partnership": False},
        ("atelier", "maite"): {"projects": ["legumerie"], "partnership": False},
        ("garraio", "maite"): {"projects": ["legumerie"], "partnership": True},
        ("atelier", "jean"): {"projects": [], "partnership": True},
    }
    assert index.linked("jean", "atelier") and not index.linked("jean", "garraio")


def test_sparse_matrices_follow_actor_rows_and_concept_columns(index: NetworkIndex) -> None:
    assert index.resource_columns == (
        concept("resource/camion-frigorifique"),
        concept("resource/salle-reunion"),
        concept("resource/vehicules"),
    )
    assert index.field_columns == (
        concept("field/alimentation-locale"),
        concept("field/circuits-courts"),
        concept("field/insertion-professionnelle"),
    )
    # rows: ailleurs, atelier, garraio, jean, maite
    assert index.needs.toarray().tolist() == [[0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert index.offers.toarray().tolist() == [[0, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert index.fields.toarray().tolist() == [[0, 1, 0], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 0, 0]]
    assert index.fields.format == "csr"


def test_network_filter_keeps_its_members_projects_and_college() -> None:
    index = build_index(load(CONCEPTS + TERRITORIES + NETWORK), network=PTCE)
    assert [a.key for a in index.actors] == ["atelier", "garraio", "jean", "maite"]
    assert [p.key for p in index.projects] == ["legumerie"]
    assert index.network == PTCE
    only_other = build_index(load(CONCEPTS + TERRITORIES + NETWORK), network=URIRef(ID + "network/autre"))
    assert [a.key for a in only_other.actors] == ["ailleurs"]
    assert [p.key for p in only_other.projects] == ["hors-reseau"]
    assert only_other.partnerships == set()


def test_the_index_remembers_the_store_generation() -> None:
    store = load(CONCEPTS)
    assert build_index(store).generation == 1  # one committed transaction
    store.add_all(load(NETWORK).quads())
    assert build_index(store).generation == 2


class CountingStore(OxigraphStore):
    """An Oxigraph store that records every pattern it is asked for."""

    def __init__(self) -> None:
        super().__init__(None)
        self.patterns: list[tuple[object, ...]] = []

    def quads(
        self,
        subject: Subject | None = None,
        predicate: URIRef | None = None,
        object: Object | None = None,  # noqa: A002
        graph: URIRef | None = None,
    ) -> Iterator[Quad]:
        self.patterns.append((subject, predicate, object, graph))
        return super().quads(subject, predicate, object, graph)

    def rows(self, predicate: URIRef, *, graph: URIRef | None = None) -> Iterator[Row]:
        self.patterns.append((None, predicate, None, graph))
        return super().rows(predicate, graph=graph)


def test_the_store_is_read_once_per_predicate_never_per_actor() -> None:
    store = CountingStore()
    store.add_all(load(CONCEPTS + TERRITORIES + NETWORK).quads())
    build_index(store)
    patterns = [(p, o) for _s, p, o, _g in store.patterns]
    assert all(s is None and g is None for s, _p, _o, g in store.patterns)
    # an object only for rdf:type, read class by class (actors, concepts, projects, EPCI, country)
    assert all(o is None or p == RDF.type for p, o in patterns)
    assert len(patterns) == len(set(patterns))  # each predicate (or class) once
    assert len(patterns) <= 36  # a constant, whatever the number of actors


def test_two_actor_iris_with_the_same_key_are_refused() -> None:
    store = load("actor:dup a mai:Organisation . <https://example.org/other/dup> a mai:Organisation .")
    with pytest.raises(IndexBuildError, match="même clé « dup »"):
        build_index(store)


def test_iri_key_is_the_last_path_segment() -> None:
    assert iri_key(actor("coop-garraio")) == "coop-garraio"
    assert iri_key(URIRef(ID + "commune/40312")) == "40312"
