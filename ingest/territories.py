"""Real geography: the communes of Pyrénées-Atlantiques and Landes with their EPCI and centroids, and the
municipalities of the Basque Country and Navarre (INE codes, GeoNames coordinates where a name matches).

Source files are copies of public data in `ingest/data/territories/` (see SOURCE.txt there).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from maillage.graph.stores.base import Store
from maillage.ingest.concepts import normalise
from maillage.ontology.iri import TERRITORIES_GRAPH, data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import GEO, MAI

Triple = tuple[URIRef, URIRef, URIRef | Literal]

COUNTRIES = {
    "FR": {"fr": "France", "es": "Francia", "eu": "Frantzia", "en": "France"},
    "ES": {"fr": "Espagne", "es": "España", "eu": "Espainia", "en": "Spain"},
}
REGIONS = {
    "fr-75": (
        "FR",
        {
            "fr": "Nouvelle-Aquitaine",
            "es": "Nueva Aquitania",
            "eu": "Akitania Berria",
            "en": "Nouvelle-Aquitaine",
        },
    ),
    "es-pv": (
        "ES",
        {"fr": "Pays basque (Espagne)", "es": "País Vasco", "eu": "Euskadi", "en": "Basque Country"},
    ),
    "es-nc": ("ES", {"fr": "Navarre", "es": "Navarra", "eu": "Nafarroa", "en": "Navarre"}),
}
DEPARTEMENTS = {"40": "Landes", "64": "Pyrénées-Atlantiques"}
PROVINCIAS = {
    "01": ("Araba/Álava", "es-pv", "VI"),
    "20": ("Gipuzkoa", "es-pv", "SS"),
    "48": ("Bizkaia", "es-pv", "BI"),
    "31": ("Navarra", "es-nc", "NA"),
}


@dataclass(frozen=True)
class Place:
    """A commune or municipio an actor can be based in."""

    iri: URIRef
    label: str
    country: str
    lat: float | None
    lon: float | None


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("maillage.ingest").joinpath("data", "territories", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _labels(iri: URIRef, labels: dict[str, str]) -> list[Triple]:
    return [(iri, SKOS.prefLabel, Literal(text, lang=lang)) for lang, text in labels.items()]


def _name_variants(name: str) -> list[str]:
    """The whole name, then its parts: « Gasteiz / Vitoria » and « Vitoria-Gasteiz » share « vitoria ».

    >>> _name_variants("Vitoria-Gasteiz")
    ['vitoria gasteiz', 'vitoria', 'gasteiz']
    """
    parts = [name, *re.split(r"\s*/\s*", name), *re.split(r"\s*[/-]\s*", name)]
    variants: list[str] = []
    for part in parts:
        folded = normalise(part)
        if folded and folded not in variants:
            variants.append(folded)
    return variants


def _municipio_point(
    coordinates: dict[tuple[str, str], tuple[float, float]], admin2: str, name: str
) -> tuple[float, float] | None:
    """GeoNames coordinates for a municipio: its whole name first, then a part of it — unless that part is the
    name of another municipio (« Oroz-Betelu » is not « Betelu »)."""
    others = _municipio_names() - {normalise(name)}
    variants = [v for i, v in enumerate(_name_variants(name)) if i == 0 or v not in others]
    return next((coordinates[(admin2, v)] for v in variants if (admin2, v) in coordinates), None)


@lru_cache(maxsize=1)
def _municipio_names() -> frozenset[str]:
    return frozenset(normalise(row["name"]) for row in _read("ine_municipios_euskadi_navarra.csv"))


def _geonames_by_province() -> dict[tuple[str, str], tuple[float, float]]:
    found: dict[tuple[str, str], tuple[float, float]] = {}
    for row in _read("geonames_cities_pop1000_euskadi_navarra_64_40.csv"):
        if row["country"] == "ES":
            for part in _name_variants(row["name"]):
                found.setdefault((row["admin2_code"], part), (float(row["lat"]), float(row["lng"])))
    return found


def territory_triples() -> list[Triple]:
    """Every territory as triples (about 15,000), for the territories graph."""
    triples: list[Triple] = []
    for code, labels in COUNTRIES.items():
        iri = data_iri("country", code)
        triples += [(iri, RDF.type, MAI.Country), (iri, RDF.type, MAI.Territory), *_labels(iri, labels)]
    for key, (country, labels) in REGIONS.items():
        iri = data_iri("region", key)
        triples += [
            (iri, RDF.type, MAI.Region),
            (iri, RDF.type, MAI.Territory),
            *_labels(iri, labels),
            (iri, MAI.within, data_iri("country", country)),
        ]
    for code, label in DEPARTEMENTS.items():
        iri = data_iri("departement", code)
        triples += [
            (iri, RDF.type, MAI.Departement),
            (iri, RDF.type, MAI.Territory),
            (iri, SKOS.prefLabel, Literal(label)),
            (iri, MAI.inseeCode, Literal(code)),
            (iri, MAI.within, data_iri("region", "fr-75")),
        ]
    epcis: dict[str, tuple[str, str]] = {}
    for row in _read("communes_64_40.csv"):
        iri = data_iri("commune", row["code_insee"])
        triples += [
            (iri, RDF.type, MAI.Commune),
            (iri, RDF.type, MAI.Territory),
            (iri, SKOS.prefLabel, Literal(row["nom"])),
            (iri, MAI.inseeCode, Literal(row["code_insee"])),
            (iri, MAI.population, Literal(int(row["population"]), datatype=XSD.integer)),
            (iri, MAI.within, data_iri("departement", row["departement"])),
        ]
        triples += [(iri, MAI.postalCode, Literal(p)) for p in row["codes_postaux"].split("|") if p]
        if row["centroid_lat"]:
            triples += [
                (iri, GEO.lat, decimal_literal(row["centroid_lat"])),
                (iri, GEO.long, decimal_literal(row["centroid_lon"])),
            ]
        if row["epci_siren"]:
            triples.append((iri, MAI.within, data_iri("epci", row["epci_siren"])))
            epcis[row["epci_siren"]] = (row["epci_nom"], row["epci_type"])
    for siren, (name, kind) in sorted(epcis.items()):
        iri = data_iri("epci", siren)
        triples += [
            (iri, RDF.type, MAI.EPCI),
            (iri, RDF.type, MAI.Territory),
            (iri, SKOS.prefLabel, Literal(name)),
            (iri, MAI.sirenCode, Literal(siren)),
            (iri, MAI.epciType, Literal(kind)),
        ]
    for code, (name, region, _admin2) in PROVINCIAS.items():
        iri = data_iri("provincia", code)
        triples += [
            (iri, RDF.type, MAI.Provincia),
            (iri, RDF.type, MAI.Territory),
            (iri, SKOS.prefLabel, Literal(name)),
            (iri, MAI.ineCode, Literal(code)),
            (iri, MAI.within, data_iri("region", region)),
        ]
    coordinates = _geonames_by_province()
    for row in _read("ine_municipios_euskadi_navarra.csv"):
        iri = data_iri("municipio", row["ine_code5"])
        admin2 = PROVINCIAS[row["prov_code"]][2]
        triples += [
            (iri, RDF.type, MAI.Municipio),
            (iri, RDF.type, MAI.Territory),
            (iri, SKOS.prefLabel, Literal(row["name"])),
            (iri, MAI.ineCode, Literal(row["ine_code5"])),
            (iri, MAI.within, data_iri("provincia", row["prov_code"])),
        ]
        parts = row["name"].split("/")
        if len(parts) > 1:
            triples += [(iri, SKOS.altLabel, Literal(part)) for part in parts]
        point = _municipio_point(coordinates, admin2, row["name"])
        if point is not None:
            triples += [(iri, GEO.lat, decimal_literal(point[0])), (iri, GEO.long, decimal_literal(point[1]))]
    return triples


@lru_cache(maxsize=1)
def places() -> dict[tuple[str, str], Place]:
    """(country, code) → Place for every commune (INSEE code) and municipio (INE code)."""
    found: dict[tuple[str, str], Place] = {}
    for row in _read("communes_64_40.csv"):
        lat = float(row["centroid_lat"]) if row["centroid_lat"] else None
        lon = float(row["centroid_lon"]) if row["centroid_lon"] else None
        found[("FR", row["code_insee"])] = Place(
            data_iri("commune", row["code_insee"]), row["nom"], "FR", lat, lon
        )
    coordinates = _geonames_by_province()
    for row in _read("ine_municipios_euskadi_navarra.csv"):
        admin2 = PROVINCIAS[row["prov_code"]][2]
        point = _municipio_point(coordinates, admin2, row["name"])
        found[("ES", row["ine_code5"])] = Place(
            data_iri("municipio", row["ine_code5"]),
            row["name"],
            "ES",
            round(point[0], 5) if point else None,
            round(point[1], 5) if point else None,
        )
    return found


@lru_cache(maxsize=1)
def epci_sirens() -> frozenset[str]:
    """The SIRENs of the EPCI of the shipped communes (read once: an import asks for each project row)."""
    return frozenset(row["epci_siren"] for row in _read("communes_64_40.csv") if row["epci_siren"])


def load_territories(store: Store) -> dict[str, int]:
    """Upsert the territories graph from the shipped files (idempotent)."""
    by_subject: dict[URIRef, set[Triple]] = {}
    for triple in territory_triples():
        by_subject.setdefault(triple[0], set()).add(triple)
    return store.replace_subjects(TERRITORIES_GRAPH, by_subject)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def communes_by_postcode() -> dict[str, list[tuple[str, str]]]:
    """Postcode → [(INSEE code, name)] of the communes of Pyrénées-Atlantiques and Landes (several share one).

    >>> ("40312", "Tarnos") in communes_by_postcode()["40220"]
    True
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for row in _read("communes_64_40.csv"):
        for postcode in row["codes_postaux"].split("|"):
            if postcode:
                found.setdefault(postcode, []).append((row["code_insee"], row["nom"]))
    return found
