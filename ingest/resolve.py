"""Entity resolution: is an incoming actor row one the store already holds? By identifier, else by name and
commune, else it is new — and near misses are reported as probable duplicates, never merged silently.

Rules (docs/decisions/20261128-concept-mapping-and-resolution.md), for a row whose key is not an actor of
the store yet:

0. its key was merged into another actor (`A dct:replaces B`, see `maillage.ingest.merge`) → that actor;
1. **identifier**: the same SIRET, RNA or NIF, or the same SIREN (a SIRET's first 9 digits) when one side
   has no SIRET → that actor, if exactly one actor matches and no identifier of the same kind disagrees.
   The same SIREN with two different SIRETs is two establishments of one legal entity: a probable
   duplicate, not a match;
2. **name and commune**: in the same commune, names folded by the duplicates' rule
   (`maillage.graph.overlaps.normalise_name`: accents, case, punctuation, legal forms and short words
   dropped; `skos:altLabel`s count too) with a rapidfuzz ``token_sort_ratio`` of at least
   `NAME_MATCH_THRESHOLD` (the duplicates' threshold, 90) → that actor, if it is the only one;
3. otherwise the actor is new. In the same commune, a ``token_sort_ratio`` of at least
   `NEAR_NAME_THRESHOLD` or the duplicates' own test (``token_set_ratio`` ≥ 90) is a probable duplicate.

``token_sort_ratio`` (word order ignored) decides a match rather than ``token_set_ratio`` because the
latter scores 100 whenever one name's words are all in the other (« Mairie de Bayonne » / « Bayonne »):
good for pointing at a possible duplicate, too lenient for rewriting which actor a row updates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rdflib import RDF
from rdflib.namespace import DCTERMS, SKOS

from maillage.graph.overlaps import NAME_SIMILARITY_THRESHOLD, identifier_key, normalise_name
from maillage.graph.stores.base import Store
from maillage.ingest.readers.table import Table
from maillage.ingest.report import ActorEvidence, ActorResolution, Problem
from maillage.ingest.territories import places
from maillage.ingest.validate_ids import check_nif, check_rna, check_siret
from maillage.ontology.iri import IRIError, data_iri, key_of
from maillage.ontology.vocab import MAI

#: token_sort_ratio (0–100) of folded names, in the same commune, from which a row *is* the existing actor.
NAME_MATCH_THRESHOLD = NAME_SIMILARITY_THRESHOLD
#: token_sort_ratio from which a name in the same commune is a probable duplicate (reported only).
NEAR_NAME_THRESHOLD = 80.0

IDENTIFIER_LABELS = {"siret": "SIRET", "siren": "SIREN", "rna": "RNA", "nif": "NIF"}
MATCHED, PROBABLE = "rapproché", "doublon probable"


@dataclass(frozen=True)
class ActorRecord:
    """What resolution compares: an actor's key, names, commune and identifiers (kind → value)."""

    key: str
    names: tuple[str, ...]
    commune: str | None
    identifiers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resolution:
    """The outcome for one incoming actor: the existing actor it is (or None), and probable duplicates."""

    actor: str | None
    rule: str | None = None
    evidence: tuple[ActorEvidence, ...] = ()
    duplicates: tuple[tuple[str, tuple[ActorEvidence, ...]], ...] = ()


class ActorResolver:
    """The actors of a store, indexed by identifier and by commune; read once, on first use.

    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> resolver = ActorResolver(OxigraphStore(None))
    >>> resolver.add(ActorRecord("atelier-bois", ("Atelier Bois Solidaire (SCOP)",), "40312",
    ...                          {"siret": "73282932000074"}))
    >>> resolver.resolve(ActorRecord("abs", ("ABS",), "64102", {"siret": "73282932000074"})).actor
    'atelier-bois'
    >>> resolver.resolve(ActorRecord("ab", ("L'Atelier Bois Solidaire",), "40312")).actor
    'atelier-bois'
    >>> resolver.resolve(ActorRecord("ab", ("Atelier Bois Solidaire",), "64102")).actor is None
    True
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._records: dict[str, ActorRecord] | None = None
        self._replaced: dict[str, str] = {}
        self._by_identifier: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._by_commune: dict[str, list[str]] = defaultdict(list)

    def _load(self) -> dict[str, ActorRecord]:
        if self._records is None:
            self._records = {}
            self._read()
        return self._records

    def _read(self) -> None:
        """One pattern query per predicate (types, names, communes, identifiers, replacements)."""
        actors = {
            str(s)
            for klass in (MAI.Organisation, MAI.Person)
            for s, _p, _o in self._store.triples(None, RDF.type, klass)
        }
        values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        predicates = {
            "name": SKOS.prefLabel,
            "alt": SKOS.altLabel,
            "commune": MAI.basedIn,
            "siret": MAI.siret,
            "siren": MAI.siren,
            "rna": MAI.rna,
            "nif": MAI.nif,
        }
        for name, predicate in predicates.items():
            for s, _p, o in self._store.triples(None, predicate, None):
                if str(s) in actors:
                    values[str(s)][name].append(str(o))
        for iri in sorted(actors):
            found = values[iri]
            commune = found["commune"][0] if found["commune"] else None
            self.add(
                ActorRecord(
                    key_of(iri),
                    tuple(sorted(set(found["name"])) + sorted(set(found["alt"]))),
                    key_of(commune) if commune else None,
                    {k: found[k][0] for k in ("siret", "siren", "rna", "nif") if found[k]},
                )
            )
        for keeper, _p, replaced in self._store.triples(None, DCTERMS.replaces, None):
            self._replaced[key_of(str(replaced))] = key_of(str(keeper))

    def add(self, record: ActorRecord) -> None:
        """Index one more existing actor (used by `_read`, and by tests with tiny hand-made stores)."""
        records = self._load()
        records[record.key] = record
        for kind, canonical in _canonical(record.identifiers).items():
            self._by_identifier[(kind, canonical)].add(record.key)
        if record.commune is not None:
            self._by_commune[record.commune].append(record.key)

    def knows(self, key: str) -> bool:
        """The key is already an actor of the store."""
        return key in self._load()

    def resolve(self, incoming: ActorRecord) -> Resolution:
        """Which existing actor `incoming` is, by the rules of the module; cost O(actors of its commune)."""
        records = self._load()
        if incoming.key in self._replaced:
            keeper = self._replaced[incoming.key]
            return Resolution(keeper, "fusion", (ActorEvidence("fusion", incoming.key, keeper),))
        canonical = _canonical(incoming.identifiers)
        candidates = sorted({k for item in canonical.items() for k in self._by_identifier.get(item, ())})
        matches, probable = [], []
        for key in candidates:
            evidence, certain, conflict = _identifier_evidence(incoming, records[key])
            (matches if certain and not conflict else probable).append((key, evidence))
        if len(matches) == 1:
            key, evidence = matches[0]
            return Resolution(key, "identifiant", evidence, tuple(probable))
        if matches:
            return Resolution(None, None, (), tuple(matches + probable))
        by_name, near = self._by_name(incoming, exclude=set(candidates))
        if len(by_name) == 1:
            key, evidence = by_name[0]
            return Resolution(key, "nom et commune", evidence, tuple(probable + near))
        return Resolution(None, None, (), tuple(probable + by_name + near))

    def _by_name(
        self, incoming: ActorRecord, *, exclude: set[str]
    ) -> tuple[list[tuple[str, tuple[ActorEvidence, ...]]], list[tuple[str, tuple[ActorEvidence, ...]]]]:
        """(matches, near misses) among the actors of the same commune, best first."""
        if incoming.commune is None:
            return [], []
        mine = [n for n in (normalise_name(name) for name in incoming.names) if n]
        scored = []
        for key in self._by_commune.get(incoming.commune, ()):
            record = self._load()[key]
            if key in exclude or _conflicts(_canonical(incoming.identifiers), _canonical(record.identifiers)):
                continue
            best = (0.0, 0.0, "", "")
            for theirs in (n for n in (normalise_name(name) for name in record.names) if n):
                for ours in mine:
                    sort_score = float(fuzz.token_sort_ratio(ours, theirs))
                    set_score = float(fuzz.token_set_ratio(ours, theirs))
                    best = max(best, (sort_score, set_score, ours, theirs))
            sort_score, set_score, ours, theirs = best
            if sort_score >= NEAR_NAME_THRESHOLD or set_score >= NAME_SIMILARITY_THRESHOLD:
                evidence = (
                    ActorEvidence("nom", ours, theirs, round(sort_score, 1)),
                    ActorEvidence("commune", incoming.commune, record.commune or ""),
                )
                scored.append((sort_score, key, evidence))
        scored.sort(key=lambda item: (-item[0], item[1]))
        matches = [(k, e) for s, k, e in scored if s >= NAME_MATCH_THRESHOLD]
        near = [(k, e) for s, k, e in scored if s < NAME_MATCH_THRESHOLD]
        return matches, near


def _canonical(identifiers: dict[str, str]) -> dict[str, str]:
    """kind compared → canonical value: SIRET and SIREN both give a SIREN (`identifier_key`)."""
    found: dict[str, str] = {}
    for kind, value in identifiers.items():
        canonical = identifier_key(kind, value)  # type: ignore[arg-type]
        if canonical is not None:
            found[canonical[0]] = canonical[1]
    return found


def _conflicts(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The kinds both sides have with different values (two legal entities, not one)."""
    return [kind for kind in sorted(ours.keys() & theirs.keys()) if ours[kind] != theirs[kind]]


def _identifier_evidence(
    incoming: ActorRecord, record: ActorRecord
) -> tuple[tuple[ActorEvidence, ...], bool, bool]:
    """(evidence, is a match, has a conflicting identifier) of an actor sharing an identifier."""
    ours, theirs = _canonical(incoming.identifiers), _canonical(record.identifiers)
    evidence, certain = [], False
    for kind in sorted(ours.keys() & theirs.keys()):
        if ours[kind] != theirs[kind]:
            continue
        if kind == "siren":
            sirets = (incoming.identifiers.get("siret", ""), record.identifiers.get("siret", ""))
            if all(sirets) and sirets[0] != sirets[1]:
                evidence.append(ActorEvidence("SIREN (deux établissements)", *sirets))
                continue
            if all(sirets):
                evidence.append(ActorEvidence("SIRET", *sirets))
                certain = True
                continue
        evidence.append(ActorEvidence(IDENTIFIER_LABELS[kind], ours[kind], theirs[kind]))
        certain = True
    return tuple(evidence), certain, bool(_conflicts(ours, theirs))


def incoming_record(row: dict[str, str]) -> ActorRecord | None:
    """The actor an `acteurs` row describes, or None when its key, commune or identifiers are invalid (the
    mapper reports those)."""
    key = row.get("identifiant", "").strip()
    try:
        data_iri("actor", key)
    except IRIError:
        return None
    place = places().get((row.get("pays", "").strip().upper(), row.get("commune", "").strip()))
    identifiers: dict[str, str] = {}
    for kind, check in (("siret", check_siret), ("rna", check_rna), ("nif", check_nif)):
        value = row.get(kind, "").strip()
        if value:
            if check(value) is not None:
                return None
            identifiers[kind] = value.replace(" ", "").upper()
    commune = key_of(str(place.iri)) if place is not None else None
    return ActorRecord(key, (row.get("nom", ""),), commune, identifiers)


def resolve_actor_rows(
    table: Table, resolver: ActorResolver
) -> tuple[dict[str, str], list[ActorResolution], list[Problem]]:
    """For the `acteurs` sheet: which row keys are existing actors (key → existing key), the report, and the
    rows refused.

    A row is taken for an existing actor only when that actor is not itself a row of the sheet and no
    earlier row was taken for it; otherwise the pair is reported as a probable duplicate — except for a
    key already merged into an actor that also has its row: the merge was decided, so the row is refused.
    """
    declared = {row.get("identifiant", "").strip() for row in table.rows if row}
    aliases: dict[str, str] = {}
    report: list[ActorResolution] = []
    refused: list[Problem] = []
    for index, row in enumerate(table.rows):
        incoming = incoming_record(row) if row else None
        if incoming is None or resolver.knows(incoming.key) or incoming.key in aliases:
            continue
        found = resolver.resolve(incoming)

        def entry(actor: str, status: str, evidence: tuple[ActorEvidence, ...]) -> ActorResolution:
            return ActorResolution(
                file=table.file,
                sheet=table.sheet,
                row=Table.line_of(index),  # noqa: B023 - used at once, inside the loop
                key=incoming.key,  # noqa: B023
                actor=actor,
                status=status,
                evidence=evidence,
            )

        if found.rule == "fusion" and found.actor in declared:
            refused.append(
                Problem(
                    file=table.file,
                    sheet=table.sheet,
                    row=Table.line_of(index),
                    column="identifiant",
                    value=incoming.key,
                    rule=f"acteur fusionné dans « {found.actor} », qui a aussi sa ligne dans ce fichier",
                    suggestion="supprimez cette ligne, ou reportez ses informations sur celle de "
                    f"« {found.actor} »",
                )
            )
            continue
        if found.actor is not None:
            free = found.actor not in declared and found.actor not in aliases.values()
            if free:
                aliases[incoming.key] = found.actor
            report.append(entry(found.actor, MATCHED if free else PROBABLE, found.evidence))
        report += [entry(actor, PROBABLE, evidence) for actor, evidence in found.duplicates]
    return aliases, report, refused
