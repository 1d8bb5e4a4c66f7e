"""One method per sheet of the import template: each maps one row into triples (`RowMapper`)."""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SDO, SKOS

from maillage.ingest.cells import FALSE_WORDS, PERSON_TYPES, TRUE_WORDS, WEB_ADDRESS, CellReader, split_cell
from maillage.ingest.contacts import ContactError, normalise_email, normalise_phone
from maillage.ingest.readers.table import Table
from maillage.ingest.sources.schemes import NAF_SCHEME, naf_code, naf_iri
from maillage.ingest.territories import epci_sirens, places
from maillage.ingest.validate_ids import check_nif, check_rna, check_siret
from maillage.ontology.iri import data_iri
from maillage.ontology.literals import decimal_literal
from maillage.ontology.vocab import GEO, MAI


class RowMapper(CellReader):
    """The row handlers of the template's sheets; `SheetMapper` calls them in dependency order."""

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
        iri = self.entity(table, index, "identifiant", "actor", self.actor_key(row["identifiant"]))
        actor_type = self.concept(table, index, "type", row["type"], "actor-type")
        fields = [self.concept(table, index, "domaines", v, "field") for v in split_cell(row["domaines"])]
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
        if homepage and not WEB_ADDRESS.fullmatch(homepage):
            self.problem(
                table, index, "site_web", homepage, "adresse web invalide", "elle commence par https://"
            )
        naf = self._naf(table, index, row)  # sources helper: one column, kept apart from the rest
        contacts = self._contacts(table, index, row)
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
        if naf is not None:
            self.out.add(iri, ORG.classification, naf)
        for predicate, value in contacts:
            self.out.add(iri, predicate, Literal(value))
        self.source(iri, table, index)

    def _contacts(self, table: Table, index: int, row: dict[str, str]) -> list[tuple[URIRef, str]]:
        """The e-mail and phone (checked and normalised, `maillage.ingest.contacts`) and the internal note
        of an actor row; each unreadable value is a problem."""
        found: list[tuple[URIRef, str]] = []
        for column, predicate, normalise in (
            ("courriel", SDO.email, normalise_email),
            ("telephone", SDO.telephone, normalise_phone),
        ):
            text = row.get(column, "").strip()
            if not text:
                continue
            try:
                found.append((predicate, normalise(text)))
            except ContactError as error:
                self.problem(table, index, column, row[column], error.rule, error.hint)
        note = row.get("note_interne", "").strip()
        if note:
            found.append((MAI.internalNote, note))
        return found

    def _naf(self, table: Table, index: int, row: dict[str, str]) -> URIRef | None:
        """The NAF rév. 2 sub-class of the « code_naf » column (checked against the scheme when loaded)."""
        text = row.get("code_naf", "").strip()
        if not text:
            return None
        code = naf_code(text)
        iri = naf_iri("sousClasse", code) if code else None
        if iri is None or (
            self.store.value(NAF_SCHEME, RDF.type) is not None and self.store.value(iri, RDF.type) is None
        ):
            self.problem(table, index, "code_naf", text, "code NAF rév. 2 inconnu", "sous-classe, ex. 88.99B")
            return None
        return iri

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
        iri = data_iri("membership", f"{self.out.network.rsplit('/', 1)[-1]}.{self.actor_key(row['acteur'])}")
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
        fields = [self.concept(table, index, "domaines", v, "field") for v in split_cell(row["domaines"])]
        status = self.concept(table, index, "statut", row["statut"], "project-status")
        territories = [self._territory(table, index, v) for v in split_cell(row.get("territoires", ""))]
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
        iri = data_iri("participation", f"{row['projet']}.{self.actor_key(row['acteur'])}")
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
        iri = data_iri(kind, f"{self.actor_key(row['acteur'])}.{resource.rsplit('/', 1)[-1]}")
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
        first, second = sorted([self.actor_key(row["acteur_a"]), self.actor_key(row["acteur_b"])])
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
