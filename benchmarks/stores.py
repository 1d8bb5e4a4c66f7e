"""Loading a generated network into each store and reading it back into the analysis index:
``python -m benchmarks.stores --size 25000``.

The source is the cached generated store of `benchmarks.run` (benchmarks/.cache/, generated when missing,
never changed). Measured, each beside a baseline from the same run on the same quads:

- loading — `copy_store` (what `maillage copy` runs) into a fresh Oxigraph folder and into an empty
  FalkorDB served over Bolt (started as the tests start it), against pyoxigraph's own bulk loader reading
  the same quads as one N-Quads file (the fastest way found to fill a store);
- reading back — `build_index` from each loaded store, against baseline (c) of `benchmarks.run`: the
  analysis' inputs read raw from the bulk-loaded Oxigraph store into numpy/scipy arrays;
- the way back — `copy_store` from FalkorDB into a new Oxigraph folder, whose dump must be byte-identical
  to the source's (blank node labels are kept, so equal content gives equal bytes).

Per phase: seconds and this process's peak resident memory (high-water mark reset at the start of each
phase); for FalkorDB, the server's resident memory too. Results: benchmarks/results/stores-{size}.json.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from benchmarks.baselines import read_analysis_arrays
from benchmarks.measure import Table, machine, peak_memory, ratio, seconds, timed, verdict
from benchmarks.run import open_store
from maillage.graph.index import build_index
from maillage.graph.stores.base import RAW_BATCH, Store
from maillage.graph.stores.copy import copy_store
from maillage.graph.stores.oxigraph import OxigraphStore

HERE = Path(__file__).resolve().parent
MIB = 2**20
T = TypeVar("T")


def measured(call: Callable[[], T]) -> tuple[dict[str, Any], T]:
    """Seconds and peak memory (MiB, this process, this phase) of one call, and its result."""
    gc.collect()
    with peak_memory() as memory:
        elapsed, result = timed(call)
    return {"seconds": elapsed, "peak_mib": memory.peak_mib, "added_mib": memory.added_mib}, result


def server_memory_mib(pid: int) -> dict[str, float]:
    """Resident memory now and its high-water mark (MiB) of a process of ours (the FalkorDB server)."""
    values: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return {"rss_mib": values.get("VmRSS", float("nan")), "peak_mib": values.get("VmHWM", float("nan"))}


def reset_peak(pid: int) -> None:
    """Reset the kernel's high-water mark of resident memory of `pid` (Linux; a process we started)."""
    with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")


def digest(store: Store) -> str:
    """SHA-256 of the store's sorted N-Quads dump."""
    with tempfile.SpooledTemporaryFile(max_size=64 * MIB) as out:
        store.dump_nquads(out)  # type: ignore[arg-type]
        out.seek(0)
        return hashlib.sha256(out.read()).hexdigest()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every phase; returns the results (also printed as a table)."""
    from tests.services.falkordb import USER, start_falkordb  # the same server as the tests

    source, summary, generation = open_store(args)
    results: dict[str, Any] = {
        "size": args.size,
        "seed": args.seed,
        "batch": args.batch,
        "machine": machine(),
        "generated": summary.as_dict(),
        "generation": generation,
        "source_quads_by_graph": source.count_by_graph(),
    }
    with tempfile.TemporaryDirectory(prefix="maillage-stores-") as scratch:
        folder = Path(scratch)
        nquads = folder / "source.nq"
        with open(nquads, "wb") as out:
            source.oxigraph.dump(out, format=ox.RdfFormat.N_QUADS, from_graph=None)
        results["nquads_bytes"] = nquads.stat().st_size

        # -- loading ---------------------------------------------------------------------------------
        baseline = ox.Store(str(folder / "baseline"))
        results["load_baseline"], _ = measured(
            lambda: (baseline.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS), baseline.flush())
        )
        oxigraph = OxigraphStore(folder / "oxigraph")
        results["load_oxigraph"], report = measured(
            lambda: copy_store(source, oxigraph, batch_size=args.batch)
        )
        results["quads"] = report.quads
        server = start_falkordb(folder / "falkordb")
        try:
            from maillage.graph.stores.bolt import BoltStore

            bolt = BoltStore(server.uri, user=USER, password=server.password, database="maillage")
            bolt.count_by_graph()  # connected, indexes made: not part of the load
            reset_peak(server.process.pid)
            results["load_bolt"], _ = measured(lambda: copy_store(source, bolt, batch_size=args.batch))
            results["load_bolt"]["server"] = server_memory_mib(server.process.pid)

            # -- reading back into the index ---------------------------------------------------------
            results["index_baseline"], arrays = measured(lambda: read_analysis_arrays(baseline))
            for name, store in (("oxigraph", oxigraph), ("bolt", bolt)):
                results[f"index_{name}"], index = measured(lambda store=store: build_index(store))
                results[f"index_{name}"]["same_data_as_baseline"] = arrays.same_as(index)
                results[f"index_{name}"]["actors"] = len(index.actors)
                del index
            del arrays

            # -- the way back ------------------------------------------------------------------------
            back = OxigraphStore(folder / "back")
            results["copy_back"], _ = measured(lambda: copy_store(bolt, back, batch_size=args.batch))
            results["copy_back"]["dump_identical_to_source"] = digest(back) == digest(source)
            back.close()
        finally:
            server.stop()
        oxigraph.close()
        baseline.flush()
    source.close()
    results["table"] = make_table(results).markdown()
    return results


def memory(figures: dict[str, Any]) -> str:
    """Peak resident memory of the process during a phase, and how much the phase added to it."""
    return f"{figures['peak_mib']:.0f} MiB (+{figures['added_mib']:.0f})"


def make_table(results: dict[str, Any]) -> Table:
    """The Markdown table of a run's results (benchmarks/README.md copies it)."""
    table = Table()
    load_base = results["load_baseline"]
    for name, label in (("oxigraph", "Oxigraph on disk"), ("bolt", "FalkorDB over Bolt")):
        figures = results[f"load_{name}"]
        table.add(
            f"load {results['quads']:,} quads into {label} (`copy_store`)",
            seconds(figures["seconds"]),
            f"{seconds(load_base['seconds'])} (bulk_load)",
            ratio(figures["seconds"], load_base["seconds"]),
        )
        table.add(
            f"  peak memory, this process ({label})",
            memory(figures),
            memory(load_base),
            ratio(figures["peak_mib"], load_base["peak_mib"]),
        )
    server_figures = results["load_bolt"]["server"]
    table.add(
        "  FalkorDB server memory during the load (peak; now)",
        f"{server_figures['peak_mib']:.0f} MiB; {server_figures['rss_mib']:.0f} MiB",
    )
    index_base = results["index_baseline"]
    for name, label in (("oxigraph", "Oxigraph on disk"), ("bolt", "FalkorDB over Bolt")):
        figures = results[f"index_{name}"]
        table.add(
            f"read back into the index (`build_index`), {label}",
            seconds(figures["seconds"]),
            f"{seconds(index_base['seconds'])} (c)",
            ratio(figures["seconds"], index_base["seconds"]),
            "same needs, offers, fields, links as (c)",
            verdict(figures["same_data_as_baseline"]),
        )
        table.add(
            f"  peak memory, this process ({label})",
            memory(figures),
            memory(index_base),
            ratio(figures["peak_mib"], index_base["peak_mib"]),
        )
    back_figures = results["copy_back"]
    table.add(
        "copy back FalkorDB → Oxigraph (`copy_store`)",
        seconds(back_figures["seconds"]),
        f"{seconds(load_base['seconds'])} (bulk_load)",
        ratio(back_figures["seconds"], load_base["seconds"]),
        "dump byte-identical to the source",
        verdict(back_figures["dump_identical_to_source"]),
    )
    table.add(
        "  peak memory, this process (copy back)",
        memory(back_figures),
        memory(load_base),
        ratio(back_figures["peak_mib"], load_base["peak_mib"]),
    )
    return table


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="actors (500 and 25000 are recorded)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=RAW_BATCH, help="quads per batch of the copy")
    parser.add_argument("--regenerate", action="store_true", help="generate the source again")
    parser.add_argument("--cache-dir", default=str(HERE / ".cache"), help="where generated stores are kept")
    parser.add_argument("--results-dir", default=str(HERE / "results"), help="where the JSON is written")
    parser.add_argument("--table-only", action="store_true", help="rewrite the table of the results file")
    args = parser.parse_args(argv)
    target = Path(args.results_dir) / f"stores-{args.size}.json"
    if args.table_only:  # the same figures, presented again
        results = json.loads(target.read_text("utf-8"))
        results["table"] = make_table(results).markdown()
        target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(results["table"])
        return results
    results = measure(args)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    print(results["table"])
    print(f"→ {target}")
    return results


if __name__ == "__main__":
    main()
