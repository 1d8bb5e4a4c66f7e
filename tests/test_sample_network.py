"""The shipped sample network, imported through ingest: valid, complete, idempotent, same from CSV or XLSX."""

from __future__ import annotations

import io
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, Graph

from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path, read_tables
from maillage.ingest.readers.xlsx import write_xlsx
from maillage.ontology.iri import TERRITORIES_GRAPH, network_graph
from maillage.ontology.vocab import MAI, ontology_graph, shapes_graph

from .conftest import SAMPLE

GRAPH = network_graph("ptce-sud-aquitain")


def test_sample_validates_against_the_shapes(sample_store: Store) -> None:
    data = Graph()
    for s, p, o, _g in sample_store.quads(None, None, None, GRAPH):
        data.add((s, p, o))
    for s, p, o, _g in sample_store.quads(None, None, None, TERRITORIES_GRAPH):
        data.add((s, p, o))
    data += ontology_graph()
    conforms, _results, text = validate(data, shacl_graph=shapes_graph(), inference="none")
    assert conforms, text


def test_sample_counts(sample_store: Store) -> None:
    def count(klass: object) -> int:
        return len(set(sample_store.triples(None, RDF.type, klass)))  # type: ignore[arg-type]

    # acteurs.csv: 79 rows, 5 inhabitants; projets.csv 18; participations.csv 112; adhesions.csv 79
    assert (count(MAI.Organisation), count(MAI.Person)) == (74, 5)
    assert count(MAI.Project) == 18
    assert count(MAI.Participation) == 112
    assert count(MAI.Membership) == 79
    assert (count(MAI.Need), count(MAI.Offer), count(MAI.Partnership)) == (95, 96, 38)
    # real geography: 872 communes, 28 EPCI, 523 municipios
    assert (count(MAI.Commune), count(MAI.EPCI), count(MAI.Municipio)) == (872, 28, 523)


def test_importing_the_sample_twice_changes_nothing(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    first = import_path(store, SAMPLE)
    assert (first.updated, first.unchanged) == (0, 0)
    before = io.BytesIO()
    store.dump_nquads(before)
    second = import_path(store, SAMPLE)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    after = io.BytesIO()
    store.dump_nquads(after)
    assert after.getvalue() == before.getvalue()


def test_the_sample_as_a_workbook_gives_the_same_graph(sample_store: Store, tmp_path: Path) -> None:
    workbook = tmp_path / "ptce-sud-aquitain.xlsx"
    workbook.write_bytes(write_xlsx(read_tables(SAMPLE)))
    store = OxigraphStore(tmp_path / "db")
    import_path(store, workbook)
    from_xlsx = {(s, p, o) for s, p, o, _g in store.quads(None, None, None, GRAPH)}
    from_csv = {(s, p, o) for s, p, o, _g in sample_store.quads(None, None, None, GRAPH)}
    # only the recorded source differs: "acteurs.csv › ligne 2" against "ptce-sud-aquitain.xlsx › ligne 2"
    assert {t for t in from_xlsx if "source" not in t[1]} == {t for t in from_csv if "source" not in t[1]}
    assert len(from_xlsx) == len(from_csv)
