"""Per-property visibility levels (DESIGN.md §10, docs/decisions/20261129-visibility-levels.md).

A tiny network, imported from the template's own columns: one organisation, « Atelier Vélo Solidaire »,
with a public name, an e-mail and a phone (level network) and an internal note (level animators), and one
inhabitant who said « non ». Every output is asked by the three audiences — no token (public), a member's
token, an animator's — and must show exactly: the public the name only, a member the name, e-mail and
phone, an animator all four; the inhabitant to the animator only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SDO, SKOS
from typer.testing import CliRunner

from maillage.api.app import create_app
from maillage.api.auth import Caller
from maillage.cli import app as cli
from maillage.graph.export import serialize
from maillage.graph.privacy import Audience, audience_of, property_levels, visibility, withheld_properties
from maillage.graph.sparql import SparqlLimits
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import import_path
from maillage.ingest.report import ImportRefusedError
from maillage.ontology.iri import data_iri
from maillage.ontology.vocab import MAI

KEY, PERSON = "atelier-velo", "hab-anne-etcheverry"
ACTOR, INHABITANT = data_iri("actor", KEY), data_iri("actor", PERSON)
NAME = "Atelier Vélo Solidaire"
TYPED = {"courriel": "Contact@Atelier-Velo.FR", "telephone": "05 59 12 34 56"}
# as stored: the domain in lower case; the French national number in E.164 (0 dropped, +33 added)
EMAIL, PHONE, NOTE = "Contact@atelier-velo.fr", "+33559123456", "Trésorerie fragile : relancer en mars"
#: What each audience sees of the organisation's four values.
SEEN = {
    Audience.PUBLIC: {"name": NAME},
    Audience.NETWORK: {"name": NAME, "email": EMAIL, "telephone": PHONE},
    Audience.ANIMATORS: {"name": NAME, "email": EMAIL, "telephone": PHONE, "internal_note": NOTE},
}
PREDICATES = {
    "name": SKOS.prefLabel,
    "email": SDO.email,
    "telephone": SDO.telephone,
    "internal_note": MAI.internalNote,
}
ACTORS_HEADER = (
    "identifiant,nom,type,domaines,commune,pays,consentement_public,courriel,telephone,note_interne\n"
)


def write_network(folder: Path, *, actors: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reseau.csv").write_text(
        "identifiant,nom,description,commune,pays\nreseau-test,Réseau de test,,40312,FR\n", encoding="utf-8"
    )
    (folder / "acteurs.csv").write_text(actors, encoding="utf-8")
    (folder / "adhesions.csv").write_text(
        f"acteur,role,college,date_signature_charte,date_debut,date_fin\n{KEY},membre,ess,,2020-01-01,\n",
        encoding="utf-8",
    )
    return folder


TINY = (
    ACTORS_HEADER
    + f"{KEY},{NAME},association,mobilite,40312,FR,,{TYPED['courriel']},{TYPED['telephone']},{NOTE}\n"
    + f"{PERSON},Anne Etcheverry,habitant,mobilite,40312,FR,non,,,\n"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("tiny")
    store = OxigraphStore(folder / "oxigraph")
    report = import_path(store, write_network(folder / "reseau", actors=TINY))
    assert (report.created, report.problems) == (4, [])  # the network, 2 actors, 1 membership
    yield store
    store.close()


@pytest.fixture(scope="module")
def api(tiny: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Audience, object]]:
    """A client, and the headers of each audience (a member of the atelier, an animator)."""
    tokens = TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")
    member = tokens.create("member", actor=KEY)[1]
    animator = tokens.create("animator")[1]
    app = create_app(tiny, tokens=tokens, sparql_limits=SparqlLimits(timeout=20))
    yield {
        "client": TestClient(app),  # type: ignore[dict-item]
        Audience.PUBLIC: {},
        Audience.NETWORK: {"Authorization": f"Bearer {member}"},
        Audience.ANIMATORS: {"Authorization": f"Bearer {animator}"},
    }
    app.state.sparql.close()


def seen_in(graph: Graph) -> dict[str, str]:
    """The organisation's four values found in an RDF graph."""
    return {name: str(o) for name, p in PREDICATES.items() for o in graph.objects(ACTOR, p)}


# --- the model ------------------------------------------------------------------------------------------


def test_roles_map_to_audiences_in_one_place() -> None:
    assert [audience_of(r) for r in ("public", "member", "animator", "admin")] == [
        Audience.PUBLIC,
        Audience.NETWORK,
        Audience.ANIMATORS,
        Audience.ANIMATORS,
    ]
    assert Caller("member").audience is Audience.NETWORK
    with pytest.raises(ValueError, match="rôle inconnu : « visiteur »"):
        audience_of("visiteur")


def test_the_levels_come_from_the_ontology() -> None:
    assert property_levels()[SDO.email] is Audience.NETWORK
    assert property_levels()[MAI.internalNote] is Audience.ANIMATORS
    assert SKOS.prefLabel not in property_levels()  # unannotated: public
    assert withheld_properties(Audience.ANIMATORS) == frozenset()
    assert withheld_properties(Audience.NETWORK) == {MAI.internalNote, SKOS.note}


def test_one_function_decides_for_each_quad(tiny: Store) -> None:
    graph = URIRef("urn:g")
    quads = {
        "name": (ACTOR, SKOS.prefLabel, Literal(NAME), graph),
        "email": (ACTOR, SDO.email, Literal(EMAIL), graph),
        "note": (ACTOR, MAI.internalNote, Literal(NOTE), graph),
        "person": (INHABITANT, SKOS.prefLabel, Literal("Anne Etcheverry"), graph),
    }
    shown = {a: {k for k, q in quads.items() if visibility(tiny, a).shows(q)} for a in Audience}
    assert shown == {
        Audience.PUBLIC: {"name"},
        Audience.NETWORK: {"name", "email"},
        Audience.ANIMATORS: {"name", "email", "note", "person"},
    }


# --- every output, for every audience ------------------------------------------------------------------


@pytest.mark.parametrize("audience", list(Audience))
def test_the_turtle_export(tiny: Store, audience: Audience) -> None:
    graph = Graph().parse(data=serialize(tiny, "turtle", audience=audience), format="turtle")
    assert seen_in(graph) == SEEN[audience]
    assert ((INHABITANT, None, None) in graph) is (audience is Audience.ANIMATORS)


@pytest.mark.parametrize("audience", list(Audience))
def test_the_linked_data_of_the_actor(api: dict, audience: Audience) -> None:
    response = api["client"].get(f"/id/actor/{KEY}", headers={**api[audience], "accept": "text/turtle"})
    assert response.status_code == 200, response.text
    assert seen_in(Graph().parse(data=response.text, format="turtle")) == SEEN[audience]
    inhabitant = api["client"].get(f"/id/actor/{PERSON}", headers={**api[audience], "accept": "text/turtle"})
    assert inhabitant.status_code == (200 if audience is Audience.ANIMATORS else 404)


@pytest.mark.parametrize("audience", list(Audience))
def test_the_sparql_endpoint(api: dict, audience: Audience) -> None:
    query = f"SELECT ?p ?o WHERE {{ <{ACTOR}> ?p ?o }}"
    response = api["client"].get("/sparql", params={"query": query, "format": "json"}, headers=api[audience])
    assert response.status_code == 200, response.text
    rows = {(b["p"]["value"], b["o"]["value"]) for b in response.json()["results"]["bindings"]}
    found = {name: o for name, p in PREDICATES.items() for q, o in rows if q == str(p)}
    assert found == SEEN[audience]


@pytest.mark.parametrize("audience", list(Audience))
def test_the_json_actor_detail(api: dict, audience: Audience) -> None:
    body = api["client"].get(f"/api/actors/{KEY}", headers=api[audience]).json()
    shown = {name: body[name] for name in ("email", "telephone", "internal_note") if body[name] is not None}
    assert {"name": body["name"], **shown} == SEEN[audience]


@pytest.mark.parametrize("audience", list(Audience))
def test_the_actor_page(api: dict, audience: Audience) -> None:
    page = api["client"].get(f"/actors/{KEY}", headers={**api[audience], "accept": "text/html"}).text
    assert NAME in page
    # the phone is shown in groups, its link in E.164
    assert ("+33 5 59 12 34 56" in page, f"tel:{PHONE}" in page) == ((audience > Audience.PUBLIC),) * 2
    assert (EMAIL in page) is (audience > Audience.PUBLIC)
    assert (NOTE in page) is (audience is Audience.ANIMATORS)


@pytest.mark.parametrize("audience", list(Audience))
def test_the_page_of_a_person_without_consent(api: dict, audience: Audience, tiny: Store) -> None:
    """Anne Etcheverry said « non »: her page is a 404 for the public and the members, shown to the
    animators with a notice, without the schema.org description meant for search engines."""
    page = api["client"].get(f"/actors/{PERSON}", headers={**api[audience], "accept": "text/html"})
    if audience is not Audience.ANIMATORS:
        assert page.status_code == 404 and "Anne Etcheverry" not in page.text
        return
    assert page.status_code == 200
    assert "<h1>Anne Etcheverry</h1>" in page.text
    assert "Personne sans consentement public : cette fiche n'est montrée qu'aux animateur·rices" in page.text
    assert "application/ld+json" not in page.text
    assert page.headers["cache-control"] == "private, no-store"
    # the public pages of her network still do not name her, even to the animator
    assert "Anne Etcheverry" not in api["client"].get(f"/actors/{KEY}", headers=api[audience]).text


def test_a_person_without_consent_sees_their_own_page(tiny: Store, tmp_path: Path) -> None:
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    herself = tokens.create("member", actor=PERSON)[1]
    client = TestClient(create_app(tiny, tokens=tokens))
    page = client.get(f"/actors/{PERSON}", headers={"Authorization": f"Bearer {herself}"})
    assert page.status_code == 200 and "<h1>Anne Etcheverry</h1>" in page.text
    # her ego network draws her, and no other private person
    assert '<script type="application/json" id="ego-data">{"nodes":[{"id":"hab-anne-etcheverry",' in page.text
    other = client.get(f"/actors/{KEY}", headers={"Authorization": f"Bearer {herself}"})
    assert other.status_code == 200 and "Anne Etcheverry" not in other.text


@pytest.mark.parametrize("audience", list(Audience))
def test_the_editable_record(api: dict, audience: Audience) -> None:
    record = api["client"].get(f"/api/actors/{KEY}/record", headers=api[audience]).json()
    shown = {
        name: record[name] for name in ("email", "telephone", "internal_note") if record[name] is not None
    }
    assert {"name": record["name"], **shown} == SEEN[audience]


def test_each_audience_has_its_own_version(api: dict) -> None:
    """The ETag is an unkeyed hash: one that moved with the phone would let the public test guesses of it."""
    tags = {a: api["client"].get(f"/api/actors/{KEY}", headers=api[a]).headers["etag"] for a in Audience}
    assert len(set(tags.values())) == 3
    assert (
        api["client"].get(f"/api/actors/{KEY}/record", headers=api[Audience.NETWORK]).headers["etag"]
        == (tags[Audience.NETWORK])
    )


# --- the import and the edits ------------------------------------------------------------------------------


def test_an_unreadable_phone_is_refused_with_its_place(tmp_path: Path) -> None:
    bad = ACTORS_HEADER + f"{KEY},{NAME},association,mobilite,40312,FR,,contact@atelier-velo.fr,+33 12,\n"
    with pytest.raises(ImportRefusedError) as refused:
        import_path(OxigraphStore(None), write_network(tmp_path, actors=bad))
    found = [(p.row, p.column, p.value, p.rule) for p in refused.value.report.problems]
    assert found == [(2, "telephone", "+33 12", "numéro de téléphone illisible")]


def test_a_file_without_the_contact_columns_keeps_them(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    import_path(store, write_network(tmp_path / "a", actors=TINY))
    older = "identifiant,nom,type,domaines,commune,pays\n" + f"{KEY},{NAME},association,mobilite,40312,FR\n"
    import_path(store, write_network(tmp_path / "b", actors=older))
    assert [str(o) for _s, _p, o in store.triples(ACTOR, SDO.telephone, None)] == [PHONE]
    emptied = ACTORS_HEADER + f"{KEY},{NAME},association,mobilite,40312,FR,,,,\n"
    import_path(store, write_network(tmp_path / "c", actors=emptied))  # the columns, empty: removed
    assert list(store.triples(ACTOR, SDO.telephone, None)) == []


@pytest.fixture()
def editable(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], Store]]:
    store = OxigraphStore(None)
    import_path(store, write_network(tmp_path / "reseau", actors=TINY))
    tokens = TokenStore(tmp_path / "tokens.sqlite3")
    headers = {
        role: {"Authorization": f"Bearer {tokens.create(role, actor=KEY if role == 'member' else None)[1]}"}
        for role in ("member", "animator")
    }
    yield TestClient(create_app(store, tokens=tokens)), headers, store
    store.close()


def test_a_member_updates_its_own_email_and_phone(editable: tuple) -> None:
    client, headers, store = editable
    member = headers["member"]
    tag = client.get(f"/api/actors/{KEY}/record", headers=member).headers["etag"]
    changed = client.patch(
        f"/api/actors/{KEY}",
        json={"email": "velo@exemple.org", "telephone": "+34 943 12 34 56"},
        headers={**member, "If-Match": tag},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["email"], changed.json()["telephone"]) == ("velo@exemple.org", "+34943123456")
    assert changed.json()["internal_note"] is None  # not the member's to see...
    assert [str(o) for _s, _p, o in store.triples(ACTOR, MAI.internalNote, None)] == [NOTE]  # ...but kept
    refused = client.patch(
        f"/api/actors/{KEY}",
        json={"telephone": "05 59 00"},
        headers={**member, "If-Match": changed.headers["etag"]},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {
            "parametre": "telephone",
            "valeur": "05 59 00",
            "regle": "numéro de téléphone illisible (un numéro français (05 59 12 34 56), espagnol "
            "(943 12 34 56) ou international (+33 5 59 12 34 56))",
            "entite": f"actor/{KEY}",
        }
    ]


def test_a_member_can_neither_write_the_note_nor_erase_it(editable: tuple) -> None:
    client, headers, store = editable
    member = headers["member"]
    read = client.get(f"/api/actors/{KEY}/record", headers=member)
    refused = client.patch(
        f"/api/actors/{KEY}",
        json={"internal_note": "à moi"},
        headers={**member, "If-Match": read.headers["etag"]},
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"] == [
        {"parametre": "internal_note", "valeur": None, "regle": "réservé aux animateur·rices"}
    ]
    # a replace sends every field it read: the note, which it could not read, stays
    body = {k: v for k, v in read.json().items() if k != "id"}
    body["description"] = "Réparation de vélos"
    replaced = client.put(
        f"/api/actors/{KEY}", json=body, headers={**member, "If-Match": read.headers["etag"]}
    )
    assert replaced.status_code == 200, replaced.text
    assert [str(o) for _s, _p, o in store.triples(ACTOR, MAI.internalNote, None)] == [NOTE]
    animator = client.get(f"/api/actors/{KEY}/record", headers=headers["animator"]).json()
    assert (animator["description"], animator["internal_note"]) == ("Réparation de vélos", NOTE)


def test_the_public_version_does_not_move_with_a_phone(editable: tuple) -> None:
    client, headers, _store = editable
    public = client.get(f"/api/actors/{KEY}").headers["etag"]
    tag = client.get(f"/api/actors/{KEY}/record", headers=headers["member"]).headers["etag"]
    changed = client.patch(
        f"/api/actors/{KEY}",
        json={"telephone": "06 12 34 56 78"},
        headers={**headers["member"], "If-Match": tag},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert client.get(f"/api/actors/{KEY}").headers["etag"] == public
    assert json.loads(client.get(f"/api/actors/{KEY}").text)["telephone"] is None


@pytest.mark.parametrize(
    ("option", "audience"),
    [("public", Audience.PUBLIC), ("reseau", Audience.NETWORK), ("animateurs", Audience.ANIMATORS)],
)
def test_the_export_command_for_each_audience(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, audience: Audience
) -> None:
    """`maillage export --audience` (the command runs with the store's owner's rights): public by default,
    the network's or the animators' copy when asked, with a warning on the terminal."""
    monkeypatch.setenv("MAILLAGE_STORE", f"oxigraph:{tmp_path / 'oxigraph'}")
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(write_network(tmp_path / "reseau", actors=TINY))])
    assert imported.exit_code == 0, imported.output
    target = tmp_path / "reseau.ttl"
    args = ["export", "-f", "turtle", "-o", str(target)]
    done = runner.invoke(cli, args if option == "public" else [*args, "--audience", option])
    assert done.exit_code == 0, done.output
    graph = Graph().parse(target, format="turtle")
    assert seen_in(graph) == SEEN[audience]
    assert ((INHABITANT, None, None) in graph) is (audience is Audience.ANIMATORS)
    warned = "Attention : export pour les" in done.output
    assert warned is (audience is not Audience.PUBLIC)


def test_the_catalogue_is_public_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MAILLAGE_STORE", f"oxigraph:{tmp_path / 'oxigraph'}")
    refused = CliRunner().invoke(cli, ["export", "-f", "catalogue", "-o", "-", "--audience", "reseau"])
    assert refused.exit_code == 1
    assert "le catalogue DCAT-AP décrit les données publiques" in refused.output
