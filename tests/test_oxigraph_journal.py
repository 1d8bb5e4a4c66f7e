"""Large transactions of the Oxigraph store go through a journal: the same result, whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef

from maillage.graph.stores import oxigraph
from maillage.graph.stores.oxigraph import OxigraphStore, to_ox

G = URIRef("https://w3id.org/maillage/graph/test")
LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def actor(i: int) -> URIRef:
    return URIRef(f"https://w3id.org/maillage/id/actor/a{i}")


def quads(numbers: range, text: str = "nom") -> list[tuple[URIRef, URIRef, Literal, URIRef]]:
    return [(actor(i), LABEL, Literal(f'{text} « {i} » "é"\n', lang="fr"), G) for i in numbers]


def test_a_journaled_commit_gives_what_one_transaction_gives(tmp_path: Path) -> None:
    plain = OxigraphStore(tmp_path / "plain")
    journaled = OxigraphStore(tmp_path / "journaled", journal_from=3)  # 4 quads or more: journaled
    for store in (plain, journaled):
        store.add_all(quads(range(10)))
        with store.transaction() as tx:  # 5 removes and 5 adds: through the journal too
            for quad in quads(range(5)):
                tx.remove(quad)
            tx.add_all(quads(range(5), "autre nom"))
    assert set(journaled.quads()) == set(plain.quads())
    assert len(journaled) == 10 and journaled.generation == plain.generation == 2
    # 5 renamed actors, 5 kept: worked out from the two transactions above
    assert journaled.value(actor(0), LABEL) == Literal('autre nom « 0 » "é"\n', lang="fr")
    assert journaled.value(actor(7), LABEL) == Literal('nom « 7 » "é"\n', lang="fr")
    assert not (tmp_path / "journaled.journal").exists()


def test_blank_nodes_are_never_journaled(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db", journal_from=1)
    node = BNode("b1")
    store.add_all([(node, LABEL, Literal("x"), G), (node, LABEL, Literal("y"), G)])
    assert {s for s, _p, _o, _g in store.quads()} == {node}  # the label is kept, not renamed by a parser


def test_a_journal_left_by_a_killed_process_is_applied_on_opening(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "db")
    store.add_all(quads(range(3)))
    store.close()
    # Killed after the commit point (the journal's rename), before the journal was applied and deleted:
    journal = tmp_path / "db.journal"
    journal.mkdir()
    removed, added = quads(range(1)), quads(range(3, 5))
    for name, lines in (("removes.nq", removed), ("adds.nq", added)):
        text = "".join(" ".join(str(to_ox(term)) for term in quad) + " .\n" for quad in lines)
        (journal / name).write_text(text, encoding="utf-8")
    # Killed before the commit point: a staging folder, which must be ignored.
    (tmp_path / "db.journal.tmp").mkdir()
    (tmp_path / "db.journal.tmp" / "adds.nq").write_text(f'<{actor(9)}> <{LABEL}> "non" <{G}> .\n')
    reopened = OxigraphStore(tmp_path / "db")
    assert set(reopened.quads()) == set(quads(range(1, 5)))  # a0 removed, a3 and a4 added, a9 never
    assert not journal.exists() and not (tmp_path / "db.journal.tmp").exists()


def test_a_kill_while_an_applied_journal_is_deleted_leaves_a_store_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The crash loop found it: killed while deleting the applied journal, the store was left with a
    # journal holding removes.nq but not adds.nq, which every later opening tried, and failed, to apply.
    # Now the applied journal is renamed away first; the kill is simulated inside the deletion, after
    # its first file.
    store = OxigraphStore(tmp_path / "db", journal_from=3)
    store.add_all(quads(range(3)))
    real_rmtree = oxigraph.shutil.rmtree

    def killed_while_deleting(path: Path, ignore_errors: bool = False) -> None:
        if Path(path).exists() and Path(path).name.startswith("db.journal"):
            next(Path(path).iterdir()).unlink()
            raise KeyboardInterrupt  # the process dies here
        real_rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(oxigraph.shutil, "rmtree", killed_while_deleting)
    with pytest.raises(KeyboardInterrupt):
        store.add_all(quads(range(3, 8)))  # 5 quads: journaled, applied, then killed while deleted
    monkeypatch.setattr(oxigraph.shutil, "rmtree", real_rmtree)
    store.close()
    reopened = OxigraphStore(tmp_path / "db")
    assert set(reopened.quads()) == set(quads(range(8)))  # the commit was applied before the kill
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_a_journal_is_bulk_loaded_in_chunks_of_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 7 adds in chunks of 2 lines: 4 calls of the bulk loader (2 + 2 + 2 + 1), every quad loaded once;
    # the labels hold a newline, escaped in N-Quads: still one quad a line.
    monkeypatch.setattr(oxigraph, "LOAD_CHUNK", 2)
    calls: list[int] = []
    store = OxigraphStore(tmp_path / "db", journal_from=3)
    monkeypatch.setattr(store, "_store", _CountingStore(store._store, calls))
    store.add_all(quads(range(7)))
    assert calls == [2, 2, 2, 1]
    assert set(store.quads()) == set(quads(range(7)))


class _CountingStore:
    """An Oxigraph store recording how many lines each bulk load is given."""

    def __init__(self, inner: Any, calls: list[int]) -> None:
        self._inner, self._calls = inner, calls

    def bulk_load(self, data: bytes, **kwargs: Any) -> None:
        self._calls.append(data.count(b"\n"))
        self._inner.bulk_load(data, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
