"""Every output the app serves, enumerated from its own routes (for the seeded-secret scan).

The requests are built from the routes the app registers (walked, not listed by hand), so a new route is
scanned the day it is added: each path parameter is filled with every real id of the store (the hidden
persons' included), each query parameter with every value its type allows (enums, booleans, a bounded
integer's maximum) and, when it filters the data, with the values that would select the hidden persons.
A parameter this module does not know makes `probes` raise, so no route can slip past the scan unseen.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from rdflib import RDF, URIRef

from maillage.graph.export import DATASETS, FORMATS
from maillage.graph.privacy import hidden_nodes
from maillage.graph.stores.base import Store
from maillage.ontology.iri import CONCEPT_BASE, DATA_BASE, key_of, split_data_iri
from maillage.ontology.vocab import MAI

#: Queries that return everything the caller may see, in each form of the protocol.
SPARQL_EVERYTHING = ("SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
#: Words of the hidden persons' descriptions that are not secrets: searching for them must not find them.
SEARCH_WORDS = ("habitant", "bénévole", "solaire")
#: Query parameters that shape an answer without selecting data: their enum, boolean and bound values.
SHAPING = frozenset(
    "limit offset lang sort seed sources resolution min_size max_actors since until radius_km rayon "
    "cross_border_only exclude_linked page seuil communaute profondeur couleur taille regrouper pays "
    "country transfrontalier suggestions nouveaux dimension local format suivant fait ajout".split()
)
#: Parameters of /sparql that only mean something beside a query.
WITH_QUERY = frozenset({"format", "default-graph-uri", "named-graph-uri"})
ID_MEDIA = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "text/html")


@dataclass(frozen=True)
class Probe:
    """One request of the scan; `named` is the hidden ids its own URL or body spells (an echo of them is
    the caller's input, not a leak)."""

    method: str
    url: str
    route: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    named: frozenset[str] = frozenset()
    hidden_path: bool = False
    variant: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass
class Ids:
    """The real ids of a store, and what selects its hidden persons."""

    actors: list[str]
    hidden: list[str]
    hidden_nodes: set[str]
    neighbours: list[str]
    by_kind: dict[str, list[str]]
    concepts: list[tuple[str, str]]
    graphs: list[str]
    facets: dict[str, list[str]] = field(default_factory=dict)


def store_ids(store: Store) -> Ids:
    """Every id of `store` a route can take, the hidden persons' and the facets that select them."""
    private, hidden = hidden_nodes(store)
    by_kind: dict[str, set[str]] = {}
    concepts: set[tuple[str, str]] = set()
    territories = {
        s for t in (MAI.Commune, MAI.Municipio, MAI.EPCI) for s, _p, _o in store.triples(None, RDF.type, t)
    }
    named_territories: set[URIRef] = set()
    for s, _p, o, _g in store.quads(None, None, None, None):
        for node in (s, o):
            text = str(node)
            if text.startswith(CONCEPT_BASE) and isinstance(node, URIRef):
                scheme, _, key = text[len(CONCEPT_BASE) :].partition("/")
                concepts.add((scheme, key))
        if s in territories:
            continue
        split = split_data_iri(str(s))
        if split is not None:
            by_kind.setdefault(split[0], set()).add(split[1])
        if o in territories:
            named_territories.add(o)  # type: ignore[arg-type]
    for territory in named_territories:
        kind, key = split_data_iri(str(territory)) or ("", "")
        by_kind.setdefault(kind, set()).add(key)
    hidden_keys = sorted(key_of(str(p)) for p in private)
    neighbours = set()
    for node in hidden:
        for _s, _p, o in store.triples(node, None, None):  # type: ignore[arg-type]
            if split_data_iri(str(o)) is not None and str(o).startswith(DATA_BASE + "actor/"):
                neighbours.add(key_of(str(o)))
    facet: dict[str, set[str]] = {}
    for person in private:
        for _s, p, o in store.triples(person, None, None):
            facet.setdefault(key_of(str(p)), set()).add(key_of(str(o)))
            if p == MAI.basedIn:
                facet.setdefault("inseeCode", set()).update(
                    str(c)
                    for _s2, _p2, c in store.triples(o, MAI.inseeCode, None)  # type: ignore[arg-type]
                )
                for _s2, _p2, up in store.triples(o, MAI.within, None):  # type: ignore[arg-type]
                    for _s3, _p3, siren in store.triples(up, MAI.sirenCode, None):  # type: ignore[arg-type]
                        facet.setdefault("epci", set()).add(str(siren))
    for node in hidden - set(private):
        for _s, p, o in store.triples(node, None, None):  # type: ignore[arg-type]
            if str(o).startswith(CONCEPT_BASE) or str(o).startswith(DATA_BASE + "project/"):
                facet.setdefault(key_of(str(p)), set()).add(key_of(str(o)))
    return Ids(
        actors=sorted(by_kind.get("actor", set())),
        hidden=hidden_keys,
        hidden_nodes={str(n) for n in hidden},
        neighbours=sorted(neighbours - set(hidden_keys)),
        by_kind={kind: sorted(keys) for kind, keys in by_kind.items()},
        concepts=sorted(concepts),
        graphs=sorted({str(g) for g in store.graphs()}),
        facets={name: sorted(values) for name, values in facet.items()},
    )


def query_values(ids: Ids) -> dict[str, list[str]]:
    """For each query parameter that selects data, the values that would select the hidden persons."""
    actors = ids.hidden + ids.neighbours
    fields = ids.facets.get("field", [])
    resources = ids.facets.get("resource", []) + ids.facets.get("offers", []) + ids.facets.get("needs", [])
    communes = ids.facets.get("inseeCode", [])
    epcis = ids.facets.get("epci", [])
    words = list(SEARCH_WORDS)
    return {
        **dict.fromkeys(("actor", "acteur", "from", "to"), actors),
        **dict.fromkeys(("field", "domaine", "domaines"), fields),
        **dict.fromkeys(
            ("resource", "ressource", "offers", "needs", "services", "propose", "recherche"),
            sorted(set(resources)),
        ),
        **dict.fromkeys(("q", "titre", "description", "public"), words),
        "commune": communes,
        "territory": communes,
        "epci": epcis,
        "territoire": [f"epci-{siren}" for siren in epcis],
        "territoires": [f"epci:{siren}" for siren in epcis] + communes,
        "type": ids.facets.get("actorType", []),
        "college": ids.facets.get("college", []),
        "project": ids.facets.get("project", []),
        "role": ids.facets.get("participationRole", []),
        "kind": ids.facets.get("partnershipKind", []),
        **dict.fromkeys(("status", "statut"), ids.facets.get("status", [])),
        "query": list(SPARQL_EVERYTHING),
        "default-graph-uri": ids.graphs,
        "named-graph-uri": ids.graphs,
    }


def app_routes(app: FastAPI) -> Iterator[tuple[str, Any]]:
    """(full path, route) of every route the app registers, included routers walked into."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's lazily included router
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "methods") and route.methods:
                yield prefix + route.path, route

    yield from walk(list(app.routes), "")


def _query_fields(dependant: Any) -> Iterator[Any]:
    yield from dependant.query_params
    for sub in dependant.dependencies:
        yield from _query_fields(sub)


def _choices(annotation: Any) -> list[str]:
    """The values an enum / Literal / bool annotation allows (through Optional and list)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return [str(v) for v in typing.get_args(annotation) if v != ""]
    if annotation is bool:
        return ["true"]
    if origin in (typing.Union, types.UnionType, list):
        return [v for arg in typing.get_args(annotation) for v in _choices(arg)]
    return []


def _bounds(field_info: Any) -> float | None:
    return next((m.le for m in field_info.metadata if hasattr(m, "le") and m.le is not None), None)


def query_variants(route: Any, values: dict[str, list[str]]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The base query of a route (every `limit` at its maximum, so lists are whole) and its variants."""
    base: dict[str, str] = {}
    variants: list[dict[str, str]] = []
    for param in _query_fields(route.dependant) if hasattr(route, "dependant") else ():
        name, info = param.alias, param.field_info
        upper = _bounds(info)
        if name == "limit" and upper is not None:
            base[name] = str(int(upper))
            continue
        choices = _choices(info.annotation)
        if not choices and name in values:
            choices = values[name]
        elif not choices and name not in SHAPING:
            raise AssertionError(f"paramètre « {name} » de {route.path} inconnu du scan : dire quoi y mettre")
        if upper is not None and upper <= 1000 and name != "communaute":
            choices = [*choices, str(int(upper))]
        if info.is_required() and choices:  # in every request, from the end (the public neighbours)
            base[name] = choices[-1 - sum(1 for v in base.values() if v in choices)]
        variants.extend({name: value} for value in choices)
    queries = [v for v in variants if "query" in v]
    if queries:  # a result format or a dataset means something only with a query: try each with each
        crossed = [
            {**q, **v}
            for v in variants
            if v.keys() & WITH_QUERY
            for q in (queries if "format" in v else queries[:1])  # a graph: with the SELECT
        ]
        variants = [v for v in variants if not v.keys() & WITH_QUERY] + crossed
    return base, variants


def path_fillings(path: str, route: Any, ids: Ids) -> list[dict[str, str]]:
    """Every filling of the path's parameters with real ids; raises on an unknown parameter."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if not names:
        return [{}]
    if names == ["actor_id"]:
        return [{"actor_id": a} for a in ids.actors]
    if names in (["actor_id", "resource"], ["actor_id", "which"]):
        kind = "need" if "/needs/" in path or "which" in names else "offer"
        pairs = [key.split(".", 1) for key in ids.by_kind.get(kind, [])]
        if "which" in names:
            return [{"actor_id": a, "which": w} for a in ids.hidden[:1] for w in ("besoins", "offres")]
        return [{"actor_id": a, "resource": r} for a, r in pairs]
    if names == ["actor_id", "which", "resource"]:
        pairs = [key.split(".", 1) for key in ids.by_kind.get("need", []) if key.split(".")[0] in ids.hidden]
        return [{"actor_id": a, "which": "besoins", "resource": r} for a, r in pairs[:1]]
    if names == ["entity_id"]:
        kind = path.split("/")[2].removesuffix("s")
        return [{"entity_id": key} for key in ids.by_kind.get(kind, [])]
    if names == ["code"]:  # the language switch (a redirect with a cookie)
        return [{"code": code} for code in ("fr", "en")]
    if names == ["upload_id"]:  # uploads wait outside the store: none here
        return [{"upload_id": "0" * 32}]
    if names == ["project_id"]:
        return [{"project_id": key} for key in ids.by_kind.get("project", [])]
    if names == ["scheme"]:
        return [{"scheme": s} for s in sorted({s for s, _k in ids.concepts})]
    if names == ["scheme", "key"]:
        return [{"scheme": s, "key": k} for s, k in ids.concepts]
    if names == ["kind", "key"]:
        return [{"kind": kind, "key": key} for kind, keys in sorted(ids.by_kind.items()) for key in keys]
    if names == ["filename"]:
        return [
            {"filename": f"{d.name}.{FORMATS[f].extension}"} for d in DATASETS.values() for f in d.formats
        ]
    raise AssertionError(f"paramètres {names} de {path} inconnus du scan : dire quels ids y mettre")


def _fill(path: str, filling: dict[str, str]) -> str:
    for name, value in filling.items():
        path = path.replace("{" + name + "}", value)
    return path


def _media(app: FastAPI, path: str, method: str) -> list[str]:
    operation = app.openapi()["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    return [m for m in content if m != "application/json"] if len(content) > 1 else []


def probes(app: FastAPI, ids: Ids) -> Iterator[Probe]:
    """Every request of the scan: each GET route × path fillings × Accept types × query variants, each
    other method once on a hidden person, and the public POSTs with bodies that aim at hidden data.

    Query variants are tried on the fillings that name a hidden person's neighbour (or the first one);
    /id answers every entity in Turtle and HTML, and in every RDF type the actors and the hidden nodes
    (the types serialise one and the same graph)."""
    values = query_values(ids)
    hidden = set(ids.hidden) | {key_of(n) for n in ids.hidden_nodes}
    for path, route in app_routes(app):
        if "GET" not in route.methods:
            yield from _write_probes(path, route, ids, hidden)
            continue
        fillings = path_fillings(path, route, ids)
        base, variants = query_variants(route, values)
        accepts = ("*/*", *_media(app, path, "GET"))
        focus = [f for f in fillings if set(f.values()) & set(ids.neighbours)][:3] or fillings[:1]
        for filling in fillings:
            named = frozenset(v for v in filling.values() if v in hidden)
            if path == "/id/{kind}/{key}":
                # other entities than actors answer HTML with their Turtle: */* is the same request
                accepts = ID_MEDIA if filling["kind"] == "actor" or named else ("*/*",)
            queries = [({}, accepts)] + ([(v, ("*/*",)) for v in variants] if filling in focus else [])
            for variant, kinds in queries:
                query = {**base, **variant}
                query_named = named | frozenset(v for v in query.values() if v in hidden)
                url = _fill(path, filling) + ("?" + urlencode(query) if query else "")
                for accept in kinds:
                    headers = (("accept", accept),)
                    yield Probe("GET", url, path, headers, None, query_named, bool(named), variant)
    for query in SPARQL_EVERYTHING:
        for form in (urlencode({"query": query}).encode(), query.encode()):
            kind = (
                "application/x-www-form-urlencoded" if form != query.encode() else "application/sparql-query"
            )
            yield Probe("POST", "/sparql", "/sparql", (("content-type", kind),), form)
    proposal = {
        "title": "Projet solaire des habitants",
        "description": " ".join(SEARCH_WORDS),
        "fields": values["field"],
        "services": values["resource"],
        "territory": values["commune"],
        "target_public": "habitants",
    }
    yield Probe(
        "POST",
        "/api/projects/check",
        "/api/projects/check",
        (("content-type", "application/json"),),
        json.dumps(proposal).encode(),
    )


def _write_probes(path: str, route: Any, ids: Ids, hidden: set[str]) -> Iterator[Probe]:
    """Routes that write, once on a hidden person's ids: refused to the public, their refusal scanned."""
    fillings = [f for f in path_fillings(path, route, ids) if set(f.values()) & hidden] or path_fillings(
        path, route, ids
    )[:1]
    for method in sorted(route.methods - {"HEAD"}):
        for filling in fillings[:1]:
            named = frozenset(v for v in filling.values() if v in hidden)
            headers = (("content-type", "application/json"),)
            yield Probe(method, _fill(path, filling), path, headers, b"{}", named, bool(named))
