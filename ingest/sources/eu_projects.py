"""EU-funded « projets exemplaires » 2007-2013 (europe-en-france.gouv.fr) → projects and their beneficiaries.

Kept: the projects of the Aquitaine region and of the Interreg POCTEFA and SUDOE programmes (the others are
far from the PTCE's territory). A project's themes map to fields through
`ingest/data/crosswalks/ue-thematiques.csv`; a project none of whose themes maps is left out with a report
line. The status is « terminé »: every operation of the 2007-2013 programmes had to be completed by the end
of 2015. Territory: Nouvelle-Aquitaine for the Aquitaine projects (the former region is part of it); France
and Spain for POCTEFA and SUDOE projects, which marks them cross-border.

Beneficiaries are free text. « X en partenariat avec Y et Z » is split (X beneficiary, Y and Z partners);
any other text is kept as one beneficiary, as written. The dataset gives no address, so a beneficiary is a
bare `mai:Actor` (not a `mai:Organisation`, whose shape requires a commune): it is never placed on the map
until an animator gives its commune. Its type is read from its name only when the name says it (« Conseil
régional », « Université », « Association » …), else left out.
"""

from __future__ import annotations

import csv
import io
import re

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from maillage.graph.folding import fold
from maillage.graph.stores.base import Store
from maillage.ingest.provenance import PublicDataset
from maillage.ingest.readers.csv import decode
from maillage.ingest.readers.table import Table, UnreadableFileError
from maillage.ingest.report import Problem
from maillage.ingest.sources.batch import SourceBatch, actor_type_concept, crosswalk, field_concept, slug
from maillage.ontology.iri import concept_iri, data_iri
from maillage.ontology.vocab import MAI

DATASET = PublicDataset(
    key="projets-ue-2007-2013",
    title="Projets exemplaires financés par l'Union européenne en France, 2007-2013"
    " (europe-en-france.gouv.fr)",
    licence="informations publiques de l'État (europe-en-france.gouv.fr) ; le jeu de données ne déclare"
    " pas de licence (Licence Ouverte Etalab par défaut pour les sites de l'État, non vérifiée)",
    attribution="europe-en-france.gouv.fr, collecté par Open Knowledge / OpenSpending"
    " (os-data/eu-structural-funds)",
    url="https://github.com/os-data/eu-structural-funds (data/FR.france/2007-2013/old/data.csv, "
    "commit 6ffe5ddb2610077f0eb4bed0cf110618c55dcd12)",
)
CROSSWALK = "ue-thematiques"
KEPT_REGIONS = {
    "Aquitaine": (data_iri("region", "fr-75"),),
    "CTE - Interreg - POCTEFA": (data_iri("country", "FR"), data_iri("country", "ES")),
    "CTE - Interreg - SUDOE": (data_iri("country", "FR"), data_iri("country", "ES")),
}
PARTNERS = re.compile(r"\s+en partenariat avec\s+", re.IGNORECASE)
#: (words of the folded name, actor type): only names that say what they are.
PUBLIC_BODY = (
    r"^(conseil (regional|general)|departement|ville|mairie|commune de"
    r"|communaute (de communes|d agglomeration)|syndicat mixte)\b"
)
NAME_TYPES = (
    (re.compile(PUBLIC_BODY), "collectivite"),
    (re.compile(r"\b(universite|centro tecnologico)\b"), "recherche-formation"),
    (re.compile(r"^(chambre|groupement d interet public)\b"), "etablissement-public"),
    (re.compile(r"\b(association|foundation)\b"), "association"),
    (re.compile(r"^entreprise\b"), "entreprise"),
)


def read(data: bytes, *, name: str, store: Store) -> SourceBatch:
    """Map the projects of Aquitaine, POCTEFA and SUDOE in the « projets exemplaires » CSV."""
    del store
    rows = list(csv.DictReader(io.StringIO(decode(data, name=name))))
    if not rows or not {"titre", "région", "bénéficiaire", "thématique(s)"} <= set(rows[0]):
        raise UnreadableFileError(
            Problem(
                file=name, rule="colonnes attendues : fond, annee, titre, région, bénéficiaire, thématique(s)"
            )
        )
    batch = SourceBatch(dataset=DATASET)
    kept = [(i, row) for i, row in enumerate(rows) if row["région"].strip() in KEPT_REGIONS]
    batch.rows_read = {"lignes": len(rows), "Aquitaine, POCTEFA et SUDOE": len(kept)}
    table = crosswalk(CROSSWALK)
    for index, row in kept:
        _project(batch, name, Table.line_of(index), row, table)
    return batch


def _project(batch: SourceBatch, name: str, line: int, row: dict[str, str], table: dict) -> None:  # type: ignore[type-arg]
    themes = [t.strip() for t in row["thématique(s)"].split(";") if t.strip()]
    fields = sorted({f for t in themes if t in table for f in table[t].fields})
    for theme in themes:
        if theme not in table:
            batch.ignored.append(
                Problem(
                    file=name, row=line, column="thématique(s)", value=theme, rule="thème inconnu : ignoré"
                )
            )
    if not fields:
        batch.rejected.append(
            Problem(
                file=name,
                row=line,
                column="thématique(s)",
                value=row["thématique(s)"],
                rule="aucun thème ne correspond à un domaine de Maillage (voir le tableau de"
                " correspondance) : projet non importé",
            )
        )
        return
    title = row["titre"].strip()
    key = f"ue-{slug(title)}"
    project = data_iri("project", key)
    batch.origin[project] = (name, None, line)
    batch.add(project, RDF.type, MAI.Project)
    batch.add(project, SKOS.prefLabel, Literal(title))
    for field in fields:
        batch.add(project, MAI.field, field_concept(field))
    batch.add(project, MAI.status, concept_iri("project-status", "termine"))
    for territory in KEPT_REGIONS[row["région"].strip()]:
        batch.add(project, MAI.territory, territory)
    batch.add(project, DCTERMS.description, Literal(_description(row), lang="fr"))
    batch.add(project, DCTERMS.source, Literal(f"{name} › ligne {line}"))
    beneficiaries = _beneficiaries(row["bénéficiaire"])
    if not beneficiaries:
        batch.ignored.append(
            Problem(
                file=name,
                row=line,
                column="bénéficiaire",
                value="",
                rule="bénéficiaire non renseigné : projet importé sans participant",
            )
        )
    for position, text in enumerate(beneficiaries):
        actor = data_iri("actor", f"ue-{slug(_without_acronym(text))}")
        if actor not in batch.triples:
            batch.origin[actor] = (name, None, line)
            batch.add(actor, RDF.type, MAI.Actor)
            batch.add(actor, SKOS.prefLabel, Literal(text))
            actor_type = _actor_type(text)
            if actor_type:
                batch.add(actor, MAI.actorType, actor_type_concept(actor_type))
            batch.add(actor, DCTERMS.source, Literal(f"{name} › ligne {line}"))
        role = "beneficiaire" if position == 0 else "partenaire"
        _participation(batch, project, key, actor, role, name, line)


def _participation(
    batch: SourceBatch, project: URIRef, key: str, actor: URIRef, role: str, name: str, line: int
) -> None:
    iri = data_iri("participation", f"{key}.{str(actor).rsplit('/', 1)[-1]}")
    batch.origin[iri] = (name, None, line)
    batch.add(iri, RDF.type, MAI.Participation)
    batch.add(iri, MAI.project, project)
    batch.add(iri, MAI.participant, actor)
    batch.add(iri, MAI.participationRole, concept_iri("participation-role", role))
    batch.add(iri, DCTERMS.source, Literal(f"{name} › ligne {line}"))


def _beneficiaries(text: str) -> list[str]:
    """The beneficiary, then its partners when the text says « en partenariat avec ».

    >>> _beneficiaries("Chantier naval CAI de Gujan-Mestras en partenariat avec le CRCAA et le CDPMEM33")
    ['Chantier naval CAI de Gujan-Mestras', 'CRCAA', 'CDPMEM33']
    >>> _beneficiaries("Generalitat de Catalunya, Departament d'Educacio, Conseils régionaux Aquitaine")
    ["Generalitat de Catalunya, Departament d'Educacio, Conseils régionaux Aquitaine"]
    """
    text = " ".join(text.split())
    if not text:
        return []
    parts = PARTNERS.split(text, maxsplit=1)
    if len(parts) == 1:
        return [text]
    partners = re.split(r"\s*,\s*|\s+et\s+", parts[1])
    return [parts[0]] + [re.sub(r"^(le|la|les|l')\s*", "", p, flags=re.IGNORECASE) for p in partners if p]


def _without_acronym(text: str) -> str:
    """The name without a trailing acronym in brackets, so that « … Arcachon-Aquitaine » and « … Arcachon
    Aquitaine (CRCAA) » are one actor."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", text) or text


def _actor_type(text: str) -> str | None:
    folded = fold(text)
    return next((actor_type for pattern, actor_type in NAME_TYPES if pattern.search(folded)), None)


def _description(row: dict[str, str]) -> str:
    parts = [
        f"Projet {row['fond'].strip()} {row['annee'].strip()}".strip(),
        f"programme : {row['région'].strip()}",
    ]
    for column, label in (("durée", "durée"), ("fond_coût", "financement UE"), ("coût_total", "coût total")):
        if row.get(column, "").strip():
            parts.append(f"{label} : {row[column].strip()}")
    if row.get("source", "").strip():
        parts.append(f"fiche : {row['source'].strip()}")
    return " ; ".join(parts) + "."
