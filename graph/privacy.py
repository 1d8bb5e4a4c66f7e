"""What may leave through public outputs.

Persons without recorded consent never do, nor anything naming them.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, Literal, URIRef

from maillage.graph.stores.base import Object, Quad, Store, Subject
from maillage.ontology.vocab import MAI


def private_actors(store: Store) -> set[Subject]:
    """Persons (inhabitants) whose `mai:publicConsent` is not true."""
    persons = {s for s, _p, _o in store.triples(None, RDF.type, MAI.Person)}
    consenting = {s for s, _p, o in store.triples(None, MAI.publicConsent, None) if o == Literal(True)}
    return persons - consenting


#: Entities in their own right: one that names a private person (an organisation partner of an inhabitant)
#: stays public, only its quads naming the person are dropped (`is_public_quad`).
INDEPENDENT = (MAI.Organisation, MAI.Person, MAI.Project, MAI.Network)


def hidden_nodes(store: Store) -> tuple[set[Subject], set[Subject | Object]]:
    """The private persons, and every node a public output must not describe: those persons and the
    memberships, participations, needs, offers and partnerships that name them.

    Exports compute this once and test each quad with `is_public_quad`, rather than calling
    `public_quads` per subject (which recomputes it).
    """
    private = private_actors(store)
    hidden: set[Subject | Object] = set(private)
    independent = {s for kind in INDEPENDENT for s, _p, _o in store.triples(None, RDF.type, kind)}
    for person in private:
        hidden.update(s for s, _p, _o in store.triples(None, None, person) if s not in independent)
    return private, hidden


def is_public_quad(quad: Quad, private: set[Subject], hidden: set[Subject | Object]) -> bool:
    """Whether a public output may show `quad`, given `hidden_nodes(store)`."""
    return quad[0] not in hidden and quad[2] not in private


def public_quads(
    store: Store, *, subject: Subject | None = None, graph: URIRef | None = None
) -> Iterator[Quad]:
    """Every quad a public output may show: drops private persons, and the memberships, participations,
    needs, offers and partnerships that name them."""
    private, hidden = hidden_nodes(store)
    for quad in store.quads(subject, None, None, graph):
        if quad[0] in hidden or quad[2] in private:
            continue
        yield quad


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
