"""Baseline (c) of the index build: what the analysis needs, read with raw pyoxigraph ``quads_for_pattern``
into numpy and scipy arrays — strings only, no rdflib term."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox
from scipy import sparse

if TYPE_CHECKING:
    from maillage.graph.index import NetworkIndex

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Csr = sparse.csr_array

_MAI = "https://w3id.org/maillage/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class AnalysisArrays:
    """The analysis inputs as arrays: rows in key order, columns in IRI order."""

    keys: list[str]
    needs: Csr
    offers: Csr
    fields: Csr
    resource_columns: list[str]
    field_columns: list[str]
    lat: FloatArray
    lon: FloatArray
    public: BoolArray
    edges: IntArray  # (m, 2), u < v, each collaboration link once

    def pairs(self, matrix: str) -> set[tuple[str, str]]:
        """(actor key, concept IRI) of one matrix (``needs``, ``offers``, ``fields``), to compare."""
        values: Csr = getattr(self, matrix)
        columns = self.field_columns if matrix == "fields" else self.resource_columns
        coo = values.tocoo()
        return {(self.keys[i], columns[j]) for i, j in zip(coo.row.tolist(), coo.col.tolist(), strict=True)}

    def same_as(self, index: NetworkIndex) -> bool:
        """Whether Maillage's `index` read the same data: the same (actor, concept) needs, offers and
        fields, and as many collaboration links."""
        return (
            all(
                self.pairs(matrix) == {(a.key, str(c)) for a in index.actors for c in getattr(a, matrix)}
                for matrix in ("needs", "offers", "fields")
            )
            and len(self.edges) == index.collaboration.number_of_edges()
        )


def _pairs(store: ox.Store, predicate: str) -> tuple[list[str], list[str]]:
    subjects: list[str] = []
    objects: list[str] = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
        subjects.append(quad.subject.value)
        objects.append(quad.object.value)
    return subjects, objects


def _matrix(rows: Iterable[int], cols: Iterable[int], shape: tuple[int, int]) -> Csr:
    r = np.fromiter(rows, dtype=np.int64)
    c = np.fromiter(cols, dtype=np.int64)
    codes = np.unique(r * shape[1] + c)
    return sparse.csr_array((np.ones(len(codes)), (codes // shape[1], codes % shape[1])), shape=shape)


def read_analysis_arrays(store: ox.Store) -> AnalysisArrays:
    """Baseline (c): read what the analysis needs with ``quads_for_pattern`` into numpy arrays.

    One pattern per predicate (as `build_index`), string values only (no rdflib terms), integer codes
    through dicts, CSR matrices through `numpy.unique`. Cost: O(quads read).
    """
    actors: set[str] = set()
    for klass in ("Organisation", "Person", "Actor"):
        for quad in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_MAI + klass), None):
            actors.add(quad.subject.value)
    iris = sorted(actors, key=lambda iri: iri.rsplit("/", 1)[-1])
    keys = [iri.rsplit("/", 1)[-1] for iri in iris]
    row = {iri: i for i, iri in enumerate(iris)}
    n = len(iris)

    in_scheme_s, in_scheme_o = _pairs(store, _SKOS + "inScheme")
    broader_s, broader_o = _pairs(store, _SKOS + "broader")
    parents: dict[str, list[str]] = {}
    for child, parent in zip(broader_s, broader_o, strict=True):
        parents.setdefault(child, []).append(parent)

    def columns_of(scheme: str, used: Iterable[str]) -> list[str]:
        found = {s for s, o in zip(in_scheme_s, in_scheme_o, strict=True) if o == _MAI + scheme} | set(used)
        stack = list(found)
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        return sorted(found)

    read = {name: _pairs(store, _MAI + name) for name in ("needs", "offers", "field")}
    kept = {
        name: [(row[s], o) for s, o in zip(*pair, strict=True) if s in row] for name, pair in read.items()
    }
    resource_columns = columns_of("resources", [o for name in ("needs", "offers") for _r, o in kept[name]])
    field_columns = columns_of("fields", [o for _r, o in kept["field"]])
    resource_column = {c: j for j, c in enumerate(resource_columns)}
    field_column = {c: j for j, c in enumerate(field_columns)}

    def matrix(name: str, column: dict[str, int]) -> Csr:
        pairs = kept[name]
        return _matrix((r for r, _o in pairs), (column[o] for _r, o in pairs), (n, len(column)))

    coordinates = {}
    for axis in ("lat", "long"):
        subjects, objects = _pairs(store, _GEO + axis)
        coordinates[axis] = dict(zip(subjects, objects, strict=True))
    based_s, based_o = _pairs(store, _MAI + "basedIn")
    based_in = dict(zip(based_s, based_o, strict=True))
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    for iri, i in row.items():
        place = iri if iri in coordinates["lat"] else based_in.get(iri)
        if place in coordinates["lat"] and place in coordinates["long"]:
            lat[i] = float(coordinates["lat"][place])
            lon[i] = float(coordinates["long"][place])

    public = np.ones(n, dtype=np.bool_)
    for quad in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_MAI + "Person"), None):
        public[row[quad.subject.value]] = False
    for iri, value in zip(*_pairs(store, _MAI + "publicConsent"), strict=True):
        if iri in row and value in ("true", "1"):
            public[row[iri]] = True

    project_s, project_o = _pairs(store, _MAI + "project")
    participant = dict(zip(*_pairs(store, _MAI + "participant"), strict=True))
    members: dict[str, list[int]] = {}
    for participation, project in zip(project_s, project_o, strict=True):
        actor = participant.get(participation)
        if actor in row:
            members.setdefault(project, []).append(row[actor])
    links: list[IntArray] = []
    for team in members.values():
        team_array = np.unique(np.asarray(team, dtype=np.int64))
        a, b = np.triu_indices(len(team_array), k=1)
        links.append(np.stack([team_array[a], team_array[b]], axis=1))
    partner_s, partner_o = _pairs(store, _MAI + "partnerOf")
    partners = [(row[s], row[o]) for s, o in zip(partner_s, partner_o, strict=True) if s in row and o in row]
    links.append(np.sort(np.asarray(partners, dtype=np.int64).reshape(-1, 2), axis=1))
    stacked = np.concatenate(links) if links else np.zeros((0, 2), dtype=np.int64)
    stacked = stacked[stacked[:, 0] != stacked[:, 1]]
    codes = np.unique(stacked[:, 0] * n + stacked[:, 1])
    edges = np.stack([codes // n, codes % n], axis=1)

    return AnalysisArrays(
        keys=keys,
        needs=matrix("needs", resource_column),
        offers=matrix("offers", resource_column),
        fields=matrix("field", field_column),
        resource_columns=resource_columns,
        field_columns=field_columns,
        lat=lat,
        lon=lon,
        public=public,
        edges=edges,
    )
