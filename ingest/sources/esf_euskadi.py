"""The ESF 2007-2013 beneficiaries of the Basque Country (UAFSE list) → social-economy actors.

Kept: the beneficiaries whose name states a social-economy legal form (cooperative, sociedad laboral,
foundation, association, mutual, empresa de inserción — `ingest/data/crosswalks/fse-formes-juridiques.csv`);
the others (companies, civil partnerships « SC », public bodies) are counted, not imported. The
operations are the programme's priority axes, not projects: they become the actor's fields
(`fse-operations.csv`) and are listed in its description, with the amounts as the source writes them.

Names are cut at about 35 characters by the extraction from the source PDF: a name of 35 characters or
more is kept as written and carries a note saying it may be truncated; nothing is completed. The list
gives no address, so a beneficiary is a bare `mai:Actor` (see `eu_projects`). Two lines whose names fold to
the same words (« FUNDACIÓN EDE » / « FUNDACION EDE ») are one actor.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from rdflib import RDF, Literal
from rdflib.namespace import DCTERMS, SKOS

from maillage.graph.folding import fold
from maillage.graph.stores.base import Store
from maillage.ingest.provenance import PublicDataset
from maillage.ingest.readers.table import UnreadableFileError
from maillage.ingest.report import Problem
from maillage.ingest.sources.batch import SourceBatch, actor_type_concept, crosswalk, field_concept, slug
from maillage.ontology.iri import data_iri
from maillage.ontology.vocab import MAI

DATASET = PublicDataset(
    key="fse-2007-2013-pais-vasco",
    title="Bénéficiaires du FSE 2007-2013, programme opérationnel Pays basque (UAFSE)",
    licence="informations du secteur public espagnol (UAFSE), réutilisables avec mention de la source"
    " (Ley 37/2007)",
    attribution="Unidad Administradora del Fondo Social Europeo (empleo.gob.es), collecté par"
    " Open Knowledge / OpenSpending (os-data/eu-structural-funds)",
    url="https://github.com/os-data/eu-structural-funds (data/ES.spain/ESF 2007-2013/PO_FSE_PAIS_VASCO.json,"
    " commit 6ffe5ddb2610077f0eb4bed0cf110618c55dcd12)",
)
TRUNCATED_AT = 35
NOT_SOCIAL_ECONOMY = re.compile(r"\budal elkartea\b")


@dataclass
class _Beneficiary:
    name: str
    legal_form: str
    actor_type: str
    lines: list[int] = field(default_factory=list)
    operations: dict[str, list[str]] = field(default_factory=dict)


def legal_form(name: str) -> tuple[str, str] | None:
    """(legal form, actor type) a beneficiary's name states, or None.

    >>> legal_form("ARIZMENDI KOOPERATIBA ELKARTEA")
    ('cooperativa / kooperatiba (S.Coop., Koop. Elk.)', 'cooperative')
    >>> legal_form("ARITZLAN SLL")
    ('sociedad laboral (SLL, SAL)', 'entreprise')
    >>> legal_form("FARMACIA VAZQUEZ SC") is None, legal_form("UROLA KOSTAKO UDAL ELKARTEA") is None
    (True, True)
    """
    folded = fold(name)
    if NOT_SOCIAL_ECONOMY.search(folded):
        return None
    for row in crosswalk("fse-formes-juridiques").values():
        if re.search(row.source, folded):
            return row.label, row.actor_type
    return None


def read(data: bytes, *, name: str, store: Store) -> SourceBatch:
    """Map the social-economy beneficiaries of the UAFSE list to actors."""
    del store
    try:
        rows = json.loads(data)
    except (ValueError, RecursionError) as error:  # RecursionError: nested thousands deep
        raise UnreadableFileError(Problem(file=name, rule=f"JSON illisible ({error})")) from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "beneficiary" in r for r in rows):
        raise UnreadableFileError(
            Problem(file=name, rule="liste de bénéficiaires attendue (clé « beneficiary »)")
        )
    operations = crosswalk("fse-operations")
    found: dict[str, _Beneficiary] = {}
    others = 0
    for line, row in enumerate(rows, start=1):
        text = " ".join(str(row.get("beneficiary") or "").split())
        form = legal_form(text) if text else None
        if form is None:
            others += 1
            continue
        beneficiary = found.setdefault(slug(text), _Beneficiary(text, *form))
        beneficiary.lines.append(line)
        operation = " ".join(str(row.get("operation") or "").split())
        beneficiary.operations.setdefault(operation, []).append(str(row.get("spending") or "").strip())
    batch = SourceBatch(dataset=DATASET)
    batch.rows_read = {"lignes": len(rows), "économie sociale": len(rows) - others}
    for key, beneficiary in sorted(found.items()):
        _actor(batch, name, key, beneficiary, operations)
    return batch


def _actor(batch: SourceBatch, name: str, key: str, beneficiary: _Beneficiary, operations: dict) -> None:  # type: ignore[type-arg]
    where = f"{name} › enregistrement {beneficiary.lines[0]}"
    fields = sorted({f for op in beneficiary.operations if op in operations for f in operations[op].fields})
    for operation in beneficiary.operations:
        if operation not in operations:
            batch.ignored.append(
                Problem(file=where, column="operation", value=operation, rule="axe du FSE inconnu : ignoré")
            )
    iri = data_iri("actor", f"fse-pv-{key}")
    batch.origin[iri] = (where, None, None)
    batch.add(iri, RDF.type, MAI.Actor)
    batch.add(iri, SKOS.prefLabel, Literal(beneficiary.name))
    batch.add(iri, MAI.actorType, actor_type_concept(beneficiary.actor_type))
    for key_field in fields:
        batch.add(iri, MAI.field, field_concept(key_field))
    listed = " ; ".join(
        f"« {operation} » ({', '.join(amount + ' €' for amount in amounts)})"
        for operation, amounts in sorted(beneficiary.operations.items())
    )
    batch.add(
        iri,
        DCTERMS.description,
        Literal(
            f"Bénéficiaire du FSE 2007-2013 (PO FSE País Vasco), forme juridique lue dans le nom :"
            f" {beneficiary.legal_form}. Opérations : {listed}.",
            lang="fr",
        ),
    )
    if len(beneficiary.name) >= TRUNCATED_AT:
        batch.add(
            iri,
            SKOS.editorialNote,
            Literal(
                f"Nom peut-être tronqué : la source coupe les noms vers {TRUNCATED_AT} caractères"
                " (extraction du PDF de l'UAFSE).",
                lang="fr",
            ),
        )
    lines = ", ".join(str(n) for n in beneficiary.lines)
    batch.add(iri, DCTERMS.source, Literal(f"{name} › enregistrement(s) {lines}"))
