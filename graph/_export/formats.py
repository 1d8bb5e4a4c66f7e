"""The export formats and datasets: names, media types (with their IANA IRIs), file extensions."""

from __future__ import annotations

from dataclasses import dataclass

IANA = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class ExportFormat:
    """One export format: how the CLI and the URLs name it, what it is, how it is served."""

    name: str
    label: str
    media_type: str
    extension: str
    #: the rdflib serialiser name for RDF formats, None for the others
    rdflib_format: str | None = None
    #: registered with IANA: the catalogue gives its IRI as `dcat:mediaType`
    registered: bool = True

    @property
    def media_type_iri(self) -> str:
        """The IANA IRI of the media type (the catalogue's `dcat:mediaType`).

        >>> FORMATS["turtle"].media_type_iri
        'http://www.iana.org/assignments/media-types/text/turtle'
        """
        return IANA + self.media_type


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", "Turtle", "text/turtle", "ttl", "turtle"),
        ExportFormat("nt", "N-Triples", "application/n-triples", "nt", "nt"),
        ExportFormat("jsonld", "JSON-LD", "application/ld+json", "jsonld", "json-ld"),
        ExportFormat("rdfxml", "RDF/XML", "application/rdf+xml", "rdf", "xml"),
        ExportFormat(
            "nquads", "N-Quads (avec les graphes de provenance)", "application/n-quads", "nq", "nquads"
        ),
        ExportFormat("gexf", "GEXF (Gephi)", "application/gexf+xml", "gexf", registered=False),
        ExportFormat(
            "graphml", "GraphML (Gephi, yEd)", "application/graphml+xml", "graphml", registered=False
        ),
        ExportFormat("csv", "CSV (un fichier par type d'entité, dans un zip)", "application/zip", "csv.zip"),
        ExportFormat("geojson", "GeoJSON (les acteurs)", "application/geo+json", "geojson"),
    )
}
"""Every export format, by the name the CLI (`--format`) and the URLs use."""

RDF_FORMATS = tuple(name for name, f in FORMATS.items() if f.rdflib_format is not None)
BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


@dataclass(frozen=True)
class Dataset:
    """One dataset of the catalogue: which part of the network, in which formats."""

    name: str
    title_fr: str
    title_en: str
    description_fr: str
    formats: tuple[str, ...]


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "reseau",
            "Le réseau entier",
            "The whole network",
            "Toutes les données publiques du réseau : acteurs, adhésions, projets, participations, besoins, "
            "offres et partenariats, avec leur alignement schema.org et ESSGlobal.",
            tuple(FORMATS),
        ),
        Dataset(
            "acteurs",
            "Les acteurs",
            "The actors",
            "Les acteurs publics du réseau (organisations et habitant·es qui y ont consenti), "
            "leurs adhésions, besoins, offres et partenariats, typés schema:Organization ou schema:Person.",
            ("turtle", "nt", "jsonld", "rdfxml", "csv", "geojson"),
        ),
        Dataset(
            "projets",
            "Les projets communs",
            "The common projects",
            "Les projets communs du réseau et la participation de chaque acteur public.",
            ("turtle", "nt", "jsonld", "rdfxml", "csv"),
        ),
        Dataset(
            "taxonomie",
            "La taxonomie",
            "The taxonomy",
            "Les schémas de concepts SKOS (domaines d'activité, ressources, types d'acteurs, collèges, "
            "rôles) avec leurs alignements (skos:closeMatch) vers ESSGlobal et la NAF rév. 2.",
            ("turtle", "nt", "jsonld", "rdfxml", "csv"),
        ),
    )
}
"""The datasets of the catalogue, by the name the CLI (`--dataset`) and the URLs use."""


class ExportError(ValueError):
    """An unknown export format or dataset, or a format the dataset does not offer."""

    __module__ = "maillage.graph.export"  # tracebacks name the public module


def check_export(dataset: str, format_name: str) -> tuple[Dataset, ExportFormat]:
    """The dataset and format named, or an `ExportError` naming the value and the choices.

    >>> check_export("projets", "gexf")
    Traceback (most recent call last):
    ...
    maillage.graph.export.ExportError: Format « gexf » non proposé pour le jeu « projets » \
(formats : turtle, nt, jsonld, rdfxml, csv)
    """
    if dataset not in DATASETS:
        raise ExportError(f"Jeu de données inconnu : « {dataset} » (jeux : {', '.join(DATASETS)})")
    if format_name not in FORMATS:
        raise ExportError(f"Format d'export inconnu : « {format_name} » (formats : {', '.join(FORMATS)})")
    chosen = DATASETS[dataset]
    if format_name not in chosen.formats:
        raise ExportError(
            f"Format « {format_name} » non proposé pour le jeu « {dataset} » "
            f"(formats : {', '.join(chosen.formats)})"
        )
    return chosen, FORMATS[format_name]
