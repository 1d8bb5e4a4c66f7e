"""/sparql: the SPARQL 1.1 Protocol's query operation — read-only, bounded in time and size, and limited
to what the caller may see — with a form and a results table for browsers.

- ``GET /sparql?query=...``, ``POST`` of a form (``query=...``) or of the query itself
  (``application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` as the protocol says.
- Each caller queries what its role may see (`maillage.graph.privacy`): anonymous callers the public
  data, members also the e-mails and phones, animators and admins everything (`maillage.graph.sparql`).
  Updates are refused, whichever way they come.
- The answer's format follows ``Accept`` or the ``format`` parameter; the headers
  ``Maillage-Result-Limit``, ``Maillage-Results-Count`` and ``Maillage-Results-Truncated`` say whether
  it was cut at the result limit.
- Without a query: the form for a browser, the SPARQL Service Description (Turtle) for a program.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from maillage.api.auth import Caller, CallerDep
from maillage.api.errors import APIError
from maillage.api.i18n import N_, _, current_language
from maillage.api.routers.linked_data import negotiate
from maillage.api.templating import render_page, wants_html
from maillage.graph.export import FORMATS
from maillage.graph.sparql import (
    RESULT_FORMATS,
    SparqlAnswer,
    SparqlEndpoint,
    SparqlError,
    service_description,
)
from maillage.ontology.iri import DATA_BASE
from maillage.viz.texts import format_count

router = APIRouter(tags=["données liées"])

QUERY_MEDIA = "application/sparql-query"
FORM_MEDIA = "application/x-www-form-urlencoded"
UPDATE_MEDIA = "application/sparql-update"
#: What the results page asks the worker for: JSON results, or Turtle for CONSTRUCT / DESCRIBE.
PAGE_ACCEPT = "application/sparql-results+json, text/turtle"
UPDATE_REFUSED = (
    "Mise à jour refusée : ce point d'accès SPARQL est en lecture seule ; il n'accepte que SELECT, ASK, "
    "CONSTRUCT et DESCRIBE"
)
#: The results format of the page itself, first in the form's choice of formats.
PAGE_FORMAT = N_("Tableau (page)")
FormatName = Literal["json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "rdfxml", "html"]

#: The form's examples (title, query): titles translated when shown, queries asking for the French labels.
EXAMPLES = (
    (
        N_("Les acteurs par type"),
        """PREFIX mai: <https://w3id.org/maillage/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?type (COUNT(?acteur) AS ?nombre) WHERE {
  ?acteur mai:actorType ?t .
  ?t skos:prefLabel ?type . FILTER(LANG(?type) = "fr")
} GROUP BY ?type ORDER BY DESC(?nombre)""",
    ),
    (
        N_("Les besoins que personne n'offre"),
        """PREFIX mai: <https://w3id.org/maillage/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?ressource (COUNT(?acteur) AS ?demandeurs) WHERE {
  ?acteur mai:needs ?r .
  FILTER NOT EXISTS { ?autre mai:offers ?r }
  ?r skos:prefLabel ?ressource . FILTER(LANG(?ressource) = "fr")
} GROUP BY ?ressource ORDER BY DESC(?demandeurs)""",
    ),
    (
        N_("Les acteurs des Pyrénées-Atlantiques"),
        """PREFIX mai: <https://w3id.org/maillage/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?nom ?commune WHERE {
  ?acteur mai:basedIn ?c ; skos:prefLabel ?nom .
  ?c mai:within+ <https://w3id.org/maillage/id/departement/64> ; skos:prefLabel ?commune .
} ORDER BY ?commune ?nom""",
    ),
)


def endpoint_of(request: Request) -> SparqlEndpoint:
    endpoint: SparqlEndpoint = request.app.state.sparql
    return endpoint


def as_api_error(error: SparqlError) -> APIError:
    return APIError(error.status, error.message, headers=error.headers)


def run_query(
    request: Request,
    caller: Caller,
    text: str,
    *,
    format_name: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    """Evaluate, then answer in the format asked, or as a page for a browser (``format=html``)."""
    endpoint = endpoint_of(request)
    page = format_name == "html" or (format_name is None and wants_html(request))
    try:
        answer = endpoint.query(
            text,
            audience=caller.audience,
            accept=PAGE_ACCEPT if page else request.headers.get("accept", ""),
            format_name=None if page else format_name,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    except SparqlError as error:
        if page:
            return form_page(request, caller, text, error=error.message, status_code=error.status)
        raise as_api_error(error) from None
    if page:
        return form_page(request, caller, text, answer=answer)
    return Response(answer.body, media_type=answer.media_type, headers=answer_headers(answer, endpoint))


def answer_headers(answer: SparqlAnswer, endpoint: SparqlEndpoint) -> dict[str, str]:
    return {
        "Vary": "Accept, Authorization, Cookie",
        "Maillage-Result-Limit": str(endpoint.limits.max_results),
        "Maillage-Results-Count": str(answer.count),
        "Maillage-Results-Truncated": "true" if answer.truncated else "false",
    }


def single(values: list[str], name: str) -> str | None:
    """The one value of a parameter the protocol allows once."""
    if len(values) > 1:
        raise APIError(400, f"Paramètre « {name} » donné {len(values)} fois : il en faut un seul")
    return values[0] if values else None


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Le résultat, au format demandé (Accept ou paramètre format).",
        "content": {f.media_type: {} for f in RESULT_FORMATS.values()} | {"text/html": {}},
        "headers": {
            "Maillage-Results-Truncated": {
                "description": "true si la réponse a été coupée à la limite de résultats",
                "schema": {"type": "string"},
            },
            "Maillage-Result-Limit": {"description": "la limite de résultats", "schema": {"type": "integer"}},
        },
    },
    400: {"description": "Requête invalide, mise à jour, LOAD ou SERVICE : refusés"},
    406: {"description": "Aucun format demandé ne convient à la forme de la requête"},
    413: {"description": "Requête trop longue"},
    415: {"description": "Type de contenu non pris en charge (POST)"},
    503: {"description": "Trop de requêtes en cours, ou mémoire dépassée"},
    504: {"description": "Limite de temps dépassée : la requête a été arrêtée"},
}
DESCRIPTION = (
    "SPARQL 1.1 (protocole, opération *query*) en lecture seule : SELECT, ASK, CONSTRUCT, DESCRIBE. "
    "Les mises à jour, LOAD et SERVICE sont refusés (400). Sans jeton (ou avec un jeton de membre), seules "
    "les données publiques sont interrogées ; un jeton d'animateur·rice ouvre toutes les données. "
    "Le graphe par défaut est l'union des graphes nommés (réseau, provenance, alignement schema.org / "
    "ESSGlobal, ontologie et taxonomie, territoires). Chaque requête est arrêtée à la limite de temps "
    "(504) et sa réponse coupée à la limite de résultats (en-tête `Maillage-Results-Truncated: true`). "
    "Sans requête : le formulaire (navigateur) ou la description du service (Turtle)."
)


@router.get(
    "/sparql", summary="Interroger les données en SPARQL", description=DESCRIPTION, responses=RESPONSES
)
def sparql_get(
    request: Request,
    caller: CallerDep,
    query: Annotated[str | None, Query(description="La requête SPARQL")] = None,
    default_graph_uri: Annotated[
        list[str], Query(alias="default-graph-uri", description="Graphe(s) formant le graphe par défaut")
    ] = [],  # noqa: B006 - FastAPI copies it
    named_graph_uri: Annotated[
        list[str], Query(alias="named-graph-uri", description="Graphes nommés interrogeables par GRAPH")
    ] = [],  # noqa: B006
    format: Annotated[  # noqa: A002 - the parameter's public name
        FormatName | None, Query(description="Format du résultat (au lieu de l'en-tête Accept)")
    ] = None,
) -> Response:
    if "update" in request.query_params:
        raise APIError(400, UPDATE_REFUSED)
    text = single(request.query_params.getlist("query"), "query")
    if text is None:
        return service_page(request, caller)
    return run_query(
        request,
        caller,
        text,
        format_name=format,
        default_graphs=default_graph_uri,
        named_graphs=named_graph_uri,
    )


POST_BODY = {
    "requestBody": {
        "content": {
            FORM_MEDIA: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
            QUERY_MEDIA: {"schema": {"type": "string"}},
        }
    }
}


@router.post(
    "/sparql",
    summary="Interroger les données en SPARQL (requête dans le corps)",
    description=DESCRIPTION,
    responses=RESPONSES,
    openapi_extra=POST_BODY,
)
async def sparql_post(request: Request, caller: CallerDep) -> Response:
    endpoint = endpoint_of(request)
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media == UPDATE_MEDIA:
        raise APIError(400, UPDATE_REFUSED)
    if media not in (FORM_MEDIA, QUERY_MEDIA):
        raise APIError(
            415,
            f"Type de contenu « {media or 'absent'} » non pris en charge : envoyez la requête en "
            f"{QUERY_MEDIA} ou en formulaire {FORM_MEDIA} (champ query)",
        )
    # a query of the longest allowed length, each character percent-encoded as four UTF-8 bytes
    body = await read_body(request, limit=endpoint.limits.max_query_chars * 12 + (1 << 16))
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise APIError(400, f"Corps de la requête illisible : UTF-8 attendu ({error})") from None
    params = request.query_params
    fields = parse_qs(decoded, keep_blank_values=True) if media == FORM_MEDIA else {}
    if "update" in fields:
        raise APIError(400, UPDATE_REFUSED)
    text = single(fields.get("query", []), "query") if media == FORM_MEDIA else decoded
    if text is None:
        raise APIError(400, "Requête SPARQL absente : le formulaire doit avoir un champ « query »")
    source = fields if media == FORM_MEDIA else {k: params.getlist(k) for k in params}
    format_name = single(source.get("format", []), "format")
    if format_name is not None and format_name not in RESULT_FORMATS and format_name != "html":
        raise APIError(
            400, f"Format inconnu : « {format_name} » (formats : {', '.join(RESULT_FORMATS)}, html)"
        )
    return await run_in_threadpool(
        run_query,
        request,
        caller,
        text,
        format_name=format_name,
        default_graphs=source.get("default-graph-uri", []),
        named_graphs=source.get("named-graph-uri", []),
    )


async def read_body(request: Request, *, limit: int) -> bytes:
    """The request body, or a 413 once it passes `limit` bytes (read no further)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise APIError(413, f"Corps de la requête trop volumineux (plus de {limit} octets)")
        chunks.append(chunk)
    return b"".join(chunks)


def service_page(request: Request, caller: Caller) -> Response:
    """The form (a browser), else the Service Description in the RDF format asked (Turtle by default)."""
    if wants_html(request):
        return form_page(request, caller, "")
    chosen = FORMATS[negotiate(request.headers.get("accept", ""), html=False) or "turtle"]
    graph = service_description(str(request.url_for("sparql_get")), endpoint_of(request).limits)
    assert chosen.rdflib_format is not None
    return Response(
        graph.serialize(format=chosen.rdflib_format, encoding="utf-8"),
        media_type=chosen.media_type,
        headers={"Vary": "Accept"},
    )


def form_page(
    request: Request,
    caller: Caller,
    text: str,
    *,
    answer: SparqlAnswer | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The query form, with the answer as a table (or as Turtle text) or the error under it.

    The page's words follow the reader's language (`maillage.api.i18n`); the engine's refusals (`error`)
    stay French, as the protocol's answers do."""
    endpoint = endpoint_of(request)
    lang = current_language()
    table = results_table(answer.body) if answer is not None and answer.form == "select" else None
    boolean = json.loads(answer.body)["boolean"] if answer is not None and answer.form == "ask" else None
    graph_text = (
        answer.body.decode("utf-8")
        if answer is not None and answer.form in ("construct", "describe")
        else None
    )
    return render_page(
        request,
        "sparql.html",
        status_code=status_code,
        query=text or EXAMPLES[0][1],
        examples=[(_(title), "/sparql?" + urlencode({"query": example})) for title, example in EXAMPLES],
        formats=[("html", _(PAGE_FORMAT))] + [(f.name, f.label) for f in RESULT_FORMATS.values()],
        answer=answer,
        answer_count=format_count(answer.count, lang=lang) if answer is not None else "",
        max_results=format_count(endpoint.limits.max_results, lang=lang),
        table=table,
        boolean=boolean,
        graph_text=graph_text,
        error=error,
        limits=endpoint.limits,
        everything=caller.may("animator"),
    )


def results_table(body: bytes) -> tuple[list[str], list[list[dict[str, str | None]]]]:
    """The variables and rows of SPARQL JSON results, each cell a text, a link (Maillage IRIs lead to
    their page here, other http(s) IRIs out) and a note (language or datatype)."""
    results = json.loads(body)
    names: list[str] = results["head"]["vars"]
    rows = [[cell(binding.get(name)) for name in names] for binding in results["results"]["bindings"]]
    return names, rows


def cell(term: dict[str, Any] | None) -> dict[str, str | None]:
    """One result term for the page.

    >>> cell({"type": "uri", "value": "https://w3id.org/maillage/id/actor/a"})["href"]
    '/id/actor/a'
    >>> cell({"type": "uri", "value": "javascript:alert(1)"})["href"] is None
    True
    """
    if term is None:
        return {"text": "", "href": None, "note": None}
    value = str(term["value"]) if term["type"] != "triple" else json.dumps(term["value"])
    if term["type"] == "uri":
        if value.startswith(DATA_BASE):
            return {"text": value, "href": "/id/" + value[len(DATA_BASE) :], "note": None}
        href = value if value.startswith(("http://", "https://")) else None
        return {"text": value, "href": href, "note": None}
    if term["type"] == "bnode":
        return {"text": f"_:{value}", "href": None, "note": None}
    note = term.get("xml:lang") or term.get("datatype", "").rpartition("#")[2] or None
    return {"text": value, "href": None, "note": note}
