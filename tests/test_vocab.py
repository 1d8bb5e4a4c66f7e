"""Python reads the ontology; a misspelt term raises instead of minting a bogus IRI."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from maillage.ontology.iri import IRIError, concept_iri, data_iri, key_of, split_data_iri
from maillage.ontology.vocab import GEO, MAI, ontology_graph


def test_terms_come_from_the_turtle() -> None:
    assert MAI.Actor == URIRef("https://w3id.org/maillage/ontology#Actor")
    assert MAI.partnerOf == URIRef("https://w3id.org/maillage/ontology#partnerOf")
    assert (MAI.Actor, None, None) in ontology_graph()


@pytest.mark.parametrize("misspelt", ["Actr", "partnerof", "basedin"])
def test_misspelt_terms_raise(misspelt: str) -> None:
    with pytest.raises(AttributeError):
        getattr(MAI, misspelt)
    with pytest.raises(AttributeError):
        GEO.latitude  # noqa: B018


def test_iri_scheme() -> None:
    assert data_iri("actor", "atelier-bois") == URIRef("https://w3id.org/maillage/id/actor/atelier-bois")
    assert concept_iri("resource", "atelier") == URIRef("https://w3id.org/maillage/concept/resource/atelier")
    assert split_data_iri("https://w3id.org/maillage/id/commune/40312") == ("commune", "40312")
    assert split_data_iri("https://exemple.org/id/commune/40312") is None
    assert key_of("https://w3id.org/maillage/concept/field/emploi") == "emploi"


@pytest.mark.parametrize("key", ["", "atelier bois", "../etc", "é"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(IRIError, match="Identifiant invalide"):
        data_iri("actor", key)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(IRIError, match="« acteur »"):
        data_iri("acteur", "x")
