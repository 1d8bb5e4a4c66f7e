"""Public-data sources: the reader registry, RDF parsed offline, GoGoCarto, EU projects, Basque ESF, NAF and
ESSGlobal — each real dataset imported with counts worked out below, refused imports leaving the store as it
was, and re-imports changing nothing.

The real files are read from ``../shared/data`` (tests/conftest.py's SHARED_DATA); CI has them beside
the clone.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS

from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.provenance import read_provenance
from maillage.ingest.report import ImportRefusedError
from maillage.ingest.sources import UnknownSourceError, reader_for, reader_for_mime, reader_named
from maillage.ingest.sources.batch import commune_for
from maillage.ingest.sources.esf_euskadi import legal_form
from maillage.ingest.sources.schemes import fields_for_naf, naf_code
from maillage.ontology.iri import concept_iri, data_iri
from maillage.ontology.vocab import MAI
from tests.conftest import SAMPLE, SHARED_DATA

GOGOCARTO = SHARED_DATA / "gogocarto-pdcn-landes" / "pdcn_elements_landes_2017.json"
EU_PROJECTS = SHARED_DATA / "eu-funds-beneficiaries" / "fr_projets_exemplaires_2007-2013.csv"
ESF = SHARED_DATA / "eu-funds-beneficiaries" / "es_fse_2007-2013_pais_vasco.json"
NAF = SHARED_DATA / "naf-rev2" / "naf_rev2_5_levels.csv"
ESSGLOBAL = SHARED_DATA / "essglobal"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return OxigraphStore(tmp_path / "oxigraph")


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def refused_unchanged(store: Store, path: Path, **options: object) -> ImportRefusedError:
    """Import `path`, expect a refusal, and check that the store is byte for byte what it was."""
    import_path(store, SAMPLE)  # something to lose
    before = dump(store)
    with pytest.raises(ImportRefusedError) as refused:
        import_path(store, path, **options)  # type: ignore[arg-type]
    assert dump(store) == before
    return refused.value


def key(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


# -- the registry ----------------------------------------------------------------------------------------


def test_readers_are_found_by_name_extension_mime_and_content() -> None:
    assert reader_for("acteurs.csv", b"identifiant;nom\n").name == "tableur-csv"
    assert reader_for("membres.XLSX", b"PK").name == "tableur-xlsx"
    assert reader_for("reseau.ttl", b"").name == "turtle"
    assert reader_for("vocab.skos", b"<rdf:RDF/>").name == "essglobal"
    assert reader_for("x.json", b'{"@context": {}, "@graph": []}').name == "json-ld"
    assert (
        reader_for("x.json", b'[{"beneficiary": "A", "operation": "B", "po_str": "C"}]').name == "fse-euskadi"
    )
    assert reader_for("x.json", b'{"ontology": "gogofull", "data": []}').name == "gogocarto"
    # an unrecognised .json falls to the first reader of the extension, whose parser will say what is wrong
    assert reader_for("x.json", b"[1, 2]").name == "json-ld"
    assert reader_for(
        "x.csv", b"fond,annee,titre,r\xc3\xa9gion,b\xc3\xa9n\xc3\xa9ficiaire,th\xc3\xa9matique(s)\n"
    ).name == ("projets-ue")
    assert reader_for("x.csv", b",NIV5,NIV4,NIV3,NIV2,NIV1,LIB_NIV5\n").name == "naf"
    assert reader_for("anything.txt", b"", source="gogocarto").name == "gogocarto"
    assert reader_for_mime("text/turtle; charset=utf-8").name == "turtle"  # type: ignore[union-attr]
    assert reader_for_mime("application/rdf+xml").name == "rdf-xml"  # type: ignore[union-attr]
    with pytest.raises(UnknownSourceError, match="format non pris en charge : « .pdf »"):
        reader_for("rapport.pdf", b"%PDF")
    with pytest.raises(UnknownSourceError, match="source inconnue : « transiscope »"):
        reader_named("transiscope")


def test_an_unknown_source_name_is_refused_and_changes_nothing(store: Store) -> None:
    refused = refused_unchanged(store, GOGOCARTO, source="transiscope")
    problem = refused.report.problems[0]
    assert (problem.column, problem.value) == ("--source", "transiscope")
    assert problem.rule.startswith("source inconnue : « transiscope » (sources connues : tableur-csv, ")


def test_source_forces_the_reader_whatever_the_extension(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "carte.txt"
    copy.write_bytes(GOGOCARTO.read_bytes())
    report = import_path(store, copy, source="gogocarto", keep_valid=True, dry_run=True)
    assert report.created == 22  # the same 22 actors as below; a dry run writes nothing
    assert store.value(data_iri("actor", "gogocarto-10ar"), RDF.type) is None


# -- RDF is parsed without the network -----------------------------------------------------------------------


def test_rdf_xml_with_an_external_entity_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reseau.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "http://example.org/secret">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    refused = refused_unchanged(store, path)
    assert refused.report.problems[0].rule.startswith("DTD ou entité XML externe refusée")


def test_owl_imports_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reseau.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/o> a owl:Ontology ; owl:imports <http://example.org/elsewhere> .\n"
    )
    refused = refused_unchanged(store, path)
    problem = refused.report.problems[0]
    assert (problem.column, problem.value) == ("owl:imports", "http://example.org/elsewhere")


def test_remote_jsonld_context_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reseau.jsonld"
    path.write_text('{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"}')
    refused = refused_unchanged(store, path)
    assert refused.report.problems[0].value == "https://example.org/context.jsonld"


# -- GoGoCarto / Près de Chez Nous ---------------------------------------------------------------------------


def test_commune_from_postcode_and_locality() -> None:
    # 40230 is shared by nine communes; the locality picks one. 40103 is Dax's CEDEX code: no commune has it.
    assert commune_for("40230", "St geours de maremne") == ("40261", "Saint-Geours-de-Maremne")
    assert commune_for("40150", "Soorts hossegor") == ("40304", "Soorts-Hossegor")
    assert commune_for("40103", "Dax") == ("40088", "Dax")
    assert commune_for("40230", "Tarnos") is None  # Tarnos is 40220: a contradiction is not guessed


def test_gogocarto_is_refused_whole_without_keep_valid(store: Store) -> None:
    # Record 10YI « Jardinage écologique » has only the options Habitat and Jardin, which match no field.
    refused = refused_unchanged(store, GOGOCARTO)
    assert [(p.file, p.column) for p in refused.report.problems] == [
        ("pdcn_elements_landes_2017.json › enregistrement 10YI", "optionValues")
    ]


def test_gogocarto_landes_import(store: Store) -> None:
    report = import_path(store, GOGOCARTO, keep_valid=True)
    # 23 records, all in Landes or Pyrénées-Atlantiques (Boucau, 64340), all validated (status 1 or 4);
    # − 1 record (10YI) whose categories match no field = 22 actors.
    assert (report.rows_read, report.created, report.updated, report.unchanged) == (
        {"enregistrements": 23},
        22,
        0,
        0,
    )
    assert report.rejected_rows == 1
    # One line per junk value: 5 test addresses in moderation histories (10Yd: user@domain.com; 10Ze:
    # email@domain.com, seby@test.fr; 10V7: test@test.fr, email@domain.com), the « blééééé » description of
    # option 10480 on 10V7, and the e-mail typed as the website of AMAP BOUCAU (10Yt).
    assert [(p.file.rsplit(" ", 1)[-1], p.column, p.value) for p in report.ignored] == [
        ("10Yd", "contributions", "user@domain.com"),
        ("10Ze", "contributions", "email@domain.com"),
        ("10Ze", "contributions", "seby@test.fr"),
        ("10V7", "contributions", "test@test.fr"),
        ("10V7", "contributions", "email@domain.com"),
        ("10V7", "optionValues", "blééééé"),
        ("10Yt", "website", "http://amapboucau@gmail.com"),
    ]
    credit = data_iri("actor", "gogocarto-zpk")
    # Crédit Coopératif, 28 cours Maréchal Joffre, 40103 Dax (CEDEX) → Dax; « coopératif » → cooperative;
    # option 10526 Banque Ethique → finance-solidaire (10525 Economie & Finance maps to nothing).
    assert store.value(credit, MAI.basedIn) == data_iri("commune", "40088")
    assert store.value(credit, MAI.actorType) == concept_iri("actor-type", "cooperative")
    assert set(store.triples(credit, MAI.field, None)) == {
        (credit, MAI.field, concept_iri("field", "finance-solidaire"))
    }
    assert store.value(credit, RDF.type) == MAI.Organisation  # a located actor, checked by the shapes
    amap = data_iri("actor", "gogocarto-10Yt")
    assert store.value(amap, FOAF.homepage) is None
    assert store.value(amap, MAI.actorType) == concept_iri(
        "actor-type", "association"
    )  # « AMAP » in the name
    everything = dump(store).decode()
    for never in ("hidden", "@test.fr", "domain.com", "presdecheznous.fr", "amapboucau"):
        assert never not in everything
    provenance = read_provenance(store, credit)
    assert provenance.source == "pdcn_elements_landes_2017.json › enregistrement zpk"
    assert provenance.licence is not None and provenance.licence.startswith("CC BY-SA")
    assert provenance.dataset is not None and "Près de Chez Nous" in provenance.dataset
    before = dump(store)
    again = import_path(store, GOGOCARTO, keep_valid=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 22)
    assert dump(store) == before  # an import that changes nothing leaves no trace, not even provenance


def test_gogocarto_types_and_fields_follow_the_crosswalk(store: Store) -> None:
    import_path(store, GOGOCARTO, keep_valid=True)
    types = Counter(key(o) for _s, _p, o in store.triples(None, MAI.actorType, None))
    # association: AMAP Vertitude, Association VERTITUDE, éco lieu (option 10479), Bihotza (10479),
    # clés2Vie (10479), AMAP BOUCAU = 6; recherche-formation: the two Montessori schools (10474) = 2;
    # cooperative: Crédit Coopératif = 1; entreprise: the other 13 (shops 10429 ×7, Ruches 10431 ×2, Benico
    # bio 10433, the two farms named « ferme », Aliecor 10457/10512) = 13. 6 + 2 + 1 + 13 = 22.
    assert types == {"association": 6, "recherche-formation": 2, "cooperative": 1, "entreprise": 13}
    fields = Counter(key(o) for _s, _p, o in store.triples(None, MAI.field, None))
    # alimentation-locale: the 7 shops (10429); circuits-courts: AMAP Vertitude, Ruche Mimizan, Benico bio,
    # ferme Coumet, éco lieu, Ferme Loustabio, Aliecor (10432), Ruche Saint-Paul, AMAP BOUCAU = 9;
    # formation: Vertitude, éco lieu, 2 Montessori, Bihotza, clés2Vie = 6; agriculture-paysanne (10433):
    # Benico bio, éco lieu, Loustabio = 3; eco-construction, eco-renovation: Aliecor; finance-solidaire:
    # Crédit Coopératif.
    assert fields == {
        "alimentation-locale": 7,
        "circuits-courts": 9,
        "formation": 6,
        "agriculture-paysanne": 3,
        "eco-construction": 1,
        "eco-renovation": 1,
        "finance-solidaire": 1,
    }


# -- EU-funded projects ---------------------------------------------------------------------------------


def test_eu_projects_of_aquitaine_poctefa_and_sudoe(store: Store) -> None:
    report = import_path(store, EU_PROJECTS, keep_valid=True)
    # 529 rows; kept: région « Aquitaine » (32) + « CTE - Interreg - POCTEFA » (4) + « … SUDOE » (8) = 44.
    # − 8 whose themes all map to nothing (lines 26, 324, 326, 327, 389, 390, 400, 424: « Développement
    # durable et environnement », « Services au public », « Santé », « TIC », « Attractivité » …)
    # = 36 projects.
    # Beneficiaries: 35 projects name one (line 370, AOC Ossau-Iraty, names none), one of them (line 127)
    # « Chantier naval CAI … en partenariat avec le CRCAA et le CDPMEM33 » = 3 → 34 + 3 = 37 participations;
    # « Comité Régional de la Conchyliculture Arcachon-Aquitaine » and « … Arcachon Aquitaine (CRCAA) » are
    # one actor → 36 actors. 36 + 36 + 37 = 109 entities.
    assert report.rows_read == {"lignes": 529, "Aquitaine, POCTEFA et SUDOE": 44}
    assert (report.created, report.rejected_rows) == (109, 8)
    projects = {s for s, _p, _o in store.triples(None, RDF.type, MAI.Project)}
    actors = {s for s, _p, _o in store.triples(None, RDF.type, MAI.Actor)}
    assert (len(projects), len(actors)) == (36, 36)
    # Cross-border: POCTEFA lines 44, 422, 423 (424 « Services au public » is left out) and SUDOE lines 325,
    # 328, 401, 402 (324, 326, 327, 400 are left out) = 7 projects with Spain among their territories.
    cross = {
        s
        for s in projects
        if store.value(s, MAI.territory) is not None
        and data_iri("country", "ES") in {o for _s, _p, o in store.triples(s, MAI.territory, None)}
    }
    interreg = {s for s in projects if "Interreg" in str(store.value(s, DCTERMS.description))}
    assert cross == interreg and len(cross) == 7
    chantier = data_iri("project", "ue-une-campagne-d-essais-de-moteur-electrique-hors-bord-0e119b")
    roles = sorted(
        (key(store.value(p, MAI.participant)), key(store.value(p, MAI.participationRole)))
        for p, _x, _y in store.triples(None, MAI.project, chantier)
    )
    assert roles == [
        ("ue-cdpmem33", "partenaire"),
        ("ue-chantier-naval-cai-de-gujan-mestras", "beneficiaire"),
        ("ue-crcaa", "partenaire"),
    ]
    # the beneficiaries carry no commune: bare mai:Actor, never mai:Organisation
    assert not any((a, RDF.type, MAI.Organisation) in set(store.triples(a, RDF.type, None)) for a in actors)
    assert read_provenance(store, chantier).dataset.startswith("Projets exemplaires")  # type: ignore[union-attr]
    again = import_path(store, EU_PROJECTS, keep_valid=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 109)


# -- Basque ESF beneficiaries ----------------------------------------------------------------------------


def test_social_economy_legal_forms() -> None:
    assert legal_form("GAZTAROA SARTU KOOP ELK")[1] == "cooperative"  # type: ignore[index]
    assert legal_form("MONDRAGÓN ASSEMBLY S.COOP.")[1] == "cooperative"  # type: ignore[index]
    assert legal_form("PASTEPAN SCOOPL")[1] == "cooperative"  # type: ignore[index]
    assert legal_form("ARIZMENDI KOOPERATIBA ELKARTEA")[1] == "cooperative"  # cooperative before association
    assert legal_form("ARIMA SOFTWARE DESIGN, S.L.L.")[1] == "entreprise"  # type: ignore[index]
    assert legal_form("SUTARGI S.A.L.")[1] == "entreprise"  # type: ignore[index]
    assert legal_form("BBK GAZTE LANBIDEAN FUNDAZIOA")[1] == "fondation"  # type: ignore[index]
    assert legal_form("ASOC. ERROAK")[1] == "association"  # type: ignore[index]
    assert legal_form("ASOCIACIÓN EHLABE- ARABA")[1] == "association"  # type: ignore[index]
    for other in (
        "FARMACIA VAZQUEZ SC",
        "2004 REDCOM BIZKAIA SL",
        "UROLA KOSTAKO UDAL ELKARTEA",
        "LANBIDE-SERVICIO VASCO DE EMPLEO",
    ):
        assert legal_form(other) is None, other


def test_esf_basque_beneficiaries(store: Store) -> None:
    report = import_path(store, ESF)
    # 1,645 lines; the legal-form rules keep 216 (cooperatives 88, associations 59, foundations 47,
    # sociedades laborales 22); they spell 209 different names, 196 once accents and punctuation are folded
    # (« FUNDACIÓN EDE » = « FUNDACION EDE »). Every operation of these lines maps to a field.
    assert report.rows_read == {"lignes": 1645, "économie sociale": 216}
    assert (report.created, report.problems, report.ignored) == (196, [], [])
    actors = [s for s, _p, _o in store.triples(None, RDF.type, MAI.Actor)]
    assert len(actors) == 196
    ede = data_iri("actor", "fse-pv-fundacion-ede")
    assert store.value(ede, MAI.actorType) == concept_iri("actor-type", "fondation")
    assert "enregistrement(s) " in str(store.value(ede, DCTERMS.source))
    # names of 35 characters or more are flagged, never completed: 35 actors carry the note
    notes = [s for s, _p, _o in store.triples(None, SKOS.editorialNote, None)]
    assert len(notes) == 35
    emaus = data_iri("actor", "fse-pv-emaus-bilbao-sociedad-cooperativa-de")  # « … COOPERATIVA DE » cut
    assert str(store.value(emaus, SKOS.prefLabel)) == "EMAUS BILBAO - SOCIEDAD COOPERATIVA DE"
    assert emaus in notes
    again = import_path(store, ESF)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 196)


# -- NAF rév. 2 and ESSGlobal --------------------------------------------------------------------------------


def test_naf_scheme_with_insee_iris(store: Store) -> None:
    report = import_path(store, NAF)
    # SOURCE.txt: 21 sections + 88 divisions + 272 groupes + 615 classes + 732 sous-classes = 1,728 concepts,
    # plus the scheme itself.
    assert (report.rows_read, report.created) == ({"sous-classes": 732}, 1729)
    sub = URIRef("http://id.insee.fr/codes/nafr2/sousClasse/88.99B")
    assert store.value(sub, SKOS.broader) == URIRef("http://id.insee.fr/codes/nafr2/classe/88.99")
    assert store.value(URIRef("http://id.insee.fr/codes/nafr2/groupe/88.9"), SKOS.broader) == URIRef(
        "http://id.insee.fr/codes/nafr2/division/88"
    )
    assert str(store.value(sub, SKOS.notation)) == "88.99B"
    assert naf_code("8899b") == "88.99B"
    # fields.ttl aligns division 78 with emploi, insertion-professionnelle and groupement-employeurs
    assert sorted(key(f) for f in fields_for_naf("78.10Z")) == [
        "emploi",
        "groupement-employeurs",
        "insertion-professionnelle",
    ]
    assert fields_for_naf("05.10Z") == ()  # coal mining: no field of the charter


def test_an_actor_carries_a_naf_code(store: Store, tmp_path: Path) -> None:
    import_path(store, NAF)
    folder = tmp_path / "reseau"
    folder.mkdir()
    for name in ("reseau.csv", "acteurs.csv"):
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    acteurs = folder / "acteurs.csv"
    lines = acteurs.read_text(encoding="utf-8").splitlines()
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    lines = [lines[0] + delimiter + "code NAF", lines[1] + delimiter + "8899B"] + [
        line + delimiter for line in lines[2:]
    ]
    acteurs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_path(store, folder)
    first = lines[1].split(delimiter)[0]
    assert store.value(data_iri("actor", first), ORG.classification) == URIRef(
        "http://id.insee.fr/codes/nafr2/sousClasse/88.99B"
    )
    lines[1] = lines[1].rsplit(delimiter, 1)[0] + delimiter + "99.99Z"
    acteurs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = refused_unchanged(store, folder)
    assert [(p.row, p.column, p.value, p.rule) for p in refused.report.problems] == [
        (2, "code_naf", "99.99Z", "code NAF rév. 2 inconnu")
    ]


def test_essglobal_schemes_load(store: Store) -> None:
    report = import_path(store, ESSGLOBAL / "legal-form.skos")
    # legal-form.skos: 5 concepts + the scheme = 6 subjects
    assert (report.rows_read, report.created) == ({"concepts": 5}, 6)
    activity = URIRef("http://purl.org/essglobal/standard/activities/a17")
    import_path(store, ESSGLOBAL / "activities.skos")
    assert store.value(activity, RDF.type) is not None  # the target of fields.ttl's closeMatch now resolves
    provenance_licence = store.value(
        URIRef("https://w3id.org/maillage/graph/source/essglobal-legal-form"), DCTERMS.license
    )
    assert provenance_licence == URIRef("http://creativecommons.org/licenses/by/3.0/")


def test_a_scheme_may_not_rewrite_maillage_concepts(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "piege.skos"
    path.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:skos="http://www.w3.org/2004/02/skos/core#">\n'
        '<skos:Concept rdf:about="https://w3id.org/maillage/concept/field/emploi">'
        "<skos:prefLabel>piège</skos:prefLabel></skos:Concept>\n</rdf:RDF>\n"
    )
    refused = refused_unchanged(store, path)
    assert refused.report.problems[0].value == "https://w3id.org/maillage/concept/field/emploi"
    assert Literal("piège") not in {o for _s, _p, o in store.triples(None, SKOS.prefLabel, None)}


def test_the_api_names_the_dataset_and_its_licence(store: Store) -> None:
    from fastapi.testclient import TestClient

    from maillage.api.app import create_app

    import_path(store, GOGOCARTO, keep_valid=True)
    provenance = TestClient(create_app(store)).get("/api/actors/gogocarto-zpk").json()["provenance"]
    assert provenance["source"] == "pdcn_elements_landes_2017.json › enregistrement zpk"
    assert "Près de Chez Nous" in provenance["dataset"] and provenance["licence"].startswith("CC BY-SA")
