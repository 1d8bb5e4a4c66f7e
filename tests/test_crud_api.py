"""Writes on the sample network through the API: actors, needs and offers; versions (ETag / If-Match),
roles, the shapes, provenance, visibility, and the analysis seeing a write at once.

Each test writes to its own in-memory copy of the sample network (restored from one dump, 0.4 s).
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.edit_entities import entity_etag
from maillage.ontology.vocab import MAI

DEMO = "ressourcerie-lur-berri"
DEMO_IRI = URIRef(f"https://w3id.org/maillage/id/actor/{DEMO}")
OTHER = "chantier-bois-adour"
PRIVATE = "hab-lucas-lafitte"  # an inhabitant who did not consent to be public (acteurs.csv)
PROVENANCE = URIRef("https://w3id.org/maillage/graph/provenance/ptce-sud-aquitain")
NETWORK = URIRef("https://w3id.org/maillage/graph/network/ptce-sud-aquitain")


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample_dump(sample_store: Store) -> bytes:
    return dump(sample_store)


@pytest.fixture()
def store(sample_dump: bytes) -> Iterator[Store]:
    store = OxigraphStore(None)
    store.restore_nquads(io.BytesIO(sample_dump))
    yield store
    store.close()


class Tokens:
    """The tokens of one test: an animator, a member of DEMO, a member of the private inhabitant."""

    def __init__(self, path: Path) -> None:
        self.store = TokenStore(path)
        self.animator_record, self.animator = self.store.create("animator", note="Maite")
        self.member_record, self.member = self.store.create("member", actor=DEMO)
        _record, self.private = self.store.create("member", actor=PRIVATE)


@pytest.fixture()
def tokens(tmp_path: Path) -> Tokens:
    return Tokens(tmp_path / "tokens.sqlite3")


@pytest.fixture()
def client(store: Store, tokens: Tokens) -> TestClient:
    return TestClient(create_app(store, tokens=tokens.store))


def auth(token: str, etag: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if etag is not None:
        headers["If-Match"] = etag
    return headers


def etag_of(client: TestClient, key: str = DEMO) -> str:
    return client.get(f"/api/actors/{key}").headers["etag"]


# --- versions ------------------------------------------------------------------------------------------


def test_the_etag_is_the_same_in_another_process_and_moves_with_the_data(
    client: TestClient, store: Store, sample_dump: bytes, tmp_path: Path
) -> None:
    tag = etag_of(client)
    assert tag == client.get(f"/api/actors/{DEMO}/record").headers["etag"]
    assert tag.startswith('"') and len(tag) == 34
    (tmp_path / "sample.nq").write_bytes(sample_dump)
    program = (
        "import io, sys; from maillage.graph.stores.oxigraph import OxigraphStore; "
        "from maillage.ingest.edit_entities import entity_etag; s = OxigraphStore(None); "
        f"s.restore_nquads(open(sys.argv[1], 'rb')); print(entity_etag(s, 'actor', '{DEMO}'))"
    )
    other = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path / "sample.nq")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == tag
    assert etag_of(client, OTHER) != tag  # another actor, another version


def test_update_without_if_match_is_428_and_with_a_stale_one_412(
    client: TestClient, store: Store, tokens: Tokens
) -> None:
    before = dump(store)
    missing = client.patch(f"/api/actors/{DEMO}", json={"description": "x"}, headers=auth(tokens.animator))
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "version_requise"
    current = etag_of(client)
    stale = '"00000000000000000000000000000000"'
    refused = client.patch(
        f"/api/actors/{DEMO}", json={"description": "x"}, headers=auth(tokens.animator, stale)
    )
    assert refused.status_code == 412
    assert refused.json()["error"]["code"] == "version_perimee"
    assert refused.headers["etag"] == current  # the version to read again
    assert dump(store) == before


def test_an_animator_patch_is_written_with_its_provenance(
    client: TestClient, store: Store, tokens: Tokens
) -> None:
    tag = etag_of(client)
    answer = client.patch(
        f"/api/actors/{DEMO}",
        json={"description": "Recyclerie du Seignanx"},
        headers=auth(tokens.animator, tag),
    )
    assert answer.status_code == 200
    assert answer.json()["description"] == "Recyclerie du Seignanx"
    assert answer.json()["name"] == "Ressourcerie Lur Berri"  # a patch leaves the other fields
    new = answer.headers["etag"]
    assert new != tag and new == etag_of(client)
    assert client.get(f"/api/actors/{DEMO}").json()["description"] == "Recyclerie du Seignanx"
    # who and when: the run is associated with the token (its id, never the token), the actor attributed to it
    agent = URIRef(f"urn:maillage:token:{tokens.animator_record.id}")
    assert (DEMO_IRI, PROV.wasAttributedTo, agent) in set(store.triples(DEMO_IRI, None, None, PROVENANCE))
    runs = [s for s, _p, _o in store.triples(None, PROV.wasAssociatedWith, agent, PROVENANCE)]
    assert len(runs) == 1
    assert store.value(runs[0], RDFS.label) == Literal(
        "Modification de l'acteur « ressourcerie-lur-berri »", lang="fr"
    )
    assert store.value(agent, RDFS.label) == Literal(f"jeton {tokens.animator_record.id} (rôle animator)")
    modified = store.value(DEMO_IRI, DCTERMS.modified, graph=PROVENANCE)
    assert modified is not None and str(modified) == str(store.value(runs[0], PROV.startedAtTime))
    assert tokens.animator.encode() not in dump(store)
    # writing the same values again changes nothing, not even the version
    again = client.patch(
        f"/api/actors/{DEMO}",
        json={"description": "Recyclerie du Seignanx"},
        headers=auth(tokens.animator, new),
    )
    assert again.status_code == 200 and again.headers["etag"] == new


# --- roles ---------------------------------------------------------------------------------------------


def test_roles_on_actor_writes(client: TestClient, store: Store, tokens: Tokens) -> None:
    before = dump(store)
    tag = etag_of(client)
    anonymous = client.patch(f"/api/actors/{DEMO}", json={"description": "x"}, headers={"If-Match": tag})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "non_authentifie"
    other = client.patch(f"/api/actors/{OTHER}", json={"description": "x"}, headers=auth(tokens.member, tag))
    assert other.status_code == 403
    assert other.json()["error"]["message"] == (
        f"Un membre ne modifie que son propre acteur (« {DEMO} ») : « {OTHER} » lui est interdit"
    )
    name = client.patch(f"/api/actors/{DEMO}", json={"name": "Autre nom"}, headers=auth(tokens.member, tag))
    assert name.status_code == 403
    assert name.json()["error"]["details"] == [
        {"parametre": "name", "valeur": None, "regle": "réservé aux animateur·rices"}
    ]
    for method in ("post", "delete"):
        refused = client.request(
            method,
            "/api/actors" + ("" if method == "post" else f"/{DEMO}"),
            headers=auth(tokens.member, tag),
            json={"id": "x", "name": "x", "type": "scop", "fields": ["emploi"], "commune": "40312"}
            if method == "post"
            else None,
        )
        assert refused.status_code == 403, method
    assert dump(store) == before
    mine = client.patch(
        f"/api/actors/{DEMO}", json={"description": "Notre recyclerie"}, headers=auth(tokens.member, tag)
    )
    assert mine.status_code == 200 and mine.json()["description"] == "Notre recyclerie"


def test_a_member_put_may_change_the_description_alone(client: TestClient, tokens: Tokens) -> None:
    record = client.get(f"/api/actors/{DEMO}/record")
    body = {k: v for k, v in record.json().items() if k != "id"}
    changed = client.put(
        f"/api/actors/{DEMO}",
        json={**body, "description": "Nouvelle"},
        headers=auth(tokens.member, record.headers["etag"]),
    )
    assert changed.status_code == 200 and changed.json() == {**record.json(), "description": "Nouvelle"}
    moved = client.put(
        f"/api/actors/{DEMO}",
        json={**body, "commune": "64024"},
        headers=auth(tokens.member, changed.headers["etag"]),
    )
    assert moved.status_code == 403
    assert [d["parametre"] for d in moved.json()["error"]["details"]] == ["commune"]


def test_revocation_holds_from_the_next_request(client: TestClient, store: Store, tokens: Tokens) -> None:
    tag = etag_of(client)
    first = client.patch(f"/api/actors/{DEMO}", json={"description": "un"}, headers=auth(tokens.member, tag))
    assert first.status_code == 200
    tokens.store.revoke(tokens.member_record.id)
    before = dump(store)
    second = client.patch(
        f"/api/actors/{DEMO}",
        json={"description": "deux"},
        headers=auth(tokens.member, first.headers["etag"]),
    )
    assert second.status_code == 401
    assert dump(store) == before


# --- the shapes ----------------------------------------------------------------------------------------


def test_values_breaking_the_shapes_are_refused_in_french_and_nothing_is_written(
    client: TestClient, store: Store, tokens: Tokens
) -> None:
    before, tag = dump(store), etag_of(client)
    refused = client.patch(
        f"/api/actors/{DEMO}",
        json={"siret": "1234", "fields": ["astrologie"], "commune": "99999"},
        headers=auth(tokens.animator, tag),
    )
    assert refused.status_code == 422
    entity = f"actor/{DEMO}"
    assert refused.json()["error"]["details"] == [
        {
            "parametre": "commune",
            "valeur": "99999",
            "regle": "La commune d'un acteur doit être une commune française (code INSEE) ou un municipio "
            "espagnol (code INE) connus de Maillage (colonnes « commune » et « pays »).",
            "entite": entity,
        },
        {
            "parametre": "fields",
            "valeur": "astrologie",
            "regle": "Chaque domaine d'un acteur doit être un domaine d'activité de Maillage "
            "(colonne « domaines »).",
            "entite": entity,
        },
        {
            "parametre": "siret",
            "valeur": "1234",
            "regle": "Le SIRET doit compter exactement 14 chiffres, sans espace ni lettre "
            "(colonne « siret »).",
            "entite": entity,
        },
    ]
    # the sample's SIRET is 61106658000014: one digit changed breaks its Luhn key (the importer's check)
    luhn = client.patch(
        f"/api/actors/{DEMO}", json={"siret": "61106658000015"}, headers=auth(tokens.animator, tag)
    )
    assert luhn.status_code == 422
    assert luhn.json()["error"]["details"] == [
        {
            "parametre": "siret",
            "valeur": "61106658000015",
            "regle": "SIRET invalide : la clé de contrôle (Luhn) ne correspond pas",
            "entite": entity,
        }
    ]
    assert dump(store) == before and etag_of(client) == tag


# --- create, delete, visibility ------------------------------------------------------------------------

NEW_ACTOR = {
    "id": "scop-txalupa",
    "name": "SCOP Txalupa",
    "type": "scop",
    "fields": ["eco-construction"],
    "commune": "64102",
    "description": "Charpente navale (exemple fictif)",
    "siret": "73282932000074",
}


def test_create_then_delete_an_actor(client: TestClient, store: Store, tokens: Tokens) -> None:
    created = client.post("/api/actors", json=NEW_ACTOR, headers=auth(tokens.animator))
    assert created.status_code == 201
    assert created.headers["location"] == "/api/actors/scop-txalupa"
    assert created.json() == {
        **{k: v for k, v in NEW_ACTOR.items()},
        "country": "FR",
        "lat": None,
        "lon": None,
        "homepage": None,
        "rna": None,
        "nif": None,
        "public_consent": None,
        "email": None,
        "telephone": None,
        "internal_note": None,
    }
    public = client.get("/api/actors/scop-txalupa")
    assert (
        public.json()["commune"]["label"] == "Bayonne" and public.headers["etag"] == created.headers["etag"]
    )
    again = client.post("/api/actors", json=NEW_ACTOR, headers=auth(tokens.animator))
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflit"
    gone = client.delete("/api/actors/scop-txalupa", headers=auth(tokens.animator, created.headers["etag"]))
    assert gone.status_code == 204
    assert client.get("/api/actors/scop-txalupa").status_code == 404
    iri = URIRef("https://w3id.org/maillage/id/actor/scop-txalupa")
    assert list(store.quads(iri, None, None, NETWORK)) == []
    assert (iri, PROV.invalidatedAtTime) in {
        (s, p) for s, p, _o in store.triples(iri, None, None, PROVENANCE)
    }


def test_deleting_an_actor_removes_what_names_it(client: TestClient, store: Store, tokens: Tokens) -> None:
    # DEMO has 4 needs, 1 offer, 1 membership, partnerships with syndicat-dechets-sud-landes and
    # scop-transports-adour-ocean (besoins.csv, offres.csv, adhesions.csv, partenariats.csv)
    partner = URIRef("https://w3id.org/maillage/id/actor/syndicat-dechets-sud-landes")
    assert (partner, MAI.partnerOf, DEMO_IRI) in set(store.triples(partner, MAI.partnerOf, None))
    answer = client.delete(f"/api/actors/{DEMO}", headers=auth(tokens.animator, etag_of(client)))
    assert answer.status_code == 204
    assert [q for q in store.quads(None, None, DEMO_IRI, None)] == []
    assert (partner, MAI.partnerOf, DEMO_IRI) not in set(store.triples(partner, MAI.partnerOf, None))
    assert DEMO not in client.get("/api/actors/syndicat-dechets-sud-landes").json()["partners"]


def test_a_private_inhabitant_is_seen_by_itself_and_animators_only(
    client: TestClient, tokens: Tokens
) -> None:
    assert client.get(f"/api/actors/{PRIVATE}/record").status_code == 404
    assert client.get(f"/api/actors/{PRIVATE}/record", headers=auth(tokens.member)).status_code == 404
    mine = client.get(f"/api/actors/{PRIVATE}/record", headers=auth(tokens.private))
    assert mine.status_code == 200 and mine.json()["public_consent"] is False
    assert client.get(f"/api/actors/{PRIVATE}/record", headers=auth(tokens.animator)).status_code == 200
    assert client.get(f"/api/actors/{PRIVATE}/needs").status_code == 404


# --- needs and offers ----------------------------------------------------------------------------------


def test_a_member_declares_a_need_and_its_synergy_appears_at_once(client: TestClient, tokens: Tokens) -> None:
    """Only jardins-solidaires-seignanx offers « maraichage » (offres.csv, line 5), and DEMO did not need it:
    declaring the need must add exactly one complementarity, with that actor, on that resource."""

    def complementarities() -> list[tuple[str, list[str]]]:
        found = client.get(
            f"/api/actors/{DEMO}/synergies", params={"kind": "complementarite", "limit": 200}
        ).json()["data"]
        return [(s["target"], sorted({c["key"] for r in s["reasons"] for c in r["concepts"]})) for s in found]

    before = complementarities()
    assert "jardins-solidaires-seignanx" not in {target for target, _c in before}
    created = client.post(
        f"/api/actors/{DEMO}/needs",
        json={
            "resource": "maraichage",
            "description": "Légumes pour la cantine",
            "quantity": "20 kg par semaine",
        },
        headers=auth(tokens.member),
    )
    assert created.status_code == 201
    assert created.headers["location"] == f"/api/actors/{DEMO}/needs/maraichage"
    assert created.json() == {
        "id": f"{DEMO}.maraichage",
        "actor": DEMO,
        "resource": "maraichage",
        "description": "Légumes pour la cantine",
        "quantity": "20 kg par semaine",
    }
    after = complementarities()
    assert [item for item in after if item not in before] == [("jardins-solidaires-seignanx", ["maraichage"])]
    assert len(after) == len(before) + 1
    needs = client.get(f"/api/actors/{DEMO}/needs").json()
    assert [n["resource"] for n in needs["data"]] == [
        "communication-graphisme",
        "entrepot-stockage",
        "maraichage",
        "menuiserie-charpente",
        "vehicule-utilitaire",
    ]


def test_need_update_and_removal_keep_the_direct_link_in_step(
    client: TestClient, store: Store, tokens: Tokens
) -> None:
    path = f"/api/actors/{DEMO}/needs/vehicule-utilitaire"
    read = client.get(path)
    assert read.json()["quantity"] == "2 jours par semaine"
    patched = client.patch(
        path, json={"quantity": "3 jours par semaine"}, headers=auth(tokens.member, read.headers["etag"])
    )
    assert patched.status_code == 200 and patched.json()["quantity"] == "3 jours par semaine"
    assert patched.json()["description"] == read.json()["description"]
    stale = client.delete(path, headers=auth(tokens.member, read.headers["etag"]))
    assert stale.status_code == 412
    gone = client.delete(path, headers=auth(tokens.member, patched.headers["etag"]))
    assert gone.status_code == 204
    vehicle = URIRef("https://w3id.org/maillage/concept/resource/vehicule-utilitaire")
    assert (DEMO_IRI, MAI.needs, vehicle) not in set(store.triples(DEMO_IRI, MAI.needs, None))
    assert client.get(path).status_code == 404
    other = client.post(
        f"/api/actors/{OTHER}/offers", json={"resource": "maraichage"}, headers=auth(tokens.member)
    )
    assert other.status_code == 403
    unknown = client.post(
        f"/api/actors/{DEMO}/offers", json={"resource": "licornes"}, headers=auth(tokens.member)
    )
    assert unknown.status_code == 422
    # the shapes see both forms: the actor's mai:offers link and the mai:Offer
    assert unknown.json()["error"]["details"] == [
        {
            "parametre": None,
            "valeur": "licornes",
            "regle": "Chaque offre d'un acteur doit porter sur une ressource de Maillage "
            "(feuille « offres », colonne « ressource »).",
            "entite": f"actor/{DEMO}",
        },
        {
            "parametre": "resource",
            "valeur": "licornes",
            "regle": "La ressource d'un besoin ou d'une offre doit être une ressource de Maillage (feuilles "
            "« besoins » et « offres », colonne « ressource »).",
            "entite": f"offer/{DEMO}.licornes",
        },
    ]
    assert entity_etag(store, "offer", f"{DEMO}.licornes") is None
