"""The few terms the index reads: namespaces, IRI bases, actor classes (later: `maillage.ontology.vocab`)."""

from __future__ import annotations

from rdflib import Namespace

MAI = Namespace("https://w3id.org/maillage/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

#: Where actor IRIs live: ``{ACTOR_BASE}{key}``.
ACTOR_BASE = "https://w3id.org/maillage/id/actor/"
#: Where project IRIs live: ``{PROJECT_BASE}{key}``.
PROJECT_BASE = "https://w3id.org/maillage/id/project/"

#: The classes whose instances the index keeps as actors.
ACTOR_CLASSES = frozenset({MAI.Actor, MAI.Organisation, MAI.Person})

#: The classes the index asks about (``rdf:type`` is read for these only): actors, concepts, projects,
#: and the territory levels the EPCI and the country are found from.
INDEXED_CLASSES = (*sorted(ACTOR_CLASSES), SKOS.Concept, MAI.Project, MAI.EPCI, MAI.Country)
