"""Bodies and answers of the write routes: ``Create`` (POST), ``Fields`` (PUT: every field, absent ones
removed), ``Patch`` (PATCH: only the fields sent) and ``Out`` (what was written, as the store holds it)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Key = Field(
    pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$", max_length=200, description="Identifiant (clé de l'IRI)"
)


class Body(BaseModel):
    """A request body: an unknown field is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


# -- actors ----------------------------------------------------------------------------------------------


class ActorFields(Body):
    name: str = Field(description="Nom")
    type: str = Field(description="Clé du type d'acteur (association, scop… ; habitant pour une personne)")
    fields: list[str] = Field(description="Clés des domaines d'activité")
    commune: str = Field(description="Code INSEE (France) ou INE (Espagne) de la commune")
    country: Literal["FR", "ES"] = Field("FR", description="Pays de la commune")
    lat: float | None = Field(None, description="Latitude (défaut : le centre de la commune)")
    lon: float | None = Field(None, description="Longitude (défaut : le centre de la commune)")
    description: str | None = Field(None, description="Description, en français")
    homepage: str | None = Field(None, description="Site web, https://…")
    siret: str | None = Field(None, description="SIRET : 14 chiffres")
    rna: str | None = Field(None, description="Numéro RNA : W et 9 chiffres")
    nif: str | None = Field(None, description="NIF espagnol : 9 caractères")
    public_consent: bool | None = Field(None, description="Personne : consentement à la publication")
    email: str | None = Field(None, description="Courriel (visible des membres du réseau, jamais du public)")
    telephone: str | None = Field(
        None,
        description="Téléphone, français, espagnol ou international ; enregistré au format +33559123456 "
        "(visible des membres du réseau, jamais du public)",
    )
    internal_note: str | None = Field(None, description="Note interne (animateur·rices seulement)")


class ActorCreate(ActorFields):
    id: str = Key


class ActorPatch(Body):
    name: str | None = None
    type: str | None = None
    fields: list[str] | None = None
    commune: str | None = None
    country: Literal["FR", "ES"] | None = None
    lat: float | None = None
    lon: float | None = None
    description: str | None = None
    homepage: str | None = None
    siret: str | None = None
    rna: str | None = None
    nif: str | None = None
    public_consent: bool | None = None
    email: str | None = None
    telephone: str | None = None
    internal_note: str | None = None


class ActorOut(ActorFields):
    id: str
    country: Literal["FR", "ES"] | None = None  # type: ignore[assignment]


# -- needs and offers ------------------------------------------------------------------------------------


class ResourceFields(Body):
    description: str | None = Field(None, description="Précisions, en français")
    quantity: str | None = Field(None, description="Quantité, en mots : « 2 jours par mois »")


class ResourceCreate(ResourceFields):
    resource: str = Field(description="Clé de la ressource (taxonomie des ressources)")


class ResourcePatch(ResourceFields):
    pass


class ResourceOut(ResourceCreate):
    id: str = Field(description="acteur.ressource")
    actor: str


# -- projects --------------------------------------------------------------------------------------------


class ProjectFields(Body):
    name: str
    description: str | None = None
    fields: list[str] = Field(description="Clés des domaines d'activité")
    territories: list[str] = Field(
        default=[], description="Codes INSEE, epci:SIREN ou es:code INE, comme le modèle d'import"
    )
    status: str = Field(description="en-projet, en-cours ou termine")
    start: dt.date | None = None
    end: dt.date | None = None


class ProjectCreate(ProjectFields):
    id: str = Key


class ProjectPatch(Body):
    name: str | None = None
    description: str | None = None
    fields: list[str] | None = None
    territories: list[str] | None = None
    status: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class ProjectOut(ProjectFields):
    id: str


# -- participations --------------------------------------------------------------------------------------


class ParticipationFields(Body):
    role: str = Field(description="porteur, partenaire, financeur ou beneficiaire")
    start: dt.date | None = None
    end: dt.date | None = None


class ParticipationCreate(ParticipationFields):
    project: str = Field(description="Identifiant du projet")
    actor: str = Field(description="Identifiant de l'acteur")


class ParticipationPatch(Body):
    role: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class ParticipationOut(ParticipationCreate):
    id: str = Field(description="projet.acteur")


# -- partnerships ----------------------------------------------------------------------------------------


class PartnershipFields(Body):
    kind: str = Field(description="contrat, fournisseur, financement, locaux-partages ou informel")
    description: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class PartnershipCreate(PartnershipFields):
    partners: list[str] = Field(min_length=2, max_length=2, description="Les deux acteurs")


class PartnershipPatch(Body):
    kind: str | None = None
    description: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class PartnershipOut(PartnershipCreate):
    id: str = Field(description="acteur_a.acteur_b, dans l'ordre alphabétique")


# -- concepts --------------------------------------------------------------------------------------------


class ConceptCreate(Body):
    key: str = Key
    labels: dict[Literal["fr", "eu", "es", "en"], str] = Field(
        description="Libellés par langue ; fr obligatoire"
    )
    broader: str | None = Field(None, description="Clé du concept plus large, dans le même schéma")
    alt_labels: list[str] = Field(default=[], description="Autres libellés, en français")


class ConceptOut(BaseModel):
    key: str
    iri: str
    scheme: str
    labels: dict[str, str]
    broader: list[str]
    local: bool = Field(description="Ajouté localement (sinon : taxonomie de Maillage, non modifiable)")
