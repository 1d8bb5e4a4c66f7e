"""Map the tables of the import template to RDF triples.

Every problem is collected instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SDO, SKOS, XSD

from maillage.graph.stores.base import Store
from maillage.ingest.concepts import ConceptMatcher
from maillage.ingest.readers.table import Table
from maillage.ingest.report import Problem
from maillage.ingest.template import SHEETS, Sheet, canonical_column, sheet_for
from maillage.ingest.territories import epci_sirens, places
from maillage.ingest.validate_ids import check_nif, check_rna, check_siret
from maillage.ontology.iri import IRIError, data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import GEO, MAI

Triple = tuple[URIRef, URIRef, URIRef | Literal]

TRUE_WORDS = {"oui", "o", "yes", "y", "true", "vrai", "1", "bai"}
FALSE_WORDS = {"non", "n", "no", "false", "faux", "0", "ez", ""}
PERSON_TYPES = {"habitant"}
UNKNOWN_CONCEPT = {
    "field": "domaine d'activité inconnu dans la taxonomie",
    "resource": "ressource inconnue dans la taxonomie",
    "actor-type": "type d'acteur inconnu dans la taxonomie",
    "college": "collège inconnu dans la taxonomie",
    "membership-role": "rôle d'adhésion inconnu dans la taxonomie",
    "participation-role": "rôle de participation inconnu dans la taxonomie",
    "partnership-kind": "nature de partenariat inconnue dans la taxonomie",
    "project-status": "statut de projet inconnu dans la taxonomie",
}
# A cell starting like a formula (=, @, or + / - not followed by a number): refused, never stored.
FORMULA = re.compile(r"^\s*(=|@|[+-](?![\d.,]))")


@dataclass
class Mapped:
    """Triples by subject, the predicates each subject's sheets manage, and where each subject came from."""

    triples: dict[URIRef, set[Triple]] = field(default_factory=dict)
    managed: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    origin: dict[URIRef, tuple[str, str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    network: URIRef | None = None

    def add(self, subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> None:
        self.triples.setdefault(subject, set()).add((subject, predicate, obj))
        self.managed.setdefault(subject, set()).add(predicate)

    def manage(self, subject: URIRef, *predicates: URIRef) -> None:
        self.managed.setdefault(subject, set()).update(predicates)


def parse_date(text: str) -> dt.date:
    """AAAA-MM-JJ or JJ/MM/AAAA (French order).

    >>> parse_date("14/07/2019")
    datetime.date(2019, 7, 14)
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
    if found:
        return dt.date(int(found[3]), int(found[2]), int(found[1]))
    raise ValueError(text)


class SheetMapper:
    """Maps every known sheet of one import into `Mapped`; one instance per import."""

    def __init__(self, tables: list[Table], *, store: Store, matcher: ConceptMatcher) -> None:
        self.tables = tables
        self.store = store
        self.matcher = matcher
        self.out = Mapped()
        self.known_actors: set[URIRef] = set()
        self.known_projects: set[URIRef] = set()

    # -- helpers -----------------------------------------------------------------------------------
    def problem(
        self,
        table: Table,
        index: int | None,
        column: str | None,
        value: str | None,
        rule: str,
        suggestion: str | None = None,
    ) -> None:
        self.out.problems.append(
            Problem(
                file=table.file,
                sheet=table.sheet,
                row=Table.line_of(index) if index is not None else None,
                column=column,
                value=value,
                rule=rule,
                suggestion=suggestion,
            )
        )

    def concept(self, table: Table, index: int, column: str, value: str, scheme: str) -> URIRef | None:
        match = self.matcher.match(scheme, value)
        if match.concept is None:
            self.problem(
                table,
                index,
                column,
                value,
                UNKNOWN_CONCEPT[scheme],
                match.suggestion or "voir la liste des concepts : maillage concepts " + scheme,
            )
        return match.concept

    def date(self, table: Table, index: int, column: str, value: str) -> Literal | None:
        try:
            return Literal(parse_date(value).isoformat(), datatype=XSD.date)
        except ValueError:
            self.problem(
                table, index, column, value, "date illisible", "format attendu AAAA-MM-JJ ou JJ/MM/AAAA"
            )
            return None

    def entity(self, table: Table, index: int, column: str, kind: str, key: str) -> URIRef | None:
        try:
            return data_iri(kind, key)
        except IRIError as error:
            self.problem(table, index, column, key, str(error))
            return None

    def reference(self, table: Table, index: int, column: str, kind: str, key: str) -> URIRef | None:
        iri = self.entity(table, index, column, kind, key)
        if iri is None:
            return None
        known = self.known_actors if kind == "actor" else self.known_projects
        klass = MAI.Actor if kind == "actor" else MAI.Project
        if iri in known or self._in_store(iri, klass):
            return iri
        label = "acteur" if kind == "actor" else "projet"
        self.problem(table, index, column, key, f"{label} inconnu : ni dans ce fichier ni déjà dans la base")
        return None

    def _in_store(self, iri: URIRef, klass: URIRef) -> bool:
        types = {o for _s, _p, o in self.store.triples(iri, RDF.type, None)}
        return klass in types or (klass == MAI.Actor and bool(types & {MAI.Organisation, MAI.Person}))

    def place(
        self, table: Table, index: int, row: dict[str, str]
    ) -> tuple[URIRef, float | None, float | None] | None:
        country = row.get("pays", "").strip().upper()
        code = row.get("commune", "").strip()
        if country not in ("FR", "ES"):
            self.problem(table, index, "pays", row.get("pays", ""), "code pays ISO 3166 attendu : FR ou ES")
            return None
        found = places().get((country, code))
        if found is None:
            rule = (
                "code INSEE de commune inconnu (Pyrénées-Atlantiques et Landes)"
                if country == "FR"
                else "code INE de municipio inconnu (Euskadi et Navarre)"
            )
            self.problem(
                table,
                index,
                "commune",
                code,
                rule,
                "5 chiffres, ex. 40312 pour Tarnos" if country == "FR" else "5 chiffres, ex. 20045 pour Irun",
            )
            return None
        return found.iri, found.lat, found.lon

    def source(self, subject: URIRef, table: Table, index: int) -> None:
        self.out.origin.setdefault(subject, (table.file, table.sheet, Table.line_of(index)))
        where = table.file if table.file.rsplit(".", 1)[0] == table.sheet else f"{table.file} › {table.sheet}"
        self.out.add(subject, DCTERMS.source, Literal(f"{where} › ligne {Table.line_of(index)}"))

    # -- sheets ------------------------------------------------------------------------------------
    def run(self) -> Mapped:
        by_sheet: dict[str, Table] = {}
        for table in self.tables:
            sheet = sheet_for(table.sheet)
            if sheet is None:
                self.problem(
                    table,
                    None,
                    None,
                    table.sheet,
                    "feuille inconnue du modèle d'import",
                    "feuilles attendues : " + ", ".join(s.name for s in SHEETS),
                )
                continue
            if sheet.name in by_sheet:
                self.problem(
                    table, None, None, table.sheet, f"la feuille « {sheet.name} » apparaît deux fois"
                )
                continue
            by_sheet[sheet.name] = self._canonical(table, sheet)
        # Declared entities first, so that references in later sheets can be checked.
        for table in (by_sheet.get("acteurs"),):
            if table:
                self.known_actors = {
                    data_iri("actor", r["identifiant"])
                    for r in table.rows
                    if r.get("identifiant") and _is_key(r["identifiant"])
                }
        if "projets" in by_sheet:
            self.known_projects = {
                data_iri("project", r["identifiant"])
                for r in by_sheet["projets"].rows
                if r.get("identifiant") and _is_key(r["identifiant"])
            }
        handlers: dict[str, Callable[[Table, int, dict[str, str]], None]] = {
            "reseau": self.network_row,
            "acteurs": self.actor_row,
            "adhesions": self.membership_row,
            "projets": self.project_row,
            "participations": self.participation_row,
            "besoins": self.need_row,
            "offres": self.offer_row,
            "partenariats": self.partnership_row,
        }
        if by_sheet and self.out.network is None and "reseau" not in by_sheet:
            self.out.network = self._existing_network()
        for sheet in SHEETS:  # template order: reseau first
            table = by_sheet.get(sheet.name)
            if table is None:
                continue
            missing = [c.name for c in sheet.columns if c.required and c.name not in table.header]
            for column in missing:
                self.problem(
                    table,
                    None,
                    column,
                    None,
                    "colonne obligatoire absente",
                    "colonnes du modèle : " + ", ".join(sheet.column_names()),
                )
            if missing:
                continue
            self.out.rows_read[sheet.name] = sum(1 for r in table.rows if r)
            seen: dict[str, int] = {}
            for index, row in enumerate(table.rows):
                if not row:
                    continue
                before = len(self.out.problems)
                for column, value in row.items():
                    if FORMULA.match(value):
                        self.problem(
                            table,
                            index,
                            column,
                            value,
                            "formule de tableur refusée",
                            "saisissez la valeur elle-même, sans « = » au début",
                        )
                for column in sheet.columns:
                    if column.required and not row.get(column.name, "").strip():
                        self.problem(table, index, column.name, "", "valeur obligatoire manquante")
                if len(self.out.problems) > before:
                    continue
                identity = self._row_identity(sheet.name, row)
                if identity in seen:
                    self.problem(
                        table, index, None, identity, f"doublon de la ligne {Table.line_of(seen[identity])}"
                    )
                    continue
                seen[identity] = index
                handlers[sheet.name](table, index, row)
        self._manage_sheet_predicates(by_sheet)
        return self.out

    def _canonical(self, table: Table, sheet: Sheet) -> Table:
        renamed: dict[str, str] = {}
        for header in table.header:
            column = canonical_column(sheet, header)
            if column is None:
                self.problem(
                    table,
                    None,
                    header,
                    None,
                    "colonne inconnue du modèle d'import",
                    "colonnes du modèle : " + ", ".join(sheet.column_names()),
                )
            else:
                renamed[header] = column
        rows = [{renamed[k]: v for k, v in row.items() if k in renamed} for row in table.rows]
        return Table(file=table.file, sheet=sheet.name, header=list(renamed.values()), rows=rows)

    @staticmethod
    def _row_identity(sheet: str, row: dict[str, str]) -> str:
        keys = {
            "adhesions": ("acteur",),
            "participations": ("projet", "acteur"),
            "besoins": ("acteur", "ressource"),
            "offres": ("acteur", "ressource"),
            "partenariats": ("acteur_a", "acteur_b"),
        }.get(sheet, ("identifiant",))
        values = [row.get(k, "").strip().lower() for k in keys]
        return " / ".join(sorted(values) if sheet == "partenariats" else values)

    def _existing_network(self) -> URIRef | None:
        networks = sorted({s for s, _p, _o in self.store.triples(None, RDF.type, MAI.Network)})
        return networks[0] if len(networks) == 1 else None  # type: ignore[return-value]

    def network_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        iri = self.entity(table, index, "identifiant", "network", row["identifiant"])
        located = self.place(table, index, row)
        if iri is None or located is None:
            return
        self.out.network = iri
        self.out.add(iri, RDF.type, MAI.Network)
        self.out.add(iri, SKOS.prefLabel, Literal(row["nom"]))
        if row.get("description"):
            self.out.add(iri, DCTERMS.description, Literal(row["description"], lang="fr"))
        self.out.add(iri, MAI.basedIn, located[0])
        self.source(iri, table, index)

    def actor_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        before = len(self.out.problems)
        iri = self.entity(table, index, "identifiant", "actor", row["identifiant"])
        actor_type = self.concept(table, index, "type", row["type"], "actor-type")
        fields = [self.concept(table, index, "domaines", v, "field") for v in _split(row["domaines"])]
        located = self.place(table, index, row)
        lat, lon = self._coordinates(table, index, row)
        identifiers = [
            (MAI.siret, "siret", check_siret),
            (MAI.rna, "rna", check_rna),
            (MAI.nif, "nif", check_nif),
        ]
        for _predicate, column, check in identifiers:
            if row.get(column) and (rule := check(row[column])) is not None:
                self.problem(table, index, column, row[column], rule)
        consent = row.get("consentement_public", "").strip().lower()
        if consent not in TRUE_WORDS | FALSE_WORDS:
            self.problem(
                table, index, "consentement_public", row["consentement_public"], "oui ou non attendu"
            )
        homepage = row.get("site_web", "").strip()
        if homepage and not re.fullmatch(r"https?://[^\s<>\"]+\.[^\s<>\"]+", homepage):
            self.problem(
                table, index, "site_web", homepage, "adresse web invalide", "elle commence par https://"
            )
        if len(self.out.problems) > before or iri is None or actor_type is None or located is None:
            return
        is_person = actor_type.rsplit("/", 1)[-1] in PERSON_TYPES
        self.out.add(iri, RDF.type, MAI.Person if is_person else MAI.Organisation)
        self.out.add(iri, SKOS.prefLabel, Literal(row["nom"]))
        self.out.add(iri, MAI.actorType, actor_type)
        for concept in fields:
            self.out.add(iri, MAI.field, concept)  # type: ignore[arg-type]
        self.out.add(iri, MAI.basedIn, located[0])
        lat = lat if lat is not None else located[1]
        lon = lon if lon is not None else located[2]
        if lat is not None and lon is not None:
            self.out.add(iri, GEO.lat, decimal_literal(lat))
            self.out.add(iri, GEO.long, decimal_literal(lon))
        if row.get("description"):
            self.out.add(iri, DCTERMS.description, Literal(row["description"], lang="fr"))
        if homepage:
            self.out.add(iri, FOAF.homepage, URIRef(homepage))
        for predicate, column, _check in identifiers:
            if row.get(column):
                self.out.add(iri, predicate, Literal(row[column].replace(" ", "").upper()))
        if is_person:
            self.out.add(iri, MAI.publicConsent, Literal(consent in TRUE_WORDS))
        self.source(iri, table, index)

    def _coordinates(
        self, table: Table, index: int, row: dict[str, str]
    ) -> tuple[float | None, float | None]:
        values: list[float | None] = []
        for column, bound in (("latitude", 90.0), ("longitude", 180.0)):
            text = row.get(column, "").strip().replace(",", ".")
            if not text:
                values.append(None)
                continue
            try:
                number = float(text)
                if not -bound <= number <= bound:
                    raise ValueError
                values.append(number)
            except ValueError:
                self.problem(
                    table, index, column, row[column], f"nombre décimal entre -{bound:g} et {bound:g} attendu"
                )
                values.append(None)
        return values[0], values[1]

    def membership_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        actor = self.reference(table, index, "acteur", "actor", row["acteur"])
        role = self.concept(table, index, "role", row["role"], "membership-role")
        college = self.concept(table, index, "college", row["college"], "college")
        dates = {
            c: self.date(table, index, c, row[c])
            for c in ("date_signature_charte", "date_debut", "date_fin")
            if row.get(c)
        }
        if self.out.network is None:
            self.problem(table, index, None, None, "aucun réseau : ajoutez la feuille « reseau »")
            return
        if actor is None or role is None or college is None or None in dates.values():
            return
        iri = data_iri("membership", f"{self.out.network.rsplit('/', 1)[-1]}.{row['acteur']}")
        self.out.add(iri, RDF.type, MAI.Membership)
        self.out.add(iri, ORG.member, actor)
        self.out.add(iri, ORG.organization, self.out.network)
        self.out.add(iri, ORG.role, role)
        self.out.add(iri, MAI.college, college)
        for column, predicate in (
            ("date_signature_charte", MAI.charterSigned),
            ("date_debut", SDO.startDate),
            ("date_fin", SDO.endDate),
        ):
            if column in dates:
                self.out.add(iri, predicate, dates[column])  # type: ignore[arg-type]
        self.source(iri, table, index)

    def project_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        iri = self.entity(table, index, "identifiant", "project", row["identifiant"])
        fields = [self.concept(table, index, "domaines", v, "field") for v in _split(row["domaines"])]
        status = self.concept(table, index, "statut", row["statut"], "project-status")
        territories = [self._territory(table, index, v) for v in _split(row.get("territoires", ""))]
        dates = {c: self.date(table, index, c, row[c]) for c in ("date_debut", "date_fin") if row.get(c)}
        if iri is None or status is None or None in fields or None in territories or None in dates.values():
            return
        self.out.add(iri, RDF.type, MAI.Project)
        self.out.add(iri, SKOS.prefLabel, Literal(row["nom"]))
        if row.get("description"):
            self.out.add(iri, DCTERMS.description, Literal(row["description"], lang="fr"))
        for concept in fields:
            self.out.add(iri, MAI.field, concept)  # type: ignore[arg-type]
        for territory in territories:
            self.out.add(iri, MAI.territory, territory)  # type: ignore[arg-type]
        self.out.add(iri, MAI.status, status)
        if self.out.network is not None:
            self.out.add(iri, MAI.network, self.out.network)
        for column, predicate in (("date_debut", SDO.startDate), ("date_fin", SDO.endDate)):
            if column in dates:
                self.out.add(iri, predicate, dates[column])  # type: ignore[arg-type]
        self.source(iri, table, index)

    def _territory(self, table: Table, index: int, value: str) -> URIRef | None:
        text = value.strip()
        if text.lower().startswith("epci:"):
            siren = text[5:].strip()
            if siren in epci_sirens():
                return data_iri("epci", siren)
        elif text.lower().startswith("es:"):
            found = places().get(("ES", text[3:].strip()))
            if found:
                return found.iri
        elif (found := places().get(("FR", text))) is not None:
            return found.iri
        self.problem(
            table,
            index,
            "territoires",
            value,
            "territoire inconnu",
            "code INSEE (64102), epci:SIREN (epci:200067106) ou es:code INE (es:20045)",
        )
        return None

    def participation_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        project = self.reference(table, index, "projet", "project", row["projet"])
        actor = self.reference(table, index, "acteur", "actor", row["acteur"])
        role = self.concept(table, index, "role", row["role"], "participation-role")
        dates = {c: self.date(table, index, c, row[c]) for c in ("date_debut", "date_fin") if row.get(c)}
        if project is None or actor is None or role is None or None in dates.values():
            return
        iri = data_iri("participation", f"{row['projet']}.{row['acteur']}")
        self.out.add(iri, RDF.type, MAI.Participation)
        self.out.add(iri, MAI.project, project)
        self.out.add(iri, MAI.participant, actor)
        self.out.add(iri, MAI.participationRole, role)
        for column, predicate in (("date_debut", SDO.startDate), ("date_fin", SDO.endDate)):
            if column in dates:
                self.out.add(iri, predicate, dates[column])  # type: ignore[arg-type]
        self.source(iri, table, index)

    def need_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        self._resource_row(table, index, row, kind="need", klass=MAI.Need, direct=MAI.needs)

    def offer_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        self._resource_row(table, index, row, kind="offer", klass=MAI.Offer, direct=MAI.offers)

    def _resource_row(
        self, table: Table, index: int, row: dict[str, str], *, kind: str, klass: URIRef, direct: URIRef
    ) -> None:
        actor = self.reference(table, index, "acteur", "actor", row["acteur"])
        resource = self.concept(table, index, "ressource", row["ressource"], "resource")
        if actor is None or resource is None:
            return
        iri = data_iri(kind, f"{row['acteur']}.{resource.rsplit('/', 1)[-1]}")
        self.out.add(iri, RDF.type, klass)
        self.out.add(iri, MAI.actor, actor)
        self.out.add(iri, MAI.resource, resource)
        if row.get("description"):
            self.out.add(iri, DCTERMS.description, Literal(row["description"], lang="fr"))
        if row.get("quantite"):
            self.out.add(iri, MAI.quantity, Literal(row["quantite"]))
        self.out.add(actor, direct, resource)
        self.source(iri, table, index)

    def partnership_row(self, table: Table, index: int, row: dict[str, str]) -> None:
        a = self.reference(table, index, "acteur_a", "actor", row["acteur_a"])
        b = self.reference(table, index, "acteur_b", "actor", row["acteur_b"])
        kind = self.concept(table, index, "nature", row["nature"], "partnership-kind")
        dates = {c: self.date(table, index, c, row[c]) for c in ("date_debut", "date_fin") if row.get(c)}
        if a is not None and a == b:
            self.problem(
                table, index, "acteur_b", row["acteur_b"], "un acteur ne peut être partenaire de lui-même"
            )
            return
        if a is None or b is None or kind is None or None in dates.values():
            return
        first, second = sorted([row["acteur_a"], row["acteur_b"]])
        iri = data_iri("partnership", f"{first}.{second}")
        self.out.add(iri, RDF.type, MAI.Partnership)
        self.out.add(iri, MAI.partner, a)
        self.out.add(iri, MAI.partner, b)
        self.out.add(iri, MAI.partnershipKind, kind)
        if row.get("description"):
            self.out.add(iri, DCTERMS.description, Literal(row["description"], lang="fr"))
        for column, predicate in (("date_debut", SDO.startDate), ("date_fin", SDO.endDate)):
            if column in dates:
                self.out.add(iri, predicate, dates[column])  # type: ignore[arg-type]
        self.out.add(a, MAI.partnerOf, b)
        self.out.add(b, MAI.partnerOf, a)
        self.source(iri, table, index)

    def _manage_sheet_predicates(self, by_sheet: dict[str, Table]) -> None:
        """A sheet present in the file owns its predicates on every actor of the file, even when a row was
        deleted: re-importing a corrected file removes what the file no longer says."""
        for subject in list(self.out.triples):
            if (MAI.Organisation in _types(self.out, subject)) or (MAI.Person in _types(self.out, subject)):
                if "besoins" in by_sheet:
                    self.out.manage(subject, MAI.needs)
                if "offres" in by_sheet:
                    self.out.manage(subject, MAI.offers)
                if "partenariats" in by_sheet:
                    self.out.manage(subject, MAI.partnerOf)
            if MAI.Person in _types(self.out, subject) or MAI.Organisation in _types(self.out, subject):
                self.out.manage(
                    subject,
                    RDF.type,
                    SKOS.prefLabel,
                    MAI.actorType,
                    MAI.field,
                    MAI.basedIn,
                    GEO.lat,
                    GEO.long,
                    DCTERMS.description,
                    FOAF.homepage,
                    MAI.siret,
                    MAI.rna,
                    MAI.nif,
                    MAI.publicConsent,
                    DCTERMS.source,
                )


def _types(mapped: Mapped, subject: URIRef) -> set[URIRef]:
    return {o for _s, p, o in mapped.triples.get(subject, ()) if p == RDF.type}  # type: ignore[misc]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _is_key(text: str) -> bool:
    try:
        data_iri("actor", text)
        return True
    except IRIError:
        return False
