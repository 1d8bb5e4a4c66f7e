"""Entity resolution (identifier, then name + commune), probable duplicates, idempotent re-import, merge.

Name scores are rapidfuzz ``token_sort_ratio`` of names folded by `normalise_name` (legal forms and short
words dropped), = 100 · (1 − indel / (len(a) + len(b))) on the sorted words, worked out in the comments.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.merge import MergeError, merge_actors
from maillage.ingest.provenance import read_provenance
from maillage.ingest.report import ImportRefusedError
from maillage.ingest.resolve import ActorRecord, ActorResolver
from maillage.ontology.iri import data_iri, network_graph, provenance_graph
from maillage.ontology.vocab import MAI

from .conftest import SAMPLE

RESEAU = "identifiant,nom,description,commune,pays\nreseau-test,Réseau test (exemple fictif),,40312,FR\n"
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays,siret,rna,nif\n"
    "atelier-bois,Atelier Bois Solidaire,scop,eco-construction,40312,FR,73282932000074,,\n"
    "jardins,Les Jardins de l'Adour,association,circuits-courts,40312,FR,,W401000123,\n"
    "garraio,Garraio Kooperatiba,cooperative,circuits-courts,20045,ES,,,B12345674\n"
)
# 73282932000017: the same SIREN (732829320) as 73282932000074, another establishment (valid Luhn key).
SECOND = (
    "identifiant,nom,type,domaines,commune,pays,siret\n"
    "abs,A.B.S. menuiserie,scop,eco-construction,64102,FR,73282932000074\n"
    "jardins-adour,Jardins de l'Adour (asso),association,circuits-courts,40312,FR,\n"
    "jardin-amour,Jardin de l'Amour,association,circuits-courts,40312,FR,\n"
    "atelier-bayonne,Atelier Bois Solidaire Bayonne,scop,eco-construction,64102,FR,73282932000017\n"
)
BESOINS = "acteur,ressource\nabs,atelier\n"


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def actors(store: Store) -> set[str]:
    return {str(s).rsplit("/", 1)[-1] for s, _p, _o in store.triples(None, RDF.type, MAI.Organisation)}


@pytest.fixture()
def resolver() -> ActorResolver:
    resolver = ActorResolver(OxigraphStore(None))
    resolver.add(
        ActorRecord("atelier-bois", ("Atelier Bois Solidaire",), "40312", {"siret": "73282932000074"})
    )
    resolver.add(ActorRecord("jardins", ("Les Jardins de l'Adour",), "40312", {"rna": "W401000123"}))
    resolver.add(ActorRecord("garraio", ("Garraio Kooperatiba",), "20045", {"nif": "B12345674"}))
    resolver.add(ActorRecord("forges", ("Forges de l'Adour",), "64102", {"siren": "552100554"}))
    return resolver


@pytest.mark.parametrize(
    ("identifiers", "actor", "evidence"),
    [
        ({"siret": "73282932000074"}, "atelier-bois", "SIRET"),  # the same SIRET
        ({"rna": "w401000123"}, "jardins", "RNA"),  # case ignored
        ({"nif": "B12345674"}, "garraio", "NIF"),
        ({"siret": "55210055400013"}, "forges", "SIREN"),  # its first 9 digits are the SIREN held
    ],
)
def test_an_identifier_finds_the_actor_whatever_the_name(
    resolver: ActorResolver, identifiers: dict[str, str], actor: str, evidence: str
) -> None:
    found = resolver.resolve(ActorRecord("nouveau", ("Tout autre nom",), "64024", identifiers))
    assert (found.actor, found.rule, [e.field for e in found.evidence]) == (actor, "identifiant", [evidence])


def test_two_establishments_of_one_siren_are_a_probable_duplicate(resolver: ActorResolver) -> None:
    found = resolver.resolve(ActorRecord("x", ("Autre",), "64102", {"siret": "73282932000017"}))
    assert found.actor is None
    ((actor, evidence),) = found.duplicates
    assert (actor, evidence[0].field, evidence[0].incoming, evidence[0].existing) == (
        "atelier-bois",
        "SIREN (deux établissements)",
        "73282932000017",
        "73282932000074",
    )


def test_a_conflicting_identifier_vetoes_a_match(resolver: ActorResolver) -> None:
    # The RNA of « jardins » (which has no SIRET) and another establishment of atelier-bois's SIREN: jardins
    # is a match; atelier-bois is only a probable duplicate (two establishments).
    same = resolver.resolve(
        ActorRecord("x", ("X",), "40312", {"rna": "W401000123", "siret": "73282932000017"})
    )
    assert (same.actor, [a for a, _e in same.duplicates]) == ("jardins", ["atelier-bois"])
    # asso-b shares the RNA but its SIREN (552100554) differs from the row's (732829320): two legal entities,
    # so no match; atelier-bois shares the SIRET and has no RNA to disagree: the match.
    resolver.add(ActorRecord("asso-b", ("B",), "40312", {"rna": "W401000999", "siret": "55210055400013"}))
    vetoed = resolver.resolve(
        ActorRecord("y", ("Y",), "40312", {"rna": "W401000999", "siret": "73282932000074"})
    )
    assert (vetoed.actor, [a for a, _e in vetoed.duplicates]) == ("atelier-bois", ["asso-b"])


def test_name_and_commune(resolver: ActorResolver) -> None:
    # « jardins adour » both ways (« Les », « de », « l' » and « asso » dropped): 100, same commune.
    found = resolver.resolve(ActorRecord("ja", ("Jardins de l'Adour (asso)",), "40312"))
    assert (found.actor, found.rule) == ("jardins", "nom et commune")
    assert [(e.field, e.incoming, e.existing, e.score) for e in found.evidence] == [
        ("nom", "jardins adour", "jardins adour", 100.0),
        ("commune", "40312", "40312", None),
    ]
    # The same name in another commune is another actor.
    assert resolver.resolve(ActorRecord("ja", ("Les Jardins de l'Adour",), "64102")).actor is None


def test_a_near_name_is_a_probable_duplicate_not_a_match(resolver: ActorResolver) -> None:
    # « amour jardin » (12) / « adour jardins » (13): common « aour jardin » (11), indel 1 + 2 = 3:
    # 100 · (1 − 3/25) = 88, under 90 and over 80.
    found = resolver.resolve(ActorRecord("x", ("Jardin de l'Amour",), "40312"))
    assert found.actor is None
    ((actor, evidence),) = found.duplicates
    assert (actor, evidence[0].field, evidence[0].score) == ("jardins", "nom", 88.0)


# -- through the importer -------------------------------------------------------------------------------


def test_a_row_updates_the_actor_it_matches_instead_of_making_a_twin(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    import_path(store, write(tmp_path / "a", reseau=RESEAU, acteurs=ACTEURS))
    report = import_path(store, write(tmp_path / "b", acteurs=SECOND, besoins=BESOINS))
    # abs → atelier-bois (SIRET) and jardins-adour → jardins (name + commune) are updated (new name,
    # commune, source); jardin-amour and atelier-bayonne are new; so is the need of abs, i.e. of atelier-bois.
    assert (report.created, report.updated, report.unchanged) == (3, 2, 0)
    assert actors(store) == {"atelier-bois", "jardins", "garraio", "jardin-amour", "atelier-bayonne"}
    bois = data_iri("actor", "atelier-bois")
    assert store.value(bois, SKOS.prefLabel) == Literal("A.B.S. menuiserie")
    assert store.value(bois, MAI.needs) == URIRef("https://w3id.org/maillage/concept/resource/atelier")
    assert store.value(data_iri("need", "atelier-bois.atelier"), MAI.actor) == bois
    summary = [(r.key, r.actor, r.status, r.evidence[0].field) for r in report.resolutions]
    assert summary == [
        ("abs", "atelier-bois", "rapproché", "SIRET"),
        ("jardins-adour", "jardins", "rapproché", "nom"),
        ("jardin-amour", "jardins", "doublon probable", "nom"),
        ("atelier-bayonne", "atelier-bois", "doublon probable", "SIREN (deux établissements)"),
    ]
    text = report.as_text()
    assert "acteurs reconnus (mis à jour, pas de doublon créé) : 2" in text
    assert "doublons probables (non fusionnés) : 2" in text
    assert "maillage merge jardins jardin-amour" in text

    again = import_path(store, write(tmp_path / "b", acteurs=SECOND, besoins=BESOINS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_sample_twice_then_a_corrected_copy(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    first = import_path(store, SAMPLE)
    assert (first.created, first.updated, first.unchanged) == (518, 0, 0)
    second = import_path(store, SAMPLE)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 518)
    corrected = tmp_path / "corrige"
    shutil.copytree(SAMPLE, corrected)
    path = corrected / "acteurs.csv"
    text = path.read_text("utf-8")
    # 1. a name corrected → that actor updated; 2. a key retyped, SIRET unchanged → the same actor, and
    # nothing else changed about it → unchanged; 3. one new actor appended → created.
    text = text.replace("ei-net-ocean,Net'Océan,", "ei-net-ocean,Net Océan,")
    text = text.replace("ressourcerie-lur-berri,Ressourcerie", "lur-berri,Ressourcerie")
    text += "nouvel-acteur,Boulangerie du Port (exemple fictif),entreprise,circuits-courts,64024,FR,,,,,,,,\n"
    path.write_text(text, "utf-8")
    third = import_path(store, corrected)
    # 518 entities + 1 new: 1 created, 1 updated, 517 unchanged.
    assert (third.created, third.updated, third.unchanged) == (1, 1, 517)
    assert [(r.key, r.actor, r.status) for r in third.resolutions] == [
        ("lur-berri", "ressourcerie-lur-berri", "rapproché")
    ]
    assert data_iri("actor", "lur-berri") not in {s for s, _p, _o in store.triples(None, RDF.type, None)}


# -- merge ----------------------------------------------------------------------------------------------

TWINS = (
    "identifiant,nom,type,domaines,commune,pays,siret\n"
    "atelier-bois,Atelier Bois Solidaire,scop,eco-construction,40312,FR,73282932000074\n"
    "abs,ABS Menuiserie,scop,eco-construction;emploi,64102,FR,\n"
    "jardins,Les Jardins de l'Adour,association,circuits-courts,40312,FR,\n"
)
TWIN_LINKS = {
    "besoins": "acteur,ressource\nabs,atelier\n",
    "partenariats": "acteur_a,acteur_b,nature\nabs,jardins,informel\nabs,atelier-bois,informel\n",
}


def test_merge_moves_statements_and_links_and_keeps_both_provenances(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    import_path(store, write(tmp_path / "a", reseau=RESEAU, acteurs=TWINS))
    import_path(store, write(tmp_path / "b", **TWIN_LINKS))
    a, b, jardins = data_iri("actor", "atelier-bois"), data_iri("actor", "abs"), data_iri("actor", "jardins")
    runs_a, runs_b = read_provenance(store, a).runs, read_provenance(store, b).runs
    assert len(runs_b) == 2  # created by the first import, changed by the second (needs, partners)

    result = merge_actors(store, "atelier-bois", "abs")
    graph = network_graph("reseau-test")
    assert store.value(b, RDF.type) is None
    assert store.value(a, SKOS.prefLabel, graph=graph) == Literal("Atelier Bois Solidaire")  # A's name wins
    assert store.value(a, SKOS.altLabel, graph=graph) == Literal("ABS Menuiserie")  # B's is kept as altLabel
    assert {o for _s, _p, o in store.triples(a, MAI.field, None)} == {
        URIRef("https://w3id.org/maillage/concept/field/eco-construction"),
        URIRef("https://w3id.org/maillage/concept/field/emploi"),
    }
    assert store.value(a, MAI.basedIn) == data_iri("commune", "40312")
    assert ("basedIn", "64102") in result.not_kept and ("prefLabel", "ABS Menuiserie") in result.not_kept
    assert {str(o) for _s, _p, o in store.triples(a, DCTERMS.source, None)} == {
        "acteurs.csv › ligne 2",
        "acteurs.csv › ligne 3",
    }
    # links: the need and the partnership with jardins now name A; the A–B partnership is gone.
    assert store.value(data_iri("need", "abs.atelier"), MAI.actor) == a
    assert {o for _s, _p, o in store.triples(jardins, MAI.partnerOf, None)} == {a}
    assert (a, MAI.partnerOf, a) not in set(store.triples(a, MAI.partnerOf, None))
    assert list(store.quads(data_iri("partnership", "abs.atelier-bois"), None, None, None)) == []
    assert result.removed == (str(data_iri("partnership", "abs.atelier-bois")),)
    # provenance: A's runs, B's runs and the merge; B's own history stays on B; A replaces B.
    merged = read_provenance(store, a)
    assert set(merged.runs) == set(runs_a) | set(runs_b) | {str(result.run)}
    assert merged.created_by == read_provenance(store, a).created_by
    prov = provenance_graph("reseau-test")
    assert store.value(a, PROV.wasDerivedFrom, graph=prov) == b
    assert store.value(result.run, PROV.used, graph=prov) == b
    assert read_provenance(store, b).created is not None
    assert store.value(a, DCTERMS.replaces, graph=graph) == b
    assert "« abs » fusionné dans « atelier-bois »" in result.as_text()

    client = TestClient(create_app(store), follow_redirects=False)
    moved = client.get("/id/actor/abs", headers={"accept": "text/turtle"})
    assert (moved.status_code, moved.headers["location"]) == (301, "/id/actor/atelier-bois")

    # Re-importing the old file as it was is refused: « abs » and « atelier-bois » would be one actor twice.
    before = len(store)
    with pytest.raises(ImportRefusedError) as refused:
        import_path(store, write(tmp_path / "c", acteurs=TWINS))
    assert [(p.row, p.column, p.value, p.rule) for p in refused.value.report.problems] == [
        (
            3,
            "identifiant",
            "abs",
            "acteur fusionné dans « atelier-bois », qui a aussi sa ligne dans ce fichier",
        )
    ]
    assert len(store) == before
    # B's row alone updates A (its key was merged into A), and makes no twin.
    alone = TWINS.splitlines()[0] + "\n" + TWINS.splitlines()[2] + "\n"
    again = import_path(store, write(tmp_path / "d", acteurs=alone))
    assert [(r.key, r.actor, r.status) for r in again.resolutions] == [("abs", "atelier-bois", "rapproché")]
    assert (again.created, again.updated) == (0, 1)
    assert "abs" not in actors(store)


def test_merge_refuses_what_cannot_be_merged(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    people = TWINS + "leila,Leïla Etxeberri,habitant,circuits-courts,64102,FR,\n"
    import_path(store, write(tmp_path / "a", reseau=RESEAU, acteurs=people))
    before = len(store)
    with pytest.raises(MergeError, match="« abs » : un acteur ne peut être fusionné avec lui-même"):
        merge_actors(store, "abs", "abs")
    with pytest.raises(MergeError, match="acteur inconnu : « fantome »"):
        merge_actors(store, "abs", "fantome")
    with pytest.raises(MergeError, match="ne sont pas du même genre"):
        merge_actors(store, "abs", "leila")
    assert len(store) == before
    merge_actors(store, "atelier-bois", "abs")
    with pytest.raises(
        MergeError, match="acteur inconnu : « abs » \\(déjà fusionné dans « atelier-bois »\\)"
    ):
        merge_actors(store, "jardins", "abs")
