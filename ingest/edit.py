"""Writes of single entities (the API's create, update, delete): version check, shapes, one transaction.

Every write goes through `apply_edit`, which, holding `WRITE_LOCK`:

1. reads the entity's triples and their `etag` (a hash of them), and compares it with the version the
   caller last saw (``If-Match``): a mismatch is `PreconditionFailedError` and nothing is written;
2. builds the change (`Edit`) from the state it just read, so a check of who may change what is made
   against the very state that will be replaced;
3. validates the changed entities with the SHACL shapes (`maillage.ingest.validate.shacl_problems`, the
   importer's check) and refuses with every problem in words (`EditRefusedError`);
4. commits the change and its provenance (who: the token id and role; when: ``dct:modified``) in one
   store transaction.

The lock is per process and is shared with the imports. Oxigraph opens a database in one process only,
so there the check and the write cannot be split by anyone. On a Bolt server shared by several API
processes, the lock does not reach the other processes: see docs/decisions/20261129-crud-api.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import PROV, XSD

from maillage.graph.privacy import Audience, audience_of, withheld_properties
from maillage.graph.stores.base import Quad, Store, Upsert, raw_object
from maillage.graph.stores.nquads import format_quad
from maillage.ingest.cells import Mapped, Triple
from maillage.ingest.provenance import record_run
from maillage.ingest.validate import COLUMNS, shacl_problems
from maillage.ontology.iri import GRAPH_BASE, key_of, provenance_graph

#: One write at a time in a process: edits and imports plan against the state they read.
WRITE_LOCK = threading.RLock()
_PROVENANCE = GRAPH_BASE + "provenance/"
_SURROGATE = re.compile("[\ud800-\udfff]")


class EditError(Exception):
    """An edit was not made; the message says why, in French."""


class NotFoundError(EditError):
    """The entity to change does not exist (or no longer)."""


class ConflictError(EditError):
    """The entity to create exists already, or an entity still in use cannot be deleted."""


class PreconditionFailedError(EditError):
    """The entity changed since the caller read it: `current` is its version now (None: deleted)."""

    def __init__(self, message: str, current: str | None) -> None:
        super().__init__(message)
        self.current = current


class ForbiddenFieldsError(EditError):
    """The caller may not change these fields (a member edits its description, needs and offers)."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True)
class FieldProblem:
    """One refused value: the API field, the value, the rule broken (in French), and the entity."""

    field: str | None
    value: str | None
    rule: str
    entity: str

    def detail(self) -> dict[str, str | None]:
        """The problem in the API's error details (same keys as a refused parameter)."""
        return {"parametre": self.field, "valeur": self.value, "regle": self.rule, "entite": self.entity}


class EditRefusedError(EditError):
    """Values break the shapes (or a check of the importer): `problems` lists each; nothing was written."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(
            f"Écriture refusée : {len(problems)} problème(s), rien n'a été écrit — "
            + " ; ".join(f"{p.field or p.entity} : {p.rule}" for p in problems)
        )
        self.problems = problems


@dataclass(frozen=True)
class Author:
    """Who writes: the id of the token (never its secret) and its role."""

    token_id: str
    role: str

    @property
    def agent(self) -> URIRef:
        """The PROV agent of the token: a URN, not a page (tokens are not published)."""
        return URIRef(f"urn:maillage:token:{self.token_id}")


@dataclass
class Edit:
    """What one write changes in `graph`: each subject's new triples (only its `managed` predicates when
    listed, else all its triples in the graph), the subjects deleted, and the problems found before the
    shapes (a key that cannot be an IRI, a SIRET check digit)."""

    graph: URIRef
    summary: str
    triples: dict[URIRef, set[Triple]] = field(default_factory=dict)
    managed: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    deleted: set[URIRef] = field(default_factory=set)
    #: subject → (entity named in messages, API field of each predicate)
    names: dict[URIRef, tuple[str, Callable[[URIRef], str | None]]] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)


@dataclass(frozen=True)
class EditResult:
    """The entity's version after the write (None once deleted), and whether anything changed."""

    etag: str | None
    changed: bool


def data_quads(store: Store, subjects: Iterable[URIRef]) -> list[Quad]:
    """The quads of `subjects` outside the provenance graphs: what an entity *is*."""
    found: list[Quad] = []
    for subject in subjects:
        found += [q for q in store.quads(subject, None, None, None) if not str(q[3]).startswith(_PROVENANCE)]
    return found


def etag_of(quads: Iterable[Quad], *, audience: Audience = Audience.PUBLIC) -> str | None:
    """A strong ETag of some quads, as `audience` may see them: the SHA-256 of their sorted N-Quads lines
    (None for no quad).

    The same content gives the same tag in any process and on either store (both read back the same
    lexical forms); provenance is left out, so writing the same values again keeps the tag. The values
    `audience` may not see (`maillage.graph.privacy`: a phone for the public) are left out too: the tag
    is an unkeyed hash, and one that moved with a phone number would let anyone test guesses of it
    offline. So each audience has its own tag, and a write compares the tag at its author's audience.

    >>> from rdflib import URIRef, Literal
    >>> etag_of([(URIRef("urn:a"), URIRef("urn:p"), Literal("x"), URIRef("urn:g"))])
    '"4c8b8446dc0ba5149c5dac9fafa44735"'
    """
    withheld = withheld_properties(audience)
    lines = sorted(
        {
            format_quad((str(s), str(p), raw_object(o), str(g)))  # type: ignore[arg-type]
            for s, p, o, g in quads
            if p not in withheld
        }
    )
    if not lines:
        return None
    return '"' + hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:32] + '"'


def apply_edit(
    store: Store,
    scope: Callable[[], list[URIRef]],
    build: Callable[[list[Quad]], Edit],
    *,
    author: Author,
    if_match: Collection[str] | None,
    exists: bool,
    what: str,
    now: dt.datetime | None = None,
) -> EditResult:
    """Make one write, or nothing: see the module's docstring.

    `scope()` lists the subjects whose data make the entity's version (an actor with its needs and
    offers); `build(quads)` makes the `Edit` from the entity's current quads. `exists` says whether the
    entity must exist (update, delete) or must not (create); `if_match` lists the versions the caller
    accepts (``If-Match``; ``*`` is any; None: no check, for a creation), `what` names the entity in
    messages (« L'acteur « x » »).

    Raises `NotFoundError`, `ConflictError`, `PreconditionFailedError`, `ForbiddenFieldsError` (from
    `build`) or `EditRefusedError`; the store is then unchanged.
    """
    audience = audience_of(author.role)
    with WRITE_LOCK:
        before = data_quads(store, scope())
        current = etag_of(before, audience=audience)
        if exists and current is None:
            raise NotFoundError(f"{what} n'existe pas")
        if not exists and current is not None:
            raise ConflictError(f"{what} existe déjà : modifiez-le (PUT ou PATCH) au lieu de le créer")
        if if_match is not None and "*" not in if_match and current not in if_match:
            raise PreconditionFailedError(
                f"{what} a changé depuis votre lecture (version {', '.join(if_match)}, version actuelle "
                f"{current}) : "
                "relisez-le, puis renvoyez votre modification avec la nouvelle version (If-Match)",
                current,
            )
        edit = build(before)
        problems = edit.problems or unencodable_text(edit) or validate_edit(store, edit)
        if problems:
            raise EditRefusedError(problems)
        plan = store.plan_upsert(edit.graph, edit.triples, managed=edit.managed)  # type: ignore[arg-type]
        for subject in edit.deleted:
            plan.transaction.remove_pattern(subject, None, None, edit.graph)
            plan.changes[subject] = "deleted"
        if plan.transaction.is_empty:
            return EditResult(current, changed=False)
        _record(store, plan, edit, author=author, now=now)
        store.commit(plan.transaction)
        return EditResult(etag_of(data_quads(store, scope()), audience=audience), changed=True)


def unencodable_text(edit: Edit) -> list[FieldProblem]:
    """The texts no store can hold: a lone UTF-16 surrogate (``"\\ud800"`` in JSON) is not a character,
    cannot be written in UTF-8, and would make the store's commit fail after the shapes had passed.

    >>> a = URIRef("urn:a")
    >>> [p.rule for p in unencodable_text(Edit(a, "x", {a: {(a, RDFS.label, Literal("é\\ud800"))}}))]
    ["texte invalide : caractère UTF-16 isolé (U+D800), ce n'est pas un caractère Unicode"]
    """
    problems = []
    for subject, triples in edit.triples.items():
        name, field_of = edit.names.get(subject, (key_of(subject), lambda _p: None))
        for _s, predicate, obj in triples:
            bad = _SURROGATE.search(str(obj)) if isinstance(obj, Literal) else None
            if bad is not None:
                rule = f"texte invalide : caractère UTF-16 isolé (U+{ord(bad[0]):04X}), ce n'est pas un"
                shown = str(obj).encode("utf-8", "backslashreplace").decode("utf-8")
                problems.append(FieldProblem(field_of(predicate), shown, rule + " caractère Unicode", name))
    return problems


def validate_edit(store: Store, edit: Edit) -> list[FieldProblem]:
    """The SHACL problems of the changed (not deleted) subjects, with the state they will have."""
    mapped = Mapped()
    for subject, triples in edit.triples.items():
        if subject in edit.deleted:
            continue
        mapped.triples[subject] = set(triples)
        mapped.managed[subject] = set(edit.managed.get(subject, _all_predicates(store, subject, edit.graph)))
        mapped.origin[subject] = (str(subject), "api", 0)
    problems = []
    for problem in shacl_problems(mapped, store, subjects=set(mapped.triples), workers=1):
        name, field_of = edit.names.get(URIRef(problem.file), (key_of(problem.file), lambda _p: None))
        predicate = next((p for p, column in COLUMNS.items() if column == problem.column), None)
        api_field = field_of(predicate) if predicate is not None else None
        value = problem.value
        if value is not None and value.startswith(("https://", "http://")) and api_field != "homepage":
            value = key_of(value)  # a concept or a place: the key the caller sent
        problems.append(FieldProblem(api_field, value, problem.rule, name))
    return problems


def _all_predicates(store: Store, subject: URIRef, graph: URIRef) -> set[URIRef]:
    """Every predicate `subject` has in `graph`: an edit without `managed` replaces them all."""
    return {p for _s, p, _o in store.triples(subject, None, None, graph)} | {RDF.type}


def _record(store: Store, plan: Upsert, edit: Edit, *, author: Author, now: dt.datetime | None) -> None:
    """The provenance of the write: `record_run`'s activity, associated with the token that wrote it;
    every changed entity attributed to that token, every deleted one invalidated by the activity."""
    moment = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    run = record_run(store, plan, network=edit.graph, source="API Maillage", now=moment, label=edit.summary)
    if run is None:
        return
    graph = provenance_graph(key_of(str(edit.graph)))
    tx, agent = plan.transaction, author.agent
    stamp = Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    tx.add((run, PROV.wasAssociatedWith, agent, graph))
    tx.add((agent, RDF.type, PROV.Agent, graph))
    tx.add((agent, RDFS.label, Literal(f"jeton {author.token_id} (rôle {author.role})"), graph))
    for subject, change in plan.changes.items():
        tx.add((subject, PROV.wasAttributedTo, agent, graph))  # type: ignore[arg-type]
        if change == "deleted":
            tx.add((subject, PROV.wasInvalidatedBy, run, graph))  # type: ignore[arg-type]
            tx.add((subject, PROV.invalidatedAtTime, stamp, graph))  # type: ignore[arg-type]
