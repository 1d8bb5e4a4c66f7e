"""/catalog: the DCAT-AP 3 catalogue passes the official DCAT-AP 3.0.1 SHACL shapes with zero results,
describes every node it points to, and its download URLs serve what they announce.

Expected values worked out from ingest/data/sample/ptce-sud-aquitain: the public actors are in the
départements 40 (Landes) and 64 (Pyrénées-Atlantiques) and the provinces 01 (Araba/Álava), 20 (Gipuzkoa),
31 (Navarra) and 48 (Bizkaia) (first two digits of their INSEE / INE commune codes); the earliest date of
the CSV files is 2014-03-01 (adhesions.csv, founders' start) and the latest 2027-01-04 (projets.csv, a
planned project's start). Four datasets with 9 + 6 + 5 + 5 = 25 distributions (graph/_export/formats.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyshacl
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, SH, XSD

from maillage.api.app import create_app
from maillage.graph.stores.base import Store

from .conftest import SHARED_DATA

SHAPES = SHARED_DATA / "dcat-ap-3.0.1" / "dcat-ap-SHACL.ttl"  # CC BY 4.0, (c) European Union: SOURCE.txt
URL_PROPERTIES = {
    DCAT.accessURL,
    DCAT.downloadURL,
    FOAF.homepage,
    URIRef("http://www.w3.org/2006/vcard/ns#hasURL"),
}


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    yield TestClient(create_app(sample_store))


@pytest.fixture(scope="module")
def catalog(client: TestClient) -> Graph:
    response = client.get("/catalog")
    assert response.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=response.text, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def validation_results(data: Graph, shapes: Graph) -> list[tuple[str, str, str]]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def test_catalog_passes_the_official_dcat_ap_shapes(catalog: Graph, shapes: Graph) -> None:
    assert validation_results(catalog, shapes) == []  # no violation, no warning, no info


def test_the_shapes_do_find_a_node_left_undescribed(catalog: Graph, shapes: Graph) -> None:
    # as in the spec's own examples: a publisher that is not typed in the same document fails
    broken = Graph() + catalog
    publisher = broken.value(next(broken.subjects(RDF.type, DCAT.Catalog)), DCTERMS.publisher)
    broken.remove((publisher, RDF.type, FOAF.Agent))
    results = validation_results(broken, shapes)
    assert results and all(severity.endswith("Violation") for _n, _p, severity in results)
    assert {path for _n, path, _s in results} == {str(DCTERMS.publisher)}


def test_jsonld_by_content_negotiation_is_the_same_catalog(client: TestClient, catalog: Graph) -> None:
    response = client.get("/catalog", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["vary"] == "Accept"
    assert isomorphic(Graph().parse(data=response.text, format="json-ld"), catalog)


def test_every_referenced_node_is_described_in_the_document(catalog: Graph) -> None:
    untyped = {
        o
        for _s, p, o in catalog
        if isinstance(o, URIRef)
        and p != RDF.type
        and p not in URL_PROPERTIES
        and (o, RDF.type, None) not in catalog
    }
    assert untyped == set()


def test_datasets_places_period_and_distributions(catalog: Graph) -> None:
    (root,) = catalog.subjects(RDF.type, DCAT.Catalog)
    datasets = set(catalog.objects(root, DCAT.dataset))
    assert {str(catalog.value(d, DCTERMS.identifier)) for d in datasets} == {
        "reseau",
        "acteurs",
        "projets",
        "taxonomie",
    }
    assert len(set(catalog.subjects(RDF.type, DCAT.Distribution))) == 25
    places = {
        str(catalog.value(p, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))
        for p in catalog.objects(root, DCTERMS.spatial)
    }
    assert places == {"Landes", "Pyrénées-Atlantiques", "Araba/Álava", "Gipuzkoa", "Navarra", "Bizkaia"}
    period = catalog.value(URIRef("http://testserver/catalog/jeu/reseau"), DCTERMS.temporal)
    assert (catalog.value(period, DCAT.startDate), catalog.value(period, DCAT.endDate)) == (
        Literal("2014-03-01", datatype=XSD.date),
        Literal("2027-01-04", datatype=XSD.date),
    )
    turtle = URIRef("http://testserver/catalog/distribution/reseau-turtle")
    assert catalog.value(turtle, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/text/turtle"
    )
    assert catalog.value(turtle, DCAT.downloadURL) == URIRef("http://testserver/export/reseau.ttl")
    assert catalog.value(turtle, DCTERMS.license) == URIRef(
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    )


def test_every_download_url_serves_its_media_type(client: TestClient, catalog: Graph) -> None:
    iana = "http://www.iana.org/assignments/media-types/"
    for distribution in catalog.subjects(RDF.type, DCAT.Distribution):
        url = str(catalog.value(distribution, DCAT.downloadURL))
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        media = catalog.value(distribution, DCAT.mediaType)
        if media is not None:
            assert response.headers["content-type"].split(";")[0] == str(media).removeprefix(iana), url
