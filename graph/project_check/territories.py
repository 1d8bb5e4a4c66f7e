"""Where a proposed project and the things it is compared with are: places, their zone and centroid.

A place is a French commune (code INSEE ``40312``), an EPCI (``epci:244000659``) or a Spanish municipio
(``es:20045``) — the codes of the import template's ``territoires`` column. Its *zone* is its EPCI for a
commune that has one, else itself: two places whose zones meet are « the same territory ». Its point is
its own ``geo:lat`` / ``geo:long``; an EPCI, which has none in the store, is placed at the mean of its
communes' points (unweighted).

`territories_from_store` reads every territory of the store (the real geography) and the projects'
``mai:territory``; `territories_from_index` is the fallback when only an index is at hand: it knows the
communes where actors are based (at the actors' coordinates) and places each project where its
participants are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from rdflib import RDF, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import SKOS
from rdflib.term import Node

from maillage.graph.index import NetworkIndex, iri_key
from maillage.graph.stores.base import Store
from maillage.ontology.iri import DATA_BASE
from maillage.ontology.vocab import GEO, MAI

PlaceKind = Literal["commune", "epci", "municipio"]

__all__ = [
    "Place",
    "PlaceKind",
    "Territories",
    "parse_code",
    "store_territories",
    "territories_from_index",
    "territories_from_store",
]


@dataclass(frozen=True)
class Place:
    """A territory a proposal can name: its code, label, point (None when unknown) and zone."""

    iri: URIRef
    #: ``40312``, ``epci:244000659`` or ``es:20045``
    code: str
    kind: PlaceKind
    label: str
    lat: float | None
    lon: float | None
    #: the EPCI of a commune, when it has one
    epci: URIRef | None = None

    @property
    def zone(self) -> URIRef:
        """The EPCI of a commune, else the place itself: equal zones mean « the same territory »."""
        return self.epci if self.epci is not None else self.iri

    @property
    def point(self) -> tuple[float, float] | None:
        """(lat, lon), or None when the place has no coordinates."""
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)


@dataclass(frozen=True)
class Territories:
    """The places a proposal may name (by code and IRI) and the places of each existing project.

    `source` says where they come from: ``"store"`` (every territory) or ``"index"`` (only the communes
    of the actors; projects placed at their participants).
    """

    places: dict[str, Place]
    by_iri: dict[URIRef, Place]
    project_places: dict[str, tuple[Place, ...]]
    source: Literal["store", "index"]
    epci_communes: dict[URIRef, tuple[URIRef, ...]] = field(default_factory=dict)

    def place(self, code: str) -> Place | None:
        """The place of a code (or territory IRI), None when unknown.

        >>> t = Territories({"40312": Place(URIRef("urn:t"), "40312", "commune", "Tarnos", 43.5, -1.4)},
        ...                 {}, {}, "store")
        >>> t.place(" 40312 ").label, t.place("40313")
        ('Tarnos', None)
        """
        parsed = parse_code(code)
        return None if parsed is None else self.places.get(parsed)


def parse_code(code: str) -> str | None:
    """The canonical code of a commune, EPCI or municipio code or IRI; None when it has no known form.

    >>> parse_code("40312"), parse_code("EPCI:244000659"), parse_code("ES:20045")
    ('40312', 'epci:244000659', 'es:20045')
    >>> parse_code("https://w3id.org/maillage/id/municipio/20045"), parse_code("Tarnos")
    ('es:20045', None)
    """
    text = code.strip()
    if text.startswith(DATA_BASE):
        kind, _, key = text[len(DATA_BASE) :].partition("/")
        prefix = {"commune": "", "epci": "epci:", "municipio": "es:"}.get(kind)
        return None if prefix is None or not key else prefix + key
    lowered = text.lower()
    if lowered.startswith(("epci:", "es:")):
        prefix, _, key = lowered.partition(":")
        return f"{prefix}:{key.strip()}" if key.strip().isdigit() else None
    if len(text) == 5 and (text.isdigit() or (text[:2].upper() in ("2A", "2B") and text[2:].isdigit())):
        return text.upper()
    return None


def _code_of(kind: PlaceKind, key: str) -> str:
    return {"commune": key, "epci": f"epci:{key}", "municipio": f"es:{key}"}[kind]


def _float(term: Node | None) -> float | None:
    if not isinstance(term, RDFLiteral):
        return None
    try:
        return float(str(term))
    except ValueError:
        return None


def _mean_point(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    if not points:
        return None, None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def territories_from_store(store: Store) -> Territories:
    """Every commune, EPCI and municipio of the store, and the territories of every project.

    One pattern query per predicate (about 60,000 quads for the shipped geography, 0.2–0.4 s here);
    use `store_territories` to keep the result with an index.

    Examples
    --------
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> from maillage.ontology.iri import data_iri
    >>> store, g = OxigraphStore(None), URIRef("urn:g")
    >>> tarnos, seignanx = data_iri("commune", "40312"), data_iri("epci", "244000659")
    >>> store.add_all([(tarnos, RDF.type, MAI.Commune, g), (tarnos, MAI.within, seignanx, g),
    ...                (tarnos, GEO.lat, RDFLiteral(43.5), g), (tarnos, GEO.long, RDFLiteral(-1.5), g),
    ...                (seignanx, RDF.type, MAI.EPCI, g)])
    >>> places = territories_from_store(store).places
    >>> places["40312"].zone == seignanx, places["epci:244000659"].point
    (True, (43.5, -1.5))
    """
    kinds: dict[URIRef, PlaceKind] = {}
    for kind, cls in (("commune", MAI.Commune), ("epci", MAI.EPCI), ("municipio", MAI.Municipio)):
        for s, _p, _o, _g in store.quads(None, RDF.type, cls, None):
            if isinstance(s, URIRef):
                kinds[s] = kind  # type: ignore[assignment]

    def by_subject(predicate: URIRef) -> dict[Node, Node]:
        found: dict[Node, Node] = {}
        for s, _p, o, _g in store.quads(None, predicate, None, None):
            if s in kinds and (s not in found or str(o) < str(found[s])):
                found[s] = o
        return found

    labels: dict[Node, Node] = {}
    for s, _p, o, _g in store.quads(None, SKOS.prefLabel, None, None):
        if s in kinds and isinstance(o, RDFLiteral):
            current = labels.get(s)
            if current is None or _label_rank(o) < _label_rank(current):
                labels[s] = o
    lats, lons = by_subject(GEO.lat), by_subject(GEO.long)
    epci_of: dict[URIRef, URIRef] = {}
    for s, _p, o, _g in store.quads(None, MAI.within, None, None):
        if (
            isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and kinds.get(s) == "commune"
            and kinds.get(o) == "epci"
        ):
            epci_of[s] = o

    communes_of: dict[URIRef, list[URIRef]] = defaultdict(list)
    for commune, epci in epci_of.items():
        communes_of[epci].append(commune)
    places: dict[str, Place] = {}
    by_iri: dict[URIRef, Place] = {}
    for iri, kind in sorted(kinds.items()):
        if kind == "epci":
            points = [
                (lat, lon)
                for c in communes_of.get(iri, [])
                if (lat := _float(lats.get(c))) is not None and (lon := _float(lons.get(c))) is not None
            ]
            lat, lon = _mean_point(points)
        else:
            lat, lon = _float(lats.get(iri)), _float(lons.get(iri))
            if lat is None or lon is None:
                lat = lon = None
        key = iri_key(iri)
        place = Place(
            iri=iri,
            code=_code_of(kind, key),
            kind=kind,
            label=str(labels.get(iri, key)),
            lat=lat,
            lon=lon,
            epci=epci_of.get(iri),
        )
        places[place.code] = place
        by_iri[iri] = place

    project_places: dict[str, list[Place]] = defaultdict(list)
    for s, _p, o, _g in store.quads(None, MAI.territory, None, None):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and o in by_iri:
            project_places[iri_key(s)].append(by_iri[o])
    return Territories(
        places=places,
        by_iri=by_iri,
        project_places={k: tuple(sorted(set(v), key=lambda p: p.code)) for k, v in project_places.items()},
        source="store",
        epci_communes={k: tuple(sorted(v)) for k, v in communes_of.items()},
    )


def _label_rank(term: Node) -> tuple[int, str]:
    """French first, then untagged, then any language; the smallest text within a rank (stable)."""
    language = term.language if isinstance(term, RDFLiteral) else None
    return ({"fr": 0, None: 1}.get(language, 2), str(term))


def territories_from_index(index: NetworkIndex) -> Territories:
    """The places an index knows without its store: the communes and EPCIs where actors are based.

    A commune is placed at the coordinates of its first actor (by key) — the commune centroid unless that
    actor has its own; an EPCI at the mean of its communes' points; a project where its participants are.

    >>> from maillage.graph.index import build_index
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> territories_from_index(build_index(OxigraphStore(None))).source
    'index'
    """
    places: dict[str, Place] = {}
    by_iri: dict[URIRef, Place] = {}
    epci_points: dict[URIRef, dict[URIRef, tuple[float, float]]] = defaultdict(dict)
    epci_labels: dict[URIRef, str] = {}
    for actor in index.actors:
        if actor.commune is None or actor.commune in by_iri:
            continue
        kind: PlaceKind = "municipio" if "/municipio/" in str(actor.commune) else "commune"
        place = Place(
            iri=actor.commune,
            code=_code_of(kind, iri_key(actor.commune)),
            kind=kind,
            label=actor.commune_label or iri_key(actor.commune),
            lat=actor.lat,
            lon=actor.lon,
            epci=actor.epci,
        )
        places[place.code] = by_iri[actor.commune] = place
        if actor.epci is not None:
            epci_labels[actor.epci] = actor.epci_label or iri_key(actor.epci)
            if place.point is not None:
                epci_points[actor.epci][actor.commune] = place.point
    for epci, label in sorted(epci_labels.items()):
        lat, lon = _mean_point([epci_points[epci][c] for c in sorted(epci_points[epci])])
        place = Place(
            iri=epci, code=_code_of("epci", iri_key(epci)), kind="epci", label=label, lat=lat, lon=lon
        )
        places[place.code] = by_iri[epci] = place
    project_places: dict[str, tuple[Place, ...]] = {}
    for project in index.projects:
        found = {
            by_iri[commune]
            for key, _role in project.participants
            if key in index.position and (commune := index.actor(key).commune) is not None
        }
        if found:
            project_places[project.key] = tuple(sorted(found, key=lambda p: p.code))
    communes_of: dict[URIRef, list[URIRef]] = defaultdict(list)
    for place in by_iri.values():
        if place.epci is not None:
            communes_of[place.epci].append(place.iri)
    return Territories(
        places=places,
        by_iri=by_iri,
        project_places=project_places,
        source="index",
        epci_communes={k: tuple(sorted(v)) for k, v in communes_of.items()},
    )


_KEY = "project_check.territories"


def store_territories(index: NetworkIndex, store: Store) -> Territories:
    """`territories_from_store(store)`, kept in ``index.derived`` so it is read once per index.

    The index must have been built from `store` (the API's index and store go together).

    >>> from maillage.graph.project_check.example import example_store
    >>> from maillage.graph.index import build_index
    >>> store = example_store()
    >>> index = build_index(store)
    >>> store_territories(index, store) is store_territories(index, store)
    True
    """
    return index.derive(_KEY, Territories, lambda: territories_from_store(store))
