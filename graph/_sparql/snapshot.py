"""What the endpoint's caller may query: the quads of its snapshot, written as N-Quads for a worker.

A snapshot is, for one audience (`maillage.graph.privacy.Audience`), the N-Quads dump that audience may
see (`maillage.graph._export.selection.dataset_quads`: the network and provenance graphs — for the public
and the network without the persons who did not consent — with only the properties at the audience's level,
plus the schema.org / ESSGlobal alignment) together with the ontology graph (classes, concept schemes) and
the territories graph, under the same levels. Named graphs are listed, not skipped: a graph that is not
one of these (a future one) is not served until someone decides it may be.
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
from maillage.graph.privacy import Audience, withheld_properties
from maillage.graph.stores.base import Quad, Store
from maillage.ontology.iri import ONTOLOGY_GRAPH, TERRITORIES_GRAPH


def snapshot_quads(store: Store, *, audience: Audience, index: NetworkIndex | None) -> Iterator[Quad]:
    """Every quad the endpoint serves to `audience`. `index` (the store's analysis index) gives the
    alignment triples; without it there are none."""
    withheld = withheld_properties(audience)
    for graph in (ONTOLOGY_GRAPH, TERRITORIES_GRAPH):
        for quad in store.quads(None, None, None, graph):
            if quad[1] not in withheld:
                yield quad
    yield from dataset_quads(store, dataset="reseau", audience=audience, provenance=True, index=index)


def write_snapshot(store: Store, path: Path, *, audience: Audience, index: NetworkIndex | None) -> int:
    """Write the snapshot of `audience` as N-Quads to `path` (readable by its owner only: it may hold
    private data); return the number of quads written."""
    count = 0

    def counted() -> Iterator[Quad]:
        nonlocal count
        for quad in snapshot_quads(store, audience=audience, index=index):
            count += 1
            yield quad

    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in line_chunks(counted(), with_graph=True):
            out.write(chunk)
    return count


def write_snapshot_apart(store: Store, path: Path, *, audience: Audience) -> int | None:
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
                audience.name.lower(),
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
