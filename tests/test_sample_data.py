"""Checks of the fictional sample network ``ingest/data/sample/ptce-sud-aquitain``.

Standard library only (csv): the importer is written elsewhere, so this test does not import the project.
The concept keys below are those of docs/decisions/20261128-data-model.md.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "ingest" / "data" / "sample" / "ptce-sud-aquitain"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FR_COMMUNES = SHARED / "geo-64-40" / "communes_64_40.csv"
ES_MUNICIPIOS = SHARED / "geo-euskadi-navarra" / "ine_municipios_euskadi_navarra.csv"

# Date at which the sample describes the network ("état au"): project statuses are checked against it.
REFERENCE_DATE = date(2026, 11, 28)

# ---------------------------------------------------------------- concept keys (data-model record)
FIELDS = {
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
}
RESOURCE_TREE = {
    "competences": {
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
    },
    "locaux": {
        "bureaux",
        "salle-reunion",
        "atelier",
        "entrepot-stockage",
        "cuisine-professionnelle",
        "local-commercial",
        "terrain-agricole",
        "espace-coworking",
    },
    "equipements": {
        "outillage-bois",
        "machines-agricoles",
        "materiel-informatique",
        "materiel-evenementiel",
        "chambre-froide",
        "reprographie",
    },
    "vehicules": {"vehicule-utilitaire", "camion-frigorifique", "minibus", "velo-cargo"},
    "services": {
        "transport-logistique",
        "restauration-collective",
        "nettoyage-entretien",
        "service-paie",
        "collecte-reemploi",
        "hebergement",
        "garde-enfants",
    },
    "temps-salarie": {"temps-administratif", "temps-technique", "emploi-partage", "benevolat"},
    "financement": {"pret-solidaire", "garantie", "cofinancement", "epargne-solidaire"},
}
RESOURCES = set(RESOURCE_TREE) | set().union(*RESOURCE_TREE.values())
ACTOR_TYPES = {
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
}
COOPERATIVE_TYPES = {"cooperative", "scop", "scic", "cae", "cooperative-agricole"}
COLLEGES = {
    "ess",
    "entreprises",
    "collectivites",
    "recherche-formation",
    "habitants",
    "partenaires-transfrontaliers",
}
MEMBERSHIP_ROLES = {"fondateur", "membre", "partenaire", "partenaire-transfrontalier"}
PARTICIPATION_ROLES = {"porteur", "partenaire", "financeur", "beneficiaire"}
PARTNERSHIP_KINDS = {"contrat", "fournisseur", "financement", "locaux-partages", "informel"}
PROJECT_STATUSES = {"en-projet", "en-cours", "termine"}

# college expected for a French actor of each type
COLLEGE_OF_TYPE = {
    **{t: "ess" for t in ("association", "siae", "mutuelle", "fondation", *COOPERATIVE_TYPES)},
    "entreprise": "entreprises",
    "collectivite": "collectivites",
    "etablissement-public": "collectivites",
    "recherche-formation": "recherche-formation",
    "habitant": "habitants",
}

# ---------------------------------------------------------------- template (exact headers)
HEADERS = {
    "reseau.csv": ["identifiant", "nom", "description", "commune", "pays"],
    "acteurs.csv": [
        "identifiant",
        "nom",
        "type",
        "domaines",
        "commune",
        "pays",
        "description",
        "site_web",
        "siret",
        "rna",
        "nif",
        "latitude",
        "longitude",
        "consentement_public",
    ],
    "adhesions.csv": ["acteur", "role", "college", "date_signature_charte", "date_debut", "date_fin"],
    "projets.csv": [
        "identifiant",
        "nom",
        "description",
        "domaines",
        "territoires",
        "statut",
        "date_debut",
        "date_fin",
    ],
    "participations.csv": ["projet", "acteur", "role", "date_debut", "date_fin"],
    "besoins.csv": ["acteur", "ressource", "description", "quantite"],
    "offres.csv": ["acteur", "ressource", "description", "quantite"],
    "partenariats.csv": ["acteur_a", "acteur_b", "nature", "date_debut", "date_fin", "description"],
}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---------------------------------------------------------------- helpers
def read(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def header(name: str) -> list[str]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(";") if v.strip()]


def parse_date(value: str) -> date | None:
    if not value:
        return None
    assert ISO_DATE.match(value), f"date au format AAAA-MM-JJ attendue : {value!r}"
    return date.fromisoformat(value)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def cif_ok(nif: str) -> bool:
    """Spanish CIF: letter + 7 digits + control digit or letter (official algorithm)."""
    m = re.fullmatch(r"([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])", nif)
    if not m:
        return False
    letter, digits, control = m.groups()
    even = sum(int(digits[i]) for i in (1, 3, 5))
    odd = sum(sum(divmod(int(digits[i]) * 2, 10)) for i in (0, 2, 4, 6))
    c = (10 - (even + odd) % 10) % 10
    as_letter = "JABCDEFGHI"[c]
    if letter in "KPQSNW":
        return control == as_letter
    if letter in "ABEH":
        return control == str(c)
    return control in (str(c), as_letter)


@lru_cache(maxsize=None)
def fr_communes() -> dict[str, dict[str, str]]:
    with open(FR_COMMUNES, encoding="utf-8", newline="") as f:
        return {r["code_insee"]: r for r in csv.DictReader(f)}


@lru_cache(maxsize=None)
def es_municipios() -> dict[str, dict[str, str]]:
    with open(ES_MUNICIPIOS, encoding="utf-8", newline="") as f:
        return {r["ine_code5"]: r for r in csv.DictReader(f)}


def commune_exists(code: str, pays: str) -> bool:
    if pays == "FR":
        return code in fr_communes()
    if pays == "ES":
        return code in es_municipios()
    return False


@lru_cache(maxsize=None)
def actors() -> dict[str, dict[str, str]]:
    return {r["identifiant"]: r for r in read("acteurs.csv")}


@lru_cache(maxsize=None)
def projects() -> dict[str, dict[str, str]]:
    return {r["identifiant"]: r for r in read("projets.csv")}


# ---------------------------------------------------------------- tests
def test_shared_geography_is_available():
    assert FR_COMMUNES.is_file(), FR_COMMUNES
    assert ES_MUNICIPIOS.is_file(), ES_MUNICIPIOS


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_files_follow_the_template(name):
    assert (SAMPLE / name).is_file()
    assert header(name) == HEADERS[name]
    raw = (SAMPLE / name).read_bytes()
    raw.decode("utf-8")  # UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "pas de BOM"
    for row in read(name):
        assert None not in row and all(v is not None for v in row.values()), f"{name}: nombre de colonnes"


def test_lisezmoi_marks_the_sample_as_fictional():
    text = (SAMPLE / "LISEZMOI.md").read_text(encoding="utf-8")
    assert "exemple fictif" in text
    assert "GeoNames" in text and "INE" in text and "Licence Ouverte" in text


def test_network():
    rows = read("reseau.csv")
    assert len(rows) == 1
    net = rows[0]
    assert net["identifiant"] == "ptce-sud-aquitain"
    assert net["nom"] == "PTCE Sud Aquitain (exemple fictif)"
    assert net["pays"] == "FR" and net["commune"] == "40312"
    assert fr_communes()["40312"]["nom"] == "Tarnos"
    assert "exemple fictif" in net["description"]


def test_actors_counts_and_mix():
    acts = actors()
    assert len(acts) == len(read("acteurs.csv")), "identifiants d'acteurs uniques"
    assert len(acts) >= 60
    countries = Counter(a["pays"] for a in acts.values())
    assert set(countries) <= {"FR", "ES"}
    assert countries["ES"] >= 10
    types = Counter(a["type"] for a in acts.values())
    for t in (
        "association",
        "siae",
        "mutuelle",
        "fondation",
        "entreprise",
        "collectivite",
        "etablissement-public",
        "recherche-formation",
        "habitant",
    ):
        assert types[t] >= 1, t
    for t in ("scop", "scic", "cae", "cooperative-agricole"):
        assert types[t] >= 1, t
    assert 4 <= types["habitant"] <= 6
    # French actors spread over several communes
    assert len({a["commune"] for a in acts.values() if a["pays"] == "FR"}) >= 15
    assert len({a["commune"] for a in acts.values() if a["pays"] == "ES"}) >= 8


def test_actor_rows():
    for aid, a in actors().items():
        assert KEBAB.match(aid) and aid.isascii(), aid
        assert a["nom"].strip(), aid
        assert a["type"] in ACTOR_TYPES, (aid, a["type"])
        fields = split(a["domaines"])
        assert 1 <= len(fields) <= 3, aid
        assert set(fields) <= FIELDS, (aid, set(fields) - FIELDS)
        assert commune_exists(a["commune"], a["pays"]), (aid, a["commune"], a["pays"])
        assert "exemple fictif" in a["description"], aid
        # Coordinates only where the municipio has none in GeoNames (LISEZMOI.md, « Coordonnées »).
        if aid in {"es-baztan-landa-garapena", "es-egur-etxe-koop"}:
            assert 43.0 < float(a["latitude"]) < 43.4 and -1.9 < float(a["longitude"]) < -1.5, aid
        else:
            assert a["latitude"] == "" and a["longitude"] == "", aid
        if a["site_web"]:
            assert a["site_web"].startswith("https://exemple.org/"), aid
        if a["type"] == "habitant":
            assert a["consentement_public"] in {"oui", "non"}, aid
            assert not (a["siret"] or a["rna"] or a["nif"]), aid
        else:
            assert a["consentement_public"] == "", aid


def test_habitants_consent_is_mixed():
    consents = Counter(a["consentement_public"] for a in actors().values() if a["type"] == "habitant")
    assert consents["oui"] >= 1 and consents["non"] >= 1


def test_identifiers():
    acts = actors().values()
    sirets = [a["siret"] for a in acts if a["siret"]]
    rnas = [a["rna"] for a in acts if a["rna"]]
    nifs = [a["nif"] for a in acts if a["nif"]]
    assert len(sirets) >= 20 and len(rnas) >= 8 and len(nifs) >= 5
    for values in (sirets, rnas, nifs):
        assert len(values) == len(set(values))
    assert len({s[:9] for s in sirets}) == len(sirets), "un SIREN par organisation"
    for a in acts:
        if a["siret"]:
            s = a["siret"]
            assert a["pays"] == "FR", a["identifiant"]
            assert re.fullmatch(r"\d{14}", s), s
            assert luhn_ok(s), f"SIRET invalide (Luhn) : {s}"
            assert luhn_ok(s[:9]), f"SIREN invalide (Luhn) : {s[:9]}"
        if a["rna"]:
            assert a["pays"] == "FR", a["identifiant"]
            assert re.fullmatch(r"W\d{9}", a["rna"]), a["rna"]
            assert a["type"] in {"association", "siae"}, a["identifiant"]
        if a["nif"]:
            assert a["pays"] == "ES", a["identifiant"]
            assert cif_ok(a["nif"]), f"CIF invalide : {a['nif']}"


def test_memberships():
    acts = actors()
    rows = read("adhesions.csv")
    members = Counter(r["acteur"] for r in rows)
    assert set(members) == set(acts), "une adhésion par acteur"
    assert max(members.values()) == 1
    roles = Counter()
    years = set()
    for r in rows:
        a = acts[r["acteur"]]
        assert r["role"] in MEMBERSHIP_ROLES and r["college"] in COLLEGES, r
        roles[r["role"]] += 1
        if a["pays"] == "ES":
            assert r["college"] == "partenaires-transfrontaliers", r
            assert r["role"] == "partenaire-transfrontalier", r
        else:
            assert r["college"] == COLLEGE_OF_TYPE[a["type"]], r
            assert r["role"] != "partenaire-transfrontalier", r
        start, end = parse_date(r["date_debut"]), parse_date(r["date_fin"])
        charter = parse_date(r["date_signature_charte"])
        assert start is not None
        assert date(2014, 3, 1) <= start <= date(2025, 6, 30), r
        years.add(start.year)
        if end:
            assert start < end <= REFERENCE_DATE, r
        if r["role"] in {"fondateur", "membre"}:
            assert charter is not None, r
        if charter:
            assert charter <= start, r
        if r["role"] == "fondateur":
            assert start.year in (2014, 2015), r
    assert 8 <= roles["fondateur"] <= 12
    assert roles.most_common(1)[0][0] == "membre"
    assert roles["partenaire"] >= 3
    assert len(years) >= 10, "adhésions étalées dans le temps"
    assert sum(1 for r in rows if r["date_fin"]) >= 2, "quelques départs"


def test_projects():
    projs = projects()
    assert len(projs) == len(read("projets.csv"))
    assert len(projs) >= 15
    statuses = Counter()
    for pid, p in projs.items():
        assert KEBAB.match(pid), pid
        assert "exemple fictif" in p["description"], pid
        fields = split(p["domaines"])
        assert fields and set(fields) <= FIELDS, (pid, fields)
        assert p["statut"] in PROJECT_STATUSES, pid
        statuses[p["statut"]] += 1
        epcis = {c["epci_siren"] for c in fr_communes().values()}
        for t in split(p["territoires"]):
            if t.startswith("epci:"):
                assert t[5:] in epcis, (pid, t)
            elif t.startswith("es:"):
                assert t[3:] in es_municipios(), (pid, t)
            else:
                assert t in fr_communes(), (pid, t)
        start, end = parse_date(p["date_debut"]), parse_date(p["date_fin"])
        if start and end:
            assert start < end, pid
        if p["statut"] == "termine":
            assert start and end and end <= REFERENCE_DATE, pid
        elif p["statut"] == "en-cours":
            assert start and start <= REFERENCE_DATE, pid
            assert end is None or end > REFERENCE_DATE, pid
        else:  # en-projet
            assert start is None or start > REFERENCE_DATE, pid
            assert end is None, pid
    assert all(statuses[s] >= 1 for s in PROJECT_STATUSES)


def test_participations():
    acts, projs = actors(), projects()
    rows = read("participations.csv")
    by_project = defaultdict(list)
    memberships = {r["acteur"]: r for r in read("adhesions.csv")}
    for r in rows:
        assert r["projet"] in projs, r
        assert r["acteur"] in acts, r
        assert r["role"] in PARTICIPATION_ROLES, r
        by_project[r["projet"]].append(r)
        p = projs[r["projet"]]
        pstart, pend = parse_date(p["date_debut"]), parse_date(p["date_fin"])
        start, end = parse_date(r["date_debut"]), parse_date(r["date_fin"])
        if start:
            assert pstart and start >= pstart, r
            assert pend is None or start <= pend, r
        if end:
            assert pend is None or end <= pend, r
            assert pstart and end >= pstart, r
        if start and end:
            assert start <= end, r
        # a participant has joined the network before taking part, and has not left before
        m = memberships[r["acteur"]]
        if start:
            assert parse_date(m["date_debut"]) <= start, r
        if m["date_fin"] and start:
            assert end and end <= parse_date(m["date_fin"]), r
    assert set(by_project) == set(projs), "chaque projet a des participants"
    for pid, parts in by_project.items():
        assert 3 <= len(parts) <= 8, pid
        assert sum(1 for r in parts if r["role"] == "porteur") == 1, pid
        assert len({r["acteur"] for r in parts}) == len(parts), pid
    cross_border = [
        pid for pid, parts in by_project.items() if any(acts[r["acteur"]]["pays"] == "ES" for r in parts)
    ]
    assert len(cross_border) >= 4


@pytest.mark.parametrize("name", ["besoins.csv", "offres.csv"])
def test_resource_statements(name):
    rows = read(name)
    assert 60 <= len(rows) <= 100
    for r in rows:
        assert r["acteur"] in actors(), r
        assert r["ressource"] in RESOURCES, r
    assert len({(r["acteur"], r["ressource"]) for r in rows}) == len(rows), "pas de doublon"


def test_synergies_are_interesting():
    acts = actors()
    needs, offers = read("besoins.csv"), read("offres.csv")
    offered_by = defaultdict(set)
    needed_by = defaultdict(set)
    for r in offers:
        offered_by[r["ressource"]].add(r["acteur"])
    for r in needs:
        needed_by[r["ressource"]].add(r["acteur"])
    # pooling opportunities: needed by 3+ actors, offered by nobody
    pooling = [res for res, who in needed_by.items() if len(who) >= 3 and not offered_by[res]]
    assert len(pooling) >= 2, pooling
    # rare offers: offered by exactly one actor
    assert sum(1 for who in offered_by.values() if len(who) == 1) >= 3
    # cross-border complementarity: a Spanish actor offers what French actors need
    assert any(
        any(acts[o]["pays"] == "ES" for o in offered_by[res]) and any(acts[n]["pays"] == "FR" for n in who)
        for res, who in needed_by.items()
    )
    # broad needs (top concepts) met by narrower offers
    broad = [res for res in needed_by if res in RESOURCE_TREE]
    assert broad and all(any(offered_by[c] for c in RESOURCE_TREE[res]) for res in broad)
    # the first actor (in acteurs.csv order) that has needs is a good demo
    with_needs = {r["acteur"] for r in needs}
    first = next(aid for aid in acts if aid in with_needs)
    own = [r["ressource"] for r in needs if r["acteur"] == first]
    assert len(own) >= 3, first
    for res in own:
        assert offered_by[res] - {first}, (first, res)


def test_partnerships():
    acts = actors()
    rows = read("partenariats.csv")
    assert 25 <= len(rows) <= 40
    pairs = set()
    for r in rows:
        a, b = r["acteur_a"], r["acteur_b"]
        assert a in acts and b in acts and a != b, r
        assert r["nature"] in PARTNERSHIP_KINDS, r
        pair = frozenset((a, b))
        assert pair not in pairs, r
        pairs.add(pair)
        start, end = parse_date(r["date_debut"]), parse_date(r["date_fin"])
        assert start and start <= REFERENCE_DATE, r
        if end:
            assert start < end, r
    assert any({acts[r["acteur_a"]]["pays"], acts[r["acteur_b"]]["pays"]} == {"FR", "ES"} for r in rows)
    assert len({r["nature"] for r in rows}) == len(PARTNERSHIP_KINDS)


def test_every_date_is_iso():
    date_columns = {
        "adhesions.csv": ("date_signature_charte", "date_debut", "date_fin"),
        "projets.csv": ("date_debut", "date_fin"),
        "participations.csv": ("date_debut", "date_fin"),
        "partenariats.csv": ("date_debut", "date_fin"),
    }
    for name, cols in date_columns.items():
        for r in read(name):
            for c in cols:
                parse_date(r[c])
