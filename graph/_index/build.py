"""`build_index`: the analysis index of a store, built in one pass over the quads."""

from __future__ import annotations

from collections import defaultdict

from rdflib.namespace import RDF, RDFS  # noqa: F401 - RDF: the docstring example uses it
from rdflib.term import (
    Literal,  # noqa: F401 - the docstring example uses it
    URIRef,
)

from maillage.graph._index.actors import build_actors, build_collaboration, build_partnerships, build_projects
from maillage.graph._index.concepts import binary_matrix, build_concepts, matrix_columns
from maillage.graph._index.reading import Triples, as_iri, literals_by_language, pick_label
from maillage.graph._index.records import NetworkIndex, iri_key, unique_keys
from maillage.graph._index.territories import Territories
from maillage.graph._index.vocabulary import (
    ACTOR_BASE,  # noqa: F401 - the docstring example uses it
    ACTOR_CLASSES,
    DCT,
    INDEXED_CLASSES,
    MAI,
    ORG,
    SKOS,
)
from maillage.graph.collector import paused_collector
from maillage.graph.stores.base import Store


@paused_collector()  # its rows all live until the index is made: no collection while they are read
def build_index(store: Store, *, network: URIRef | None = None) -> NetworkIndex:
    """Build the analysis index of a store (or of one network of it) in one pass over the quads.

    The store is read with one pattern query per predicate (``mai:field``, …) or class, never per
    actor, so the build costs O(quads read) time and memory, plus O(pairs) per project for the
    collaboration graph. Measured on the development machine (2 shared cores), in-memory Oxigraph
    store: a synthetic 60-actor network with its taxonomies (about 1,450 quads) builds in 10–20 ms.
    The store is read as plain strings (`Store.rows`) and an rdflib term is made once per distinct IRI
    kept in a record; the 500 / 25,000 / 250,000-actor figures belong to `benchmarks/`.

    Parameters
    ----------
    store : Store
        Any store of the contract (`maillage.graph.stores.base.Store`).
    network : URIRef, optional
        A `mai:Network` IRI. When given, the index keeps the actors holding a membership of this network
        (their college and role come from it), the projects whose `mai:network` is this network (or
        that have none and have a participant among those actors), and the participations and
        partnerships between kept actors. When None, every actor and project of the store is kept.

    Returns
    -------
    NetworkIndex
        Stamped with the store generation read *before* the build: a write landing during the build
        leaves the index stale, so it is rebuilt at the next check rather than silently missing data.

    Raises
    ------
    IndexBuildError
        When two actor IRIs (or two project IRIs) end with the same key.

    Examples
    --------
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> store = OxigraphStore(None)
    >>> actor = URIRef(ACTOR_BASE + "ferme")
    >>> store.add_all([(actor, RDF.type, MAI.Organisation, URIRef("urn:g")),
    ...                (actor, SKOS.prefLabel, Literal("Ferme des Barthes"), URIRef("urn:g"))])
    >>> index = build_index(store)
    >>> index.actor("ferme").label, index.generation
    ('Ferme des Barthes', 1)
    """
    generation = store.generation
    triples = Triples(store)

    types = triples.typed(INDEXED_CLASSES)
    pref_labels = triples.by_subject(SKOS.prefLabel)
    rdfs_labels = triples.by_subject(RDFS.label)

    def labels_of(subject: str) -> dict[str, str]:
        labels = literals_by_language(rdfs_labels.get(subject, ()))
        labels.update(literals_by_language(pref_labels.get(subject, ())))
        return labels

    def label_of(subject: str, default: str) -> str:
        return pick_label(labels_of(subject), "fr", "en") or default

    descriptions = triples.by_subject(DCT.description)

    def description_of(subject: str) -> str:
        return pick_label(literals_by_language(descriptions.get(subject, ())), "fr") or ""

    concepts = build_concepts(triples, types, labels_of)

    # Memberships decide which actors belong to `network`, and give college and role.
    member_of = triples.one(ORG.member)
    wanted = str(network) if network is not None else None
    # read only for one network: a predicate not read is one a write may change without a rebuild
    organisation_of = triples.one(ORG.organization) if wanted is not None else {}
    memberships_by_actor: dict[str, list[str]] = defaultdict(list)
    for membership, actor in member_of.items():
        if wanted is None or as_iri(organisation_of.get(membership)) == wanted:
            memberships_by_actor[actor[0]].append(membership)

    actor_classes = {str(c) for c in ACTOR_CLASSES}
    actor_iris = sorted(
        s for s, classes in types.items() if not s.startswith("_:") and not classes.isdisjoint(actor_classes)
    )
    if network is not None:
        actor_iris = [iri for iri in actor_iris if iri in memberships_by_actor]
    keys = unique_keys(actor_iris, "acteur")
    actor_iris = sorted(actor_iris, key=lambda iri: keys[iri])
    position = {keys[iri]: row for row, iri in enumerate(actor_iris)}
    key_of = {iri: keys[iri] for iri in actor_iris}

    territory_labels: dict[str, str] = {}
    for places in (*triples.iris(MAI.within).values(), *triples.iris(MAI.basedIn).values()):
        for place in places:
            if place not in territory_labels:
                territory_labels[place] = label_of(place, iri_key(place))
    for subject in triples.by_subject(MAI.within):
        if subject not in territory_labels:
            territory_labels[subject] = label_of(subject, iri_key(subject))
    territories = Territories(triples, types, territory_labels)

    actors = build_actors(
        actor_iris, keys, triples, types, label_of, description_of, territories, memberships_by_actor
    )
    projects = build_projects(triples, types, label_of, description_of, key_of, wanted)
    partnerships = build_partnerships(triples, key_of)
    collaboration = build_collaboration(actors, projects, partnerships)

    resource_columns = matrix_columns(concepts, MAI.resources, (a.offers + a.needs for a in actors))
    field_columns = matrix_columns(concepts, MAI.fields, (a.fields for a in actors))
    resource_column = {c: i for i, c in enumerate(resource_columns)}
    field_column = {c: i for i, c in enumerate(field_columns)}

    return NetworkIndex(
        actors=actors,
        position=position,
        concepts=concepts,
        projects=projects,
        project_position={p.key: i for i, p in enumerate(projects)},
        partnerships=partnerships,
        collaboration=collaboration,
        needs=binary_matrix((a.needs for a in actors), resource_column, len(actors)),
        offers=binary_matrix((a.offers for a in actors), resource_column, len(actors)),
        fields=binary_matrix((a.fields for a in actors), field_column, len(actors)),
        resource_columns=resource_columns,
        resource_column=resource_column,
        field_columns=field_columns,
        field_column=field_column,
        generation=generation,
        network=network,
        read=frozenset(triples.read),
    )
