"""Map the tables of the import template to RDF triples.

Every problem is collected instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SDO, SKOS

from maillage.ingest.cells import FORMULA, Mapped, is_key, parse_date
from maillage.ingest.readers.table import Table
from maillage.ingest.resolve import ActorResolver, resolve_actor_rows
from maillage.ingest.sheet_rows import RowMapper
from maillage.ingest.template import SHEETS, Sheet, canonical_column, sheet_for
from maillage.ontology.iri import data_iri
from maillage.ontology.vocab import GEO, MAI

__all__ = ["FORMULA", "Mapped", "SheetMapper", "parse_date"]

#: The columns of the actors sheet that own their property only when the file has them.
CONTACT_COLUMNS = (("courriel", SDO.email), ("telephone", SDO.telephone), ("note_interne", MAI.internalNote))


class SheetMapper(RowMapper):
    """Maps every known sheet of one import into `Mapped`; one instance per import."""

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
        # Declared entities first, so that references in later sheets can be checked; actor rows that are
        # actors of the store under another key take that key (entity resolution).
        for table in (by_sheet.get("acteurs"),):
            if table:
                if "identifiant" in table.header and "nom" in table.header:
                    resolved = resolve_actor_rows(table, ActorResolver(self.store))
                    self.aliases, self.out.resolutions = resolved[0], resolved[1]
                    self.out.problems += resolved[2]
                self.known_actors = {
                    data_iri("actor", self.actor_key(r["identifiant"]))
                    for r in table.rows
                    if r.get("identifiant") and is_key(r["identifiant"])
                }
        if "projets" in by_sheet:
            self.known_projects = {
                data_iri("project", r["identifiant"])
                for r in by_sheet["projets"].rows
                if r.get("identifiant") and is_key(r["identifiant"])
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

    def _manage_sheet_predicates(self, by_sheet: dict[str, Table]) -> None:
        """A sheet present in the file owns its predicates on every actor of the file, even when a row was
        deleted: re-importing a corrected file removes what the file no longer says."""
        for subject, triples in list(self.out.triples.items()):
            # an actor: typed mai:Organisation or mai:Person (a set lookup, not a scan of its triples)
            if (subject, RDF.type, MAI.Organisation) in triples or (subject, RDF.type, MAI.Person) in triples:
                if "besoins" in by_sheet:
                    self.out.manage(subject, MAI.needs)
                if "offres" in by_sheet:
                    self.out.manage(subject, MAI.offers)
                if "partenariats" in by_sheet:
                    self.out.manage(subject, MAI.partnerOf)
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
                    ORG.classification,
                    MAI.publicConsent,
                    DCTERMS.source,
                )
                # contacts are also written through the API by the members themselves: a file without
                # their column (an older template) leaves them as they are
                actors = by_sheet.get("acteurs")
                for column, predicate in CONTACT_COLUMNS:
                    if actors is not None and column in actors.header:
                        self.out.manage(subject, predicate)
