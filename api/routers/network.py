"""/api/network: the network's indicators — centralities, brokers, communities, periphery, paths, gaps,
evolution. Public view only (private persons and their links are left out before anything is computed)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from rdflib import URIRef

from maillage.api.deps import IndexDep, LangDep, StateDep
from maillage.api.errors import APIError
from maillage.api.network_schemas import (
    ActorMetricsPublic,
    ActorRefPublic,
    BetweennessErrorPublic,
    BrokerPage,
    BrokerPublic,
    CommunityPage,
    CommunityPublic,
    EvolutionPage,
    FieldGapPage,
    FieldGapPublic,
    GapsPublic,
    GroupPublic,
    MetricsPage,
    NeedGapPage,
    NeedGapPublic,
    PathPublic,
    PathStepPublic,
    PeripheralPage,
    PeripheralPublic,
    RelatedOfferPublic,
    SortKey,
    YearPublic,
)
from maillage.graph.index import NetworkIndex, UnknownActorError
from maillage.graph.metrics import (
    GroupCount,
    brokers,
    centralities,
    collaboration_path,
    communities,
    evolution,
    field_gaps,
    need_gaps,
    peripheral_actors,
    read_dated_network,
)
from maillage.graph.metrics.centrality import DEFAULT_SAMPLE_SOURCES, HOEFFDING_RISK
from maillage.ontology.iri import key_of

router = APIRouter(prefix="/api/network", tags=["réseau"])


def _actor(index: NetworkIndex, key: str) -> ActorRefPublic:
    return ActorRefPublic(id=key, name=index.actor(key).label)


def _concept(index: NetworkIndex, concept: URIRef, count: int = 0, lang: str = "fr") -> GroupPublic:
    return GroupPublic(
        key=key_of(str(concept)), iri=str(concept), label=index.concept_label(concept, lang), count=count
    )


def _group(index: NetworkIndex, group: GroupCount, lang: str) -> GroupPublic:
    if "/" in group.group:
        return _concept(index, URIRef(group.group), group.total, lang)
    return GroupPublic(key=group.group, iri=None, label=group.label(index, lang), count=group.total)


@router.get(
    "/metrics",
    response_model=MetricsPage,
    summary="Centralités des acteurs (degré, intermédiarité, vecteur propre)",
)
def network_metrics(
    index: IndexDep,
    sort: Annotated[SortKey, Query(description="centralité de tri : betweenness, degree ou eigenvector")] = (
        "betweenness"
    ),
    seed: Annotated[
        int, Query(ge=0, description="graine de l'échantillon (intermédiarité échantillonnée)")
    ] = 0,
    sources: Annotated[
        int,
        Query(
            ge=16, le=4096, description="acteurs de départ tirés quand l'intermédiarité est échantillonnée"
        ),
    ] = DEFAULT_SAMPLE_SOURCES,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> MetricsPage:
    result = centralities(index, seed=seed, sources=sources)
    ranked = result.ranked(sort)
    method = result.betweenness_method
    error = (
        None
        if method.exact
        else BetweennessErrorPublic(
            standard_error_max=method.max_error,
            standard_error_mean=method.mean_error,
            top_relative_error=method.top_relative_error,
            hoeffding_bound=method.hoeffding_bound,
            hoeffding_risk=HOEFFDING_RISK,
            batches=method.batches,
            sources=method.sources,
            seed=method.seed,
        )
    )
    return MetricsPage(
        data=[
            ActorMetricsPublic(
                id=a.key,
                name=index.actor(a.key).label,
                degree=a.degree,
                degree_centrality=round(a.degree_centrality, 6),
                betweenness=round(a.betweenness, 6),
                betweenness_error=round(a.betweenness_error, 6),
                eigenvector=round(a.eigenvector, 6),
            )
            for a in ranked[offset : offset + limit]
        ],
        count=len(ranked),
        sort=sort,
        method=method.method,
        error=error,
        sentence=method.sentence(lang),
        eigenvector_method=result.eigenvector_method,
        actors=result.n,
        links=result.m,
    )


@router.get(
    "/brokers",
    response_model=BrokerPage,
    summary="Acteurs passerelles entre domaines, collèges ou de part et d'autre de la frontière",
)
def network_brokers(
    index: IndexDep,
    dimension: Annotated[
        Literal["domaines", "colleges", "frontiere"], Query(description="domaines, colleges ou frontiere")
    ] = "domaines",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> BrokerPage:
    found = brokers(index, dimension=dimension)
    return BrokerPage(
        data=[
            BrokerPublic(
                id=b.key,
                name=index.actor(b.key).label,
                dimension=b.dimension,
                score=round(b.score, 6),
                degree=b.degree,
                own_groups=[
                    _group(index, GroupCount(g, sum(c.total for c in b.groups if c.group == g)), lang)
                    for g in b.own_groups
                ],
                groups=[_group(index, g, lang) for g in b.groups],
                sentence=b.sentence(index, lang),
            )
            for b in found[offset : offset + limit]
        ],
        count=len(found),
        dimension=dimension,
    )


@router.get(
    "/communities", response_model=CommunityPage, summary="Communautés (Leiden, graine fixée), décrites"
)
def network_communities(
    index: IndexDep,
    seed: Annotated[int, Query(ge=0, description="graine : même graine, mêmes communautés")] = 0,
    resolution: Annotated[float, Query(gt=0, le=100, description="résolution de la modularité")] = 1.0,
    min_size: Annotated[int, Query(ge=1, le=1000, description="taille minimale d'une communauté listée")] = 2,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> CommunityPage:
    result = communities(index, seed=seed, resolution=resolution, min_size=min_size)
    return CommunityPage(
        data=[
            CommunityPublic(
                number=c.number,
                size=c.size,
                members=[_actor(index, k) for k in c.members],
                internal_links=c.internal_links,
                density=round(c.density, 6),
                fields=[_group(index, g, lang) for g in c.fields],
                colleges=[_group(index, g, lang) for g in c.colleges],
                countries=[_group(index, g, lang) for g in c.countries],
                sentence=c.sentence(index, lang),
            )
            for c in result.communities[offset : offset + limit]
        ],
        count=len(result.communities),
        modularity=round(result.modularity, 6),
        seed=result.seed,
        resolution=result.resolution,
        iterations=result.iterations,
        left_out=result.left_out,
        method=result.method,
    )


@router.get(
    "/periphery", response_model=PeripheralPage, summary="Acteurs isolés et périphériques : qui associer"
)
def network_periphery(
    index: IndexDep,
    status: Annotated[
        Literal["isole", "hors-composante-principale", "peripherique"] | None,
        Query(description="isole, hors-composante-principale ou peripherique"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> PeripheralPage:
    found = peripheral_actors(index, status=status)
    return PeripheralPage(
        data=[
            PeripheralPublic(
                id=p.key,
                name=index.actor(p.key).label,
                status=p.status,
                degree=p.degree,
                coreness=p.coreness,
                component_size=p.component_size,
                contacts=[_actor(index, k) for k in p.contacts],
                suggestion_field=(
                    _concept(index, p.suggestion_field, lang=lang) if p.suggestion_field is not None else None
                ),
                suggestions=[_actor(index, k) for k in p.suggestions],
                sentence=p.sentence(index, lang),
            )
            for p in found[offset : offset + limit]
        ],
        count=len(found),
    )


@router.get(
    "/path", response_model=PathPublic, summary="Le plus court chemin de collaboration entre deux acteurs"
)
def network_path(
    index: IndexDep,
    source: Annotated[str, Query(alias="from", max_length=200, description="identifiant du premier acteur")],
    target: Annotated[str, Query(alias="to", max_length=200, description="identifiant du second acteur")],
    lang: LangDep = "fr",
) -> PathPublic:
    try:
        path = collaboration_path(index, source, target)
    except UnknownActorError as error:
        raise APIError(404, f"Acteur inconnu : « {error.key} »") from None
    return PathPublic(
        source=_actor(index, source),
        target=_actor(index, target),
        found=path.found,
        length=path.length,
        actors=[_actor(index, k) for k in path.actors],
        steps=[
            PathStepPublic(
                source=_actor(index, step.source),
                target=_actor(index, step.target),
                projects=[
                    ActorRefPublic(id=p, name=index.projects[index.project_position[p]].label)
                    for p in step.projects
                ],
                partnership=step.partnership,
                sentence=step.sentence(index, lang),
            )
            for step in path.steps
        ],
        sentence=path.sentence(index, lang),
    )


@router.get(
    "/gaps",
    response_model=GapsPublic,
    summary="Manques : besoins que personne ne couvre, domaines peu investis",
)
def network_gaps(
    index: IndexDep,
    max_actors: Annotated[int, Query(ge=0, le=100, description="domaines d'au plus ce nombre d'acteurs")] = 1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangDep = "fr",
) -> GapsPublic:
    needs = need_gaps(index)
    fields = field_gaps(index, max_actors=max_actors)
    return GapsPublic(
        needs=NeedGapPage(
            data=[
                NeedGapPublic(
                    resource=_concept(index, g.resource, len(g.needed_by), lang),
                    status=g.status,
                    needed_by=[_actor(index, k) for k in g.needed_by],
                    related_offers=[
                        RelatedOfferPublic(
                            concept=_concept(index, o.concept, len(o.actors), lang),
                            relation=o.relation,
                            actors=[_actor(index, k) for k in o.actors],
                        )
                        for o in g.related_offers
                    ],
                    sentence=g.sentence(index, lang),
                )
                for g in needs[offset : offset + limit]
            ],
            count=len(needs),
        ),
        fields=FieldGapPage(
            data=[
                FieldGapPublic(
                    field=_concept(index, g.field, len(g.actors), lang),
                    actors=[_actor(index, k) for k in g.actors],
                    sentence=g.sentence(index, lang),
                )
                for g in fields[offset : offset + limit]
            ],
            count=len(fields),
        ),
    )


@router.get("/evolution", response_model=EvolutionPage, summary="Les indicateurs du réseau année par année")
def network_evolution(
    index: IndexDep,
    state: StateDep,
    since: Annotated[
        int | None, Query(ge=1900, le=2200, description="première année (défaut : le début)")
    ] = None,
    until: Annotated[
        int | None, Query(ge=1900, le=2200, description="dernière année (défaut : l'année en cours)")
    ] = (None),
    lang: LangDep = "fr",
) -> EvolutionPage:
    last = until if until is not None else dt.date.today().year
    try:
        result = evolution(index, read_dated_network(state.store, index), since=since, until=last)
    except ValueError as error:
        raise APIError(
            422,
            str(error),
            details=[{"parametre": "until", "valeur": last, "regle": "au moins égal à since"}],
        ) from None
    return EvolutionPage(
        data=[
            YearPublic(
                year=y.year,
                members=y.members,
                joined=y.joined,
                left=y.left,
                charter_signatures=y.charter_signatures,
                projects=y.projects,
                participations=y.participations,
                partnerships=y.partnerships,
                actors=y.actors,
                links=y.links,
                density=round(y.density, 6),
                components=y.components,
                largest_component=y.largest_component,
                isolated=y.isolated,
                average_degree=round(y.average_degree, 6),
                sentence=y.sentence(lang),
            )
            for y in result.years
        ],
        count=len(result.years),
        start_year=result.start_year,
        undated=result.undated,
    )
