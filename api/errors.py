"""One JSON error shape for every error: ``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from maillage.api.i18n import N_, _, translate

CODES = {
    400: "requete_invalide",
    401: "non_authentifie",
    403: "interdit",
    404: "introuvable",
    405: "methode_non_permise",
    406: "format_non_disponible",
    409: "conflit",
    412: "version_perimee",
    413: "trop_volumineux",
    415: "type_non_pris_en_charge",
    422: "parametre_invalide",
    428: "version_requise",
    500: "erreur_interne",
    503: "service_indisponible",
    504: "delai_depasse",
}


class APIError(Exception):
    """Raised by routes; rendered in the common error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers or {}


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "erreur"),
            "message": message,
            "details": details or [],
        }
    }


#: FastAPI's own English messages, in French.
FRAMEWORK_TEXTS = {
    # a body json.loads cannot read, among them arrays nested 100,000 deep (RecursionError)
    "There was an error parsing the body": "Corps de la requête illisible : JSON mal formé ou imbriqué trop "
    "profondément",
}
TITLES = {
    404: N_("Page introuvable"),
    405: N_("Méthode non permise"),
    413: N_("Envoi trop volumineux"),
    422: N_("Demande invalide"),
}
"""The error page's heading per status (translated when shown; the JSON answer has none)."""


def error_response(
    request: Request, status: int, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    """The JSON error shape for the API; the same message as a page for a browser on a page route, in the
    page's language when the catalogue has the message (the JSON answer stays French)."""
    from maillage.api.templating import render_page, wants_html

    if wants_html(request):
        return render_page(
            request,
            "error.html",
            status_code=status,
            status=status,
            title=_(TITLES.get(status, N_("Erreur"))),
            message=translate(message),
        )
    return JSONResponse(error_body(status, message, details), status_code=status)


def _shown(value: Any) -> Any:
    """A refused value as JSON can carry it: a raw body (bytes, sent without a JSON content type) as text,
    cut to its first 200 characters — it would otherwise make the error answer itself fail (500)."""
    if isinstance(value, bytes | bytearray):
        text = bytes(value[:800]).decode("utf-8", errors="replace")
        return text[:200] + ("…" if len(text) > 200 or len(value) > 800 else "")
    return value


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def api_error(request: Request, error: APIError) -> Response:
        response = error_response(request, error.status, error.message, error.details)
        response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = [
            {
                "parametre": ".".join(str(part) for part in item["loc"][1:]) or str(item["loc"][0]),
                "valeur": _shown(item.get("input")),
                "regle": item["msg"],
            }
            for item in error.errors()
        ]
        message = "Paramètre invalide : " + "; ".join(f"{d['parametre']} ({d['regle']})" for d in details)
        return error_response(request, 422, message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = {404: N_("Adresse introuvable"), 405: N_("Méthode non permise")}.get(
            error.status_code, FRAMEWORK_TEXTS.get(str(error.detail), str(error.detail))
        )
        return error_response(request, error.status_code, message)
