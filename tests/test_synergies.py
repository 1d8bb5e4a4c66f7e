"""Synergies on tiny networks whose scores are worked out by hand in the comments.

Formulas (docs/decisions/20261128-synergy-scores.md):
    complementarity  score(A, B) = f(d) · Σ_{r ∈ needs(A)} match(B, r) · idf(r)
                     match = 1 (same concept), 0.5 (one skos:broader step), 0.25 (two steps on one
                     line; never siblings), best offer only
                     idf(r) = ln((1 + n) / (1 + df(r))) + 1, df(r) = actors whose offers match r at all
                     f(d) = 1 / (1 + d / 50), f = 1 without coordinates
    affinity         cosine of rows x[c] = w[c] · idf(c), w = 1 own field, 0.5 its broader concept
"""

from __future__ import annotations

import math

import pytest
from rdflib import Graph, URIRef

from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import (
    DEFAULT_WEIGHTS,
    Reason,
    UnknownActorError,
    affinities,
    complementarities,
    max_scores,
    network_synergies,
    synergies_for_actor,
)

G = URIRef("https://w3id.org/maillage/graph/network/test")
CONCEPT = "https://w3id.org/maillage/concept/"

PREFIXES = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
"""

# Two-level taxonomies: locaux > {salle-reunion, bureaux}; vehicules > {camion-frigorifique,
# vehicule-utilitaire > fourgon, velo-cargo}; circuits-courts > alimentation-locale;
# insertion-professionnelle (top).
CONCEPTS = """
resource:locaux skos:inScheme mai:resources ; skos:prefLabel "Locaux"@fr, "Premises"@en .
resource:salle-reunion skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Salle de réunion"@fr, "Meeting room"@en .
resource:bureaux skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Bureaux"@fr, "Offices"@en .
resource:vehicules skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr, "Vehicles"@en .
resource:camion-frigorifique skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Camion frigorifique"@fr, "Refrigerated truck"@en .
resource:vehicule-utilitaire skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Véhicule utilitaire"@fr, "Utility vehicle"@en .
resource:fourgon skos:inScheme mai:resources ; skos:broader resource:vehicule-utilitaire ;
    skos:prefLabel "Fourgon"@fr, "Van"@en .
resource:velo-cargo skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Vélo cargo"@fr, "Cargo bike"@en .
field:circuits-courts skos:inScheme mai:fields ;
    skos:prefLabel "Circuits courts"@fr, "Short supply chains"@en .
field:alimentation-locale skos:inScheme mai:fields ; skos:broader field:circuits-courts ;
    skos:prefLabel "Alimentation locale"@fr, "Local food"@en .
field:insertion-professionnelle skos:inScheme mai:fields ;
    skos:prefLabel "Insertion professionnelle"@fr, "Professional integration"@en .
"""

CAMION = URIRef(CONCEPT + "resource/camion-frigorifique")
VEHICULES = URIRef(CONCEPT + "resource/vehicules")
SALLE = URIRef(CONCEPT + "resource/salle-reunion")
UTILITAIRE = URIRef(CONCEPT + "resource/vehicule-utilitaire")
ALIMENTATION = URIRef(CONCEPT + "field/alimentation-locale")
CIRCUITS = URIRef(CONCEPT + "field/circuits-courts")
INSERTION = URIRef(CONCEPT + "field/insertion-professionnelle")


def index_of(turtle: str) -> NetworkIndex:
    graph = Graph().parse(data=PREFIXES + CONCEPTS + turtle, format="turtle")
    store = OxigraphStore(None)
    store.add_all((s, p, o, G) for s, p, o in graph)
    return build_index(store)


# --- complementarity, exact match ------------------------------------------------------------------

EXACT = index_of("""
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:needs resource:camion-frigorifique .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:offers resource:camion-frigorifique .
actor:lagunak a mai:Organisation ; skos:prefLabel "Asso Lagunak" ; mai:offers resource:bureaux .
""")


def test_exact_match_weighs_the_idf_of_a_rare_offer() -> None:
    [synergy] = complementarities(EXACT, "ferme")
    # n = 3 actors; df(camion) = 1 (garraio; bureaux is in another branch) → idf = ln(4/2) + 1 = 1.6931472
    # match = 1 (same concept); no coordinates → f = 1; score = 1 · 1.6931472
    assert synergy.score == pytest.approx(math.log(2) + 1) == pytest.approx(1.6931472)
    assert (synergy.kind, synergy.source, synergy.target) == ("complementarite", "ferme", "garraio")
    assert synergy.components == {"complementarite": pytest.approx(1.6931472)}
    assert (synergy.distance_km, synergy.cross_border) == (None, False)
    assert synergy.reasons == (
        Reason("besoin-offre", "ferme", "garraio", (CAMION, CAMION), pytest.approx(1.6931472)),  # type: ignore[arg-type]
    )


def test_missing_coordinates_are_said_in_the_sentence() -> None:
    [synergy] = complementarities(EXACT, "ferme")
    assert synergy.sentence(EXACT) == (
        "« Ferme des Barthes » a besoin de « Camion frigorifique » ; « Coop Garraio » propose "
        "« Camion frigorifique » "
        "(distance inconnue : coordonnées manquantes, score non modulé par la distance)."
    )
    assert synergy.sentence(EXACT, "en") == (
        "“Ferme des Barthes” needs “Refrigerated truck”; “Coop Garraio” offers “Refrigerated truck” "
        "(distance unknown: missing coordinates, score not adjusted for distance)."
    )


def test_the_offers_direction_finds_who_needs_what_an_actor_offers() -> None:
    assert complementarities(EXACT, "garraio") == []  # garraio needs nothing
    [synergy] = complementarities(EXACT, "garraio", direction="offers")
    # the same pair seen from the offer: ferme needs → garraio offers, 1.6931472
    assert (synergy.source, synergy.target) == ("ferme", "garraio")
    assert synergy.score == pytest.approx(1.6931472)


# --- complementarity through the hierarchy ---------------------------------------------------------

HIERARCHY = index_of("""
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:needs resource:camion-frigorifique .
actor:atelier a mai:Organisation ; skos:prefLabel "Atelier Bois" ; mai:offers resource:vehicules .
actor:garage a mai:Organisation ; skos:prefLabel "Garage Solidaire" ;
    mai:offers resource:vehicule-utilitaire, resource:velo-cargo .
actor:lagunak a mai:Organisation ; skos:prefLabel "Asso Lagunak" ;
    mai:offers resource:bureaux, resource:fourgon .
actor:mairie a mai:Organisation ; skos:prefLabel "Mairie" ; mai:needs resource:vehicules .
""")


def test_broader_offer_matches_at_half_weight_and_siblings_never() -> None:
    results = complementarities(HIERARCHY, "ferme")
    # n = 5. Offers matching camion-frigorifique: atelier (vehicules, its broader: 1 step, 0.5) only;
    # garage's vehicule-utilitaire and velo-cargo are siblings of camion-frigorifique (no match), and
    # lagunak's fourgon is up then down (camion → vehicules → vehicule-utilitaire → fourgon): no match.
    # df = 1 → idf = ln(6/2) + 1 = 2.0986123; score = 0.5 · 2.0986123 = 1.0493061
    assert [(s.target, s.score) for s in results] == [("atelier", pytest.approx(1.0493061))]
    assert results[0].sentence(HIERARCHY) == (
        "« Ferme des Barthes » a besoin de « Camion frigorifique » ; « Atelier Bois » propose « Véhicules », "
        "un concept voisin de « Camion frigorifique » "
        "(distance inconnue : coordonnées manquantes, score non modulé par la distance)."
    )


def test_narrower_offers_match_one_and_two_steps_down() -> None:
    results = complementarities(HIERARCHY, "mairie")
    # mairie needs vehicules: atelier offers it (1), garage offers two children (0.5, the best counts once),
    # lagunak offers fourgon, a grand-child (0.25). df = 3 → idf = ln(6/4) + 1 = 1.4054651
    assert [(s.target, s.score) for s in results] == [
        ("atelier", pytest.approx(1.4054651)),
        ("garage", pytest.approx(0.5 * 1.4054651)),  # 0.7027326, not 1.0 (max, not sum)
        ("lagunak", pytest.approx(0.25 * 1.4054651)),  # 0.3513663
    ]
    assert results[2].reasons[0].concepts == (
        URIRef(CONCEPT + "resource/vehicules"),
        URIRef(CONCEPT + "resource/fourgon"),
    )
    assert results[2].reasons[0].sentence(HIERARCHY, "en", situated=False) == (
        "“Mairie” needs “Vehicles”; “Asso Lagunak” offers “Van”, a concept close to “Vehicles”."
    )


# --- distance, radius, border, affinity and the combined ranking on one network -------------------

# Commune centroids: Bayonne (64102) 43.49235, -1.46590; Saint-Jean-de-Luz (64483) 43.39448, -1.63056;
# Irun (ES, INE 20045) 43.33904, -1.78938.
DISTANCE = index_of("""
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:alimentation-locale ;
    mai:needs resource:camion-frigorifique, resource:salle-reunion .
actor:tiers-lieu a mai:Organisation ; skos:prefLabel "Tiers-lieu Itsasoa" ; mai:basedIn id:commune\\/64483 ;
    geo:lat 43.39448 ; geo:long -1.63056 ;
    mai:field field:alimentation-locale, field:insertion-professionnelle ;
    mai:offers resource:salle-reunion, resource:camion-frigorifique .
actor:garraio a mai:Organisation ; skos:prefLabel "Coop Garraio" ; mai:basedIn id:municipio\\/20045 ;
    geo:lat 43.33904 ; geo:long -1.78938 ; mai:field field:circuits-courts ;
    mai:offers resource:camion-frigorifique .
""")

# Haversine, R = 6371 km, h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2), d = 2R asin √h:
#   Bayonne → Saint-Jean-de-Luz: Δφ = -0.09787°, Δλ = -0.16466°;
#     h = 7.294471e-07 + 1.088448e-06 = 1.817895e-06 → d = 2 · 6371 · 0.00134830 = 17.17996 km
#     f = 1 / (1 + 17.17996 / 50) = 0.7442696
#   Bayonne → Irun: Δφ = -0.15331°, Δλ = -0.32348°;
#     h = 1.789928e-06 + 4.204578e-06 = 5.994506e-06 → d = 2 · 6371 · 0.00244837 = 31.19714 km
#     f = 1 / (1 + 31.19714 / 50) = 0.6157853
# idf (n = 3): camion df = 2 (tiers-lieu, garraio) → ln(4/3) + 1 = 1.2876821;
#              salle  df = 1 (tiers-lieu)          → ln(4/2) + 1 = 1.6931472
D_TIERS, D_GARRAIO = 17.17996, 31.19714
COMP_TIERS = (1.2876821 + 1.6931472) * 0.7442696  # = 2.2185405
COMP_GARRAIO = 1.2876821 * 0.6157853  # = 0.7929356
# Affinity (n = 3), columns alimentation-locale, circuits-courts, insertion-professionnelle:
#   w: ferme (1, 0.5, 0), tiers-lieu (1, 0.5, 1), garraio (0, 1, 0)
#   df: alim 2 → idf 1.2876821; circuits 3 → ln(4/4) + 1 = 1; insertion 1 → 1.6931472
#   x_ferme = (1.2876821, 0.5, 0)          ‖x‖ = √(1.6581255 + 0.25) = 1.3813490
#   x_tiers = (1.2876821, 0.5, 1.6931472)  ‖x‖ = √(1.9081255 + 2.8667474) = 2.1851482
#   x_garraio = (0, 1, 0)                  ‖x‖ = 1
AFF_FERME_TIERS = 1.9081255 / (1.3813490 * 2.1851482)  # = 0.6321535
AFF_FERME_GARRAIO = 0.5 / 1.3813490  # = 0.3619650
AFF_GARRAIO_TIERS = 0.5 / 2.1851482  # = 0.2288174


def test_distance_modulates_complementarity() -> None:
    results = complementarities(DISTANCE, "ferme")
    assert [(s.target, s.score, s.distance_km) for s in results] == [
        ("tiers-lieu", pytest.approx(COMP_TIERS), pytest.approx(D_TIERS)),
        ("garraio", pytest.approx(COMP_GARRAIO), pytest.approx(D_GARRAIO)),
    ]
    assert [s.cross_border for s in results] == [False, True]  # FR–FR, FR–ES
    # reasons by weight: salle 1 · 1.6931472 before camion 1 · 1.2876821
    assert [r.concepts[0] for r in results[0].reasons] == [SALLE, CAMION]
    assert [r.weight for r in results[0].reasons] == [pytest.approx(1.6931472), pytest.approx(1.2876821)]


def test_radius_excludes_actors_farther_away() -> None:
    assert [s.target for s in complementarities(DISTANCE, "ferme", radius_km=20)] == ["tiers-lieu"]
    assert [s.target for s in complementarities(DISTANCE, "ferme", radius_km=40)] == ["tiers-lieu", "garraio"]
    assert complementarities(EXACT, "ferme", radius_km=1000) == []  # no coordinates: not provably within


def test_limit_keeps_the_best() -> None:
    assert [s.target for s in complementarities(DISTANCE, "ferme", limit=1)] == ["tiers-lieu"]


def test_sentences_say_the_distance_once_and_the_border() -> None:
    tiers, garraio = complementarities(DISTANCE, "ferme")
    assert tiers.sentence(DISTANCE) == (
        "« Ferme des Barthes » a besoin de « Salle de réunion » ; « Tiers-lieu Itsasoa » propose "
        "« Salle de réunion » (à 17 km). « Ferme des Barthes » a besoin de « Camion frigorifique » ; "
        "« Tiers-lieu Itsasoa » propose « Camion frigorifique »."
    )
    assert garraio.sentence(DISTANCE) == (
        "« Ferme des Barthes » a besoin de « Camion frigorifique » ; « Coop Garraio » propose "
        "« Camion frigorifique » (à 31 km) (coopération transfrontalière)."
    )
    assert garraio.sentence(DISTANCE, "en") == (
        "“Ferme des Barthes” needs “Refrigerated truck”; “Coop Garraio” offers “Refrigerated truck” "
        "(31 km away) (cross-border cooperation)."
    )


def test_affinity_is_the_idf_weighted_hierarchy_aware_cosine() -> None:
    results = affinities(DISTANCE, "ferme")
    assert [(s.target, s.score) for s in results] == [
        ("tiers-lieu", pytest.approx(AFF_FERME_TIERS)),  # 0.6321535
        ("garraio", pytest.approx(AFF_FERME_GARRAIO)),  # 0.3619650, only through circuits-courts
    ]
    tiers, garraio = results
    assert tiers.sentence(DISTANCE) == (
        "« Ferme des Barthes » et « Tiers-lieu Itsasoa » partagent le domaine « Alimentation locale » "
        "et n'ont encore aucun projet ni partenariat ensemble."
    )
    # the shared broader concept is explained by the shared field: one reason carrying the whole cosine
    assert tiers.reasons[0].concepts == (ALIMENTATION,)
    assert tiers.reasons[0].weight == pytest.approx(AFF_FERME_TIERS)
    assert garraio.sentence(DISTANCE) == (
        "« Ferme des Barthes » et « Coop Garraio » ont des domaines proches, rattachés à « Circuits courts » "
        "et n'ont encore aucun projet ni partenariat ensemble (coopération transfrontalière)."
    )
    assert garraio.sentence(DISTANCE, "en") == (
        "“Ferme des Barthes” and “Coop Garraio” have related fields, under “Short supply chains” "
        "and have no project or partnership together yet (cross-border cooperation)."
    )


def test_max_scores_are_the_best_pairs_of_the_network() -> None:
    assert max_scores(DISTANCE) == {
        "complementarite": pytest.approx(COMP_TIERS),
        "mutualisation": 0.0,  # each need has one actor needing it: nothing to pool
        "affinite": pytest.approx(AFF_FERME_TIERS),
        "triangle": 0.0,  # no project, no partnership
    }


def test_combined_ranking_normalises_each_kind_and_weighs_it() -> None:
    assert DEFAULT_WEIGHTS == {
        "complementarite": 1.0,
        "mutualisation": 0.75,
        "affinite": 0.5,
        "triangle": 0.5,
    }
    # pooling and triangles have a network maximum of 0 here: they add nothing
    tiers, garraio = synergies_for_actor(DISTANCE, "ferme")
    # tiers-lieu: 1 · 2.2185405 / 2.2185405 + 0.5 · 0.6321535 / 0.6321535 = 1.5
    # garraio:    1 · 0.7929356 / 2.2185405 + 0.5 · 0.3619650 / 0.6321535 = 0.3574132 + 0.2862952 = 0.6437084
    assert (tiers.target, tiers.score) == ("tiers-lieu", pytest.approx(1.5))
    assert (garraio.target, garraio.score) == ("garraio", pytest.approx(0.6437084))
    assert garraio.kind == "combine"
    assert garraio.kinds == ("complementarite", "affinite")
    assert garraio.components == {
        "complementarite": pytest.approx(COMP_GARRAIO),
        "affinite": pytest.approx(AFF_FERME_GARRAIO),
    }
    assert garraio.sentence(DISTANCE) == (
        "« Ferme des Barthes » a besoin de « Camion frigorifique » ; « Coop Garraio » propose "
        "« Camion frigorifique » (à 31 km) (coopération transfrontalière). "
        "« Ferme des Barthes » et « Coop Garraio » ont des domaines proches, rattachés à « Circuits courts » "
        "et n'ont encore aucun projet ni partenariat ensemble."
    )


def test_combined_weights_are_a_parameter() -> None:
    # with affinity weighing 2: garraio = 0.3574132 + 2 · 0.3619650 / 0.6321535 = 0.3574132 + 1.1451807
    [tiers, garraio] = synergies_for_actor(DISTANCE, "ferme", weights={"affinite": 2.0})
    assert (tiers.score, garraio.score) == (pytest.approx(3.0), pytest.approx(1.5025939))
    [only] = synergies_for_actor(DISTANCE, "ferme", kinds=["affinite"], limit=1)
    assert (only.target, only.score, only.kinds) == ("tiers-lieu", pytest.approx(0.5), ("affinite",))


def test_network_synergies_rank_every_kind_together() -> None:
    ranked = network_synergies(DISTANCE)
    # rank = weight · score / max of the kind:
    #   comp ferme → tiers-lieu   1 · 2.2185405 / 2.2185405 = 1
    #   aff  ferme ~ tiers-lieu   0.5 · 0.6321535 / 0.6321535 = 0.5
    #   comp ferme → garraio      0.7929356 / 2.2185405 = 0.3574132
    #   aff  ferme ~ garraio      0.5 · 0.3619650 / 0.6321535 = 0.2862952
    #   aff  garraio ~ tiers-lieu 0.5 · 0.2288174 / 0.6321535 = 0.1809825 (unordered: smaller key first)
    assert [(s.kind, s.source, s.target, s.score) for s in ranked] == [
        ("complementarite", "ferme", "tiers-lieu", pytest.approx(COMP_TIERS)),
        ("affinite", "ferme", "tiers-lieu", pytest.approx(AFF_FERME_TIERS)),
        ("complementarite", "ferme", "garraio", pytest.approx(COMP_GARRAIO)),
        ("affinite", "ferme", "garraio", pytest.approx(AFF_FERME_GARRAIO)),
        ("affinite", "garraio", "tiers-lieu", pytest.approx(AFF_GARRAIO_TIERS)),
    ]
    assert [s.target for s in network_synergies(DISTANCE, kinds=["complementarite"], limit=1)] == [
        "tiers-lieu"
    ]
    # affinity is not modulated: its distances are measured for the pairs kept only, the same ones
    distances = [s.distance_km for s in ranked]
    assert distances[:4] == [pytest.approx(D_TIERS), pytest.approx(D_TIERS)] + [pytest.approx(D_GARRAIO)] * 2


# --- affinity excludes pairs already linked --------------------------------------------------------

LINKED = index_of("""
actor:jardin a mai:Organisation ; skos:prefLabel "Jardin d'Insertion" ;
    mai:field field:insertion-professionnelle, field:alimentation-locale .
actor:chantier a mai:Organisation ; skos:prefLabel "Chantier Tarnos" ;
    mai:field field:insertion-professionnelle .
actor:marche a mai:Organisation ; skos:prefLabel "Marché des Producteurs" ; mai:field field:circuits-courts .
actor:mission-locale a mai:Organisation ; skos:prefLabel "Mission Locale" ;
    mai:field field:insertion-professionnelle .
id:project\\/p1 a mai:Project ; skos:prefLabel "Potager" .
id:participation\\/1 mai:project id:project\\/p1 ; mai:participant actor:jardin .
id:participation\\/2 mai:project id:project\\/p1 ; mai:participant actor:mission-locale .
actor:chantier mai:partnerOf actor:mission-locale .
actor:mission-locale mai:partnerOf actor:chantier .
""")
# n = 4; df: insertion 3 (jardin, chantier, mission-locale) → ln(5/4) + 1 = 1.2231436;
# alimentation 1 → ln(5/2) + 1 = 1.9162907; circuits 2 (jardin by broader, marche) → ln(5/3) + 1 = 1.5108256
# x_jardin = (insertion 1.2231436, alimentation 1.9162907, circuits 0.5 · 1.5108256 = 0.7554128)
# ‖x_jardin‖² = 1.4960803 + 3.6721702 + 0.5706485 = 5.7388990 → ‖x_jardin‖ = 2.3955999
# cos(jardin, chantier) = cos(jardin, mission-locale) = 1.2231436 / 2.3955999 = 0.5105792
# cos(jardin, marche) = 0.7554128 / 2.3955999 = 0.3153335;  cos(chantier, mission-locale) = 1


def test_affinity_skips_pairs_sharing_a_project_or_a_partnership() -> None:
    # mission-locale (0.5105792) shares the project p1 with jardin: left out
    assert [(s.target, s.score) for s in affinities(LINKED, "jardin")] == [
        ("chantier", pytest.approx(0.5105792)),
        ("marche", pytest.approx(0.3153335)),
    ]
    # chantier ~ mission-locale (cosine 1) are partners: left out; so is jardin ~ mission-locale
    assert [(s.source, s.target, s.score) for s in network_synergies(LINKED, kinds=["affinite"])] == [
        ("chantier", "jardin", pytest.approx(0.5105792)),
        ("jardin", "marche", pytest.approx(0.3153335)),
    ]
    assert affinities(LINKED, "mission-locale") == []  # its only similar actors are its partners


TWO_FIELDS = index_of("""
actor:x a mai:Organisation ; skos:prefLabel "X" ;
    mai:field field:insertion-professionnelle, field:alimentation-locale .
actor:y a mai:Organisation ; skos:prefLabel "Y" ;
    mai:field field:insertion-professionnelle, field:alimentation-locale .
actor:z a mai:Organisation ; skos:prefLabel "Z" ; mai:field field:insertion-professionnelle .
""")
# n = 3; df: insertion 3 → ln(4/4) + 1 = 1; alimentation 2 → 1.2876821; circuits 2 (broader) → 1.2876821
# x = y = (insertion 1, alimentation 1.2876821, circuits 0.6438410);
# ‖x‖² = 1 + 1.6581255 + 0.4145314 = 3.0726569
# contributions to cos(x, y) = 1: alimentation 1.6581255 / 3.0726569 = 0.5396,
# insertion 1 / 3.0726569 = 0.3254,
# circuits 0.1349 (explained by alimentation, shared by both)


def test_shared_fields_are_listed_by_contribution() -> None:
    [y, z] = affinities(TWO_FIELDS, "x")
    assert (y.target, y.score) == ("y", pytest.approx(1.0))
    assert (z.target, z.score) == ("z", pytest.approx(1 / math.sqrt(3.0726569)))  # 0.5704836
    assert y.reasons[0].concepts == (ALIMENTATION, INSERTION)
    assert y.sentence(TWO_FIELDS) == (
        "« X » et « Y » partagent les domaines « Alimentation locale » et « Insertion professionnelle » "
        "et n'ont encore aucun projet ni partenariat ensemble."
    )
    assert y.sentence(TWO_FIELDS, "en") == (
        "“X” and “Y” share the fields “Local food” and “Professional integration” "
        "and have no project or partnership together yet."
    )
    assert y.sentence(TWO_FIELDS, "eu").startswith("« X » et « Y » partagent")  # no Basque templates: French


# --- private persons ---------------------------------------------------------------------------------

PRIVATE = index_of("""
actor:ferme a mai:Organisation ; skos:prefLabel "Ferme des Barthes" ; mai:field field:alimentation-locale ;
    mai:needs resource:camion-frigorifique .
actor:jean a mai:Person ; skos:prefLabel "Jean Dupont" ; mai:field field:alimentation-locale ;
    mai:offers resource:camion-frigorifique .
actor:maite a mai:Person ; skos:prefLabel "Maite Etxeberri" ; mai:publicConsent true ;
    mai:field field:alimentation-locale ; mai:offers resource:camion-frigorifique .
""")
# n = 3; df(camion) = 2 (jean, maite) → idf = ln(4/3) + 1 = 1.2876821;
# all three have the same fields: cosine 1


def test_persons_without_consent_never_appear_for_the_public() -> None:
    assert [(s.target, s.score) for s in complementarities(PRIVATE, "ferme")] == [
        ("maite", pytest.approx(1.2876821))
    ]
    assert [s.target for s in complementarities(PRIVATE, "ferme", include_private=True)] == ["jean", "maite"]
    assert [s.target for s in affinities(PRIVATE, "ferme")] == ["maite"]
    assert [s.target for s in synergies_for_actor(PRIVATE, "ferme")] == ["maite"]
    pairs = [(s.kind, s.source, s.target) for s in network_synergies(PRIVATE)]
    assert pairs == [("complementarite", "ferme", "maite"), ("affinite", "ferme", "maite")]
    assert all("jean" not in (s.source, s.target) for s in network_synergies(PRIVATE))
    assert len(network_synergies(PRIVATE, include_private=True)) == 5  # 2 needs met + 3 affinity pairs


# --- errors ------------------------------------------------------------------------------------------


def test_unknown_actor_is_a_key_error_naming_the_key() -> None:
    for question in (complementarities, affinities, synergies_for_actor):
        with pytest.raises(UnknownActorError, match="^Acteur inconnu : « xyz »$"):
            question(DISTANCE, "xyz")
    with pytest.raises(KeyError):
        complementarities(DISTANCE, "xyz")


def test_bad_options_are_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match="Type de synergie inconnu : « parrainage »"):
        synergies_for_actor(DISTANCE, "ferme", kinds=["parrainage"])
    with pytest.raises(ValueError, match="Rayon invalide : -1 km"):
        complementarities(DISTANCE, "ferme", radius_km=-1)
    with pytest.raises(ValueError, match="Poids invalide pour « affinite » : -0.5"):
        network_synergies(DISTANCE, weights={"affinite": -0.5})
    with pytest.raises(ValueError, match="Limite invalide : -3"):
        affinities(DISTANCE, "ferme", limit=-3)
