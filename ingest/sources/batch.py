"""What a public-dataset reader hands to the importer, and the helpers every such reader shares.

A reader turns bytes into a `SourceBatch`: triples by subject (for the dataset's own named graph
``graph/source/{key}``), where each subject came from, the values it left out (`ignored`, one report line
each: junk, test addresses, unknown categories) and the records it could not import at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rdflib import Literal, URIRef

from maillage.graph.folding import fold
from maillage.ingest.provenance import PublicDataset
from maillage.ingest.report import Problem
from maillage.ingest.territories import communes_by_postcode, places
from maillage.ontology.iri import GRAPH_BASE, concept_iri, data_iri

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass
class SourceBatch:
    """The mapped content of one public-dataset file."""

    dataset: PublicDataset
    triples: dict[URIRef, set[Triple]] = field(default_factory=dict)
    origin: dict[URIRef, tuple[str, str | None, int | None]] = field(default_factory=dict)
    ignored: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)

    @property
    def graph(self) -> URIRef:
        """The named graph holding this dataset (its IRI also names the dataset in the provenance)."""
        return source_graph(self.dataset.key)

    def add(self, subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> None:
        self.triples.setdefault(subject, set()).add((subject, predicate, obj))

    def count(self, kind: str) -> int:
        """How many subjects of a data kind (``actor``, ``project``, ``participation``) the batch holds."""
        prefix = str(data_iri(kind, "x"))[:-1]
        return sum(1 for subject in self.triples if str(subject).startswith(prefix))


def source_graph(key: str) -> URIRef:
    """The named graph of a public dataset, e.g. ``https://w3id.org/maillage/graph/source/gogocarto-pdcn-landes``."""
    return URIRef(f"{GRAPH_BASE}source/{key}")


def slug(text: str, *, limit: int = 60) -> str:
    """An IRI key from a name: folded words joined by ``-``; a longer name is cut at a word boundary and
    ends with a short hash of the whole name, so that two names sharing their first words stay two keys.

    >>> slug("Comité Régional de la Conchyliculture Arcachon-Aquitaine")
    'comite-regional-de-la-conchyliculture-arcachon-aquitaine'
    >>> slug("Comité départemental des pêches maritimes et des élevages marins de la Gironde")
    'comite-departemental-des-peches-maritimes-et-des-b458e2'
    """
    words = fold(text).split()
    whole = "-".join(words)
    if len(whole) <= limit:
        return whole or "sans-nom"
    key = ""
    for word in words:
        if len(key) + len(word) + 1 > limit - 7 and key:
            break
        key = f"{key}-{word}" if key else word
    return f"{key}-{hashlib.sha1(whole.encode()).hexdigest()[:6]}"


def field_concept(key: str) -> URIRef:
    return concept_iri("field", key)


def actor_type_concept(key: str) -> URIRef:
    return concept_iri("actor-type", key)


@dataclass(frozen=True)
class CrosswalkRow:
    """One line of a crosswalk file: a source value, the Maillage field(s) and actor type it maps to."""

    source: str
    label: str
    fields: tuple[str, ...]
    actor_type: str
    note: str


@lru_cache(maxsize=None)
def crosswalk(name: str) -> dict[str, CrosswalkRow]:
    """The crosswalk ``ingest/data/crosswalks/{name}.csv`` keyed by its ``source`` column.

    Columns: source, label, fields (keys of `mai:fields`, separated by ``;``, empty when nothing matches),
    actor_type (a key of `mai:actorTypes` or empty), note (why).
    """
    text = resources.files("maillage.ingest").joinpath("data", "crosswalks", f"{name}.csv").read_text("utf-8")
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        rows[row["source"].strip()] = CrosswalkRow(
            source=row["source"].strip(),
            label=row["label"].strip(),
            fields=tuple(f.strip() for f in row["fields"].split(";") if f.strip()),
            actor_type=row.get("actor_type", "").strip(),
            note=row.get("note", "").strip(),
        )
    return rows


_SAINT = re.compile(r"\b(st|ste)\b")


def _locality(text: str) -> str:
    """A locality as the resolver compares it: folded, « St » / « Ste » spelt out."""
    return _SAINT.sub(lambda m: "saint" if m[1] == "st" else "sainte", fold(text))


def commune_for(postcode: str, locality: str) -> tuple[str, str] | None:
    """(INSEE code, name) of the commune a French postal address names, or None when it is not certain.

    The postcode gives the candidates; the locality picks one among them (« St geours de maremne » is
    Saint-Geours-de-Maremne). A postcode of no commune (a CEDEX code such as 40103) falls back to the
    communes of its département bearing the locality's name. Only Pyrénées-Atlantiques and Landes are known.

    >>> commune_for("40230", "St geours de maremne")
    ('40261', 'Saint-Geours-de-Maremne')
    >>> commune_for("40103", "Dax")
    ('40088', 'Dax')
    >>> commune_for("40230", "Paris") is None
    True
    """
    postcode = (postcode or "").strip()
    wanted = _locality(locality or "")
    candidates = communes_by_postcode().get(postcode)
    if candidates is None and len(postcode) == 5:
        department = postcode[:2]
        candidates = [
            (place_code, place.label)
            for (country, place_code), place in places().items()
            if country == "FR" and place_code.startswith(department)
        ]
    if not candidates:
        return None
    named = [c for c in candidates if _locality(c[1]) == wanted]
    if len(named) == 1:
        return named[0]
    return None


def commune_iri(code: str) -> URIRef:
    return places()[("FR", code)].iri
