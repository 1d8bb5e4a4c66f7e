"""The IRI scheme of Maillage data: entities, concepts and named graphs.

See docs/decisions/20261128-data-model.md.
"""

from __future__ import annotations

import re

from rdflib import URIRef

BASE = "https://w3id.org/maillage/"
DATA_BASE = BASE + "id/"
CONCEPT_BASE = BASE + "concept/"
GRAPH_BASE = BASE + "graph/"

DATA_KINDS = frozenset(
    {
        "actor",
        "import-run",
        "project",
        "network",
        "membership",
        "participation",
        "partnership",
        "offer",
        "need",
        "commune",
        "epci",
        "departement",
        "municipio",
        "provincia",
        "region",
        "country",
    }
)
CONCEPT_SCHEMES = frozenset(
    {
        "field",
        "resource",
        "actor-type",
        "college",
        "membership-role",
        "participation-role",
        "partnership-kind",
        "project-status",
    }
)
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")

ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
TERRITORIES_GRAPH = URIRef(GRAPH_BASE + "territories")


class IRIError(ValueError):
    """A key or kind cannot make a Maillage IRI."""


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise IRIError(
            f"Identifiant invalide : « {key} » (lettres sans accent, chiffres, « - », « _ », « . » ; "
            "pas d'espace)"
        )
    return key


def data_iri(kind: str, key: str) -> URIRef:
    """The IRI of an entity.

    >>> data_iri("actor", "atelier-bois")
    rdflib.term.URIRef('https://w3id.org/maillage/id/actor/atelier-bois')
    """
    if kind not in DATA_KINDS:
        raise IRIError(f"Type d'entité inconnu : « {kind} »")
    return URIRef(f"{DATA_BASE}{kind}/{_check_key(key)}")


def concept_iri(scheme: str, key: str) -> URIRef:
    """The IRI of a SKOS concept of one of Maillage's schemes.

    >>> concept_iri("field", "circuits-courts")
    rdflib.term.URIRef('https://w3id.org/maillage/concept/field/circuits-courts')
    """
    if scheme not in CONCEPT_SCHEMES:
        raise IRIError(f"Schéma de concepts inconnu : « {scheme} »")
    return URIRef(f"{CONCEPT_BASE}{scheme}/{_check_key(key)}")


def provenance_graph(slug: str) -> URIRef:
    """The named graph holding the provenance (import runs, created / modified dates) of one network."""
    return URIRef(f"{GRAPH_BASE}provenance/{_check_key(slug)}")


def network_graph(slug: str) -> URIRef:
    """The named graph holding one imported network."""
    return URIRef(f"{GRAPH_BASE}network/{_check_key(slug)}")


def split_data_iri(iri: str) -> tuple[str, str] | None:
    """(kind, key) of a Maillage entity IRI, or None for any other IRI.

    >>> split_data_iri("https://w3id.org/maillage/id/project/legumerie")
    ('project', 'legumerie')
    """
    if not iri.startswith(DATA_BASE):
        return None
    kind, _, key = iri[len(DATA_BASE) :].partition("/")
    if kind not in DATA_KINDS or not key or "/" in key:
        return None
    return kind, key


def key_of(iri: str) -> str:
    """The last path segment of an IRI (the key of an entity or concept)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
