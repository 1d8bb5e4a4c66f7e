"""Create, update and delete each kind of entity (actors, needs, offers, projects, participations,
partnerships) through `maillage.ingest.edit.apply_edit`, with the links the importer writes beside them.

The importer writes some facts twice, and so does an edit: a need is a `mai:Need` *and* the actor's
`mai:needs` link; a partnership is a `mai:Partnership` *and* `mai:partnerOf` both ways (the shapes cannot
check that they agree, so whoever writes one writes both). Deleting an actor deletes what only makes
sense with it: its needs, offers, memberships, participations and partnerships.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from maillage.graph.privacy import Audience
from maillage.graph.stores.base import Quad, Store
from maillage.ingest.cells import Triple
from maillage.ingest.edit import (
    Author,
    ConflictError,
    Edit,
    EditResult,
    FieldProblem,
    ForbiddenFieldsError,
    apply_edit,
    data_quads,
    etag_of,
)
from maillage.ingest.edit_slots import ACTOR, FORMS, SlotError, other_languages, read_values, write_triples
from maillage.ingest.validate_ids import check_nif, check_rna, check_siret
from maillage.ontology.iri import GRAPH_BASE, IRIError, concept_iri, data_iri, key_of
from maillage.ontology.vocab import MAI

CLASSES = {
    "need": MAI.Need,
    "offer": MAI.Offer,
    "project": MAI.Project,
    "participation": MAI.Participation,
    "partnership": MAI.Partnership,
}
#: The actor's direct link written beside a need or an offer.
DIRECT = {"need": MAI.needs, "offer": MAI.offers}
API_SOURCE = Literal("API Maillage")
_DATA_GRAPHS = (GRAPH_BASE + "network/", GRAPH_BASE + "source/")
_ACTOR_TYPES = {MAI.Organisation, MAI.Person}
#: The formats of the shapes (ontology/shapes.ttl): a value in the wrong format gets the shapes' message.
_FORMATS = {"siret": r"[0-9]{14}", "rna": r"W[0-9]{9}", "nif": r"[0-9A-Z][0-9]{7}[0-9A-Z]"}
_NAMES = {"actor": "l'acteur", "need": "le besoin", "offer": "l'offre", "project": "le projet"}


def entity_iri(kind: str, key: str) -> URIRef:
    """The IRI of an entity; `SlotError` on a key that cannot be one."""
    try:
        return data_iri(kind, key)
    except IRIError as error:
        raise SlotError("id", key, str(error)) from None


def what(kind: str, key: str) -> str:
    """The entity in words, for messages: « l'acteur « x » »."""
    return f"{_NAMES.get(kind, 'la ' + FORMS[kind].label)} « {key} »"


def home_graph(store: Store, iri: URIRef) -> URIRef | None:
    """The data graph (network or public source) holding the entity's rdf:type, or None."""
    for _s, _p, _o, graph in store.quads(iri, RDF.type, None, None):
        if str(graph).startswith(_DATA_GRAPHS):
            return graph
    return None


def network_graph(store: Store, *, near: URIRef | None = None) -> URIRef:
    """Where a new entity goes: the graph of `near` (the actor of a need), else the store's one network.

    Raises `ConflictError` when the store holds no network, or several (the caller must then say which;
    not offered yet).
    """
    if near is not None and (graph := home_graph(store, near)) is not None:
        return graph
    graphs = sorted(g for g in store.graphs() if str(g).startswith(GRAPH_BASE + "network/"))
    if len(graphs) != 1:
        raise ConflictError(
            f"Écriture impossible : la base contient {len(graphs)} réseau(x), il en faut exactement un "
            "(importez d'abord le réseau : maillage import)"
        )
    return graphs[0]


def scope_of(store: Store, kind: str, key: str) -> list[URIRef]:
    """The subjects whose data make an entity's version (ETag): an actor with its needs and offers."""
    iri = entity_iri(kind, key)
    if kind != "actor":
        return [iri]
    owned = {s for s, _p, _o in store.triples(None, MAI.actor, iri) if isinstance(s, URIRef)}
    return [iri, *sorted(owned)]


def entity_etag(store: Store, kind: str, key: str, *, audience: Audience = Audience.PUBLIC) -> str | None:
    """The current version of an entity as `audience` sees it (None when it does not exist): what a
    writer of that audience sends back in ``If-Match`` (`maillage.ingest.edit.etag_of`)."""
    return etag_of(data_quads(store, scope_of(store, kind, key)), audience=audience)


def read_entity(store: Store, kind: str, key: str) -> dict[str, Any] | None:
    """The editable values of an entity (its `Form`), or None when it does not exist."""
    iri = entity_iri(kind, key)
    graph = home_graph(store, iri)
    if graph is None:
        return None
    return {"id": key, **read_values(FORMS[kind], store.triples(iri, None, None, graph))}


def save_entity(
    store: Store,
    kind: str,
    key: str,
    changes: dict[str, Any],
    *,
    author: Author,
    if_match: Collection[str] | None,
    create: bool,
    replace: bool,
    allowed: set[str] | None = None,
    hidden: Collection[str] = (),
) -> EditResult:
    """Create (`create`), replace (`replace`: PUT, absent fields are removed) or patch an entity.

    `changes` are API values of the kind's `Form` (an actor also takes ``country``: FR or ES). `allowed`
    limits the fields the caller may change (a member: its description); changing another raises
    `ForbiddenFieldsError`. `hidden` names the fields the caller may not see (`withheld_fields`, a
    member: the internal note): they keep their values, read under the write lock — a replace does not
    erase what its author could not read — and a value sent for one raises `ForbiddenFieldsError`.
    Raises as `apply_edit` does; `SlotError` for a key that cannot be an IRI.
    """
    form = FORMS[kind]
    iri = entity_iri(kind, key)
    near = None
    if kind in DIRECT or kind == "participation":
        near = entity_iri("actor", str(changes.get("actor") or key.split(".")[-1]))
    elif kind == "partnership":
        near = entity_iri("actor", key.split(".")[0])
    graph = home_graph(store, iri) or network_graph(store, near=near)

    def build(before: list[Quad]) -> Edit:
        mine = [(s, p, o) for s, p, o, g in before if s == iri and g == graph]
        current = read_values(form, mine) if mine else {}
        start = {} if (replace or create) else current
        new = {**{s.name: [] if s.many else None for s in form.slots}, **start, **changes}
        if asked := sorted(n for n in hidden if changes.get(n) is not None):
            raise ForbiddenFieldsError(
                f"Champ(s) réservé(s) aux animateur·rices : {', '.join(asked)} ; ne les envoyez pas", asked
            )
        for name in hidden:
            new[name] = current.get(name)
        if kind == "actor":
            new["country"] = (new.get("country") or "FR").upper()
            moved = "commune" in changes and changes["commune"] != current.get("commune")
            if moved and "lat" not in changes and "lon" not in changes:
                new["lat"] = new["lon"] = None  # the index then places it at its new commune's centre
        changed = sorted(n for n in new if _differs(new.get(n), current.get(n)))
        if allowed is not None and (refused := [n for n in changed if n not in allowed]):
            raise ForbiddenFieldsError(
                f"Un membre ne peut modifier que {', '.join(sorted(allowed))} de son acteur ; "
                f"champ(s) refusé(s) : {', '.join(refused)}",
                refused,
            )
        edit = Edit(graph=graph, summary=f"{'Création' if create else 'Modification'} de {what(kind, key)}")
        try:
            triples = write_triples(form, iri, new, kept=other_languages(form, mine))
        except SlotError as error:
            edit.problems.append(FieldProblem(error.field, error.value, error.rule, f"{kind}/{key}"))
            return edit
        triples |= _typing(kind, new, iri)
        if create:
            triples.add((iri, DCTERMS.source, API_SOURCE))
            triples |= _network_link(store, kind, iri, graph)
        edit.triples[iri] = triples
        edit.managed[iri] = (
            form.predicates | {RDF.type} | (set() if not create else {DCTERMS.source, MAI.network})
        )
        edit.names[iri] = (f"{kind}/{key}", form.field_of)
        edit.problems += _identifier_problems(kind, key, new)
        _links(store, edit, kind, iri, new, current, graph, create=create)
        return edit

    return apply_edit(
        store,
        lambda: scope_of(store, kind, key),
        build,
        author=author,
        if_match=if_match,
        exists=not create,
        what=what(kind, key)[0].upper() + what(kind, key)[1:],
    )


def delete_entity(
    store: Store, kind: str, key: str, *, author: Author, if_match: Collection[str] | None
) -> EditResult:
    """Delete an entity and what only makes sense with it (see the module's docstring)."""
    iri = entity_iri(kind, key)
    graph = home_graph(store, iri)

    def build(before: list[Quad]) -> Edit:
        assert graph is not None  # apply_edit found the entity
        edit = Edit(graph=graph, summary=f"Suppression de {what(kind, key)}")
        doomed = {iri}
        if kind == "actor":
            for predicate in (MAI.actor, ORG.member, MAI.participant, MAI.partner):
                doomed |= {s for s, _p, _o in store.triples(None, predicate, iri, graph)}  # type: ignore[misc]
        elif kind == "project":
            doomed |= {s for s, _p, _o in store.triples(None, MAI.project, iri, graph)}  # type: ignore[misc]
        edit.deleted = doomed
        for subject in doomed:
            edit.triples[subject] = set()
        for subject in doomed:
            _unlink(store, edit, subject, graph)
        return edit

    return apply_edit(
        store,
        lambda: scope_of(store, kind, key),
        build,
        author=author,
        if_match=if_match,
        exists=True,
        what=what(kind, key)[0].upper() + what(kind, key)[1:],
    )


# -- helpers ---------------------------------------------------------------------------------------------


def _differs(new: Any, old: Any) -> bool:
    empty = (None, [], "")
    if new in empty and old in empty:
        return False
    if isinstance(new, list) and isinstance(old, list):
        return sorted(map(str, new)) != sorted(map(str, old))
    return str(new) != str(old) if not isinstance(new, float) else new != old


def _typing(kind: str, values: dict[str, Any], iri: URIRef) -> set[Triple]:
    """The rdf:type of an entity: an actor's follows its type (« habitant »: a person)."""
    if kind == "actor":
        person = values.get("type") == "habitant"
        return {(iri, RDF.type, MAI.Person if person else MAI.Organisation)}
    return {(iri, RDF.type, CLASSES[kind])}


def _network_link(store: Store, kind: str, iri: URIRef, graph: URIRef) -> set[Triple]:
    """A new project belongs to the network of its graph (as the importer writes it)."""
    if kind != "project" or not str(graph).startswith(GRAPH_BASE + "network/"):
        return set()
    network = URIRef(str(graph).replace("/graph/network/", "/id/network/"))
    return {(iri, MAI.network, network)}


def _identifier_problems(kind: str, key: str, values: dict[str, Any]) -> list[FieldProblem]:
    """The importer's checks the shapes leave to Python (check digits of SIRET, RNA, NIF) — once the
    shapes' format is met, so one value gets one message."""
    if kind != "actor":
        return []
    problems = []
    for name, check in (("siret", check_siret), ("rna", check_rna), ("nif", check_nif)):
        value = values.get(name)
        if not value:
            continue
        text = str(value).replace(" ", "").upper()
        if re.fullmatch(_FORMATS[name], text) and (rule := check(text)) is not None:
            problems.append(FieldProblem(name, str(value), rule, f"actor/{key}"))
    return problems


def _links(
    store: Store,
    edit: Edit,
    kind: str,
    iri: URIRef,
    new: dict[str, Any],
    current: dict[str, Any],
    graph: URIRef,
    *,
    create: bool,
) -> None:
    """The direct links written beside a need, an offer or a partnership (see the module's docstring)."""
    if kind in DIRECT:
        actor, resource = entity_iri("actor", str(new["actor"])), new["resource"]
        _set_link(store, edit, actor, DIRECT[kind], concept_iri("resource", resource), add=True, graph=graph)
        if current and current.get("resource") not in (None, resource):
            _set_link(
                store,
                edit,
                actor,
                DIRECT[kind],
                concept_iri("resource", current["resource"]),
                add=False,
                graph=graph,
            )
    elif kind == "partnership":
        partners = [entity_iri("actor", str(p)) for p in new.get("partners") or []]
        if len(partners) == 2 and partners[0] != partners[1]:
            a, b = partners
            _set_link(store, edit, a, MAI.partnerOf, b, add=True, graph=graph)
            _set_link(store, edit, b, MAI.partnerOf, a, add=True, graph=graph)
        elif len(partners) == 2:
            rule = "un acteur ne peut être partenaire de lui-même"
            edit.problems.append(
                FieldProblem("partners", str(new["partners"][0]), rule, f"partnership/{key_of(str(iri))}")
            )


def _set_link(
    store: Store, edit: Edit, subject: URIRef, predicate: URIRef, obj: URIRef, *, add: bool, graph: URIRef
) -> None:
    """Add or remove one direct link of `subject`, replacing only that predicate of it."""
    if subject not in edit.triples:
        edit.triples[subject] = {t for t in store.triples(subject, predicate, None, graph)}  # type: ignore[misc]
        edit.managed[subject] = frozenset({predicate})
        edit.names[subject] = (f"actor/{key_of(str(subject))}", ACTOR.field_of)
    elif predicate not in edit.managed[subject]:
        edit.triples[subject] |= {t for t in store.triples(subject, predicate, None, graph)}  # type: ignore[misc]
        edit.managed[subject] = edit.managed[subject] | {predicate}
    if add:
        edit.triples[subject].add((subject, predicate, obj))
    else:
        edit.triples[subject].discard((subject, predicate, obj))


def _unlink(store: Store, edit: Edit, subject: URIRef, graph: URIRef) -> None:
    """Remove the direct links a deleted need, offer or partnership stood for."""
    for klass, name in ((MAI.Need, "need"), (MAI.Offer, "offer")):
        if (subject, RDF.type, klass) in set(store.triples(subject, RDF.type, klass, graph)):
            actor = store.value(subject, MAI.actor, graph=graph)
            resource = store.value(subject, MAI.resource, graph=graph)
            if isinstance(actor, URIRef) and isinstance(resource, URIRef) and actor not in edit.deleted:
                _set_link(store, edit, actor, DIRECT[name], resource, add=False, graph=graph)
    partners = [o for _s, _p, o in store.triples(subject, MAI.partner, None, graph) if isinstance(o, URIRef)]
    if len(partners) == 2:
        a, b = partners
        for x, y in ((a, b), (b, a)):
            if x not in edit.deleted:
                _set_link(store, edit, x, MAI.partnerOf, y, add=False, graph=graph)
