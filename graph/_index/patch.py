"""`patch_index`: follow a commit that changes nothing the analysis reads but descriptions, without a rebuild.

An animator editing an actor's description or contact is the most common write. The synergies, overlaps,
metrics and layouts do not read descriptions, so the rebuild that followed every write (7.6 s at 25,000
actors, then 5 s for the network maxima) recomputed the same numbers, holding the interpreter lock while
the API served a stale index. A patched index shares every matrix, graph and memo of the old one but the
records whose description changed; any other change — a need, a consent, a new actor — still rebuilds
(docs/decisions/20261129-index-follows-light-writes.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from rdflib.namespace import PROV, RDF
from rdflib.term import URIRef

from maillage.graph._index.links import LINKS
from maillage.graph._index.reading import literals_by_language, pick_label
from maillage.graph._index.records import NetworkIndex, iri_key
from maillage.graph._index.vocabulary import DCT
from maillage.graph.stores.base import Store, Subject, raw_object

#: The memos of the graph layer in `NetworkIndex.derived` that read no description, carried over to a
#: patched index: the synergy model and its maxima, the synergy fingerprint, the network metrics, the
#: overlaps' model, each actor's projects and partners (`actor_links`). Texts (project check, text
#: similarity) are computed again for the patched index; the API carries its own memos
#: (`maillage.api.state`).
CARRIED = frozenset({"synergies", "synergy-fingerprint", "metrics", "overlaps", LINKS})

#: The classes of the bookkeeping nodes every edit writes (`maillage.ingest.edit`: its activity, its
#: agent). The analysis reads types and labels, but of actors, projects, concepts and territories only.
BOOKKEEPING = frozenset({str(PROV.Activity), str(PROV.Agent)})

_DESCRIPTION = str(DCT.description)


def patch_index(
    index: NetworkIndex, store: Store, generation: int, changes: Iterable[frozenset[tuple[Subject, URIRef]]]
) -> NetworkIndex | None:
    """`index` brought to the store's `generation`, or None when `changes` (each commit's (subject,
    predicate) pairs since the index's generation: `Store.changes_since`) touch anything it reads but the
    description of an actor or a project, and the bookkeeping nodes of an edit (`BOOKKEEPING`).

    The new descriptions are read from `store`, which must be at `generation` (a later write only makes
    the patched index stale again). O(actors) for the copied record list, plus one read per changed record.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from maillage.graph._index.build import build_index
    >>> from maillage.graph._index.vocabulary import ACTOR_BASE, MAI, SKOS
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> from rdflib.namespace import RDF
    >>> store, g, ferme = OxigraphStore(None), URIRef("urn:g"), URIRef(ACTOR_BASE + "ferme")
    >>> store.add_all([(ferme, RDF.type, MAI.Organisation, g), (ferme, SKOS.prefLabel, Literal("Ferme"), g)])
    >>> index = build_index(store)
    >>> store.add_all([(ferme, DCT.description, Literal("Maraîchage bio", lang="fr"), g)])
    >>> generation, changes = store.changes_since(index.generation)
    >>> patched = patch_index(index, store, generation, changes)
    >>> patched.actor("ferme").description, patched.generation, patched.fields is index.fields
    ('Maraîchage bio', 2, True)
    >>> store.add_all([(ferme, MAI.needs, URIRef("urn:locaux"), g)])
    >>> patch_index(patched, store, *store.changes_since(patched.generation)) is None
    True
    """
    read = index.read
    if read is None:
        return None
    described: set[Subject] = set()
    seen: dict[Subject, bool] = {}
    for touched in changes:
        for subject, predicate in touched:
            name = str(predicate)
            if name == _DESCRIPTION:
                described.add(subject)
            elif name in read and not _bookkeeping(store, subject, seen):
                return None
    actors, projects = index.actors, index.projects
    for subject in described:
        key = iri_key(subject)
        row = index.position.get(key)
        if row is not None and actors[row].iri == subject:
            if actors is index.actors:
                actors = list(actors)
            actors[row] = dataclasses.replace(actors[row], description=_description(store, subject))
            continue
        row = index.project_position.get(key)
        if row is not None and projects[row].iri == subject:
            if projects is index.projects:
                projects = list(projects)
            projects[row] = dataclasses.replace(projects[row], description=_description(store, subject))
    return dataclasses.replace(
        index,
        actors=actors,
        projects=projects,
        generation=generation,
        derived={key: value for key, value in index.derived.items() if key in CARRIED},
    )


def _bookkeeping(store: Store, subject: Subject, seen: dict[Subject, bool]) -> bool:
    found = seen.get(subject)
    if found is None:
        types = {str(o) for _s, _p, o, _g in store.quads(subject, RDF.type, None, None)}
        found = seen[subject] = bool(types) and types <= BOOKKEEPING
    return found


def _description(store: Store, subject: Subject) -> str:
    # as `build_index` reads it: the French text, else the one without language, else any (smallest first)
    objects = {raw_object(o) for _s, _p, o, _g in store.quads(subject, DCT.description, None, None)}
    return pick_label(literals_by_language(objects), "fr") or ""
