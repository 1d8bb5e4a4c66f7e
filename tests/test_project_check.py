"""The project check (DESIGN §5.3): tiny networks whose scores are worked out by hand, the sample network's
acceptance cases, proposal files, and POST /api/projects/check.

Formulas (docs/decisions/20261128-project-check.md), D = actors + projects, n = actors:
    domaines    cosine of x[c] = w[c] · idf(c), w = 1 declared field, 0.5 its direct broader concept,
                idf(c) = ln((1 + D) / (1 + df(c))) + 1
    services    Σ_s idf(s) · m(s) / Σ_s idf(s); m = 1 (offered / cited), 0.5 (one skos:broader step),
                idf(s) = ln((1 + n) / (1 + df(s))) + 1, df(s) = actors whose offers match s
    texte       TF-IDF cosine, tf = 1 + ln(count), idf(t) = ln((1 + D) / (1 + df(t))), a query word no
                document has weighs ln(1 + D) in the query's norm
    territoire  1 in the same commune / EPCI, else 1 / (1 + d / 50)
    pertinence  0.25 · domaines + 0.35 · services + 0.40 · texte  (0.25 · domaines + 0.75 · texte without
                services)
    score       pertinence · (0.7 + 0.3 · territoire), factor 1 when the territory is unknown
    verdict     doublon ≥ 0.60 > complémentaire (meets a need nobody offers) > chevauchement ≥ 0.30 > nouveau

The tiny network (maillage.graph.project_check.example): actors cantine (Ondres; alimentation-locale;
needs minibus, cuisine-professionnelle), kultur (Bayonne; tourisme-solidaire; needs minibus), roule
(Tarnos; mobilite; offers velo-cargo); project navettes (en cours; mobilite; CC du Seignanx; « Navettes du
Seignanx / Navettes en minibus vers les zones d'activité. »). D = 4, n = 3.
    field idf: mobilite (df 2) ln(5/3) + 1 = 1.5108; alimentation-locale, circuits-courts, tourisme-solidaire
    (df 1) ln(5/2) + 1 = 1.9163
    service idf: minibus, cuisine-professionnelle (df 0) ln 4 + 1 = 2.3863; velo-cargo, vehicules (df 1:
    roule offers velo-cargo, one step below vehicules) ln 2 + 1 = 1.6931
    needs nobody offers: minibus (cantine, kultur — velo-cargo is a sibling: no match),
    cuisine-professionnelle (cantine)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from maillage.api.app import create_app
from maillage.graph.geo import haversine_km
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.project_check import (
    DUPLICATE_THRESHOLD,
    OVERLAP_THRESHOLD,
    ProjectCheck,
    Proposal,
    ProposalError,
    Territories,
    check_project,
    load_proposal,
    proposal_from_mapping,
    store_territories,
    territories_from_index,
    territories_from_store,
)
from maillage.graph.project_check.example import EXAMPLE_TURTLE, example_store
from maillage.graph.project_check.territories import parse_code
from maillage.graph.stores.base import Store
from maillage.graph.textsim import build_text_model, fold, tokenize

PROJECTS = Path(__file__).resolve().parent / "data" / "projects"
RESOURCE = "https://w3id.org/maillage/concept/resource/"
FIELD = "https://w3id.org/maillage/concept/field/"


@pytest.fixture(scope="module")
def example() -> tuple[NetworkIndex, Territories]:
    store = example_store()
    return build_index(store), territories_from_store(store)


def check(example: tuple[NetworkIndex, Territories], proposal: Proposal, **options: object) -> ProjectCheck:
    index, territories = example
    return check_project(index, proposal, territories=territories, **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Tiny network: one case per verdict, scores by hand


def test_copy_of_a_project_is_a_duplicate(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(
        example,
        Proposal("Navettes en minibus", fields=("mobilite",), services=("minibus",), territory=("40312",)),
    )
    navettes, roule = result.matches
    # navettes: same single field → domaines 1; its text cites « Minibus » → services 1.
    # texte: query {navett, minibus}; document {navett ×2, seignanx, minibus, zone, activit}, every word
    # in one document only (same idf, which cancels): tf(navett) = 1 + ln 2 = 1.6931,
    # cos = (1.6931 + 1) / (√2 · √(1.6931² + 4)) = 2.6931 / 3.7059 = 0.7267
    # Tarnos is in the CC du Seignanx, the project's territory → territoire 1
    # score = 0.25 + 0.35 + 0.40 · 0.7267 = 0.8907
    assert navettes.key == "navettes" and navettes.kind == "project"
    assert navettes.components["domaines"] == pytest.approx(1.0)
    assert navettes.components["services"] == pytest.approx(1.0)
    assert navettes.components["texte"] == pytest.approx(
        2.693147 / (math.sqrt(2) * math.sqrt(6.866747)), abs=1e-6
    )
    assert navettes.components["territoire"] == pytest.approx(1.0)
    assert navettes.score == pytest.approx(0.890690, abs=1e-6)
    # roule: same field, offers velo-cargo (a sibling of minibus: 0), no shared word, same EPCI
    # score = 0.25 · 1 = 0.25
    assert roule.key == "roule" and roule.score == pytest.approx(0.25)
    assert result.verdict.code == "doublon" and result.verdict.matches == (navettes,)
    index = example[0]
    assert result.verdict.sentence(index) == (
        "Doublon : « Navettes en minibus » reprend ce que fait déjà le projet « Navettes du Seignanx » "
        "(en cours, score 0,89). Mieux vaut rejoindre l'existant que créer un projet concurrent. "
        "Il répondrait aussi à des besoins que personne ne propose (« Minibus ») : mieux vaut les porter "
        "avec l'existant."
    )
    assert navettes.sentence(index) == (
        "Le projet « Navettes du Seignanx » (en cours) : domaine commun « Mobilité » ; cite « Minibus » dans "
        "sa description ; mots communs : Navettes, minibus ; même territoire (CC du Seignanx)."
    )
    assert navettes.sentence(index, "en") == (
        "The project “Navettes du Seignanx” (ongoing): shared field “Mobility”; mentions “Minibus” in its "
        "description; shared words: Navettes, minibus; same territory (CC du Seignanx)."
    )
    assert result.verdict.label() == "doublon" and result.verdict.label("en") == "duplicates"


def test_service_nobody_offers_is_a_complement(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(
        example,
        Proposal("Cuisine partagée", fields=("alimentation-locale",), services=("cuisine-professionnelle",)),
    )
    # cantine: same field vector → domaines 1; offers nothing → services 0; « cuisine », « partagée » are in
    # no document → texte 0; no territory → factor 1. score = 0.25 < 0.30: not even an overlap.
    assert [(m.key, m.score) for m in result.matches] == [("cantine", pytest.approx(0.25))]
    assert result.matches[0].components["territoire"] is None
    assert [(str(n.need), n.actors, n.weight) for n in result.needs_met] == [
        (RESOURCE + "cuisine-professionnelle", ("cantine",), 1.0)
    ]
    assert result.verdict.code == "complementaire"
    assert result.verdict.sentence(example[0]) == (
        "Complémentaire : « Cuisine partagée » répond au besoin « Cuisine professionnelle » exprimé par "
        "« Cantine d'Ondres », que personne ne propose dans le réseau."
    )


def test_complement_that_partly_overlaps_says_both(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(
        example, Proposal("Flotte partagée", fields=("mobilite",), services=("minibus", "velo-cargo"))
    )
    navettes, roule = result.matches[:2]
    # services weights: idf(minibus) = 2.3863, idf(velo-cargo) = 1.6931, total 4.0794
    # roule offers velo-cargo: services = 1.6931 / 4.0794 = 0.4150; score = 0.25 + 0.35 · 0.4150 = 0.3953
    # navettes cites « minibus » only: services = 2.3863 / 4.0794 = 0.5850;
    # score = 0.25 + 0.35 · 0.5850 = 0.4547
    # (« Flotte », « partagée » are in no document: texte 0; no territory: factor 1)
    assert roule.components["services"] == pytest.approx(1.693147 / 4.079442, abs=1e-6)
    assert roule.score == pytest.approx(0.25 + 0.35 * 1.693147 / 4.079442, abs=1e-6)
    assert navettes.score == pytest.approx(0.25 + 0.35 * 2.386294 / 4.079442, abs=1e-6)
    assert [n.actors for n in result.needs_met] == [("cantine", "kultur")]
    assert result.verdict.code == "complementaire"
    assert result.verdict.sentence(example[0]).endswith(
        "Il recoupe en partie le projet « Navettes du Seignanx » (en cours, score 0,45) et le membre "
        "« Roule Solidaire » (score 0,40)."
    )


def test_partial_overlap_is_discounted_by_distance(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(example, Proposal("Ateliers vélo", fields=("mobilite",), territory=("64102",)))
    roule, navettes = result.matches
    # no service: pertinence = 0.25 · domaines + 0.75 · texte
    # texte with roule {roule, solidair ×2, pret, velo, cargo, location}: the query {ateli, velo} shares
    # « velo »;
    # « ateli » is in no document, idf ln 5 = 1.6094, « velo » ln(5/2) = 0.9163;
    # cos = 0.9163 / √(0.9163² + 1.6094²) · 1 / √(5 + 1.6931²) = 0.4948 · 0.3565 = 0.1764
    text = 0.916291 / math.sqrt(0.916291**2 + 1.609438**2) / math.sqrt(5 + 1.693147**2)
    assert roule.components["texte"] == pytest.approx(text, abs=1e-6)
    # Bayonne (CA du Pays Basque) → Tarnos (CC du Seignanx): 4.96 km,
    # territoire = 1 / (1 + 4.96 / 50) = 0.9097
    distance = haversine_km(43.49235, -1.4659, 43.53697, -1.46578)
    assert distance == pytest.approx(4.9615, abs=1e-4)
    assert roule.evidence.distance_km == pytest.approx(distance)
    proximity = 1 / (1 + distance / 50)
    assert roule.components["territoire"] == pytest.approx(proximity)
    # score = (0.25 + 0.75 · 0.1764) · (0.7 + 0.3 · 0.9097) = 0.3823 · 0.9729 = 0.3719
    assert roule.score == pytest.approx((0.25 + 0.75 * text) * (0.7 + 0.3 * proximity), abs=1e-6)
    assert roule.score == pytest.approx(0.371946, abs=1e-6)
    # navettes: the CC du Seignanx is placed at the mean of its communes (Tarnos, Ondres),
    # 43.55145, −1.45997,
    # 6.59 km from Bayonne; score = 0.25 · (0.7 + 0.3 / (1 + 6.59 / 50)) = 0.2413
    assert navettes.evidence.distance_km == pytest.approx(haversine_km(43.49235, -1.4659, 43.55145, -1.45997))
    assert navettes.score == pytest.approx(0.241267, abs=1e-6)
    assert OVERLAP_THRESHOLD <= roule.score < DUPLICATE_THRESHOLD
    assert result.verdict.code == "chevauchement-partiel" and result.verdict.matches == (roule,)
    assert roule.sentence(example[0]) == (
        "Le membre « Roule Solidaire » : domaine commun « Mobilité » ; mots communs : vélo ; à 5 km."
    )


def test_nothing_close_is_new_and_names_the_closest(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(example, Proposal("Marché", "Marché de producteurs", fields=("circuits-courts",)))
    (cantine,) = result.matches
    # proposal x = (circuits 1.9163); cantine x = (alimentation 1.9163, circuits 0.5 · 1.9163):
    # cos = 0.5 / √1.25 = 0.4472 (through the hierarchy only); texte 0; score = 0.25 · 0.4472 = 0.1118
    assert cantine.components["domaines"] == pytest.approx(0.5 / math.sqrt(1.25))
    assert cantine.score == pytest.approx(0.25 * 0.5 / math.sqrt(1.25))
    assert cantine.evidence.shared_fields == ()
    assert cantine.evidence.related_fields == (URIRef(FIELD + "circuits-courts"),)
    assert result.verdict.code == "nouveau" and result.needs_met == ()
    index = example[0]
    assert result.verdict.sentence(index) == (
        "Nouveau : aucun projet ni membre du réseau ne fait déjà ce que propose « Marché ». "
        "La ressemblance la plus forte est avec « Cantine d'Ondres » (score 0,11)."
    )
    assert cantine.sentence(index) == (
        "Le membre « Cantine d'Ondres » : domaines voisins, rattachés à « Circuits courts » ; "
        "lieu inconnu : score non modulé par le territoire."
    )
    assert result.verdict.sentence(index, "en").startswith("New: no project or member")


def test_broader_service_matches_narrower_offer_at_half(example: tuple[NetworkIndex, Territories]) -> None:
    result = check(
        example, Proposal("Prêt de véhicules", fields=("tourisme-solidaire",), services=("vehicules",))
    )
    roule = next(m for m in result.matches if m.key == "roule")
    # roule offers velo-cargo, one step below vehicules: m = 0.5, a single service → services 0.5
    assert roule.components["services"] == pytest.approx(0.5)
    (evidence,) = roule.evidence.services
    assert (str(evidence.found), evidence.weight, evidence.how) == (RESOURCE + "velo-cargo", 0.5, "offre")
    assert "propose « Vélo-cargo », un concept voisin de « Véhicules »" in roule.sentence(example[0])
    # vehicules is one step above the minibus nobody offers: the need is met at 0.5
    assert [(str(n.need), n.weight) for n in result.needs_met] == [(RESOURCE + "minibus", 0.5)]


def test_private_persons_are_neither_matched_nor_named() -> None:
    turtle = (
        EXAMPLE_TURTLE
        + r"""
actor:jeanne a mai:Person ; skos:prefLabel "Jeanne Secret" ;
    dct:description "Navettes en minibus partagées."@fr ; mai:field field:mobilite ;
    mai:needs resource:cuisine-professionnelle ; mai:basedIn id:commune\/40312 .
"""
    )
    store = example_store(turtle)
    index, territories = build_index(store), territories_from_store(store)
    assert not index.actor("jeanne").is_public
    navettes = Proposal("Navettes en minibus", fields=("mobilite",), territory=("40312",))
    kitchen = Proposal("Cuisine", fields=("alimentation-locale",), services=("cuisine-professionnelle",))
    public = check_project(index, navettes, territories=territories)
    assert "jeanne" not in {m.key for m in public.matches}
    assert check_project(index, kitchen, territories=territories).needs_met[0].actors == ("cantine",)
    animator = check_project(index, navettes, territories=territories, include_private=True)
    assert "jeanne" in {m.key for m in animator.matches}
    assert check_project(index, kitchen, territories=territories, include_private=True).needs_met[
        0
    ].actors == (
        "cantine",
        "jeanne",
    )


def test_same_inputs_same_answer(example: tuple[NetworkIndex, Territories]) -> None:
    proposal = Proposal("Flotte partagée", fields=("mobilite",), services=("minibus", "velo-cargo"))
    assert check(example, proposal) == check(example, proposal)
    assert len(check(example, proposal, limit=1).matches) == 1
    assert check(example, proposal, limit=1).count == 2


def test_without_store_territories_projects_sit_with_their_participants(
    example: tuple[NetworkIndex, Territories],
) -> None:
    index = example[0]
    territories = territories_from_index(index)
    assert territories.source == "index"
    assert [p.code for p in territories.project_places["navettes"]] == ["40312"]  # roule, in Tarnos
    assert territories.place("64102") is not None and territories.place("40088") is None
    result = check_project(index, Proposal("Navettes en minibus", fields=("mobilite",), territory=("40312",)))
    assert result.territories == "index" and result.matches[0].evidence.same_territory


# --------------------------------------------------------------------------------------------------
# Validation of proposals


def test_unknown_values_are_named_with_a_suggestion(example: tuple[NetworkIndex, Territories]) -> None:
    bad = Proposal(
        " ",
        fields=("mobilté", "minibus"),
        services=("camionette",),
        territory=("99999", "Tarnos", "epci:123456789"),
    )
    with pytest.raises(ProposalError) as caught:
        check(example, bad)
    problems = [(p.parameter, p.value) for p in caught.value.problems]
    assert problems == [
        ("title", " "),
        ("fields", "mobilté"),
        ("fields", "minibus"),  # a resource is not a field
        ("services", "camionette"),
        ("territory", "99999"),
        ("territory", "Tarnos"),
        ("territory", "epci:123456789"),
    ]
    rules = [p.rule for p in caught.value.problems]
    assert rules[0] == "le titre est vide"
    assert rules[1] == (
        "domaine inconnu : « mobilté » (voulez-vous dire « mobilite » ? "
        "liste des clés : `maillage concepts field`)"
    )
    assert rules[3].startswith("ressource inconnue : « camionette »")
    assert (
        rules[4] == "territoire inconnu : « 99999 » (aucune commune de ce code parmi les territoires connus)"
    )
    assert rules[5].startswith("territoire inconnu : « Tarnos » (attendu : un code INSEE de commune")
    assert (
        rules[6]
        == "territoire inconnu : « epci:123456789 » (aucun EPCI de ce code parmi les territoires connus)"
    )
    assert str(caught.value).startswith(
        "Projet proposé invalide : le titre est vide ; domaine inconnu : « mobilté »"
    )


def test_no_field_and_too_long_title_are_refused(example: tuple[NetworkIndex, Territories]) -> None:
    with pytest.raises(ProposalError, match="au moins un domaine d'action est attendu"):
        check(example, Proposal("Navettes"))
    with pytest.raises(ProposalError, match="le titre dépasse 300 caractères"):
        check(example, Proposal("x" * 301, fields=("mobilite",)))
    with pytest.raises(ProposalError, match="plus de 50 valeurs dans « services »"):
        check(example, Proposal("Navettes", fields=("mobilite",), services=("minibus",) * 51))
    with pytest.raises(ValueError, match="Limite invalide : -1"):
        check(example, Proposal("Navettes", fields=("mobilite",)), limit=-1)


def test_concepts_by_key_iri_or_label_in_any_language(example: tuple[NetworkIndex, Territories]) -> None:
    by_key = check(example, Proposal("N", fields=("mobilite",), services=("minibus",)))
    by_other = check(
        example, Proposal("N", fields=(FIELD + "mobilite",), services=("Microbús",), territory=())
    )
    by_label = check(example, Proposal("N", fields=(" MOBILITÉ ",), services=("Minibus",)))
    assert by_key.matches == by_other.matches == by_label.matches


def test_territory_codes() -> None:
    assert parse_code("40312") == "40312" and parse_code(" 2A004 ") == "2A004"
    assert parse_code("EPCI:244000659") == "epci:244000659" and parse_code("es:20045") == "es:20045"
    assert parse_code("https://w3id.org/maillage/id/epci/244000659") == "epci:244000659"
    assert parse_code("4031") is None and parse_code("epci:abc") is None and parse_code("Tarnos") is None


# --------------------------------------------------------------------------------------------------
# Proposal files


def test_sample_proposal_files_are_read() -> None:
    yaml_proposal = load_proposal(PROJECTS / "legumerie-copie.yaml")
    assert yaml_proposal.title == "Légumerie solidaire du Seignanx"
    assert yaml_proposal.fields == ("circuits-courts", "alimentation-locale", "insertion-professionnelle")
    assert yaml_proposal.services == ("restauration-collective",)
    assert yaml_proposal.territory == ("epci:244000659",)
    assert yaml_proposal.description.startswith("Une légumerie pour approvisionner")
    json_proposal = load_proposal(PROJECTS / "minibus-partages.json")
    assert (json_proposal.fields, json_proposal.services) == (("mobilite",), ("minibus",))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.txt", "titre: x", "p.txt : extension « .txt » non reconnue (.yaml, .yml ou .json attendu)"),
        ("p.yaml", "titre: [Navettes\n", "p.yaml : YAML invalide ligne 2, colonne 1"),
        ("p.json", '{"title": "x",\n "fields": }', "p.json : JSON invalide ligne 2, colonne 12"),
        (
            "p.yaml",
            "- titre\n",
            "p.yaml : un objet de champs est attendu (titre, domaines, …), pas une liste",
        ),
        ("p.yaml", "titre: x\ndomaine: mobilite\n", "p.yaml : champ inconnu « domaine » (champs reconnus :"),
        ("p.yaml", "titre: 12\n", "p.yaml : « titre » : un texte est attendu, pas un nombre (12)"),
        (
            "p.yaml",
            "titre: x\nservices: 3\n",
            "p.yaml : « services » : une liste est attendue, pas un nombre (3)",
        ),
        (
            "p.yaml",
            "titre: x\nservices: [minibus, 3]\n",
            "p.yaml : « services » : une liste de textes est attendue, elle",
        ),
        (
            "p.yaml",
            "titre: x\nterritoires: [1234]\n",
            "p.yaml : « territoires » : écrivez le code « 1234 » entre guillemets",
        ),
        ("p.yaml", "description: x\n", "p.yaml : champ « titre » manquant"),
        ("p.yaml", "titre: x\ntitle: y\n", "p.yaml : champ « title » donné deux fois"),
    ],
)
def test_proposal_file_errors_name_the_file_and_the_field(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProposalError) as caught:
        load_proposal(path)
    assert str(caught.value).startswith(message)


def test_proposal_file_reading_errors(tmp_path: Path) -> None:
    with pytest.raises(ProposalError, match="^absent.yaml : fichier introuvable$"):
        load_proposal(tmp_path / "absent.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("titre: Légumerie\n".encode("cp1252"))
    with pytest.raises(ProposalError, match=r"^latin.yaml : le fichier n'est pas en UTF-8 \(octet 8\)$"):
        load_proposal(latin)
    big = tmp_path / "gros.json"
    big.write_text('{"title": "' + "x" * 1_000_001 + '"}')
    with pytest.raises(ProposalError, match="^gros.json : fichier trop volumineux"):
        load_proposal(big)


def test_proposal_file_forms() -> None:
    proposal = proposal_from_mapping(
        {
            "Titre": " Navettes ",
            "domaines": "mobilite ; tourisme-solidaire",
            "territoire": 40312,
            "services": None,
            "public": "groupes",
            "commentaire": "une note",
        }
    )
    assert proposal == Proposal(
        "Navettes", fields=("mobilite", "tourisme-solidaire"), territory=("40312",), target_public="groupes"
    )


# --------------------------------------------------------------------------------------------------
# The sample network: the acceptance cases of issue 4


def test_copy_of_a_sample_project_is_a_duplicate(sample_store: Store) -> None:
    index = build_index(sample_store)
    result = check_project(
        index,
        load_proposal(PROJECTS / "legumerie-copie.yaml"),
        territories=store_territories(index, sample_store),
    )
    best = result.matches[0]
    assert (best.kind, best.key) == ("project", "legumerie-baratze")
    assert best.components["domaines"] == pytest.approx(1.0)  # same three fields
    assert best.components["services"] == pytest.approx(1.0)  # cites « restauration collective »
    assert best.components["territoire"] == pytest.approx(1.0)  # both in the CC du Seignanx
    assert best.score >= DUPLICATE_THRESHOLD
    assert result.verdict.code == "doublon"
    assert [m.key for m in result.verdict.matches] == ["legumerie-baratze"]
    assert result.verdict.sentence(index).startswith(
        "Doublon : « Légumerie solidaire du Seignanx » reprend ce que fait déjà "
        "le projet « Légumerie Baratze » "
        "(en cours, score 0,9"
    )
    assert {"Légumerie", "cantines", "maraîchers"} <= set(best.evidence.words)


def test_proposal_meeting_a_need_nobody_offers_is_a_complement(sample_store: Store) -> None:
    index = build_index(sample_store)
    result = check_project(
        index,
        load_proposal(PROJECTS / "minibus-partages.json"),
        territories=store_territories(index, sample_store),
    )
    assert result.verdict.code == "complementaire"
    (need,) = result.needs_met
    # besoins.csv: four members need a minibus; offres.csv: nobody offers a minibus nor « véhicules »
    assert str(need.need) == RESOURCE + "minibus" and need.weight == 1.0
    assert need.actors == (
        "asso-kultur-etxea",
        "asso-tourisme-garazi",
        "ei-net-ocean",
        "es-bidasoa-turismo-solidarioa",
    )
    assert result.verdict.sentence(index) == (
        "Complémentaire : « Minibus partagés du Pays Basque » répond au besoin « Minibus » exprimé par "
        "« Kultur Etxea Hazparne », « Garazi Bidaiak Solidaires », « Net'Océan » et « Bidasoa Turismo "
        "Solidarioa », que personne ne propose dans le réseau."
    )
    assert all(m.score < OVERLAP_THRESHOLD for m in result.matches)


def test_sample_territories_from_the_store(sample_store: Store) -> None:
    territories = territories_from_store(sample_store)
    seignanx = territories.places["epci:244000659"]
    assert (seignanx.kind, seignanx.label) == ("epci", "CC du Seignanx")
    communes = [territories.by_iri[c] for c in territories.epci_communes[seignanx.iri]]
    assert seignanx.lat == pytest.approx(sum(c.lat or 0 for c in communes) / len(communes))
    assert territories.places["es:20045"].label == "Irun"
    assert [p.code for p in territories.project_places["legumerie-baratze"]] == [
        "epci:244000659",
        "epci:244000865",
    ]


# --------------------------------------------------------------------------------------------------
# POST /api/projects/check


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def body_of(path: Path) -> dict[str, object]:
    proposal = load_proposal(path)
    return {
        "title": proposal.title,
        "description": proposal.description,
        "fields": list(proposal.fields),
        "services": list(proposal.services),
        "territory": list(proposal.territory),
        "target_public": proposal.target_public,
    }


def test_api_duplicate(client: TestClient) -> None:
    response = client.post("/api/projects/check", json=body_of(PROJECTS / "legumerie-copie.yaml"))
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"]["code"] == "doublon" and body["verdict"]["label"] == "doublon"
    assert "« Légumerie Baratze »" in body["verdict"]["sentence"]
    best = body["matches"][0]
    assert (best["kind"], best["id"], best["name"]) == ("project", "legumerie-baratze", "Légumerie Baratze")
    assert best["url"] == "/id/project/legumerie-baratze"
    assert set(best["components"]) == {"domaines", "services", "texte", "territoire", "pertinence"}
    assert {f["key"] for f in best["evidence"]["shared_fields"]} == {
        "circuits-courts",
        "alimentation-locale",
        "insertion-professionnelle",
    }
    assert best["evidence"]["services"] == [
        {
            "service": {
                "key": "restauration-collective",
                "iri": RESOURCE + "restauration-collective",
                "label": "Restauration collective",
            },
            "found": {
                "key": "restauration-collective",
                "iri": RESOURCE + "restauration-collective",
                "label": "Restauration collective",
            },
            "weight": 1.0,
            "how": "cite",
        }
    ]
    assert best["evidence"]["same_territory"] is True and best["evidence"]["distance_km"] is None
    assert body["territory"] == [
        {
            "code": "epci:244000659",
            "iri": "https://w3id.org/maillage/id/epci/244000659",
            "label": "CC du Seignanx",
        }
    ]
    assert body["count"] >= len(body["matches"]) == 10


def test_api_complement_in_english(client: TestClient) -> None:
    response = client.post(
        "/api/projects/check",
        params={"lang": "en", "limit": 3},
        json=body_of(PROJECTS / "minibus-partages.json"),
    )
    body = response.json()
    assert body["verdict"]["code"] == "complementaire" and body["verdict"]["label"] == "complements"
    assert body["verdict"]["sentence"].startswith(
        "Complements: “Minibus partagés du Pays Basque” meets the need"
    )
    (need,) = body["needs_met"]
    assert need["need"]["key"] == "minibus" and need["need"]["label"] == "Minibus"
    assert [a["id"] for a in need["actors"]] == [
        "asso-kultur-etxea",
        "asso-tourisme-garazi",
        "ei-net-ocean",
        "es-bidasoa-turismo-solidarioa",
    ]
    assert len(body["matches"]) == 3


def test_api_unknown_concept_is_a_422_naming_it(client: TestClient) -> None:
    response = client.post(
        "/api/projects/check",
        json={"title": "Permaculture", "fields": ["permaculture"], "territory": ["40312"]},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "parametre_invalide"
    assert error["message"].startswith("Projet proposé invalide : domaine inconnu : « permaculture »")
    assert error["details"] == [
        {
            "parametre": "fields",
            "valeur": "permaculture",
            "regle": "domaine inconnu : « permaculture » (liste des clés : `maillage concepts field`)",
        }
    ]


def test_api_malformed_body_is_a_422_in_the_common_shape(client: TestClient) -> None:
    missing = client.post("/api/projects/check", json={"title": "x"})
    assert missing.status_code == 422
    assert [d["parametre"] for d in missing.json()["error"]["details"]] == ["fields"]
    extra = client.post("/api/projects/check", json={"title": "x", "fields": ["mobilite"], "domaines": []})
    assert extra.status_code == 422 and extra.json()["error"]["details"][0]["parametre"] == "domaines"
    empty = client.post("/api/projects/check", json={"title": "", "fields": ["mobilite"]})
    assert empty.status_code == 422


def test_api_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/projects/check"]["post"]
    assert operation["tags"] == ["vérification de projet"]
    schema = spec["components"]["schemas"]["ProposalBody"]["properties"]
    assert all(
        schema[name].get("description")
        for name in ("title", "description", "fields", "services", "territory")
    )


# --------------------------------------------------------------------------------------------------
# Text similarity


def test_folding_and_tokens_in_french_spanish_and_basque() -> None:
    assert fold("Éco-Rénovation d’Hendaye, Señora") == "eco renovation d hendaye senora"
    assert tokenize("Cooperativa de Finanzas Éticas y el ahorro") == [
        "cooperativa",
        "finanza",
        "etica",
        "ahorro",
    ]
    assert tokenize("Euskara eta kultura da") == ["euskara", "kultura"]
    assert tokenize("Partager des emplois partagés, 14 logements") == [
        "partag",
        "emploi",
        "partag",
        "logement",
    ]


def test_tfidf_cosine_by_hand() -> None:
    model = build_text_model(["vélo vélo cargo", "vélo", "cantine"])
    # idf: vélo ln(4/3) = 0.2877 (2 documents), cargo ln(4/2) = 0.6931, cantine 0.6931
    # document 0: (tf(vélo) = 1 + ln 2 = 1.6931 · 0.2877, 0.6931) = (0.4871, 0.6931);
    # query « cargo »: 0.6931 / 0.8472
    assert model.similarities("cargo")[0] == pytest.approx(
        0.693147 / math.hypot(1.693147 * 0.287682, 0.693147), abs=1e-6
    )
    # document 1 has only « vélo »: cosine 1 with « vélo »
    assert model.similarities("vélo")[1] == pytest.approx(1.0)
    # a word known to no document dilutes the query: « vélo électrique » vs document 1 =
    # 0.2877 / √(0.2877² + ln(4)²) = 0.2032
    assert model.similarities("vélo électrique")[1] == pytest.approx(
        0.287682 / math.hypot(0.287682, math.log(4)), abs=1e-6
    )
    assert json.dumps(model.similarities("rien").tolist()) == "[0.0, 0.0, 0.0]"


def test_package_docstring_example_runs() -> None:
    # tests/test_doctests.py walks modules, not package __init__ files
    import doctest

    import maillage.graph.project_check as package

    assert doctest.testmod(package, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
