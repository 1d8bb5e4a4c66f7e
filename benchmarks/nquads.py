"""N-Triples terms and N-Quads batches, as text for Oxigraph's bulk loader (what the generator writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import URIRef

from maillage.ontology.iri import concept_iri, data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import DCTERMS, GEO, MAI, ORG, RDF, SDO, SKOS, XSD


def iri(value: str | URIRef) -> str:
    """``<value>``."""
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    """A plain (or language-tagged) literal, escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: URIRef) -> str:
    """A typed literal."""
    return f'"{value}"^^<{datatype}>'


def decimal(value: float) -> str:
    """The `xsd:decimal` the importer writes (`maillage.ontology.literals.decimal_literal`: 5 places)."""
    return decimal_literal(value).n3()


def date(start: dt.date, day: int) -> str:
    """The `xsd:date` `day` days after `start`."""
    return typed((start + dt.timedelta(days=int(day))).isoformat(), XSD.date)


def prefix(kind: str) -> str:
    """``https://w3id.org/maillage/id/{kind}/`` through the IRI scheme."""
    return str(data_iri(kind, "x"))[:-1]


def concept(scheme: str, key: str) -> str:
    """A concept of one of Maillage's schemes, as a term."""
    return iri(concept_iri(scheme, key))


class Lines:
    """N-Quads lines of one named graph, joined into bytes batch by batch."""

    def __init__(self, graph: str) -> None:
        self.graph = f" <{graph}> .\n"
        self.lines: list[str] = []
        self.total = 0

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(subject + " " + predicate + " " + obj + self.graph)

    def flush(self) -> bytes:
        data = "".join(self.lines).encode("utf-8")
        self.total += len(self.lines)
        self.lines = []
        return data


@dataclass(frozen=True)
class Terms:
    """Every predicate and class the generator writes, as N-Triples terms."""

    type: str = iri(RDF.type)
    label: str = iri(SKOS.prefLabel)
    description: str = iri(DCTERMS.description)
    organisation: str = iri(MAI.Organisation)
    person: str = iri(MAI.Person)
    actor_type: str = iri(MAI.actorType)
    field: str = iri(MAI.field)
    based_in: str = iri(MAI.basedIn)
    lat: str = iri(GEO.lat)
    long: str = iri(GEO.long)
    consent: str = iri(MAI.publicConsent)
    needs: str = iri(MAI.needs)
    offers: str = iri(MAI.offers)
    need_class: str = iri(MAI.Need)
    offer_class: str = iri(MAI.Offer)
    actor: str = iri(MAI.actor)
    resource: str = iri(MAI.resource)
    membership: str = iri(MAI.Membership)
    member: str = iri(ORG.member)
    organization: str = iri(ORG.organization)
    role: str = iri(ORG.role)
    college: str = iri(MAI.college)
    charter: str = iri(MAI.charterSigned)
    start: str = iri(SDO.startDate)
    end: str = iri(SDO.endDate)
    project_class: str = iri(MAI.Project)
    project: str = iri(MAI.project)
    participant: str = iri(MAI.participant)
    participation_class: str = iri(MAI.Participation)
    participation_role: str = iri(MAI.participationRole)
    territory: str = iri(MAI.territory)
    status: str = iri(MAI.status)
    network: str = iri(MAI.network)
    partnership_class: str = iri(MAI.Partnership)
    partner: str = iri(MAI.partner)
    partner_of: str = iri(MAI.partnerOf)
    partnership_kind: str = iri(MAI.partnershipKind)
    network_class: str = iri(MAI.Network)
