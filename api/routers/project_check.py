"""/api/projects/check: does a proposed common project duplicate what members already do (subsidiarity)?"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.errors import APIError
from maillage.api.present import label
from maillage.api.schemas import ConceptRef, PlaceRef
from maillage.graph.index import NetworkIndex
from maillage.graph.project_check import (
    Match,
    NeedMet,
    ProjectCheck,
    Proposal,
    ProposalError,
    check_project,
    store_territories,
)
from maillage.graph.project_check.proposal import MAX_ITEMS, MAX_TEXT, MAX_TITLE
from maillage.ontology.iri import key_of

router = APIRouter(tags=["vérification de projet"])

EXAMPLE: dict[str, JsonValue] = {
    "title": "Minibus partagés du Pays Basque",
    "description": "Mise en commun de minibus de neuf places, réservables par les associations.",
    "fields": ["mobilite"],
    "services": ["minibus"],
    "territory": ["epci:200067106"],
    "target_public": "associations culturelles, groupes de visiteurs",
}


class ProposalBody(BaseModel):
    """Un projet commun proposé, tel que ses auteurs le décrivent."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    title: Annotated[str, Field(min_length=1, max_length=MAX_TITLE, description="Titre du projet proposé")]
    description: Annotated[
        str,
        Field(
            max_length=MAX_TEXT,
            description="Ce que ferait le projet, en quelques phrases (texte libre, français ou espagnol)",
        ),
    ] = ""
    fields: Annotated[
        list[str],
        Field(
            min_length=1,
            max_length=MAX_ITEMS,
            description="Domaines d'action : clés (« circuits-courts »), IRI ou libellés du schéma "
            "des domaines",
        ),
    ]
    services: Annotated[
        list[str],
        Field(
            max_length=MAX_ITEMS,
            description="Ressources que le projet proposerait : clés (« minibus »), IRI ou libellés",
        ),
    ] = []
    territory: Annotated[
        list[str] | None,
        Field(
            max_length=MAX_ITEMS,
            description="Territoires : code INSEE de commune (« 40312 »), « epci:SIREN » "
            "(« epci:244000659 ») ou « es:INE » (« es:20045 ») ; absent si le lieu n'est pas fixé",
        ),
    ] = None
    target_public: Annotated[
        str, Field(max_length=MAX_TEXT, description="Public visé (texte libre, compte dans la comparaison)")
    ] = ""

    def proposal(self) -> Proposal:
        return Proposal(
            title=self.title,
            description=self.description,
            fields=tuple(self.fields),
            services=tuple(self.services),
            territory=tuple(self.territory or ()),
            target_public=self.target_public,
        )


class VerdictPublic(BaseModel):
    code: Literal["doublon", "chevauchement-partiel", "complementaire", "nouveau"]
    label: str
    sentence: str


class ServiceEvidencePublic(BaseModel):
    service: ConceptRef
    found: ConceptRef
    weight: float
    how: Literal["offre", "cite"]


class EvidencePublic(BaseModel):
    shared_fields: list[ConceptRef]
    related_fields: list[ConceptRef]
    services: list[ServiceEvidencePublic]
    words: list[str]
    distance_km: float | None
    same_territory: bool
    place: str


class MatchPublic(BaseModel):
    kind: Literal["actor", "project"]
    id: str
    name: str
    url: str | None
    score: float
    components: dict[str, float | None]
    evidence: EvidencePublic
    sentence: str


class ActorRefPublic(BaseModel):
    id: str
    name: str


class NeedMetPublic(BaseModel):
    need: ConceptRef
    service: ConceptRef
    weight: float
    actors: list[ActorRefPublic]
    sentence: str


class ProjectCheckPublic(BaseModel):
    verdict: VerdictPublic
    matches: list[MatchPublic]
    count: int
    needs_met: list[NeedMetPublic]
    territory: list[PlaceRef]


def _concept(index: NetworkIndex, iri: str, lang: str) -> ConceptRef:
    return ConceptRef(key=key_of(str(iri)), iri=str(iri), label=label(index, iri, lang))


def match_public(index: NetworkIndex, match: Match, lang: str) -> MatchPublic:
    evidence = match.evidence
    return MatchPublic(
        kind=match.kind,
        id=match.key,
        name=match.label,
        url=f"/actors/{match.key}" if match.kind == "actor" else f"/id/project/{match.key}",
        score=round(match.score, 6),
        components={k: None if v is None else round(v, 6) for k, v in match.components.items()},
        evidence=EvidencePublic(
            shared_fields=[_concept(index, c, lang) for c in evidence.shared_fields],
            related_fields=[_concept(index, c, lang) for c in evidence.related_fields],
            services=[
                ServiceEvidencePublic(
                    service=_concept(index, s.service, lang),
                    found=_concept(index, s.found, lang),
                    weight=s.weight,
                    how=s.how,
                )
                for s in evidence.services
            ],
            words=list(evidence.words),
            distance_km=None if evidence.distance_km is None else round(evidence.distance_km, 1),
            same_territory=evidence.same_territory,
            place=evidence.place,
        ),
        sentence=match.sentence(index, lang),
    )


def need_public(index: NetworkIndex, need: NeedMet, lang: str) -> NeedMetPublic:
    return NeedMetPublic(
        need=_concept(index, need.need, lang),
        service=_concept(index, need.service, lang),
        weight=need.weight,
        actors=[ActorRefPublic(id=key, name=index.actor(key).label) for key in need.actors],
        sentence=need.sentence(index, lang),
    )


def check_public(index: NetworkIndex, result: ProjectCheck, lang: str = "fr") -> ProjectCheckPublic:
    """The public shape of a check (also what `maillage check --json` prints)."""
    verdict = result.verdict
    return ProjectCheckPublic(
        verdict=VerdictPublic(
            code=verdict.code, label=verdict.label(lang), sentence=verdict.sentence(index, lang)
        ),
        matches=[match_public(index, m, lang) for m in result.matches],
        count=result.count,
        needs_met=[need_public(index, n, lang) for n in result.needs_met],
        territory=[PlaceRef(code=p.code, iri=str(p.iri), label=p.label) for p in result.places],
    )


@router.post(
    "/api/projects/check",
    response_model=ProjectCheckPublic,
    summary="Vérifier un projet commun proposé : doublon, chevauchement, complémentarité",
    description=(
        "Compare le projet proposé à chaque projet existant et à chaque membre public (domaines, services, "
        "texte, territoire ; formules dans docs/decisions/20261128-project-check.md) et rend un verdict : "
        "« doublon » (score ≥ 0,60 : nommé), « complémentaire » (un de ses services répond à un besoin que "
        "personne ne propose), « chevauchement partiel » (score ≥ 0,30) ou « nouveau ». Un domaine, une "
        "ressource ou un territoire inconnu donne une erreur 422 qui le nomme."
    ),
)
def check(
    body: ProposalBody,
    index: IndexDep,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=100, description="nombre de correspondances rendues")] = 10,
    lang: LangDep = "fr",
) -> ProjectCheckPublic:
    try:
        result = check_project(
            index, body.proposal(), limit=limit, territories=store_territories(index, state.store)
        )
    except ProposalError as error:
        raise APIError(
            422,
            str(error),
            details=[{"parametre": p.parameter, "valeur": p.value, "regle": p.rule} for p in error.problems],
        ) from None
    return check_public(index, result, lang)
