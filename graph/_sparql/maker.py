"""``python -m maillage.graph._sparql.maker CHECKPOINT OUT public|network|animators``: write the snapshot
an audience may see of an Oxigraph checkpoint to OUT and print how many quads it holds
(`snapshot.write_snapshot_apart`).

A process of its own, so that the API process's interpreter lock is not held for the tens of seconds a
large network's snapshot takes; it reads only the checkpoint, never the served store.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from maillage.graph._sparql.snapshot import write_snapshot
    from maillage.graph.index import build_index
    from maillage.graph.privacy import Audience
    from maillage.graph.stores.oxigraph import OxigraphStore

    checkpoint, out, name = argv
    audiences = {a.name.lower(): a for a in Audience}
    if name not in audiences:
        raise SystemExit(f"public, network ou animators, pas « {name} »")
    store = OxigraphStore(Path(checkpoint))
    try:
        count = write_snapshot(store, Path(out), audience=audiences[name], index=build_index(store))
    finally:
        store.close()
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
