"""The actor and project records, the partnerships, and the collaboration graph they make."""

from __future__ import annotations

import datetime as dt
import typing
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
from rdflib.term import Node, URIRef

from maillage.graph._index.reading import Triples, as_date, as_float, as_iri, is_true
from maillage.graph._index.records import ActorRecord, ProjectRecord, iri_key, unique_keys
from maillage.graph._index.territories import Territories
from maillage.graph._index.vocabulary import FOAF, GEO, MAI, ORG, SCHEMA


def _choose_membership(memberships: list[Node], triples: Triples) -> Node | None:
    """The current membership (no end date) with the latest start, ties broken by IRI."""
    ends = triples.one(SCHEMA.endDate)
    starts = triples.one(SCHEMA.startDate)

    def rank(m: Node) -> tuple[bool, dt.date, str]:
        start = as_date(starts.get(m)) or dt.date.min
        return (m not in ends, start, str(m))

    return max(memberships, key=rank) if memberships else None


def build_actors(
    actor_iris: list[URIRef],
    keys: dict[URIRef, str],
    triples: Triples,
    types: dict[Node, set[Node]],
    label_of: typing.Callable[[Node, str], str],
    description_of: typing.Callable[[Node], str],
    territories: Territories,
    memberships_by_actor: dict[Node, list[Node]],
) -> list[ActorRecord]:
    """An `ActorRecord` per IRI, in the given order (key order)."""
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
        actor_type = as_iri(actor_types.get(iri))
        is_person = MAI.Person in types.get(iri, set()) or (
            actor_type is not None and iri_key(actor_type) == "habitant"
        )
        commune = as_iri(based_in.get(iri))
        epci = territories.epci(commune)
        lat, lon = as_float(lats.get(iri)), as_float(lons.get(iri))
        if (lat is None or lon is None) and commune is not None:
            lat, lon = as_float(lats.get(commune)), as_float(lons.get(commune))
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
                is_public=(not is_person) or is_true(consent.get(iri)),
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
                college=as_iri(colleges.get(membership)) if membership is not None else None,
                membership_role=as_iri(roles.get(membership)) if membership is not None else None,
                homepage=str(homepage) if homepage is not None else None,
            )
        )
    return actors


def build_projects(
    triples: Triples,
    types: dict[Node, set[Node]],
    label_of: typing.Callable[[Node, str], str],
    description_of: typing.Callable[[Node], str],
    key_of: dict[URIRef, str],
    network: URIRef | None,
) -> list[ProjectRecord]:
    """The projects kept for `network` (all when None), sorted by key."""
    project_of = triples.one(MAI.project)
    participant_of = triples.one(MAI.participant)
    role_of = triples.one(MAI.participationRole)
    participants: dict[Node, dict[str, URIRef | None]] = defaultdict(dict)
    for participation, project in project_of.items():
        actor = participant_of.get(participation)
        if isinstance(actor, URIRef) and actor in key_of:
            key = key_of[actor]
            role = as_iri(role_of.get(participation))
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
    keys = unique_keys(iris, "projet")
    projects = [
        ProjectRecord(
            iri=iri,
            key=keys[iri],
            label=label_of(iri, keys[iri]),
            description=description_of(iri),
            fields=fields.get(iri, ()),
            status=as_iri(statuses.get(iri)),
            start=as_date(starts.get(iri)),
            end=as_date(ends.get(iri)),
            participants=tuple(sorted(participants.get(iri, {}).items())),
        )
        for iri in iris
    ]
    return sorted(projects, key=lambda p: p.key)


def build_partnerships(triples: Triples, key_of: dict[URIRef, str]) -> set[frozenset[str]]:
    """Pairs of kept actors linked by `mai:partnerOf` or a qualified `mai:Partnership`."""
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


def build_collaboration(
    actors: list[ActorRecord], projects: list[ProjectRecord], partnerships: set[frozenset[str]]
) -> nx.Graph[str]:
    """The actors linked by a shared project (edge attribute `projects`) or a partnership."""
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
