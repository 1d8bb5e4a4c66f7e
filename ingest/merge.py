"""Merging two records of one actor (`maillage merge A B`): B's statements and links move to A in one
transaction, the provenance of both is kept, and B's IRI keeps answering (``A dct:replaces B``).

Rules (docs/decisions/20261128-concept-mapping-and-resolution.md):

- B's statements move to A, graph by graph. A property an actor has at most once (name, type, commune,
  coordinates, consent, each identifier; a description per language) keeps A's value: B's is listed in
  the result as not kept, and B's name becomes a `skos:altLabel` of A (so a later import of B's file still
  finds A, `maillage.ingest.resolve`);
- every statement pointing to B points to A instead (memberships, participations, needs, offers,
  partnerships, `mai:partnerOf`); a partnership between A and B themselves is removed, with its links;
- provenance: B's own provenance stays on B's IRI (its history); A gains `prov:wasDerivedFrom` B,
  `prov:wasInfluencedBy` every run that generated or changed B, and the merge itself as a `prov:Activity`
  (label, time, `prov:used` B); A's `dct:modified` becomes the merge time;
- ``A dct:replaces B`` in A's network graph: `/id/actor/B` redirects to A, and a re-import of B's key
  updates A.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS, XSD

from maillage.graph.stores.base import Object, Store, Transaction
from maillage.ontology.iri import GRAPH_BASE, IRIError, data_iri, key_of, provenance_graph
from maillage.ontology.vocab import GEO, MAI

#: Properties an actor has at most once (SHACL `sh:maxCount 1`): A's value wins.
SINGLE_VALUED = (
    RDF.type,
    SKOS.prefLabel,
    MAI.actorType,
    MAI.basedIn,
    GEO.lat,
    GEO.long,
    MAI.publicConsent,
    MAI.siret,
    MAI.siren,
    MAI.rna,
    MAI.nif,
    SDO.email,
    SDO.telephone,
    MAI.internalNote,
)
_PROVENANCE = GRAPH_BASE + "provenance/"
_NETWORK = GRAPH_BASE + "network/"


class MergeError(ValueError):
    """Two actors cannot be merged; the message says which and why."""


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: statements moved, links redirected, B's values not kept, nodes removed, the run."""

    keep: str
    absorbed: str
    moved: int
    relinked: int
    not_kept: tuple[tuple[str, str], ...]
    removed: tuple[str, ...]
    run: URIRef

    def as_text(self) -> str:
        """The result in French, one fact a line."""
        lines = [
            f"« {self.absorbed} » fusionné dans « {self.keep} » : {self.moved} déclaration(s) reprise(s), "
            f"{self.relinked} lien(s) redirigé(s) vers « {self.keep} ».",
            f"/id/actor/{self.absorbed} redirige désormais vers /id/actor/{self.keep} (dct:replaces) ; "
            "les deux provenances sont gardées.",
        ]
        lines += [f"  non repris (« {self.keep} » a déjà le sien) : {p} « {v} »" for p, v in self.not_kept]
        lines += [f"  supprimé (partenariat de l'acteur avec lui-même) : {node}" for node in self.removed]
        return "\n".join(lines)


def merge_actors(store: Store, keep: str, absorb: str, *, now: dt.datetime | None = None) -> MergeResult:
    """Merge actor `absorb` (B) into actor `keep` (A), by key, in one transaction (see the module).

    Raises `MergeError` when a key is not an actor of the store (or B was already merged), when A and B
    are the same, or when one is a person and the other an organisation.
    """
    a, b = _actor(store, keep), _actor(store, absorb)
    if a == b:
        raise MergeError(f"« {keep} » : un acteur ne peut être fusionné avec lui-même")
    types_a, types_b = _types(store, a), _types(store, b)
    if not types_b:
        keeper = next((s for s, _p, _o in store.triples(None, DCTERMS.replaces, b)), None)
        hint = f" (déjà fusionné dans « {key_of(str(keeper))} »)" if keeper is not None else ""
        raise MergeError(f"acteur inconnu : « {absorb} »{hint}")
    if not types_a:
        raise MergeError(f"acteur inconnu : « {keep} »")
    if types_a != types_b:
        raise MergeError(
            f"« {keep} » et « {absorb} » ne sont pas du même genre (une personne et une organisation) : "
            "fusion refusée"
        )
    tx = Transaction(store)
    graph_a = next(g for _s, _p, _o, g in store.quads(a, RDF.type, None, None))
    provenance = provenance_graph(key_of(str(graph_a))) if str(graph_a).startswith(_NETWORK) else graph_a
    removed = _remove_partnerships_between(store, tx, a, b)
    moved, not_kept = _move_statements(store, tx, a, b, provenance)
    relinked = 0
    for s, p, o, g in store.quads(None, None, b, None):
        if str(g).startswith(_PROVENANCE):
            continue  # history: the runs and merges that used B keep naming B
        tx.remove((s, p, o, g))
        if s in removed or (s == a and p == MAI.partnerOf):
            continue
        tx.add((s, p, a, g))
        relinked += 1
    tx.add((a, DCTERMS.replaces, b, graph_a))
    run = _record_merge(store, tx, a, b, provenance, now=now)
    store.commit(tx)
    return MergeResult(keep, absorb, moved, relinked, tuple(not_kept), tuple(sorted(map(str, removed))), run)


def _actor(store: Store, key: str) -> URIRef:
    try:
        return data_iri("actor", key)
    except IRIError as error:
        raise MergeError(str(error)) from None


def _types(store: Store, iri: URIRef) -> set[Object]:
    return {o for _s, _p, o, g in store.quads(iri, RDF.type, None, None) if str(g).startswith(_NETWORK)}


def _remove_partnerships_between(store: Store, tx: Transaction, a: URIRef, b: URIRef) -> set[URIRef]:
    """Remove the partnership nodes whose two partners are A and B (they would become A with itself)."""
    of_b = {s for s, _p, _o in store.triples(None, MAI.partner, b)}
    both = {s for s, _p, _o in store.triples(None, MAI.partner, a) if s in of_b}
    for node in both:
        tx.remove_pattern(node)
    return both  # type: ignore[return-value]


def _move_statements(
    store: Store, tx: Transaction, a: URIRef, b: URIRef, provenance: URIRef
) -> tuple[int, list[tuple[str, str]]]:
    """Move B's statements to A (A's single values win); B's provenance is copied, not moved."""
    own: dict[URIRef, set[Object]] = {}
    languages: set[str] = set()
    for _s, p, o, g in store.quads(a, None, None, None):
        if not str(g).startswith(_PROVENANCE):
            own.setdefault(p, set()).add(o)
            if p == DCTERMS.description and isinstance(o, Literal) and o.language:
                languages.add(o.language)
    moved, not_kept = 0, []
    for s, p, o, g in store.quads(b, None, None, None):
        if str(g).startswith(_PROVENANCE):
            if p in (PROV.wasGeneratedBy, PROV.wasInfluencedBy):
                tx.add((a, PROV.wasInfluencedBy, o, provenance))
            continue
        tx.remove((s, p, o, g))
        if (p == MAI.partnerOf and o == a) or o in own.get(p, set()):
            continue
        if p in SINGLE_VALUED and own.get(p):
            not_kept.append((key_of(str(p)), str(o) if not isinstance(o, URIRef) else key_of(str(o))))
            if p == SKOS.prefLabel:
                tx.add((a, SKOS.altLabel, o, g))
            continue
        if p == DCTERMS.description and isinstance(o, Literal) and o.language in languages:
            not_kept.append(("description", str(o)))
            continue
        tx.add((a, p, o, g))
        moved += 1
    return moved, sorted(not_kept)


def _record_merge(
    store: Store, tx: Transaction, a: URIRef, b: URIRef, graph: URIRef, *, now: dt.datetime | None
) -> URIRef:
    """The merge as a `prov:Activity` in A's provenance graph; A derived from B, modified now."""
    moment = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    stamp = Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    run = data_iri("import-run", "fusion-" + moment.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8])
    label = f"Fusion de « {key_of(str(b))} » dans « {key_of(str(a))} »"
    tx.add((run, RDF.type, PROV.Activity, graph))
    tx.add((run, RDFS.label, Literal(label, lang="fr"), graph))
    tx.add((run, PROV.startedAtTime, stamp, graph))
    tx.add((run, PROV.used, b, graph))
    tx.add((run, DCTERMS.source, Literal("maillage merge"), graph))
    tx.add((a, PROV.wasDerivedFrom, b, graph))
    tx.add((a, PROV.wasInfluencedBy, run, graph))
    for old in store.quads(a, DCTERMS.modified, None, graph):
        tx.remove(old)
    tx.add((a, DCTERMS.modified, stamp, graph))
    return run
