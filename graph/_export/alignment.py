"""schema.org and ESSGlobal descriptions of the actors, inferred at export time from the stored data.

Decision (docs/decisions/20261128-linked-data-exports.md): nothing here is stored. The store keeps the
Maillage terms only; every export and every page adds, for each actor it shows:

- ``a schema:Organization`` (organisations) or ``a schema:Person`` (inhabitants who consented);
- ``schema:name``, ``schema:description``, ``schema:url``;
- ``schema:address`` → ``<actor#adresse>`` a ``schema:PostalAddress`` (commune name, its postal codes,
  ISO country code); ``schema:geo`` → ``<actor#geo>`` a ``schema:GeoCoordinates`` — organisations only:
  a person is placed by their commune, never by a point;
- ``a essglobal:SSEInitiative`` for the social and solidarity economy bodies: the actor types of the ESS
  in French law (loi du 31 juillet 2014, art. 1): associations, SIAE, cooperatives (and their narrower
  types), mutuals, foundations. Firms, public bodies, research bodies and inhabitants are not;
- ``essglobal:legalForm`` the ESSGlobal legal form its actor type (or the nearest broader type) is a
  ``skos:closeMatch`` of — a ``skos:broadMatch`` is too loose to state a legal form.

Activities are aligned through the taxonomy: each field is a ``skos:closeMatch`` of ESSGlobal activities
and NAF divisions (``ontology/schemes/fields.ttl``, the ``taxonomie`` dataset).

The address and coordinates are hash IRIs of the actor, not blank nodes, so that exporting twice, or
re-importing an export and exporting it again, gives the very same triples.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from decimal import Decimal

from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import SDO, SKOS, XSD

from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.stores.base import Store
from maillage.ontology.iri import CONCEPT_BASE, ONTOLOGY_GRAPH
from maillage.ontology.vocab import MAI

ESSGLOBAL = Namespace("http://purl.org/essglobal/vocab/")
LEGAL_FORMS = "http://purl.org/essglobal/standard/legal-form/"
Triple = tuple[URIRef, URIRef, URIRef | Literal]

SSE_TYPES = frozenset(
    {
        "association",
        "siae",
        "cooperative",
        "scop",
        "scic",
        "cae",
        "cooperative-agricole",
        "mutuelle",
        "fondation",
    }
)
"""Keys of the actor types typed `essglobal:SSEInitiative`."""


def is_sse(actor: ActorRecord) -> bool:
    """Whether the actor's type is one of the social and solidarity economy (`SSE_TYPES`)."""
    return actor.actor_type is not None and str(actor.actor_type).rsplit("/", 1)[-1] in SSE_TYPES


#: The legal forms last read from each store, with the store's generation then: an actor page reads them,
#: and reading them again (two scans of the ontology graph) was 2.3 ms of each page's 13 at 25,000 actors.
_FORMS: weakref.WeakKeyDictionary[Store, tuple[int, dict[URIRef, URIRef]]] = weakref.WeakKeyDictionary()


def legal_forms(store: Store) -> dict[URIRef, URIRef]:
    """Actor type → ESSGlobal legal form, by `skos:closeMatch` on the type or its nearest broader type.

    Read again after any write to `store` (its `generation`); treat the answer as read-only.
    """
    generation = store.generation
    known = _FORMS.get(store)
    if known is not None and known[0] == generation:
        return known[1]
    forms = _read_legal_forms(store)
    _FORMS[store] = (generation, forms)  # a write during the read: its generation is later, read again
    return forms


def _read_legal_forms(store: Store) -> dict[URIRef, URIRef]:
    close: dict[URIRef, URIRef] = {}
    broader: dict[URIRef, URIRef] = {}
    for s, _p, o in store.triples(None, SKOS.closeMatch, None, graph=ONTOLOGY_GRAPH):
        if str(o).startswith(LEGAL_FORMS) and isinstance(s, URIRef) and isinstance(o, URIRef):
            close[s] = min(o, close.get(s, o))
    for s, _p, o in store.triples(None, SKOS.broader, None, graph=ONTOLOGY_GRAPH):
        if (
            str(s).startswith(CONCEPT_BASE + "actor-type/")
            and isinstance(s, URIRef)
            and isinstance(o, URIRef)
        ):
            broader[s] = o
    forms = {}
    for concept in set(close) | set(broader):
        seen, current = set(), concept
        while current not in close and current in broader and current not in seen:
            seen.add(current)
            current = broader[current]
        if current in close:
            forms[concept] = close[current]
    return forms


def actor_alignment(
    actor: ActorRecord, *, postal_codes: list[str], legal_form: URIRef | None
) -> Iterator[Triple]:
    """The schema.org / ESSGlobal triples of one actor (see the module docstring)."""
    s = actor.iri
    person = actor.kind == "person"
    yield s, RDF.type, SDO.Person if person else SDO.Organization
    yield s, SDO.name, Literal(actor.label)
    if actor.description:
        yield s, SDO.description, Literal(actor.description, lang="fr")
    if actor.homepage:
        yield s, SDO.url, URIRef(actor.homepage)
    if actor.commune is not None:
        address = URIRef(f"{s}#adresse")
        yield s, SDO.address, address
        yield address, RDF.type, SDO.PostalAddress
        if actor.commune_label:
            yield address, SDO.addressLocality, Literal(actor.commune_label)
        for code in postal_codes:
            yield address, SDO.postalCode, Literal(code)
        if actor.country:
            yield address, SDO.addressCountry, Literal(actor.country)
    if not person and actor.lat is not None and actor.lon is not None:
        geo = URIRef(f"{s}#geo")
        yield s, SDO.geo, geo
        yield geo, RDF.type, SDO.GeoCoordinates
        # repr() is the shortest text that reads back as the same float; Decimal keeps it xsd:decimal
        yield geo, SDO.latitude, Literal(Decimal(repr(actor.lat)), datatype=XSD.decimal)
        yield geo, SDO.longitude, Literal(Decimal(repr(actor.lon)), datatype=XSD.decimal)
    if not person and is_sse(actor):
        yield s, RDF.type, ESSGLOBAL.SSEInitiative
        if legal_form is not None:
            yield s, ESSGLOBAL.legalForm, legal_form


def alignment_triples(
    store: Store, index: NetworkIndex, *, include_private: bool = False
) -> Iterator[Triple]:
    """The alignment triples of every actor of `index` an export shows (public ones unless
    `include_private`), in key order. Cost: one store lookup per distinct commune."""
    forms = legal_forms(store)
    codes: dict[URIRef, list[str]] = {}
    for actor in index.actors:
        if not (actor.is_public or include_private):
            continue
        if actor.commune is not None and actor.commune not in codes:
            codes[actor.commune] = sorted(
                str(o) for _s, _p, o in store.triples(actor.commune, MAI.postalCode)
            )
        yield from actor_alignment(
            actor,
            postal_codes=codes.get(actor.commune, []) if actor.commune is not None else [],
            legal_form=forms.get(actor.actor_type) if actor.actor_type is not None else None,
        )
