"""What the endpoint's caller may query: the quads of its snapshot, written as N-Quads for a worker.

The public snapshot is the public N-Quads dump (`maillage.graph._export.selection.dataset_quads`: the
network and provenance graphs without the persons who did not consent, plus the schema.org / ESSGlobal
alignment) together with the ontology graph (classes, concept schemes) and the territories graph. The
animators' snapshot is the same without the privacy filter. Named graphs are listed, not skipped: a graph
that is not one of these (a future one) is not served until someone decides it may be.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from maillage.graph._export.rdf import line_chunks
from maillage.graph._export.selection import dataset_quads
from maillage.graph.index import NetworkIndex
from maillage.graph.stores.base import Quad, Store
from maillage.ontology.iri import ONTOLOGY_GRAPH, TERRITORIES_GRAPH


def snapshot_quads(store: Store, *, include_private: bool, index: NetworkIndex | None) -> Iterator[Quad]:
    """Every quad the endpoint serves to a caller who may (`include_private`) or may not see private
    data. `index` (the store's analysis index) gives the alignment triples; without it there are none."""
    for graph in (ONTOLOGY_GRAPH, TERRITORIES_GRAPH):
        yield from store.quads(None, None, None, graph)
    yield from dataset_quads(
        store, dataset="reseau", include_private=include_private, provenance=True, index=index
    )


def write_snapshot(store: Store, path: Path, *, include_private: bool, index: NetworkIndex | None) -> int:
    """Write the snapshot as N-Quads to `path` (readable by its owner only: it may hold private data);
    return the number of quads written."""
    count = 0

    def counted() -> Iterator[Quad]:
        nonlocal count
        for quad in snapshot_quads(store, include_private=include_private, index=index):
            count += 1
            yield quad

    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in line_chunks(counted(), with_graph=True):
            out.write(chunk)
    return count
