"""Turn index records into the API's public shapes (labels in the asked language, French by default)."""

from __future__ import annotations

from typing import cast

from rdflib import URIRef
from rdflib.namespace import SDO

from maillage.api.errors import APIError
from maillage.api.schemas import (
    ActorDetail,
    ActorPublic,
    ActorRef,
    BridgePublic,
    ConceptRef,
    FieldPublic,
    LinkPublic,
    MemberPublic,
    PairKind,
    ParticipantPublic,
    PlaceRef,
    PoolingPublic,
    ProjectName,
    ProjectPublic,
    ProjectRef,
    ReasonPublic,
    SynergyPublic,
)
from maillage.graph.index import ActorRecord, NetworkIndex, ProjectRecord, actor_links
from maillage.graph.privacy import Audience, withheld_properties
from maillage.graph.stores.base import Store
from maillage.graph.synergies import SHARED_NEED, Bridge, Pooling, Reason, Synergy
from maillage.ontology.iri import key_of
from maillage.ontology.vocab import MAI

#: The contact fields of an actor's detail and the property each reads (their levels are the ontology's).
CONTACT_FIELDS = {"email": SDO.email, "telephone": SDO.telephone, "internal_note": MAI.internalNote}


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
    links = actor_links(index, actor.key)
    projects = [
        ProjectRef(
            id=key,
            name=index.projects[index.project_position[key]].label,
            role=concept_ref(index, role, lang),
        )
        for key, role in links.projects
    ]
    partners = [other for other in links.partners if index.actors[index.position[other]].is_public]
    return ActorDetail(
        **_actor_fields(index, actor, lang),
        offers=[concept_ref(index, c, lang) for c in actor.offers],
        needs=[concept_ref(index, c, lang) for c in actor.needs],
        projects=projects,
        partners=partners,
        homepage=str(actor.homepage) if actor.homepage else None,
    )


def actor_contacts(store: Store, actor: ActorRecord, audience: Audience) -> dict[str, str | None]:
    """The contact fields of a visible actor that `audience` may see (`maillage.graph.privacy`), the
    others None. The public may see none of them: its answer reads nothing from the store.

    Cost: one pattern read per field shown, none for the public.
    """
    withheld = withheld_properties(audience)
    found: dict[str, str | None] = dict.fromkeys(CONTACT_FIELDS)
    for name, prop in CONTACT_FIELDS.items():
        if prop not in withheld:
            value = store.value(actor.iri, prop)
            found[name] = str(value) if value is not None else None
    return found


#: Offerers listed in a pooling reason (the sentence names fewer; `offerers_count` counts them all): at
#: 25,000 actors a resource has hundreds, and listing them all made a synergy answer 7 times slower.
OFFERERS_LISTED = 20


def actor_ref(index: NetworkIndex, key: str) -> ActorRef:
    return ActorRef(id=key, name=index.actors[index.position[key]].label)


def reason_public(index: NetworkIndex, reason: Reason, lang: str = "fr") -> ReasonPublic:
    return ReasonPublic(
        kind=reason.kind,
        concepts=[ref for c in reason.concepts if (ref := concept_ref(index, c, lang)) is not None],
        weight=round(reason.weight, 6),
        sentence=reason.sentence(index, lang=lang),
        actors=[actor_ref(index, k) for k in reason.actors],
        links=[
            LinkPublic(
                source=link.source,
                target=link.target,
                projects=[
                    ProjectName(id=p, name=index.projects[index.project_position[p]].label)
                    for p in link.projects
                ],
                partnership=link.partnership,
            )
            for link in reason.links
        ],
        demand=reason.demand if reason.kind == SHARED_NEED else None,
        offerers=[actor_ref(index, k) for k in reason.offerers[:OFFERERS_LISTED]],
        offerers_count=len(reason.offerers) if reason.kind == SHARED_NEED else None,
    )


def synergy_public(index: NetworkIndex, synergy: Synergy, lang: str = "fr") -> SynergyPublic:
    return SynergyPublic(
        kind=cast(PairKind, synergy.kind),
        source=synergy.source,
        target=synergy.target,
        source_name=index.actors[index.position[synergy.source]].label,
        target_name=index.actors[index.position[synergy.target]].label,
        score=round(synergy.score, 6),
        components={k: round(v, 6) for k, v in synergy.components.items()},
        kinds=list(synergy.kinds),
        distance_km=round(synergy.distance_km, 1) if synergy.distance_km is not None else None,
        cross_border=synergy.cross_border,
        sentence=synergy.sentence(index, lang=lang),
        reasons=[reason_public(index, reason, lang) for reason in synergy.reasons],
    )


def pooling_public(index: NetworkIndex, pooling: Pooling, lang: str = "fr") -> PoolingPublic:
    members = [index.actors[index.position[k]] for k in pooling.members]
    resource = concept_ref(index, pooling.resource, lang)
    assert resource is not None
    sentence = pooling.sentence(index, lang=lang)
    return PoolingPublic(
        kind="mutualisation",
        resource=resource,
        centre=actor_ref(index, pooling.centre),
        members=[
            MemberPublic(id=a.key, name=a.label, commune=a.commune_label, country=a.country) for a in members
        ],
        score=round(pooling.score, 6),
        components={k: round(v, 6) for k, v in pooling.components.items()},
        kinds=list(pooling.kinds),
        demand=pooling.demand,
        supply=round(pooling.supply, 6),
        rarity=round(pooling.rarity, 6),
        offerers=[actor_ref(index, k) for k in pooling.offerers],
        span_km=round(pooling.span_km, 1) if pooling.span_km is not None else None,
        cross_border=pooling.cross_border,
        sentence=sentence,
        reasons=[
            ReasonPublic(
                kind=SHARED_NEED,
                concepts=[resource],
                weight=round(pooling.rarity, 6),
                sentence=sentence,
                actors=[actor_ref(index, k) for k in pooling.members],
                demand=pooling.demand,
                offerers=[actor_ref(index, k) for k in pooling.offerers],
            )
        ],
    )


def synergy_item(
    index: NetworkIndex, item: Synergy | Pooling, lang: str = "fr"
) -> SynergyPublic | PoolingPublic:
    """A pair or a pooling group, in its public shape."""
    if isinstance(item, Pooling):
        return pooling_public(index, item, lang)
    return synergy_public(index, item, lang)


def bridge_public(index: NetworkIndex, bridge: Bridge, lang: str = "fr") -> BridgePublic:
    actor = index.actors[index.position[bridge.actor]]
    return BridgePublic(
        actor=actor.key,
        name=actor.label,
        country=actor.country,
        score=round(bridge.score, 6),
        same_side=[actor_ref(index, k) for k in bridge.same_side],
        other_side=[actor_ref(index, k) for k in bridge.other_side],
        projects=[
            ProjectName(id=p, name=index.projects[index.project_position[p]].label) for p in bridge.projects
        ],
        sentence=bridge.sentence(index, lang=lang),
        reasons=[reason_public(index, reason, lang) for reason in bridge.reasons],
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
