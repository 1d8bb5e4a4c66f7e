"""The FastAPI application factory: routers, error shape, static files, one store."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import swagger_ui
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from maillage import __version__
from maillage.api.errors import install_error_handlers
from maillage.api.headers import SecurityHeadersMiddleware
from maillage.api.i18n import LanguageMiddleware
from maillage.api.limits import BodyLimitMiddleware
from maillage.api.routers import (
    actors,
    admin,
    catalogue,
    edit_actors,
    edit_concepts,
    edit_projects,
    imports,
    language,
    linked_data,
    login,
    network,
    overlaps,
    pages,
    pages_board,
    pages_check,
    pages_edit,
    pages_import,
    pages_projects,
    pages_taxonomy,
    project_check,
    sparql,
    synergies,
)
from maillage.api.session import CSRFMiddleware
from maillage.api.state import AppState, warm
from maillage.graph.privacy import Audience
from maillage.graph.sparql import SparqlEndpoint, SparqlLimits
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from maillage.viz.network import static_dir

log = logging.getLogger("maillage.api")

DESCRIPTION = """Maillage : le graphe de connaissances d'un réseau de coopération territoriale.

Toutes les erreurs ont la même forme : `{"error": {"status", "code", "message", "details"}}`.
Les listes ont la forme `{"data": [...], "count": n}` (`count` compte tous les résultats, avant `limit`).
Les écritures demandent un jeton : `Authorization: Bearer <jeton>` (`maillage token create`) ; modifier ou
supprimer une entité demande aussi sa version (en-tête `ETag`) en `If-Match` : 428 sans, 412 si périmée."""


DOCS_PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/swagger-ui/favicon-32x32.png">
<title>Maillage — API</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def warm_up(app: FastAPI, *, sparql: bool = True) -> tuple[threading.Thread, ...]:
    """Start, in the background, what the first requests to a server just started would otherwise wait
    for: the analysis index and what its first requests compute (`warm`: the network maxima of the
    synergies, 4 s at 25,000 actors, the explorer's default view, the search texts), and, if `sparql`, the
    public SPARQL snapshot (`SparqlEndpoint.prepare`); the threads started. `maillage serve` calls it
    (`MAILLAGE_SPARQL_AT_START`)."""

    def build() -> None:
        try:
            warm(app.state.maillage.index())
        except Exception:  # the first request builds it and reports the error
            log.exception("Construction de l'index d'analyse au démarrage en échec")

    snapshot = (app.state.sparql.prepare(Audience.PUBLIC),) if sparql else ()
    index = threading.Thread(target=build, name="maillage-index-first", daemon=True)
    index.start()
    return (index, *snapshot)


def create_app(
    store: Store, *, tokens: TokenStore | None = None, sparql_limits: SparqlLimits | None = None
) -> FastAPI:
    """An application serving `store` (the caller owns and closes it).

    `tokens` holds the API tokens (`maillage token create`); without it every route that writes answers 401.
    `sparql_limits` bounds the queries of ``/sparql`` (`maillage.settings`: ``MAILLAGE_SPARQL_*``).
    """
    app = FastAPI(
        title="Maillage", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None
    )
    app.state.maillage = AppState(store=store)
    app.state.tokens = tokens
    app.state.sparql = SparqlEndpoint(store, limits=sparql_limits, index=app.state.maillage.index)
    install_error_handlers(app)
    app.add_middleware(CSRFMiddleware)
    app.add_middleware(LanguageMiddleware)  # before the CSRF refusal pages and the error pages
    app.add_middleware(BodyLimitMiddleware)  # outside the CSRF check, which reads urlencoded forms
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: also on the CSRF refusals
    for router in (
        actors.router,
        edit_actors.router,
        synergies.router,
        overlaps.router,
        project_check.router,
        edit_projects.router,
        edit_concepts.router,
        network.router,
        catalogue.router,
        admin.router,
        imports.router,
        linked_data.router,
        sparql.router,
        pages.router,
        pages_edit.router,
        pages_check.router,
        pages_board.router,
        pages_import.router,
        pages_projects.router,
        pages_taxonomy.router,
        login.router,
        language.router,
    ):
        app.include_router(router)
    app.mount(
        "/static/swagger-ui",
        StaticFiles(directory=str(Path(swagger_ui.__file__).resolve().parent / "static")),
        name="swagger-ui",
    )

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        # Served from the swagger-ui-bundle package (offline), started by a static file (no inline script).
        return HTMLResponse(DOCS_PAGE)

    app.mount("/static/viz", StaticFiles(directory=str(static_dir())), name="viz-static")
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static"
    )
    return app
