"""The common projects' pages: the list (/projets, filtered by status and field) and one project
(/projets/{id}), public data only — participants who are persons without consent are never named."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from rdflib import URIRef
from rdflib.namespace import SKOS

from maillage.api.auth import CallerDep
from maillage.api.deps import IndexDep, StateDep
from maillage.api.errors import APIError
from maillage.api.i18n import N_, current_language, translate
from maillage.api.present import label
from maillage.api.routers.pages import page_actor
from maillage.api.search import narrower_closure
from maillage.api.templating import render_page
from maillage.graph.export import project_jsonld
from maillage.graph.folding import fold
from maillage.graph.index import NetworkIndex, ProjectRecord, actor_links
from maillage.graph.project_check import (
    DUPLICATE_THRESHOLD,
    OVERLAP_THRESHOLD,
    Proposal,
    ProposalError,
    check_project,
    store_territories,
)
from maillage.graph.stores.base import Store
from maillage.ingest.provenance import read_provenance
from maillage.ontology.iri import key_of
from maillage.ontology.vocab import MAI

router = APIRouter(tags=["pages"], include_in_schema=False)

OVERLAPS_SHOWN = 5
"""Members and other projects listed as already doing part of what a project does."""
DUPLICATE, PARTIAL_OVERLAP = N_("doublon"), N_("chevauchement partiel")
"""How close a member or another project is, beside its score (translated when shown)."""


def public_participants(
    index: NetworkIndex, project: ProjectRecord, *, lang: str = "fr"
) -> list[dict[str, str]]:
    """The project's participants the public may see, with their role in `lang`, by name."""
    found = []
    for key, role in project.participants:
        row = index.position.get(key)
        if row is not None and index.actors[row].is_public:
            found.append({"key": key, "name": index.actors[row].label, "role": label(index, role, lang)})
    return sorted(found, key=lambda p: fold(p["name"]))


def project_territories(store: Store, project: ProjectRecord) -> list[tuple[URIRef, str]]:
    """(IRI, name) of the territories the project declares (`mai:territory`), by name. Two lookups each."""
    found = []
    for _s, _p, territory in store.triples(project.iri, MAI.territory):
        if isinstance(territory, URIRef):
            name = store.value(territory, SKOS.prefLabel)
            found.append((territory, str(name) if name is not None else key_of(str(territory))))
    return sorted(found, key=lambda item: fold(item[1]))


def _summary(index: NetworkIndex, store: Store, project: ProjectRecord, lang: str) -> dict[str, object]:
    return {
        "key": project.key,
        "name": project.label,
        "status": label(index, project.status, lang),
        "status_key": key_of(str(project.status)) if project.status else "",
        "fields": [{"key": key_of(str(f)), "label": label(index, f, lang)} for f in project.fields],
        "territories": [name for _iri, name in project_territories(store, project)],
        "participants": len(public_participants(index, project)),
        "start": project.start.strftime("%d/%m/%Y") if project.start else "",
        "end": project.end.strftime("%d/%m/%Y") if project.end else "",
    }


#: Projects listed per page of the list. The 25,000-actor network has 6,250: listed on one page, with the
#: territories of each read from the store, that page weighed 2.7 MB and took 1.2–2.1 s.
PROJECTS_PAGE_SIZE = 30


@router.get("/projets", response_class=HTMLResponse)
def projects_page(
    request: Request,
    index: IndexDep,
    state: StateDep,
    caller: CallerDep,
    statut: Annotated[str | None, Query(max_length=100)] = None,
    domaine: Annotated[str | None, Query(max_length=100)] = None,
    acteur: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Every common project of the network, newest first, `PROJECTS_PAGE_SIZE` a page; a status, a field
    (sub-fields included) or a participant narrows the list, and each choice shows how many projects it
    would keep. Labels in the page's language. A participant the caller may not see is a 404, as their
    page is (`page_actor`)."""
    lang = current_language()
    projects = list(index.projects)
    participant = page_actor(index, acteur, caller) if acteur else None
    if participant is not None:
        taken = dict.fromkeys(key for key, _role in actor_links(index, participant.key).projects)  # once each
        projects = [index.projects[index.project_position[key]] for key in taken]
    if domaine:
        fields = narrower_closure(index, domaine, "field")
        projects = [p for p in projects if fields.intersection(p.fields)]
    statuses = Counter(p.status for p in projects if p.status is not None)
    if statut:
        projects = [p for p in projects if p.status is not None and key_of(str(p.status)) == statut]
    field_counts = Counter(f for p in projects for f in set(p.fields))
    projects.sort(key=lambda p: (p.start.isoformat() if p.start else "", p.key), reverse=True)
    pages = max(1, -(-len(projects) // PROJECTS_PAGE_SIZE))
    shown = projects[(page - 1) * PROJECTS_PAGE_SIZE : page * PROJECTS_PAGE_SIZE]
    return render_page(
        request,
        "projects.html",
        projects=[_summary(index, state.store, p, lang) for p in shown],
        count=len(projects),
        total=len(index.projects),
        page=page,
        pages=pages,
        first=(page - 1) * PROJECTS_PAGE_SIZE + 1,  # the list's numbering goes on from the previous page
        statut=statut or "",
        domaine=domaine or "",
        acteur=participant.key if participant is not None else "",
        acteur_label=participant.label if participant is not None else "",
        domaine_label=_field_label(index, domaine, lang) if domaine else "",
        statuses=sorted(
            ((key_of(str(s)), label(index, s, lang), n) for s, n in statuses.items()),
            key=lambda v: fold(v[1]),
        ),
        fields=sorted(
            ((key_of(str(f)), label(index, f, lang), n) for f, n in field_counts.items()),
            key=lambda v: (-v[2], fold(v[1])),
        ),
    )


def _field_label(index: NetworkIndex, key: str, lang: str) -> str:
    for iri in index.concepts:
        if "/concept/field/" in str(iri) and key_of(str(iri)) == key:
            return label(index, iri, lang)
    return key


def overlaps_of(
    index: NetworkIndex,
    store: Store,
    project: ProjectRecord,
    territories: list[tuple[URIRef, str]],
    *,
    lang: str = "fr",
) -> list[dict[str, object]]:
    """The project check run on the project itself: the members (not its participants) and other projects
    that score above the overlap threshold, each with its word (doublon / chevauchement partiel) and why,
    in `lang`.

    Cost: one project check (a sparse product per component over all actors and projects).
    """
    proposal = Proposal(
        project.label,
        description=project.description,
        fields=tuple(key_of(str(f)) for f in project.fields),
        territory=tuple(str(iri) for iri, _name in territories),
    )
    try:
        checked = check_project(
            index, proposal, limit=OVERLAPS_SHOWN * 4, territories=store_territories(index, store)
        )
    except ProposalError:  # a project without field (or with a territory the check cannot place)
        return []
    own = {key for key, _role in project.participants}
    found = []
    for match in checked.matches:
        if (match.kind == "project" and match.key == project.key) or (
            match.kind == "actor" and match.key in own
        ):
            continue
        if match.score < OVERLAP_THRESHOLD or len(found) == OVERLAPS_SHOWN:
            break
        found.append(
            {
                "kind": match.kind,
                "key": match.key,
                "name": match.label,
                "score": match.score,
                "word": translate(DUPLICATE if match.score >= DUPLICATE_THRESHOLD else PARTIAL_OVERLAP, lang),
                "sentence": match.sentence(index, lang),
            }
        )
    return found


@router.get("/projets/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: str, index: IndexDep, state: StateDep) -> HTMLResponse:
    """One project: description, status and dates, fields, territories, public participants and their
    roles, what members and other projects already do alike, and where the data comes from; labels and
    sentences in the page's language."""
    lang = current_language()
    row = index.project_position.get(project_id)
    if row is None:
        raise APIError(404, f"Projet inconnu : « {project_id} »")
    project = index.projects[row]
    territories = project_territories(state.store, project)
    return render_page(
        request,
        "project.html",
        project=_summary(index, state.store, project, lang),
        description=project.description,
        participants=public_participants(index, project, lang=lang),
        overlaps=overlaps_of(index, state.store, project, territories, lang=lang),
        provenance=read_provenance(state.store, project.iri),
        jsonld=project_jsonld(index, project, territories=territories),
    )
