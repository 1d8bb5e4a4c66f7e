"""The analysis index: an immutable in-memory picture of one network, built from a store in one pass.

The API, the synergies, the overlaps and the network metrics answer from a `NetworkIndex`, never from
SPARQL per request. The index is rebuilt (or, later, patched) when `Store.generation` moves on.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import numpy as np
from rdflib import Namespace
from rdflib.namespace import RDF, RDFS
from rdflib.term import Literal, Node, URIRef
from scipy import sparse

from maillage.graph.stores.base import Store

# The few terms the index reads. They move to the closed vocabulary (`maillage.ontology.vocab`) later.
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

ActorKind = typing.Literal["organisation", "person"]
SparseMatrix = sparse.csr_array

_ACTOR_CLASSES = frozenset({MAI.Actor, MAI.Organisation, MAI.Person})
_LABEL_LANGUAGES = ("fr", "en", "eu", "es")


class UnknownActorError(KeyError):
    """No actor of the index has this key.

    >>> str(UnknownActorError("xyz"))
    'Acteur inconnu : « xyz »'
    """

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"Acteur inconnu : « {self.key} »"


class IndexBuildError(ValueError):
    """The store's content cannot be indexed (e.g. two actor IRIs ending with the same key)."""


@dataclass(frozen=True)
class ActorRecord:
    """One actor as the analysis and the API see it (IRIs of concepts and territories, plain values)."""

    iri: URIRef
    #: last path segment of the IRI (``https://w3id.org/maillage/id/actor/{key}``); unique in an index
    key: str
    label: str
    kind: ActorKind
    #: False for a `mai:Person` without ``mai:publicConsent true``: never shown to the public
    is_public: bool
    actor_type: URIRef | None
    fields: tuple[URIRef, ...]
    offers: tuple[URIRef, ...]
    needs: tuple[URIRef, ...]
    commune: URIRef | None
    commune_label: str
    epci: URIRef | None
    epci_label: str
    #: ISO 3166 alpha-2 code ("FR", "ES") from the territory chain, or None when it is unknown
    country: str | None
    lat: float | None
    lon: float | None
    description: str
    college: URIRef | None
    membership_role: URIRef | None
    homepage: str | None


@dataclass(frozen=True)
class ConceptRecord:
    """One `skos:Concept`: labels per language, scheme, parents, notation."""

    iri: URIRef
    #: ``skos:notation`` when present, else the last path segment of the IRI
    key: str
    labels: dict[str, str]
    scheme: URIRef | None
    broader: tuple[URIRef, ...]
    notation: str | None

    def label(self, lang: str = "fr") -> str:
        """The label in `lang`, else French, else English, else any, else the key.

        >>> ConceptRecord(URIRef("urn:c"), "c", {"fr": "Locaux"}, None, (), None).label("eu")
        'Locaux'
        """
        for language in (lang, "fr", "en"):
            if language in self.labels:
                return self.labels[language]
        for language in sorted(self.labels):
            return self.labels[language]
        return self.key


@dataclass(frozen=True)
class ProjectRecord:
    """One project with its participants (actor key, participation role)."""

    iri: URIRef
    key: str
    label: str
    description: str
    fields: tuple[URIRef, ...]
    status: URIRef | None
    start: dt.date | None
    end: dt.date | None
    participants: tuple[tuple[str, URIRef | None], ...]


@dataclass(frozen=True, eq=False)
class NetworkIndex:
    """Everything the analysis and the API read, built once from a store by `build_index`.

    Rows of the sparse matrices follow `actors` (sorted by key, so row order is key order); their
    columns follow `resource_columns` (`needs`, `offers`) and `field_columns` (`fields`). Values are 1.0
    where the actor declares the concept itself: the hierarchy is applied by the analyses, not here.

    Treat every attribute as read-only. `derived` is the one exception: a memo where analysis modules
    keep what they compute from this index (one key per module, e.g. ``"synergies"``); it is never
    part of the data and dies with the index.
    """

    actors: list[ActorRecord]
    position: dict[str, int]
    concepts: dict[URIRef, ConceptRecord]
    projects: list[ProjectRecord]
    project_position: dict[str, int]
    partnerships: set[frozenset[str]]
    collaboration: nx.Graph[str]
    needs: SparseMatrix
    offers: SparseMatrix
    fields: SparseMatrix
    resource_columns: tuple[URIRef, ...]
    resource_column: dict[URIRef, int]
    field_columns: tuple[URIRef, ...]
    field_column: dict[URIRef, int]
    generation: int
    network: URIRef | None = None
    derived: dict[str, object] = field(default_factory=dict, repr=False)

    def actor(self, key: str) -> ActorRecord:
        """The actor with this key.

        Raises
        ------
        UnknownActorError
            When no actor has this key (a `KeyError`, message « Acteur inconnu : « key » »).
        """
        row = self.position.get(key)
        if row is None:
            raise UnknownActorError(key)
        return self.actors[row]

    def row(self, key: str) -> int:
        """The matrix row of an actor; raises `UnknownActorError` for an unknown key."""
        row = self.position.get(key)
        if row is None:
            raise UnknownActorError(key)
        return row

    def concept_label(self, iri: URIRef, lang: str = "fr") -> str:
        """The label of a concept in `lang` (fallback French, English, any); its key when not indexed."""
        record = self.concepts.get(iri)
        return record.label(lang) if record is not None else iri_key(iri)

    def linked(self, key_a: str, key_b: str) -> bool:
        """True when the two actors already share a project or a partnership."""
        return bool(self.collaboration.has_edge(key_a, key_b))


def iri_key(iri: str) -> str:
    """The last path segment of an IRI (after the last ``/`` or ``#``).

    >>> iri_key("https://w3id.org/maillage/id/actor/ferme-des-barthes")
    'ferme-des-barthes'
    >>> iri_key("https://w3id.org/maillage/ontology#fields")
    'fields'
    """
    text = str(iri)
    return text[max(text.rfind("/"), text.rfind("#")) + 1 :]


# --------------------------------------------------------------------------------------------------
# Reading the store: one pattern query per predicate.


class _Triples:
    """Every (subject, object) of the predicates the index needs, each predicate read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[URIRef, dict[Node, list[Node]]] = {}
        self._one: dict[URIRef, dict[Node, Node]] = {}
        self._iris: dict[URIRef, dict[Node, tuple[URIRef, ...]]] = {}

    def by_subject(self, predicate: URIRef) -> dict[Node, list[Node]]:
        """subject → distinct objects (in store order) of one predicate, across all named graphs."""
        cached = self._cache.get(predicate)
        if cached is None:
            seen: dict[Node, dict[Node, None]] = defaultdict(dict)
            for s, _p, o, _g in self._store.quads(None, predicate, None, None):
                seen[s][o] = None
            cached = {s: list(objects) for s, objects in seen.items()}
            self._cache[predicate] = cached
        return cached

    def one(self, predicate: URIRef) -> dict[Node, Node]:
        """subject → one object (the smallest, so the choice is stable when the data has several)."""
        if predicate not in self._one:
            self._one[predicate] = {
                s: min(objects, key=_sort_key) for s, objects in self.by_subject(predicate).items()
            }
        return self._one[predicate]

    def iris(self, predicate: URIRef) -> dict[Node, tuple[URIRef, ...]]:
        """subject → sorted IRI objects."""
        if predicate not in self._iris:
            self._iris[predicate] = {
                s: tuple(sorted(o for o in objects if isinstance(o, URIRef)))
                for s, objects in self.by_subject(predicate).items()
            }
        return self._iris[predicate]


def _sort_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _literals_by_language(objects: Iterable[Node]) -> dict[str, str]:
    """lang ("" for none) → text, keeping the smallest text when a language has several."""
    labels: dict[str, str] = {}
    for o in objects:
        if isinstance(o, Literal):
            language = o.language or ""
            text = str(o)
            if language not in labels or text < labels[language]:
                labels[language] = text
    return labels


def _pick_label(labels: dict[str, str], *languages: str) -> str | None:
    for language in (*languages, ""):
        if language in labels:
            return labels[language]
    return labels[min(labels)] if labels else None


def _as_float(term: Node | None) -> float | None:
    if not isinstance(term, Literal):
        return None
    try:
        value = float(str(term))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _as_date(term: Node | None) -> dt.date | None:
    if not isinstance(term, Literal):
        return None
    value = term.toPython()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(term))
    except ValueError:
        return None


def _is_true(term: Node | None) -> bool:
    return isinstance(term, Literal) and str(term).strip().lower() in {"true", "1"}


def _iri(term: Node | None) -> URIRef | None:
    return term if isinstance(term, URIRef) else None


class _Territories:
    """Labels, EPCI and country of territories from `mai:within` (a small graph, walked in memory)."""

    def __init__(self, triples: _Triples, types: dict[Node, set[Node]], labels: dict[Node, str]) -> None:
        self._within = triples.iris(MAI.within)
        self._types = types
        self._labels = labels
        self._country: dict[URIRef, str | None] = {}

    def label(self, territory: URIRef | None) -> str:
        if territory is None:
            return ""
        return self._labels.get(territory, iri_key(territory))

    def epci(self, commune: URIRef | None) -> URIRef | None:
        if commune is None:
            return None
        for parent in self._within.get(commune, ()):
            if MAI.EPCI in self._types.get(parent, set()):
                return parent
        return None

    def country(self, territory: URIRef | None) -> str | None:
        """The ISO code of the first `mai:Country` up the `mai:within` chain (breadth first).

        Without a chain (territories not loaded), a commune IRI means France and a municipio Spain.
        """
        if territory is None:
            return None
        if territory not in self._country:
            self._country[territory] = self._walk_to_country(territory)
        return self._country[territory]

    def _walk_to_country(self, start: URIRef) -> str | None:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if MAI.Country in self._types.get(node, set()):
                return iri_key(node).upper()
            for parent in self._within.get(node, ()):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        if "/id/commune/" in start:
            return "FR"
        if "/id/municipio/" in start:
            return "ES"
        return None


def _choose_membership(memberships: list[Node], triples: _Triples) -> Node | None:
    """The current membership (no end date) with the latest start, ties broken by IRI."""
    ends = triples.one(SCHEMA.endDate)
    starts = triples.one(SCHEMA.startDate)

    def rank(m: Node) -> tuple[bool, dt.date, str]:
        start = _as_date(starts.get(m)) or dt.date.min
        return (m not in ends, start, str(m))

    return max(memberships, key=rank) if memberships else None


def build_index(store: Store, *, network: URIRef | None = None) -> NetworkIndex:
    """Build the analysis index of a store (or of one network of it) in one pass over the quads.

    The store is read with one pattern query per predicate (``rdf:type``, ``mai:field``, …), never per
    actor, so the build costs O(quads read) time and memory, plus O(pairs) per project for the
    collaboration graph. Measured on the development machine (2 shared cores), in-memory Oxigraph
    store: a synthetic 60-actor network with its taxonomies (about 1,450 quads) builds in 10–20 ms,
    and 5,000 actors (83,000 quads) in about 1–1.4 s, mostly spent converting terms to rdflib. The
    500 / 25,000 / 250,000-actor figures belong to `benchmarks/`.

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
    triples = _Triples(store)

    types: dict[Node, set[Node]] = {s: set(o) for s, o in triples.by_subject(RDF.type).items()}
    pref_labels = triples.by_subject(SKOS.prefLabel)
    rdfs_labels = triples.by_subject(RDFS.label)

    def labels_of(subject: Node) -> dict[str, str]:
        labels = _literals_by_language(rdfs_labels.get(subject, ()))
        labels.update(_literals_by_language(pref_labels.get(subject, ())))
        return labels

    def label_of(subject: Node, default: str) -> str:
        return _pick_label(labels_of(subject), "fr", "en") or default

    descriptions = triples.by_subject(DCT.description)

    def description_of(subject: Node) -> str:
        return _pick_label(_literals_by_language(descriptions.get(subject, ())), "fr") or ""

    concepts = _build_concepts(triples, types, labels_of)

    # Memberships decide which actors belong to `network`, and give college and role.
    member_of = triples.one(ORG.member)
    organisation_of = triples.one(ORG.organization)
    memberships_by_actor: dict[Node, list[Node]] = defaultdict(list)
    for membership, actor in member_of.items():
        if network is None or organisation_of.get(membership) == network:
            memberships_by_actor[actor].append(membership)

    actor_iris = sorted(
        s for s, classes in types.items() if isinstance(s, URIRef) and classes & _ACTOR_CLASSES
    )
    if network is not None:
        actor_iris = [iri for iri in actor_iris if iri in memberships_by_actor]
    keys = _unique_keys(actor_iris, "acteur")
    actor_iris = sorted(actor_iris, key=lambda iri: keys[iri])
    position = {keys[iri]: row for row, iri in enumerate(actor_iris)}
    key_of = {iri: keys[iri] for iri in actor_iris}

    territory_labels: dict[Node, str] = {}
    for places in (*triples.by_subject(MAI.within).values(), *triples.by_subject(MAI.basedIn).values()):
        for place in places:
            territory_labels.setdefault(place, label_of(place, iri_key(str(place))))
    for subject in triples.by_subject(MAI.within):
        territory_labels.setdefault(subject, label_of(subject, iri_key(str(subject))))
    territories = _Territories(triples, types, territory_labels)

    actors = _build_actors(
        actor_iris, keys, triples, types, label_of, description_of, territories, memberships_by_actor
    )
    projects = _build_projects(triples, types, label_of, description_of, key_of, network)
    partnerships = _build_partnerships(triples, key_of)
    collaboration = _build_collaboration(actors, projects, partnerships)

    resource_columns = _columns(concepts, MAI.resources, (a.offers + a.needs for a in actors))
    field_columns = _columns(concepts, MAI.fields, (a.fields for a in actors))
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
        needs=_binary_matrix((a.needs for a in actors), resource_column, len(actors)),
        offers=_binary_matrix((a.offers for a in actors), resource_column, len(actors)),
        fields=_binary_matrix((a.fields for a in actors), field_column, len(actors)),
        resource_columns=resource_columns,
        resource_column=resource_column,
        field_columns=field_columns,
        field_column=field_column,
        generation=generation,
        network=network,
    )


def _unique_keys(iris: list[URIRef], what: str) -> dict[URIRef, str]:
    keys: dict[URIRef, str] = {}
    owner: dict[str, URIRef] = {}
    for iri in iris:
        key = iri_key(iri)
        if key in owner:
            raise IndexBuildError(
                f"Deux {what}s ont la même clé « {key} » : <{owner[key]}> et <{iri}> ; "
                "renommez l'un des deux identifiants."
            )
        owner[key] = iri
        keys[iri] = key
    return keys


def _build_concepts(
    triples: _Triples,
    types: dict[Node, set[Node]],
    labels_of: typing.Callable[[Node], dict[str, str]],
) -> dict[URIRef, ConceptRecord]:
    broader = triples.iris(SKOS.broader)
    in_scheme = triples.iris(SKOS.inScheme)
    notations = triples.one(SKOS.notation)
    members: set[Node] = {s for s, classes in types.items() if SKOS.Concept in classes}
    members |= set(in_scheme) | set(broader)
    members |= {parent for parents in broader.values() for parent in parents}
    concepts: dict[URIRef, ConceptRecord] = {}
    for iri in sorted(m for m in members if isinstance(m, URIRef)):
        notation = notations.get(iri)
        labels = {lang: text for lang, text in labels_of(iri).items() if lang}
        plain = labels_of(iri).get("")
        if plain is not None:
            labels.setdefault("fr", plain)
        schemes = in_scheme.get(iri, ())
        concepts[iri] = ConceptRecord(
            iri=iri,
            key=str(notation) if notation is not None else iri_key(iri),
            labels=labels,
            scheme=schemes[0] if schemes else None,
            broader=broader.get(iri, ()),
            notation=str(notation) if notation is not None else None,
        )
    return concepts


def _build_actors(
    actor_iris: list[URIRef],
    keys: dict[URIRef, str],
    triples: _Triples,
    types: dict[Node, set[Node]],
    label_of: typing.Callable[[Node, str], str],
    description_of: typing.Callable[[Node], str],
    territories: _Territories,
    memberships_by_actor: dict[Node, list[Node]],
) -> list[ActorRecord]:
    actor_types = triples.one(MAI.actorType)
    fields = triples.iris(MAI.field)
    offers = triples.iris(MAI.offers)
    needs = triples.iris(MAI.needs)
    based_in = triples.one(MAI.basedIn)
    lats = triples.one(GEO.lat)
    lons = triples.one(GEO.long)
    consent = triples.one(MAI.publicConsent)
    homepages = triples.one(FOAF.homepage)
    colleges = triples.one(MAI.college)
    roles = triples.one(ORG.role)

    actors: list[ActorRecord] = []
    for iri in actor_iris:
        actor_type = _iri(actor_types.get(iri))
        is_person = MAI.Person in types.get(iri, set()) or (
            actor_type is not None and iri_key(actor_type) == "habitant"
        )
        commune = _iri(based_in.get(iri))
        epci = territories.epci(commune)
        lat, lon = _as_float(lats.get(iri)), _as_float(lons.get(iri))
        if (lat is None or lon is None) and commune is not None:
            lat, lon = _as_float(lats.get(commune)), _as_float(lons.get(commune))
        if lat is None or lon is None:
            lat = lon = None
        membership = _choose_membership(memberships_by_actor.get(iri, []), triples)
        homepage = homepages.get(iri)
        actors.append(
            ActorRecord(
                iri=iri,
                key=keys[iri],
                label=label_of(iri, keys[iri]),
                kind="person" if is_person else "organisation",
                is_public=(not is_person) or _is_true(consent.get(iri)),
                actor_type=actor_type,
                fields=fields.get(iri, ()),
                offers=offers.get(iri, ()),
                needs=needs.get(iri, ()),
                commune=commune,
                commune_label=territories.label(commune),
                epci=epci,
                epci_label=territories.label(epci),
                country=territories.country(commune),
                lat=lat,
                lon=lon,
                description=description_of(iri),
                college=_iri(colleges.get(membership)) if membership is not None else None,
                membership_role=_iri(roles.get(membership)) if membership is not None else None,
                homepage=str(homepage) if homepage is not None else None,
            )
        )
    return actors


def _build_projects(
    triples: _Triples,
    types: dict[Node, set[Node]],
    label_of: typing.Callable[[Node, str], str],
    description_of: typing.Callable[[Node], str],
    key_of: dict[URIRef, str],
    network: URIRef | None,
) -> list[ProjectRecord]:
    project_of = triples.one(MAI.project)
    participant_of = triples.one(MAI.participant)
    role_of = triples.one(MAI.participationRole)
    participants: dict[Node, dict[str, URIRef | None]] = defaultdict(dict)
    for participation, project in project_of.items():
        actor = participant_of.get(participation)
        if isinstance(actor, URIRef) and actor in key_of:
            key = key_of[actor]
            role = _iri(role_of.get(participation))
            current = participants[project].get(key)
            # one row per actor; when an actor holds several roles the smallest IRI is kept
            if key not in participants[project] or (role is not None and (current is None or role < current)):
                participants[project][key] = role

    networks = triples.one(MAI.network)
    fields = triples.iris(MAI.field)
    statuses = triples.one(MAI.status)
    starts = triples.one(SCHEMA.startDate)
    ends = triples.one(SCHEMA.endDate)

    iris = sorted(s for s, classes in types.items() if isinstance(s, URIRef) and MAI.Project in classes)
    if network is not None:
        iris = [
            iri
            for iri in iris
            if networks.get(iri) == network or (iri not in networks and participants.get(iri))
        ]
    keys = _unique_keys(iris, "projet")
    projects = [
        ProjectRecord(
            iri=iri,
            key=keys[iri],
            label=label_of(iri, keys[iri]),
            description=description_of(iri),
            fields=fields.get(iri, ()),
            status=_iri(statuses.get(iri)),
            start=_as_date(starts.get(iri)),
            end=_as_date(ends.get(iri)),
            participants=tuple(sorted(participants.get(iri, {}).items())),
        )
        for iri in iris
    ]
    return sorted(projects, key=lambda p: p.key)


def _build_partnerships(triples: _Triples, key_of: dict[URIRef, str]) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()

    def add(group: Iterable[Node]) -> None:
        keys = sorted({key_of[a] for a in group if isinstance(a, URIRef) and a in key_of})
        for a, b in combinations(keys, 2):
            pairs.add(frozenset((a, b)))

    for actor, partners in triples.by_subject(MAI.partnerOf).items():
        for partner in partners:
            add((actor, partner))
    for partners in triples.by_subject(MAI.partner).values():  # qualified mai:Partnership nodes
        add(partners)
    return pairs


def _build_collaboration(
    actors: list[ActorRecord], projects: list[ProjectRecord], partnerships: set[frozenset[str]]
) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(a.key for a in actors)
    for project in projects:
        members = sorted({key for key, _role in project.participants})
        for a, b in combinations(members, 2):
            if graph.has_edge(a, b):
                graph.edges[a, b]["projects"].append(project.key)
            else:
                graph.add_edge(a, b, projects=[project.key], partnership=False)
    for pair in partnerships:
        a, b = sorted(pair)
        if graph.has_edge(a, b):
            graph.edges[a, b]["partnership"] = True
        else:
            graph.add_edge(a, b, projects=[], partnership=True)
    return graph


def _ancestors(concepts: dict[URIRef, ConceptRecord], start: Iterable[URIRef]) -> Iterator[URIRef]:
    seen: set[URIRef] = set()
    stack = list(start)
    while stack:
        concept = stack.pop()
        if concept in seen:
            continue
        seen.add(concept)
        yield concept
        record = concepts.get(concept)
        if record is not None:
            stack.extend(record.broader)


def _columns(
    concepts: dict[URIRef, ConceptRecord], scheme: URIRef, used: Iterable[tuple[URIRef, ...]]
) -> tuple[URIRef, ...]:
    """The scheme's concepts, plus any concept used by an actor, plus all their ancestors; sorted."""
    columns = {iri for iri, record in concepts.items() if record.scheme == scheme}
    for concepts_used in used:
        columns.update(concepts_used)
    return tuple(sorted(set(_ancestors(concepts, columns))))


def _binary_matrix(
    rows: Iterable[tuple[URIRef, ...]], column: dict[URIRef, int], n_rows: int
) -> SparseMatrix:
    row_index: list[int] = []
    col_index: list[int] = []
    for row, concepts_of_row in enumerate(rows):
        for concept in concepts_of_row:
            row_index.append(row)
            col_index.append(column[concept])
    data = np.ones(len(row_index), dtype=np.float64)
    return sparse.csr_array((data, (row_index, col_index)), shape=(n_rows, len(column)))
