"""What the overlap questions return: `Overlap` and its `OverlapReason`s, `OverlapPage`, `DuplicateCandidate`
and its `DuplicateEvidence`.

Every result is data (keys, concepts, numbers) and renders its sentences from `texts`, French first,
English on request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import URIRef

from maillage.graph._overlaps.example import _example_index  # noqa: F401 - the docstring examples call it
from maillage.graph._overlaps.parameters import RELATED_FIELDS, RELATED_OFFERS, Certainty
from maillage.graph._overlaps.texts import overlap_text, place_phrase
from maillage.graph.index import NetworkIndex
from maillage.graph.texts import quote, quoted_list


@dataclass(frozen=True)
class OverlapReason:
    """One checkable piece of evidence behind an overlap.

    `kind` is ``"offres-communes"`` / ``"domaines-communs"`` (`concepts`: what both declare) or
    ``"offres-voisines"`` / ``"domaines-voisins"`` (`concepts`: the source's concept, then the target's,
    one `skos:broader` step apart). `weight` is the reason's share of its component (the reasons of a
    component add up to it).
    """

    kind: str
    concepts: tuple[URIRef, ...]
    weight: float


@dataclass(frozen=True)
class Overlap:
    """Two actors nearby who offer the same things or work in the same fields: possible duplication.

    The pair is unordered: `source` is the actor asked about, or the smaller key network-wide.
    ``score = f(d) · Σ_k weights[k] · components[k]`` with components ``"offres"`` and ``"domaines"``.
    """

    source: str
    target: str
    score: float
    components: dict[str, float]
    shared_offers: tuple[URIRef, ...]
    shared_fields: tuple[URIRef, ...]
    distance_km: float | None
    same_commune: bool
    cross_border: bool
    #: True when the two already share a project or a partnership
    linked: bool
    reasons: tuple[OverlapReason, ...] = field(default=())

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The overlap in words: what both do, where they are; French by default, ``lang="en"``.

        Examples
        --------
        >>> from maillage.graph.overlaps import activity_overlaps
        >>> index = _example_index()
        >>> print(activity_overlaps(index, actor_key="zurgin")[1].sentence(index))
        « Zurgin Menuiserie » et « Atelier Bois Solidaire » proposent tous deux « Atelier » et \
travaillent dans « Éco-construction », dans la même commune (Bayonne).
        """
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        commune = index.actor(self.source).commune_label if self.same_commune else None
        place = place_phrase(lang, self.distance_km, commune or None)
        if self.cross_border:
            place += overlap_text(lang, "cross_border")
        offers = [index.concept_label(c, lang) for c in self.shared_offers]
        fields = [index.concept_label(c, lang) for c in self.shared_fields]
        sentences: list[str] = []
        if offers or fields:
            template = "offers_and_fields" if offers and fields else "offers" if offers else "fields"
            sentences.append(
                overlap_text(
                    lang,
                    template,
                    source=source,
                    target=target,
                    offers=quoted_list(lang, offers),
                    fields=quoted_list(lang, fields),
                    place=place,
                )
            )
        for reason in self.reasons:
            if reason.kind in (RELATED_OFFERS, RELATED_FIELDS):
                first, second = (quote(lang, index.concept_label(c, lang)) for c in reason.concepts)
                template = "related_offer" if reason.kind == RELATED_OFFERS else "related_field"
                where = place if not sentences else ""
                sentences.append(
                    overlap_text(
                        lang, template, source=source, target=target, first=first, second=second, place=where
                    )
                )
        if self.linked:
            sentences.append(overlap_text(lang, "linked"))
        return " ".join(sentences)


@dataclass(frozen=True)
class OverlapPage:
    """One page of overlaps and how many there are in all (before `limit` and `offset`)."""

    items: list[Overlap]
    count: int


@dataclass(frozen=True)
class DuplicateEvidence:
    """Why two records may be one actor.

    `kind` is ``"siret"`` (the same SIRET), ``"siren"`` (the same SIREN, from two SIRETs or a SIREN),
    ``"rna"``, ``"nif"`` or ``"nom"`` (nearly identical names nearby). `value` is the shared identifier
    (for a name: the similarity, 0–100, as text); `values` what each record holds (its identifier as
    written, or its folded name).
    """

    kind: str
    value: str
    values: tuple[str, str]
    similarity: float | None = None


@dataclass(frozen=True)
class DuplicateCandidate:
    """Two records that may describe the same actor: ``"certain"`` (an identifier) or ``"probable"`` (names).

    `source` has the smaller key. `name_similarity` is the token_set_ratio (0–100) of the folded names,
    given for every candidate.
    """

    source: str
    target: str
    certainty: Certainty
    evidence: tuple[DuplicateEvidence, ...]
    name_similarity: float
    distance_km: float | None
    same_commune: bool

    def sentence(self, index: NetworkIndex, lang: str = "fr") -> str:
        """The evidence in words, after « Doublon certain : » or « Doublon probable : ».

        Examples
        --------
        >>> from maillage.graph.overlaps import duplicate_records
        >>> index = _example_index()
        >>> [candidate] = duplicate_records(index, identifiers={})
        >>> print(candidate.sentence(index))
        Doublon probable : « Atelier Bois Solidaire » et « ATELIER BOIS SOLIDAIRE (SCOP) » ont des noms \
presque identiques (similarité 100 / 100 après normalisation : « atelier bois solidaire » et \
« atelier bois solidaire »), dans la même commune (Bayonne).
        """
        return overlap_text(lang, self.certainty) + " ".join(
            self._evidence_sentence(index, lang, evidence) for evidence in self.evidence
        )

    def _evidence_sentence(self, index: NetworkIndex, lang: str, evidence: DuplicateEvidence) -> str:
        source = quote(lang, index.actor(self.source).label)
        target = quote(lang, index.actor(self.target).label)
        if evidence.kind == "nom":
            commune = index.actor(self.source).commune_label if self.same_commune else None
            return overlap_text(
                lang,
                "similar_names",
                source=source,
                target=target,
                similarity=round(evidence.similarity or 0.0),
                first=quote(lang, evidence.values[0]),
                second=quote(lang, evidence.values[1]),
                place=place_phrase(lang, self.distance_km, commune or None),
            )
        if evidence.kind == "siren" and evidence.values[0] != evidence.values[1]:
            first, second = (_identifier_label(lang, value) + " " + value for value in evidence.values)
            return overlap_text(
                lang,
                "same_siren",
                source=source,
                target=target,
                first=first,
                second=second,
                value=evidence.value,
            )
        what = overlap_text(lang, f"identifier_{evidence.kind}")
        return overlap_text(
            lang, "same_identifier", source=source, target=target, what=what, value=evidence.value
        )


def _identifier_label(lang: str, value: str) -> str:
    return overlap_text(lang, "identifier_siret" if len(value) == 14 else "identifier_siren")
