"""The cells of an import: what a mapping produces (`Mapped`), the words and rules for cell values,
and `CellReader`, which turns one cell into a term or a located problem (file › sheet › row › column).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from maillage.graph.stores.base import Store
from maillage.ingest.concepts import AMBIGUOUS, ConceptMatcher
from maillage.ingest.readers.table import Table
from maillage.ingest.report import ActorResolution, Problem, Review
from maillage.ingest.territories import places
from maillage.ontology.iri import IRIError, data_iri
from maillage.ontology.vocab import MAI

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
AMBIGUOUS_CONCEPT = "valeur ambiguë : plusieurs concepts de la taxonomie lui ressemblent autant"
# A cell starting like a formula (=, @, or + / - not followed by a number): refused, never stored.
FORMULA = re.compile(r"^\s*(=|@|[+-](?![\d.,]))")
# A web address the pages may put in a link: http(s) only (never javascript: or data:), no space, quote or <>.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"]+\.[^\s<>\"]+")


@dataclass
class Mapped:
    """Triples by subject, the predicates each subject's sheets manage, and where each subject came from."""

    triples: dict[URIRef, set[Triple]] = field(default_factory=dict)
    managed: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    origin: dict[URIRef, tuple[str, str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    network: URIRef | None = None
    #: Concept mappings a person should check (fuzzy, ambiguous, unknown).
    reviews: list[Review] = field(default_factory=list)
    #: Actor rows recognised as existing actors, and probable duplicates.
    resolutions: list[ActorResolution] = field(default_factory=list)

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


class CellReader:
    """Reads the cells of one import into terms, collecting every problem instead of stopping."""

    def __init__(self, tables: list[Table], *, store: Store, matcher: ConceptMatcher) -> None:
        self.tables = tables
        self.store = store
        self.matcher = matcher
        self.out = Mapped()
        self.known_actors: set[URIRef] = set()
        self.known_projects: set[URIRef] = set()
        #: Row key → key of the existing actor the row is (entity resolution, `maillage.ingest.resolve`).
        self.aliases: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------------------
    def problem(
        self,
        table: Table,
        index: int | None,
        column: str | None,
        value: str | None,
        rule: str,
        suggestion: str | None = None,
        *,
        missing_concept: str | None = None,
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
                missing_concept=missing_concept,
            )
        )

    def concept(self, table: Table, index: int, column: str, value: str, scheme: str) -> URIRef | None:
        match = self.matcher.match(scheme, value)
        if match.needs_review:
            self.out.reviews.append(
                Review(
                    file=table.file,
                    sheet=table.sheet,
                    row=Table.line_of(index),
                    column=column,
                    value=value,
                    scheme=scheme,
                    status=match.status,
                    concept=match.concept.rsplit("/", 1)[-1] if match.concept is not None else None,
                    score=match.score,
                    candidates=tuple((c.rsplit("/", 1)[-1], round(s, 1)) for c, s in match.candidates),
                )
            )
        if match.concept is None:
            # No close concept to point to: the fix is to add the missing one (worded here for the command
            # line; `missing_concept` lets a page word it its own way).
            missing = scheme if match.suggestion is None else None
            self.problem(
                table,
                index,
                column,
                value,
                AMBIGUOUS_CONCEPT if match.status == AMBIGUOUS else UNKNOWN_CONCEPT[scheme],
                match.suggestion
                or f"voir la liste des concepts : maillage concepts {scheme} ; ou ajoutez celui qui manque : "
                f"maillage concepts add {scheme} CLÉ --label-fr « … »",
                missing_concept=missing,
            )
        return match.concept

    def actor_key(self, key: str) -> str:
        """The key under which a row's actor is stored: an existing actor's, when resolution found one."""
        return self.aliases.get(key.strip(), key)

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
        if kind == "actor" and key.strip() in self.aliases:
            iri = data_iri("actor", self.aliases[key.strip()])
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


def types_of(mapped: Mapped, subject: URIRef) -> set[URIRef]:
    """The rdf:type objects mapped for `subject` so far."""
    return {o for _s, p, o in mapped.triples.get(subject, ()) if p == RDF.type}  # type: ignore[misc]


def split_cell(cell: str) -> list[str]:
    """The values of a multi-valued cell (`;` between them), trimmed, empty ones dropped."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def is_key(text: str) -> bool:
    """Whether `text` can be the key of an IRI (letters, digits, `-`, `_`)."""
    try:
        data_iri("actor", text)
        return True
    except IRIError:
        return False
