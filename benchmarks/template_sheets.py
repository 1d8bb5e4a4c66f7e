"""A seeded template spreadsheet (the French import template, eight sheets) of a generated network.

The rows are read back from the quads of `benchmarks.generate.network_nquads` — the same actors on real
communes, fields, needs, offers, memberships, projects and partnerships, with the same seeded
distributions — so that the import benchmark and the analysis benchmarks measure one network shape.
What the quads do not hold is drawn here, from ``numpy.random.default_rng([seed, 1])``: a SIRET with valid
Luhn keys (SIREN and SIRET) for `SIRET_SHARE` of the French organisations, and a web site for
`WEBSITE_SHARE` of the organisations. Same size and seed, same files, byte for byte.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> counts = write_template(folder, 40, seed=3)
>>> counts["acteurs"], sorted(p.name for p in folder.iterdir())[:2]
(40, ['acteurs.csv', 'adhesions.csv'])
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from benchmarks.generate import NETWORK_COMMUNE, network_nquads
from maillage.ingest.readers.table import Table
from maillage.ingest.readers.xlsx import write_xlsx
from maillage.ingest.template import SHEETS
from maillage.ingest.territories import places
from maillage.ingest.validate_ids import luhn_ok
from maillage.ontology.vocab import DCTERMS, GEO, MAI, ORG, RDF, SDO, SKOS

#: Share of the French organisations given a SIRET, and of all organisations given a web site.
SIRET_SHARE = 0.6
WEBSITE_SHARE = 0.3

_CLASSES = {
    str(MAI.Organisation): "acteurs",
    str(MAI.Person): "acteurs",
    str(MAI.Membership): "adhesions",
    str(MAI.Project): "projets",
    str(MAI.Participation): "participations",
    str(MAI.Need): "besoins",
    str(MAI.Offer): "offres",
    str(MAI.Partnership): "partenariats",
}


def luhn_complete(digits: str) -> str:
    """`digits` followed by the one digit that makes the Luhn checksum right.

    >>> luhn_complete("73282932")
    '732829320'
    """
    return next(digits + d for d in "0123456789" if luhn_ok(digits + d))


def siret(rng: np.random.Generator) -> str:
    """A SIRET whose SIREN (first 9 digits) and whole 14 digits both pass the Luhn check."""
    siren = luhn_complete("".join(str(d) for d in rng.integers(0, 10, 8)))
    return luhn_complete(siren + "".join(str(d) for d in rng.integers(0, 10, 4)))


def template_tables(size: int, *, seed: int = 0) -> list[Table]:
    """The eight sheets of the template (in `SHEETS` order) for a generated network of `size` actors.

    Cost: O(quads) — the generator's quads (about 40 per actor) parsed once by Oxigraph.
    """
    entities: dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]] = defaultdict(
        lambda: defaultdict(list)
    )
    kinds: dict[str, str] = {}
    network = ""
    for batch in network_nquads(size, seed=seed):
        for quad in ox.parse(batch, format=ox.RdfFormat.N_QUADS):
            subject, predicate = quad.subject.value, quad.predicate.value
            entities[subject][predicate].append(quad.object)  # type: ignore[arg-type]
            if predicate == str(RDF.type):
                if quad.object.value in _CLASSES:
                    kinds[subject] = _CLASSES[quad.object.value]
                elif quad.object.value == str(MAI.Network):
                    network = subject
    where = {str(place.iri): key for key, place in places().items()}
    extra = np.random.default_rng([seed, 1])
    rows: dict[str, list[dict[str, str]]] = {sheet.name: [] for sheet in SHEETS}
    described = entities[network]
    rows["reseau"].append(
        {
            "identifiant": _key(network),
            "nom": _one(described, SKOS.prefLabel),
            "commune": NETWORK_COMMUNE,
            "pays": "FR",
        }
    )
    for subject, kind in kinds.items():  # generator order: actors, then projects, then partnerships
        rows[kind].append(_row(kind, subject, entities[subject], where, extra))
    return [
        Table(file=f"{sheet.name}.csv", sheet=sheet.name, header=sheet.column_names(), rows=rows[sheet.name])
        for sheet in SHEETS
    ]


def _row(
    kind: str,
    subject: str,
    values: dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]],
    where: dict[str, tuple[str, str]],
    extra: np.random.Generator,
) -> dict[str, str]:
    """One template row for one generated entity."""
    dates = {"date_debut": _one(values, SDO.startDate), "date_fin": _one(values, SDO.endDate)}
    if kind == "acteurs":
        country, code = where[_one(values, MAI.basedIn)]
        person = str(MAI.Person) in _all(values, RDF.type)
        row = {
            "identifiant": _key(subject),
            "nom": _one(values, SKOS.prefLabel),
            "type": _key(_one(values, MAI.actorType)),
            "domaines": ";".join(_key(v) for v in _all(values, MAI.field)),
            "commune": code,
            "pays": country,
            "description": _one(values, DCTERMS.description),
            "latitude": _one(values, GEO.lat),
            "longitude": _one(values, GEO.long),
            "consentement_public": {"true": "oui", "false": "non"}.get(_one(values, MAI.publicConsent), ""),
        }
        draws = extra.random(2)  # two draws per actor, whatever its kind: the files stay seeded
        if not person and country == "FR" and draws[0] < SIRET_SHARE:
            row["siret"] = siret(extra)
        if not person and draws[1] < WEBSITE_SHARE:
            row["site_web"] = f"https://exemple.org/{_key(subject)}"
        return row
    if kind == "adhesions":
        return {
            "acteur": _key(_one(values, ORG.member)),
            "role": _key(_one(values, ORG.role)),
            "college": _key(_one(values, MAI.college)),
            "date_signature_charte": _one(values, MAI.charterSigned),
            **dates,
        }
    if kind == "projets":
        territories = []
        for territory in _all(values, MAI.territory):
            country, code = where[territory]
            territories.append(code if country == "FR" else f"es:{code}")
        return {
            "identifiant": _key(subject),
            "nom": _one(values, SKOS.prefLabel),
            "description": _one(values, DCTERMS.description),
            "domaines": ";".join(_key(v) for v in _all(values, MAI.field)),
            "territoires": ";".join(territories),
            "statut": _key(_one(values, MAI.status)),
            **dates,
        }
    if kind == "participations":
        return {
            "projet": _key(_one(values, MAI.project)),
            "acteur": _key(_one(values, MAI.participant)),
            "role": _key(_one(values, MAI.participationRole)),
            **dates,
        }
    if kind in ("besoins", "offres"):
        return {"acteur": _key(_one(values, MAI.actor)), "ressource": _key(_one(values, MAI.resource))}
    first, second = _all(values, MAI.partner)[:2]
    return {
        "acteur_a": _key(first),
        "acteur_b": _key(second),
        "nature": _key(_one(values, MAI.partnershipKind)),
        **dates,
    }


def write_template(folder: Path, size: int, *, seed: int = 0, file_format: str = "csv") -> dict[str, int]:
    """Write the template for `size` generated actors into `folder`: one CSV file per sheet, or one
    workbook ``tableur.xlsx`` (`file_format` ``"xlsx"``); return the number of rows of each sheet."""
    tables = template_tables(size, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "xlsx":
        (folder / "tableur.xlsx").write_bytes(write_xlsx(tables))
    else:
        for table in tables:
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=table.header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(table.rows)
            (folder / table.file).write_text(text.getvalue(), encoding="utf-8")
    return {table.sheet: len(table.rows) for table in tables}


def _all(values: dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]], predicate: str) -> list[str]:
    return sorted(term.value for term in values.get(str(predicate), ()))


def _one(values: dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]], predicate: str) -> str:
    found = values.get(str(predicate))
    return found[0].value if found else ""


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
