"""Concept mapping: exact, normalised (accents, case, plurals), fuzzy with review; local concepts, end to end.

Fuzzy scores are rapidfuzz ``ratio`` = 100 · (1 − indel / (len(a) + len(b))) between the normalised forms
(`comparable`: folded, each word through the plural rule), worked out by hand in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from typer.testing import CliRunner

from maillage.cli import app
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.concepts import FUZZY_THRESHOLD, ConceptMatcher, comparable
from maillage.ingest.importer import import_path
from maillage.ingest.local_concepts import (
    LOCAL_TAXONOMY_GRAPH,
    LocalConceptError,
    add_local_concept,
    matcher_for,
)
from maillage.ingest.report import ImportRefusedError
from maillage.ontology.iri import concept_iri, data_iri
from maillage.ontology.vocab import MAI, ontology_graph

FIELD = "https://w3id.org/maillage/concept/field/"
TINY = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
field:maraichage skos:inScheme mai:fields ; skos:notation "M01" ;
    skos:prefLabel "Maraîchage"@fr , "Huerta"@es , "Baratzezaintza"@eu , "Market gardening"@en ;
    skos:altLabel "maraîchage bio"@fr .
field:marechalerie skos:inScheme mai:fields ; skos:prefLabel "Maréchalerie"@fr .
field:circuit-court skos:inScheme mai:fields ; skos:prefLabel "Circuit court"@fr .
field:asociacion-vecinal skos:inScheme mai:fields ;
    skos:prefLabel "Association de quartier"@fr , "Asociación vecinal"@es .
field:local-partage skos:inScheme mai:fields ; skos:prefLabel "Local partagé"@fr .
field:plateforme-a skos:inScheme mai:fields ; skos:prefLabel "Plateforme logistique A"@fr .
field:plateforme-b skos:inScheme mai:fields ; skos:prefLabel "Plateforme logistique B"@fr .
"""


@pytest.fixture(scope="module")
def tiny() -> ConceptMatcher:
    return ConceptMatcher(Graph().parse(data=TINY, format="turtle"))


def key(concept: URIRef | None) -> str | None:
    return None if concept is None else str(concept).rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("maraichage", "maraichage"),  # the key
        ("M01", "maraichage"),  # the notation
        ("Huerta", "maraichage"),  # Spanish label
        ("Baratzezaintza", "maraichage"),  # Basque label
        ("Market gardening", "maraichage"),  # English label
        ("maraîchage bio", "maraichage"),  # an altLabel
    ],
)
def test_exact_label_in_any_language(tiny: ConceptMatcher, value: str, expected: str) -> None:
    found = tiny.match("field", value)
    assert (key(found.concept), found.status, found.needs_review) == (expected, "exact", False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("MARAÎCHAGE", "maraichage"),  # case and accents
        ("Circuits courts", "circuit-court"),  # French plural -s
        ("Locaux partagés", "local-partage"),  # -aux → -al, and -és
        ("Asociaciones vecinales", "asociacion-vecinal"),  # Spanish plural -es
        ("associations de quartiers", "asociacion-vecinal"),
    ],
)
def test_normalised_accents_case_and_plurals(tiny: ConceptMatcher, value: str, expected: str) -> None:
    found = tiny.match("field", value)
    assert (key(found.concept), found.status, found.needs_review) == (expected, "normalisé", False)


def test_the_plural_rule_is_the_same_on_both_sides() -> None:
    assert comparable("Asociaciones vecinales") == comparable("Asociación vecinal") == "asociacion vecinal"
    assert comparable("Locaux") == comparable("local") == "local"
    assert comparable("bureaux") == comparable("Bureau") == "bureau"


def test_a_fuzzy_match_with_one_clear_winner_is_accepted_for_review(tiny: ConceptMatcher) -> None:
    # « marechalleri » (12 letters) against « marechaleri » (11): one letter too many, indel 1:
    # 100 · (1 − 1/23) = 95.65 ≥ 92; no other concept comes within 5 points.
    found = tiny.match("field", "Maréchallerie")
    assert (key(found.concept), found.status, found.needs_review) == ("marechalerie", "approché", True)
    assert found.score == pytest.approx(95.652, abs=1e-3)
    assert found.score >= FUZZY_THRESHOLD


def test_two_close_candidates_are_ambiguous_and_refused(tiny: ConceptMatcher) -> None:
    # « plateform logistiqu » (19) against « plateform logistiqu a » and « … b » (21): indel 2 for both,
    # 100 · (1 − 2/40) = 95 twice: no clear winner.
    found = tiny.match("field", "Plateforme logistique")
    assert (found.concept, found.status, found.needs_review) == (None, "ambigu", True)
    assert [(key(c), s) for c, s in found.candidates] == [("plateforme-a", 95.0), ("plateforme-b", 95.0)]
    assert found.suggestion is not None and "« plateforme-a »" in found.suggestion


def test_an_unknown_value_is_refused_without_a_guess(tiny: ConceptMatcher) -> None:
    found = tiny.match("field", "Astrologie")
    assert (found.concept, found.status, found.candidates, found.suggestion) == (None, "inconnu", (), None)


def test_no_two_concepts_of_a_scheme_normalise_alike() -> None:
    # The plural rule must not make two concepts of the real taxonomy indistinguishable.
    matcher = ConceptMatcher(ontology_graph())
    clashes = [(s, f) for s, table in matcher._normal.items() for f, c in table.items() if len(c) > 1]
    assert clashes == []


# -- through the importer -------------------------------------------------------------------------------

RESEAU = "identifiant,nom,description,commune,pays\nreseau-test,Réseau test (exemple fictif),,40312,FR\n"
HEADER = "identifiant,nom,type,domaines,commune,pays\n"


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def dump(store: OxigraphStore) -> list[str]:
    return sorted(" ".join(t.n3() for t in quad) for quad in store.quads())


def test_the_report_lists_fuzzy_matches_to_review(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    actors = HEADER + "x,X,association,insertion profesionnelle;emploi,40312,FR\n"
    report = import_path(store, write(tmp_path / "in", reseau=RESEAU, acteurs=actors))
    # « insertion profesionnell » (23) / « insertion professionnell » (24): indel 1, 100 · (1 − 1/47) = 97.87
    assert report.ok and (report.created, report.updated) == (2, 0)
    (review,) = report.reviews
    assert (review.row, review.column, review.value, review.status, review.concept) == (
        2,
        "domaines",
        "insertion profesionnelle",
        "approché",
        "insertion-professionnelle",
    )
    assert review.score == pytest.approx(97.872, abs=1e-3)
    assert store.value(data_iri("actor", "x"), MAI.field) is not None
    assert set(store.triples(data_iri("actor", "x"), MAI.field, None)) == {
        (data_iri("actor", "x"), MAI.field, URIRef(FIELD + "insertion-professionnelle")),
        (data_iri("actor", "x"), MAI.field, URIRef(FIELD + "emploi")),
    }
    text = report.as_text()
    assert "à vérifier / to review : 1 correspondance(s) avec la taxonomie" in text
    assert (
        "acteurs.csv › ligne 2 › colonne « domaines » : « insertion profesionnelle » → "
        "« insertion-professionnelle » (score 98), accepté à vérifier"
    ) in text
    data = json.loads(report.as_json())
    assert data["reviews"][0]["status"] == "approché" and data["reviews"][0]["concept"] == (
        "insertion-professionnelle"
    )
    assert data["reviews"][0]["message"].endswith("accepté à vérifier")


def test_an_unknown_value_refuses_the_import_and_is_listed_for_review(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    import_path(
        store, write(tmp_path / "base", reseau=RESEAU, acteurs=HEADER + "a,A,association,emploi,40312,FR\n")
    )
    before = dump(store)
    actors = HEADER + "a,A,association,emploi,40312,FR\nb,B,association,Sylvicultures,40312,FR\n"
    with pytest.raises(ImportRefusedError) as refused:
        import_path(store, write(tmp_path / "in", acteurs=actors))
    report = refused.value.report
    assert [(p.row, p.column, p.value, p.rule) for p in report.problems] == [
        (3, "domaines", "Sylvicultures", "domaine d'activité inconnu dans la taxonomie")
    ]
    assert [(r.row, r.value, r.status) for r in report.reviews] == [(3, "Sylvicultures", "inconnu")]
    assert dump(store) == before  # all or nothing


def test_local_concept_then_reimport_succeeds_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILLAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAILLAGE_STORE", raising=False)
    runner = CliRunner()
    base = write(tmp_path / "base", reseau=RESEAU, acteurs=HEADER + "a,A,association,emploi,40312,FR\n")
    assert runner.invoke(app, ["import", str(base)]).exit_code == 0
    folder = write(
        tmp_path / "in", acteurs=HEADER + "b,Forêts du Seignanx,association,Sylvicultures,40312,FR\n"
    )
    refused = runner.invoke(app, ["import", str(folder)])
    assert refused.exit_code == 1
    assert "« Sylvicultures » — domaine d'activité inconnu dans la taxonomie" in refused.output
    assert "maillage concepts add field CLÉ --label-fr" in refused.output

    added = runner.invoke(
        app,
        [
            "concepts", "add", "field", "sylviculture", "--label-fr", "Sylviculture",
            "--label-es", "Silvicultura", "--broader", "circuits-courts",
        ],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.startswith("« sylviculture » ajouté au schéma « domaines d'activité »")
    listed = runner.invoke(app, ["concepts", "field"])
    assert "sylviculture\tSylviculture\t(ajout local)" in listed.output.splitlines()
    again = runner.invoke(app, ["concepts", "add", "field", "sylviculture", "--label-fr", "Autre"])
    assert (
        again.exit_code == 1
        and "« sylviculture » existe déjà dans le schéma « domaines d'activité »" in again.output
    )

    done = runner.invoke(app, ["import", str(folder)])
    assert done.exit_code == 0, done.output
    assert "entités créées : 1, mises à jour : 0, inchangées : 0" in done.output

    store = OxigraphStore(tmp_path / "data" / "oxigraph")
    concept = concept_iri("field", "sylviculture")
    assert store.value(data_iri("actor", "b"), MAI.field) == concept
    assert store.value(concept, SKOS.broader, graph=LOCAL_TAXONOMY_GRAPH) == URIRef(FIELD + "circuits-courts")
    run = store.value(concept, PROV.wasGeneratedBy, graph=LOCAL_TAXONOMY_GRAPH)
    assert store.value(run, RDF.type, graph=LOCAL_TAXONOMY_GRAPH) == PROV.Activity  # type: ignore[arg-type]
    assert store.value(concept, DCTERMS.created, graph=LOCAL_TAXONOMY_GRAPH) is not None
    assert matcher_for(store).match("field", "Silvicultura").concept == concept  # its Spanish label too
    store.close()


def test_local_concept_rules(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    with pytest.raises(
        LocalConceptError, match="« emploi » existe déjà dans le schéma « domaines d'activité »"
    ):
        add_local_concept(store, "field", "emploi", labels={"fr": "Emploi local"})
    with pytest.raises(
        LocalConceptError, match="« Circuits courts » désigne déjà le concept « circuits-courts »"
    ):
        add_local_concept(store, "field", "cc", labels={"fr": "Circuits courts"})
    with pytest.raises(
        LocalConceptError,
        match="concept plus large inconnu dans le schéma « domaines d'activité » : « lune »",
    ):
        add_local_concept(store, "field", "x", labels={"fr": "X"}, broader="lune")
    with pytest.raises(LocalConceptError, match="un libellé français est obligatoire"):
        add_local_concept(store, "field", "x", labels={"es": "X"})
    with pytest.raises(LocalConceptError, match="schéma inconnu : « planetes »"):
        add_local_concept(store, "planetes", "x", labels={"fr": "X"})
    with pytest.raises(LocalConceptError, match="Identifiant invalide"):
        add_local_concept(store, "field", "é t é", labels={"fr": "Été"})
    assert len(store) == 0  # nothing written by a refused addition
