"""The DCAT-AP 3 catalogue of the exports: catalogue, datasets, one distribution per format, and every
node they point to (publisher, licence, media types, places, period, contact, theme) described in the
same document, so that it passes the official DCAT-AP 3.0.1 SHACL shapes on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from maillage.graph._export.formats import DATASETS, FORMATS
from maillage.graph._export.rdf import bound_graph
from maillage.graph._export.selection import network_graphs, network_identity
from maillage.graph.index import NetworkIndex
from maillage.graph.privacy import hidden_nodes
from maillage.graph.stores.base import Store
from maillage.ontology.iri import TERRITORIES_GRAPH
from maillage.ontology.vocab import MAI, SDO

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
"""Default licence of the published data (the ontology's too); `catalog_graph(licence=...)` changes it."""
LICENCE_LABEL = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
PUBLISHER_TYPES = URIRef("http://purl.org/adms/publishertype/1.0")
THEME = URIRef(EU + "data-theme/ECON")
THEMES = URIRef(EU + "data-theme")
FRENCH = URIRef(EU + "language/FRA")
PLACE_CLASSES = (MAI.Departement, MAI.Provincia)


def _dates(store: Store, predicates: Iterable[URIRef]) -> list[dt.date]:
    """Every date of `predicates` on the public network data (a private person's dates stay out)."""
    _private, hidden = hidden_nodes(store)
    found = []
    for graph in network_graphs(store):
        for predicate in predicates:
            for s, _p, o in store.triples(None, predicate, None, graph=graph):
                value = o.toPython() if isinstance(o, Literal) and s not in hidden else None
                if isinstance(value, dt.date):
                    found.append(value if not isinstance(value, dt.datetime) else value.date())
    return found


def last_modified(store: Store) -> Literal:
    """The latest `dct:modified` of the provenance graphs (the last import), as an xsd:dateTime."""
    stamps = []
    for graph in network_graphs(store, provenance=True):
        for _s, _p, o in store.triples(None, DCTERMS.modified, None, graph=graph):
            if isinstance(o, Literal) and isinstance(o.toPython(), dt.datetime):
                stamps.append(o.toPython())
    when = max(stamps) if stamps else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return Literal(when.isoformat(), datatype=XSD.dateTime)


def places(store: Store, index: NetworkIndex) -> list[URIRef]:
    """The départements and provinces where the public actors are based (up the `mai:within` chain)."""
    found: set[URIRef] = set()
    seen: set[URIRef] = set()
    todo = [a.commune for a in index.actors if a.is_public and a.commune is not None]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        types = set(store.triples(node, RDF.type, None, graph=TERRITORIES_GRAPH))
        if any(t in PLACE_CLASSES for _s, _p, t in types):
            found.add(node)
            continue
        todo += [o for _s, _p, o in store.triples(node, MAI.within, None, graph=TERRITORIES_GRAPH)]  # type: ignore[misc]
    return sorted(found)


def catalog_graph(store: Store, index: NetworkIndex, *, base_url: str, licence: URIRef = LICENCE) -> Graph:
    """The DCAT-AP 3 catalogue of the public exports served under `base_url` (``http://host/``).

    Download URLs are ``{base_url}export/{dataset}.{extension}``; the catalogue, dataset and distribution
    IRIs live under ``{base_url}catalog``.
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    g = bound_graph()
    for prefix, namespace in (("dcat", DCAT), ("vcard", VCARD), ("dct", DCTERMS), ("foaf", FOAF)):
        g.bind(prefix, namespace, override=True, replace=True)
    catalog = URIRef(base + "catalog")
    network, network_name = network_identity(store)
    publisher = network if network is not None else URIRef(base + "catalog#editeur")
    modified = last_modified(store)

    def add(node: URIRef, *pairs: tuple[URIRef, object]) -> None:
        for predicate, value in pairs:
            g.add((node, predicate, value))  # type: ignore[arg-type]

    # The nodes every dataset points to, each described here.
    add(
        publisher,
        (RDF.type, FOAF.Agent),
        (FOAF.name, Literal(network_name, lang="fr")),
        (DCTERMS.type, PUBLISHER_TYPE),
    )
    add(
        PUBLISHER_TYPE,
        (RDF.type, SKOS.Concept),
        (SKOS.prefLabel, Literal("Non-Profit Organisation", lang="en")),
        (SKOS.prefLabel, Literal("Organisation à but non lucratif", lang="fr")),
        (SKOS.inScheme, PUBLISHER_TYPES),
    )
    add(
        PUBLISHER_TYPES,
        (RDF.type, SKOS.ConceptScheme),
        (DCTERMS.title, Literal("ADMS publisher type", lang="en")),
    )
    add(licence, (RDF.type, DCTERMS.LicenseDocument), (DCTERMS.title, Literal(LICENCE_LABEL, lang="en")))
    add(
        THEME,
        (RDF.type, SKOS.Concept),
        (SKOS.prefLabel, Literal("Économie et finances", lang="fr")),
        (SKOS.prefLabel, Literal("Economy and finance", lang="en")),
        (SKOS.inScheme, THEMES),
    )
    add(THEMES, (RDF.type, SKOS.ConceptScheme), (DCTERMS.title, Literal("Data theme", lang="en")))
    add(FRENCH, (RDF.type, DCTERMS.LinguisticSystem), (SKOS.prefLabel, Literal("français", lang="fr")))
    contact = URIRef(base + "catalog#contact")
    add(
        contact,
        (RDF.type, VCARD.Kind),
        (RDF.type, VCARD.Organization),
        (VCARD.fn, Literal(network_name, lang="fr")),
        (VCARD.hasURL, URIRef(base)),
    )
    homepage = URIRef(base)
    add(homepage, (RDF.type, FOAF.Document), (DCTERMS.title, Literal(network_name, lang="fr")))
    locations = places(store, index)
    for place in locations:
        label = store.value(place, SKOS.prefLabel, graph=TERRITORIES_GRAPH)
        add(place, (RDF.type, DCTERMS.Location), (SKOS.prefLabel, label or Literal(str(place))))
    dates = _dates(store, (SDO.startDate, SDO.endDate, MAI.charterSigned))
    period = URIRef(base + "catalog#periode")
    add(period, (RDF.type, DCTERMS.PeriodOfTime))
    if dates:
        add(period, (DCAT.startDate, Literal(min(dates))), (DCAT.endDate, Literal(max(dates))))
    for name in sorted({n for d in DATASETS.values() for n in d.formats}):
        export_format = FORMATS[name]
        if export_format.registered:
            add(
                URIRef(export_format.media_type_iri),
                (RDF.type, DCTERMS.MediaType),
                (DCTERMS.title, Literal(export_format.media_type)),
            )
        else:
            add(
                URIRef(base + f"catalog#format-{name}"),
                (RDF.type, DCTERMS.MediaTypeOrExtent),
                (DCTERMS.title, Literal(export_format.label, lang="fr")),
            )

    add(
        catalog,
        (RDF.type, DCAT.Catalog),
        (DCTERMS.title, Literal(f"Données ouvertes — {network_name}", lang="fr")),
        (DCTERMS.title, Literal(f"Open data — {network_name}", lang="en")),
        (
            DCTERMS.description,
            Literal(
                "Le graphe de connaissances du réseau publié par Maillage : acteurs, projets communs et "
                "taxonomie, en données liées (Turtle, JSON-LD, RDF/XML, N-Triples, N-Quads), pour Gephi "
                "(GEXF, GraphML), en tableurs (CSV) et sur carte (GeoJSON). Données publiques seulement.",
                lang="fr",
            ),
        ),
        (
            DCTERMS.description,
            Literal(
                "The network's knowledge graph published by Maillage: actors, common projects and "
                "taxonomy, as linked data, for Gephi, as spreadsheets and as a map. Public data only.",
                lang="en",
            ),
        ),
        (DCTERMS.publisher, publisher),
        (DCTERMS.modified, modified),
        (DCTERMS.language, FRENCH),
        (DCTERMS.license, licence),
        (FOAF.homepage, homepage),
        (DCAT.themeTaxonomy, THEMES),
    )
    for place in locations:
        add(catalog, (DCTERMS.spatial, place))

    for dataset in DATASETS.values():
        node = URIRef(base + f"catalog/jeu/{dataset.name}")
        add(catalog, (DCAT.dataset, node))
        add(
            node,
            (RDF.type, DCAT.Dataset),
            (DCTERMS.title, Literal(dataset.title_fr, lang="fr")),
            (DCTERMS.title, Literal(dataset.title_en, lang="en")),
            (DCTERMS.description, Literal(dataset.description_fr, lang="fr")),
            (DCTERMS.identifier, Literal(dataset.name)),
            (DCTERMS.publisher, publisher),
            (DCAT.contactPoint, contact),
            (DCTERMS.modified, modified),
            (DCTERMS.language, FRENCH),
            (DCAT.theme, THEME),
            (DCTERMS.temporal, period),
            (DCAT.keyword, Literal("économie sociale et solidaire", lang="fr")),
            (DCAT.keyword, Literal("PTCE", lang="fr")),
            (DCAT.keyword, Literal("coopération", lang="fr")),
        )
        for place in locations:
            add(node, (DCTERMS.spatial, place))
        for name in dataset.formats:
            export_format = FORMATS[name]
            distribution = URIRef(base + f"catalog/distribution/{dataset.name}-{name}")
            url = URIRef(base + f"export/{dataset.name}.{export_format.extension}")
            add(node, (DCAT.distribution, distribution))
            add(
                distribution,
                (RDF.type, DCAT.Distribution),
                (DCTERMS.title, Literal(f"{dataset.title_fr} — {export_format.label}", lang="fr")),
                (DCAT.accessURL, url),
                (DCAT.downloadURL, url),
                (DCTERMS.license, licence),
                (DCTERMS.modified, modified),
            )
            if export_format.registered:
                add(distribution, (DCAT.mediaType, URIRef(export_format.media_type_iri)))
            else:
                add(distribution, (DCTERMS.format, URIRef(base + f"catalog#format-{name}")))
    return g
