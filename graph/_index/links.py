"""`actor_links`: the projects an actor takes part in and its partners, read from a per-index table.

An actor's page and its API detail list both. Walking every project and partnership for each request cost
7.5 ms at 25,000 actors (6,250 projects, 12,366 partnerships), most of an actor page's time under load.
The table is built once per index, for every actor at once (about 15 ms at 25,000), under a lock so that
concurrent requests build it once; a patched index carries it (`patch_index`: a patch changes
descriptions only, never who takes part in what).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.term import URIRef

from maillage.graph._index.records import NetworkIndex

#: Where an index keeps the table (`NetworkIndex.derived`).
LINKS = "actor-links"


@dataclass(frozen=True)
class ActorLinks:
    """What an actor takes part in: `projects` as (project key, role) in the index's project order, and
    `partners`, the keys of the actors it has a partnership with, sorted (private ones included: the
    caller filters them for its audience)."""

    projects: tuple[tuple[str, URIRef | None], ...] = ()
    partners: tuple[str, ...] = ()


NO_LINKS = ActorLinks()


def actor_links(index: NetworkIndex, key: str) -> ActorLinks:
    """The projects and partners of the actor `key` (nothing for a key with none, or unknown).

    >>> from maillage.graph._index.build import build_index
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> actor_links(build_index(OxigraphStore(None)), "personne")
    ActorLinks(projects=(), partners=())
    """
    return _table(index).get(key, NO_LINKS)


def _table(index: NetworkIndex) -> dict[str, ActorLinks]:
    return index.derive(LINKS, dict, lambda: _build(index))


def _build(index: NetworkIndex) -> dict[str, ActorLinks]:
    projects: dict[str, list[tuple[str, URIRef | None]]] = {}
    for project in index.projects:
        for participant, role in project.participants:
            projects.setdefault(participant, []).append((project.key, role))
    partners: dict[str, list[str]] = {}
    for pair in index.partnerships:
        for one in pair:
            partners.setdefault(one, []).extend(other for other in pair if other != one)
    return {
        key: ActorLinks(tuple(projects.get(key, ())), tuple(sorted(partners.get(key, ()))))
        for key in projects.keys() | partners.keys()
    }
