"""Brokers: actors whose collaborators span several fields, several colleges, or both sides of the border.

For an actor v and a dimension (top-level field, college, country), c_g(v) counts v's collaborators in
group g (a collaborator working in two top-level fields counts in both; one without a group is left out).
    fields, colleges   broker when it has ≥ 2 collaborators spanning ≥ 2 groups (one collaborator in
                       two fields does not make a bridge); score = Shannon entropy
                       H = −Σ_g p_g log₂ p_g of p_g = c_g / Σ c (bits: 1 for two equal groups, log₂ k for k)
    border             broker when at least one collaborator is based in another country than v;
                       score = number of such collaborators
Ranking: score, then distinct groups, then degree (descending), then key. Cost: one sparse product
A · G (n × groups) per dimension, O(m · groups per actor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from rdflib import URIRef
from scipy import sparse

from maillage.graph.index import NetworkIndex
from maillage.graph.metrics.texts import (
    count_phrase,
    country_phrase,
    metric_text,
    quote,
)
from maillage.graph.metrics.view import actor_top_fields, collaboration_view, memo

Dimension = Literal["domaines", "colleges", "frontiere"]
DIMENSIONS: tuple[Dimension, ...] = ("domaines", "colleges", "frontiere")


class GroupCount(NamedTuple):
    """A group (a concept IRI, or an ISO country code) and how many actors it holds in some context.

    A named tuple: a network-wide answer makes one per actor and group.
    """

    group: str
    #: how many actors (collaborators, or members of a community) are in the group
    total: int

    def label(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The group's name: a concept label, or a country name.

        >>> from maillage.graph.metrics.view import example_index
        >>> GroupCount("ES", 2).label(example_index())
        'Espagne'
        """
        if "/" in self.group:
            return index.concept_label(URIRef(self.group), lang)
        return country_phrase(lang, self.group, preposition=False)


@dataclass(frozen=True)
class Broker:
    """An actor bridging groups of one dimension, with the collaborators counted per group."""

    key: str
    dimension: Dimension
    #: the actor's own groups (its top-level fields, its college, its country)
    own_groups: tuple[str, ...]
    #: its collaborators per group, largest first (ties by group)
    groups: tuple[GroupCount, ...]
    degree: int
    #: Shannon entropy of `groups` in bits (fields, colleges); cross-border collaborators (border)
    score: float

    @property
    def distinct_groups(self) -> int:
        """How many groups its collaborators span."""
        return len(self.groups)

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """Why this actor is a broker, in words.

        >>> from maillage.graph.metrics.view import example_index
        >>> [b.sentence(example_index()) for b in brokers(example_index(), dimension="domaines")]
        ['« Bea » relie des partenaires de 2 domaines : « Circuits courts » (1) et « Emploi » (1).']
        """
        actor = quote(lang, index.actor(self.key).label)
        if self.dimension == "frontiere":
            own = self.own_groups[0] if self.own_groups else None
            cross = [g for g in self.groups if g.group != own]
            same = [g for g in self.groups if g.group == own]
            cross_text = metric_text(lang, "path_links_separator").join(
                f"{count_phrase(lang, 'actor', g.total)} {country_phrase(lang, g.group)}" for g in cross
            )
            same_text = (
                metric_text(
                    lang,
                    "broker_border_same",
                    same=f"{count_phrase(lang, 'actor', same[0].total)} {country_phrase(lang, own)}",
                )
                if same
                else ""
            )
            own_text = country_phrase(lang, own)
            return metric_text(
                lang, "broker_border", actor=actor, own=own_text, cross=cross_text, same=same_text
            )
        groups = [
            metric_text(lang, "group_count", group=quote(lang, g.label(index, lang)), count=g.total)
            for g in self.groups
        ]
        joined = (
            metric_text(lang, "path_links_separator").join(groups)
            if len(groups) <= 2
            else ", ".join(groups[:-1]) + metric_text(lang, "path_links_separator") + groups[-1]
        )
        name = "broker_fields" if self.dimension == "domaines" else "broker_colleges"
        return metric_text(lang, name, actor=actor, count=len(self.groups), groups=joined)


def brokers(
    index: NetworkIndex,
    *,
    dimension: Dimension = "domaines",
    include_private: bool = False,
    limit: int | None = None,
) -> list[Broker]:
    """The actors bridging `dimension` ("domaines", "colleges" or "frontiere"), best first.

    Examples
    --------
    bea works with ane (alimentation-locale, under circuits-courts) and cole (emploi): two top-level
    fields, one collaborator each, so H = −2 · ½ log₂ ½ = 1 bit. ane and cole have one collaborator each.

    >>> from maillage.graph.metrics.view import example_index
    >>> [(b.key, b.score, [g.total for g in b.groups]) for b in brokers(example_index())]
    [('bea', 1.0, [1, 1])]
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"Dimension inconnue : « {dimension} » (domaines, colleges ou frontiere)")
    if limit is not None and limit < 0:
        raise ValueError(f"limit doit être positif ou nul, pas {limit}")
    found = memo(
        index, ("brokers", dimension, include_private), lambda: _brokers(index, dimension, include_private)
    )
    return found if limit is None else found[:limit]


def _groups_of(
    index: NetworkIndex, dimension: Dimension, rows: npt.NDArray[np.int64]
) -> list[tuple[str, ...]]:
    if dimension == "domaines":
        tops = actor_top_fields(index)
        return [tuple(str(c) for c in tops[row]) for row in rows]
    if dimension == "colleges":
        colleges = (index.actors[row].college for row in rows)
        return [(str(c),) if c is not None else () for c in colleges]
    countries = (index.actors[row].country for row in rows)
    return [(c,) if c is not None else () for c in countries]


def _brokers(index: NetworkIndex, dimension: Dimension, include_private: bool) -> list[Broker]:
    view = collaboration_view(index, include_private=include_private)
    own = _groups_of(index, dimension, view.rows)
    names = sorted({g for groups in own for g in groups})
    column = {g: j for j, g in enumerate(names)}
    rows = [v for v, groups in enumerate(own) for _g in groups]
    cols = [column[g] for groups in own for g in groups]
    membership = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(view.n, len(names)))
    counts = (view.adjacency @ membership).tocsr()
    counts.eliminate_zeros()
    counts.sort_indices()
    degrees = view.degrees()
    spans = np.diff(counts.indptr)
    row_of = np.repeat(np.arange(view.n), spans)
    totals = np.bincount(row_of, weights=counts.data, minlength=view.n)

    if dimension == "frontiere":
        own_column = np.asarray([column[g[0]] if g else -1 for g in own], dtype=np.int64)
        same = counts.indices == own_column[row_of]
        same_side = np.bincount(row_of[same], weights=counts.data[same], minlength=view.n)
        scores = totals - same_side
        chosen = (own_column >= 0) & (scores > 0)
    else:
        shares = counts.data / totals[row_of]
        scores = np.bincount(row_of, weights=-shares * np.log2(shares), minlength=view.n)
        chosen = (spans >= 2) & (degrees >= 2)
    scores = np.round(scores, 12)  # equal entropies compare equal whatever the summation order

    candidates = np.flatnonzero(chosen)
    order = np.lexsort((candidates, -degrees[candidates], -spans[candidates], -scores[candidates]))
    indptr, indices, data = counts.indptr.tolist(), counts.indices.tolist(), counts.data.tolist()
    found: list[Broker] = []
    for v in candidates[order].tolist():
        start, end = indptr[v], indptr[v + 1]
        groups = sorted(
            (GroupCount(names[j], int(c)) for j, c in zip(indices[start:end], data[start:end], strict=True)),
            key=lambda g: (-g.total, g.group),
        )
        found.append(
            Broker(
                key=view.keys[v],
                dimension=dimension,
                own_groups=own[v],
                groups=tuple(groups),
                degree=int(degrees[v]),
                score=float(scores[v]),
            )
        )
    return found
