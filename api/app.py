"""The FastAPI application factory: routers, error shape, static files, one store."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from maillage import __version__
from maillage.api.errors import install_error_handlers
from maillage.api.routers import (
    actors,
    catalogue,
    imports,
    linked_data,
    login,
    network,
    overlaps,
    pages,
    pages_board,
    pages_check,
    project_check,
    synergies,
)
from maillage.api.session import CSRFMiddleware
from maillage.api.state import AppState
from maillage.graph.stores.base import Store
from maillage.graph.tokens import TokenStore
from maillage.viz.network import static_dir

DESCRIPTION = """Maillage : le graphe de connaissances d'un réseau de coopération territoriale.

Toutes les erreurs ont la même forme : `{"error": {"status", "code", "message", "details"}}`.
Les listes ont la forme `{"data": [...], "count": n}` (`count` compte tous les résultats, avant `limit`).
Les écritures (imports) demandent un jeton : `Authorization: Bearer <jeton>` (`maillage token create`)."""


def create_app(store: Store, *, tokens: TokenStore | None = None) -> FastAPI:
    """An application serving `store` (the caller owns and closes it).

    `tokens` holds the API tokens (`maillage token create`); without it every route that writes answers 401.
    """
    app = FastAPI(
        title="Maillage", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None
    )
    app.state.maillage = AppState(store=store)
    app.state.tokens = tokens
    install_error_handlers(app)
    app.add_middleware(CSRFMiddleware)
    for router in (
        actors.router,
        synergies.router,
        overlaps.router,
        project_check.router,
        network.router,
        catalogue.router,
        imports.router,
        linked_data.router,
        pages.router,
        pages_check.router,
        pages_board.router,
        login.router,
    ):
        app.include_router(router)
    app.mount(
        "/static/swagger-ui", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger-ui"
    )

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        # Served from the swagger-ui-bundle package: the docs page works offline.
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Maillage — API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )

    app.mount("/static/viz", StaticFiles(directory=str(static_dir())), name="viz-static")
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static"
    )
    return app
