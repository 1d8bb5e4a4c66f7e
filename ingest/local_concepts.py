"""Local taxonomy additions: concepts animators add to a scheme (« à compléter par les enjeux locaux »).

They live in the store, in their own named graph (`LOCAL_TAXONOMY_GRAPH`), next to the ontology's
schemes: the concept matcher of every import reads both (`matcher_for`), so a value refused as unknown is
accepted once its concept has been added, and each addition says who-when-how (PROV-O, DCTERMS).
"""

from __future__ import annotations

import datetime as dt
import uuid

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from maillage.graph.stores.base import Store
from maillage.ingest.concepts import SCHEMES, ConceptMatcher, comparable, scheme_label
from maillage.ontology.iri import GRAPH_BASE, IRIError, concept_iri, data_iri
from maillage.ontology.vocab import ontology_graph

#: The named graph holding every concept added locally, with the provenance of each addition.
LOCAL_TAXONOMY_GRAPH = URIRef(GRAPH_BASE + "taxonomy")
LANGUAGES = ("fr", "eu", "es", "en")


class LocalConceptError(ValueError):
    """A local concept cannot be added; the message says which value breaks which rule.

    The message is `reason` (French, ``%(name)s`` placeholders) filled with `values`, so that an interface
    can word the refusal in its reader's language: the taxonomy page translates `reason` and calls `worded`.
    A value named ``scheme`` is a scheme key, shown as the scheme's label in the language asked.

    >>> error = LocalConceptError("« %(key)s » existe déjà dans le schéma « %(scheme)s »", key="emploi",
    ...                           scheme="field")
    >>> str(error)
    "« emploi » existe déjà dans le schéma « domaines d'activité »"
    >>> error.worded("“%(key)s” already exists in the “%(scheme)s” scheme", lang="en")
    '“emploi” already exists in the “fields of activity” scheme'
    """

    def __init__(self, reason: str, **values: str) -> None:
        self.reason = reason
        self.values = values
        super().__init__(self.worded(reason))

    def worded(self, reason: str, *, lang: str = "fr") -> str:
        """`reason` (this refusal's or its translation) filled with the values, the scheme named in `lang`."""
        if not self.values:
            return reason
        values = dict(self.values)
        if "scheme" in values:
            values["scheme"] = scheme_label(values["scheme"], lang=lang)
        return reason % values


def local_concepts(store: Store) -> Graph:
    """The concepts added locally (and their provenance), as one rdflib graph."""
    graph = Graph()
    for s, p, o, _g in store.quads(None, None, None, LOCAL_TAXONOMY_GRAPH):
        graph.add((s, p, o))
    return graph


def matcher_for(store: Store) -> ConceptMatcher:
    """A concept matcher for the ontology's schemes plus the store's local additions."""
    return ConceptMatcher(ontology_graph(), local_concepts(store))


def add_local_concept(
    store: Store,
    scheme: str,
    key: str,
    *,
    labels: dict[str, str],
    broader: str | None = None,
    alt_labels: tuple[str, ...] = (),
    source: str = "maillage concepts add",
    now: dt.datetime | None = None,
) -> URIRef:
    """Add a concept to a scheme, in one transaction, and return its IRI.

    The concept gets `skos:inScheme`, `skos:notation` (its key), a `skos:prefLabel` per language given
    (French required), `skos:altLabel`s in French, and `skos:broader` (or `skos:topConceptOf`); an
    addition is a `prov:Activity` that generated it (`prov:wasGeneratedBy`, `dct:created`, `dct:source`).

    Raises `LocalConceptError` (naming the scheme by its French label, `scheme_label`) for an unknown
    scheme, a bad key, a key or French label already used in the scheme (the import could not tell them
    apart), a missing French label, an unknown language, or a broader concept outside the scheme.

    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> store = OxigraphStore(None)
    >>> add_local_concept(store, "field", "sylviculture", labels={"fr": "Sylviculture"},
    ...                   broader="circuits-courts")
    rdflib.term.URIRef('https://w3id.org/maillage/concept/field/sylviculture')
    >>> matcher_for(store).match("field", "sylvicultures").status
    'normalisé'
    """
    if scheme not in SCHEMES:
        raise LocalConceptError(
            "schéma inconnu : « %(asked)s » (schémas : %(schemes)s)", asked=scheme, schemes=", ".join(SCHEMES)
        )
    try:
        iri = concept_iri(scheme, key)
    except IRIError as error:
        raise LocalConceptError(str(error)) from None
    unknown = sorted(set(labels) - set(LANGUAGES))
    if unknown:
        raise LocalConceptError(
            "langue inconnue : « %(asked)s » (langues : %(languages)s)",
            asked=unknown[0],
            languages=", ".join(LANGUAGES),
        )
    if not labels.get("fr", "").strip():
        raise LocalConceptError("« %(key)s » : un libellé français est obligatoire (--label-fr)", key=key)
    matcher = matcher_for(store)
    if key in matcher.keys(scheme) or (iri, None, None) in ontology_graph():
        raise LocalConceptError(
            "« %(key)s » existe déjà dans le schéma « %(scheme)s »", key=key, scheme=scheme
        )
    for text in (labels["fr"], *alt_labels):
        taken = matcher.match(scheme, text)
        if taken.concept is not None and taken.status != "approché":
            raise LocalConceptError(
                "« %(label)s » désigne déjà le concept « %(concept)s » du schéma « %(scheme)s » "
                "(même libellé une fois accents, casse et pluriels ignorés)",
                label=text,
                concept=str(taken.concept).rsplit("/", 1)[-1],
                scheme=scheme,
            )
    parent = None
    if broader is not None:
        parent = concept_iri(scheme, broader) if broader in matcher.keys(scheme) else None
        if parent is None:
            raise LocalConceptError(
                "concept plus large inconnu dans le schéma « %(scheme)s » : « %(broader)s »",
                scheme=scheme,
                broader=broader,
            )
    moment = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    stamp = Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    run = data_iri("import-run", "concept-" + moment.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8])
    graph, scheme_iri = LOCAL_TAXONOMY_GRAPH, URIRef(SCHEMES[scheme])
    with store.transaction() as tx:
        tx.add((iri, RDF.type, SKOS.Concept, graph))
        tx.add((iri, SKOS.inScheme, scheme_iri, graph))
        tx.add((iri, SKOS.notation, Literal(key), graph))
        for lang, text in sorted(labels.items()):
            if text.strip():
                tx.add((iri, SKOS.prefLabel, Literal(text.strip(), lang=lang), graph))
        for text in alt_labels:
            tx.add((iri, SKOS.altLabel, Literal(text.strip(), lang="fr"), graph))
        if parent is not None:
            tx.add((iri, SKOS.broader, parent, graph))
        else:
            tx.add((iri, SKOS.topConceptOf, scheme_iri, graph))
        tx.add((iri, DCTERMS.created, stamp, graph))
        tx.add((iri, PROV.wasGeneratedBy, run, graph))
        tx.add((run, RDF.type, PROV.Activity, graph))
        tx.add((run, RDFS.label, Literal(f"Ajout local du concept « {key} » ({scheme})", lang="fr"), graph))
        tx.add((run, PROV.startedAtTime, stamp, graph))
        tx.add((run, DCTERMS.source, Literal(source), graph))
    return iri


def is_local(concept: URIRef, store: Store) -> bool:
    """The concept was added locally (it is in `LOCAL_TAXONOMY_GRAPH`)."""
    return any(True for _q in store.quads(concept, SKOS.inScheme, None, LOCAL_TAXONOMY_GRAPH))


__all__ = [
    "LANGUAGES",
    "LOCAL_TAXONOMY_GRAPH",
    "LocalConceptError",
    "add_local_concept",
    "comparable",
    "is_local",
    "local_concepts",
    "matcher_for",
]
