"""The endpoint's SPARQL 1.1 Service Description, served at ``/sparql`` when no query is given."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from maillage.graph._sparql.model import SparqlLimits

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(endpoint: str, limits: SparqlLimits) -> Graph:
    """What the endpoint at `endpoint` (its absolute URL) offers: SPARQL 1.1 Query only, the union of
    the graphs as default graph, the result formats, and its limits in words.

    >>> graph = service_description("http://127.0.0.1:8000/sparql", SparqlLimits())
    >>> sorted(str(o).rpartition("#")[2] for o in graph.objects(None, SD.supportedLanguage))
    ['SPARQL11Query']
    """
    graph = Graph(bind_namespaces="none")
    graph.bind("sd", SD)
    graph.bind("dct", DCTERMS)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMAT_IRIS:
        graph.add((service, SD.resultFormat, FORMATS_NS[name]))
    text = (
        "Point d'accès SPARQL de Maillage, en lecture seule : SELECT, ASK, CONSTRUCT et DESCRIBE "
        "(ni mise à jour, ni LOAD, ni SERVICE). Le graphe par défaut est l'union des graphes nommés. "
        f"Chaque requête est arrêtée au bout de {limits.timeout:g} s et sa réponse coupée à "
        f"{limits.max_results} résultats (en-tête Maillage-Results-Truncated). Sans jeton, seules les "
        "données publiques sont interrogées."
    )
    graph.add((service, DCTERMS.description, Literal(text, lang="fr")))
    return graph
