"""Exports of the network in every format — RDF (Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads), Gephi
(GEXF, GraphML), CSV and GeoJSON — what the caller's audience may see (`maillage.graph.privacy`): the
public by default.

`export_chunks` is the one entry point: the CLI writes its chunks to a file, the API streams them.
N-Triples, N-Quads, CSV and GeoJSON are produced piece by piece from the store; Turtle, JSON-LD, RDF/XML,
GEXF and GraphML need the whole graph in memory (their writers are not streaming).

>>> from maillage.graph.stores.oxigraph import OxigraphStore
>>> b"".join(export_chunks(OxigraphStore(None), "nt"))
b''
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rdflib import Graph, URIRef

from maillage.graph._export.catalog import catalog_graph
from maillage.graph._export.formats import (
    BY_EXTENSION,
    DATASETS,
    FORMATS,
    RDF_FORMATS,
    Dataset,
    ExportError,
    ExportFormat,
    check_export,
)
from maillage.graph._export.gephi import gephi_graph, gexf_bytes, graphml_bytes
from maillage.graph._export.pages import (
    actor_jsonld,
    network_jsonld,
    network_page_jsonld,
    project_jsonld,
    script_json,
)
from maillage.graph._export.rdf import (
    CONTEXT_PATH,
    CONTEXT_VERSION,
    as_graph,
    bound_graph,
    document_bytes,
    graph_bytes,
    jsonld_context,
    line_chunks,
)
from maillage.graph._export.selection import (
    ALIGNMENT_GRAPH,
    PREFIXES,
    dataset_quads,
    network_graphs,
    network_identity,
)
from maillage.graph._export.tables import csv_tables, csv_zip_chunks, geojson_chunks, neutralise
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.privacy import Audience, private_actors, public_quads
from maillage.graph.stores.base import Store

__all__ = [
    "ALIGNMENT_GRAPH",
    "Audience",
    "BY_EXTENSION",
    "CONTEXT_PATH",
    "CONTEXT_VERSION",
    "DATASETS",
    "FORMATS",
    "PREFIXES",
    "RDF_FORMATS",
    "Dataset",
    "as_graph",
    "ExportError",
    "ExportFormat",
    "check_export",
    "export_chunks",
    "export_graph",
    "graph_bytes",
    "catalog_graph",
    "actor_jsonld",
    "network_jsonld",
    "network_page_jsonld",
    "project_jsonld",
    "script_json",
    "network_identity",
    "jsonld_context",
    "neutralise",
    "network_graphs",
    "public_graph",
    "serialize",
]

INDEX_FORMATS = frozenset({"gexf", "graphml", "geojson"})


def public_graph(store: Store, *, graphs: list[URIRef] | None = None) -> Graph:
    """The public triples of the network graphs (not the ontology nor the territories) as one graph,
    as stored (no alignment triples)."""
    graph = bound_graph()
    for name in graphs if graphs is not None else network_graphs(store):
        for s, p, o, _g in public_quads(store, graph=name):
            graph.add((s, p, o))
    return graph


def export_graph(
    store: Store,
    *,
    dataset: str = "reseau",
    audience: Audience = Audience.PUBLIC,
    aligned: bool = False,
    index: NetworkIndex | None = None,
) -> Graph:
    """One dataset as an rdflib graph (what the Turtle, JSON-LD and RDF/XML exports serialise)."""
    check_export(dataset, "turtle")
    if aligned and index is None and dataset in ("reseau", "acteurs"):
        index = build_index(store)
    quads = dataset_quads(store, dataset=dataset, audience=audience, index=index if aligned else None)
    return as_graph(quads)


def export_chunks(
    store: Store,
    format_name: str,
    *,
    dataset: str = "reseau",
    audience: Audience = Audience.PUBLIC,
    aligned: bool = False,
    index: NetworkIndex | None = None,
    colors: Mapping[str, str] | None = None,
) -> Iterator[bytes]:
    """The bytes of one dataset in one format, in chunks (see the module docstring for which stream).

    Parameters
    ----------
    store
        The store to read.
    format_name
        A key of `FORMATS` offered by the dataset (`DATASETS[dataset].formats`).
    dataset
        ``reseau`` (everything), ``acteurs``, ``projets`` or ``taxonomie``.
    audience
        Who the export is for (`maillage.graph.privacy.audience_of` a role): the public (default) gets
        the public properties of the consenting actors, the network also their e-mail and phone, the
        animators everything, the persons who did not consent included.
    aligned
        Add the schema.org / ESSGlobal triples (`maillage.graph._export.alignment`); the dumps the CLI
        and the API publish are aligned, the plain store content is not.
    index
        The analysis index of `store`, if the caller holds one (built when needed otherwise).
    colors
        Actor key → ``#rrggbb`` for GEXF and GraphML (the network page's colours).

    Raises
    ------
    ExportError
        An unknown format or dataset, or a format the dataset does not offer.
    """
    _chosen, chosen_format = check_export(dataset, format_name)
    needs_index = format_name in INDEX_FORMATS or (aligned and dataset in ("reseau", "acteurs"))
    if needs_index and index is None:
        index = build_index(store)
    if format_name in INDEX_FORMATS:
        assert index is not None
        # from the index, which holds no property above public: only the persons' rule applies
        persons = audience.sees_private_persons
        if format_name == "geojson":
            yield from geojson_chunks(index, include_private=persons)
            return
        graph = gephi_graph(index, include_private=persons, colors=colors)
        yield gexf_bytes(graph) if format_name == "gexf" else graphml_bytes(graph)
        return

    def quads() -> Iterator:  # type: ignore[type-arg]
        return dataset_quads(
            store,
            dataset=dataset,
            audience=audience,
            provenance=format_name == "nquads",
            index=index if aligned else None,
        )

    if format_name == "csv":
        # the tables are the data as stored: the alignment restates it in other words
        plain = (
            dataset_quads(store, dataset=dataset, audience=audience) if dataset != "taxonomie" else quads()
        )
        hidden = frozenset() if audience.sees_private_persons else private_actors(store)
        yield from csv_zip_chunks(csv_tables(store, plain, prefixes=PREFIXES, hidden_objects=hidden))
    elif format_name in ("nt", "nquads"):
        yield from line_chunks(quads(), with_graph=format_name == "nquads")
    else:
        assert chosen_format.rdflib_format is not None
        yield document_bytes(quads(), chosen_format.rdflib_format)


def serialize(
    store: Store,
    format_name: str,
    *,
    dataset: str = "reseau",
    audience: Audience = Audience.PUBLIC,
    aligned: bool = False,
) -> bytes:
    """The whole of `export_chunks` as bytes (tests, small networks, the CLI's standard output)."""
    return b"".join(export_chunks(store, format_name, dataset=dataset, audience=audience, aligned=aligned))
