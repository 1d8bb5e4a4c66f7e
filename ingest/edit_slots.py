"""The editable fields of each kind of entity (`Form`), and their translation to triples and back.

One `Slot` per API field says which predicate carries it and how its value is written: a text, a French
text, a concept key of a scheme, the key of another entity, a territory code, a date, a decimal, a boolean.
The API writes and reads entities through these forms only, so what it may change is listed here, in one
place, and everything else an entity holds (its source row, its NAF code, its links) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SDO, SKOS, XSD

from maillage.graph.privacy import Audience, withheld_properties
from maillage.ingest.cells import WEB_ADDRESS, Triple
from maillage.ingest.contacts import ContactError, normalise_email, normalise_phone
from maillage.ingest.territories import places
from maillage.ontology.iri import IRIError, concept_iri, data_iri, key_of, split_data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import GEO, MAI

#: Kinds of slot values (see `Slot`).
TEXT, FRENCH, CONCEPT, ENTITY, PLACE, TERRITORY, DATE, DECIMAL, BOOLEAN, WEB, EMAIL, PHONE = (
    "text",
    "french",
    "concept",
    "entity",
    "place",
    "territory",
    "date",
    "decimal",
    "boolean",
    "web",
    "email",
    "phone",
)


@dataclass(frozen=True)
class Slot:
    """One API field of an entity: its `predicate`, how its value is written (`kind`), and for a concept
    the scheme (for an entity reference, the kind of entity) it names; `many` for a list of values."""

    name: str
    predicate: URIRef
    kind: str
    scheme: str | None = None
    many: bool = False
    required: bool = False


@dataclass(frozen=True)
class Form:
    """The editable fields of one kind of entity (`kind` as in its IRI, `label` in French)."""

    kind: str
    label: str
    slots: tuple[Slot, ...]

    def slot(self, name: str) -> Slot:
        for slot in self.slots:
            if slot.name == name:
                return slot
        raise KeyError(name)

    @property
    def predicates(self) -> frozenset[URIRef]:
        return frozenset(slot.predicate for slot in self.slots)

    def field_of(self, predicate: URIRef) -> str | None:
        """The API field a predicate carries (for the messages of the shapes)."""
        return next((slot.name for slot in self.slots if slot.predicate == predicate), None)


ACTOR = Form(
    "actor",
    "acteur",
    (
        Slot("name", SKOS.prefLabel, TEXT, required=True),
        Slot("type", MAI.actorType, CONCEPT, "actor-type", required=True),
        Slot("fields", MAI.field, CONCEPT, "field", many=True, required=True),
        Slot("commune", MAI.basedIn, PLACE, required=True),
        Slot("lat", GEO.lat, DECIMAL),
        Slot("lon", GEO.long, DECIMAL),
        Slot("description", DCTERMS.description, FRENCH),
        Slot("homepage", FOAF.homepage, WEB),
        Slot("siret", MAI.siret, TEXT),
        Slot("rna", MAI.rna, TEXT),
        Slot("nif", MAI.nif, TEXT),
        Slot("public_consent", MAI.publicConsent, BOOLEAN),
        # seen by the network (e-mail, phone) or the animators (note) only: `maillage.graph.privacy`
        Slot("email", SDO.email, EMAIL),
        Slot("telephone", SDO.telephone, PHONE),
        Slot("internal_note", MAI.internalNote, TEXT),
    ),
)
NEED = Form(
    "need",
    "besoin",
    (
        Slot("actor", MAI.actor, ENTITY, "actor", required=True),
        Slot("resource", MAI.resource, CONCEPT, "resource", required=True),
        Slot("description", DCTERMS.description, FRENCH),
        Slot("quantity", MAI.quantity, TEXT),
    ),
)
OFFER = Form("offer", "offre", NEED.slots)
PROJECT = Form(
    "project",
    "projet",
    (
        Slot("name", SKOS.prefLabel, TEXT, required=True),
        Slot("description", DCTERMS.description, FRENCH),
        Slot("fields", MAI.field, CONCEPT, "field", many=True, required=True),
        Slot("territories", MAI.territory, TERRITORY, many=True),
        Slot("status", MAI.status, CONCEPT, "project-status", required=True),
        Slot("start", SDO.startDate, DATE),
        Slot("end", SDO.endDate, DATE),
    ),
)
PARTICIPATION = Form(
    "participation",
    "participation",
    (
        Slot("project", MAI.project, ENTITY, "project", required=True),
        Slot("actor", MAI.participant, ENTITY, "actor", required=True),
        Slot("role", MAI.participationRole, CONCEPT, "participation-role", required=True),
        Slot("start", SDO.startDate, DATE),
        Slot("end", SDO.endDate, DATE),
    ),
)
PARTNERSHIP = Form(
    "partnership",
    "partenariat",
    (
        Slot("partners", MAI.partner, ENTITY, "actor", many=True, required=True),
        Slot("kind", MAI.partnershipKind, CONCEPT, "partnership-kind", required=True),
        Slot("description", DCTERMS.description, FRENCH),
        Slot("start", SDO.startDate, DATE),
        Slot("end", SDO.endDate, DATE),
    ),
)
FORMS = {form.kind: form for form in (ACTOR, NEED, OFFER, PROJECT, PARTICIPATION, PARTNERSHIP)}


def withheld_fields(form: Form, audience: Audience) -> frozenset[str]:
    """The fields of `form` whose values `audience` may not see (`maillage.graph.privacy`): left out of
    what it reads, kept as they are by what it writes.

    >>> sorted(withheld_fields(ACTOR, Audience.PUBLIC)), sorted(withheld_fields(ACTOR, Audience.NETWORK))
    (['email', 'internal_note', 'telephone'], ['internal_note'])
    """
    withheld = withheld_properties(audience)
    return frozenset(slot.name for slot in form.slots if slot.predicate in withheld)


class SlotError(ValueError):
    """A value cannot become a term (a key with a space, an unknown territory code); says which rule."""

    def __init__(self, field: str, value: str, rule: str) -> None:
        super().__init__(f"{field} : « {value} » — {rule}")
        self.field, self.value, self.rule = field, value, rule


def term_of(slot: Slot, value: Any, *, country: str | None = None) -> URIRef | Literal:
    """The RDF term of one value of `slot` (`country` for a commune code: FR or ES).

    >>> term_of(ACTOR.slot("fields"), "circuits-courts")
    rdflib.term.URIRef('https://w3id.org/maillage/concept/field/circuits-courts')
    >>> term_of(ACTOR.slot("commune"), "40312", country="FR")
    rdflib.term.URIRef('https://w3id.org/maillage/id/commune/40312')
    """
    text = str(value).strip() if not isinstance(value, bool | dt.date | float | int) else value
    try:
        if slot.kind == CONCEPT:
            assert slot.scheme is not None
            return concept_iri(slot.scheme, str(text))
        if slot.kind == ENTITY:
            assert slot.scheme is not None
            return data_iri(slot.scheme, str(text))
        if slot.kind == PLACE:
            found = places().get(((country or "FR").upper(), str(text)))
            # An unknown code still names an IRI: the shapes then say, in their words, that no such
            # commune is known (the same message as an import's).
            return found.iri if found else data_iri("commune" if country != "ES" else "municipio", str(text))
        if slot.kind == TERRITORY:
            return _territory(str(text))
    except IRIError as error:
        raise SlotError(slot.name, str(value), str(error)) from None
    if slot.kind == DATE:
        return Literal(value.isoformat() if isinstance(value, dt.date) else str(text), datatype=XSD.date)
    if slot.kind == DECIMAL:
        try:
            return decimal_literal(value)
        except ArithmeticError:
            raise SlotError(slot.name, str(value), "nombre décimal attendu") from None
    if slot.kind == BOOLEAN:
        return Literal(bool(value))
    if slot.kind == WEB:
        if not WEB_ADDRESS.fullmatch(str(text)):  # the importer's rule: a 500 and a javascript: link before
            raise SlotError(slot.name, str(value), "adresse web invalide (elle commence par https://)")
        return URIRef(str(text))
    if slot.kind in (EMAIL, PHONE):
        try:
            return Literal(normalise_email(str(text)) if slot.kind == EMAIL else normalise_phone(str(text)))
        except ContactError as error:
            raise SlotError(slot.name, str(value), f"{error.rule} ({error.hint})") from None
    if slot.kind == FRENCH:
        return Literal(str(text), lang="fr")
    if slot.name in ("siret", "rna", "nif"):
        return Literal(str(text).replace(" ", "").upper())
    return Literal(str(text))


def _territory(text: str) -> URIRef:
    """A project's territory as the import template writes it: INSEE code, ``epci:SIREN``, ``es:INE``."""
    lowered = text.lower()
    if lowered.startswith("epci:"):
        return data_iri("epci", text[5:].strip())  # an unknown SIREN: the shapes say so
    if lowered.startswith("es:"):
        found = places().get(("ES", text[3:].strip()))
        return found.iri if found else data_iri("municipio", text[3:].strip())
    found = places().get(("FR", text))
    return found.iri if found else data_iri("commune", text)


def value_of(slot: Slot, term: object) -> Any:
    """The API value of one term of `slot` (the inverse of `term_of`)."""
    if slot.kind in (CONCEPT, ENTITY, PLACE):
        return key_of(str(term))
    if slot.kind == TERRITORY:
        found = split_data_iri(str(term))
        if found is None:
            return str(term)
        kind, key = found
        return {"epci": f"epci:{key}", "municipio": f"es:{key}"}.get(kind, key)
    if isinstance(term, Literal):
        python = term.toPython()
        if slot.kind == DECIMAL:
            return float(python)
        if slot.kind == DATE and isinstance(python, dt.date):
            return python.isoformat()
        if slot.kind == BOOLEAN:
            return bool(python)
        return str(term)
    return str(term)


def read_values(form: Form, triples: Iterable[tuple[object, URIRef, object]]) -> dict[str, Any]:
    """The API values of an entity from its triples (lists sorted; a missing field is None or [])."""
    values: dict[str, Any] = {slot.name: [] if slot.many else None for slot in form.slots}
    by_predicate = {slot.predicate: slot for slot in form.slots}
    for _s, predicate, obj in triples:
        slot = by_predicate.get(predicate)
        if slot is None:
            continue
        if slot.kind == FRENCH and isinstance(obj, Literal) and obj.language not in (None, "fr"):
            continue  # other languages of a description are kept, not edited
        value = value_of(slot, obj)
        if slot.many:
            values[slot.name].append(value)
        else:
            values[slot.name] = value
        if slot.kind == PLACE:
            kind = (split_data_iri(str(obj)) or ("commune", ""))[0]
            values["country"] = "ES" if kind == "municipio" else "FR"
    for slot in form.slots:
        if slot.many:
            values[slot.name] = sorted(values[slot.name])
    return values


def write_triples(
    form: Form, subject: URIRef, values: dict[str, Any], *, kept: Iterable[Triple] = ()
) -> set[Triple]:
    """The triples of `values` for `subject` (None and [] write nothing), plus `kept` (the descriptions in
    other languages that the API does not edit). Raises `SlotError` for a value that cannot be a term."""
    triples: set[Triple] = set(kept)
    for slot in form.slots:
        value = values.get(slot.name)
        if value is None or value == [] or value == "":
            continue
        for item in value if slot.many else [value]:
            triples.add((subject, slot.predicate, term_of(slot, item, country=values.get("country"))))
    return triples


def other_languages(form: Form, triples: Iterable[tuple[object, URIRef, object]]) -> list[Triple]:
    """The French-slot triples in another language (Basque, Spanish…): kept as they are by an edit."""
    french = {slot.predicate for slot in form.slots if slot.kind == FRENCH}
    return [
        (s, p, o)  # type: ignore[misc]
        for s, p, o in triples
        if p in french and isinstance(o, Literal) and o.language not in (None, "fr")
    ]
