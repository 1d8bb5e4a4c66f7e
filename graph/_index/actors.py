"""The actor and project records, the partnerships, and the collaboration graph they make."""

from __future__ import annotations

import datetime as dt
import typing
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
from rdflib.term import URIRef

from maillage.graph._index.reading import Raw, Triples, as_date, as_float, as_iri, is_true
from maillage.graph._index.records import ActorRecord, ProjectRecord, iri_key, unique_keys
from maillage.graph._index.territories import Territories
from maillage.graph._index.vocabulary import FOAF, GEO, MAI, ORG, SCHEMA


def _choose_membership(memberships: list[str], starts: dict[str, Raw], ends: dict[str, Raw]) -> str | None:
    """The current membership (no end date) with the latest start, ties broken by IRI."""
    if not memberships:
        return None
    if len(memberships) == 1:
        return memberships[0]

    def rank(m: str) -> tuple[bool, dt.date, str]:
        start = as_date(starts.get(m)) or dt.date.min
        return (m not in ends, start, m)

    return max(memberships, key=rank)


def build_actors(
    actor_iris: list[str],
    keys: dict[str, str],
    triples: Triples,
    types: dict[str, set[str]],
    label_of: typing.Callable[[str, str], str],
    description_of: typing.Callable[[str], str],
    territories: Territories,
    memberships_by_actor: dict[str, list[str]],
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
    starts = triples.one(SCHEMA.startDate)
    ends = triples.one(SCHEMA.endDate)
    person = str(MAI.Person)
    iri = triples.iri

    def optional_iri(value: str | None) -> URIRef | None:
        return iri(value) if value is not None else None

    actors: list[ActorRecord] = []
    for value in actor_iris:
        actor_type = as_iri(actor_types.get(value))
        is_person = person in types.get(value, ()) or (
            actor_type is not None and iri_key(actor_type) == "habitant"
        )
        commune = as_iri(based_in.get(value))
        epci = territories.epci(commune)
        lat, lon = as_float(lats.get(value)), as_float(lons.get(value))
        if (lat is None or lon is None) and commune is not None:
            lat, lon = as_float(lats.get(commune)), as_float(lons.get(commune))
        if lat is None or lon is None:
            lat = lon = None
        membership = _choose_membership(memberships_by_actor.get(value, []), starts, ends)
        college = as_iri(colleges.get(membership)) if membership is not None else None
        role = as_iri(roles.get(membership)) if membership is not None else None
        homepage = homepages.get(value)
        actors.append(
            ActorRecord(
                iri=iri(value),
                key=keys[value],
                label=label_of(value, keys[value]),
                kind="person" if is_person else "organisation",
                is_public=(not is_person) or is_true(consent.get(value)),
                actor_type=optional_iri(actor_type),
                fields=triples.iri_tuple(fields.get(value, ())),
                offers=triples.iri_tuple(offers.get(value, ())),
                needs=triples.iri_tuple(needs.get(value, ())),
                commune=optional_iri(commune),
                commune_label=territories.label(commune),
                epci=optional_iri(epci),
                epci_label=territories.label(epci),
                country=territories.country(commune),
                lat=lat,
                lon=lon,
                description=description_of(value),
                college=optional_iri(college),
                membership_role=optional_iri(role),
                homepage=homepage[0] if homepage is not None else None,
            )
        )
    return actors


def build_projects(
    triples: Triples,
    types: dict[str, set[str]],
    label_of: typing.Callable[[str, str], str],
    description_of: typing.Callable[[str], str],
    key_of: dict[str, str],
    network: str | None,
) -> list[ProjectRecord]:
    """The projects kept for `network` (all when None), sorted by key."""
    project_of = triples.one(MAI.project)
    participant_of = triples.one(MAI.participant)
    role_of = triples.one(MAI.participationRole)
    participants: dict[str, dict[str, str | None]] = defaultdict(dict)
    for participation, project in project_of.items():
        actor = as_iri(participant_of.get(participation))
        if actor is not None and actor in key_of:
            key = key_of[actor]
            role = as_iri(role_of.get(participation))
            team = participants[project[0]]
            current = team.get(key)
            # one row per actor; when an actor holds several roles the smallest IRI is kept
            if key not in team or (role is not None and (current is None or role < current)):
                team[key] = role

    networks = triples.one(MAI.network) if network is not None else {}
    fields = triples.iris(MAI.field)
    statuses = triples.one(MAI.status)
    starts = triples.one(SCHEMA.startDate)
    ends = triples.one(SCHEMA.endDate)
    project_class = str(MAI.Project)
    iri = triples.iri

    iris = sorted(s for s, classes in types.items() if not s.startswith("_:") and project_class in classes)
    if network is not None:
        iris = [
            value
            for value in iris
            if as_iri(networks.get(value)) == network or (value not in networks and participants.get(value))
        ]
    keys = unique_keys(iris, "projet")
    projects = []
    for value in iris:
        status = as_iri(statuses.get(value))
        projects.append(
            ProjectRecord(
                iri=iri(value),
                key=keys[value],
                label=label_of(value, keys[value]),
                description=description_of(value),
                fields=triples.iri_tuple(fields.get(value, ())),
                status=iri(status) if status is not None else None,
                start=as_date(starts.get(value)),
                end=as_date(ends.get(value)),
                participants=tuple(
                    (key, iri(role) if role is not None else None)
                    for key, role in sorted(participants.get(value, {}).items())
                ),
            )
        )
    return sorted(projects, key=lambda p: p.key)


def build_partnerships(triples: Triples, key_of: dict[str, str]) -> set[frozenset[str]]:
    """Pairs of kept actors linked by `mai:partnerOf` or a qualified `mai:Partnership`."""
    pairs: set[frozenset[str]] = set()

    def add(group: Iterable[str]) -> None:
        keys = sorted({key_of[a] for a in group if a in key_of})
        for a, b in combinations(keys, 2):
            pairs.add(frozenset((a, b)))

    for actor, partners in triples.iris(MAI.partnerOf).items():
        for partner in partners:
            add((actor, partner))
    for partners in triples.iris(MAI.partner).values():  # qualified mai:Partnership nodes
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
