"""The data pages in English (import, SPARQL form, taxonomy, the CSRF refusal), French still by default.

Figures from the sample network (ingest/data/sample/ptce-sud-aquitain/), worked out in the pages' own tests
(tests/test_pages_taxonomy.py, tests/test_pages_import.py); English labels from ontology/schemes/*.ttl.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.i18n import catalogue
from maillage.graph.sparql import SparqlLimits
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import MAX_FILE_BYTES

from .test_pages_import import UPLOAD, counts
from .test_pages_import import log_in as log_in_to_import
from .test_pages_taxonomy import item
from .test_pages_taxonomy import log_in as log_in_to_taxonomy

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
LOCAL_CONCEPTS = Path(__file__).resolve().parents[1] / "ingest" / "local_concepts.py"


def in_english(client: TestClient) -> None:
    """The banner's switch: the cookie keeps the pages in English across redirects and forms."""
    assert client.get("/langue/en", follow_redirects=False).status_code == 303


# --- import ------------------------------------------------------------------------------------------------


def test_the_import_form_and_a_refused_dry_run_in_english(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    action = log_in_to_import(client, tokens)
    french = client.get("/importer").text
    assert "<h1>Importer un fichier</h1>" in french and "Essayer (rien n'est écrit)</button>" in french
    in_english(client)
    form = client.get("/importer").text
    assert '<html lang="en">' in form and "<h1>Import a file</h1>" in form
    assert f"File ({MAX_FILE_BYTES // 2**20} MB at most)" in form
    assert "Maillage first does a <strong>dry run</strong>: it says what it would create" in form
    assert "Try it (nothing is written)</button>" in form
    report = client.get(client.post(action, files=UPLOAD, follow_redirects=False).headers["location"])
    assert report.status_code == 422
    page = report.text
    assert "<h2>Import refused: nothing was written</h2>" in page
    assert "<p>“acteurs.csv”: 1 problem to fix, then send the file again.</p>" in page
    # row 3 of the upload: its problem stays the import's French message, the page's fix is in English
    assert "<td>domaine d&#39;activité inconnu dans la taxonomie</td>" in page
    assert (
        '<td>add the missing concept on the <a href="/taxonomie">Taxonomy</a> page, then send the file '
        "again</td></tr>"
    ) in page
    assert '<strong id="ecarte">1</strong> row left out</li>' in page
    assert '<strong id="cree">0</strong> to create</li>' in page  # a dry run, refused
    assert "<th>File</th><th>Sheet</th><th>Row</th><th>Column</th><th>Value</th><th>Rule</th>" in page
    assert "Import another file</a>" in page and "Importer un autre fichier" not in page


def test_keeping_the_valid_rows_then_confirming_in_english(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, _store = site
    action = log_in_to_import(client, tokens)
    in_english(client)
    report = client.post(action, data={"garder_valides": "true"}, files=UPLOAD)
    assert report.status_code == 200 and counts(report.text) == {
        "cree": 1,
        "modifie": 0,
        "inchange": 0,
        "ecarte": 1,
    }
    page = report.text
    assert "<h2>Dry run of “acteurs.csv”: nothing has been written yet</h2>" in page
    assert '<strong id="cree">1</strong> to create</li>' in page
    assert '<strong id="modifie">0</strong> to update</li>' in page
    assert "Rows read: acteurs 2. The numbers count entities (actors, memberships, needs…)." in page
    assert (
        "The valid rows will be imported and the others left out. The file is kept for one hour, waiting "
        "for your confirmation."
    ) in page
    assert "Confirm the import</button>" in page
    confirm = re.search(r'action="(/importer/[\w-]+/confirmer)"', page)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert confirm is not None and csrf is not None
    done = client.post(confirm.group(1), data={"csrf": csrf.group(1)}).text
    assert "<h2>Import of “acteurs.csv” complete</h2>" in done
    assert '<strong id="cree">1</strong> created</li>' in done
    assert '<strong id="inchange">0</strong> unchanged</li>' in done
    again = client.post(confirm.group(1), data={"csrf": csrf.group(1)}, headers={"Accept": "text/html"})
    upload_id = confirm.group(1).split("/")[2]
    assert again.status_code == 404
    assert f"Unknown import, already confirmed or expired: “{upload_id}” (send the file again)" in again.text


def test_a_closed_list_s_values_are_named_in_english(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    action = log_in_to_import(client, tokens)
    in_english(client)
    actors = "identifiant,nom,type,domaines,commune,pays\nx-test,X,zzz,emploi,40312,FR\n"
    report = client.post(action, files={"fichier": ("acteurs.csv", actors.encode(), "text/csv")})
    # mai:actorTypes' English label in ontology/maillage.ttl, lower-cased at its start by scheme_label
    assert (
        "<td>accepted values (actor types): association, cae, collectivite, cooperative, "
        "cooperative-agricole, entreprise, etablissement-public, fondation, habitant, mutuelle, "
        "recherche-formation, scic, scop, siae</td></tr>"
    ) in report.text


def test_the_csrf_refusal_is_a_page_in_english_and_stays_french_in_json(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, _store = site
    log_in_to_import(client, tokens)
    in_english(client)
    page = client.post("/importer/essai", files=UPLOAD, headers={"Accept": "text/html"})
    assert page.status_code == 403
    assert "anti-forgery token (CSRF) missing or invalid: reload the page and try again" in page.text
    answer = client.post("/importer/essai", files=UPLOAD)  # a program: the API's French error shape
    assert answer.status_code == 403 and answer.json()["error"]["message"] == (
        "jeton anti-falsification (CSRF) absent ou invalide : rechargez la page et recommencez"
    )


# --- SPARQL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sparql(sample_store: Store) -> Iterator[TestClient]:
    """The public sample with a result limit of 1,500: a dump of every triple is cut there."""
    app = create_app(sample_store, sparql_limits=SparqlLimits(timeout=2.5, max_results=1500))
    yield TestClient(app, headers={"Accept": "text/html"})
    app.state.sparql.close()


def test_the_sparql_form_in_english(sparql: TestClient) -> None:
    form = sparql.get("/sparql", params={"lang": "en"}).text
    assert "<h1>Query the data in SPARQL</h1>" in form
    assert "The <code>/sparql</code> endpoint answers read-only SPARQL 1.1 queries" in form
    assert "Each query is stopped after 2.5 s and its answer cut at 1,500 results." in form
    assert "You are querying the public data." in form
    assert '<option value="html">Table (page)</option>' in form and "Run</button>" in form
    assert re.search(r'Examples:\s*<a href="/sparql\?query=[^"]+">Actors by type</a>', form)
    french = sparql.get("/sparql").text
    assert (
        "Chaque requête est arrêtée au bout de 2.5 s et sa réponse coupée à 1\u202f500 résultats." in french
    )
    assert "<h1>Interroger les données en SPARQL</h1>" in french and "Exécuter</button>" in french


def test_sparql_answers_are_worded_in_english(sparql: TestClient) -> None:
    # projets.csv has 18 projects, and the sample's projects are public
    count = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/maillage/ontology#Project> }"
    table = sparql.get("/sparql", params={"query": count, "lang": "en"}).text
    assert '<p class="aide">1 result.</p>' in table and "<td>18 <span" in table
    ask = sparql.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "lang": "en"}).text
    assert '<p class="sparql__booleen">Answer: <strong>yes</strong></p>' in ask
    dump = sparql.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "lang": "en"}).text
    assert "Answer cut: only the first 1,500 results are shown (the endpoint's limit)." in dump
    assert '<p class="aide">1,500 triples (Turtle).</p>' in dump
    french = sparql.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}).text
    assert '<p class="aide">1\u202f500 triplets (Turtle).</p>' in french


# --- taxonomy ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def test_the_taxonomy_in_english_shows_english_labels_and_the_french_one_beside(pages: TestClient) -> None:
    page = pages.get("/taxonomie", params={"lang": "en"}).text
    assert "<h1>The network's taxonomy</h1>" in page
    assert "<h2>Fields of activity</h2>" in page and "<h2>Resources (offers and needs)</h2>" in page
    assert "Labels in French, Basque and Spanish where they exist." in page
    line = item(page, "field", "eco-construction")
    assert '<span class="arbre__nom">Eco-construction</span>' in line
    assert '<span class="arbre__langue" lang="fr" title="français">Éco-construction</span>' in line
    assert 'title="Search for these actors">7 actors (10 with the narrower fields)</a>' in line
    # sorted by their English labels: « Cohousing » (habitat-participatif) before « Eco-renovation »
    below = page.split('<li id="field-eco-construction"')[1].split('<li id="field-emploi"')[0]
    assert re.findall(r'<li id="field-([\w-]+)"', below) == ["habitat-participatif", "eco-renovation"]
    resource = item(page, "resource", "maraichage")
    assert '<span class="arbre__nom">Market gardening</span>' in resource
    assert 'title="Actors who offer it">1 offers it</a>' in resource
    assert 'title="Actors who need it">2 need it</a>' in resource
    french = pages.get("/taxonomie").text
    assert "<h1>La taxonomie du réseau</h1>" in french and "<h2>Domaines d'activité</h2>" in french
    assert '<span class="arbre__nom">Éco-construction</span>' in item(french, "field", "eco-construction")
    assert 'lang="fr" title="français"' not in french  # the French label is the main one
    assert "Libellés en basque et en espagnol quand ils existent." in french


def test_adding_a_concept_in_english(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    _, token = tokens.create("animator")
    csrf = log_in_to_taxonomy(client, token)
    in_english(client)
    form = client.get("/taxonomie").text
    assert "<h2>Add a local concept</h2>" in form and "Add the concept</button>" in form
    assert 'placeholder="for example: sylviculture"' in form and "Label in Basque (optional)" in form
    assert '<option value="">— none: a top-level concept —</option>' in form
    taken = client.post(
        "/taxonomie",
        data={"csrf": csrf, "schema": "field", "cle": "eco-batiment", "libelle_fr": "Eco construction"},
    )
    assert taken.status_code == 422
    assert (
        "Concept refused: “Eco construction” already names the concept “eco-construction” of the “fields of "
        "activity” scheme (the same label once accents, case and plurals are ignored)"
    ) in html.unescape(taken.text)
    wrong_parent = client.post(
        "/taxonomie",
        data={
            "csrf": csrf,
            "schema": "resource",
            "cle": "scierie",
            "libelle_fr": "Scierie",
            "parent": "emploi",
        },
    )
    assert wrong_parent.status_code == 422
    assert "Concept refused: unknown broader concept in the “resources” scheme: “emploi”" in html.unescape(
        wrong_parent.text
    )
    added = client.post(
        "/taxonomie",
        data={"csrf": csrf, "schema": "field", "cle": "sylviculture", "libelle_fr": "Sylviculture"},
    )
    assert added.status_code == 200 and "Concept “sylviculture” added." in added.text
    # no English label: the French one is shown, and not a second time beside it
    line = item(added.text, "field", "sylviculture")
    assert '<span class="arbre__nom">Sylviculture</span>' in line and "arbre__langue" not in line
    assert ">0 actors</a>" in line  # English plural for 0


def test_every_refusal_of_a_local_concept_has_english() -> None:
    """The taxonomy page translates `LocalConceptError.reason`: each literal reason in
    ingest/local_concepts.py (six: unknown scheme, unknown language, no French label, key taken, label
    taken, unknown broader concept) has English with the same placeholders."""
    english = catalogue("en")
    reasons = [
        node.args[0].value
        for node in ast.walk(ast.parse(LOCAL_CONCEPTS.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "LocalConceptError"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert len(reasons) == 6
    assert [r for r in reasons if r not in english] == []
    assert [
        r for r in reasons if sorted(PLACEHOLDER.findall(r)) != sorted(PLACEHOLDER.findall(english[r]))
    ] == []
