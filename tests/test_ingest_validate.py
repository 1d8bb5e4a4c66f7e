"""SHACL validation of imports made faster: flattened shapes, only what changes, two processes, an indexed
data graph — and the same answers as the shapes as written, checked in one pass on rdflib's own store."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

from maillage.graph.collector import paused_collector
from maillage.graph.stores.base import Transaction, Upsert
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.cells import Mapped
from maillage.ingest.importer import changed_and_around, ensure_reference_data, import_path
from maillage.ingest.report import ImportRefusedError
from maillage.ingest.shacl_data import TripleIndex, data_graph
from maillage.ingest.validate import entity_shapes, flat_shapes, shacl_problems
from maillage.ontology.vocab import MAI
from tests.test_ontology import BROKEN_ACTOR, MESSAGES, VALID, actor_with, ontology_and_schemes, parsed

BROKEN_VALUES = [
    'mai:siret "7328 2932 0000 09"',
    'mai:siren "732829320" ; mai:siret "55208131766522"',
    'mai:nif "b12345674"',
    "geo:lat 91.0 ; geo:long -1.4",
    "geo:lat 43.5",
    "mai:needs field:emploi",
    'dct:description "sans langue"',
]
CASES = [VALID, BROKEN_ACTOR, *(actor_with(extra) for extra in BROKEN_VALUES)]
CASES += [actor_with('mai:siret "73282932000009"', actor_type="habitant", klass="mai:Person")]


def results(data: Graph, shapes: Graph) -> tuple[bool, set[tuple[str, ...]]]:
    from pyshacl import validate

    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")
    found = set()
    for result in report.objects(None, SH.result):
        terms = (SH.focusNode, SH.resultPath, SH.value, SH.resultMessage, SH.resultSeverity)
        values = [report.value(result, term) for term in (*terms, SH.sourceConstraintComponent)]
        # a complex path is a blank node of each parse of the shapes: compared by what it is, a path
        found.add(tuple("[chemin]" if isinstance(v, BNode) else str(v) for v in values))
    return bool(conforms), found


@pytest.mark.parametrize("data", CASES)
def test_flattened_shapes_give_the_same_results_as_the_shapes_as_written(data: str) -> None:
    graph = Graph().parse(data=data, format="turtle")
    graph += ontology_and_schemes()
    assert results(graph, flat_shapes()) == results(graph, parsed("shapes.ttl"))


def broken_network() -> Mapped:
    """Actors as an RDF import maps them: one valid, then one per broken value (``test_ontology``)."""
    mapped = Mapped(network=URIRef("https://w3id.org/maillage/id/network/ptce-sud-aquitain"))
    for number, data in enumerate([VALID, *(actor_with(extra) for extra in BROKEN_VALUES)]):
        text = data.replace("actor:test ", f"actor:test-{number} ")
        for s, p, o in Graph().parse(data=text, format="turtle"):
            if "/id/actor/" in str(s) or "/id/membership/" in str(s) or "/id/network/" in str(s):
                mapped.triples.setdefault(s, set()).add((s, p, o))  # type: ignore[arg-type]
                mapped.origin.setdefault(s, ("reseau.ttl", "reseau.ttl", number))  # type: ignore[index]
    return mapped


def test_two_processes_find_the_same_problems_as_one() -> None:
    store = OxigraphStore(None)
    ensure_reference_data(store)  # Tarnos and what encloses it, as an import finds them
    mapped = broken_network()
    one = shacl_problems(mapped, store, workers=1)
    # One message per broken value, as in test_ontology.test_each_broken_value_gets_its_message.
    expected = ["siret format", "siren vs siret", "nif", "latitude", "lat without long", "need"]
    expected.append("description")
    assert sorted(p.rule for p in one) == sorted(MESSAGES[name] for name in expected)
    assert shacl_problems(mapped, store, workers=2) == one
    assert shacl_problems(mapped, store, subjects=set(mapped.triples), workers=2) == one


def test_only_changed_entities_and_their_neighbours_are_checked() -> None:
    actor, other = (URIRef(f"https://w3id.org/maillage/id/actor/{k}") for k in ("a", "b"))
    membership = URIRef("https://w3id.org/maillage/id/membership/r.a")
    mapped = Mapped()
    mapped.add(actor, MAI.basedIn, URIRef("https://w3id.org/maillage/id/commune/40312"))
    mapped.add(membership, URIRef("http://www.w3.org/ns/org#member"), actor)
    mapped.add(other, MAI.basedIn, URIRef("https://w3id.org/maillage/id/commune/40312"))
    plan = Upsert(transaction=Transaction(OxigraphStore(None)))
    assert changed_and_around(mapped, plan) == set()  # nothing changes: nothing to check
    plan.changes = {actor: "updated"}
    assert changed_and_around(mapped, plan) == {actor, membership}  # the membership points to it
    plan.changes = {membership: "created"}
    assert changed_and_around(mapped, plan) == {membership, actor}  # it points to the actor


@pytest.mark.parametrize("data", CASES)
def test_pyshacl_finds_the_same_results_on_the_indexed_data_graph(data: str) -> None:
    graph = Graph().parse(data=data, format="turtle")
    graph += ontology_and_schemes()
    indexed = data_graph(graph)  # type: ignore[arg-type]
    assert len(indexed) == len(graph)
    assert results(indexed, flat_shapes()) == results(graph, flat_shapes())


def test_the_triple_index_answers_every_pattern() -> None:
    a, b, c = (URIRef(f"urn:{name}") for name in "abc")
    knows, likes = URIRef("urn:knows"), URIRef("urn:likes")
    name = Literal("a")
    index = TripleIndex([(a, knows, b), (a, knows, c), (b, knows, c), (a, likes, c), (a, knows, b)])
    index.add((c, likes, name), None)
    assert len(index) == 5  # (a knows b) twice counts once

    def match(s: Node | None, p: Node | None, o: Node | None) -> set[tuple[Node, ...]]:
        return {triple for triple, _contexts in index.triples((s, p, o))}

    assert match(a, knows, None) == {(a, knows, b), (a, knows, c)}
    assert match(a, None, c) == {(a, knows, c), (a, likes, c)}
    assert match(a, knows, c) == {(a, knows, c)} and match(c, knows, a) == set()
    assert match(None, knows, c) == {(a, knows, c), (b, knows, c)}
    assert match(None, None, c) == {(a, knows, c), (b, knows, c), (a, likes, c)}
    assert match(None, likes, None) == {(a, likes, c), (c, likes, name)}
    assert len(match(None, None, None)) == 5
    graph = data_graph(match(None, None, None))  # type: ignore[arg-type]
    assert sorted(graph.objects(a, knows)) == [b, c] and sorted(graph.subjects(knows, c)) == [a, b]
    assert list(graph.objects(c, knows)) == [] and list(graph.subjects(likes, a)) == []
    index.remove((a, knows, None))
    assert len(index) == 3 and match(a, None, None) == {(a, likes, c)}
    assert match(None, knows, None) == {(b, knows, c)}


def test_overlapping_imports_share_one_pause_of_the_collector(tmp_path: Path) -> None:
    first, second = paused_collector(), paused_collector()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first import ends while the second still runs (another thread)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    # An import refused midway gives the collector back too.
    with pytest.raises(ImportRefusedError, match="aucun fichier CSV ou XLSX"):
        import_path(OxigraphStore(None), tmp_path)
    assert gc.isenabled()


class ReadSpy:
    """A store that records the subjects whose triples are read (everything else passed through)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store, self.read = store, set()

    def triples(self, subject: Node | None = None, *rest: Node | None) -> object:
        self.read.add(subject)
        return self.store.triples(subject, *rest)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)


def partner_chain(*, b_points_back: bool) -> tuple[OxigraphStore, Mapped, list[URIRef]]:
    """Stored actors b – c – d, partners in a chain (both directions), and a mapped actor a, partner of b."""
    store = OxigraphStore(None)
    ensure_reference_data(store)
    a, b, c, d = (URIRef(f"https://w3id.org/maillage/id/actor/{k}") for k in "abcd")
    commune = URIRef("https://w3id.org/maillage/id/commune/40312")
    field = URIRef("https://w3id.org/maillage/concept/field/emploi")
    kind = URIRef("https://w3id.org/maillage/concept/actor-type/association")
    graph = URIRef("https://w3id.org/maillage/graph/network")

    def described(actor: URIRef, *partners: URIRef) -> list[tuple[URIRef, URIRef, Node]]:
        label = Literal(f"Acteur {str(actor)[-1]}")
        triples = [(actor, RDF.type, MAI.Organisation), (actor, SKOS.prefLabel, label)]
        triples += [(actor, MAI.actorType, kind), (actor, MAI.field, field), (actor, MAI.basedIn, commune)]
        return triples + [(actor, MAI.partnerOf, partner) for partner in partners]

    stored = described(b, c, *([a] if b_points_back else [])) + described(c, b, d) + described(d, c)
    store.add_all((s, p, o, graph) for s, p, o in stored)
    mapped = Mapped()
    for s, p, o in described(a, b):
        mapped.add(s, p, o)  # type: ignore[arg-type]
    mapped.origin[a] = ("acteurs.csv", "acteurs", 2)
    return store, mapped, [a, b, c, d]


def test_an_edit_reads_its_neighbours_only_and_still_checks_what_they_say() -> None:
    # a (checked) is partner of b; b is partner of c, c of d. The shapes read, of b, its class (sh:class
    # mai:Actor on mai:partnerOf) and its link back to a (sh:inversePath mai:partnerOf, sh:equals): b is
    # read, c and d never (following the links on pulled in most of a 25,000-actor network: 7 s an edit).
    store, mapped, (a, b, c, d) = partner_chain(b_points_back=True)
    spy = ReadSpy(store)
    assert shacl_problems(mapped, spy, workers=1) == []  # type: ignore[arg-type]
    assert {b, a} <= spy.read and not {c, d} & spy.read
    # b does not point back to a: the one-sided link is found, on a, from b's stored description.
    store, mapped, _actors = partner_chain(b_points_back=False)
    problems = shacl_problems(mapped, store, workers=1)
    assert [(p.file, p.row, p.rule) for p in problems] == [("acteurs.csv", 2, MESSAGES["partner of"])]


def test_concept_shapes_run_only_when_a_concept_is_checked() -> None:
    # A concept without a French label, a broader concept in another scheme, and an actor whose SIRET is
    # malformed: the full shapes find the three; the entity shapes (an actor's edit) the actor's only.
    broken = (
        actor_with('mai:siret "7328 2932 0000 09"')
        + """
<https://w3id.org/maillage/concept/field/local-x> a skos:Concept ;
    skos:prefLabel "Eremua"@eu ; skos:inScheme mai:fields ;
    skos:broader <https://w3id.org/maillage/concept/resource/locaux> .
"""
    )
    graph = Graph().parse(data=broken, format="turtle") + ontology_and_schemes()
    messages = {found[3] for found in results(graph, flat_shapes())[1]}
    assert messages == {
        MESSAGES["siret format"],
        "Chaque concept doit avoir un libellé préféré en français.",
        "Un concept et son concept plus large doivent appartenir au même schéma.",
    }
    assert {found[3] for found in results(graph, entity_shapes())[1]} == {MESSAGES["siret format"]}


def test_an_edited_concept_is_still_checked_by_the_concept_shapes() -> None:
    concept = URIRef("https://w3id.org/maillage/concept/field/local-y")
    mapped = Mapped()
    mapped.add(concept, RDF.type, SKOS.Concept)
    mapped.add(concept, SKOS.prefLabel, Literal("Eremua", lang="eu"))
    mapped.add(concept, SKOS.inScheme, MAI.fields)
    mapped.origin[concept] = ("api", None, 0)
    store = OxigraphStore(None)
    ensure_reference_data(store)
    rules = [p.rule for p in shacl_problems(mapped, store, workers=1)]
    assert rules == ["Chaque concept doit avoir un libellé préféré en français."]
