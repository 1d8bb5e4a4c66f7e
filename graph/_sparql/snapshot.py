"""What the endpoint's caller may query: the quads of its snapshot, written as N-Quads for a worker.

The public snapshot is the public N-Quads dump (`maillage.graph._export.selection.dataset_quads`: the
network and provenance graphs without the persons who did not consent, plus the schema.org / ESSGlobal
alignment) together with the ontology graph (classes, concept schemes) and the territories graph. The
animators' snapshot is the same without the privacy filter. Named graphs are listed, not skipped: a graph
that is not one of these (a future one) is not served until someone decides it may be.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
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


def write_snapshot_apart(store: Store, path: Path, *, include_private: bool) -> int | None:
    """As `write_snapshot`, in a process of its own, from a checkpoint of `store` taken here; `None` for a
    store that cannot be checkpointed (in memory, or not Oxigraph): the caller then writes it itself.

    Why: written here, a snapshot of 25,000 actors is 35 s of Python in the API process, and through the
    interpreter lock it slowed every request served meanwhile about 5×. The checkpoint (`Store.backup`:
    hard links, under the store's write lock, so no journaled commit is half in it) costs a fraction of a
    second; the other process (`maillage.graph._sparql.maker`) opens it, builds its own analysis index for
    the alignment, writes the snapshot and ends. The checkpoint is deleted whatever happens.
    """
    folder = getattr(store, "path", None)
    backup = getattr(store, "backup", None)
    if folder is None or backup is None:
        return None
    checkpoint = Path(tempfile.mkdtemp(prefix=".maillage-sparql-", dir=Path(folder).parent))
    try:
        backup(checkpoint / "oxigraph")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "maillage.graph._sparql.maker",
                str(checkpoint / "oxigraph"),
                str(path),
                "private" if include_private else "public",
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise RuntimeError(f"instantané SPARQL en échec (code {done.returncode}) : {done.stderr[-2000:]}")
        return int(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(checkpoint, ignore_errors=True)
