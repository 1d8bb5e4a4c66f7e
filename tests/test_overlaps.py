"""Overlaps (who already does the same thing nearby) and duplicate records, on hand-solvable networks.

Formulas (docs/decisions/20261128-overlaps.md):
    overlap(A, B) = f(d) · (0.6 · O(A, B) + 0.4 · F(A, B))
    O, F: the same idf-weighted, hierarchy-aware Dice coefficient on offers / on fields
        D(A, B) = (Σ_{a ∈ A} idf(a) · m_B(a) + Σ_{b ∈ B} idf(b) · m_A(b)) / (Σ_A idf + Σ_B idf)
        m_B(a) = 1 if B declares a, 0.5 if B declares a concept one skos:broader step from a
                 (broader or narrower; never a sibling), else 0
        idf(c) = ln((1 + n) / (1 + df(c))) + 1, df(c) = actors with m(c) > 0, n = actors of the index
    f(d) = 1 / (1 + d / 50), f = 1 without coordinates; radius 30 km by default
Duplicates: same SIREN (SIRET[:9]) / RNA / NIF → certain; folded names with token_set_ratio ≥ 90 in the
same commune or ≤ 2 km apart → probable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import combinations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from maillage.api.app import create_app
from maillage.api.routers.overlaps import router
from maillage.graph._overlaps import scan as overlap_scan
from maillage.graph.geo import haversine_km
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.overlaps import (
    DuplicateEvidence,
    OverlapReason,
    UnknownActorError,
    activity_overlaps,
    duplicate_records,
    normalise_name,
    overlap_page,
    read_identifiers,
)
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore

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

# locaux > {atelier, bureaux}; eco-construction > {eco-renovation, habitat-participatif};
# insertion-professionnelle (top).
CONCEPTS = """
resource:locaux skos:inScheme mai:resources ; skos:prefLabel "Locaux"@fr, "Premises"@en .
resource:atelier skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Atelier"@fr, "Workshop"@en .
resource:bureaux skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Bureaux"@fr, "Offices"@en .
field:eco-construction skos:inScheme mai:fields ; skos:prefLabel "Éco-construction"@fr, "Eco-building"@en .
field:eco-renovation skos:inScheme mai:fields ; skos:broader field:eco-construction ;
    skos:prefLabel "Éco-rénovation"@fr, "Eco-renovation"@en .
field:habitat-participatif skos:inScheme mai:fields ; skos:broader field:eco-construction ;
    skos:prefLabel "Habitat participatif"@fr, "Cohousing"@en .
field:insertion-professionnelle skos:inScheme mai:fields ;
    skos:prefLabel "Insertion professionnelle"@fr, "Professional integration"@en .
id:commune\\/64102 skos:prefLabel "Bayonne" .
id:commune\\/64024 skos:prefLabel "Anglet" .
id:commune\\/64445 skos:prefLabel "Pau" .
"""

LOCAUX = URIRef(CONCEPT + "resource/locaux")
ATELIER = URIRef(CONCEPT + "resource/atelier")
BUREAUX = URIRef(CONCEPT + "resource/bureaux")
ECO_CONSTRUCTION = URIRef(CONCEPT + "field/eco-construction")
ECO_RENOVATION = URIRef(CONCEPT + "field/eco-renovation")


def store_of(turtle: str) -> OxigraphStore:
    graph = Graph().parse(data=PREFIXES + CONCEPTS + turtle, format="turtle")
    store = OxigraphStore(None)
    store.add_all((s, p, o, G) for s, p, o in graph)
    return store


def index_of(turtle: str) -> NetworkIndex:
    return build_index(store_of(turtle))


# --- the activity overlap -----------------------------------------------------------------------------

# Bayonne centroid (64102) 43.49235, -1.46590; "north" is 10 km due north of it (10 / 111.19493 km per
# degree = 0.08993216°); Pau centroid (64445) 43.32003, -0.35004.
NEAR_TURTLE = """
actor:zurgin a mai:Organisation ; skos:prefLabel "Zurgin Menuiserie" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:eco-construction ; mai:offers resource:atelier .
actor:bois a mai:Organisation ; skos:prefLabel "Atelier Bois Solidaire" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:field field:eco-construction, field:insertion-professionnelle ;
    mai:offers resource:atelier, resource:bureaux .
actor:forges a mai:Organisation ; skos:prefLabel "Forges de l'Adour" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.58228216 ; geo:long -1.4659 ; mai:field field:eco-renovation ; mai:offers resource:locaux .
actor:pau a mai:Organisation ; skos:prefLabel "Atelier Bois Pau" ; mai:basedIn id:commune\\/64445 ;
    geo:lat 43.32003 ; geo:long -0.35004 ; mai:field field:eco-construction ; mai:offers resource:atelier .
"""
NEAR = index_of(NEAR_TURTLE)

# n = 4.
# Offers, m at 1 on own concepts and 0.5 one step away:
#   zurgin {atelier} → atelier 1, locaux .5;  bois {atelier, bureaux} → atelier 1, bureaux 1, locaux .5
#   forges {locaux} → locaux 1, atelier .5, bureaux .5;  pau {atelier} → atelier 1, locaux .5
#   df: atelier 4, locaux 4, bureaux 2 → idf = ln(5/5) + 1 = 1, 1, ln(5/3) + 1 = 1.5108256
# Fields: zurgin, pau {eco-c} → eco-c 1, eco-r .5 (and habitat .5); bois {eco-c, insertion};
#   forges {eco-r} → eco-r 1, eco-c .5 (habitat is its sibling: nothing)
#   df: eco-c 4, eco-r 4, insertion 1 → idf 1, 1, ln(5/2) + 1 = 1.9162907
IDF_BUREAUX = math.log(5 / 3) + 1  # 1.5108256
IDF_INSERTION = math.log(5 / 2) + 1  # 1.9162907
# zurgin ~ bois: atelier shared (1 + 1), bureaux is atelier's sibling (0)
#   O = 2 / (1 + 1 + 1.5108256) = 0.5696666;  F = 2 / (1 + 1 + 1.9162907) = 0.5106873
#   d = 0 (same centroid) → f = 1;  score = 0.6 · 0.5696666 + 0.4 · 0.5106873 = 0.5460749
O_ZB, F_ZB = 2 / (2 + IDF_BUREAUX), 2 / (2 + IDF_INSERTION)
SCORE_ZB = 0.5460749
# zurgin ~ forges: atelier ↔ locaux one step (0.5 · 1 each way), eco-c ↔ eco-r likewise
#   O = (0.5 + 0.5) / (1 + 1) = 0.5;  F = 0.5;  d = 10 km → f = 1 / 1.2;  score = 0.5 / 1.2 = 0.4166667
SCORE_ZF = 0.4166667
# bois ~ forges: atelier → locaux 0.5 · 1, bureaux → locaux 0.5 · 1.5108256, locaux → atelier 0.5 · 1
#   O = (0.5 + 0.7554128 + 0.5) / (2.5108256 + 1) = 0.5
#   F = (0.5 · 1 + 0.5 · 1) / (1 + 1.9162907 + 1) = 0.2553437 (insertion meets nothing)
#   score = (0.6 · 0.5 + 0.4 · 0.2553437) / 1.2 = 0.4021375 / 1.2 = 0.3351146
SCORE_BF = 0.3351146
# zurgin ~ pau: O = F = 1, but Bayonne → Pau: Δφ = -0.17232°, Δλ = 1.11586°,
#   h = 2.261340e-06 + 5.004611e-05 = 5.230745e-05, d = 2 · 6371 · asin(√h) = 2 · 6371 · 0.00723245
#     = 92.15590 km
#   → outside 30 km; without radius f = 1 / (1 + 92.15590 / 50) = 0.3517265
D_PAU = 92.15590


def test_one_actor_overlaps_are_the_weighted_dice_modulated_by_distance() -> None:
    results = activity_overlaps(NEAR, actor_key="zurgin")
    assert [(o.source, o.target) for o in results] == [("zurgin", "bois"), ("zurgin", "forges")]
    first, second = results
    assert first.score == pytest.approx(SCORE_ZB, abs=1e-7)
    assert first.components == {"offres": pytest.approx(O_ZB), "domaines": pytest.approx(F_ZB)}
    assert O_ZB == pytest.approx(0.5696666) and F_ZB == pytest.approx(0.5106873)
    assert (first.shared_offers, first.shared_fields) == ((ATELIER,), (ECO_CONSTRUCTION,))
    assert (first.distance_km, first.same_commune, first.cross_border, first.linked) == (
        0.0,
        True,
        False,
        False,
    )
    assert second.score == pytest.approx(SCORE_ZF, abs=1e-7)
    assert second.distance_km == pytest.approx(10.0, abs=1e-6)
    assert second.components == {"offres": pytest.approx(0.5), "domaines": pytest.approx(0.5)}


def test_sentences_name_what_both_do_and_where() -> None:
    first, second = activity_overlaps(NEAR, actor_key="zurgin")
    assert first.sentence(NEAR) == (
        "« Zurgin Menuiserie » et « Atelier Bois Solidaire » proposent tous deux « Atelier » et travaillent "
        "dans « Éco-construction », dans la même commune (Bayonne)."
    )
    assert first.sentence(NEAR, "en") == (
        "“Zurgin Menuiserie” and “Atelier Bois Solidaire” both offer “Workshop” and work in “Eco-building”, "
        "in the same municipality (Bayonne)."
    )
    assert second.sentence(NEAR) == (
        "« Zurgin Menuiserie » propose « Atelier » et « Forges de l'Adour » « Locaux », un concept voisin, "
        "à 10 km l'un de l'autre. « Zurgin Menuiserie » travaille dans « Éco-construction » et "
        "« Forges de l'Adour » dans « Éco-rénovation », un domaine voisin."
    )
    assert second.sentence(NEAR, "eu") == second.sentence(NEAR)  # no Basque templates: French


def test_neighbouring_concepts_are_reasons_that_add_up_to_their_component() -> None:
    [overlap] = [o for o in activity_overlaps(NEAR, actor_key="bois") if o.target == "forges"]
    assert overlap.score == pytest.approx(SCORE_BF, abs=1e-7)
    assert overlap.components == {"offres": pytest.approx(0.5), "domaines": pytest.approx(0.2553437)}
    assert (overlap.shared_offers, overlap.shared_fields) == ((), ())
    # (atelier, locaux): bois' atelier met by locaux (0.5 · 1) and forges' locaux met by atelier, the first
    # of bois' neighbours of locaux in IRI order (0.5 · 1): 1 / 3.5108256 = 0.2848333;
    # (bureaux, locaux): 0.5 · 1.5108256 / 3.5108256 = 0.2151667; together O = 0.5
    assert overlap.reasons == (
        OverlapReason("offres-voisines", (ATELIER, LOCAUX), pytest.approx(0.2848333)),  # type: ignore[arg-type]
        OverlapReason("offres-voisines", (BUREAUX, LOCAUX), pytest.approx(0.2151667)),  # type: ignore[arg-type]
        OverlapReason(
            "domaines-voisins",
            (ECO_CONSTRUCTION, ECO_RENOVATION),
            pytest.approx(0.2553437),  # type: ignore[arg-type]
        ),
    )


def test_siblings_never_overlap() -> None:
    index = index_of("""
actor:a a mai:Organisation ; skos:prefLabel "A" ; geo:lat 43.49235 ; geo:long -1.4659 ;
    mai:offers resource:atelier ; mai:field field:eco-renovation .
actor:b a mai:Organisation ; skos:prefLabel "B" ; geo:lat 43.49235 ; geo:long -1.4659 ;
    mai:offers resource:bureaux ; mai:field field:habitat-participatif .
""")
    # atelier / bureaux and eco-renovation / habitat-participatif are siblings (two steps, up then down)
    assert activity_overlaps(index, actor_key="a") == []
    assert activity_overlaps(index) == []


def test_network_wide_lists_each_pair_once_best_first() -> None:
    found = activity_overlaps(NEAR)
    assert [(o.source, o.target, o.score) for o in found] == [
        ("bois", "zurgin", pytest.approx(SCORE_ZB, abs=1e-7)),
        ("forges", "zurgin", pytest.approx(SCORE_ZF, abs=1e-7)),
        ("bois", "forges", pytest.approx(SCORE_BF, abs=1e-7)),
    ]


def test_chunks_give_the_same_answer_as_one_product(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {
        radius: activity_overlaps(NEAR, radius_km=radius, limit=None) for radius in (None, 30.0, 100.0)
    }
    index = index_of(NEAR_TURTLE)
    monkeypatch.setattr(overlap_scan, "_BLOCK_CELLS", 1)  # one row per product
    for radius, found in expected.items():
        assert activity_overlaps(index, radius_km=radius, limit=None) == found
    assert len(expected[None]) == len(expected[100.0]) == 6  # every pair of the 4 actors overlaps


def test_radius_filters_pairs_and_none_keeps_them_modulated() -> None:
    assert activity_overlaps(NEAR, actor_key="pau") == []  # 92 km from the others
    assert [o.target for o in activity_overlaps(NEAR, actor_key="pau", radius_km=100)] == [
        "zurgin",  # O = F = 1: 0.3517265
        "bois",  # 0.5460749 · 0.3517265 = 0.1920690
        "forges",  # 0.5 · f(94.67755) = 0.5 · 0.3455961 = 0.1727981
    ]
    [pau] = [o for o in activity_overlaps(NEAR, radius_km=None) if o.target == "zurgin" and o.source == "pau"]
    assert pau.distance_km == pytest.approx(D_PAU, abs=1e-4)
    assert pau.score == pytest.approx(1 / (1 + D_PAU / 50)) == pytest.approx(0.3517265)
    assert pau.sentence(NEAR).endswith("à 92 km l'un de l'autre.")
    assert [o.target for o in activity_overlaps(NEAR, actor_key="zurgin", radius_km=5)] == ["bois"]


def test_missing_coordinates_leave_a_pair_out_of_a_radius_and_are_said() -> None:
    index = index_of("""
actor:a a mai:Organisation ; skos:prefLabel "A" ; mai:offers resource:atelier .
actor:b a mai:Organisation ; skos:prefLabel "B" ; geo:lat 43.49235 ; geo:long -1.4659 ;
    mai:offers resource:atelier .
""")
    assert activity_overlaps(index, actor_key="a") == []
    [overlap] = activity_overlaps(index, actor_key="a", radius_km=None)
    # n = 2, idf(atelier) = ln(3/3) + 1 = 1; O = 1, no fields: F = 0; f = 1 → 0.6
    assert overlap.score == pytest.approx(0.6)
    assert overlap.components == {"offres": pytest.approx(1.0)}
    assert overlap.distance_km is None
    assert overlap.sentence(index) == (
        "« A » et « B » proposent tous deux « Atelier » (distance inconnue : coordonnées manquantes)."
    )


def test_weights_are_a_parameter() -> None:
    [first, _second] = activity_overlaps(NEAR, actor_key="zurgin", weights={"offres": 1.0, "domaines": 0.0})
    assert first.score == pytest.approx(O_ZB)
    with pytest.raises(ValueError, match="Composante inconnue : « prix »"):
        activity_overlaps(NEAR, weights={"prix": 1.0})
    with pytest.raises(ValueError, match="Poids invalide pour « offres » : -1"):
        activity_overlaps(NEAR, weights={"offres": -1.0})


def test_pairs_already_cooperating_are_kept_and_said() -> None:
    index = index_of(
        NEAR_TURTLE + "actor:zurgin mai:partnerOf actor:bois . actor:bois mai:partnerOf actor:zurgin ."
    )
    first = activity_overlaps(index, actor_key="zurgin")[0]
    assert (first.target, first.linked) == ("bois", True)
    assert first.sentence(index).endswith(
        "dans la même commune (Bayonne). Ils coopèrent déjà (projet commun ou partenariat)."
    )


def test_cross_border_pairs_are_marked() -> None:
    # Hendaye (64260) 43.36552, -1.76536 → Irun (ES, 20045) 43.33904, -1.78938:
    #   Δφ = -0.02648°, Δλ = -0.02402°; h = 5.339870e-08 + 2.323190e-08 = 7.663060e-08 → d = 3.527270 km
    index = index_of("""
actor:hendaye a mai:Organisation ; skos:prefLabel "Ville d'Hendaye" ; mai:basedIn id:commune\\/64260 ;
    geo:lat 43.36552 ; geo:long -1.76536 ; mai:offers resource:atelier .
actor:irun a mai:Organisation ; skos:prefLabel "Irun Lantegia" ; mai:basedIn id:municipio\\/20045 ;
    geo:lat 43.33904 ; geo:long -1.78938 ; mai:offers resource:atelier .
""")
    [overlap] = activity_overlaps(index, actor_key="hendaye")
    assert overlap.cross_border and overlap.distance_km == pytest.approx(3.527270)
    assert overlap.score == pytest.approx(0.6 / (1 + 3.527270 / 50))  # 0.5604618
    assert overlap.sentence(index) == (
        "« Ville d'Hendaye » et « Irun Lantegia » proposent tous deux « Atelier », à 4 km l'un de l'autre "
        "(de part et d'autre de la frontière)."
    )


PRIVATE = index_of(
    NEAR_TURTLE
    + """
actor:maite a mai:Person ; skos:prefLabel "Maite Etcheverry" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:offers resource:atelier ; mai:field field:eco-construction .
"""
)


def test_persons_without_consent_never_appear_for_the_public() -> None:
    assert "maite" not in {o.target for o in activity_overlaps(PRIVATE, actor_key="zurgin")}
    assert all(
        "maite" not in (o.source, o.target) for o in activity_overlaps(PRIVATE, radius_km=None, limit=None)
    )
    with pytest.raises(UnknownActorError, match="Acteur inconnu : « maite »"):
        activity_overlaps(PRIVATE, actor_key="maite")
    # animators see her: n = 5, she declares exactly what zurgin declares → O = F = 1, d = 0 → 1
    first = activity_overlaps(PRIVATE, actor_key="zurgin", include_private=True)[0]
    assert (first.target, first.score) == ("maite", pytest.approx(1.0))
    assert activity_overlaps(PRIVATE, actor_key="maite", include_private=True)[0].target == "zurgin"


def test_paging_keeps_the_total_count() -> None:
    page = overlap_page(NEAR, limit=1, offset=1)
    assert [(o.source, o.target) for o in page.items] == [("forges", "zurgin")]
    assert page.count == 3
    assert overlap_page(NEAR, actor_key="zurgin", limit=1).count == 2
    assert overlap_page(NEAR, limit=None).items == activity_overlaps(NEAR, limit=None)
    assert overlap_page(NEAR, limit=0).items == []


def test_unknown_actor_and_bad_options_are_refused_with_the_value() -> None:
    with pytest.raises(UnknownActorError, match="Acteur inconnu : « personne »"):
        activity_overlaps(NEAR, actor_key="personne")
    with pytest.raises(ValueError, match="Rayon invalide : -1 km"):
        activity_overlaps(NEAR, radius_km=-1)
    with pytest.raises(ValueError, match="Limite invalide : -2"):
        activity_overlaps(NEAR, limit=-2)
    with pytest.raises(ValueError, match="Décalage invalide : -1"):
        overlap_page(NEAR, offset=-1)


# --- duplicate records --------------------------------------------------------------------------------

# Bayonne centroid 43.49235, -1.46590; "anglet-pres" is based in Anglet but 1.0003 km west of Bayonne's
# centroid (Δλ = -0.0124°: 111.195 · 0.0124 · cos 43.49235° = 1.0003 km); Anglet's centroid
# (43.49127, -1.5156) is 4.0 km from Bayonne's.
DUPES_TURTLE = """
actor:atelier-bois a mai:Organisation ; skos:prefLabel "Atelier Bois Solidaire" ;
    mai:basedIn id:commune\\/64102 ; geo:lat 43.49235 ; geo:long -1.4659 .
actor:atelier-bois-scop a mai:Organisation ; skos:prefLabel "ATELIER BOIS SOLIDAIRE (SCOP)" ;
    mai:basedIn id:commune\\/64102 ; geo:lat 43.49235 ; geo:long -1.4659 .
actor:atelier-bois-pau a mai:Organisation ; skos:prefLabel "Atelier Bois Solidaire" ;
    mai:basedIn id:commune\\/64445 ; geo:lat 43.32003 ; geo:long -0.35004 .
actor:atelier-metal a mai:Organisation ; skos:prefLabel "Atelier Métal" ;
    mai:basedIn id:commune\\/64102 ; geo:lat 43.49235 ; geo:long -1.4659 .
actor:ressourcerie a mai:Organisation ; skos:prefLabel "Ressourcerie Lur Berri" ;
    mai:basedIn id:commune\\/40312 ; geo:lat 43.53697 ; geo:long -1.46578 ; mai:siret "61106658000014" .
actor:boutique-lur-berri a mai:Organisation ; skos:prefLabel "Boutique Lur Berri" ;
    mai:basedIn id:commune\\/40209 ; geo:lat 43.56593 ; geo:long -1.45416 ; mai:siret "611 066 580 00022" .
actor:ekin a mai:Organisation ; skos:prefLabel "Ekin Adour Initiative" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 ; mai:rna "W643134575" .
actor:ekin-pret a mai:Organisation ; skos:prefLabel "Prêts d'honneur du Pays Basque" ;
    mai:basedIn id:commune\\/64024 ; geo:lat 43.49127 ; geo:long -1.5156 ; mai:rna "w643134575" .
actor:itzulpen a mai:Organisation ; skos:prefLabel "Itzulpen Mugaz Gaindi S.L." ;
    mai:basedIn id:municipio\\/20036 ; mai:nif "B20989075" .
actor:itzulpen-bis a mai:Organisation ; skos:prefLabel "Traducciones Bidasoa" ;
    mai:basedIn id:municipio\\/20045 ; mai:nif "B-20989075" .
actor:garazi a mai:Organisation ; skos:prefLabel "Garazi Bidaiak" ; mai:basedIn id:commune\\/64102 ;
    geo:lat 43.49235 ; geo:long -1.4659 .
actor:anglet-pres a mai:Organisation ; skos:prefLabel "Association Garazi Bidaiak Solidaires" ;
    mai:basedIn id:commune\\/64024 ; geo:lat 43.49235 ; geo:long -1.4783 .
actor:garazi-anglet a mai:Organisation ; skos:prefLabel "Garazi Bidaiak" ; mai:basedIn id:commune\\/64024 ;
    geo:lat 43.49127 ; geo:long -1.5156 .
actor:maite a mai:Person ; skos:prefLabel "Maite Etcheverry" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.53697 ; geo:long -1.46578 .
actor:maite-bis a mai:Person ; skos:prefLabel "Maite ETCHEVERRY" ; mai:basedIn id:commune\\/40312 ;
    geo:lat 43.53697 ; geo:long -1.46578 ; mai:publicConsent true .
"""


@pytest.fixture(scope="module")
def dupes_store() -> Iterator[Store]:
    store = store_of(DUPES_TURTLE)
    yield store
    store.close()


def test_names_are_folded_before_comparison() -> None:
    assert normalise_name("ATELIER BOIS SOLIDAIRE (SCOP)") == normalise_name("Atelier Bois Solidaire")
    assert normalise_name("Éco-Rénov' Landes SARL") == "eco renov landes"
    assert normalise_name("Sagardoa Koop.") == normalise_name("SAGARDOA S.Coop.") == "sagardoa"
    assert normalise_name("Association") == ""


def test_identifiers_are_read_from_the_store(dupes_store: Store) -> None:
    found = read_identifiers(dupes_store, build_index(dupes_store))
    assert found["ressourcerie"] == [("siret", "61106658000014")]
    assert found["ekin-pret"] == [("rna", "w643134575")]
    assert "atelier-bois" not in found


def test_duplicates_by_identifier_are_certain_and_by_name_probable(dupes_store: Store) -> None:
    index = build_index(dupes_store)
    found = duplicate_records(index, dupes_store)
    assert [(c.certainty, c.source, c.target, tuple(e.kind for e in c.evidence)) for c in found] == [
        # certain first, then by name similarity: token_set_ratio of the folded names
        ("certain", "boutique-lur-berri", "ressourcerie", ("siren",)),  # names 70 / 100 alike
        ("certain", "ekin", "ekin-pret", ("rna",)),  # 30.4
        ("certain", "itzulpen", "itzulpen-bis", ("nif",)),  # 29.3
        # probable, all at 100 (one folded name is the other, or holds all its words):
        ("probable", "anglet-pres", "garazi", ("nom",)),  # two communes, but 1.0 km apart
        ("probable", "anglet-pres", "garazi-anglet", ("nom",)),  # both in Anglet (3.0 km apart)
        ("probable", "atelier-bois", "atelier-bois-scop", ("nom",)),  # both in Bayonne
    ]
    # not: « Atelier Bois Solidaire » in Pau (92 km), « Atelier Métal » (similarity 74), « Garazi Bidaiak »
    # of Bayonne and of Anglet (4.0 km apart, two communes), the two persons (no consent for one of them)
    siren = found[0]
    assert siren.evidence == (DuplicateEvidence("siren", "611066580", ("61106658000022", "61106658000014")),)
    assert siren.sentence(index) == (
        "Doublon certain : « Boutique Lur Berri » (SIRET 61106658000022) et « Ressourcerie Lur Berri » "
        "(SIRET 61106658000014) ont le même SIREN : 611066580."
    )
    assert found[2].sentence(index) == (
        "Doublon certain : « Itzulpen Mugaz Gaindi S.L. » et « Traducciones Bidasoa » ont le même NIF : "
        "B20989075."
    )
    assert found[1].sentence(index, "en") == (
        "Certain duplicate: “Ekin Adour Initiative” and “Prêts d'honneur du Pays Basque” have the same "
        "RNA number: W643134575."
    )
    scop = found[5]
    assert (scop.name_similarity, scop.same_commune, scop.distance_km) == (100.0, True, 0.0)
    assert scop.sentence(index) == (
        "Doublon probable : « Atelier Bois Solidaire » et « ATELIER BOIS SOLIDAIRE (SCOP) » ont des noms "
        "presque identiques (similarité 100 / 100 après normalisation : « atelier bois solidaire » et "
        "« atelier bois solidaire »), dans la même commune (Bayonne)."
    )
    near = found[3]
    assert (near.same_commune, near.distance_km) == (False, pytest.approx(1.0002853))
    assert near.sentence(index).endswith(
        "(similarité 100 / 100 après normalisation : « garazi bidaiak solidaires » et « garazi bidaiak »), "
        "à 1 km l'un de l'autre."
    )


def test_the_same_siret_twice_is_said_as_such() -> None:
    index = NEAR
    found = duplicate_records(
        index, identifiers={"zurgin": [("siret", "77271581900029")], "pau": [("siret", "77271581900029")]}
    )
    [candidate] = found
    assert candidate.evidence == (DuplicateEvidence("siret", "77271581900029", ("77271581900029",) * 2),)
    assert candidate.sentence(index) == (
        "Doublon certain : « Atelier Bois Pau » et « Zurgin Menuiserie » ont le même SIRET : 77271581900029."
    )
    # malformed identifiers are the validator's business: they match nothing here
    assert (
        duplicate_records(index, identifiers={"zurgin": [("siret", "1234")], "pau": [("siret", "1234")]})
        == []
    )


def test_private_persons_are_duplicates_for_animators_only(dupes_store: Store) -> None:
    index = build_index(dupes_store)
    assert "maite" not in {c.source for c in duplicate_records(index, dupes_store, limit=None)}
    found = duplicate_records(index, dupes_store, include_private=True, limit=None)
    assert ("maite", "maite-bis", "probable") in {(c.source, c.target, c.certainty) for c in found}


def test_duplicates_need_the_store_or_the_identifiers() -> None:
    with pytest.raises(ValueError, match="donnez le store"):
        duplicate_records(NEAR)
    with pytest.raises(ValueError, match="Limite invalide : -1"):
        duplicate_records(NEAR, identifiers={}, limit=-1)


# --- the sample network -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_index(sample_store: Store) -> NetworkIndex:
    return build_index(sample_store)


def test_sample_two_actors_of_pau_offer_the_same_thing(sample_index: NetworkIndex) -> None:
    # acteurs.csv: labo-energie-territoires-pau (recherche-developpement; transition-energetique) and
    # scop-bioklima (transition-energetique; eco-renovation), both in Pau (64445); offres.csv: each offers
    # exactly one resource, renovation-energetique → O = 1.
    # F, n = 79: df(transition-energetique) = 6 actors → idf = ln(80/7) + 1 = 3.4362;
    #   df(recherche-developpement) = 4 (its broader, fonctions-transverses, adds no other actor) → 3.7726;
    #   df(eco-renovation) = 4 with it + 5 more with its broader eco-construction = 9
    #     → ln(80/10) + 1 = 3.0794;
    #   F = 2 · 3.4362 / (3.7726 + 3.4362 + 3.4362 + 3.0794) = 6.8725 / 13.7245 = 0.50074
    # score = f(0) · (0.6 · 1 + 0.4 · 0.50074) = 0.80029; they share a project (participations.csv)
    top = activity_overlaps(sample_index, limit=1)[0]
    assert (top.source, top.target) == ("labo-energie-territoires-pau", "scop-bioklima")
    assert top.components["offres"] == pytest.approx(1.0)
    assert top.components["domaines"] == pytest.approx(0.50074, abs=1e-5)
    assert top.score == pytest.approx(0.80029, abs=1e-5)
    assert top.sentence(sample_index) == (
        "« Laboratoire Énergie et Territoires » et « Bioklima Bureau d'études » proposent tous deux "
        "« Rénovation énergétique » et travaillent dans « Transition énergétique », dans la même commune "
        "(Pau). Ils coopèrent déjà (projet commun ou partenariat)."
    )


def test_sample_carpenters_near_ustaritz(sample_index: NetworkIndex) -> None:
    # offres.csv: scop-menuiserie-zurgin (Saint-Pierre-d'Irube, 64496) and ent-charpente-larraburu (Ustaritz,
    # 64547) both offer menuiserie-charpente; acteurs.csv: both work in eco-construction; 7 km apart;
    # partenariats.csv: an informal partnership (« Coup de main entre ateliers »).
    found = activity_overlaps(sample_index, actor_key="ent-charpente-larraburu")
    zurgin = next(o for o in found if o.target == "scop-menuiserie-zurgin")
    assert zurgin.shared_offers == (URIRef(CONCEPT + "resource/menuiserie-charpente"),)
    assert zurgin.shared_fields == (ECO_CONSTRUCTION,)
    assert zurgin.sentence(sample_index) == (
        "« Charpente Larraburu & Fils » et « Zurgin Menuiserie » proposent tous deux "
        "« Menuiserie et charpente » et travaillent dans « Éco-construction », à 7 km l'un de l'autre. "
        "« Charpente Larraburu & Fils » travaille dans « Éco-construction » et « Zurgin Menuiserie » "
        "dans « Éco-rénovation », un domaine voisin. "
        "Ils coopèrent déjà (projet commun ou partenariat)."
    )


def reference_overlaps(index: NetworkIndex, radius_km: float) -> dict[tuple[str, str], float]:
    """The formula written naively, pair by pair, from the actor records (public actors only)."""
    n = len(index.actors)

    def one_step(c: URIRef, d: URIRef) -> bool:
        return d in index.concepts.get(c, _NONE).broader or c in index.concepts.get(d, _NONE).broader

    def match(concept: URIRef, declared: tuple[URIRef, ...]) -> float:
        if concept in declared:
            return 1.0
        return 0.5 if any(one_step(concept, d) for d in declared) else 0.0

    def idf_of(attribute: str) -> dict[URIRef, float]:
        concepts = {c for a in index.actors for c in getattr(a, attribute)}
        return {
            c: math.log((1 + n) / (1 + sum(match(c, getattr(a, attribute)) > 0 for a in index.actors))) + 1
            for c in concepts
        }

    idf = {"offers": idf_of("offers"), "fields": idf_of("fields")}

    def dice(a: tuple[URIRef, ...], b: tuple[URIRef, ...], weights: dict[URIRef, float]) -> float:
        total = sum(weights[c] for c in a) + sum(weights[c] for c in b)
        met = sum(weights[c] * match(c, b) for c in a) + sum(weights[c] * match(c, a) for c in b)
        return met / total if total else 0.0

    result = {}
    for a, b in combinations([x for x in index.actors if x.is_public], 2):
        if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
            continue
        d = haversine_km(a.lat, a.lon, b.lat, b.lon)
        score = 0.6 * dice(a.offers, b.offers, idf["offers"]) + 0.4 * dice(a.fields, b.fields, idf["fields"])
        if d <= radius_km and score > 0:
            result[(a.key, b.key)] = score / (1 + d / 50)
    return result


class _NoConcept:
    broader: tuple[URIRef, ...] = ()


_NONE = _NoConcept()


@pytest.mark.parametrize("radius", [30.0, 8.0, 150.0])
def test_sample_scores_equal_the_naive_formulation(sample_index: NetworkIndex, radius: float) -> None:
    expected = reference_overlaps(sample_index, radius)
    found = activity_overlaps(sample_index, radius_km=radius, limit=None)
    assert {(o.source, o.target): o.score for o in found} == pytest.approx(expected)
    assert overlap_page(sample_index, radius_km=radius, limit=1).count == len(expected)
    # per actor, the same pairs and scores as network-wide
    key = "chantier-bois-adour"
    mine = {
        o.target: o.score
        for o in activity_overlaps(sample_index, actor_key=key, radius_km=radius, limit=None)
    }
    theirs = {
        (o.target if o.source == key else o.source): o.score for o in found if key in (o.source, o.target)
    }
    assert mine == pytest.approx(theirs)


def test_sample_never_shows_persons_without_consent(sample_index: NetworkIndex) -> None:
    hidden = {"hab-jean-baptiste-dufau", "hab-lucas-lafitte"}  # acteurs.csv: consentement_public = non
    found = activity_overlaps(sample_index, radius_km=None, limit=None)
    assert not hidden & {k for o in found for k in (o.source, o.target)}
    assert hidden & {
        k
        for o in activity_overlaps(sample_index, include_private=True, limit=None)
        for k in (o.source, o.target)
    }


def test_sample_has_no_duplicate_records(sample_index: NetworkIndex, sample_store: Store) -> None:
    # acteurs.csv: every SIRET, RNA and NIF differs, and no two names are alike in one place
    assert duplicate_records(sample_index, sample_store) == []


# --- the API ------------------------------------------------------------------------------------------


def app_with_router(store: Store) -> FastAPI:
    app = create_app(store)
    if not any(getattr(route, "path", "") == "/api/overlaps" for route in app.routes):
        app.include_router(router)  # until create_app includes it
    return app


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(app_with_router(sample_store))


def test_api_lists_an_actors_overlaps_with_their_reasons(client: TestClient) -> None:
    body = client.get("/api/overlaps", params={"actor": "scop-bioklima"}).json()
    first = body["data"][0]
    assert (first["source"], first["target"]) == ("scop-bioklima", "labo-energie-territoires-pau")
    assert first["target_name"] == "Laboratoire Énergie et Territoires"
    assert first["components"]["offres"] == 1.0
    assert first["shared_offers"] == [
        {
            "key": "renovation-energetique",
            "iri": CONCEPT + "resource/renovation-energetique",
            "label": "Rénovation énergétique",
        }
    ]
    assert (first["distance_km"], first["same_commune"], first["cross_border"], first["linked"]) == (
        0.0,
        True,
        False,
        True,
    )
    assert first["sentence"].startswith(
        "« Bioklima Bureau d'études » et « Laboratoire Énergie et Territoires » proposent tous deux "
        "« Rénovation énergétique »"
    )
    assert first["reasons"][0]["kind"] == "offres-communes"
    assert body["count"] == len(body["data"])
    english = client.get("/api/overlaps", params={"actor": "scop-bioklima", "lang": "en"}).json()
    assert english["data"][0]["sentence"] == (
        "“Bioklima Bureau d'études” and “Laboratoire Énergie et Territoires” both offer "
        "“Energy retrofit” and work in “Energy transition”, in the same municipality (Pau). "
        "They already cooperate (shared project or partnership)."
    )
    assert english["data"][0]["shared_fields"][0]["label"] == "Energy transition"


def test_api_network_overlaps_are_ranked_paged_and_public(client: TestClient) -> None:
    whole = client.get("/api/overlaps", params={"limit": 500}).json()
    scores = [o["score"] for o in whole["data"]]
    assert scores == sorted(scores, reverse=True) and whole["count"] == len(whole["data"])
    assert all(o["distance_km"] is not None and o["distance_km"] <= 30 for o in whole["data"])
    keys = {k for o in whole["data"] for k in (o["source"], o["target"])}
    assert not keys & {"hab-jean-baptiste-dufau", "hab-lucas-lafitte"}
    page = client.get("/api/overlaps", params={"limit": 2, "offset": 3}).json()
    assert page["count"] == whole["count"] and page["data"] == whole["data"][3:5]
    narrow = client.get("/api/overlaps", params={"radius_km": 1}).json()
    assert all(o["distance_km"] < 1 for o in narrow["data"]) and narrow["count"] < whole["count"]


def test_api_unknown_or_private_actor_is_not_found(client: TestClient) -> None:
    for key in ("inconnu-xyz", "hab-lucas-lafitte"):
        response = client.get("/api/overlaps", params={"actor": key})
        assert response.status_code == 404
        assert response.json() == {
            "error": {
                "status": 404,
                "code": "introuvable",
                "message": f"Acteur inconnu : « {key} »",
                "details": [],
            }
        }
    bad = client.get("/api/overlaps", params={"radius_km": -1})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["parametre"] == "radius_km"


def test_api_duplicates(client: TestClient, dupes_store: Store) -> None:
    assert client.get("/api/overlaps/duplicates").json() == {"data": [], "count": 0}
    body = (
        TestClient(app_with_router(dupes_store)).get("/api/overlaps/duplicates", params={"limit": 1}).json()
    )
    assert body["count"] == 6
    [first] = body["data"]
    assert (first["source"], first["target"], first["certainty"]) == (
        "boutique-lur-berri",
        "ressourcerie",
        "certain",
    )
    assert first["evidence"] == [
        {
            "kind": "siren",
            "value": "611066580",
            "values": ["61106658000022", "61106658000014"],
            "similarity": None,
        }
    ]
    assert first["sentence"].startswith("Doublon certain : « Boutique Lur Berri » (SIRET 61106658000022)")
