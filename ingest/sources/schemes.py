"""Reference SKOS schemes: NAF rév. 2 (INSEE) built from its CSV with the official id.insee.fr IRIs, and the
ESSGlobal vocabularies (RIPESS) read from their RDF/XML files; plus NAF codes for actors.

NAF IRIs follow INSEE's pattern: ``http://id.insee.fr/codes/nafr2/{section|division|groupe|classe|sousClasse}/
{code}`` (``section/A``, ``division/01``, ``groupe/01.1``, ``classe/01.11``, ``sousClasse/01.11Z``) in the
scheme ``http://id.insee.fr/codes/nafr2/naf``. A scheme lands in its own graph (``graph/source/naf-rev2``,
``graph/source/essglobal-{file}``); a file that would write anything in Maillage's own namespaces is refused.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from maillage.graph.stores.base import Store
from maillage.ingest.provenance import PublicDataset
from maillage.ingest.readers.csv import decode
from maillage.ingest.readers.rdf import RDFRefusedError, read_rdf
from maillage.ingest.readers.table import UnreadableFileError
from maillage.ingest.report import Problem
from maillage.ingest.sources.batch import SourceBatch
from maillage.ontology.iri import BASE
from maillage.ontology.vocab import MAI, ontology_graph

NAF_BASE = "http://id.insee.fr/codes/nafr2/"
NAF_SCHEME = URIRef(NAF_BASE + "naf")
NAF_LEVELS = (
    ("NIV1", "section"),
    ("NIV2", "division"),
    ("NIV3", "groupe"),
    ("NIV4", "classe"),
    ("NIV5", "sousClasse"),
)
NAF_DATASET = PublicDataset(
    key="naf-rev2",
    title="Nomenclature d'activités française, NAF rév. 2 (2008), INSEE",
    licence="Licence Ouverte / Etalab (nomenclature de l'INSEE) ; fichier Apache-2.0"
    " (InseeFrLab/codif-ape-train)",
    attribution="INSEE ; fichier naf_extended.csv du dépôt InseeFrLab/codif-ape-train",
    url="https://github.com/InseeFrLab/codif-ape-train (data/naf_extended.csv, commit "
    "53381b00fa968960e78ba3a20eded8cb21f531d1)",
)
SUBCLASS = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")


def naf_iri(level: str, code: str) -> URIRef:
    """The official IRI of a NAF rév. 2 item.

    >>> naf_iri("sousClasse", "88.99B")
    rdflib.term.URIRef('http://id.insee.fr/codes/nafr2/sousClasse/88.99B')
    """
    return URIRef(f"{NAF_BASE}{level}/{code}")


def naf_code(text: str) -> str | None:
    """A NAF rév. 2 sub-class code written ``88.99B`` (``8899B`` and ``88.99 b`` accepted), or None.

    >>> naf_code("8899b"), naf_code("88.99B"), naf_code("88")
    ('88.99B', '88.99B', None)
    """
    found = SUBCLASS.match(text.strip().upper().replace(" ", ""))
    return f"{found[1]}.{found[2]}{found[3]}" if found else None


@lru_cache(maxsize=1)
def _fields_by_division() -> dict[str, tuple[URIRef, ...]]:
    graph = ontology_graph()
    found: dict[str, list[URIRef]] = {}
    for field, match in graph.subject_objects(SKOS.closeMatch):
        if str(match).startswith(NAF_BASE + "division/") and (field, SKOS.inScheme, MAI.fields) in graph:
            found.setdefault(str(match).rsplit("/", 1)[-1], []).append(field)  # type: ignore[arg-type]
    return {division: tuple(sorted(fields)) for division, fields in found.items()}


def fields_for_naf(code: str) -> tuple[URIRef, ...]:
    """The fields of `mai:fields` aligned (``skos:closeMatch``) with the NAF division of a code — candidates
    for review, several when the division serves several fields, none when no field is aligned.

    >>> [str(f).rsplit("/", 1)[-1] for f in fields_for_naf("64.19Z")]
    ['finance-solidaire']
    """
    normalised = naf_code(code)
    return _fields_by_division().get(normalised[:2], ()) if normalised else ()


def read(data: bytes, *, name: str, store: Store) -> SourceBatch:
    """NAF CSV (``NIV5…LIB_NIV1``) or an ESSGlobal ``.skos`` file → the concepts of a reference scheme."""
    del store
    if name.lower().endswith(".csv"):
        return _naf(data, name=name)
    return _essglobal(data, name=name)


def _naf(data: bytes, *, name: str) -> SourceBatch:
    rows = list(csv.DictReader(io.StringIO(decode(data, name=name))))
    if not rows or not {"NIV5", "LIB_NIV5", "NIV1", "LIB_NIV1"} <= set(rows[0]):
        raise UnreadableFileError(
            Problem(file=name, rule="colonnes NIV1…NIV5 et LIB_NIV1…LIB_NIV5 attendues")
        )
    batch = SourceBatch(dataset=NAF_DATASET)
    batch.rows_read = {"sous-classes": len(rows)}
    batch.add(NAF_SCHEME, RDF.type, SKOS.ConceptScheme)
    batch.add(
        NAF_SCHEME, SKOS.prefLabel, Literal("Nomenclature d'activités française — NAF rév. 2", lang="fr")
    )
    for row in rows:
        parent: URIRef | None = None
        for column, level in NAF_LEVELS:
            code = row[column].strip()
            iri = naf_iri(level, code)
            if iri not in batch.triples:
                batch.add(iri, RDF.type, SKOS.Concept)
                batch.add(iri, SKOS.inScheme, NAF_SCHEME)
                batch.add(iri, SKOS.notation, Literal(code))
                batch.add(iri, SKOS.prefLabel, Literal(row["LIB_" + column].strip(), lang="fr"))
                if parent is None:
                    batch.add(iri, SKOS.topConceptOf, NAF_SCHEME)
                else:
                    batch.add(iri, SKOS.broader, parent)
            parent = iri
    return batch


def _essglobal(data: bytes, *, name: str) -> SourceBatch:
    try:
        graph = read_rdf(data, name=name, suffix=".skos", rdf_format="xml")
    except RDFRefusedError as refused:
        raise UnreadableFileError(refused.problem) from None
    _refuse_foreign(graph, name)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    batch = SourceBatch(
        dataset=PublicDataset(
            key=f"essglobal-{re.sub(r'[^a-z0-9-]+', '-', stem.lower())}",
            title=f"ESSGlobal (RIPESS) — vocabulaire SKOS « {stem} »",
            licence="CC BY 3.0 (déclarée par le vocabulaire ESSGlobal), attribution RIPESS / ESSGlobal",
            attribution="RIPESS — ESSGlobal (essglobal-linked-open-data/map-sse)",
            url="https://github.com/essglobal-linked-open-data/map-sse (vocabs/standard, commit "
            "fcb6853352d375e45a485a00400375c3d80c6ae9)",
            licence_iri="http://creativecommons.org/licenses/by/3.0/",
        )
    )
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    if not concepts:
        raise UnreadableFileError(Problem(file=name, rule="aucun skos:Concept : ce n'est pas un schéma SKOS"))
    batch.rows_read = {"concepts": len(concepts)}
    for s, p, o in graph:
        if isinstance(s, URIRef):
            batch.add(s, p, o)  # type: ignore[arg-type]
    return batch


def _refuse_foreign(graph: Graph, name: str) -> None:
    """A reference scheme must not describe Maillage's own entities or concepts."""
    ours = sorted(str(s) for s in set(graph.subjects()) if str(s).startswith(BASE))
    if ours:
        raise UnreadableFileError(
            Problem(
                file=name,
                value=ours[0],
                rule="un schéma de référence ne peut pas décrire les entités ou concepts de Maillage",
            )
        )
