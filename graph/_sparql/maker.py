"""``python -m maillage.graph._sparql.maker CHECKPOINT OUT public|private``: write the snapshot of an
Oxigraph checkpoint to OUT and print how many quads it holds (`snapshot.write_snapshot_apart`).

A process of its own, so that the API process's interpreter lock is not held for the tens of seconds a
large network's snapshot takes; it reads only the checkpoint, never the served store.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from maillage.graph._sparql.snapshot import write_snapshot
    from maillage.graph.index import build_index
    from maillage.graph.stores.oxigraph import OxigraphStore

    checkpoint, out, audience = argv
    if audience not in ("public", "private"):
        raise SystemExit(f"public ou private, pas « {audience} »")
    store = OxigraphStore(Path(checkpoint))
    try:
        count = write_snapshot(
            store, Path(out), include_private=audience == "private", index=build_index(store)
        )
    finally:
        store.close()
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
