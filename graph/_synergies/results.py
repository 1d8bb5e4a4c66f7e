"""What the synergy questions return: `Synergy`, `Pooling`, `Bridge`, the `Reason`s behind them, and `Ranked`.

Every result is data (keys, concepts, numbers) and renders its sentences from the catalogue
(`maillage.graph.texts`), French first, English on request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rdflib.term import URIRef

from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.parameters import (
    CROSS_BORDER_LINK,
    INTERMEDIARY,
    KINDS,
    NAMES_IN_SENTENCE,
    NEED_OFFER,
    NEED_OFFER_RELATED,
    POOLING,
    RELATED_FIELDS,
    SHARED_FIELDS,
    SHARED_NEED,
)
from maillage.graph.index import NetworkIndex
from maillage.graph.texts import (
    distance_phrase,
    has_text,
    quote,
    quoted_list,
    quoted_list_capped,
    sentence_language,
    text,
)

T = TypeVar("T")


class Ranked(list[T], Generic[T]):
    """One page of ranked results: a list of the items kept, plus `total`, how many matched in all.

    >>> page = Ranked(["a", "b"], total=7)
    >>> page, page.total
    (['a', 'b'], 7)
    """

    def __init__(self, items: Iterable[T] = (), *, total: int | None = None) -> None:
        super().__init__(items)
        self.total = len(self) if total is None else total


@dataclass(frozen=True)
class Link:
    """A collaboration already recorded between `source` and `target`: the projects they share (keys,
    in key order) and whether they are partners."""

    source: str
    target: str
    projects: tuple[str, ...]
    partnership: bool

    def phrase(self, index: NetworkIndex, lang: str) -> str:
        """What links them, in words: « projet « Potager partagé » et partenariat »."""
        labels = [index.projects[index.project_position[p]].label for p in self.projects]
        projects = ""
        if labels:
            projects = text(
                lang,
                "link_project" if len(labels) == 1 else "link_projects",
                projects=quoted_list(lang, labels),
            )
        if self.partnership:
            return (
                text(lang, "link_and_partnership", projects=projects)
                if projects
                else text(lang, "link_partnership")
            )
        return projects


def link_between(index: NetworkIndex, source: str, target: str) -> Link:
    """The `Link` of an edge of the collaboration graph."""
    data = index.collaboration.edges[source, target]
    return Link(source, target, tuple(sorted(data.get("projects", ()))), bool(data.get("partnership")))


@dataclass(frozen=True)
class Reason:
    """One checkable piece of evidence behind a synergy.

    `kind` is one of:

    - ``"besoin-offre"``: source needs ``concepts[0]``, target offers it (``concepts[1]`` is the same);
    - ``"besoin-offre-voisine"``: target offers ``concepts[1]``, one or two `skos:broader` steps from
      the needed ``concepts[0]``;
    - ``"domaines-partages"``: fields both actors declare, strongest first;
    - ``"domaines-voisins"``: concepts both reach only through the hierarchy;
    - ``"besoin-non-couvert"``: both need ``concepts[0]``, which the network lacks, and are in the same
      pooling group (its members: `poolings_for_actor`); `demand` is how many actors need it, `offerers`
      those who offer it or a neighbouring concept;
    - ``"intermediaire"``: ``actors[0]`` works with both (closing triangle); `links` are its
      collaborations with source and with target;
    - ``"lien-transfrontalier"``: source works with target across the border; `links` says how.

    `weight` is the reason's share of the score before distance modulation: ``match · idf(r)`` for a
    need, the summed cosine terms for fields, ``rarity(r)`` for a shared unmet need,
    ``1 / ln(degree)`` of the intermediary for a triangle, 1 for a cross-border link.
    """

    kind: str
    source: str
    target: str
    concepts: tuple[URIRef, ...]
    weight: float
    distance_km: float | None = None
    cross_border: bool = False
    actors: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    demand: int = 0
    offerers: tuple[str, ...] = ()

    def sentence(self, index: NetworkIndex, lang: str = "fr", *, situated: bool = True) -> str:
        """The reason in words, French by default (``lang="en"`` for English).

        With `situated` (the default) the sentence says where the other actor is: the distance for a
        need, « n'ont encore aucun … » for fields, and « (coopération transfrontalière) » across the
        border. `Synergy.sentence` says it once for several reasons.

        Examples
        --------
        >>> index = _example_index()
        >>> camion = URIRef("https://w3id.org/maillage/concept/resource/camion-frigorifique")
        >>> reason = Reason("besoin-offre", "ferme", "garraio", (camion, camion), 1.29, 12.3)
        >>> print(reason.sentence(index, "en", situated=False))
        “Ferme des Barthes” needs “Refrigerated truck”; “Coop Garraio” offers “Refrigerated truck”.
        """
        return self._render(index, lang, place=situated, not_linked=situated)

    def _render(self, index: NetworkIndex, lang: str, *, place: bool, not_linked: bool) -> str:
        lang = sentence_language(lang)
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        border = text(lang, "cross_border") if self.cross_border else ""
        where = distance_phrase(lang, self.distance_km) + border if place else ""
        if self.kind in (NEED_OFFER, NEED_OFFER_RELATED):
            need, offer = (quote(lang, index.concept_label(c, lang)) for c in self.concepts[:2])
            template = "need_offer" if self.kind == NEED_OFFER else "need_offer_related"
            return text(lang, template, source=source, target=target, need=need, offer=offer, place=where)
        if self.kind in (SHARED_FIELDS, RELATED_FIELDS):
            labels = [index.concept_label(c, lang) for c in self.concepts]
            if self.kind == RELATED_FIELDS:
                template = "related_fields"
            else:
                template = "shared_field" if len(labels) == 1 else "shared_fields"
            return text(
                lang,
                template,
                source=source,
                target=target,
                concepts=quoted_list(lang, labels),
                not_linked=text(lang, "not_linked") if not_linked else "",
                place=border if place else "",
            )
        if self.kind == SHARED_NEED:
            return text(
                lang,
                "shared_need",
                source=source,
                target=target,
                need=quote(lang, index.concept_label(self.concepts[0], lang)),
                supply=supply_phrase(index, lang, self.concepts[0], self.demand, self.offerers),
                form=pooling_form(index, self.concepts[0], lang),
                place=where,
            )
        if self.kind == INTERMEDIARY:
            via = quote(lang, index.actor(self.actors[0]).label)
            source_link, target_link = (
                text(
                    lang,
                    "link",
                    actor=quote(lang, index.actor(link.source).label),
                    what=link.phrase(index, lang),
                )
                for link in self.links
            )
            return text(
                lang,
                "intermediary",
                source=source,
                target=target,
                via=via,
                source_link=source_link,
                target_link=target_link,
                place=where,
            )
        if self.kind == CROSS_BORDER_LINK:
            return text(
                lang,
                "cross_border_link",
                source=source,
                target=target,
                what=self.links[0].phrase(index, lang),
                place=border if place else "",
            )
        raise ValueError(f"Type de raison inconnu : « {self.kind} »")


def supply_phrase(
    index: NetworkIndex, lang: str, resource: URIRef, demand: int, offerers: tuple[str, ...]
) -> str:
    """« , que personne ne propose dans le réseau », or the few who offer it (« (un concept voisin) » when
    none offers the resource itself)."""
    if not offerers:
        return text(lang, "supply_none")
    related = all(resource not in index.actor(k).offers for k in offerers)
    return text(
        lang,
        "supply_one" if len(offerers) == 1 else "supply_many",
        offerers=quoted_list_capped(
            lang,
            [index.actor(k).label for k in offerers[:NAMES_IN_SENTENCE]],
            NAMES_IN_SENTENCE,
            total=len(offerers),
        ),
        related=text(lang, "supply_related") if related else "",
        demand=demand,
    )


def pooling_form(index: NetworkIndex, resource: URIRef, lang: str) -> str:
    """What pooling `resource` would mean, from the nearest concept up its `skos:broader` line that has a
    phrase in the catalogue (« créer un groupement d'employeurs » for *Emploi partagé*, « partager un
    local » for any kind of premises …), else « le mutualiser »."""
    seen: set[URIRef] = set()
    concept: URIRef | None = resource
    while concept is not None and concept not in seen:
        seen.add(concept)
        record = index.concepts.get(concept)
        if record is None:
            break
        if has_text(lang, f"form_{record.key}"):
            return text(lang, f"form_{record.key}")
        concept = min(record.broader) if record.broader else None
    return text(lang, "form_default")


@dataclass(frozen=True)
class Synergy:
    """A suggested cooperation between two actors, with its score and its reasons.

    For a complementarity `source` needs and `target` offers; for a shared unmet need, an affinity or a
    closing triangle the pair is unordered (`source` is the actor asked about, or the smaller key
    network-wide); for a combined item (`kind="combine"`) `source` is the actor asked about.
    `components` gives the raw score of each kind that contributed (``{"complementarite": 2.71,
    "affinite": 0.58}``); for a combined item ``score = Σ weight[k] · components[k] / max_scores(index)[k]``.
    """

    kind: str
    source: str
    target: str
    score: float
    components: dict[str, float]
    distance_km: float | None
    cross_border: bool
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds that contributed, in `KINDS` order."""
        return tuple(kind for kind in KINDS if kind in self.components)

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """All reasons in words, one sentence each; the place (distance, border) is said once."""
        sentences: list[str] = []
        families_said: set[bool] = set()
        for position, reason in enumerate(self.reasons):
            family = reason.kind in (NEED_OFFER, NEED_OFFER_RELATED)
            sentences.append(
                reason._render(index, lang, place=position == 0, not_linked=family not in families_said)
            )
            families_said.add(family)
        return " ".join(sentences)


@dataclass(frozen=True)
class Pooling:
    """A pooling opportunity (« mutualisation »): nearby actors that need a resource the network lacks.

    `members` (key order) need `resource` themselves and are within the grouping radius (25 km by
    default) of `centre`, the needer the group was formed around (the one with the most needers nearby;
    a filter may leave it out of `members`). `demand` actors need it in the network and
    `supply` is what the network offers of it (1 per actor offering it, 0.5 or 0.25 per actor offering
    a concept one or two `skos:broader` steps away), `offerers` being those actors. The resource is
    short when ``supply < demand / 3``; ``rarity = 1 − 3 · supply / demand`` and
    ``score = len(members) · rarity``. `span_km` is the greatest distance between two members (None
    when a member has no coordinates); `cross_border` is True when members are in two countries.
    """

    resource: URIRef
    members: tuple[str, ...]
    centre: str
    score: float
    demand: int
    supply: float
    rarity: float
    offerers: tuple[str, ...]
    span_km: float | None
    cross_border: bool
    kind: str = POOLING

    @property
    def components(self) -> dict[str, float]:
        """``{"mutualisation": score}``, as for the other items of a ranking."""
        return {POOLING: self.score}

    @property
    def kinds(self) -> tuple[str, ...]:
        """``("mutualisation",)``."""
        return (POOLING,)

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The opportunity in words: who needs what, what the network offers of it, and what to do."""
        lang = sentence_language(lang)
        if self.span_km is None:
            where = ""
        elif self.span_km < 1.0:
            where = text(lang, "span_under_one_km")
        else:
            where = text(lang, "span", km=round(self.span_km))
        if self.cross_border:
            where += text(lang, "cross_border")
        return text(
            lang,
            "pooling_group",
            members=quoted_list_capped(lang, [index.actor(k).label for k in self.members], NAMES_IN_SENTENCE),
            need=quote(lang, index.concept_label(self.resource, lang)),
            supply=supply_phrase(index, lang, self.resource, self.demand, self.offerers),
            form=pooling_form(index, self.resource, lang),
            place=where,
        )


@dataclass(frozen=True)
class Bridge:
    """An actor that works on both sides of the border (a cross-border bridge).

    `same_side` are its collaborators (shared project or partnership) in its own country, `other_side`
    those in another country, both in key order; `projects` are the projects in which it works with the
    other side. ``score = (1 + len(same_side)) · len(other_side)``: the pairs of actors from the two
    sides (itself counted on its side) that it connects. `reasons` has one ``"lien-transfrontalier"``
    reason per collaborator across the border.
    """

    actor: str
    score: float
    same_side: tuple[str, ...]
    other_side: tuple[str, ...]
    projects: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """Who it works with on each side, in words."""
        lang = sentence_language(lang)
        actor = index.actor(self.actor)
        abroad = sorted({index.actor(k).country or "" for k in self.other_side})
        values = {
            "actor": quote(lang, actor.label),
            "others": quoted_list_capped(
                lang, [index.actor(k).label for k in self.other_side], NAMES_IN_SENTENCE
            ),
            "abroad": ", ".join(_country(lang, code) for code in abroad),
            "home": _country(lang, actor.country or ""),
        }
        if not self.same_side:
            return text(lang, "bridge_alone", **values)
        count = len(self.same_side)
        same = text(lang, "actors_one") if count == 1 else text(lang, "actors_many", count=count)
        return text(lang, "bridge", same=same, **values)


def _country(lang: str, code: str) -> str:
    return text(lang, f"country_{code}") if has_text(lang, f"country_{code}") else code
