"""Copying a whole store into another (`maillage copy`): every quad of every named graph, streamed in
bounded batches, and checked — quads per graph read from the source, read on the way, written to the
target — before the copy becomes visible in the target.

The copy goes through `Store.raw_batches` and `Store.replace_all`, as plain strings: no rdflib term is
made, so literals keep their lexical forms and blank nodes their labels (the same node in every batch),
and the result is isomorphic to the source whatever the stores (docs/decisions/20261129-store-copy.md).
What a store holds is all there is to copy: the API tokens live in a file of the data folder, outside
every store (`maillage.graph.tokens`), and are not copied.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from maillage.graph.stores.base import RAW_BATCH, Store, StoreError
from maillage.graph.stores.nquads import RawQuad


class CopyError(StoreError):
    """A copy was refused or failed its check; the message says why, in French."""


@dataclass(frozen=True)
class CopyReport:
    """What a copy moved: quads per named graph (the same on both sides), its duration, and how many
    quads the target held before (replaced with ``replace=True``)."""

    graphs: dict[str, int]
    seconds: float
    replaced: int = 0

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())

    def sentence(self) -> str:
        """The copy in words.

        >>> CopyReport({"urn:g": 1200, "urn:h": 3}, 1.25, replaced=7).sentence()
        'Copie vérifiée : 1 203 quads dans 2 graphes en 1,2 s (les 7 quads de la cible ont été remplacés).'
        """
        text = (
            f"Copie vérifiée : {_number(self.quads)} quads dans {_number(len(self.graphs))} "
            f"graphe{'s' if len(self.graphs) > 1 else ''} en {self.seconds:.1f} s".replace(".", ",")
        )
        if self.replaced:
            text += f" (les {_number(self.replaced)} quads de la cible ont été remplacés)"
        return text + "."


def copy_store(
    source: Store,
    target: Store,
    *,
    replace: bool = False,
    batch_size: int = RAW_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> CopyReport:
    """Copy every quad of `source` into `target`, which must be empty unless `replace`.

    Parameters
    ----------
    source, target : Store
        Two different stores, of any kinds. Nothing may write to `source` during the copy: a change is
        caught by the counts (the copy is then refused), not waited for.
    replace : bool
        Replace whatever `target` holds; otherwise a non-empty target is refused and nothing is written.
    batch_size : int
        Quads held in memory at a time on the way: memory O(batch_size), not O(store).
    progress : callable, optional
        Called as ``progress(done, total)`` after each batch, with quads copied so far and in all.

    Returns
    -------
    CopyReport

    Raises
    ------
    CopyError
        `target` is `source`, or not empty without `replace`, or the counts of a graph disagree.
    StoreError
        A store failed (unreachable server, disk full, bad term). How much of the target then changed
        depends on its kind (`Store.replace_all`): an Oxigraph store on disk and a Bolt server keep their
        former content; an Oxigraph store in memory is left partly filled.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> source, target = OxigraphStore(None), OxigraphStore(None)
    >>> source.add_all([(URIRef("urn:a"), URIRef("urn:p"), Literal("x"), URIRef("urn:g"))])
    >>> copy_store(source, target).graphs
    {'urn:g': 1}
    >>> copy_store(source, target)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maillage.graph.stores.copy.CopyError: La base cible n'est pas vide (1 quad dans 1 graphe) : ...

    Cost: one pass over the source and one write of each quad; both stores count their quads per graph
    on their side (one query each), before and after.
    """
    start = time.perf_counter()
    if source is target:
        raise CopyError("La source et la cible sont la même base : rien n'a été copié.")
    held = sum(target.count_by_graph().values())
    if held and not replace:
        graphs = len(target.count_by_graph())
        raise CopyError(
            f"La base cible n'est pas vide ({_plural(held, 'quad')} dans {_plural(graphs, 'graphe')}) : "
            "rien n'a été copié. Choisissez une base vide, ou remplacez son contenu (--replace)."
        )
    expected = source.count_by_graph()
    total = sum(expected.values())
    read: dict[str, int] = {}

    def batches() -> Iterator[list[RawQuad]]:
        done = 0
        for batch in source.raw_batches(size=batch_size):
            for quad in batch:
                read[quad[3]] = read.get(quad[3], 0) + 1
            done += len(batch)
            if progress is not None:
                progress(done, total)
            yield batch

    def check(written: dict[str, int]) -> None:
        _same_counts(expected, read, "lus dans la source pendant la copie (a-t-elle changé ?)")
        _same_counts(expected, written, "écrits dans la cible")

    target.replace_all(batches(), check=check)
    return CopyReport(dict(sorted(expected.items())), time.perf_counter() - start, held if replace else 0)


def _same_counts(expected: Mapping[str, int], found: Mapping[str, int], what: str) -> None:
    """Raise `CopyError` naming the first graph whose count differs."""
    for graph in sorted(set(expected) | set(found)):
        if expected.get(graph, 0) != found.get(graph, 0):
            source = _plural(expected.get(graph, 0), "quad")
            raise CopyError(
                f"Copie refusée à la vérification : graphe <{graph}>, {source} dans la source, "
                f"{found.get(graph, 0)} {what}"
            )


def _number(value: int) -> str:
    """An integer with French digit groups: ``1 203``."""
    return f"{value:,}".replace(",", " ")


def _plural(count: int, word: str) -> str:
    return f"{_number(count)} {word}{'s' if count > 1 else ''}"
