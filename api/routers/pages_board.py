"""The synergy board (/opportunites): the network's best cooperation opportunities, explained, filtered.

The board an animator projects in a meeting: every item says who, on what, and why, in one sentence and
its reasons; filters by kind, field, resource, radius and the border; a GET form, so a view is a link.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from maillage.api.answers import kept_data
from maillage.api.deps import IndexDep, StateDep
from maillage.api.i18n import N_, _, current_language
from maillage.api.present import synergy_item
from maillage.api.routers.pages_check import concept_choices
from maillage.api.routers.synergies import filter_errors
from maillage.api.templating import render_page
from maillage.graph.synergies import KINDS, network_synergies

router = APIRouter(tags=["pages"], include_in_schema=False)

BOARD_PAGE_SIZE = 20
"""Opportunities shown per page of the board."""

BOARD_KEPT = 10 * BOARD_PAGE_SIZE
"""Opportunities ranked at once and kept (`kept_data`, until a write changes what the synergies read): ten
pages. A ranking is a scan of every pair of actors — 16 s at 25,000 actors, where the board computed it
again for every page shown, the next page as the same view asked again; now once per ten pages."""

KIND_NAMES = {
    "complementarite": N_("Besoin ↔ offre"),
    "mutualisation": N_("Mutualisation"),
    "affinite": N_("Affinité"),
    "triangle": N_("Triangle à fermer"),
}
"""The kinds of synergy in the animators' words, translated when shown (the API keeps its keys)."""

BoardKind = Literal["complementarite", "mutualisation", "affinite", "triangle"]


@router.get("/opportunites", response_class=HTMLResponse)
def board_page(
    request: Request,
    index: IndexDep,
    state: StateDep,
    type: Annotated[list[BoardKind], Query(max_length=4)] = [],  # noqa: A002, B006 - the page's word
    domaine: Annotated[str | None, Query(max_length=100)] = None,
    ressource: Annotated[str | None, Query(max_length=100)] = None,
    rayon: Annotated[float | None, Query(gt=0, le=500)] = None,
    transfrontalier: Annotated[bool, Query()] = False,
    nouveaux: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    """The best opportunities of the whole network, every kind ranked together (or the kinds chosen), with
    their sentences and labels in the page's language."""
    lang = current_language()
    kinds = tuple(k for k in KINDS if k in type) or KINDS
    first = (page - 1) * BOARD_PAGE_SIZE
    block = first // BOARD_KEPT  # the block of BOARD_KEPT items this page is in

    def ranked() -> dict[str, Any]:
        with filter_errors():
            items = network_synergies(
                index,
                kinds=kinds,
                limit=BOARD_KEPT,
                offset=block * BOARD_KEPT,
                field=domaine or None,
                resource=ressource or None,
                radius_km=rayon,
                cross_border_only=transfrontalier,
                exclude_linked=nouveaux,
            )
        return {
            "total": items.total,
            "items": [synergy_item(index, item, lang).model_dump(mode="json") for item in items],
        }

    question = ("board", kinds, domaine, ressource, rayon, transfrontalier, nouveaux, lang, block)
    kept = kept_data(state.answers, index, question, ranked)
    start = first - block * BOARD_KEPT
    chosen: dict[str, object] = {
        "type": list(type),
        "domaine": domaine,
        "ressource": ressource,
        "rayon": rayon,
        "transfrontalier": "true" if transfrontalier else None,
        "nouveaux": "true" if nouveaux else None,
    }
    return render_page(
        request,
        "board.html",
        items=kept["items"][start : start + BOARD_PAGE_SIZE],
        total=kept["total"],
        page=page,
        pages=max(1, -(-kept["total"] // BOARD_PAGE_SIZE)),
        first=first + 1,  # the list's numbering goes on from the previous page
        chosen={k: v for k, v in chosen.items() if v},
        kinds={key: _(name) for key, name in KIND_NAMES.items()},
        fields=concept_choices(index, "field", lang=lang),
        resources=concept_choices(index, "resource", lang=lang),
    )
