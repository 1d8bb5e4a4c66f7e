"""Isolated and peripheral actors, and who could bring them into the network.

Statuses (first that applies):
    isole                       no project or partnership (degree 0)
    hors-composante-principale  linked, but outside the largest connected part of the network
    peripherique                in the largest part with coreness 1: a leaf (one collaborator) or on a chain
                                of single links, in no group where everyone has at least two links
For each, up to `SUGGESTIONS` contacts: the best-connected actors (highest degree, then key) of the largest
part who share one of its top-level fields and are not already its collaborators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from rdflib import URIRef
from scipy.sparse import csgraph

from maillage.graph.index import NetworkIndex
from maillage.graph.metrics import engine
from maillage.graph.metrics.texts import count_phrase, metric_text, quote, quoted_list
from maillage.graph.metrics.view import actor_top_fields, collaboration_view, memo

Status = Literal["isole", "hors-composante-principale", "peripherique"]
STATUSES: tuple[Status, ...] = ("isole", "hors-composante-principale", "peripherique")
#: contacts suggested per actor
SUGGESTIONS = 2
#: collaborators named in a sentence
NAMED_CONTACTS = 3
#: candidates kept per field (a chain actor's own collaborators among them are skipped)
_CANDIDATES = 16


@dataclass(frozen=True)
class PeripheralActor:
    """An actor at the edge of the network and who could involve it."""

    key: str
    status: Status
    degree: int
    coreness: int
    #: size of its connected part of the network (1 when isolated)
    component_size: int
    #: its current collaborators (in key order)
    contacts: tuple[str, ...]
    #: the field the suggestions share with it, and the suggested actors
    suggestion_field: URIRef | None
    suggestions: tuple[str, ...]

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """Where the actor stands and who could involve it, in words.

        >>> from maillage.graph.metrics.view import example_index
        >>> [p.sentence(example_index()) for p in peripheral_actors(example_index())][0]
        "« Dan » n'a encore ni projet ni partenariat dans le réseau : à associer, par exemple avec « Bea » \
et « Cole », très reliés dans le domaine « Emploi »."
        """

        def names(keys: tuple[str, ...]) -> str:
            return quoted_list(lang, [index.actor(k).label for k in keys])

        if self.suggestions and self.suggestion_field is not None:
            suggestion = metric_text(
                lang,
                "suggest_one" if len(self.suggestions) == 1 else "suggest_many",
                contacts=names(self.suggestions),
                field=quote(lang, index.concept_label(self.suggestion_field, lang)),
            )
        else:
            suggestion = metric_text(lang, "suggest_none")
        actor = quote(lang, index.actor(self.key).label)
        shown = self.contacts[:NAMED_CONTACTS]
        if self.status == "isole":
            return metric_text(lang, "isolated", actor=actor, suggestion=suggestion)
        if self.status == "hors-composante-principale":
            return metric_text(
                lang,
                "small_component",
                actor=actor,
                size=count_phrase(lang, "actor", self.component_size),
                contacts=names(shown),
                suggestion=suggestion,
            )
        template = "pendant" if self.degree == 1 else "chain"
        return metric_text(lang, template, actor=actor, contacts=names(shown), suggestion=suggestion)


def peripheral_actors(
    index: NetworkIndex, *, include_private: bool = False, status: Status | None = None
) -> list[PeripheralActor]:
    """Isolated actors, actors outside the main part, and peripheral actors (coreness 1) — in that order,
    then by key. With `status`, only those.

    Examples
    --------
    dan has no link; ane and cole are leaves hanging on bea (coreness 1); bea, on the chain, too.

    >>> from maillage.graph.metrics.view import example_index
    >>> [(p.key, p.status, p.coreness) for p in peripheral_actors(example_index())]
    [('dan', 'isole', 0), ('ane', 'peripherique', 1), ('bea', 'peripherique', 1), ('cole', 'peripherique', 1)]
    """
    if status is not None and status not in STATUSES:
        raise ValueError(f"Statut inconnu : « {status} » ({', '.join(STATUSES)})")
    found = memo(index, ("periphery", include_private), lambda: _periphery(index, include_private))
    return found if status is None else [p for p in found if p.status == status]


def _periphery(index: NetworkIndex, include_private: bool) -> list[PeripheralActor]:
    view = collaboration_view(index, include_private=include_private)
    if view.n == 0:
        return []
    degrees = view.degrees()
    cores = engine.coreness(view.igraph())
    _count, labels = csgraph.connected_components(view.adjacency, directed=False)
    sizes = np.bincount(labels)
    # The largest part; among equal sizes, the one holding the smallest key (vertices are in key order).
    main = int(labels[int(np.flatnonzero(sizes[labels] == sizes.max())[0])])
    tops = actor_top_fields(index)
    vertex_tops = [tops[int(row)] for row in view.rows]

    best_by_field: dict[URIRef, list[int]] = defaultdict(list)
    order = sorted(range(view.n), key=lambda v: (-int(degrees[v]), view.keys[v]))
    for v in order:
        if labels[v] != main or degrees[v] == 0:
            continue
        for concept in vertex_tops[v]:
            if len(best_by_field[concept]) < _CANDIDATES:
                best_by_field[concept].append(v)

    found: list[PeripheralActor] = []
    for v in range(view.n):
        if degrees[v] == 0:
            status: Status = "isole"
        elif labels[v] != main:
            status = "hors-composante-principale"
        elif cores[v] <= 1:
            status = "peripherique"
        else:
            continue
        neighbours = set(view.neighbours(v).tolist())
        field, suggested = _suggest(v, vertex_tops[v], best_by_field, neighbours, degrees)
        found.append(
            PeripheralActor(
                key=view.keys[v],
                status=status,
                degree=int(degrees[v]),
                coreness=int(cores[v]),
                component_size=int(sizes[labels[v]]),
                contacts=tuple(sorted(view.keys[u] for u in neighbours)),
                suggestion_field=field,
                suggestions=tuple(view.keys[u] for u in suggested),
            )
        )
    rank = {s: i for i, s in enumerate(STATUSES)}
    found.sort(key=lambda p: (rank[p.status], p.key))
    return found


def _suggest(
    vertex: int,
    fields: tuple[URIRef, ...],
    best_by_field: dict[URIRef, list[int]],
    neighbours: set[int],
    degrees: npt.NDArray[np.int64],
) -> tuple[URIRef | None, list[int]]:
    """The field whose best-connected actors (not yet linked to `vertex`) are the best connected."""
    best: tuple[int, str, URIRef | None, list[int]] = (0, "", None, [])
    for field in fields:
        candidates = best_by_field.get(field, [])
        chosen = [u for u in candidates if u != vertex and u not in neighbours][:SUGGESTIONS]
        if not chosen:
            continue
        strength = int(degrees[chosen[0]])
        if best[2] is None or strength > best[0] or (strength == best[0] and str(field) < best[1]):
            best = (strength, str(field), field, chosen)
    return best[2], best[3]
