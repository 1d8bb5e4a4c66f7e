"""Map spreadsheet cells to SKOS concepts: the key, or any label in any language, accents and case ignored.

v1 accepts exact matches only (after normalisation) and refuses the rest with the closest label as a
suggestion: a value is never guessed silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from maillage.graph.folding import fold
from maillage.ontology.vocab import MAI

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


def normalise(text: str) -> str:
    """A cell or a label as the matcher compares it: space-separated lower-case ASCII words.

    The shared rule `maillage.graph.folding.fold` (accents, case and punctuation ignored; a curly
    apostrophe separates words like a straight one).

    >>> normalise("  Éco-Construction  et  ÉCO-HABITAT ")
    'eco construction et eco habitat'
    >>> normalise("coopérative d’activité") == normalise("Coopérative d'activité")
    True
    """
    return fold(text)


@dataclass(frozen=True)
class Match:
    concept: URIRef | None
    suggestion: str | None = None


class ConceptMatcher:
    """Lookup tables for each concept scheme, built once from a graph holding the schemes."""

    def __init__(self, graph: Graph) -> None:
        self._lookup: dict[str, dict[str, set[URIRef]]] = {}
        self._display: dict[str, dict[str, str]] = {}
        for name, scheme in SCHEMES.items():
            table: dict[str, set[URIRef]] = {}
            display: dict[str, str] = {}
            for concept in graph.subjects(SKOS.inScheme, scheme):
                if not isinstance(concept, URIRef):
                    continue
                names = [str(concept).rsplit("/", 1)[-1]]
                names += [str(o) for o in graph.objects(concept, SKOS.notation)]
                for predicate in (SKOS.prefLabel, SKOS.altLabel):
                    names += [str(o) for o in graph.objects(concept, predicate)]
                for text in names:
                    table.setdefault(normalise(text), set()).add(concept)
                fr = [
                    str(o)
                    for o in graph.objects(concept, SKOS.prefLabel)
                    if getattr(o, "language", None) == "fr"
                ]
                display[normalise(names[0])] = f"{names[0]} ({fr[0]})" if fr else names[0]
            self._lookup[name] = table
            self._display[name] = display

    def match(self, scheme: str, value: str) -> Match:
        """The concept a cell names in `scheme`, or None with the closest key as a suggestion."""
        table = self._lookup[scheme]
        found = table.get(normalise(value), set())
        if len(found) == 1:
            return Match(next(iter(found)))
        best = process.extractOne(normalise(value), list(table), scorer=fuzz.ratio, score_cutoff=75)
        suggestion = None
        if best is not None:
            concept = sorted(table[best[0]])[0]
            key = str(concept).rsplit("/", 1)[-1]
            suggestion = f"vouliez-vous dire « {key} » ?"
        return Match(None, suggestion)

    def keys(self, scheme: str) -> list[str]:
        return sorted(self._display[scheme])
