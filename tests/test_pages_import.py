"""The import page on a copy of the sample network: who may use it, the dry run, the confirmation, CSRF."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore

# Row 2 is a new actor; row 3 names a field (« astrologie ») that is not in the taxonomy.
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays\n"
    "atelier-neuf,Atelier Neuf,association,eco-construction,40312,FR\n"
    "ferme-test,Ferme Test,association,astrologie,40312,FR\n"
)
UPLOAD = {"fichier": ("acteurs.csv", ACTEURS.encode(), "text/csv")}


def log_in(client: TestClient, tokens: TokenStore) -> str:
    """An animator's session; the upload form's action (with its CSRF token)."""
    _, token = tokens.create("animator")
    page = client.post("/connexion", data={"jeton": token, "suivant": "/importer"})
    found = re.search(r'action="(/importer/essai\?csrf=[^"]+)"', page.text)
    assert page.status_code == 200 and found is not None
    return found.group(1).replace("&amp;", "&")


def counts(page: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'<strong id="(\w+)">(\d+)</strong>', page)}


def test_visitors_log_in_and_members_are_refused(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    anonymous = client.get("/importer", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/connexion?suivant=/importer"
    _, token = tokens.create("member", actor="ressourcerie-lur-berri")
    client.post("/connexion", data={"jeton": token, "suivant": "/"})
    refused = client.get("/importer", headers={"Accept": "text/html"})
    assert refused.status_code == 403
    assert 'href="/importer"' not in client.get("/").text  # no « Importer » link for a member


def test_a_dry_run_locates_the_bad_row_and_writes_nothing(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    action = log_in(client, tokens)
    assert 'href="/importer"' in client.get("/").text
    before = sorted(store.quads())
    sent = client.post(action, files=UPLOAD, follow_redirects=False)
    assert sent.status_code == 303 and re.fullmatch(r"/importer/[\w-]{22}", sent.headers["location"])
    report = client.get(sent.headers["location"])
    assert report.status_code == 422 and "Import refusé : rien n'a été écrit" in report.text
    row = (
        "<tr><td>acteurs.csv</td><td>acteurs</td><td>3</td><td>domaines</td><td>astrologie</td>"
        "<td>domaine d&#39;activité inconnu dans la taxonomie</td>"
    )
    # the web page words the fix for the web (the command line's « maillage concepts add » is for the CLI)
    fix = (
        '<td>ajoutez le concept qui manque sur la page <a href="/taxonomie">Taxonomie</a>, puis renvoyez le '
        "fichier</td></tr>"
    )
    assert row + fix in report.text
    assert "maillage concepts" not in report.text
    assert "Un domaine ou une ressource manque" not in report.text  # the row already says it
    assert counts(report.text) == {"cree": 0, "modifie": 0, "inchange": 0, "ecarte": 1}
    assert "Confirmer l'import" not in report.text  # a refused file cannot be confirmed
    assert sorted(store.quads()) == before


def test_confirming_imports_the_kept_file_once(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    action = log_in(client, tokens)
    actors = client.get("/api/actors?limit=1").json()["count"]
    before = sorted(store.quads())
    report = client.post(action, data={"garder_valides": "true"}, files=UPLOAD)
    # keep_valid: the valid row would create one actor, the bad one is left out
    assert report.status_code == 200 and counts(report.text) == {
        "cree": 1,
        "modifie": 0,
        "inchange": 0,
        "ecarte": 1,
    }
    assert "rien n'a encore été écrit" in report.text and sorted(store.quads()) == before
    # both rows of the file were read, though only one is kept
    assert "Lignes lues : acteurs 2." in report.text
    confirm = re.search(r'action="(/importer/[\w-]+/confirmer)"', report.text)
    csrf = re.search(r'name="csrf" value="([^"]+)"', report.text)
    assert confirm is not None and csrf is not None
    assert client.post(confirm.group(1), data={}).status_code == 403  # no CSRF field: refused
    assert sorted(store.quads()) == before
    done = client.post(confirm.group(1), data={"csrf": csrf.group(1)})
    assert done.status_code == 200 and "Import de « acteurs.csv » terminé" in done.text
    assert counts(done.text) == {"cree": 1, "modifie": 0, "inchange": 0, "ecarte": 1}
    assert "Lignes lues : acteurs 2." in done.text
    assert client.get("/api/actors?limit=1").json()["count"] == actors + 1
    assert client.get("/api/actors/atelier-neuf").json()["name"] == "Atelier Neuf"
    assert client.get("/api/actors/ferme-test").status_code == 404
    again = client.post(confirm.group(1), data={"csrf": csrf.group(1)}, headers={"Accept": "text/html"})
    assert again.status_code == 404 and "déjà confirmé ou expiré" in again.text


def test_a_value_missing_from_a_closed_list_gets_the_list(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    action = log_in(client, tokens)
    # « zzz » is like no actor type (no candidate over the cut-off): the taxonomy page cannot add one (it
    # extends fields and resources only), so the page lists the 14 actor types of actor-types.ttl.
    actors = "identifiant,nom,type,domaines,commune,pays\nx-test,X,zzz,emploi,40312,FR\n"
    upload = {"fichier": ("acteurs.csv", actors.encode(), "text/csv")}
    report = client.post(action, files=upload)
    assert report.status_code == 422
    assert (
        "<td>type</td><td>zzz</td><td>type d&#39;acteur inconnu dans la taxonomie</td>"
        "<td>valeurs admises (types d&#39;acteurs) : association, cae, collectivite, cooperative, "
        "cooperative-agricole, entreprise, etablissement-public, fondation, habitant, mutuelle, "
        "recherche-formation, scic, scop, siae</td></tr>"
    ) in report.text
    assert "maillage concepts" not in report.text


def test_an_upload_without_its_csrf_token_is_refused(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    log_in(client, tokens)
    before = sorted(store.quads())
    for action in ("/importer/essai", "/importer/essai?csrf=faux"):
        refused = client.post(action, files=UPLOAD, follow_redirects=False)
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert sorted(store.quads()) == before


def test_another_session_cannot_see_or_confirm_an_upload(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    sent = client.post(log_in(client, tokens), files=UPLOAD, follow_redirects=False)
    other = TestClient(client.app)
    log_in(other, tokens)
    assert other.get(sent.headers["location"], headers={"Accept": "text/html"}).status_code == 404
