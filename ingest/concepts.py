"""Map spreadsheet cells to SKOS concepts: exact label, then normalised, then fuzzy — never a silent guess.

The steps (docs/decisions/20261128-concept-mapping-and-resolution.md):

1. **exact**: the cell, stripped, is the key, a notation, or a `skos:prefLabel` / `skos:altLabel` in any
   language (fr, eu, es, en) of exactly one concept of the scheme;
2. **normalised**: the same after `comparable` (accents, case and punctuation ignored by the shared
   `fold`, then each word through the shared plural rule `maillage.graph.textsim.stem`: French and Spanish
   plurals in -s, -x, -es, -aux, -eaux, and a final -e / -er / -ée, so « Circuits courts », « circuit
   court » and « asociaciones » / « asociación » compare equal);
3. **fuzzy**: rapidfuzz ``ratio`` (0–100) between the normalised cell and every normalised label. A value
   is accepted when the best concept scores at least `FUZZY_THRESHOLD` **and** every other concept scores
   at least `FUZZY_MARGIN` less (one clear winner); it is then listed for review. Two close candidates are
   *ambiguous*, no candidate is *unknown*: both are refused, with the closest concepts as a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from maillage.graph.folding import fold
from maillage.graph.textsim import stem
from maillage.ontology.vocab import MAI, ontology_graph

SCHEMES = {
    "field": MAI.fields,
    "resource": MAI.resources,
    "actor-type": MAI.actorTypes,
    "college": MAI.colleges,
    "membership-role": MAI.membershipRoles,
    "participation-role": MAI.participationRoles,
    "partnership-kind": MAI.partnershipKinds,
    "project-status": MAI.projectStatuses,
}


def scheme_label(scheme: str, *, lang: str = "fr") -> str:
    """The name of a scheme of `SCHEMES` as it reads inside a sentence: its ``skos:prefLabel`` in `lang`
    from the ontology, first letter in lower case; the key itself when the ontology has no label in `lang`.

    Messages name a scheme this way so that no one reads the internal key (``resource``) in French text.

    >>> scheme_label("resource"), scheme_label("field"), scheme_label("field", lang="es")
    ('ressources', "domaines d'activité", 'ámbitos de actividad')
    """
    for name in ontology_graph().objects(SCHEMES[scheme], SKOS.prefLabel):
        if _lang(name) == lang:
            text = str(name)
            return text[:1].lower() + text[1:]
    return scheme


#: rapidfuzz ``ratio`` from which a fuzzy match may be accepted: one letter missing or doubled in a word of
#: seven letters or more (« asociation » → « association », 95), not one word for another of nearly the
#: same spelling (« information » / « formation », 90).
FUZZY_THRESHOLD = 92.0
#: The winner must lead every other concept by this much, or the value is ambiguous.
FUZZY_MARGIN = 5.0
#: Below this, a concept is not even suggested.
SUGGESTION_CUTOFF = 75.0

#: Match statuses; the last three are listed for review.
EXACT, NORMALISED, FUZZY, AMBIGUOUS, UNKNOWN = "exact", "normalisé", "approché", "ambigu", "inconnu"


def normalise(text: str) -> str:
    """A cell or a label folded by the shared rule `maillage.graph.folding.fold` (no plural rule).

    >>> normalise("  Éco-Construction  et  ÉCO-HABITAT ")
    'eco construction et eco habitat'
    >>> normalise("coopérative d’activité") == normalise("Coopérative d'activité")
    True
    """
    return fold(text)


def comparable(text: str) -> str:
    """A cell or a label as the normalised and fuzzy steps compare it: folded, each word singular.

    >>> comparable("Circuits courts") == comparable("circuit court")
    True
    >>> comparable("Asociaciones") == comparable("asociación"), comparable("Locaux") == comparable("local")
    (True, True)
    """
    return " ".join(stem(word) for word in fold(text).split())


@dataclass(frozen=True)
class Match:
    """What a cell maps to: a concept (exact, normalised or fuzzy), or None (ambiguous or unknown).

    `candidates` are the closest concepts with their score (0–100), best first.
    """

    concept: URIRef | None
    suggestion: str | None = None
    status: str = UNKNOWN
    score: float | None = None
    candidates: tuple[tuple[URIRef, float], ...] = ()

    @property
    def needs_review(self) -> bool:
        """A person should look at it: accepted by fuzzy matching, or refused."""
        return self.status in (FUZZY, AMBIGUOUS, UNKNOWN)


class ConceptMatcher:
    """Lookup tables for each concept scheme, built once from the graphs holding the schemes.

    >>> from maillage.ontology.vocab import ontology_graph
    >>> matcher = ConceptMatcher(ontology_graph())
    >>> [matcher.match("actor-type", v).status for v in ("scop", "Scops", "Coopératives", "asociation")]
    ['exact', 'normalisé', 'normalisé', 'approché']
    >>> matcher.match("actor-type", "asociation").concept.rsplit("/", 1)[-1]
    'association'
    """

    def __init__(self, *graphs: Graph) -> None:
        self._exact: dict[str, dict[str, set[URIRef]]] = {}
        self._normal: dict[str, dict[str, set[URIRef]]] = {}
        self._labels: dict[URIRef, str] = {}
        for name, scheme in SCHEMES.items():
            exact: dict[str, set[URIRef]] = {}
            normal: dict[str, set[URIRef]] = {}
            for graph in graphs:
                for concept in graph.subjects(SKOS.inScheme, scheme):
                    if not isinstance(concept, URIRef):
                        continue
                    for text in _names(graph, concept):
                        exact.setdefault(text.strip(), set()).add(concept)
                        normal.setdefault(comparable(text), set()).add(concept)
                    fr = [str(o) for o in graph.objects(concept, SKOS.prefLabel) if _lang(o) == "fr"]
                    self._labels[concept] = fr[0] if fr else _key(concept)
            normal.pop("", None)
            self._exact[name], self._normal[name] = exact, normal

    def match(self, scheme: str, value: str) -> Match:
        """The concept a cell names in `scheme`: exact, then normalised, then fuzzy (see the module).

        Cost: two dictionary lookups, then one rapidfuzz pass over the scheme's labels (a few hundred).
        """
        found = self._exact[scheme].get(value.strip(), set())
        if len(found) == 1:
            return Match(next(iter(found)), status=EXACT, score=100.0)
        found = self._normal[scheme].get(comparable(value), set()) or found
        if len(found) == 1:
            return Match(next(iter(found)), status=NORMALISED, score=100.0)
        if len(found) > 1:
            candidates = tuple((c, 100.0) for c in sorted(found))
            return Match(None, self._which(candidates), AMBIGUOUS, 100.0, candidates)
        ranked = self._closest(scheme, comparable(value))
        if not ranked:
            return Match(None, None, UNKNOWN)
        best, score = ranked[0]
        if score >= FUZZY_THRESHOLD and (len(ranked) == 1 or ranked[1][1] < score - FUZZY_MARGIN):
            return Match(best, None, FUZZY, score, ranked[:3])
        if score >= FUZZY_THRESHOLD:
            close = tuple(c for c in ranked if c[1] >= score - FUZZY_MARGIN)
            return Match(None, self._which(close), AMBIGUOUS, score, close)
        return Match(None, f"vouliez-vous dire « {_key(best)} » ?", UNKNOWN, score, ranked[:3])

    def _closest(self, scheme: str, text: str) -> list[tuple[URIRef, float]]:
        """Concepts scoring at least `SUGGESTION_CUTOFF`, best first (ties by IRI), each once."""
        table = self._normal[scheme]
        scores: dict[URIRef, float] = {}
        hits = process.extract(
            text, list(table), scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=None
        )
        for label, score, _index in hits:
            for concept in table[label]:
                scores[concept] = max(scores.get(concept, 0.0), float(score))
        return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))

    def _which(self, candidates: Iterable[tuple[URIRef, float]]) -> str:
        names = ", ".join(f"« {_key(c)} » ({self._labels.get(c, '')})" for c, _s in candidates)
        return f"plusieurs concepts possibles : {names} ; écrivez la clé du bon"

    def label(self, concept: URIRef) -> str:
        """The French label of a concept the matcher knows (its key otherwise)."""
        return self._labels.get(concept, _key(concept))

    def keys(self, scheme: str) -> list[str]:
        """The keys of the concepts of `scheme`, sorted."""
        return sorted({_key(c) for concepts in self._normal[scheme].values() for c in concepts})


def _names(graph: Graph, concept: URIRef) -> list[str]:
    names = [_key(concept)]
    for predicate in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel):
        names += [str(o) for o in graph.objects(concept, predicate)]
    return names


def _key(concept: URIRef) -> str:
    return str(concept).rsplit("/", 1)[-1]


def _lang(term: object) -> str | None:
    return getattr(term, "language", None)
