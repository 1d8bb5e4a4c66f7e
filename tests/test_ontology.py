"""The ontology, its SKOS schemes and its SHACL shapes: what they declare, align to and accept.

Every expected value below is written out by hand from docs/decisions/20261128-data-model.md or from the
shared reference files (../shared/data), so a person can check it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, SKOS

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DECISION = REPO / "docs" / "decisions" / "20261128-data-model.md"

MAI = Namespace("https://w3id.org/maillage/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
CONCEPT = "https://w3id.org/maillage/concept/"
ESSGLOBAL_STANDARD = "http://purl.org/essglobal/standard/"
ESSGLOBAL_VOCAB = "http://purl.org/essglobal/vocab/"
PAIR = "http://virtual-assembly.org/ontologies/pair#"
NAF_DIVISION = "http://id.insee.fr/codes/nafr2/division/"

SCHEME_FILES = ["fields.ttl", "resources.ttl", "actor-types.ttl", "colleges.ttl", "roles.ttl"]
TTL_FILES = ["maillage.ttl", "shapes.ttl", *(f"schemes/{name}" for name in SCHEME_FILES)]

# scheme -> (path segment of its concept IRIs, the keys of the decision record, in its order)
EXPECTED_KEYS: dict[URIRef, tuple[str, list[str]]] = {
    MAI.fields: (
        "field",
        [
            "emploi",
            "insertion-professionnelle",
            "creation-activite",
            "finance-solidaire",
            "eco-construction",
            "eco-renovation",
            "habitat-participatif",
            "circuits-courts",
            "alimentation-locale",
            "agriculture-paysanne",
            "services-entreprises-salaries",
            "groupement-employeurs",
            "mobilite",
            "fonctions-transverses",
            "animation",
            "formation",
            "recherche-developpement",
            "capitalisation",
            "reemploi-economie-circulaire",
            "numerique-inclusif",
            "culture-patrimoine",
            "tourisme-solidaire",
            "transition-energetique",
        ],
    ),
    MAI.resources: (
        "resource",
        [
            "competences",
            "locaux",
            "equipements",
            "vehicules",
            "services",
            "temps-salarie",
            "financement",
            "comptabilite-gestion",
            "juridique",
            "communication-graphisme",
            "informatique-numerique",
            "accompagnement-creation",
            "ingenierie-formation",
            "traduction-basque-espagnol",
            "projets-europeens",
            "menuiserie-charpente",
            "renovation-energetique",
            "maraichage",
            "cuisine-restauration",
            "mediation-insertion",
            "bureaux",
            "salle-reunion",
            "atelier",
            "entrepot-stockage",
            "cuisine-professionnelle",
            "local-commercial",
            "terrain-agricole",
            "espace-coworking",
            "outillage-bois",
            "machines-agricoles",
            "materiel-informatique",
            "materiel-evenementiel",
            "chambre-froide",
            "reprographie",
            "vehicule-utilitaire",
            "camion-frigorifique",
            "minibus",
            "velo-cargo",
            "transport-logistique",
            "restauration-collective",
            "nettoyage-entretien",
            "service-paie",
            "collecte-reemploi",
            "hebergement",
            "garde-enfants",
            "temps-administratif",
            "temps-technique",
            "emploi-partage",
            "benevolat",
            "pret-solidaire",
            "garantie",
            "cofinancement",
            "epargne-solidaire",
        ],
    ),
    MAI.actorTypes: (
        "actor-type",
        [
            "association",
            "siae",
            "cooperative",
            "scop",
            "scic",
            "cae",
            "cooperative-agricole",
            "mutuelle",
            "fondation",
            "entreprise",
            "collectivite",
            "etablissement-public",
            "recherche-formation",
            "habitant",
        ],
    ),
    MAI.colleges: (
        "college",
        [
            "ess",
            "entreprises",
            "collectivites",
            "recherche-formation",
            "habitants",
            "partenaires-transfrontaliers",
        ],
    ),
    MAI.membershipRoles: (
        "membership-role",
        [
            "fondateur",
            "membre",
            "partenaire",
            "partenaire-transfrontalier",
        ],
    ),
    MAI.participationRoles: ("participation-role", ["porteur", "partenaire", "financeur", "beneficiaire"]),
    MAI.partnershipKinds: (
        "partnership-kind",
        [
            "contrat",
            "fournisseur",
            "financement",
            "locaux-partages",
            "informel",
        ],
    ),
    MAI.projectStatuses: ("project-status", ["en-projet", "en-cours", "termine"]),
}


def _under(broader: str, *keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, broader)


# narrower key -> broader key, from the decision record; every other concept of a scheme is a top concept.
EXPECTED_BROADER: dict[URIRef, dict[str, str]] = {
    MAI.fields: {
        **_under("eco-construction", "eco-renovation", "habitat-participatif"),
        **_under("circuits-courts", "alimentation-locale", "agriculture-paysanne"),
        **_under("services-entreprises-salaries", "groupement-employeurs", "mobilite"),
        **_under(
            "fonctions-transverses", "animation", "formation", "recherche-developpement", "capitalisation"
        ),
    },
    MAI.actorTypes: _under("cooperative", "scop", "scic", "cae", "cooperative-agricole"),
    MAI.resources: {
        **_under(
            "competences",
            "comptabilite-gestion",
            "juridique",
            "communication-graphisme",
            "informatique-numerique",
            "accompagnement-creation",
            "ingenierie-formation",
            "traduction-basque-espagnol",
            "projets-europeens",
            "menuiserie-charpente",
            "renovation-energetique",
            "maraichage",
            "cuisine-restauration",
            "mediation-insertion",
        ),
        **_under(
            "locaux",
            "bureaux",
            "salle-reunion",
            "atelier",
            "entrepot-stockage",
            "cuisine-professionnelle",
            "local-commercial",
            "terrain-agricole",
            "espace-coworking",
        ),
        **_under(
            "equipements",
            "outillage-bois",
            "machines-agricoles",
            "materiel-informatique",
            "materiel-evenementiel",
            "chambre-froide",
            "reprographie",
        ),
        **_under("vehicules", "vehicule-utilitaire", "camion-frigorifique", "minibus", "velo-cargo"),
        **_under(
            "services",
            "transport-logistique",
            "restauration-collective",
            "nettoyage-entretien",
            "service-paie",
            "collecte-reemploi",
            "hebergement",
            "garde-enfants",
        ),
        **_under("temps-salarie", "temps-administratif", "temps-technique", "emploi-partage", "benevolat"),
        **_under("financement", "pret-solidaire", "garantie", "cofinancement", "epargne-solidaire"),
    },
}

CLASSES = [
    "Actor",
    "Organisation",
    "Person",
    "Network",
    "Membership",
    "Project",
    "Participation",
    "Partnership",
    "ResourceStatement",
    "Offer",
    "Need",
    "Territory",
    "Commune",
    "EPCI",
    "Departement",
    "Municipio",
    "Provincia",
    "Region",
    "Country",
    "VisibilityLevel",
]
OBJECT_PROPERTIES = [
    "actorType",
    "field",
    "basedIn",
    "offers",
    "needs",
    "partnerOf",
    "college",
    "territory",
    "status",
    "network",
    "project",
    "participant",
    "participationRole",
    "actor",
    "resource",
    "partner",
    "partnershipKind",
    "within",
]
DATATYPE_PROPERTIES = [
    "siret",
    "siren",
    "rna",
    "nif",
    "publicConsent",
    "charterSigned",
    "quantity",
    "inseeCode",
    "ineCode",
    "sirenCode",
    "postalCode",
    "population",
    "epciType",
    "internalNote",
]
ANNOTATION_PROPERTIES = ["visibility"]
VISIBILITY_LEVELS = ["VisibilityPublic", "VisibilityNetwork", "VisibilityAnimators"]
SCHEME_NAMES = [
    "fields",
    "resources",
    "actorTypes",
    "colleges",
    "membershipRoles",
    "participationRoles",
    "partnershipKinds",
    "projectStatuses",
]
MAPPING_RELATIONS = [SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]

# The messages animators read (ontology/shapes.ttl), written out in full.
MESSAGES = {
    "no field": "Un acteur doit avoir au moins un domaine d'activité (colonne « domaines »).",
    "siret format": (
        "Le SIRET doit compter exactement 14 chiffres, sans espace ni lettre (colonne « siret »)."
    ),
    "organisation type": (
        "Le type d'une organisation doit être association, siae, cooperative, scop, scic, cae, "
        "cooperative-agricole, mutuelle, fondation, entreprise, collectivite, etablissement-public ou "
        "recherche-formation ; « habitant » est réservé aux personnes (colonne « type »)."
    ),
    "siren format": "Le SIREN doit compter exactement 9 chiffres, sans espace ni lettre.",
    "siren vs siret": (
        "Le SIREN « 732829320 » ne correspond pas aux 9 premiers chiffres du SIRET de la même organisation."
    ),
    "rna": (
        "Le numéro RNA doit être la lettre W suivie de 9 chiffres, par exemple W641000123 (colonne « rna »)."
    ),
    "nif": (
        "Le NIF espagnol doit compter 9 caractères en majuscules, sans espace ni tiret, par exemple "
        "B12345674 ou 12345678Z (colonne « nif »)."
    ),
    "latitude": (
        "La latitude d'un acteur doit être un seul nombre décimal compris entre -90 et 90 "
        "(colonne « latitude »)."
    ),
    "lat without long": (
        "Une latitude sans longitude : indiquez les deux, ou aucune (colonnes « latitude » et « longitude »)."
    ),
    "need": (
        "Chaque besoin d'un acteur doit porter sur une ressource de Maillage "
        "(feuille « besoins », colonne « ressource »)."
    ),
    "description": (
        "La description d'un acteur doit être un texte avec sa langue, une seule par langue "
        "(colonne « description »)."
    ),
    "email": (
        "Le courriel d'un acteur doit être une seule adresse de la forme nom@domaine.fr, sans espace "
        "(colonne « courriel »)."
    ),
    "telephone": (
        "Le téléphone d'un acteur doit être un seul numéro au format international, par exemple "
        "+33559123456 (colonne « telephone »)."
    ),
    "internal note": (
        "La note interne d'un acteur doit être un seul texte simple, non vide (colonne « note_interne »)."
    ),
    "inhabitant identifier": (
        "Un habitant ne peut pas avoir de SIRET, SIREN, RNA ni NIF : ces numéros désignent des "
        "organisations (colonne « type »)."
    ),
    "person type": "Une personne doit avoir le type « habitant » (colonne « type »).",
    "membership start": (
        "Une adhésion doit avoir exactement une date de début, AAAA-MM-JJ ou JJ/MM/AAAA "
        "(feuille « adhesions », colonne « date_debut »)."
    ),
    "membership role": (
        "Le rôle d'un membre doit être fondateur, membre, partenaire ou partenaire-transfrontalier "
        "(feuille « adhesions », colonne « role »)."
    ),
    "membership dates": (
        "La date de fin d'une adhésion ne peut pas précéder sa date de début (feuille « adhesions »)."
    ),
    "partner of": (
        "Lien de partenariat incomplet : le lien « partenaire de » doit exister dans les deux sens entre les "
        "deux acteurs (feuille « partenariats »)."
    ),
    "based in": (
        "La commune d'un acteur doit être une commune française (code INSEE) ou un municipio espagnol "
        "(code INE) connus de Maillage (colonnes « commune » et « pays »)."
    ),
    "insee code": (
        "Une commune doit avoir exactement un code INSEE de 5 caractères, par exemple 64102 ou 2A004."
    ),
    "departement": "Une commune doit être située dans son département.",
    "french label": "Chaque concept doit avoir un libellé préféré en français.",
    "broader": "Un concept et son concept plus large doivent appartenir au même schéma.",
}


# ------------------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def parsed(name: str) -> Graph:
    return Graph().parse(ONTOLOGY / name, format="turtle")


def ontology() -> Graph:
    return parsed("maillage.ttl")


@lru_cache(maxsize=1)
def ontology_and_schemes() -> Graph:
    graph = Graph()
    for name in TTL_FILES:
        if name != "shapes.ttl":
            graph += parsed(name)
    return graph


def concepts_of(scheme: URIRef) -> dict[str, URIRef]:
    """key (skos:notation) -> concept IRI, for the concepts of one scheme."""
    graph = ontology_and_schemes()
    return {
        str(graph.value(concept, SKOS.notation)): concept  # type: ignore[misc]
        for concept in graph.subjects(SKOS.inScheme, scheme)
    }


@lru_cache(maxsize=1)
def essglobal_skos() -> Graph:
    """Every ESSGlobal SKOS file (RDF/XML, IRIs resolved against each file's xml:base)."""
    graph = Graph()
    for path in sorted((SHARED_DATA / "essglobal").glob("*.skos")):
        graph.parse(path, format="xml")
    return graph


@lru_cache(maxsize=1)
def naf_divisions() -> dict[str, str]:
    """NAF rév. 2 division code -> its French label, from the INSEE 5-level table."""
    with open(SHARED_DATA / "naf-rev2" / "naf_rev2_5_levels.csv", encoding="utf-8") as handle:
        return {row["NIV2"]: row["LIB_NIV2"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=None)
def reference(path: str) -> Graph:
    return Graph().parse(SHARED_DATA / path, format="turtle")


def mai_subjects(graph: Graph) -> set[str]:
    return {str(s)[len(str(MAI)) :] for s in graph.subjects() if str(s).startswith(str(MAI))}


def normalise(text: str) -> str:
    """The importer's matching rule (ingest/concepts.py): lower case, no accents, punctuation collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


# ------------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TTL_FILES)
def test_every_file_parses_as_turtle(name: str) -> None:
    assert len(parsed(name)) > 50


def test_shared_reference_data_is_there() -> None:
    assert (SHARED_DATA / "essglobal" / "activities.skos").is_file(), f"no shared data in {SHARED_DATA}"


# ------------------------------------------------------------------------------------------------------
# The OWL ontology
# ------------------------------------------------------------------------------------------------------


def test_ontology_header() -> None:
    graph = ontology()
    iri = URIRef("https://w3id.org/maillage/ontology")
    assert (iri, RDF.type, OWL.Ontology) in graph
    assert graph.value(iri, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(iri, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert {title.language for title in graph.objects(iri, DCTERMS.title)} == {"fr", "en"}
    assert graph.value(iri, DCTERMS.description) is not None


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (CLASSES, OWL.Class),
        (OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (SCHEME_NAMES, SKOS.ConceptScheme),
        (ANNOTATION_PROPERTIES, OWL.AnnotationProperty),
        (VISIBILITY_LEVELS, MAI.VisibilityLevel),
    ],
)
def test_every_term_of_the_decision_record_is_declared(names: list[str], kind: URIRef) -> None:
    graph = ontology()
    for name in names:
        term = MAI[name]
        assert (term, RDF.type, kind) in graph, f"mai:{name} is not a {kind}"
        if kind != SKOS.ConceptScheme:
            assert {"fr", "en"} <= {label.language for label in graph.objects(term, RDFS.label)}, name
            assert any(comment.language == "fr" for comment in graph.objects(term, RDFS.comment)), name


def test_the_decision_record_names_no_undeclared_term() -> None:
    named = set(re.findall(r"`mai:([A-Za-z]+)`", DECISION.read_text(encoding="utf-8")))
    assert len(named) == 64
    assert named - mai_subjects(ontology()) == set()


def test_the_ontology_declares_exactly_the_terms_of_the_decision_record() -> None:
    assert mai_subjects(ontology()) == set(
        CLASSES
        + OBJECT_PROPERTIES
        + DATATYPE_PROPERTIES
        + SCHEME_NAMES
        + ANNOTATION_PROPERTIES
        + VISIBILITY_LEVELS
    )


def test_the_levels_of_the_properties() -> None:
    """Each property with a level above public, as the decision record lists them
    (docs/decisions/20261129-visibility-levels.md); every other property is public."""
    levels = {(str(p), str(o)[len(str(MAI)) :]) for p, o in ontology().subject_objects(MAI.visibility)}
    assert levels == {
        (str(SCHEMA.email), "VisibilityNetwork"),
        (str(SCHEMA.telephone), "VisibilityNetwork"),
        (str(FOAF.mbox), "VisibilityNetwork"),
        (str(FOAF.phone), "VisibilityNetwork"),
        (str(SKOS.note), "VisibilityAnimators"),
        (str(MAI.internalNote), "VisibilityAnimators"),
    }
    assert (MAI.internalNote, RDFS.subPropertyOf, SKOS.editorialNote) in ontology()


TERRITORY_CLASSES = ["Commune", "EPCI", "Departement", "Municipio", "Provincia", "Region", "Country"]


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (MAI.Actor, FOAF.Agent),
        (MAI.Organisation, MAI.Actor),
        (MAI.Organisation, ORG.Organization),
        (MAI.Person, MAI.Actor),
        (MAI.Person, FOAF.Person),
        (MAI.Network, ORG.Organization),
        (MAI.Membership, ORG.Membership),
        (MAI.Project, PROV.Activity),
        (MAI.Project, SCHEMA.Project),
        (MAI.Offer, MAI.ResourceStatement),
        (MAI.Need, MAI.ResourceStatement),
        *((MAI[name], MAI.Territory) for name in TERRITORY_CLASSES),
        # PAIR, where every Maillage instance is a PAIR instance
        (MAI.Actor, URIRef(PAIR + "Actor")),
        (MAI.Organisation, URIRef(PAIR + "Organization")),
        (MAI.Person, URIRef(PAIR + "Person")),
        (MAI.Project, URIRef(PAIR + "Project")),
    ],
)
def test_class_hierarchy(sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ontology()


def test_no_equivalent_class_is_claimed() -> None:
    assert list(ontology().triples((None, OWL.equivalentClass, None))) == []


def test_partner_of_is_symmetric_between_actors() -> None:
    graph = ontology()
    assert (MAI.partnerOf, RDF.type, OWL.SymmetricProperty) in graph
    assert graph.value(MAI.partnerOf, RDFS.domain) == MAI.Actor
    assert graph.value(MAI.partnerOf, RDFS.range) == MAI.Actor


@pytest.mark.parametrize("name", ["siret", "siren", "rna", "nif", "inseeCode", "ineCode", "sirenCode"])
def test_identifiers_are_dct_identifiers(name: str) -> None:
    assert (MAI[name], RDFS.subPropertyOf, DCTERMS.identifier) in ontology()


@pytest.mark.parametrize(
    ("name", "datatype"),
    [
        ("publicConsent", "boolean"),
        ("charterSigned", "date"),
        ("population", "integer"),
        ("siret", "string"),
    ],
)
def test_datatype_ranges(name: str, datatype: str) -> None:
    assert ontology().value(MAI[name], RDFS.range) == URIRef(f"http://www.w3.org/2001/XMLSchema#{datatype}")


def test_alignments_of_the_ontology_name_real_essglobal_and_pair_terms() -> None:
    essglobal = reference("essglobal/essglobal-vocab.ttl")
    pair = reference("pair/pair.ttl")
    used = {o for o in ontology().objects() if isinstance(o, URIRef)}
    essglobal_terms = {t for t in used if str(t).startswith(ESSGLOBAL_VOCAB) and str(t) != ESSGLOBAL_VOCAB}
    pair_terms = {t for t in used if str(t).startswith(PAIR)}
    assert (MAI.Organisation, SKOS.relatedMatch, URIRef(ESSGLOBAL_VOCAB + "SSEInitiative")) in ontology()
    assert (MAI.Network, SKOS.closeMatch, URIRef(ESSGLOBAL_VOCAB + "Network")) in ontology()
    assert {str(t)[len(ESSGLOBAL_VOCAB) :] for t in essglobal_terms} == {
        "SSEInitiative",
        "Network",
        "economicSector",
        "legalForm",
        "organisationalStructure",
    }
    assert {str(t)[len(PAIR) :] for t in pair_terms} == {
        "Actor",
        "Organization",
        "Person",
        "Ecosystem",
        "MembershipAssociation",
        "Project",
        "ProjectInvolvementAssociation",
        "hasActivityField",
        "offers",
        "needs",
        "partnerOf",
        "hasStatus",
        "involvementActor",
        "involvementRole",
    }
    for term in essglobal_terms:
        assert (term, None, None) in essglobal, f"{term} is not in essglobal-vocab.ttl"
    for term in pair_terms:
        assert (term, None, None) in pair, f"{term} is not in pair.ttl"


def test_reused_terms_exist_in_their_vocabularies() -> None:
    checks = {
        "https://schema.org/": reference("schemaorg/schemaorg-current-https.ttl"),
        "http://www.w3.org/ns/org#": reference("w3c-org/org.ttl"),
        "http://www.w3.org/ns/prov#": reference("w3c-org/prov.ttl"),
    }
    used = {o for o in ontology().objects() if isinstance(o, URIRef)}
    for namespace, graph in checks.items():
        for term in (t for t in used if str(t).startswith(namespace)):
            assert (term, None, None) in graph, f"{term} does not exist"
    for term in (t for t in used if str(t).startswith(str(FOAF))):
        FOAF[str(term)[len(str(FOAF)) :]]  # a closed namespace: raises on an unknown term
    assert {t for t in used if str(t).startswith(str(GEO))} == {GEO.SpatialThing}


# ------------------------------------------------------------------------------------------------------
# The SKOS schemes
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", list(EXPECTED_KEYS))
def test_each_scheme_has_exactly_the_keys_of_the_decision_record(scheme: URIRef) -> None:
    segment, keys = EXPECTED_KEYS[scheme]
    found = concepts_of(scheme)
    assert sorted(found) == sorted(keys)
    for key, concept in found.items():
        assert concept == URIRef(f"{CONCEPT}{segment}/{key}")
        assert (concept, RDF.type, SKOS.Concept) in ontology_and_schemes()


def test_concept_counts() -> None:
    counts = {str(scheme)[len(str(MAI)) :]: len(concepts_of(scheme)) for scheme in EXPECTED_KEYS}
    assert counts == {
        "fields": 23,
        "resources": 53,
        "actorTypes": 14,
        "colleges": 6,
        "membershipRoles": 4,
        "participationRoles": 4,
        "partnershipKinds": 5,
        "projectStatuses": 3,
    }


@pytest.mark.parametrize("scheme", list(EXPECTED_KEYS))
def test_every_concept_has_one_label_in_fr_en_es_and_eu(scheme: URIRef) -> None:
    graph = ontology_and_schemes()
    for key, concept in concepts_of(scheme).items():
        languages = sorted(label.language for label in graph.objects(concept, SKOS.prefLabel))
        assert languages == ["en", "es", "eu", "fr"], f"{key}: prefLabels in {languages}"


@pytest.mark.parametrize("scheme", list(EXPECTED_KEYS))
def test_hierarchy_and_top_concepts(scheme: URIRef) -> None:
    graph = ontology_and_schemes()
    expected = EXPECTED_BROADER.get(scheme, {})
    for key, concept in concepts_of(scheme).items():
        broader = [str(b).rsplit("/", 1)[-1] for b in graph.objects(concept, SKOS.broader)]
        is_top = (concept, SKOS.topConceptOf, scheme) in graph
        listed_as_top = (scheme, SKOS.hasTopConcept, concept) in graph
        if key in expected:
            assert (broader, is_top, listed_as_top) == ([expected[key]], False, False), key
        else:
            assert (broader, is_top, listed_as_top) == ([], True, True), key


def test_resources_have_seven_tops_and_every_other_resource_sits_under_one() -> None:
    graph = ontology_and_schemes()
    concepts = concepts_of(MAI.resources)
    tops = {key for key, c in concepts.items() if (c, SKOS.topConceptOf, MAI.resources) in graph}
    assert len(concepts) >= 40
    assert tops == {
        "competences",
        "locaux",
        "equipements",
        "vehicules",
        "services",
        "temps-salarie",
        "financement",
    }
    for key, concept in concepts.items():
        if key not in tops:
            (broader,) = graph.objects(concept, SKOS.broader)
            assert (broader, SKOS.inScheme, MAI.resources) in graph
            assert (broader, SKOS.topConceptOf, MAI.resources) in graph


def test_definitions_in_french() -> None:
    graph = ontology_and_schemes()
    needing = [*concepts_of(MAI.fields).values(), *graph.objects(MAI.resources, SKOS.hasTopConcept)]
    assert len(needing) == 23 + 7
    for concept in needing:
        assert any(d.language == "fr" for d in graph.objects(concept, SKOS.definition)), concept


@pytest.mark.parametrize("scheme", list(EXPECTED_KEYS))
def test_no_label_names_two_concepts_of_a_scheme(scheme: URIRef) -> None:
    """The importer accepts a key or any label, accents and case ignored: each must be unambiguous."""
    graph = ontology_and_schemes()
    owners: dict[str, set[str]] = defaultdict(set)
    for key, concept in concepts_of(scheme).items():
        owners[normalise(key)].add(key)
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, predicate):
                owners[normalise(str(label))].add(key)
    assert {text: keys for text, keys in owners.items() if len(keys) > 1} == {}


@pytest.mark.parametrize(
    ("scheme", "typed", "key"),
    [
        (MAI.fields, "éco-habitat", "eco-construction"),
        (MAI.fields, "Insertion par l'activité économique", "insertion-professionnelle"),
        (MAI.fields, "Eraikuntza ekologikoa", "eco-construction"),
        (MAI.fields, "Circuitos cortos", "circuits-courts"),
        (MAI.resources, "local", "locaux"),
        (MAI.resources, "Camionnette", "vehicule-utilitaire"),
        (MAI.resources, "fourgon", "vehicule-utilitaire"),
        (MAI.actorTypes, "CAE", "cae"),
        (MAI.actorTypes, "coopérative d'activité et d'emploi", "cae"),
        (MAI.actorTypes, "IAE", "siae"),
        (MAI.actorTypes, "SCOP", "scop"),
        (MAI.projectStatuses, "Terminé", "termine"),
    ],
)
def test_what_animators_type_finds_the_concept(scheme: URIRef, typed: str, key: str) -> None:
    graph = ontology_and_schemes()
    concept = concepts_of(scheme)[key]
    labels = {
        normalise(str(label))
        for predicate in (SKOS.prefLabel, SKOS.altLabel)
        for label in graph.objects(concept, predicate)
    }
    assert normalise(typed) in labels


# ------------------------------------------------------------------------------------------------------
# Alignments of the concepts (ESSGlobal, NAF rév. 2)
# ------------------------------------------------------------------------------------------------------


def concept_alignments() -> list[tuple[URIRef, URIRef]]:
    graph = ontology_and_schemes()
    return [
        (s, o)
        for p in MAPPING_RELATIONS
        for s, o in graph.subject_objects(p)  # type: ignore[misc]
        if str(s).startswith(CONCEPT)
    ]


def test_every_concept_alignment_targets_a_real_essglobal_concept_or_naf_division() -> None:
    essglobal_concepts = set(essglobal_skos().subjects(RDF.type, SKOS.Concept))
    alignments = concept_alignments()
    assert len(alignments) > 60
    for concept, target in alignments:
        if str(target).startswith(ESSGLOBAL_STANDARD):
            assert target in essglobal_concepts, f"{concept} -> {target}: not an ESSGlobal concept"
        elif str(target).startswith(NAF_DIVISION):
            assert str(target)[len(NAF_DIVISION) :] in naf_divisions(), f"{concept} -> {target}"
        else:
            pytest.fail(f"{concept} -> {target}: unknown target vocabulary")


def test_naf_alignments_are_only_on_fields() -> None:
    for concept, target in concept_alignments():
        if str(target).startswith(NAF_DIVISION):
            assert str(concept).startswith(CONCEPT + "field/")


@pytest.mark.parametrize(
    ("key", "naf", "label"),
    [
        ("eco-construction", "41", "Construction de bâtiments"),
        ("eco-construction", "43", "Travaux de construction spécialisés"),
        ("circuits-courts", "01", "Culture et production animale, chasse et services annexes"),
        (
            "finance-solidaire",
            "64",
            "Activités des services financiers, hors assurance et caisses de retraite",
        ),
        ("insertion-professionnelle", "88", "Action sociale sans hébergement"),
        ("formation", "85", "Enseignement"),
        ("recherche-developpement", "72", "Recherche-développement scientifique"),
        (
            "services-entreprises-salaries",
            "82",
            "Activités administratives et autres activités de soutien aux entreprises",
        ),
        ("groupement-employeurs", "78", "Activités liées à l'emploi"),
    ],
)
def test_naf_alignment_examples(key: str, naf: str, label: str) -> None:
    concept = concepts_of(MAI.fields)[key]
    assert (concept, SKOS.closeMatch, URIRef(NAF_DIVISION + naf)) in ontology_and_schemes()
    assert naf_divisions()[naf] == label


@pytest.mark.parametrize(
    ("scheme", "key", "target", "english_label"),
    [
        (MAI.fields, "finance-solidaire", "themes/T3", "Social and solidarity finances"),
        (
            MAI.fields,
            "agriculture-paysanne",
            "themes/T2",
            "Food souvereignty and peasant's farming agriculture",
        ),
        (MAI.fields, "eco-construction", "activities/a06", "Construction, public works and refurbishing"),
        (
            MAI.fields,
            "reemploi-economie-circulaire",
            "activities-modified/AM120",
            "Reduce, Reuse, Repair & Recycle",
        ),
        (MAI.fields, "formation", "activities/a16", "Education and training"),
        (MAI.actorTypes, "cooperative", "legal-form/L2", "Cooperative"),
        (MAI.actorTypes, "scop", "organisational-structure/OS60", "Workers co-operative"),
        (MAI.actorTypes, "scic", "organisational-structure/OS100", "Multi-stakeholder co-operative"),
        (MAI.actorTypes, "mutuelle", "organisational-structure/OS170", "Mutual"),
    ],
)
def test_essglobal_alignment_examples(scheme: URIRef, key: str, target: str, english_label: str) -> None:
    concept = concepts_of(scheme)[key]
    iri = URIRef(ESSGLOBAL_STANDARD + target)
    assert (concept, SKOS.closeMatch, iri) in ontology_and_schemes()
    labels = {
        str(label).strip()
        for label in essglobal_skos().objects(iri, SKOS.prefLabel)
        if (label.language or "").lower() == "en"
    }
    assert english_label in labels


def test_an_siae_is_narrower_than_an_essglobal_social_enterprise() -> None:
    concept = concepts_of(MAI.actorTypes)["siae"]
    graph = ontology_and_schemes()
    assert (concept, SKOS.broadMatch, URIRef(ESSGLOBAL_STANDARD + "organisational-structure/OS30")) in graph
    assert (concept, SKOS.closeMatch, None) not in graph


# ------------------------------------------------------------------------------------------------------
# The SHACL shapes
# ------------------------------------------------------------------------------------------------------


def test_every_constraint_of_the_shapes_speaks_french() -> None:
    shapes = parsed("shapes.ttl")
    property_shapes = set(shapes.objects(None, SH.property))
    sparql_constraints = set(shapes.objects(None, SH.sparql))
    assert len(property_shapes) > 80
    for shape in property_shapes | sparql_constraints:
        messages = [m for m in shapes.objects(shape, SH.message) if m.language == "fr"]
        assert len(messages) == 1, f"{shape} on {shapes.value(shape, SH.path)}: no French message"


def test_no_nested_shape_on_data_nodes() -> None:
    """pyshacl's focus_nodes option skips nested shapes for values outside the focus list (shapes.ttl)."""
    shapes = parsed("shapes.ttl")
    for nested in (SH.node, SH["not"], SH["or"], SH["and"], SH.xone):
        assert list(shapes.subject_objects(nested)) == [], nested
    qualified = list(shapes.subjects(SH.qualifiedValueShape, None))
    assert [shapes.value(shape, SH.path) for shape in qualified] == [SKOS.prefLabel]


PREFIXES = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix network: <https://w3id.org/maillage/id/network/> .
@prefix membership: <https://w3id.org/maillage/id/membership/> .
@prefix partnership: <https://w3id.org/maillage/id/partnership/> .
@prefix commune: <https://w3id.org/maillage/id/commune/> .
@prefix departement: <https://w3id.org/maillage/id/departement/> .
@prefix region: <https://w3id.org/maillage/id/region/> .
@prefix country: <https://w3id.org/maillage/id/country/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
@prefix actor-type: <https://w3id.org/maillage/concept/actor-type/> .
@prefix college: <https://w3id.org/maillage/concept/college/> .
@prefix membership-role: <https://w3id.org/maillage/concept/membership-role/> .
@prefix partnership-kind: <https://w3id.org/maillage/concept/partnership-kind/> .
"""

# Tarnos (INSEE 40312, Landes) with its real centroid and population (../shared/data/geo-64-40), and the
# chain commune → département → région → pays that the territory shapes require.
TERRITORIES = """
commune:40312 a mai:Commune , mai:Territory ;
    skos:prefLabel "Tarnos" ; mai:inseeCode "40312" ; mai:postalCode "40220" ; mai:population 12957 ;
    geo:lat 43.53697 ; geo:long -1.46578 ; mai:within departement:40 .
departement:40 a mai:Departement , mai:Territory ;
    skos:prefLabel "Landes" ; mai:inseeCode "40" ; mai:within region:fr-75 .
region:fr-75 a mai:Region , mai:Territory ;
    skos:prefLabel "Nouvelle-Aquitaine"@fr , "Akitania Berria"@eu ; mai:within country:FR .
country:FR a mai:Country , mai:Territory ; skos:prefLabel "France"@fr , "Frantzia"@eu .
"""

# SIRET 73282932000009, worked out by hand: its digits at odd positions, doubled (7→14→5, 2→4, 2→4, 3→6,
# 0, 0, 0), sum to 19 and the others (3, 8, 9, 2, 0, 0, 9) to 31: 50 ≡ 0 (mod 10). Its SIREN 732829320:
# doubled even positions (3→6, 8→16→7, 9→18→9, 2→4) = 26, others (7, 2, 2, 3, 0) = 14: 40 ≡ 0 (mod 10).
VALID = (
    PREFIXES
    + TERRITORIES
    + """
network:ptce-sud-aquitain a mai:Network ;
    skos:prefLabel "PTCE Sud Aquitain" ;
    dct:description "Pôle territorial de coopération économique du Sud Aquitain."@fr ;
    mai:basedIn commune:40312 .
actor:atelier-bois a mai:Organisation ;
    skos:prefLabel "Atelier bois du Seignanx" ;
    mai:actorType actor-type:scic ;
    mai:field field:eco-construction , field:insertion-professionnelle ;
    mai:basedIn commune:40312 ;
    geo:lat 43.54000 ; geo:long -1.46000 ;
    mai:siret "73282932000009" ;
    mai:offers resource:outillage-bois ;
    dct:description "Menuiserie d'insertion."@fr ;
    foaf:homepage <https://atelier-bois.example.org/> ;
    dct:source "acteurs.csv › ligne 2" .
membership:atelier-bois a mai:Membership ;
    org:member actor:atelier-bois ;
    org:organization network:ptce-sud-aquitain ;
    org:role membership-role:fondateur ;
    mai:college college:ess ;
    mai:charterSigned "2015-06-01"^^xsd:date ;
    schema:startDate "2015-06-01"^^xsd:date .
"""
)


def shacl(data_turtle: str) -> tuple[bool, set[tuple[str, str]]]:
    """Validate data merged with the ontology and schemes: (conforms, {(focus node key, message)})."""
    data = Graph().parse(data=data_turtle, format="turtle")
    data += ontology_and_schemes()
    return shacl_graph(data)


def shacl_graph(data: Graph) -> tuple[bool, set[tuple[str, str]]]:
    conforms, report, _text = validate(data, shacl_graph=parsed("shapes.ttl"), inference="none")
    results = set()
    # Top-level results only: pyshacl also types the nested sh:detail results (under sh:node) as results.
    for result in report.objects(None, SH.result):
        focus = str(report.value(result, SH.focusNode)).rsplit("/", 1)[-1]
        for message in report.objects(result, SH.resultMessage):
            results.add((focus, str(message)))
    return bool(conforms), results


def test_a_tiny_valid_network_conforms() -> None:
    assert shacl(VALID) == (True, set())


def test_the_ontology_and_schemes_alone_conform() -> None:
    """The concept shapes run on the schemes themselves."""
    assert shacl(PREFIXES) == (True, set())


BROKEN_ACTOR = (
    PREFIXES
    + TERRITORIES
    + """
actor:sans-domaine a mai:Organisation ;
    skos:prefLabel "Acteur mal saisi" ;
    mai:actorType <https://w3id.org/maillage/concept/actor-type/ovni> ;
    mai:basedIn commune:40312 ;
    mai:siret "7328293200000" .
"""
)


def test_a_broken_actor_is_refused_with_messages_in_french() -> None:
    assert shacl(BROKEN_ACTOR) == (
        False,
        {
            ("sans-domaine", MESSAGES["no field"]),
            ("sans-domaine", MESSAGES["siret format"]),
            ("sans-domaine", MESSAGES["organisation type"]),
        },
    )


def actor_with(extra: str, *, actor_type: str = "association", klass: str = "mai:Organisation") -> str:
    return (
        PREFIXES
        + TERRITORIES
        + f"""
actor:test a {klass} ;
    skos:prefLabel "Acteur de test" ;
    mai:actorType actor-type:{actor_type} ;
    mai:field field:emploi ;
    mai:basedIn commune:40312 ;
    {extra} .
"""
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('mai:siret "7328 2932 0000 09"', MESSAGES["siret format"]),
        ('mai:siren "73282932"', MESSAGES["siren format"]),
        ('mai:siren "732829320" ; mai:siret "55208131766522"', MESSAGES["siren vs siret"]),
        ('mai:rna "W64100012"', MESSAGES["rna"]),
        ('mai:nif "b12345674"', MESSAGES["nif"]),
        ('mai:nif "B-1234567-4"', MESSAGES["nif"]),
        ("geo:lat 91.0 ; geo:long -1.4", MESSAGES["latitude"]),
        ("geo:lat 43.5", MESSAGES["lat without long"]),
        ("mai:needs field:emploi", MESSAGES["need"]),
        ('dct:description "sans langue"', MESSAGES["description"]),
        ('schema:email "contact@atelier"', MESSAGES["email"]),
        ('schema:email "contact @atelier.fr"', MESSAGES["email"]),
        ('schema:email "a@atelier.fr", "b@atelier.fr"', MESSAGES["email"]),
        ('schema:telephone "05 59 12 34 56"', MESSAGES["telephone"]),
        ('schema:telephone "+0559123456"', MESSAGES["telephone"]),
        ('mai:internalNote ""', MESSAGES["internal note"]),
    ],
)
def test_each_broken_value_gets_its_message(extra: str, message: str) -> None:
    assert shacl(actor_with(extra)) == (False, {("test", message)})


def test_contact_details_as_the_importer_writes_them_pass() -> None:
    extra = (
        'schema:email "Contact@atelier-velo.fr" ; schema:telephone "+34943123456" ; '
        'mai:internalNote "Relancer en mars"'
    )
    assert shacl(actor_with(extra)) == (True, set())


@pytest.mark.parametrize("nif", ["12345678Z", "X1234567L", "B12345674", "F20000006", "F2000000F"])
def test_well_formed_spanish_nifs_pass(nif: str) -> None:
    # Control characters are the importer's job (ingest/validate_ids.py), not SHACL's: see shapes.ttl.
    assert shacl(actor_with(f'mai:nif "{nif}"')) == (True, set())


def test_a_person_is_an_inhabitant_without_business_identifiers() -> None:
    person = {"actor_type": "habitant", "klass": "mai:Person"}
    assert shacl(actor_with("mai:publicConsent true", **person)) == (True, set())
    assert shacl(actor_with('mai:siret "73282932000009"', **person)) == (
        False,
        {("test", MESSAGES["inhabitant identifier"])},
    )
    assert shacl(actor_with("mai:publicConsent true", actor_type="entreprise", klass="mai:Person")) == (
        False,
        {("test", MESSAGES["person type"])},
    )
    assert shacl(actor_with("mai:field field:mobilite", actor_type="habitant")) == (
        False,
        {("test", MESSAGES["organisation type"])},
    )


def test_the_types_of_organisations_are_the_actor_types_but_habitant() -> None:
    shapes = parsed("shapes.ttl")
    organisation = URIRef("https://w3id.org/maillage/shapes#OrganisationShape")
    (allowed,) = [shapes.value(p, SH["in"]) for p in shapes.objects(organisation, SH.property)]
    listed = {str(iri).rsplit("/", 1)[-1] for iri in Collection(shapes, allowed)}
    assert listed == set(EXPECTED_KEYS[MAI.actorTypes][1]) - {"habitant"}


def test_a_membership_needs_its_start_date_and_a_known_role() -> None:
    start = 'schema:startDate "2015-06-01"^^xsd:date .'
    broken = VALID.replace(start, 'schema:endDate "2016-01-01"^^xsd:date .')
    broken = broken.replace("membership-role:fondateur", "college:ess")
    assert shacl(broken) == (
        False,
        {
            ("atelier-bois", MESSAGES["membership start"]),
            ("atelier-bois", MESSAGES["membership role"]),
        },
    )


def test_membership_dates_must_be_in_order() -> None:
    start = 'schema:startDate "2015-06-01"^^xsd:date'
    broken = VALID.replace(f"{start} .", f'{start} ; schema:endDate "2014-01-01"^^xsd:date .')
    assert shacl(broken) == (False, {("atelier-bois", MESSAGES["membership dates"])})


PARTNERS = """
actor:b a mai:Organisation ;
    skos:prefLabel "B" ; mai:actorType actor-type:entreprise ; mai:field field:mobilite ;
    mai:basedIn commune:40312 .
partnership:atelier-bois--b a mai:Partnership ;
    mai:partner actor:atelier-bois , actor:b ; mai:partnershipKind partnership-kind:locaux-partages ;
    schema:startDate "2020-01-01"^^xsd:date .
"""


def test_a_partnership_and_its_direct_links_agree() -> None:
    both_ways = "actor:atelier-bois mai:partnerOf actor:b . actor:b mai:partnerOf actor:atelier-bois ."
    assert shacl(VALID + PARTNERS + both_ways) == (True, set())
    one_way = "actor:atelier-bois mai:partnerOf actor:b ."
    assert shacl(VALID + PARTNERS + one_way) == (
        False,
        {
            ("atelier-bois", MESSAGES["partner of"]),
            ("b", MESSAGES["partner of"]),
        },
    )


def test_an_actor_must_be_based_in_a_known_commune() -> None:
    broken = VALID.replace(
        "mai:basedIn commune:40312 ;\n    geo:lat 43.54000",
        "mai:basedIn commune:99999 ;\n    geo:lat 43.54000",
    )
    assert shacl(broken) == (False, {("atelier-bois", MESSAGES["based in"])})


def test_broken_territories_are_refused() -> None:
    broken = PREFIXES + TERRITORIES.replace('mai:inseeCode "40312"', 'mai:inseeCode "4031"').replace(
        "geo:long -1.46578 ; mai:within departement:40 .", "geo:long -1.46578 ."
    )
    assert shacl(broken) == (False, {("40312", MESSAGES["insee code"]), ("40312", MESSAGES["departement"])})


def test_broken_concepts_are_refused() -> None:
    """Animators may edit the schemes: a concept without French label, or hung under another scheme."""
    field = Namespace(CONCEPT + "field/")
    data = Graph()
    data += ontology_and_schemes()
    data.remove((field.emploi, SKOS.prefLabel, Literal("Emploi", lang="fr")))
    data.remove((field.mobilite, SKOS.broader, None))
    data.add((field.mobilite, SKOS.broader, URIRef(CONCEPT + "resource/vehicules")))
    assert shacl_graph(data) == (
        False,
        {
            ("emploi", MESSAGES["french label"]),
            ("mobilite", MESSAGES["broader"]),
        },
    )


@pytest.mark.parametrize("data", [VALID, BROKEN_ACTOR, actor_with("mai:needs field:emploi")])
def test_validating_only_the_imported_nodes_gives_the_same_answer(data: str) -> None:
    graph = Graph().parse(data=data, format="turtle")
    actors = sorted(graph.subjects(RDF.type, MAI.Organisation))
    graph += ontology_and_schemes()
    everything = shacl_graph(graph)
    conforms, report, _text = validate(
        graph, shacl_graph=parsed("shapes.ttl"), inference="none", focus_nodes=actors
    )
    focused = {
        (str(report.value(r, SH.focusNode)).rsplit("/", 1)[-1], str(report.value(r, SH.resultMessage)))
        for r in report.objects(None, SH.result)
    }
    assert (bool(conforms), focused) == everything
