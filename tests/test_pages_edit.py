"""Editing one's own actor from the pages: the same rules as the API, plain forms with CSRF and version."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore

MEMBER = "ressourcerie-lur-berri"
EDIT = f"/actors/{MEMBER}/modifier"
# offres.csv: only jardins-solidaires-seignanx offers « maraichage »; the ressourcerie needs it nowhere yet.
GROWER = "jardins-solidaires-seignanx"


def log_in(client: TestClient, token: str) -> str:
    page = client.post("/connexion", data={"jeton": token, "suivant": EDIT})
    assert page.status_code == 200 and str(page.url).endswith(EDIT)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def top_targets(client: TestClient) -> list[str]:
    answer = client.get(f"/api/actors/{MEMBER}/synergies?limit=10")
    return [item["target"] for item in answer.json()["data"]]


def test_a_member_adds_a_need_and_the_new_synergy_comes_first(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, _store = site
    before = top_targets(client)
    assert GROWER not in before and len(before) == 10
    _, token = tokens.create("member", actor=MEMBER)
    csrf = log_in(client, token)
    answer = client.post(f"{EDIT}/besoins", data={"csrf": csrf, "ressource": "maraichage"})
    assert answer.status_code == 200 and str(answer.url).endswith(f"{EDIT}?fait=ajout")
    assert "Ajout enregistré : les synergies en tiennent compte." in answer.text
    assert "Maraîchage" in answer.text
    after = top_targets(client)
    assert after == [GROWER, *before[:9]]
    first = client.get(f"/api/actors/{MEMBER}/synergies?limit=1").json()["data"][0]
    needs = [r for r in first["reasons"] if r["kind"] == "besoin-offre"]
    assert [c["key"] for c in needs[0]["concepts"]] == ["maraichage", "maraichage"]
    page = client.get(f"/actors/{MEMBER}").text
    assert re.findall(r'data-target="([^"]+)"', page)[0] == GROWER
    assert f'href="{EDIT}"' in page  # the member sees the edit link on its own page

    # and takes it back, with the version the form carries
    form = client.get(EDIT).text
    version = re.search(
        r'modifier/besoins/maraichage/retirer">\s*<input[^>]+>\s*<input type="hidden" '
        r'name="version" value="([^"]+)"',
        form,
    )
    assert version is not None
    removed = client.post(
        f"{EDIT}/besoins/maraichage/retirer", data={"csrf": csrf, "version": html.unescape(version.group(1))}
    )
    assert "Retrait enregistré." in removed.text
    assert top_targets(client) == before


def test_a_stale_form_is_refused_and_shown_again(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, store = site
    _, token = tokens.create("member", actor=MEMBER)
    csrf = log_in(client, token)
    old_version = re.search(r'name="version" value="([^"]+)"', client.get(EDIT).text)
    assert old_version is not None
    fresh = client.post(
        f"{EDIT}/description",
        data={"csrf": csrf, "version": html.unescape(old_version.group(1)), "description": "Réemploi."},
    )
    assert "Description et coordonnées enregistrées." in fresh.text
    dump = sorted(store.quads())
    stale = client.post(
        f"{EDIT}/description",
        data={"csrf": csrf, "version": html.unescape(old_version.group(1)), "description": "Écrasé"},
    )
    assert stale.status_code == 412
    assert "modifié entre-temps par quelqu'un d'autre" in html.unescape(stale.text)
    assert ">Réemploi.</textarea>" in stale.text  # the current version, to start again from
    assert sorted(store.quads()) == dump


def test_a_member_may_not_edit_another_actor_and_visitors_must_log_in(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, store = site
    anonymous = client.get(EDIT, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == f"/connexion?suivant={EDIT}"
    _, token = tokens.create("member", actor=MEMBER)
    csrf = log_in(client, token)
    dump = sorted(store.quads())
    refused = client.get("/actors/chantier-bois-adour/modifier", headers={"Accept": "text/html"})
    assert refused.status_code == 403
    assert "Un membre ne modifie que son propre acteur (« ressourcerie-lur-berri ») " in html.unescape(
        refused.text
    )
    forced = client.post(
        "/actors/chantier-bois-adour/modifier/besoins",
        data={"csrf": csrf, "ressource": "maraichage"},
        headers={"Accept": "text/html"},
    )
    assert forced.status_code == 403
    no_csrf = client.post(f"{EDIT}/besoins", data={"ressource": "maraichage"})
    assert no_csrf.status_code == 403
    assert sorted(store.quads()) == dump
    assert 'href="/actors/chantier-bois-adour/modifier"' not in client.get("/actors/chantier-bois-adour").text


def test_an_animator_edits_any_description(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, tokens, _store = site
    _, token = tokens.create("animator")
    page = client.post("/connexion", data={"jeton": token, "suivant": "/actors/chantier-bois-adour/modifier"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    version = re.search(r'name="version" value="([^"]+)"', page.text)
    assert csrf is not None and version is not None
    saved = client.post(
        "/actors/chantier-bois-adour/modifier/description",
        data={
            "csrf": csrf.group(1),
            "version": html.unescape(version.group(1)),
            "description": "Atelier <b>partagé</b>",
        },
    )
    assert "Description et coordonnées enregistrées." in saved.text
    assert client.get("/api/actors/chantier-bois-adour").json()["description"] == "Atelier <b>partagé</b>"
    assert "Atelier &lt;b&gt;partagé&lt;/b&gt;" in client.get("/actors/chantier-bois-adour").text


def test_a_member_sets_its_contacts_seen_by_the_network_only(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, _store = site
    _, token = tokens.create("member", actor=MEMBER)
    csrf = log_in(client, token)
    version = re.search(r'name="version" value="([^"]+)"', client.get(EDIT).text)
    assert version is not None
    data = {"csrf": csrf, "version": html.unescape(version.group(1)), "description": "Réemploi."}
    # a French phone as typed is kept in E.164: 05 59 12 34 56 → +33559123456
    saved = client.post(
        f"{EDIT}/description",
        data={**data, "courriel": "Contact@Lur-Berri.eus", "telephone": "05 59 12 34 56"},
    )
    assert "Description et coordonnées enregistrées." in saved.text
    assert 'value="+33559123456"' in saved.text
    member_view = client.get(f"/api/actors/{MEMBER}", headers={"Authorization": f"Bearer {token}"}).json()
    assert member_view["telephone"] == "+33559123456" and member_view["email"] is not None
    public = TestClient(client.app)  # no cookie, no token: the public
    assert "+33559123456" not in public.get(f"/actors/{MEMBER}").text
    assert public.get(f"/api/actors/{MEMBER}").json()["telephone"] is None
    # a phone that is not one is refused with its rule, and nothing changes
    version = re.search(r'name="version" value="([^"]+)"', saved.text)
    assert version is not None
    data["version"] = html.unescape(version.group(1))
    refused = client.post(f"{EDIT}/description", data={**data, "telephone": "appelez-nous"})
    assert refused.status_code == 422 and "appelez-nous" in html.unescape(refused.text)
    assert (
        client.get(f"/api/actors/{MEMBER}", headers={"Authorization": f"Bearer {token}"}).json()["telephone"]
        == "+33559123456"
    )
    # a form without the contact fields (an older page) leaves them as they are
    version = re.search(r'name="version" value="([^"]+)"', refused.text)
    assert version is not None
    data["version"] = html.unescape(version.group(1))
    client.post(f"{EDIT}/description", data={**data, "description": "Réemploi et réparation."})
    kept = client.get(f"/api/actors/{MEMBER}", headers={"Authorization": f"Bearer {token}"}).json()
    assert (kept["description"], kept["telephone"]) == ("Réemploi et réparation.", "+33559123456")
