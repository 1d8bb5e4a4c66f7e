"""Linked-data export: public data only, and the Turtle export re-imports to an isomorphic graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from maillage.graph.export import ExportError, public_graph, serialize
from maillage.graph.privacy import private_actors
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.report import ImportRefusedError


@pytest.mark.parametrize("format_name,suffix", [("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")])
def test_export_reimports_to_an_isomorphic_graph(
    sample_store: Store, tmp_path: Path, format_name: str, suffix: str
) -> None:
    exported = serialize(sample_store, format_name)
    path = tmp_path / f"reseau{suffix}"
    path.write_bytes(exported)
    fresh = OxigraphStore(tmp_path / "fresh")
    report = import_path(fresh, path)
    assert report.updated == 0 and report.unchanged == 0 and report.created > 60
    assert isomorphic(public_graph(fresh), public_graph(sample_store))
    again = import_path(fresh, path)
    assert (again.created, again.updated) == (0, 0)


def test_exports_leave_out_inhabitants_without_consent(sample_store: Store) -> None:
    private = private_actors(sample_store)
    assert private, "the sample has inhabitants who did not consent"
    turtle = serialize(sample_store, "turtle").decode("utf-8")
    graph = Graph().parse(data=turtle, format="turtle")
    mentioned = set(graph.subjects()) | set(graph.objects())
    assert not private & mentioned


def test_jsonld_export_is_plain_json(sample_store: Store) -> None:
    data = json.loads(serialize(sample_store, "jsonld"))
    assert isinstance(data, list) and len(data) > 60


def test_unknown_format_is_refused(sample_store: Store) -> None:
    with pytest.raises(ExportError, match="« gexf »"):
        serialize(sample_store, "gexf")


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "distant.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "urn:x", "name": "X"}')
    with pytest.raises(ImportRefusedError, match="contexte JSON-LD distant refusé"):
        import_path(OxigraphStore(tmp_path / "db"), path)
