"""A write that changes descriptions only is followed by a patched index, not a rebuild: the same matrices,
graph and synergy memos, the new texts — and records equal to those of a full rebuild. Any other write
(a need, a label) rebuilds. `Store.changes_since` is what tells the two apart."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from maillage.api.state import AppState
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.base import CHANGES_KEPT, Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ontology.vocab import MAI

DCT_DESCRIPTION = URIRef("http://purl.org/dc/terms/description")
DEMO = "ressourcerie-lur-berri"
DEMO_IRI = URIRef(f"https://w3id.org/maillage/id/actor/{DEMO}")
GRAPH = URIRef("https://w3id.org/maillage/graph/network/ptce-sud-aquitain")


def app_state(client: TestClient) -> AppState:
    state = client.app.state.maillage  # type: ignore[attr-defined]
    assert isinstance(state, AppState)
    return state


def same_records(index: NetworkIndex, store: Store) -> None:
    """What a full rebuild of `store` would hold, record by record."""
    rebuilt = build_index(store)
    assert index.generation == rebuilt.generation
    assert index.actors == rebuilt.actors
    assert index.projects == rebuilt.projects


def test_a_description_edit_patches_the_index_and_keeps_its_synergies(
    site: tuple[TestClient, TokenStore, Store],
) -> None:
    client, tokens, store = site
    _record, token = tokens.create("animator", note="test")
    before = client.get(f"/api/actors/{DEMO}/synergies")
    assert before.status_code == 200
    assert client.get("/api/actors", params={"q": "zythologie"}).json()["data"] == []
    assert client.get("/").status_code == 200  # the explorer: a subgraph, a layout, the network's JSON-LD
    detail = client.get(f"/api/actors/{DEMO}").json()  # its projects and partners: the index's table
    first = app_state(client).index()
    drawn = {key[0] for key in first.derived["explorer-layouts"]}
    assert drawn == {"graph", "layout", "network-jsonld"}
    model = first.derived["synergies"]

    written = client.patch(
        f"/api/actors/{DEMO}",
        json={"description": "Recyclerie solidaire, ateliers de zythologie le samedi"},
        headers={"Authorization": f"Bearer {token}", "If-Match": "*"},
    )
    assert written.status_code == 200
    patched = app_state(client).index()
    assert patched is not first and patched.generation == store.generation
    # the analysis is shared: no rebuild, no new maxima
    assert patched.fields is first.fields and patched.needs is first.needs
    assert patched.collaboration is first.collaboration
    assert patched.derived["synergies"] is model
    assert patched.derived["actor-links"] is first.derived["actor-links"]  # who works with whom: the same
    # the drawings are the graph's, kept; the JSON-LD holds descriptions: made again
    assert {key[0] for key in patched.derived["explorer-layouts"]} == {"graph", "layout"}
    assert patched.derived["private-at-build"] is first.derived["private-at-build"]
    assert patched.actor(DEMO).description == "Recyclerie solidaire, ateliers de zythologie le samedi"
    same_records(patched, store)
    # the search reads the new text (its folded texts follow the patch)
    found = client.get("/api/actors", params={"q": "zythologie"}).json()
    assert [item["id"] for item in found["data"]] == [DEMO]
    # the synergies read no description: the same answer, kept
    assert client.get(f"/api/actors/{DEMO}/synergies").json() == before.json()
    after = client.get(f"/api/actors/{DEMO}").json()
    assert (after["projects"], after["partners"]) == (detail["projects"], detail["partners"])


def test_a_written_need_rebuilds_the_index(site: tuple[TestClient, TokenStore, Store]) -> None:
    client, _tokens, store = site
    first = app_state(client).index()
    need = URIRef("https://w3id.org/maillage/id/need/ressourcerie-locaux-test")
    premises = URIRef("https://w3id.org/maillage/concept/resource/locaux")
    with store.transaction() as tx:
        tx.add((DEMO_IRI, DCT_DESCRIPTION, Literal("Nouvelle description", lang="fr"), GRAPH))
        tx.add((DEMO_IRI, MAI.needs, premises, GRAPH))
        tx.add((need, RDF.type, MAI.Need, GRAPH))
    rebuilt = app_state(client).index()
    assert rebuilt.needs is not first.needs  # a need is read by the synergies: rebuilt, not patched
    assert premises in rebuilt.actor(DEMO).needs
    same_records(rebuilt, store)


def test_a_project_description_is_patched_too(sample_store: Store) -> None:
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    state = AppState(store=store)
    first = state.index()
    project = first.projects[0]
    with store.transaction() as tx:
        tx.remove_pattern(project.iri, DCT_DESCRIPTION)
        tx.add((project.iri, DCT_DESCRIPTION, Literal("Chantier école, deuxième saison", lang="fr"), GRAPH))
    patched = state.index()
    assert patched.collaboration is first.collaboration
    assert patched.projects[0].description == "Chantier école, deuxième saison"
    assert patched.projects[1:] == first.projects[1:] and patched.actors == first.actors
    same_records(patched, store)


def test_changes_since_lists_each_commit_and_forgets_what_it_cannot_know() -> None:
    store = OxigraphStore(None)
    a, b, p, q = (URIRef(f"urn:{name}") for name in "abpq")
    g = URIRef("urn:g")
    with store.transaction() as tx:
        tx.add((a, p, Literal("1"), g))
        tx.add((b, q, Literal("2"), g))
    store.add_all([(a, q, Literal("3"), g)])
    with store.transaction() as tx:
        tx.remove((a, p, Literal("1"), g))
    assert store.changes_since(0) == (
        3,
        [frozenset({(a, p), (b, q)}), frozenset({(a, q)}), frozenset({(a, p)})],
    )
    assert store.changes_since(2) == (3, [frozenset({(a, p)})])
    assert store.changes_since(3) == (3, [])
    with store.transaction():
        pass  # nothing written: no commit, no generation
    assert store.changes_since(3) == (3, [])

    dump = io.BytesIO()
    store.dump_nquads(dump)
    store.restore_nquads(io.BytesIO(dump.getvalue()))  # the generation moves, with no list of changes
    assert store.generation == 4 and store.changes_since(3) is None
    assert store.changes_since(4) == (4, [])

    for number in range(CHANGES_KEPT + 1):
        store.add_all([(a, p, Literal(number), g)])
    assert store.changes_since(4) is None  # older than the last CHANGES_KEPT commits
    assert store.changes_since(5) is not None


def test_a_patch_needs_to_know_what_the_build_read(sample_store: Store) -> None:
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    state = AppState(store=store)
    first = state.index()
    assert first.read is not None and str(MAI.needs) in first.read and str(DCT_DESCRIPTION) in first.read
    # a note no analysis reads: the index follows at once, everything shared, records equal
    with store.transaction() as tx:
        tx.add((DEMO_IRI, URIRef("http://www.w3.org/2004/02/skos/core#note"), Literal("appelé le 3"), GRAPH))
    followed = state.index()
    assert followed.actors is first.actors and followed.generation == store.generation
    same_records(followed, store)


@pytest.mark.parametrize("kind", ["description", "label"])
def test_the_patch_or_the_rebuild_answer_as_a_rebuild_would(sample_store: Store, kind: str) -> None:
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    state = AppState(store=store)
    first = state.index()
    predicate = (
        DCT_DESCRIPTION if kind == "description" else URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    )
    with store.transaction() as tx:
        tx.remove_pattern(DEMO_IRI, predicate)
        tx.add((DEMO_IRI, predicate, Literal("Lur Berri, nouvelle version", lang="fr"), GRAPH))
    served = state.index()
    assert (served.fields is first.fields) == (kind == "description")
    same_records(served, store)
