"""Pooling, closing triangles, cross-border bridges, the combined ranking of every kind, and the filters.

Tiny networks whose scores are worked out by hand in the comments, then the sample network end to end.

Formulas (docs/decisions/20261128-synergy-scores.md):
    pooling      r short when demand(r) ≥ 2 and supply(r) < demand(r) / 3, supply = Σ_B match(B, r)
                 rarity(r) = 1 − 3 · supply / demand; needers grouped by single linkage within 25 km
                 group: score = len(members) · rarity(r); pair: pool(A, B) = f(d) · Σ_r rarity(r)
    triangle     Σ_{B ∈ N(A) ∩ N(C)} 1 / ln(deg(B)), A and C not linked (Adamic–Adar)
    bridge       (1 + same(A)) · other(A): collaborators in its own country / in another one
    combined     Σ_k weight_k · score_k / max_k, weights 1 / 0.75 / 0.5 / 0.5
                 (complementarite / mutualisation / affinite / triangle)
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from maillage.api.app import create_app
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import (
    Link,
    Pooling,
    Reason,
    Synergy,
    UnknownFilterError,
    bridges,
    complementarities,
    max_scores,
    network_synergies,
    poolings,
    poolings_for_actor,
    synergies_for_actor,
    triangles,
)

G = URIRef("https://w3id.org/maillage/graph/network/test")
RESOURCE = "https://w3id.org/maillage/concept/resource/"
EMPLOI = URIRef(RESOURCE + "emploi-partage")
CUISINE = URIRef(RESOURCE + "cuisine-professionnelle")

PREFIXES = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
"""

CONCEPTS = """
resource:locaux skos:inScheme mai:resources ; skos:prefLabel "Locaux"@fr, "Premises"@en .
resource:cuisine-professionnelle skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Cuisine professionnelle"@fr, "Professional kitchen"@en .
resource:temps-salarie skos:inScheme mai:resources ; skos:prefLabel "Temps salarié"@fr, "Staff time"@en .
resource:emploi-partage skos:inScheme mai:resources ; skos:broader resource:temps-salarie ;
    skos:prefLabel "Emploi partagé"@fr, "Shared employment"@en .
resource:vehicules skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr, "Vehicles"@en .
resource:camion-frigorifique skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Camion frigorifique"@fr, "Refrigerated truck"@en .
field:circuits-courts skos:inScheme mai:fields ; skos:prefLabel "Circuits courts"@fr .
field:alimentation-locale skos:inScheme mai:fields ; skos:broader field:circuits-courts ;
    skos:prefLabel "Alimentation locale"@fr .
"""


def index_of(turtle: str) -> NetworkIndex:
    graph = Graph().parse(data=PREFIXES + CONCEPTS + turtle, format="turtle")
    store = OxigraphStore(None)
    store.add_all((s, p, o, G) for s, p, o in graph)
    return build_index(store)


# --- pooling -----------------------------------------------------------------------------------------

# Every actor on the meridian 1.5° W, so that a distance is R · Δφ = 111.1949266 km per degree:
# 0.1° = 11.119493 km, 0.2° = 22.238985, 0.3° = 33.358478, 0.4° = 44.477971, 0.5° = 55.597463.
# f(d) = 1 / (1 + d / 50): f(0.1°) = 0.8180696, f(0.2°) = 0.6921470, f(0.6°) = 0.4283868.
POOLING = index_of("""
actor:epicerie a mai:Organisation ; skos:prefLabel "Épicerie Elkartasuna" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.40 ; geo:long -1.5 ; mai:field field:alimentation-locale ;
    mai:needs resource:cuisine-professionnelle, resource:emploi-partage .
actor:jardins a mai:Organisation ; skos:prefLabel "Jardins du Seignanx" ; mai:basedIn id:commune\\/40284 ;
    geo:lat 43.50 ; geo:long -1.5 ;
    mai:needs resource:cuisine-professionnelle, resource:emploi-partage, resource:camion-frigorifique .
actor:sukalde a mai:Organisation ; skos:prefLabel "Sukalde" ; mai:basedIn id:commune\\/40088 ;
    geo:lat 43.90 ; geo:long -1.5 ; mai:field field:circuits-courts ;
    mai:needs resource:cuisine-professionnelle .
actor:forges a mai:Organisation ; skos:prefLabel "Forges de l'Adour" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.60 ; geo:long -1.5 ; mai:needs resource:emploi-partage, resource:camion-frigorifique .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:basedIn id:municipio\\/20045 ;
    geo:lat 43.20 ; geo:long -1.5 ; mai:needs resource:emploi-partage .
actor:atelier a mai:Organisation ; skos:prefLabel "Atelier Bois" ; mai:basedIn id:commune\\/64483 ;
    geo:lat 43.30 ; geo:long -1.5 ; mai:offers resource:locaux .
actor:transports a mai:Organisation ; skos:prefLabel "Transports Adour" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.70 ; geo:long -1.5 ; mai:offers resource:camion-frigorifique .
actor:jean a mai:Person ; skos:prefLabel "Jean Dupont" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.45 ; geo:long -1.5 ; mai:needs resource:cuisine-professionnelle .
""")
# For the public (jean has not consented, he is neither counted nor listed):
#   emploi-partage: demand 4 (epicerie, jardins, forges, garraio), supply 0 → short, rarity 1
#   cuisine-professionnelle: demand 3 (epicerie, jardins, sukalde); atelier offers its broader concept
#     locaux: match 0.5 → supply 0.5 < 3 / 3 → short, rarity = 1 − 3 · 0.5 / 3 = 0.5
#   camion-frigorifique: demand 2 (jardins, forges), supply 1 (transports) ≥ 2 / 3 → not short
# Groups around centres, within 25 km (0.2248°) of the needer with the most needers that close:
#   emploi: needers within 25 km — epicerie 4 (garraio 0.2°, jardins 0.1°, forges 0.2°, itself),
#     jardins 3, forges 3, garraio 2 → centre epicerie takes all 4; FR + ES: cross-border;
#     span garraio–forges 0.4° = 44.477971 km; score 4 · 1 = 4
#   cuisine: epicerie 2, jardins 2 (sukalde is 0.4° away), sukalde 1 → centre epicerie (tie: key order)
#     takes {epicerie, jardins}, score 2 · 0.5 = 1; sukalde alone is no group
SPAN_EMPLOI, SPAN_CUISINE = 44.477971, 11.119493


def test_pooling_groups_nearby_actors_needing_a_short_resource() -> None:
    found = poolings(POOLING)
    assert found.total == 2
    assert [
        (g.resource, g.members, g.score, g.demand, g.supply, g.rarity, g.offerers, g.cross_border)
        for g in found
    ] == [
        (EMPLOI, ("epicerie", "forges", "garraio", "jardins"), 4.0, 4, 0.0, 1.0, (), True),
        (CUISINE, ("epicerie", "jardins"), 1.0, 3, 0.5, 0.5, ("atelier",), False),
    ]
    assert [g.span_km for g in found] == [pytest.approx(SPAN_EMPLOI), pytest.approx(SPAN_CUISINE)]
    assert [g.centre for g in found] == ["epicerie", "epicerie"]
    assert found[0].kinds == ("mutualisation",) and found[0].components == {"mutualisation": 4.0}


def test_pooling_sentences_say_who_what_and_the_form() -> None:
    emploi, cuisine = poolings(POOLING)
    assert emploi.sentence(POOLING) == (
        "« Épicerie Elkartasuna », « Forges de l'Adour », « Coop Garraio » et « Jardins du Seignanx » ont "
        "besoin de « Emploi partagé », que personne ne propose dans le réseau : ils pourraient créer un "
        "groupement d'employeurs (à 44 km au plus les uns des autres) (coopération transfrontalière)."
    )
    assert cuisine.sentence(POOLING) == (
        "« Épicerie Elkartasuna » et « Jardins du Seignanx » ont besoin de « Cuisine professionnelle », que "
        "seul « Atelier Bois » propose dans le réseau (un concept voisin), pour 3 acteurs qui en ont "
        "besoin : "
        "ils pourraient partager un local (à 11 km au plus les uns des autres)."
    )
    assert cuisine.sentence(POOLING, "en") == (
        "“Épicerie Elkartasuna” and “Jardins du Seignanx” need “Professional kitchen”, which only "
        "“Atelier Bois” offers in the network (a related concept), for 3 actors who need it: they could "
        "share premises (at most 11 km apart)."
    )


def test_pooling_group_radius_is_a_parameter() -> None:
    # at 50 km jardins has 3 needers that close (epicerie 11.1 km, sukalde 44.5 km; epicerie–sukalde is
    # 55.6 km): centre jardins, cuisine = 3 · 0.5 = 1.5, span 0.5° = 55.597463 km
    cuisine = next(g for g in poolings(POOLING, group_radius_km=50) if g.resource == CUISINE)
    assert (cuisine.members, cuisine.centre, cuisine.score) == (
        ("epicerie", "jardins", "sukalde"),
        "jardins",
        1.5,
    )
    assert cuisine.span_km == pytest.approx(55.597463)


def test_pooling_groups_do_not_chain_along_a_line() -> None:
    line = index_of("""
    actor:a a mai:Organisation ; skos:prefLabel "A" ; geo:lat 43.0 ; geo:long -1.5 ;
        mai:needs resource:emploi-partage .
    actor:b a mai:Organisation ; skos:prefLabel "B" ; geo:lat 43.2 ; geo:long -1.5 ;
        mai:needs resource:emploi-partage .
    actor:c a mai:Organisation ; skos:prefLabel "C" ; geo:lat 43.4 ; geo:long -1.5 ;
        mai:needs resource:emploi-partage .
    actor:d a mai:Organisation ; skos:prefLabel "D" ; geo:lat 43.6 ; geo:long -1.5 ;
        mai:needs resource:emploi-partage .
    """)
    # steps of 0.2° = 22.2 km: needers within 25 km — a 2, b 3, c 3, d 2 → centre b (tie with c: key
    # order) takes {a, b, c}; d is left alone. Chaining would have made one group spanning 66.7 km.
    [group] = poolings(line)
    assert (group.members, group.centre, group.score) == (("a", "b", "c"), "b", 3.0)
    assert group.span_km == pytest.approx(2 * 22.238985)


def test_private_persons_count_in_pooling_only_for_animators() -> None:
    # with jean: cuisine demand 4, rarity = 1 − 3 · 0.5 / 4 = 0.625; jean (43.45) sits in the group
    cuisine = next(g for g in poolings(POOLING, include_private=True) if g.resource == CUISINE)
    assert (cuisine.members, cuisine.demand, cuisine.rarity) == (("epicerie", "jardins", "jean"), 4, 0.625)
    assert cuisine.score == pytest.approx(3 * 0.625)  # 1.875
    assert all("jean" not in g.members for g in poolings(POOLING))
    assert poolings_for_actor(POOLING, "jean") == []  # not even his own groups, for the public


def test_pooling_groups_of_one_actor_and_their_filters() -> None:
    assert poolings_for_actor(POOLING, "sukalde") == []  # nobody within 25 km needs a kitchen
    assert [g.resource for g in poolings_for_actor(POOLING, "garraio")] == [EMPLOI]
    # within 15 km of epicerie (43.4): jardins (11.1 km); forges and garraio are 22.2 km away
    # emploi: {epicerie, jardins} = 2 · 1 = 2; cuisine: {epicerie, jardins} = 2 · 0.5 = 1
    near = poolings_for_actor(POOLING, "epicerie", radius_km=15)
    assert [(g.resource, g.members, g.score) for g in near] == [
        (EMPLOI, ("epicerie", "jardins"), 2.0),
        (CUISINE, ("epicerie", "jardins"), 1.0),
    ]
    assert [g.resource for g in poolings_for_actor(POOLING, "epicerie", cross_border_only=True)] == [EMPLOI]
    assert [g.resource for g in poolings(POOLING, cross_border_only=True)] == [EMPLOI]
    # territory 40312 (epicerie, forges, transports, jean): emploi keeps {epicerie, forges}; cuisine has one
    assert [(g.members, g.score) for g in poolings(POOLING, territory="40312")] == [
        (("epicerie", "forges"), 2.0)
    ]
    # a resource filter includes the narrower concepts: locaux → cuisine-professionnelle
    assert [g.resource for g in poolings(POOLING, resource="locaux")] == [CUISINE]
    assert [g.resource for g in poolings(POOLING, resource="temps-salarie")] == [EMPLOI]
    # network-wide, radius_km keeps the groups whose span fits: only cuisine (11.1 km) within 20 km
    assert [g.resource for g in poolings(POOLING, radius_km=20)] == [CUISINE]
    assert [g.resource for g in poolings(POOLING, limit=1, offset=1)] == [CUISINE]
    assert poolings(POOLING, limit=1).total == 2


def test_pooling_pairs_in_the_combined_ranking() -> None:
    # pool(A, B) = f(d) · Σ rarity over the groups A and B share:
    #   epicerie–jardins: f(0.1°) · (1 + 0.5) = 0.8180696 · 1.5 = 1.2271044 (the network maximum)
    #   epicerie–forges, epicerie–garraio: f(0.2°) · 1 = 0.6921470
    # combined = 0.75 · pool / 1.2271044: jardins 0.75, forges and garraio 0.75 · 0.5640490 = 0.4230368
    assert max_scores(POOLING)["mutualisation"] == pytest.approx(1.2271044)
    ranked = synergies_for_actor(POOLING, "epicerie", kinds=["mutualisation"])
    assert [(s.target, s.score) for s in ranked] == [
        ("jardins", pytest.approx(0.75)),
        ("forges", pytest.approx(0.4230368)),
        ("garraio", pytest.approx(0.4230368)),
    ]
    jardins = ranked[0]
    assert jardins.components == {"mutualisation": pytest.approx(1.2271044)}
    assert [(r.kind, r.concepts, r.weight, r.demand, r.offerers) for r in jardins.reasons] == [
        ("besoin-non-couvert", (EMPLOI,), 1.0, 4, ()),
        ("besoin-non-couvert", (CUISINE,), 0.5, 3, ("atelier",)),
    ]
    assert jardins.sentence(POOLING) == (
        "« Épicerie Elkartasuna » et « Jardins du Seignanx » ont tous deux besoin de « Emploi partagé », que "
        "personne ne propose dans le réseau : ils pourraient créer un groupement d'employeurs (à 11 km). "
        "« Épicerie Elkartasuna » et « Jardins du Seignanx » ont tous deux besoin de "
        "« Cuisine professionnelle », que seul « Atelier Bois » propose dans le réseau (un concept voisin), "
        "pour 3 acteurs qui en ont besoin : "
        "ils pourraient partager un local."
    )
    # paging keeps the total
    page = synergies_for_actor(POOLING, "epicerie", kinds=["mutualisation"], limit=1, offset=1)
    assert ([s.target for s in page], page.total) == (["forges"], 3)


def test_network_ranking_mixes_pairs_and_pooling_groups() -> None:
    # complementarity, n = 8: idf(camion) = idf(cuisine) = ln(9/2) + 1 = 2.5040774 (df = 1 each)
    #   forges → transports   2.5040774 · f(0.1°)       = 2.0485096 (the maximum) → rank 1
    #   jardins → transports  2.5040774 · f(0.2°)       = 1.7331898 → 0.8460735
    #   epicerie → atelier    0.5 · 2.5040774 · f(0.1°) = 1.0242548 → 0.5
    #   jardins → atelier     0.5 · 2.5040774 · f(0.2°) = 0.8665949 → 0.4230368
    #   sukalde → atelier     0.5 · 2.5040774 · f(0.6°) = 0.5363568 → 0.2618278
    # pooling groups, by the best group (4): emploi 0.75 · 4 / 4 = 0.75, cuisine 0.75 · 1 / 4 = 0.1875
    ranked = network_synergies(POOLING, kinds=["complementarite", "mutualisation"])
    assert ranked.total == 7

    def describe(item: Synergy | Pooling) -> tuple[str, object, float]:
        if isinstance(item, Pooling):
            return (item.kind, item.resource, item.score)
        return (item.kind, (item.source, item.target), item.score)

    assert [describe(item) for item in ranked] == [
        ("complementarite", ("forges", "transports"), pytest.approx(2.0485096)),
        ("complementarite", ("jardins", "transports"), pytest.approx(1.7331898)),
        ("mutualisation", EMPLOI, 4.0),
        ("complementarite", ("epicerie", "atelier"), pytest.approx(1.0242548)),
        ("complementarite", ("jardins", "atelier"), pytest.approx(0.8665949)),
        ("complementarite", ("sukalde", "atelier"), pytest.approx(0.5363568)),
        ("mutualisation", CUISINE, 1.0),
    ]
    assert [describe(item) for item in network_synergies(POOLING, kinds=["mutualisation"])] == [
        ("mutualisation", EMPLOI, 4.0),
        ("mutualisation", CUISINE, 1.0),
    ]


# --- filters -----------------------------------------------------------------------------------------


def test_resource_filter_keeps_the_needs_of_its_concepts() -> None:
    # jardins needs camion (transports offers it) and cuisine (atelier offers locaux, 0.5), both 22.2 km away
    assert [(s.target, s.score) for s in complementarities(POOLING, "jardins")] == [
        ("transports", pytest.approx(1.7331898)),
        ("atelier", pytest.approx(0.8665949)),
    ]
    assert [s.target for s in complementarities(POOLING, "jardins", resource="vehicules")] == ["transports"]
    [atelier] = complementarities(POOLING, "jardins", resource="cuisine-professionnelle")
    assert [r.concepts for r in atelier.reasons] == [(CUISINE, URIRef(RESOURCE + "locaux"))]


def test_actor_filters_bear_on_the_other_actor() -> None:
    # epicerie: atelier (complementarity, 11.1 km), jardins (pooling, 11.1 km), forges and garraio
    # (pooling, 22.2 km), sukalde (affinity: circuits-courts is the broader field of its alimentation-locale;
    # 55.6 km)
    everyone = synergies_for_actor(POOLING, "epicerie")
    assert ({s.target for s in everyone}, everyone.total) == (
        {"atelier", "jardins", "forges", "garraio", "sukalde"},
        5,
    )
    assert {s.target for s in synergies_for_actor(POOLING, "epicerie", radius_km=15)} == {
        "atelier",
        "jardins",
    }
    assert [s.target for s in synergies_for_actor(POOLING, "epicerie", cross_border_only=True)] == ["garraio"]
    assert [s.target for s in synergies_for_actor(POOLING, "epicerie", kinds=["transfrontalier"])] == [
        "garraio"
    ]
    # territory: forges is based in 40312, jardins in 40284, garraio in the municipio 20045
    assert [s.target for s in synergies_for_actor(POOLING, "epicerie", territory="40312")] == ["forges"]
    assert [s.target for s in synergies_for_actor(POOLING, "epicerie", territory="es:20045")] == ["garraio"]
    assert synergies_for_actor(POOLING, "epicerie", territory="64102") == []  # well-formed, nobody there
    # field: sukalde declares circuits-courts, epicerie its narrower alimentation-locale
    assert [s.target for s in synergies_for_actor(POOLING, "jardins", field="circuits-courts")] == [
        "epicerie"
    ]


def test_exclude_linked_drops_pairs_with_a_project_or_a_partnership() -> None:
    linked = index_of("""
    actor:a a mai:Organisation ; skos:prefLabel "A" ; mai:needs resource:camion-frigorifique .
    actor:b a mai:Organisation ; skos:prefLabel "B" ; mai:offers resource:camion-frigorifique .
    actor:c a mai:Organisation ; skos:prefLabel "C" ; mai:offers resource:camion-frigorifique .
    actor:a mai:partnerOf actor:b .
    """)
    # n = 3, df(camion) = 2 → idf = ln(4/3) + 1 = 1.2876821 for both b and c; no coordinates: f = 1
    assert [(s.target, s.score) for s in complementarities(linked, "a")] == [
        ("b", pytest.approx(1.2876821)),
        ("c", pytest.approx(1.2876821)),
    ]
    assert [s.target for s in complementarities(linked, "a", exclude_linked=True)] == ["c"]
    assert [s.target for s in synergies_for_actor(linked, "a", exclude_linked=True)] == ["c"]
    assert [(s.source, s.target) for s in network_synergies(linked, exclude_linked=True)] == [("a", "c")]


def test_unknown_filter_keys_are_refused_with_the_value() -> None:
    with pytest.raises(UnknownFilterError, match="^Filtre invalide : field = « permaculture » "):
        synergies_for_actor(POOLING, "epicerie", field="permaculture")
    with pytest.raises(UnknownFilterError, match="resource = « xyz » \\(clé de ressource inconnue\\)"):
        network_synergies(POOLING, resource="xyz")
    with pytest.raises(UnknownFilterError, match="territory = « Tarnos » \\(code INSEE de commune"):
        poolings(POOLING, territory="Tarnos")
    with pytest.raises(UnknownFilterError) as caught:
        bridges(POOLING, field="circuits")
    assert (caught.value.parameter, caught.value.value) == ("field", "circuits")
    with pytest.raises(ValueError, match="Décalage invalide : -1"):
        triangles(POOLING, "epicerie", offset=-1)
    with pytest.raises(ValueError, match="Rayon invalide : -5 km"):
        poolings(POOLING, group_radius_km=-5)


# --- closing triangles and bridges -------------------------------------------------------------------

# Potager partagé: ferme, tiers-lieu; Marché transfrontalier: tiers-lieu, garraio (ES), atelier (no
# place, country unknown); partners: ferme–mairie, mairie–garraio, tiers-lieu–lagunak (ES).
LINKS_TURTLE = """
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:needs resource:emploi-partage .
actor:tiers-lieu a mai:Organisation ; skos:prefLabel "Tiers-lieu Itsasoa" ; mai:basedIn id:commune\\/64483 ;
    geo:lat 43.39448 ; geo:long -1.63056 .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:basedIn id:municipio\\/20045 ;
    geo:lat 43.33904 ; geo:long -1.78938 .
actor:lagunak a mai:Organisation ; skos:prefLabel "Asso Lagunak" ; mai:basedIn id:municipio\\/20036 ;
    geo:lat 43.3622 ; geo:long -1.7911 .
actor:mairie a {mairie} ; skos:prefLabel "Mairie de Tarnos" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.53697 ; geo:long -1.46578 ; mai:needs resource:emploi-partage .
actor:atelier a mai:Organisation ; skos:prefLabel "Atelier Bois" .
id:project\\/potager a mai:Project ; skos:prefLabel "Potager partagé" .
id:project\\/marche a mai:Project ; skos:prefLabel "Marché transfrontalier" .
id:participation\\/1 mai:project id:project\\/potager ; mai:participant actor:ferme .
id:participation\\/2 mai:project id:project\\/potager ; mai:participant actor:tiers-lieu .
id:participation\\/3 mai:project id:project\\/marche ; mai:participant actor:tiers-lieu .
id:participation\\/4 mai:project id:project\\/marche ; mai:participant actor:garraio .
id:participation\\/5 mai:project id:project\\/marche ; mai:participant actor:atelier .
actor:ferme mai:partnerOf actor:mairie .
actor:mairie mai:partnerOf actor:garraio .
actor:tiers-lieu mai:partnerOf actor:lagunak .
"""
LINKS = index_of(LINKS_TURTLE.replace("{mairie}", "mai:Organisation"))
# Degrees: ferme 2 (tiers-lieu, mairie), tiers-lieu 4 (ferme, garraio, atelier, lagunak), garraio 3
# (tiers-lieu, atelier, mairie), atelier 2, mairie 2, lagunak 1.
# 1 / ln 2 = 1.4426950, 1 / ln 3 = 0.9102392, 1 / ln 4 = 0.7213475. The 8 pairs not linked:
#   ferme ~ garraio     via tiers-lieu (0.7213475) + mairie (1.4426950) = 2.1640426
#   ferme ~ atelier     via tiers-lieu                                = 0.7213475
#   ferme ~ lagunak     via tiers-lieu                                = 0.7213475
#   tiers-lieu ~ mairie via ferme (1.4426950) + garraio (0.9102392)   = 2.3529343 (the maximum)
#   garraio ~ lagunak   via tiers-lieu                                = 0.7213475
#   atelier ~ mairie    via garraio                                   = 0.9102392
#   atelier ~ lagunak   via tiers-lieu                                = 0.7213475
#   mairie ~ lagunak    no common partner                             = 0
AA_FERME_GARRAIO, AA_TIERS_MAIRIE, AA_VIA_TIERS, AA_VIA_GARRAIO = 2.1640426, 2.3529343, 0.7213475, 0.9102392


def test_triangle_is_adamic_adar_over_projects_and_partnerships() -> None:
    found = triangles(LINKS, "ferme")
    assert [(s.kind, s.target, s.score) for s in found] == [
        ("triangle", "garraio", pytest.approx(AA_FERME_GARRAIO)),
        ("triangle", "atelier", pytest.approx(AA_VIA_TIERS)),  # tie with lagunak: key order
        ("triangle", "lagunak", pytest.approx(AA_VIA_TIERS)),
    ]
    garraio = found[0]
    assert (garraio.cross_border, garraio.distance_km) == (True, pytest.approx(31.19714))
    # the intermediaries, the most telling (fewest partners) first
    assert garraio.reasons == (
        Reason(
            "intermediaire",
            "ferme",
            "garraio",
            (),
            pytest.approx(1.4426950),
            pytest.approx(31.19714),  # type: ignore[arg-type]
            True,
            actors=("mairie",),
            links=(Link("ferme", "mairie", (), True), Link("garraio", "mairie", (), True)),
        ),
        Reason(
            "intermediaire",
            "ferme",
            "garraio",
            (),
            pytest.approx(0.7213475),
            pytest.approx(31.19714),  # type: ignore[arg-type]
            True,
            actors=("tiers-lieu",),
            links=(
                Link("ferme", "tiers-lieu", ("potager",), False),
                Link("garraio", "tiers-lieu", ("marche",), False),
            ),
        ),
    )
    assert garraio.sentence(LINKS) == (
        "« Ferme des Barthes » et « Coop Garraio » travaillent tous deux avec « Mairie de Tarnos » "
        "(« Ferme des Barthes » : partenariat ; « Coop Garraio » : partenariat) mais pas encore ensemble : "
        "« Mairie de Tarnos » pourrait les présenter (à 31 km) (coopération transfrontalière). "
        "« Ferme des Barthes » et « Coop Garraio » travaillent tous deux avec « Tiers-lieu Itsasoa » "
        "(« Ferme des Barthes » : projet « Potager partagé » ; "
        "« Coop Garraio » : projet « Marché transfrontalier ») "
        "mais pas encore ensemble : « Tiers-lieu Itsasoa » pourrait les présenter."
    )
    assert garraio.reasons[1].sentence(LINKS, "en", situated=False) == (
        "“Ferme des Barthes” and “Coop Garraio” both work with “Tiers-lieu Itsasoa” (“Ferme des Barthes”: "
        "project “Potager partagé”; “Coop Garraio”: project “Marché transfrontalier”) but not yet together: "
        "“Tiers-lieu Itsasoa” could introduce them."
    )
    assert triangles(LINKS, "tiers-lieu")[0].target == "mairie"
    assert [s.target for s in triangles(LINKS, "ferme", cross_border_only=True)] == ["garraio", "lagunak"]
    assert triangles(LINKS, "ferme", limit=1).total == 3


def test_network_triangles_list_every_open_pair_once() -> None:
    assert max_scores(LINKS)["triangle"] == pytest.approx(AA_TIERS_MAIRIE)
    assert [(s.source, s.target, s.score) for s in network_synergies(LINKS, kinds=["triangle"])] == [
        ("mairie", "tiers-lieu", pytest.approx(AA_TIERS_MAIRIE)),
        ("ferme", "garraio", pytest.approx(AA_FERME_GARRAIO)),
        ("atelier", "mairie", pytest.approx(AA_VIA_GARRAIO)),
        ("atelier", "ferme", pytest.approx(AA_VIA_TIERS)),
        ("atelier", "lagunak", pytest.approx(AA_VIA_TIERS)),
        ("ferme", "lagunak", pytest.approx(AA_VIA_TIERS)),
        ("garraio", "lagunak", pytest.approx(AA_VIA_TIERS)),
    ]


def test_persons_without_consent_never_introduce_anyone_in_public() -> None:
    private = index_of(LINKS_TURTLE.replace("{mairie}", "mai:Person"))
    # mairie hidden: ferme ~ garraio only through tiers-lieu, 0.7213475; mairie is never a target
    assert [(s.target, s.score) for s in triangles(private, "ferme")] == [
        ("atelier", pytest.approx(AA_VIA_TIERS)),
        ("garraio", pytest.approx(AA_VIA_TIERS)),
        ("lagunak", pytest.approx(AA_VIA_TIERS)),
    ]
    assert triangles(private, "ferme", include_private=True)[0].score == pytest.approx(AA_FERME_GARRAIO)
    assert all("mairie" not in (s.source, s.target) for s in network_synergies(private, kinds=["triangle"]))


def test_combined_ranking_names_the_kinds_that_contributed() -> None:
    # ferme: pooling with mairie (both need emploi-partage, 4.9615 km apart: f = 0.9097273, the only pair,
    # so the maximum: 0.75 · 1); triangles / 2.3529343 · 0.5: garraio 0.4598604, atelier and lagunak
    # 0.1532868; no offers and no fields: complementarity and affinity add nothing
    ranked = synergies_for_actor(LINKS, "ferme")
    assert [(s.target, s.score, s.kinds) for s in ranked] == [
        ("mairie", pytest.approx(0.75), ("mutualisation",)),
        ("garraio", pytest.approx(0.4598604), ("triangle",)),
        ("atelier", pytest.approx(0.1532868), ("triangle",)),
        ("lagunak", pytest.approx(0.1532868), ("triangle",)),
    ]
    assert ranked[0].components == {"mutualisation": pytest.approx(0.9097273)}
    # mairie is already ferme's partner
    assert [s.target for s in synergies_for_actor(LINKS, "ferme", exclude_linked=True)][0] == "garraio"
    assert [s.target for s in synergies_for_actor(LINKS, "ferme", weights={"triangle": 2.0})][0] == "garraio"


def test_bridges_work_on_both_sides_of_the_border() -> None:
    # tiers-lieu (FR): ferme (FR); garraio, lagunak (ES); atelier's country is unknown → (1 + 1) · 2 = 4
    # garraio (ES): tiers-lieu, mairie (FR) → (1 + 0) · 2 = 2; mairie (FR): ferme; garraio → 2 · 1 = 2
    # lagunak (ES): tiers-lieu → 1; ferme has no partner abroad, atelier no country
    found = bridges(LINKS)
    assert [(b.actor, b.score, b.same_side, b.other_side, b.projects) for b in found] == [
        ("tiers-lieu", 4.0, ("ferme",), ("garraio", "lagunak"), ("marche",)),
        ("garraio", 2.0, (), ("mairie", "tiers-lieu"), ("marche",)),
        ("mairie", 2.0, ("ferme",), ("garraio",), ()),
        ("lagunak", 1.0, (), ("tiers-lieu",), ()),
    ]
    tiers = found[0]
    assert tiers.sentence(LINKS) == (
        "« Tiers-lieu Itsasoa » relie les deux côtés de la frontière : il travaille avec « Coop Garraio » et "
        "« Asso Lagunak » (Espagne) et avec 1 acteur (France)."
    )
    assert found[1].sentence(LINKS, "en") == (
        "“Coop Garraio” (Spain) works with “Mairie de Tarnos” and “Tiers-lieu Itsasoa” (France)."
    )
    assert [r.sentence(LINKS) for r in tiers.reasons] == [
        "« Tiers-lieu Itsasoa » travaille avec « Coop Garraio » (projet « Marché transfrontalier ») "
        "(coopération transfrontalière).",
        "« Tiers-lieu Itsasoa » travaille avec « Asso Lagunak » (partenariat) "
        "(coopération transfrontalière).",
    ]
    assert [r.distance_km for r in tiers.reasons] == [pytest.approx(14.24168), pytest.approx(13.46222)]
    assert [b.actor for b in bridges(LINKS, territory="es:20045")] == ["garraio"]
    page = bridges(LINKS, limit=2, offset=1)
    assert ([b.actor for b in page], page.total) == (["garraio", "mairie"], 4)


# --- the sample network, end to end ------------------------------------------------------------------

DEMO = "ressourcerie-lur-berri"


@pytest.fixture(scope="module")
def sample(sample_store: Store) -> NetworkIndex:
    return build_index(sample_store)


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    yield TestClient(create_app(sample_store))


def test_sample_pooling_finds_shared_employment_and_kitchens(sample: NetworkIndex) -> None:
    # besoins.csv: 7 actors need emploi-partage, 4 cuisine-professionnelle; offres.csv: nobody offers
    # either, nor their broader concepts (temps-salarie, locaux): rarity 1, one group each within 25 km
    by_resource = {str(g.resource).rsplit("/", 1)[1]: g for g in poolings(sample)}
    emploi = by_resource["emploi-partage"]
    assert emploi.members == (
        "coop-agri-terres-adour",
        "ent-brasserie-labarthe",
        "ent-charpente-larraburu",
        "ent-forges-adour",
        "ent-fournil-ondres",
        "ent-paysages-orthe",
        "scop-menuiserie-zurgin",
    )
    assert (emploi.demand, emploi.supply, emploi.rarity, emploi.score) == (7, 0.0, 1.0, 7.0)
    # Saint-Laurent-de-Gosse is within 25 km of the six others (4, 14, 15, 15, 15 and 20 km): the centre
    assert emploi.centre == "coop-agri-terres-adour"
    cuisine = by_resource["cuisine-professionnelle"]
    assert cuisine.members == (
        "asso-epicerie-elkartasuna",
        "ei-saveurs-maremne",
        "jardins-solidaires-seignanx",
        "scic-sukalde",
    )
    assert (cuisine.demand, cuisine.supply, cuisine.score) == (4, 0.0, 4.0)
    assert "groupement d'employeurs" in emploi.sentence(sample)


def test_sample_api_lists_pooling_groups(client: TestClient) -> None:
    body = client.get("/api/synergies", params={"kind": "mutualisation"}).json()
    groups = {item["resource"]["key"]: item for item in body["data"]}
    assert body["count"] == len(body["data"]) >= 2
    assert len(groups["emploi-partage"]["members"]) == 7 and groups["emploi-partage"]["offerers"] == []
    assert len(groups["cuisine-professionnelle"]["members"]) == 4
    assert all(
        item["kind"] == "mutualisation" and item["kinds"] == ["mutualisation"] for item in body["data"]
    )
    mine = client.get("/api/actors/ent-forges-adour/synergies", params={"kind": "mutualisation"}).json()
    assert [item["resource"]["key"] for item in mine["data"]] == ["emploi-partage"]
    assert "ent-forges-adour" in {m["id"] for m in mine["data"][0]["members"]}
    reason = mine["data"][0]["reasons"][0]
    assert (reason["kind"], reason["demand"], len(reason["actors"])) == ("besoin-non-couvert", 7, 7)


def test_sample_api_combined_ranking_and_filters(client: TestClient) -> None:
    url = f"/api/actors/{DEMO}/synergies"
    combined = client.get(url, params={"limit": 10}).json()
    assert len(combined["data"]) == 10 and combined["count"] >= 10
    assert all(item["kind"] == "combine" and item["kinds"] for item in combined["data"])
    assert any("triangle" in item["kinds"] for item in combined["data"])
    # paging: the second page starts where the first ended
    second = client.get(url, params={"limit": 5, "offset": 5}).json()
    assert [i["target"] for i in second["data"]] == [i["target"] for i in combined["data"][5:10]]
    # cross-border only: Spanish actors (the ressourcerie is in Tarnos)
    abroad = client.get(url, params={"cross_border_only": "true", "limit": 50}).json()
    assert abroad["data"] and all(item["cross_border"] for item in abroad["data"])
    assert all(item["target"].startswith("es-") for item in abroad["data"])
    # its five partners (test_api.py) never appear once linked pairs are excluded
    unlinked = client.get(url, params={"exclude_linked": "true", "limit": 200}).json()
    assert not {i["target"] for i in unlinked["data"]} & {
        "syndicat-dechets-sud-landes",
        "scop-transports-adour-ocean",
        "es-berrerabili-elkartea",
        "ent-kontuak-expertise",
        "ent-forges-adour",
    }
    # territory: CC du Seignanx (SIREN 244000659) only
    seignanx = client.get(url, params={"territory": "epci:244000659", "limit": 200}).json()
    epcis = {client.get(f"/api/actors/{i['target']}").json()["epci"]["code"] for i in seignanx["data"]}
    assert epcis == {"244000659"}
    # a triangle names its intermediary as data and in words
    triangle = client.get(url, params={"kind": "triangle", "limit": 1}).json()["data"][0]
    reason = triangle["reasons"][0]
    assert reason["kind"] == "intermediaire" and reason["actors"][0]["name"] in reason["sentence"]
    assert "pourrait les présenter" in reason["sentence"] and len(reason["links"]) == 2


def test_sample_api_bridges(client: TestClient) -> None:
    body = client.get("/api/synergies/bridges", params={"limit": 100}).json()
    assert body["count"] == len(body["data"]) > 0
    scores = [b["score"] for b in body["data"]]
    assert scores == sorted(scores, reverse=True)
    demo = next(b for b in body["data"] if b["actor"] == DEMO)
    assert "es-berrerabili-elkartea" in {a["id"] for a in demo["other_side"]}  # a partner (partenariats.csv)
    assert demo["score"] == (1 + len(demo["same_side"])) * len(demo["other_side"])
    assert all(r["kind"] == "lien-transfrontalier" for r in demo["reasons"])


@pytest.mark.parametrize(
    ("params", "parameter", "value"),
    [
        ({"field": "permaculture"}, "field", "permaculture"),
        ({"resource": "licorne"}, "resource", "licorne"),
        ({"territory": "Tarnos"}, "territory", "Tarnos"),
    ],
)
def test_sample_api_unknown_filter_keys_give_422(
    client: TestClient, params: dict[str, str], parameter: str, value: str
) -> None:
    for url in ("/api/synergies", f"/api/actors/{DEMO}/synergies"):
        response = client.get(url, params=params)
        assert response.status_code == 422
        error = response.json()["error"]
        assert (error["status"], error["code"]) == (422, "parametre_invalide")
        assert error["message"].startswith(f"Filtre invalide : {parameter} = « {value} »")
        assert [(d["parametre"], d["valeur"]) for d in error["details"]] == [(parameter, value)]


def test_distance_constants_used_above() -> None:
    # the meridian step and Bayonne → Tarnos, checked once against the formula
    assert 0.1 * 6371 * math.pi / 180 == pytest.approx(11.119493)
    assert 1 / (1 + 11.119493 / 50) == pytest.approx(0.8180696)


def test_the_batch_table_gives_each_actors_own_top_ten(sample_store: Store) -> None:
    """`all_top_synergies` is the batch form of `synergies_for_actor`: same targets, scores, order, reasons,
    for every public actor of the sample, even with blocks of a few rows (forcing several blocks)."""
    from maillage.graph.synergies import all_top_synergies, synergies_for_actor

    index = build_index(sample_store)
    table = dict(all_top_synergies(index, limit=10, block_bytes=8 * 77 * 8))  # 8 rows a block
    public = [a.key for a in index.actors if a.is_public]
    assert sorted(table) == sorted(public)
    for key in public:
        one = synergies_for_actor(index, key, limit=10)
        batch = table[key]
        assert [s.target for s in batch] == [s.target for s in one], key
        assert [s.score for s in batch] == pytest.approx([s.score for s in one], abs=1e-12)
        assert [s.sentence(index) for s in batch] == [s.sentence(index) for s in one]


def test_a_pooling_reason_lists_twenty_offerers_and_counts_them_all(sample: NetworkIndex) -> None:
    from maillage.api.present import OFFERERS_LISTED, reason_public
    from maillage.graph.synergies import SHARED_NEED, Reason

    keys = [a.key for a in sample.actors if a.is_public][:30]
    reason = Reason(
        kind=SHARED_NEED,
        source=keys[0],
        target=keys[1],
        concepts=(URIRef("https://w3id.org/maillage/concept/resource/emploi-partage"),),
        weight=1.0,
        distance_km=None,
        cross_border=False,
        demand=40,
        offerers=tuple(keys),
    )
    public = reason_public(sample, reason, "fr")
    assert OFFERERS_LISTED == 20
    assert [a.id for a in public.offerers] == keys[:20]
    assert public.offerers_count == 30
    # the sentence names eight (NAMES_IN_SENTENCE) and counts the 22 others, without naming them
    assert " et 22 autres " in public.sentence
    names_of_the_rest = [sample.actor(k).label for k in keys[8:]]
    assert not any(f"« {name} »" in public.sentence for name in names_of_the_rest)
