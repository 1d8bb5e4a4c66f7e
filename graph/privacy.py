"""Who may see what: the audiences (public < network < animators), the level of each property, and the one
test every output applies to every quad (`Visibility.shows`).

Two rules, decided here once for the exports, the catalogue, /id, the SPARQL snapshots, the pages and the
JSON API:

- persons without recorded consent (`mai:publicConsent true`), and the memberships, participations,
  needs, offers and partnerships naming them, are seen by the animators only;
- each property has a level (`mai:visibility` in ontology/maillage.ttl; none means public): a caller sees
  the values of the properties at its audience's level or below — e-mail and phone for the network, the
  internal note for the animators.

Roles map to audiences in one place (`audience_of`). docs/decisions/20261129-visibility-levels.md says why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rdflib import RDF, Literal, URIRef

from maillage.graph.stores.base import Object, Quad, Store, Subject
from maillage.ontology.vocab import MAI, ontology_graph


class Audience(IntEnum):
    """Who an output is for, weakest first: each audience sees everything the ones before it see."""

    PUBLIC = 0
    NETWORK = 1
    ANIMATORS = 2

    @property
    def sees_private_persons(self) -> bool:
        """Whether this audience sees the persons who did not consent (the animators only)."""
        return self is Audience.ANIMATORS

    @property
    def label(self) -> str:
        """The audience in French, for messages and pages."""
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.PUBLIC: "public",
    Audience.NETWORK: "membres du réseau",
    Audience.ANIMATORS: "animateur·rices",
}

#: The audience of each role (`maillage.graph.tokens.ROLES`): the one place where roles meet levels.
ROLE_AUDIENCES: Mapping[str, Audience] = {
    "public": Audience.PUBLIC,
    "member": Audience.NETWORK,
    "animator": Audience.ANIMATORS,
    "admin": Audience.ANIMATORS,
}

#: The level individuals of the ontology (`mai:VisibilityLevel`), as audiences.
LEVELS: Mapping[URIRef, Audience] = {
    MAI.VisibilityPublic: Audience.PUBLIC,
    MAI.VisibilityNetwork: Audience.NETWORK,
    MAI.VisibilityAnimators: Audience.ANIMATORS,
}


def audience_of(role: str) -> Audience:
    """The audience a caller of `role` belongs to.

    >>> audience_of("public").name, audience_of("member").name, audience_of("admin").name
    ('PUBLIC', 'NETWORK', 'ANIMATORS')
    """
    try:
        return ROLE_AUDIENCES[role]
    except KeyError:
        raise ValueError(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLE_AUDIENCES)})") from None


@lru_cache(maxsize=1)
def property_levels() -> Mapping[URIRef, Audience]:
    """Every property the ontology gives a level above public (`mai:visibility`), read once.

    >>> from rdflib.namespace import SDO
    >>> property_levels()[SDO.email].name, property_levels()[MAI.internalNote].name
    ('NETWORK', 'ANIMATORS')

    Raises ValueError when a property names a level that is not one of the three.
    """
    levels: dict[URIRef, Audience] = {}
    for prop, level in ontology_graph().subject_objects(MAI.visibility):
        if level not in LEVELS:
            raise ValueError(f"ontologie : niveau de visibilité inconnu « {level} » sur « {prop} »")
        if isinstance(prop, URIRef) and LEVELS[level] > Audience.PUBLIC:  # type: ignore[index]
            levels[prop] = LEVELS[level]  # type: ignore[index]
    return levels


@lru_cache(maxsize=len(Audience))
def withheld_properties(audience: Audience) -> frozenset[URIRef]:
    """The properties whose values `audience` may not see."""
    return frozenset(p for p, level in property_levels().items() if level > audience)


def private_actors(store: Store) -> set[Subject]:
    """Persons (inhabitants) whose `mai:publicConsent` is not true."""
    persons = {s for s, _p, _o in store.triples(None, RDF.type, MAI.Person)}
    consenting = {s for s, _p, o in store.triples(None, MAI.publicConsent, None) if o == Literal(True)}
    return persons - consenting


#: Entities in their own right: one that names a private person (an organisation partner of an inhabitant)
#: stays visible, only its quads naming the person are dropped.
INDEPENDENT = (MAI.Organisation, MAI.Person, MAI.Project, MAI.Network)


def hidden_nodes(store: Store) -> tuple[set[Subject], set[Subject | Object]]:
    """The private persons, and every node only the animators may see described: those persons and the
    memberships, participations, needs, offers and partnerships that name them."""
    private = private_actors(store)
    hidden: set[Subject | Object] = set(private)
    independent = {s for kind in INDEPENDENT for s, _p, _o in store.triples(None, RDF.type, kind)}
    for person in private:
        hidden.update(s for s, _p, _o in store.triples(None, None, person) if s not in independent)
    return private, hidden


@dataclass(frozen=True)
class Visibility:
    """What one audience may see of a store at one moment: computed once (`visibility`), then asked per
    quad (`shows`) — three set lookups, so a whole export pays one pass over the hidden persons."""

    audience: Audience
    private: Set[Subject]
    hidden: Set[Subject | Object]
    withheld: frozenset[URIRef]

    def shows(self, quad: Quad) -> bool:
        """Whether `quad` may appear in an output for this audience."""
        return quad[1] not in self.withheld and quad[0] not in self.hidden and quad[2] not in self.private

    def shows_node(self, node: Subject | Object) -> bool:
        """Whether the entity `node` may be described at all (a private person's nodes: animators only)."""
        return node not in self.hidden


def visibility(store: Store, audience: Audience) -> Visibility:
    """What `audience` may see of `store` now.

    Cost: for the public and the network, the reads of `hidden_nodes` (one pattern read per type, one per
    private person); for the animators, none.
    """
    if audience.sees_private_persons:
        private: set[Subject] = set()
        hidden: set[Subject | Object] = set()
    else:
        private, hidden = hidden_nodes(store)
    return Visibility(audience, private, hidden, withheld_properties(audience))


def visible_quads(
    store: Store, audience: Audience, *, subject: Subject | None = None, graph: URIRef | None = None
) -> Iterator[Quad]:
    """Every quad of `store` (of one `subject`, of one `graph`) that `audience` may see."""
    seen = visibility(store, audience)
    for quad in store.quads(subject, None, None, graph):
        if seen.shows(quad):
            yield quad


def public_quads(
    store: Store, *, subject: Subject | None = None, graph: URIRef | None = None
) -> Iterator[Quad]:
    """Every quad the public may see (`visible_quads` for `Audience.PUBLIC`)."""
    return visible_quads(store, Audience.PUBLIC, subject=subject, graph=graph)


def is_private_actor(store: Store, actor: Subject) -> bool:
    """Whether one actor is a person without recorded consent (`private_actors`, for a single actor).

    Cost: two pattern reads, where `private_actors` reads every person.
    """
    if next(store.triples(actor, RDF.type, MAI.Person), None) is None:
        return False
    return Literal(True) not in {o for _s, _p, o in store.triples(actor, MAI.publicConsent, None)}


class PrivacyWatch:
    """The private persons of `store` now (`private_actors`), read once per store generation — for what
    serves a copy of the data taken earlier (the API's analysis index, the SPARQL snapshots, both served
    stale while a slow rebuild runs): such a copy may serve on only while nobody it shows as public has
    become private since (`became_private`). A person who withdraws consent disappears at once, the
    readers waiting for the rebuild this time; any other write may be seen a rebuild late.

    Cost: two pattern reads per write (the persons, the consents), none between writes.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seen: tuple[int, frozenset[Subject]] = (-1, frozenset())

    def now(self) -> frozenset[Subject]:
        generation, private = self._seen
        current = self.store.generation
        if generation != current:
            private = frozenset(private_actors(self.store))
            self._seen = (current, private)
        return private

    def became_private(self, since: frozenset[Subject]) -> bool:
        """Whether someone is private now who was not in `since` (the private persons of a copy)."""
        return not self.now() <= since
