"""GoGoCarto / Transiscope JSON exports → actors (the « Près de Chez Nous » Landes records are the example).

Kept: name, postal address → commune (postcode + locality, Pyrénées-Atlantiques and Landes), coordinates,
description, website, categories → fields and actor type through `ingest/data/crosswalks/gogocarto-pdcn.csv`.
Never kept: e-mails (``hidden`` or not), the moderation history (``contributions``: personal addresses),
phone numbers, opening hours and the free « engagement » / « en savoir plus » texts. Each junk value (an
option whose description is « blééééé », a test address in the history, an e-mail typed as a website) and
each record that cannot be placed or typed gets one report line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from maillage.graph.folding import fold
from maillage.graph.stores.base import Store
from maillage.ingest.provenance import PublicDataset
from maillage.ingest.readers.table import UnreadableFileError
from maillage.ingest.report import Problem
from maillage.ingest.sources.batch import (
    SourceBatch,
    actor_type_concept,
    commune_for,
    commune_iri,
    crosswalk,
    field_concept,
)
from maillage.ontology.iri import data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import GEO, MAI

DATASET = PublicDataset(
    key="gogocarto-pdcn-landes",
    title="Près de Chez Nous — fiches des Landes et de Boucau (2017), via GoGoCartoJs",
    licence="CC BY-SA (données Près de Chez Nous ; version non précisée par la source)",
    attribution="Près de Chez Nous (Colibris, La Ruche qui dit Oui !, LMC), démonstration de GoGoCartoJs",
    url="https://github.com/pixelhumain/GoGoCartoJs (web/data/elements-with-history.js, "
    "commit af4197ad5611c0bc273c10c69a47b601bc0a237e)",
)
CROSSWALK = "gogocarto-pdcn"
#: Addresses and words that only test accounts and demo data use.
TEST_ADDRESS = re.compile(r"@(test\.[a-z]+|domain\.com|example\.(com|org|fr))$", re.IGNORECASE)
JUNK_TEXT = re.compile(r"^(.)\1*$|^(bl[eé]+|a+|test|bla)$", re.IGNORECASE)
#: Type read from the name before the categories: an AMAP is an association by definition.
NAME_TYPES = (
    (re.compile(r"\b(amap|association)\b"), "association"),
    (re.compile(r"\bcooperati"), "cooperative"),
    (re.compile(r"\bferme\b"), "entreprise"),
)
TYPE_PRIORITY = ("association", "cooperative", "recherche-formation", "entreprise")


def read(data: bytes, *, name: str, store: Store) -> SourceBatch:
    """Map a GoGoCarto JSON export (``{"data": [...]}`` or a bare list of elements) to actors."""
    del store  # the records carry everything they need
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:  # RecursionError: nested thousands deep
        raise UnreadableFileError(Problem(file=name, rule=f"JSON illisible ({error})")) from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise UnreadableFileError(Problem(file=name, rule="export GoGoCarto attendu : une liste « data »"))
    batch = SourceBatch(dataset=DATASET)
    batch.rows_read = {"enregistrements": len(records)}
    for index, record in enumerate(records):
        _record(batch, name, index, record)
    return batch


def _where(record: dict[str, Any], index: int) -> str:
    return f"enregistrement {record.get('id', index + 1)}"


def _record(batch: SourceBatch, name: str, index: int, record: dict[str, Any]) -> None:
    where = _where(record, index)

    def note(column: str | None, value: object, rule: str, *, rejected: bool = False) -> None:
        problem = Problem(
            file=f"{name} › {where}", column=column, value=None if value is None else str(value), rule=rule
        )
        (batch.rejected if rejected else batch.ignored).append(problem)

    _test_addresses(record, note)
    status = record.get("status")
    if not isinstance(status, int) or status < 1:
        note(
            "status",
            status,
            "fiche non validée, refusée ou supprimée dans GoGoCarto : non importée",
            rejected=True,
        )
        return
    option_ids = _options(record.get("optionValues") or [], note)
    table = crosswalk(CROSSWALK)
    fields = sorted({f for option in option_ids if str(option) in table for f in table[str(option)].fields})
    for option in option_ids:
        if str(option) not in table:
            note("optionValues", option, "option inconnue de la taxonomie GoGoCarto : ignorée")
    actor_type = _actor_type(record.get("name") or "", [table[str(o)] for o in option_ids if str(o) in table])
    address = record.get("address") or {}
    commune = commune_for(str(address.get("postalCode") or ""), str(address.get("addressLocality") or ""))
    label = (record.get("name") or "").strip()
    if not label:
        note("name", "", "fiche sans nom : non importée", rejected=True)
        return
    if commune is None:
        note(
            "address",
            f"{address.get('postalCode')} {address.get('addressLocality')}",
            "commune introuvable (Pyrénées-Atlantiques et Landes seulement) : fiche non importée",
            rejected=True,
        )
        return
    if not fields:
        labels = ", ".join(table[str(o)].label for o in option_ids if str(o) in table) or "aucune"
        note(
            "optionValues",
            labels,
            "aucune catégorie ne correspond à un domaine de Maillage (voir le tableau de correspondance) :"
            " fiche non importée",
            rejected=True,
        )
        return
    if actor_type is None:
        note(
            "optionValues",
            label,
            "type d'acteur introuvable (ni le nom ni les catégories ne le disent) : fiche non importée",
            rejected=True,
        )
        return
    iri = data_iri("actor", f"gogocarto-{record['id']}")
    batch.origin[iri] = (f"{name} › {where}", None, None)
    batch.add(iri, RDF.type, MAI.Organisation)
    batch.add(iri, SKOS.prefLabel, Literal(label))
    batch.add(iri, MAI.actorType, actor_type_concept(actor_type))
    for key in fields:
        batch.add(iri, MAI.field, field_concept(key))
    batch.add(iri, MAI.basedIn, commune_iri(commune[0]))
    geo = record.get("geo") or {}
    if isinstance(geo.get("latitude"), int | float) and isinstance(geo.get("longitude"), int | float):
        batch.add(iri, GEO.lat, decimal_literal(geo["latitude"]))
        batch.add(iri, GEO.long, decimal_literal(geo["longitude"]))
    description = (record.get("description") or "").strip()
    if description:
        batch.add(iri, DCTERMS.description, Literal(description, lang="fr"))
    website = _website(record.get("website"), note)
    if website:
        batch.add(iri, FOAF.homepage, URIRef(website))
    batch.add(iri, DCTERMS.source, Literal(f"{name} › {where}"))


def _options(values: list[Any], note: Any) -> list[int]:
    """Option ids; an ``[id, description]`` pair keeps its id and reports a junk description."""
    ids: list[int] = []
    for value in values:
        if isinstance(value, list) and value and isinstance(value[0], int):
            ids.append(value[0])
            for extra in value[1:]:
                if isinstance(extra, str) and JUNK_TEXT.match(extra.strip()):
                    note(
                        "optionValues",
                        extra,
                        f"valeur de test dans la description de l'option {value[0]} : ignorée",
                    )
                elif isinstance(extra, str) and extra.strip():
                    note("optionValues", extra, f"description libre de l'option {value[0]} : non importée")
        elif isinstance(value, int):
            ids.append(value)
        else:
            note(
                "optionValues",
                value,
                "option illisible (ni un numéro ni une paire [numéro, texte]) : ignorée",
            )
    return list(dict.fromkeys(ids))


def _actor_type(name: str, rows: list[Any]) -> str | None:
    folded = fold(name)
    for pattern, actor_type in NAME_TYPES:
        if pattern.search(folded):
            return actor_type
    types = {row.actor_type for row in rows if row.actor_type}
    return next((t for t in TYPE_PRIORITY if t in types), None)


def _website(value: object, note: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if "@" in text:
        note("website", text, "adresse e-mail saisie comme site web : non importée (jamais d'e-mail)")
        return None
    if not re.fullmatch(r"https?://[^\s<>\"@]+\.[^\s<>\"@]+", text):
        note("website", text, "adresse web invalide : non importée")
        return None
    return text


def _test_addresses(record: dict[str, Any], note: Any) -> None:
    """One line per test address met in the moderation history (which is never imported)."""
    seen: list[str] = []
    for contribution in record.get("contributions") or []:
        for key in ("user", "userMail", "resolvedBy"):
            address = str(contribution.get(key) or "")
            if TEST_ADDRESS.search(address) and address not in seen:
                seen.append(address)
    for address in seen:
        note(
            "contributions",
            address,
            "adresse de test dans l'historique de modération : fiche modifiée par un"
            " compte de test, à vérifier (l'historique n'est jamais importé)",
        )
