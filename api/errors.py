"""One JSON error shape for every error: ``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

CODES = {
    400: "requete_invalide",
    404: "introuvable",
    405: "methode_non_permise",
    406: "format_non_disponible",
    413: "trop_volumineux",
    422: "parametre_invalide",
    500: "erreur_interne",
}


class APIError(Exception):
    """Raised by routes; rendered in the common error shape."""

    def __init__(self, status: int, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "erreur"),
            "message": message,
            "details": details or [],
        }
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def api_error(_request: Request, error: APIError) -> JSONResponse:
        return JSONResponse(error_body(error.status, error.message, error.details), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {
                "parametre": ".".join(str(part) for part in item["loc"][1:]) or str(item["loc"][0]),
                "valeur": item.get("input"),
                "regle": item["msg"],
            }
            for item in error.errors()
        ]
        message = "Paramètre invalide : " + "; ".join(f"{d['parametre']} ({d['regle']})" for d in details)
        return JSONResponse(error_body(422, message, details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = {404: "Adresse introuvable", 405: "Méthode non permise"}.get(
            error.status_code, str(error.detail)
        )
        return JSONResponse(error_body(error.status_code, message), status_code=error.status_code)
