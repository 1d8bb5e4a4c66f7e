"""Exports: every format parses back with the values of the sample network, public data only.

Counts worked out from ingest/data/sample/ptce-sud-aquitain/acteurs.csv: 79 actors, of which 5 are
inhabitants and 2 of them (hab-jean-baptiste-dufau, hab-lucas-lafitte) did not consent, so 77 public
actors: 74 organisations and 3 persons, 64 in France and 13 in Spain. ESS types (association 17, siae 8,
scop 5, scic 3, cooperative 3, cooperative-agricole 3, cae 2, mutuelle 2, fondation 2) make 45
essglobal:SSEInitiative. Legal forms by skos:closeMatch (ontology/schemes/actor-types.ttl): the 17
associations → L4, the 16 cooperatives of every kind (3 + 5 + 3 + 2 + 3) → L2; the SIAE, mutuals and
foundations have only a broadMatch or no legal-form match, so none.
Ressourcerie Lur Berri: siae, Tarnos (INSEE 40312, postal code 40220), 43.53697 / -1.46578.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SDO, SKOS

from maillage.api.app import create_app
from maillage.api.routers.linked_data import actor_colors
from maillage.graph._export.alignment import legal_forms
from maillage.graph.export import (
    ALIGNMENT_GRAPH,
    DATASETS,
    FORMATS,
    ExportError,
    export_chunks,
    export_graph,
    neutralise,
    public_graph,
    script_json,
    serialize,
)
from maillage.graph.index import build_index
from maillage.graph.privacy import Audience, private_actors
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path
from maillage.ingest.report import ImportRefusedError
from maillage.ontology.iri import CONCEPT_BASE, ONTOLOGY_GRAPH, data_iri, network_graph
from maillage.ontology.vocab import ONTOLOGY_DIR

from .conftest import SAMPLE

ESSGLOBAL = Namespace("http://purl.org/essglobal/vocab/")
LEGAL_FORM = Namespace("http://purl.org/essglobal/standard/legal-form/")
LUR_BERRI = data_iri("actor", "ressourcerie-lur-berri")
DUFAU = data_iri("actor", "hab-jean-baptiste-dufau")
SECRETS = ["Dufau", "jb.dufau@exemple.org", "+33 6 12 34 56 78"]
INJECTION = '=HYPERLINK("http://exemple.org/vol","cliquez")'
BREAKOUT = "Atelier </script><script>alert('x')</script> bois"
RDF_PARSERS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample network plus secrets on a person who did not consent, a formula in a public actor's
    quantity, and a closing script tag in another's description."""
    store = OxigraphStore(tmp_path_factory.mktemp("seeded") / "oxigraph")
    import_path(store, SAMPLE)
    graph = network_graph("ptce-sud-aquitain")
    store.add_all(
        [
            (DUFAU, SDO.email, Literal(SECRETS[1]), graph),
            (DUFAU, SDO.telephone, Literal(SECRETS[2]), graph),
            (LUR_BERRI, URIRef("https://w3id.org/maillage/ontology#quantity"), Literal(INJECTION), graph),
        ]
    )
    chantier = data_iri("actor", "chantier-bois-adour")
    with store.transaction() as tx:
        tx.remove_pattern(chantier, DCTERMS.description, None, graph)
        tx.add((chantier, DCTERMS.description, Literal(BREAKOUT, lang="fr"), graph))
    yield store
    store.close()


def joined(store: Store, format_name: str, **options: object) -> bytes:
    return b"".join(export_chunks(store, format_name, aligned=True, **options))  # type: ignore[arg-type]


# --- RDF formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "format_name,suffix", [("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld"), ("rdfxml", ".rdf")]
)
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


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("format_name", list(RDF_PARSERS))
def test_every_rdf_export_parses_back_to_the_same_graph(
    sample_store: Store, dataset: str, format_name: str
) -> None:
    expected = export_graph(sample_store, dataset=dataset, aligned=True)
    parsed = Graph().parse(
        data=joined(sample_store, format_name, dataset=dataset), format=RDF_PARSERS[format_name]
    )
    assert len(parsed) == len(expected) > 100
    assert isomorphic(parsed, expected)


def test_nquads_keep_the_network_provenance_and_alignment_graphs(sample_store: Store) -> None:
    dataset = Dataset()
    dataset.parse(data=joined(sample_store, "nquads"), format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {
        "https://w3id.org/maillage/graph/network/ptce-sud-aquitain",
        "https://w3id.org/maillage/graph/provenance/ptce-sud-aquitain",
        str(ALIGNMENT_GRAPH),
    }
    network = dataset.graph(URIRef("https://w3id.org/maillage/graph/network/ptce-sud-aquitain"))
    assert isomorphic(network, public_graph(sample_store))


def test_line_formats_are_streamed_in_chunks(sample_store: Store) -> None:
    chunks = list(export_chunks(sample_store, "nt", aligned=True))
    # ~800 kB of N-Triples in chunks of about 64 KiB
    assert len(chunks) >= 10 and all(len(c) < 70_000 for c in chunks)
    assert all(chunk.endswith(b" .\n") for chunk in chunks)


def test_jsonld_is_compacted_with_the_published_context(sample_store: Store) -> None:
    data = json.loads(joined(sample_store, "jsonld"))
    published = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text())["@context"]
    assert data["@context"] == published
    lur_berri = next(node for node in data["@graph"] if node["@id"] == "acteur:ressourcerie-lur-berri")
    assert lur_berri["schema:name"] == "Ressourcerie Lur Berri"
    assert set(lur_berri["@type"]) == {"mai:Organisation", "schema:Organization", "essglobal:SSEInitiative"}


# --- alignment -------------------------------------------------------------------------------------


def test_legal_forms_are_kept_until_the_store_changes(sample_store: Store) -> None:
    store = OxigraphStore(None)
    store.add_all(sample_store.quads())
    scop = URIRef(CONCEPT_BASE + "actor-type/scop")
    cooperative = URIRef(CONCEPT_BASE + "actor-type/cooperative")
    forms = legal_forms(store)
    assert (forms[scop], forms[cooperative]) == (LEGAL_FORM.L2, LEGAL_FORM.L2)  # a SCOP: by its broader type
    assert legal_forms(store) is forms  # an actor page reads them again: kept
    with store.transaction() as tx:  # the taxonomy loses the cooperatives' match
        tx.remove((cooperative, SKOS.closeMatch, LEGAL_FORM.L2, ONTOLOGY_GRAPH))
    after = legal_forms(store)
    assert cooperative not in after and scop not in after  # read again, the SCOP's broader type too
    assert after[URIRef(CONCEPT_BASE + "actor-type/association")] == LEGAL_FORM.L4


def test_actors_are_described_with_schema_org_and_essglobal(sample_store: Store) -> None:
    graph = export_graph(sample_store, dataset="acteurs", aligned=True)
    assert len(set(graph.subjects(RDF.type, SDO.Organization))) == 74
    assert len(set(graph.subjects(RDF.type, SDO.Person))) == 3
    assert len(set(graph.subjects(RDF.type, ESSGLOBAL.SSEInitiative))) == 45
    forms = [o for _s, o in graph.subject_objects(ESSGLOBAL.legalForm)]
    assert (forms.count(LEGAL_FORM.L4), forms.count(LEGAL_FORM.L2), len(forms)) == (17, 16, 33)
    address = graph.value(LUR_BERRI, SDO.address)
    assert graph.value(address, RDF.type) == SDO.PostalAddress
    assert (
        str(graph.value(address, SDO.addressLocality)),
        str(graph.value(address, SDO.postalCode)),
        str(graph.value(address, SDO.addressCountry)),
    ) == ("Tarnos", "40220", "FR")
    geo = graph.value(LUR_BERRI, SDO.geo)
    assert (float(graph.value(geo, SDO.latitude)), float(graph.value(geo, SDO.longitude))) == (
        43.53697,
        -1.46578,
    )
    persons = set(graph.subjects(RDF.type, SDO.Person))
    assert not any(graph.value(p, SDO.geo) for p in persons), "persons are placed by commune only"


# --- Gephi -----------------------------------------------------------------------------------------


def test_gexf_and_graphml_open_with_the_same_nodes_edges_and_attributes(
    sample_store: Store, tmp_path: Path
) -> None:
    index = build_index(sample_store)
    colors = actor_colors(index)
    (tmp_path / "r.gexf").write_bytes(joined(sample_store, "gexf", index=index, colors=colors))
    (tmp_path / "r.graphml").write_bytes(joined(sample_store, "graphml", index=index, colors=colors))
    gexf = nx.read_gexf(tmp_path / "r.gexf")
    graphml = nx.read_graphml(tmp_path / "r.graphml")
    assert gexf.number_of_nodes() == graphml.number_of_nodes() == 77
    assert set(gexf.edges()) == set(graphml.edges()) and gexf.number_of_edges() > 50
    node = gexf.nodes["ressourcerie-lur-berri"]
    assert (node["label"], node["commune"], node["pays"], node["college"]) == (
        "Ressourcerie Lur Berri",
        "Tarnos",
        "FR",
        "Économie sociale et solidaire",
    )
    assert node["type"] == "Structure d'insertion par l'activité économique"
    assert (node["latitude"], node["longitude"]) == (43.53697, -1.46578)
    assert node["domaines"] == graphml.nodes["ressourcerie-lur-berri"]["domaines"]
    color = colors["ressourcerie-lur-berri"]
    viz = node["viz"]["color"]
    assert "#{:02X}{:02X}{:02X}".format(viz["r"], viz["g"], viz["b"]) == color.upper()
    assert graphml.nodes["ressourcerie-lur-berri"]["couleur"] == color
    for key in ("label", "type", "commune", "pays", "latitude"):
        assert gexf.nodes["ressourcerie-lur-berri"][key] == graphml.nodes["ressourcerie-lur-berri"][key]


# --- CSV and GeoJSON -------------------------------------------------------------------------------


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def test_csv_is_one_file_per_kind_with_the_sample_values(sample_store: Store) -> None:
    tables = read_zip(joined(sample_store, "csv"))
    assert set(tables) == {
        "actor.csv",
        "membership.csv",
        "need.csv",
        "offer.csv",
        "network.csv",
        "participation.csv",
        "partnership.csv",
        "project.csv",
    }
    header, *rows = tables["actor.csv"]
    assert len(rows) == 77
    row = dict(zip(header, next(r for r in rows if r[1] == "ressourcerie-lur-berri"), strict=True))
    assert (row["skos:prefLabel"], row["mai:basedIn"], row["mai:actorType"], row["geo:long"]) == (
        "Ressourcerie Lur Berri",
        "40312",
        "siae",
        "-1.46578",
    )
    assert row["mai:field"] == "insertion-professionnelle | reemploi-economie-circulaire"


def test_csv_cells_that_would_run_as_formulas_are_neutralised(seeded_store: Store) -> None:
    tables = read_zip(joined(seeded_store, "csv"))
    header, *rows = tables["actor.csv"]
    row = dict(zip(header, next(r for r in rows if r[1] == "ressourcerie-lur-berri"), strict=True))
    assert row["mai:quantity"] == "'" + INJECTION
    assert [neutralise(v) for v in ("+336", "@x", "\tx", "\rx", "-x", "=1", "-1.5", "12")] == [
        "'+336",
        "'@x",
        "'\tx",
        "'\rx",
        "'-x",
        "'=1",
        "-1.5",
        "12",
    ]


def test_geojson_has_the_public_actors_as_points(sample_store: Store) -> None:
    data = json.loads(joined(sample_store, "geojson"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 77
    feature = next(f for f in data["features"] if f["id"] == "ressourcerie-lur-berri")
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.46578, 43.53697]}
    assert (feature["properties"]["commune"], feature["properties"]["pays"]) == ("Tarnos", "FR")
    assert sum(f["properties"]["pays"] == "ES" for f in data["features"]) == 13


# --- privacy ---------------------------------------------------------------------------------------


def every_public_output(store: Store) -> Iterator[tuple[str, bytes]]:
    for dataset in DATASETS.values():
        for format_name in dataset.formats:
            yield f"{dataset.name}.{format_name}", joined(store, format_name, dataset=dataset.name)
    client = TestClient(create_app(store))
    for dataset in DATASETS.values():
        for format_name in dataset.formats:
            path = f"/export/{dataset.name}.{FORMATS[format_name].extension}"
            response = client.get(path)
            assert response.status_code == 200, path
            yield path, response.content
    for path in ("/catalog", "/", "/actors/ressourcerie-lur-berri", "/id/actor/ressourcerie-lur-berri"):
        response = client.get(path, headers={"accept": "text/html"} if not path.startswith("/id") else {})
        yield path, response.content


def test_no_export_contains_a_private_inhabitant(seeded_store: Store) -> None:
    assert DUFAU in private_actors(seeded_store)
    leaks = [
        (where, secret)
        for where, output in every_public_output(seeded_store)
        for secret in SECRETS
        if secret.encode() in output or secret.encode("unicode_escape") in output
    ]
    assert leaks == []
    # the scan does find them when private data is asked for (an animator's export)
    private = joined(seeded_store, "turtle", audience=Audience.ANIMATORS)
    assert all(secret.encode() in private for secret in SECRETS)


# --- errors ----------------------------------------------------------------------------------------


def test_unknown_format_or_dataset_is_refused(sample_store: Store) -> None:
    with pytest.raises(ExportError, match="Format d'export inconnu : « xls »"):
        serialize(sample_store, "xls")
    with pytest.raises(ExportError, match="Jeu de données inconnu : « membres »"):
        serialize(sample_store, "turtle", dataset="membres")
    with pytest.raises(ExportError, match="Format « gexf » non proposé pour le jeu « projets »"):
        serialize(sample_store, "gexf", dataset="projets")


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "distant.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "urn:x", "name": "X"}')
    with pytest.raises(ImportRefusedError, match="contexte JSON-LD distant refusé"):
        import_path(OxigraphStore(tmp_path / "db"), path)


# --- HTML pages ------------------------------------------------------------------------------------


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"name": BREAKOUT})
    assert "</script>" not in text and "<" not in text
    assert json.loads(text) == {"name": BREAKOUT}


def page_jsonld(html: str) -> Graph:
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return Graph().parse(data=html[start : html.index("</script>", start)], format="json-ld")


def test_pages_embed_schema_org_jsonld(seeded_store: Store) -> None:
    client = TestClient(create_app(seeded_store))
    actor = page_jsonld(client.get("/actors/ressourcerie-lur-berri").text)
    assert actor.value(LUR_BERRI, SDO.name) == Literal("Ressourcerie Lur Berri")
    assert (LUR_BERRI, RDF.type, ESSGLOBAL.SSEInitiative) in actor
    assert str(actor.value(actor.value(LUR_BERRI, SDO.address), SDO.addressLocality)) == "Tarnos"
    network = page_jsonld(client.get("/").text)
    members = set(network.objects(None, SDO.member))
    assert len(members) == 77 and DUFAU not in members


def test_a_closing_script_tag_in_the_data_stays_inside_the_jsonld(seeded_store: Store) -> None:
    client = TestClient(create_app(seeded_store))
    chantier = data_iri("actor", "chantier-bois-adour")
    html = client.get("/actors/chantier-bois-adour").text
    assert "<script>alert" not in html  # neither in the JSON-LD nor in the page text (autoescaped)
    described = page_jsonld(html)  # ends at the first </script>: the whole JSON-LD parses
    assert described.value(chantier, SDO.description) == Literal(BREAKOUT, lang="fr")
