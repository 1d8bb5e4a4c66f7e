"""What the index holds: `NetworkIndex` and its actor, concept and project records; keys and errors."""

from __future__ import annotations

import datetime as dt
import threading
import typing
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
from rdflib.term import URIRef
from scipy import sparse

ActorKind = typing.Literal["organisation", "person"]
SparseMatrix = sparse.csr_array


class UnknownActorError(KeyError):
    """No actor of the index has this key.

    >>> str(UnknownActorError("xyz"))
    'Acteur inconnu : « xyz »'
    """

    # Tracebacks name the public module, as they did before the split (doctests elsewhere expect it).
    __module__ = "maillage.graph.index"

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"Acteur inconnu : « {self.key} »"


class IndexBuildError(ValueError):
    """The store's content cannot be indexed (e.g. two actor IRIs ending with the same key)."""

    __module__ = "maillage.graph.index"  # as for `UnknownActorError`


@dataclass(frozen=True)
class ActorRecord:
    """One actor as the analysis and the API see it (IRIs of concepts and territories, plain values)."""

    iri: URIRef
    #: last path segment of the IRI (``https://w3id.org/maillage/id/actor/{key}``); unique in an index
    key: str
    label: str
    kind: ActorKind
    #: False for a `mai:Person` without ``mai:publicConsent true``: never shown to the public
    is_public: bool
    actor_type: URIRef | None
    fields: tuple[URIRef, ...]
    offers: tuple[URIRef, ...]
    needs: tuple[URIRef, ...]
    commune: URIRef | None
    commune_label: str
    epci: URIRef | None
    epci_label: str
    #: ISO 3166 alpha-2 code ("FR", "ES") from the territory chain, or None when it is unknown
    country: str | None
    lat: float | None
    lon: float | None
    description: str
    college: URIRef | None
    membership_role: URIRef | None
    homepage: str | None


@dataclass(frozen=True)
class ConceptRecord:
    """One `skos:Concept`: labels per language, scheme, parents, notation."""

    iri: URIRef
    #: ``skos:notation`` when present, else the last path segment of the IRI
    key: str
    labels: dict[str, str]
    scheme: URIRef | None
    broader: tuple[URIRef, ...]
    notation: str | None

    def label(self, lang: str = "fr") -> str:
        """The label in `lang`, else French, else English, else any, else the key.

        >>> ConceptRecord(URIRef("urn:c"), "c", {"fr": "Locaux"}, None, (), None).label("eu")
        'Locaux'
        """
        for language in (lang, "fr", "en"):
            if language in self.labels:
                return self.labels[language]
        for language in sorted(self.labels):
            return self.labels[language]
        return self.key


@dataclass(frozen=True)
class ProjectRecord:
    """One project with its participants (actor key, participation role)."""

    iri: URIRef
    key: str
    label: str
    description: str
    fields: tuple[URIRef, ...]
    status: URIRef | None
    start: dt.date | None
    end: dt.date | None
    participants: tuple[tuple[str, URIRef | None], ...]


@dataclass(frozen=True, eq=False)
class NetworkIndex:
    """Everything the analysis and the API read, built once from a store by `build_index`.

    Rows of the sparse matrices follow `actors` (sorted by key, so row order is key order); their
    columns follow `resource_columns` (`needs`, `offers`) and `field_columns` (`fields`). Values are 1.0
    where the actor declares the concept itself: the hierarchy is applied by the analyses, not here.

    Treat every attribute as read-only. `derived` is the one exception: a memo where analysis modules
    keep what they compute from this index (one key per module, e.g. ``"synergies"``); it is never
    part of the data and dies with the index.
    """

    actors: list[ActorRecord]
    position: dict[str, int]
    concepts: dict[URIRef, ConceptRecord]
    projects: list[ProjectRecord]
    project_position: dict[str, int]
    partnerships: set[frozenset[str]]
    collaboration: nx.Graph[str]
    needs: SparseMatrix
    offers: SparseMatrix
    fields: SparseMatrix
    resource_columns: tuple[URIRef, ...]
    resource_column: dict[URIRef, int]
    field_columns: tuple[URIRef, ...]
    field_column: dict[URIRef, int]
    generation: int
    network: URIRef | None = None
    derived: dict[str, object] = field(default_factory=dict, repr=False)
    #: The predicates the build read (``rdf:type`` included), or None when unknown: a commit touching none
    #: of them, or only descriptions, is followed by `patch_index` instead of a rebuild.
    read: frozenset[str] | None = field(default=None, repr=False)

    def actor(self, key: str) -> ActorRecord:
        """The actor with this key.

        Raises
        ------
        UnknownActorError
            When no actor has this key (a `KeyError`, message « Acteur inconnu : « key » »).
        """
        row = self.position.get(key)
        if row is None:
            raise UnknownActorError(key)
        return self.actors[row]

    def row(self, key: str) -> int:
        """The matrix row of an actor; raises `UnknownActorError` for an unknown key."""
        row = self.position.get(key)
        if row is None:
            raise UnknownActorError(key)
        return row

    def concept_label(self, iri: URIRef, lang: str = "fr") -> str:
        """The label of a concept in `lang` (fallback French, English, any); its key when not indexed."""
        record = self.concepts.get(iri)
        return record.label(lang) if record is not None else iri_key(iri)

    def linked(self, key_a: str, key_b: str) -> bool:
        """True when the two actors already share a project or a partnership."""
        return bool(self.collaboration.has_edge(key_a, key_b))

    def derive(self, key: str, kind: type[_T], build: Callable[[], _T]) -> _T:
        """``derived[key]``, made by `build` on first use — once, even under concurrent requests (one lock
        per key: a slow model does not hold up another) — and kept with the index.

        >>> from maillage.graph._index.build import build_index
        >>> from maillage.graph.stores.oxigraph import OxigraphStore
        >>> index, made = build_index(OxigraphStore(None)), []
        >>> first = index.derive("example", list, lambda: made.append(1) or made)
        >>> index.derive("example", list, list) is first, made
        (True, [1])
        """
        found = self.derived.get(key)
        if isinstance(found, kind):
            return found
        with _LOCKS_GUARD:
            lock = _LOCKS.setdefault(key, threading.Lock())
        with lock:
            found = self.derived.get(key)
            if not isinstance(found, kind):
                found = build()
                self.derived[key] = found
        return found


_T = typing.TypeVar("_T")
#: One lock per `derived` key (`NetworkIndex.derive`), made on first use.
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def iri_key(iri: str) -> str:
    """The last path segment of an IRI (after the last ``/`` or ``#``).

    >>> iri_key("https://w3id.org/maillage/id/actor/ferme-des-barthes")
    'ferme-des-barthes'
    >>> iri_key("https://w3id.org/maillage/ontology#fields")
    'fields'
    """
    text = str(iri)
    return text[max(text.rfind("/"), text.rfind("#")) + 1 :]


def unique_keys(iris: list[str], what: str) -> dict[str, str]:
    """IRI → key; `IndexBuildError` when two IRIs end with the same key."""
    keys: dict[str, str] = {}
    owner: dict[str, str] = {}
    for iri in iris:
        key = iri_key(iri)
        if key in owner:
            raise IndexBuildError(
                f"Deux {what}s ont la même clé « {key} » : <{owner[key]}> et <{iri}> ; "
                "renommez l'un des deux identifiants."
            )
        owner[key] = iri
        keys[iri] = key
    return keys
