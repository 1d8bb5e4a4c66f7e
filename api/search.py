"""Find public actors: the filters of `GET /api/actors` and of the search page, and the facets that
count, among the actors found, how many have each field, type, college, resource, EPCI and country."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from maillage.api.errors import APIError
from maillage.api.i18n import N_, translate
from maillage.api.present import label
from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.metrics.texts import country_phrase
from maillage.ingest.concepts import normalise as fold
from maillage.ontology.iri import key_of


def narrower_closure(index: NetworkIndex, key: str, scheme_part: str) -> set[URIRef]:
    """The concept named by `key` and every concept below it (a filter on a field includes its sub-fields)."""
    roots = {
        iri for iri in index.concepts if f"/concept/{scheme_part}/" in str(iri) and key_of(str(iri)) == key
    }
    if not roots:
        raise APIError(
            422,
            f"Concept inconnu : « {key} »",
            details=[{"parametre": scheme_part, "valeur": key, "regle": "clé de concept inconnue"}],
        )
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for iri, record in index.concepts.items():
            if iri not in found and any(b in found for b in record.broader):
                found.add(iri)
                changed = True
    return found


@dataclass(frozen=True)
class ActorQuery:
    """What a user asks for: words, and at most one value per facet (keys of concepts, codes)."""

    q: str | None = None
    field: str | None = None
    type_: str | None = None
    college: str | None = None
    offers: str | None = None
    needs: str | None = None
    commune: str | None = None
    epci: str | None = None
    country: str | None = None

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


_texts: tuple[NetworkIndex, list[str]] | None = None
_texts_lock = threading.Lock()


def search_texts(index: NetworkIndex) -> list[str]:
    """The folded name, description and commune of every actor of `index`, in its order: computed once per
    index (0.65 s at 25,000 actors, where a search then takes milliseconds), kept for the latest index; for
    an index patched from it (`patch_index`: same actors, some records replaced), only the replaced ones."""
    global _texts
    cached = _texts
    if cached is not None and cached[0] is index:
        return cached[1]
    with _texts_lock:
        if _texts is None or _texts[0] is not index:
            previous = _texts
            if previous is not None and previous[0].position is index.position:  # a patched index
                old = previous[0].actors
                texts = [
                    text if old[row] is actor else _text(actor)
                    for row, (actor, text) in enumerate(zip(index.actors, previous[1], strict=True))
                ]
            else:
                texts = [_text(actor) for actor in index.actors]
            _texts = (index, texts)
        return _texts[1]


def _text(actor: ActorRecord) -> str:
    return fold(f"{actor.label} {actor.description} {actor.commune_label}")


def matching_actors(index: NetworkIndex, query: ActorQuery) -> list[ActorRecord]:
    """The public actors that satisfy every part of `query`, in the index's order (by name).

    Words are matched accent- and case-blind in the name, description and commune, all of them required;
    a concept filter includes the concepts below it; a resource matches an offer (`offers`) or a need
    (`needs`) of that resource or of one below it.
    """
    concept_filters: list[tuple[set[URIRef], Callable[[ActorRecord], Iterable[URIRef | None]]]] = []
    for key, part, values in (
        (query.field, "field", lambda a: a.fields),
        (query.type_, "actor-type", lambda a: (a.actor_type,)),
        (query.college, "college", lambda a: (a.college,)),
        (query.offers, "resource", lambda a: a.offers),
        (query.needs, "resource", lambda a: a.needs),
    ):
        if key:
            concept_filters.append((narrower_closure(index, key, part), values))
    words = fold(query.q).split() if query.q else []
    rows: Iterable[int] = range(len(index.actors))
    if words:  # one pass of `in` over the folded texts per word, then the other filters on the rows left
        texts = search_texts(index)
        for word in words:
            rows = [row for row in rows if word in texts[row]]
    found = []
    for row in rows:
        actor = index.actors[row]
        if not actor.is_public:
            continue
        if any(not allowed.intersection(values(actor)) for allowed, values in concept_filters):
            continue
        if query.commune and (actor.commune is None or key_of(str(actor.commune)) != query.commune):
            continue
        if query.epci and (actor.epci is None or key_of(str(actor.epci)) != query.epci):
            continue
        if query.country and actor.country != query.country.upper():
            continue
        found.append(actor)
    return found


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int


@dataclass
class Facet:
    """One facet: its query parameter, its title, and its values with their counts among the results."""

    name: str
    title: str
    values: list[FacetValue] = field(default_factory=list)


def _concept_values(index: NetworkIndex, counts: Counter[URIRef], lang: str) -> list[FacetValue]:
    values = [FacetValue(key_of(str(iri)), label(index, iri, lang), n) for iri, n in counts.items()]
    return sorted(values, key=lambda v: (-v.count, fold(v.label)))


def facets(index: NetworkIndex, actors: list[ActorRecord], lang: str = "fr") -> list[Facet]:
    """Counts among `actors`: each field (an actor counts once per field it declares, not for the
    fields above), type, college, resource offered, resource needed, EPCI and country; titles, concept
    labels and country names in `lang`."""
    fields: Counter[URIRef] = Counter(f for a in actors for f in set(a.fields))
    types: Counter[URIRef] = Counter(a.actor_type for a in actors if a.actor_type is not None)
    colleges: Counter[URIRef] = Counter(a.college for a in actors if a.college is not None)
    offers: Counter[URIRef] = Counter(r for a in actors for r in set(a.offers))
    needs: Counter[URIRef] = Counter(r for a in actors for r in set(a.needs))
    epcis: Counter[tuple[str, str]] = Counter(
        (key_of(str(a.epci)), a.epci_label) for a in actors if a.epci is not None
    )
    countries: Counter[str] = Counter(a.country for a in actors if a.country)
    return [
        Facet("domaine", translate(N_("Domaine d'activité"), lang), _concept_values(index, fields, lang)),
        Facet("type", translate(N_("Type d'acteur"), lang), _concept_values(index, types, lang)),
        Facet("college", translate(N_("Collège"), lang), _concept_values(index, colleges, lang)),
        Facet("propose", translate(N_("Propose"), lang), _concept_values(index, offers, lang)),
        Facet("recherche", translate(N_("Recherche"), lang), _concept_values(index, needs, lang)),
        Facet(
            "epci",
            translate(N_("Intercommunalité"), lang),
            sorted(
                (FacetValue(k, name, n) for (k, name), n in epcis.items()), key=lambda v: (-v.count, v.label)
            ),
        ),
        Facet(
            "pays",
            translate(N_("Pays"), lang),
            [
                FacetValue(k, country_phrase(lang, k, preposition=False), n)
                for k, n in sorted(countries.items())
            ],
        ),
    ]
