"""Turn index records into the API's public shapes (labels in the asked language, French by default)."""

from __future__ import annotations

from rdflib import URIRef

from maillage.api.errors import APIError
from maillage.api.schemas import (
    ActorDetail,
    ActorPublic,
    ConceptRef,
    FieldPublic,
    ParticipantPublic,
    PlaceRef,
    ProjectPublic,
    ProjectRef,
    ReasonPublic,
    SynergyPublic,
)
from maillage.graph.index import ActorRecord, NetworkIndex, ProjectRecord
from maillage.graph.synergies import Synergy
from maillage.ontology.iri import key_of


def label(index: NetworkIndex, concept: URIRef | str | None, lang: str = "fr") -> str:
    if concept is None:
        return ""
    record = index.concepts.get(URIRef(concept))
    if record is None:
        return key_of(str(concept))
    return record.labels.get(lang) or record.labels.get("fr") or key_of(str(concept))


def concept_ref(index: NetworkIndex, concept: URIRef | str | None, lang: str = "fr") -> ConceptRef | None:
    if concept is None:
        return None
    return ConceptRef(key=key_of(str(concept)), iri=str(concept), label=label(index, concept, lang))


def public_actor(index: NetworkIndex, key: str) -> ActorRecord:
    """The actor with this key, if the public may see it; else a 404 in the common shape."""
    row = index.position.get(key)
    if row is None or not index.actors[row].is_public:
        raise APIError(404, f"Acteur inconnu : « {key} »")
    return index.actors[row]


def actor_public(index: NetworkIndex, actor: ActorRecord, lang: str = "fr") -> ActorPublic:
    return ActorPublic(**_actor_fields(index, actor, lang))


def _actor_fields(index: NetworkIndex, actor: ActorRecord, lang: str) -> dict[str, object]:
    commune = (
        PlaceRef(code=key_of(str(actor.commune)), iri=str(actor.commune), label=actor.commune_label)
        if actor.commune
        else None
    )
    epci = (
        PlaceRef(code=key_of(str(actor.epci)), iri=str(actor.epci), label=actor.epci_label or "")
        if actor.epci
        else None
    )
    return {
        "id": actor.key,
        "iri": str(actor.iri),
        "name": actor.label,
        "type": concept_ref(index, actor.actor_type, lang),
        "fields": [concept_ref(index, c, lang) for c in actor.fields],
        "commune": commune,
        "epci": epci,
        "country": actor.country,
        "lat": actor.lat,
        "lon": actor.lon,
        "college": concept_ref(index, actor.college, lang),
        "description": actor.description,
        "url": f"/actors/{actor.key}",
    }


def actor_detail(index: NetworkIndex, actor: ActorRecord, lang: str = "fr") -> ActorDetail:
    projects = []
    for project in index.projects:
        for participant, role in project.participants:
            if participant == actor.key:
                projects.append(
                    ProjectRef(id=project.key, name=project.label, role=concept_ref(index, role, lang))
                )
    partners = sorted(
        other
        for pair in index.partnerships
        if actor.key in pair
        for other in pair
        if other != actor.key and index.actors[index.position[other]].is_public
    )
    return ActorDetail(
        **_actor_fields(index, actor, lang),
        offers=[concept_ref(index, c, lang) for c in actor.offers],
        needs=[concept_ref(index, c, lang) for c in actor.needs],
        projects=projects,
        partners=partners,
        homepage=str(actor.homepage) if actor.homepage else None,
    )


def synergy_public(index: NetworkIndex, synergy: Synergy, lang: str = "fr") -> SynergyPublic:
    return SynergyPublic(
        kind=synergy.kind,
        source=synergy.source,
        target=synergy.target,
        source_name=index.actors[index.position[synergy.source]].label,
        target_name=index.actors[index.position[synergy.target]].label,
        score=round(synergy.score, 6),
        components={k: round(v, 6) for k, v in synergy.components.items()},
        distance_km=round(synergy.distance_km, 1) if synergy.distance_km is not None else None,
        cross_border=synergy.cross_border,
        sentence=synergy.sentence(index, lang=lang),
        reasons=[
            ReasonPublic(
                kind=reason.kind,
                concepts=[concept_ref(index, c, lang) for c in reason.concepts],
                weight=round(reason.weight, 6),
                sentence=reason.sentence(index, lang=lang),
            )
            for reason in synergy.reasons
        ],
    )


def project_public(index: NetworkIndex, project: ProjectRecord, lang: str = "fr") -> ProjectPublic:
    participants = [
        ParticipantPublic(
            actor=key, name=index.actors[index.position[key]].label, role=concept_ref(index, role, lang)
        )
        for key, role in project.participants
        if key in index.position and index.actors[index.position[key]].is_public
    ]
    return ProjectPublic(
        id=project.key,
        iri=str(project.iri),
        name=project.label,
        description=project.description,
        fields=[concept_ref(index, c, lang) for c in project.fields],
        status=concept_ref(index, project.status, lang),
        start=str(project.start) if project.start else None,
        end=str(project.end) if project.end else None,
        participants=participants,
    )


def field_public(index: NetworkIndex, concept: URIRef, counts: dict[URIRef, int]) -> FieldPublic:
    record = index.concepts[concept]
    return FieldPublic(
        key=key_of(str(concept)),
        iri=str(concept),
        labels=dict(record.labels),
        broader=[key_of(str(b)) for b in record.broader],
        actors=counts.get(concept, 0),
    )
