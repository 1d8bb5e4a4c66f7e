"""After a one-actor write: the full index rebuild against the floor of an incremental update.

``python -m benchmarks.rebuild --size 500|25000`` copies the cached generated store (never changes it),
adds one need to one actor in one transaction, then times on the copy:

- the rebuild Maillage does (`build_index`, then `max_scores`: the first synergy question needs the
  network maxima again, since one new need can change the best score of every kind);
- the floor of an incremental update: reading the changed actor's quads back (`Store.quads` by subject)
  and recomputing its rows of the synergy model — what a patch would do at least — plus the same
  maxima scan, which no patch avoids.

Writes ``benchmarks/results/rebuild-{size}.json``. Decision: docs/decisions/20261128-index-rebuild.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

from benchmarks.measure import machine
from maillage.graph.index import ACTOR_BASE, MAI, build_index
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import max_scores, synergies_for_actor

CACHE = Path(__file__).parent / ".cache"
RESULTS = Path(__file__).parent / "results"
GRAPH = URIRef("https://w3id.org/maillage/graph/benchmark-rebuild")


def measure(size: int, *, seed: int = 0, repeat: int = 3) -> dict[str, object]:
    """Time a rebuild and an incremental floor after one write, on a copy of the cached store."""
    source = CACHE / f"{size}-seed{seed}" / "oxigraph"
    if not source.exists():
        raise SystemExit(f"{source} manque : lancez d'abord python -m benchmarks.run --size {size}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "oxigraph"
        shutil.copytree(source, copy)
        store = OxigraphStore(copy)
        index = build_index(store)
        max_scores(index)
        actor = index.actors[len(index.actors) // 2]
        resource = index.resource_columns[0]
        store.add_all([(actor.iri, MAI.needs, resource, GRAPH)])  # the one-actor write
        rebuild, maxima, patch = [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            index = build_index(store)
            rebuild.append(time.perf_counter() - start)
            start = time.perf_counter()
            max_scores(index)
            maxima.append(time.perf_counter() - start)
            start = time.perf_counter()
            quads = list(store.quads(URIRef(ACTOR_BASE + actor.key)))
            synergies_for_actor(index, actor.key, limit=10)  # its rows of every kind, with reasons
            patch.append(time.perf_counter() - start)
        store.close()
    return {
        "size": size,
        "machine": machine(),
        "quads_of_the_actor": len(quads),
        "rebuild_seconds": statistics.median(rebuild),
        "maxima_seconds": statistics.median(maxima),
        "incremental_floor_seconds": statistics.median(patch),
        "repeat": repeat,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = measure(args.size, repeat=args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"rebuild-{args.size}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    print(
        f"{args.size} acteurs : reconstruction {figures['rebuild_seconds']:.2f} s, "
        f"maxima {figures['maxima_seconds']:.2f} s, plancher incrémental "
        f"{figures['incremental_floor_seconds'] * 1000:.1f} ms (+ maxima)"
    )


if __name__ == "__main__":
    main()
