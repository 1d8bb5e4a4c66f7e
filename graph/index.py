"""The analysis index: an immutable in-memory picture of one network, built from a store in one pass.

The API, the synergies, the overlaps and the network metrics answer from a `NetworkIndex`, never from
SPARQL per request. The index is rebuilt when `Store.generation` moves on (measured against a patch:
docs/decisions/20261128-index-rebuild.md), or patched when the commits since changed descriptions only
(`patch_index`: docs/decisions/20261129-index-follows-light-writes.md).

This module is the public face: import from here. The code lives in `maillage.graph._index`: `records`
(what the index holds), `build` (`build_index`), `fingerprint` (`synergy_fingerprint`) and the readers and
builders it puts together, `links` (`actor_links`, each actor's projects and partners) and `patch`.
"""

from __future__ import annotations

from maillage.graph._index.build import build_index
from maillage.graph._index.fingerprint import known_fingerprint, synergy_fingerprint
from maillage.graph._index.links import ActorLinks, actor_links
from maillage.graph._index.patch import patch_index
from maillage.graph._index.records import (
    ActorKind,
    ActorRecord,
    ConceptRecord,
    IndexBuildError,
    NetworkIndex,
    ProjectRecord,
    SparseMatrix,
    UnknownActorError,
    iri_key,
)
from maillage.graph._index.vocabulary import ACTOR_BASE, DCT, FOAF, GEO, MAI, ORG, PROJECT_BASE, SCHEMA, SKOS

__all__ = [
    "ACTOR_BASE",
    "DCT",
    "FOAF",
    "GEO",
    "MAI",
    "ORG",
    "PROJECT_BASE",
    "SCHEMA",
    "SKOS",
    "ActorKind",
    "ActorLinks",
    "ActorRecord",
    "ConceptRecord",
    "IndexBuildError",
    "NetworkIndex",
    "ProjectRecord",
    "SparseMatrix",
    "UnknownActorError",
    "actor_links",
    "build_index",
    "iri_key",
    "known_fingerprint",
    "patch_index",
    "synergy_fingerprint",
]
