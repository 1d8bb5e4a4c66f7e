"""Provenance: which import created or last changed each entity, visible through the API."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import RDF, Literal
from rdflib.namespace import DCTERMS, PROV, XSD

from maillage.api.app import create_app
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.provenance import read_provenance
from maillage.ontology.iri import data_iri, provenance_graph

RESEAU = "identifiant,nom,commune,pays\nr,Réseau (exemple fictif),40312,FR\n"
ACTEURS = (
    "identifiant,nom,type,domaines,commune,pays\n"
    "a,Atelier,association,emploi,40312,FR\nb,Bureau,scop,emploi,64102,FR\n"
)


def write(folder: Path, actors: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reseau.csv").write_text(RESEAU, encoding="utf-8")
    (folder / "acteurs.csv").write_text(actors, encoding="utf-8")
    return folder


def test_runs_record_creation_and_changes(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    import_path(store, write(tmp_path / "v1", ACTEURS))
    graph = provenance_graph("r")
    runs = sorted(s for s, _p, _o in store.triples(None, RDF.type, PROV.Activity, graph))
    assert len(runs) == 1
    a, b = data_iri("actor", "a"), data_iri("actor", "b")
    assert store.value(a, PROV.wasGeneratedBy, graph=graph) == runs[0]
    first = read_provenance(store, a)
    assert first.source == "acteurs.csv › ligne 2"
    assert first.created == first.modified
    dt.datetime.fromisoformat(first.created.replace("Z", "+00:00"))  # a real timestamp

    # the same files again: no new run, nothing written at all
    before = io.BytesIO()
    store.dump_nquads(before)
    import_path(store, write(tmp_path / "v1", ACTEURS))
    after = io.BytesIO()
    store.dump_nquads(after)
    assert after.getvalue() == before.getvalue()

    # a corrected file: one more run, which only the changed actor points to
    import_path(store, write(tmp_path / "v2", ACTEURS.replace("Bureau", "Bureau coopératif")))
    runs = sorted(s for s, _p, _o in store.triples(None, RDF.type, PROV.Activity, graph))
    assert len(runs) == 2
    (second,) = [r for r in runs if str(r) != first.created_by]
    assert read_provenance(store, b).runs == tuple(sorted(str(r) for r in runs))
    assert read_provenance(store, a).runs == (first.created_by,)
    assert store.value(second, DCTERMS.source, graph=graph) == Literal("v2")  # the folder imported
    assert len(list(store.triples(b, DCTERMS.modified, None, graph))) == 1  # replaced, not piled up
    assert store.value(b, DCTERMS.created, graph=graph).datatype == XSD.dateTime


def test_provenance_is_visible_through_the_api(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    import_path(store, write(tmp_path / "in", ACTEURS))
    provenance = TestClient(create_app(store)).get("/api/actors/a").json()["provenance"]
    assert provenance["source"] == "acteurs.csv › ligne 2"
    assert provenance["created_by"].startswith("https://w3id.org/maillage/id/import-run/")
    assert provenance["runs"] == [provenance["created_by"]]
