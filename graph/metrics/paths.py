"""The shortest collaboration path between two actors, with the projects and partnerships of each step.

Steps count links, not weights (a breadth-first search); among equally short paths the one found by
networkx's bidirectional search on the key-ordered graph is returned, so the answer is stable.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from maillage.graph.index import NetworkIndex, UnknownActorError
from maillage.graph.metrics.texts import count_phrase, metric_text, quote, quoted_list
from maillage.graph.metrics.view import collaboration_view, memo


@dataclass(frozen=True)
class PathStep:
    """One link of a path: the projects the two actors share, and whether they are partners."""

    source: str
    target: str
    projects: tuple[str, ...]
    partnership: bool

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """« A » → « B » (projet « P » et partenariat).

        >>> from maillage.graph.metrics.view import example_index
        >>> PathStep("bea", "cole", ("p2",), True).sentence(example_index())
        '« Bea » → « Cole » (projet « P2 » et partenariat)'
        """
        links = []
        if self.projects:
            labels = [index.projects[index.project_position[p]].label for p in self.projects]
            name = "path_project_one" if len(labels) == 1 else "path_project_many"
            links.append(metric_text(lang, name, projects=quoted_list(lang, labels)))
        if self.partnership:
            links.append(metric_text(lang, "path_partnership"))
        return metric_text(
            lang,
            "path_step",
            source=quote(lang, index.actor(self.source).label),
            target=quote(lang, index.actor(self.target).label),
            links=metric_text(lang, "path_links_separator").join(links),
        )


@dataclass(frozen=True)
class CollaborationPath:
    """A shortest path (`actors` from source to target, empty when none exists) and its steps."""

    source: str
    target: str
    actors: tuple[str, ...]
    steps: tuple[PathStep, ...]

    @property
    def found(self) -> bool:
        """True when the two actors are connected."""
        return bool(self.actors)

    @property
    def length(self) -> int | None:
        """Number of links on the path; None when there is none."""
        return len(self.steps) if self.actors else None

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The path in words.

        >>> from maillage.graph.metrics.view import example_index
        >>> collaboration_path(example_index(), "ane", "cole").sentence(example_index())
        '« Ane » et « Cole » sont reliés en 2 étapes : « Ane » → « Bea » (projet « P1 ») ; \
« Bea » → « Cole » (projet « P2 » et partenariat).'
        """
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        if not self.actors:
            return metric_text(lang, "path_none", source=source, target=target)
        if not self.steps:
            return metric_text(lang, "path_same", source=source)
        return metric_text(
            lang,
            "path",
            source=source,
            target=target,
            length=count_phrase(lang, "step", len(self.steps)),
            steps=metric_text(lang, "path_step_separator").join(s.sentence(index, lang) for s in self.steps),
        )


def collaboration_path(
    index: NetworkIndex, source: str, target: str, *, include_private: bool = False
) -> CollaborationPath:
    """A shortest collaboration path from `source` to `target` (actor keys).

    Raises
    ------
    UnknownActorError
        When either key names no actor of the view (a private person is unknown to the public view).

    Cost: a bidirectional breadth-first search, O(n + m) at worst.

    >>> from maillage.graph.metrics.view import example_index
    >>> collaboration_path(example_index(), "ane", "cole").actors
    ('ane', 'bea', 'cole')
    >>> collaboration_path(example_index(), "ane", "dan").found
    False
    >>> collaboration_path(example_index(), "ane", "eve")
    Traceback (most recent call last):
    ...
    maillage.graph.index.UnknownActorError: Acteur inconnu : « eve »
    """
    view = collaboration_view(index, include_private=include_private)
    for key in (source, target):
        if key not in view.position:
            raise UnknownActorError(key)
    graph = memo(index, ("path-graph", include_private), lambda: _graph(index, include_private))
    try:
        actors = nx.bidirectional_shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        return CollaborationPath(source, target, (), ())
    steps = []
    for a, b in zip(actors, actors[1:], strict=False):
        data = index.collaboration.edges[a, b]
        steps.append(PathStep(a, b, tuple(sorted(data.get("projects", ()))), bool(data.get("partnership"))))
    return CollaborationPath(source, target, tuple(actors), tuple(steps))


def _graph(index: NetworkIndex, include_private: bool) -> nx.Graph[str]:
    """The view as a networkx graph with nodes and adjacency in key order (a stable search)."""
    view = collaboration_view(index, include_private=include_private)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(view.keys)
    graph.add_edges_from((view.keys[u], view.keys[v]) for u, v in view.edges.tolist())
    return graph
