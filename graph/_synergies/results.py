"""What the synergy questions return: `Synergy` and the `Reason`s behind it, with their sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import URIRef

from maillage.graph._synergies.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._synergies.parameters import (
    KINDS,
    NEED_OFFER,
    NEED_OFFER_RELATED,
    RELATED_FIELDS,
    SHARED_FIELDS,
)
from maillage.graph.index import NetworkIndex
from maillage.graph.texts import distance_phrase, quote, quoted_list, sentence_language, text


@dataclass(frozen=True)
class Reason:
    """One checkable piece of evidence behind a synergy.

    `kind` is ``"besoin-offre"`` (source needs ``concepts[0]``, target offers it: ``concepts[1]`` is the
    same concept), ``"besoin-offre-voisine"`` (target offers ``concepts[1]``, one or two `skos:broader`
    steps from the needed ``concepts[0]``), ``"domaines-partages"`` (fields both actors declare,
    strongest first) or ``"domaines-voisins"`` (concepts both reach only through the hierarchy).
    `weight` is the reason's share of the score before distance modulation: ``match · idf(r)`` for a
    need, the summed cosine terms for fields.
    """

    kind: str
    source: str
    target: str
    concepts: tuple[URIRef, ...]
    weight: float
    distance_km: float | None = None
    cross_border: bool = False

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
        if self.kind in (NEED_OFFER, NEED_OFFER_RELATED):
            need, offer = (quote(lang, index.concept_label(c, lang)) for c in self.concepts[:2])
            template = "need_offer" if self.kind == NEED_OFFER else "need_offer_related"
            where = distance_phrase(lang, self.distance_km) + border if place else ""
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
        raise ValueError(f"Type de raison inconnu : « {self.kind} »")


@dataclass(frozen=True)
class Synergy:
    """A suggested cooperation between two actors, with its score and its reasons.

    For a complementarity `source` needs and `target` offers; for an affinity the pair is unordered
    (`source` is the actor asked about, or the smaller key network-wide); for a combined item
    (`kind="combine"`) `source` is the actor asked about. `components` gives the raw score of each
    kind that contributed (``{"complementarite": 2.71, "affinite": 0.58}``); for a combined item
    ``score = Σ weight[k] · components[k] / max_scores(index)[k]``.
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
