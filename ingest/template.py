"""The import template: one sheet (or CSV file) per kind, French column names, English aliases accepted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _c(name: str, *aliases: str, required: bool = False) -> Column:
    return Column(name, required, aliases)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "reseau",
        (
            _c("identifiant", "id", "identifier", required=True),
            _c("nom", "name", required=True),
            _c("description"),
            _c("commune", "municipality", required=True),
            _c("pays", "country", required=True),
        ),
        ("réseau", "network"),
    ),
    Sheet(
        "acteurs",
        (
            _c("identifiant", "id", "identifier", required=True),
            _c("nom", "name", required=True),
            _c("type", "kind", required=True),
            _c("domaines", "fields", required=True),
            _c("commune", "municipality", required=True),
            _c("pays", "country", required=True),
            _c("description"),
            _c("site_web", "website", "homepage"),
            _c("siret"),
            _c("rna"),
            _c("nif"),
            _c("code_naf", "code naf", "naf", "code ape", "ape"),
            _c("latitude", "lat"),
            _c("longitude", "lon", "long"),
            _c("consentement_public", "public_consent"),
            # contact details, seen by the network's members only; the note, by the animators only
            _c("courriel", "email", "e-mail", "mail", "adresse_electronique"),
            _c("telephone", "téléphone", "phone", "tel", "tél"),
            _c("note_interne", "note interne", "internal_note"),
        ),
        ("actors", "membres", "members"),
    ),
    Sheet(
        "adhesions",
        (
            _c("acteur", "actor", required=True),
            _c("role", "rôle", required=True),
            _c("college", "collège", required=True),
            _c("date_signature_charte", "charter_signed"),
            _c("date_debut", "start_date", "date_début", required=True),
            _c("date_fin", "end_date"),
        ),
        ("adhésions", "memberships"),
    ),
    Sheet(
        "projets",
        (
            _c("identifiant", "id", "identifier", required=True),
            _c("nom", "name", required=True),
            _c("description"),
            _c("domaines", "fields", required=True),
            _c("territoires", "territories"),
            _c("statut", "status", required=True),
            _c("date_debut", "start_date", "date_début"),
            _c("date_fin", "end_date"),
        ),
        ("projects",),
    ),
    Sheet(
        "participations",
        (
            _c("projet", "project", required=True),
            _c("acteur", "actor", required=True),
            _c("role", "rôle", required=True),
            _c("date_debut", "start_date", "date_début"),
            _c("date_fin", "end_date"),
        ),
        (),
    ),
    Sheet(
        "besoins",
        (
            _c("acteur", "actor", required=True),
            _c("ressource", "resource", required=True),
            _c("description"),
            _c("quantite", "quantité", "quantity"),
        ),
        ("needs",),
    ),
    Sheet(
        "offres",
        (
            _c("acteur", "actor", required=True),
            _c("ressource", "resource", required=True),
            _c("description"),
            _c("quantite", "quantité", "quantity"),
        ),
        ("offers",),
    ),
    Sheet(
        "partenariats",
        (
            _c("acteur_a", "actor_a", required=True),
            _c("acteur_b", "actor_b", required=True),
            _c("nature", "kind", required=True),
            _c("date_debut", "start_date", "date_début"),
            _c("date_fin", "end_date"),
            _c("description"),
        ),
        ("partnerships",),
    ),
)

SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def sheet_for(name: str) -> Sheet | None:
    """The template sheet a sheet or file name stands for (`acteurs`, `Acteurs`, `actors`, `acteurs-2025`)."""
    wanted = name.strip().lower()
    for sheet in SHEETS:
        for candidate in (sheet.name, *sheet.aliases):
            if (
                wanted == candidate
                or wanted.startswith(candidate + "-")
                or wanted.startswith(candidate + "_")
            ):
                return sheet
    return None


def canonical_column(sheet: Sheet, header: str) -> str | None:
    """The template column a header stands for, French name or English alias, case ignored."""
    wanted = header.strip().lower()
    for column in sheet.columns:
        if wanted == column.name or wanted in column.aliases:
            return column.name
    return None
