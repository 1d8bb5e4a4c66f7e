"""The project-check page (/verifier-un-projet): the form, then the verdict with its evidence.

A GET form on purpose: checking changes nothing, and the address of an answer can be shared in a
meeting's minutes (it holds the whole proposal).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from maillage.api.deps import IndexDep, StateDep
from maillage.api.i18n import _, current_language
from maillage.api.present import label
from maillage.api.routers.project_check import check_public
from maillage.api.templating import render_page
from maillage.graph.folding import fold
from maillage.graph.index import NetworkIndex
from maillage.graph.project_check import Proposal, ProposalError, check_project, store_territories
from maillage.graph.project_check.proposal import MAX_ITEMS, MAX_TEXT, MAX_TITLE
from maillage.ontology.iri import key_of

router = APIRouter(tags=["pages"], include_in_schema=False)

SHOWN = 10
"""Matches the page lists, best first; the heading says how many there are in all. No paging: the verdict
rests on the best ones, the rest score lower and lower, and the API (`limit` up to 100) gives more."""


def concept_choices(index: NetworkIndex, scheme_part: str, *, lang: str = "fr") -> list[tuple[str, str]]:
    """(key, label in `lang`) of every concept of a scheme the index knows, in reading order."""
    found = {
        key_of(str(iri)): label(index, iri, lang)
        for iri in index.concepts
        if f"/concept/{scheme_part}/" in str(iri)
    }
    return sorted(found.items(), key=lambda item: fold(item[1]))


def territory_choices(index: NetworkIndex) -> list[tuple[str, str]]:
    """The EPCI and Spanish municipalities where public actors are, as the check names them (the country
    of a Spanish one in the page's language)."""
    found: dict[str, str] = {}
    for actor in index.actors:
        if not actor.is_public:
            continue
        if actor.epci is not None:
            found[f"epci:{key_of(str(actor.epci))}"] = actor.epci_label
        elif actor.country == "ES" and actor.commune is not None:
            found[f"es:{key_of(str(actor.commune))}"] = _(
                "%(commune)s (Espagne)", commune=actor.commune_label
            )
    return sorted(found.items(), key=lambda item: fold(item[1]))


@router.get("/verifier-un-projet", response_class=HTMLResponse)
def project_check_page(
    request: Request,
    index: IndexDep,
    state: StateDep,
    titre: Annotated[str, Query(max_length=MAX_TITLE)] = "",
    description: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    domaines: Annotated[list[str], Query(max_length=MAX_ITEMS)] = [],  # noqa: B006 - FastAPI copies it
    services: Annotated[list[str], Query(max_length=MAX_ITEMS)] = [],  # noqa: B006
    territoires: Annotated[list[str], Query(max_length=MAX_ITEMS)] = [],  # noqa: B006
    public: Annotated[str, Query(max_length=MAX_TEXT)] = "",
) -> HTMLResponse:
    """The form; with a title, the check of the proposal: verdict, matches with evidence, needs met, in
    the page's language (the rules a refused proposal breaks come from the check, in French)."""
    lang = current_language()
    asked = {
        "titre": titre,
        "description": description,
        "domaines": domaines,
        "services": services,
        "territoires": [t for t in territoires if t],
        "public": public,
    }
    result = None
    problems: list[str] = []
    status = 200
    if titre.strip():
        if not domaines:
            problems.append(_("Choisissez au moins un domaine d'action."))
        else:
            proposal = Proposal(
                title=titre,
                description=description,
                fields=tuple(domaines),
                services=tuple(services),
                territory=tuple(asked["territoires"]),
                target_public=public,
            )
            try:
                checked = check_project(
                    index, proposal, limit=SHOWN, territories=store_territories(index, state.store)
                )
                result = check_public(index, checked, lang)
            except ProposalError as error:
                problems += [f"{p.parameter} « {p.value} » : {p.rule}" for p in error.problems]
        status = 422 if problems else 200
    return render_page(
        request,
        "check.html",
        status_code=status,
        asked=asked,
        fields=concept_choices(index, "field", lang=lang),
        resources=concept_choices(index, "resource", lang=lang),
        places=territory_choices(index),
        result=result,
        problems=problems,
    )
