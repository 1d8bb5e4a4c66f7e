"""Gaps of the network: needs nobody offers, and fields with one actor or none.

A need for r is
    couvert                (not listed) some actor offers r itself
    partiellement-couvert  nobody offers r, but some actor offers a concept one `skos:broader` step away:
                           r's broader concept (« Véhicules » for « Camion frigorifique ») or a narrower
                           one — the synergies weigh such a match 0.5
                           (docs/decisions/20261128-synergy-scores.md)
    non-couvert            nobody offers r nor a concept one step away
An actor works in field f when it declares f or a concept below f. A field of the `mai:fields` scheme is a
gap when at most `max_actors` actors work in it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.metrics.texts import count_phrase, metric_text, quote, quoted_list
from maillage.graph.metrics.view import memo
from maillage.ontology.vocab import MAI

NeedStatus = Literal["non-couvert", "partiellement-couvert"]
Relation = Literal["plus-large", "plus-precis"]
#: actors named in a sentence before « … »
NAMED_ACTORS = 5
#: nearby offers named in a sentence before « … »
NAMED_OFFERS = 3


@dataclass(frozen=True)
class RelatedOffer:
    """Actors offering a concept one step above or below a need."""

    concept: URIRef
    relation: Relation
    actors: tuple[str, ...]


@dataclass(frozen=True)
class NeedGap:
    """A need nobody offers exactly, who has it, and the nearby offers if any."""

    resource: URIRef
    status: NeedStatus
    needed_by: tuple[str, ...]
    related_offers: tuple[RelatedOffer, ...]

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The gap in words.

        >>> from maillage.graph.metrics.view import example_index
        >>> [g.sentence(example_index()) for g in need_gaps(example_index())][0]
        'Besoin « Chambre froide » exprimé par 1 acteur (« Ane ») : personne ne le propose dans le réseau, \
ni un concept voisin.'
        """
        need = quote(lang, index.concept_label(self.resource, lang))
        actors = f"{count_phrase(lang, 'actor', len(self.needed_by))} ({_names(index, lang, self.needed_by)})"
        if self.status == "non-couvert":
            return metric_text(lang, "need_uncovered", need=need, actors=actors)
        related = [
            metric_text(
                lang,
                "related_offer",
                offerers=_names(index, lang, offer.actors),
                verb=metric_text(lang, "offers_one" if len(offer.actors) == 1 else "offers_many"),
                offer=quote(lang, index.concept_label(offer.concept, lang)),
                relation=metric_text(lang, "broader" if offer.relation == "plus-large" else "narrower"),
            )
            for offer in self.related_offers[:NAMED_OFFERS]
        ]
        more = " …" if len(self.related_offers) > NAMED_OFFERS else ""
        return metric_text(lang, "need_partly", need=need, actors=actors, related=" ; ".join(related) + more)


@dataclass(frozen=True)
class FieldGap:
    """A field of the network's taxonomy with few actors (`actors` lists them, maybe none)."""

    field: URIRef
    actors: tuple[str, ...]

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The gap in words.

        >>> from maillage.graph.metrics.view import example_index
        >>> sentences = [g.sentence(example_index()) for g in field_gaps(example_index(), max_actors=2)]
        >>> for sentence in sentences:
        ...     print(sentence)
        Domaine « Tourisme solidaire » : aucun acteur du réseau.
        Domaine « Alimentation locale » : seulement 2 acteurs (« Ane » et « Bea »).
        Domaine « Circuits courts » : seulement 2 acteurs (« Ane » et « Bea »).
        """
        field = quote(lang, index.concept_label(self.field, lang))
        if not self.actors:
            return metric_text(lang, "field_none", field=field)
        names = _names(index, lang, self.actors)
        if len(self.actors) == 1:
            return metric_text(lang, "field_one", field=field, actors=names)
        return metric_text(
            lang, "field_few", field=field, count=count_phrase(lang, "actor", len(self.actors)), actors=names
        )


@dataclass(frozen=True)
class Gaps:
    """The network's unmet needs and thin fields."""

    needs: tuple[NeedGap, ...]
    fields: tuple[FieldGap, ...]


def _names(index: NetworkIndex, lang: str, keys: tuple[str, ...]) -> str:
    labels = [index.actor(k).label for k in keys[:NAMED_ACTORS]]
    text = quoted_list(lang, labels)
    return text + (" …" if len(keys) > NAMED_ACTORS else "")


def _visible(index: NetworkIndex, include_private: bool) -> list[ActorRecord]:
    return [a for a in index.actors if include_private or a.is_public]


def need_gaps(index: NetworkIndex, *, include_private: bool = False) -> list[NeedGap]:
    """Needs nobody offers exactly: « non-couvert » first, then « partiellement-couvert »; within each, the
    needs most actors share first, then by concept key. Cost O(needs + offers).

    Examples
    --------
    ane needs a cold room (nobody offers it nor « Équipements » or a narrower concept) and a van;
    bea offers « Véhicules », the van's broader concept: the van is partly covered.

    >>> from maillage.graph.metrics.view import example_index
    >>> [(g.resource.rsplit("/", 1)[1], g.status) for g in need_gaps(example_index())]
    [('chambre-froide', 'non-couvert'), ('vehicule-utilitaire', 'partiellement-couvert')]
    """
    return memo(index, ("need-gaps", include_private), lambda: _need_gaps(index, include_private))


def _need_gaps(index: NetworkIndex, include_private: bool) -> list[NeedGap]:
    actors = _visible(index, include_private)
    needed_by: dict[URIRef, list[str]] = defaultdict(list)
    offered_by: dict[URIRef, list[str]] = defaultdict(list)
    for actor in actors:
        for concept in actor.needs:
            needed_by[concept].append(actor.key)
        for concept in actor.offers:
            offered_by[concept].append(actor.key)
    narrower: dict[URIRef, list[URIRef]] = defaultdict(list)
    for iri, concept_record in index.concepts.items():
        for parent in concept_record.broader:
            narrower[parent].append(iri)
    gaps: list[NeedGap] = []
    for need, keys in needed_by.items():
        if offered_by.get(need):
            continue
        record = index.concepts.get(need)
        related: list[RelatedOffer] = []
        for parent in sorted(record.broader if record is not None else ()):
            if offered_by.get(parent):
                related.append(RelatedOffer(parent, "plus-large", tuple(sorted(offered_by[parent]))))
        for child in sorted(narrower.get(need, ())):
            if offered_by.get(child):
                related.append(RelatedOffer(child, "plus-precis", tuple(sorted(offered_by[child]))))
        status: NeedStatus = "partiellement-couvert" if related else "non-couvert"
        gaps.append(NeedGap(need, status, tuple(sorted(keys)), tuple(related)))
    gaps.sort(key=lambda g: (g.status != "non-couvert", -len(g.needed_by), str(g.resource)))
    return gaps


def field_gaps(index: NetworkIndex, *, max_actors: int = 1, include_private: bool = False) -> list[FieldGap]:
    """Fields of the `mai:fields` scheme in which at most `max_actors` actors work (a declared field counts
    for every concept above it), fewest actors first, then by concept IRI.

    >>> from maillage.graph.metrics.view import example_index
    >>> [(g.field[-18:], g.actors) for g in field_gaps(example_index())]
    [('tourisme-solidaire', ())]
    """
    if max_actors < 0:
        raise ValueError(f"max_actors doit être positif ou nul, pas {max_actors}")
    counted = memo(index, ("field-actors", include_private), lambda: _field_actors(index, include_private))
    gaps = [FieldGap(field, keys) for field, keys in counted.items() if len(keys) <= max_actors]
    gaps.sort(key=lambda g: (len(g.actors), str(g.field)))
    return gaps


def _field_actors(index: NetworkIndex, include_private: bool) -> dict[URIRef, tuple[str, ...]]:
    fields = {iri for iri, record in index.concepts.items() if record.scheme == MAI.fields}
    members: dict[URIRef, set[str]] = {field: set() for field in fields}
    above: dict[URIRef, set[URIRef]] = {}
    for actor in _visible(index, include_private):
        for concept in actor.fields:
            if concept not in above:
                above[concept] = _with_ancestors(index, concept)
            for field in above[concept]:
                members.setdefault(field, set()).add(actor.key)
    return {field: tuple(sorted(keys)) for field, keys in members.items()}


def _with_ancestors(index: NetworkIndex, concept: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    stack = [concept]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            record = index.concepts.get(current)
            stack.extend(record.broader if record is not None else ())
    return seen


def gaps(index: NetworkIndex, *, max_actors: int = 1, include_private: bool = False) -> Gaps:
    """`need_gaps` and `field_gaps` together.

    >>> from maillage.graph.metrics.view import example_index
    >>> result = gaps(example_index())
    >>> len(result.needs), len(result.fields)
    (2, 1)
    """
    return Gaps(
        needs=tuple(need_gaps(index, include_private=include_private)),
        fields=tuple(field_gaps(index, max_actors=max_actors, include_private=include_private)),
    )
