"""Run the benchmarks at one size, each figure beside its baseline: ``python -m benchmarks.run --size 25000``.

Phases: the generated store (cached under benchmarks/.cache/), the index build (on disk and in memory)
against a raw pyoxigraph read, one actor's synergies against a numpy inverted index, every actor's top 10
against a blockwise scipy product, the network indicators against igraph, and — up to 2,000 actors — the
equality of Maillage's answers with the naive formulation. Results go to benchmarks/results/{size}.json.
Nothing in the environment is changed (thread variables are recorded as found).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from benchmarks import baselines, naive
from benchmarks.generate import GeneratedNetwork, generate_network
from benchmarks.measure import (
    Table,
    latencies,
    machine,
    milliseconds,
    peak_memory,
    ratio,
    repeated,
    seconds,
    timed,
    verdict,
)
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.synergies import (
    AFFINITY,
    COMPLEMENTARITY,
    TRIANGLE,
    affinities,
    all_top_synergies,
    complementarities,
    max_scores,
    network_synergies,
    synergies_for_actor,
    triangles,
)

HERE = Path(__file__).resolve().parent
REGION = 25_000  # the size the absolute targets are stated for
NAIVE_MAX_ACTORS = 2_000  # the naive double loop is quadratic in Python
SCAN_MAX_ACTORS = 25_000  # above, full pair scans are skipped unless --full (hours at 250,000)
TOP_ROWS_BEYOND_REGION = 2_000  # rows timed for the all-actors top 10 beyond REGION, then extrapolated
GIB = 1024.0
PER_KIND: dict[str, Callable[..., Any]] = {
    COMPLEMENTARITY: complementarities,
    AFFINITY: affinities,
    TRIANGLE: triangles,
}


@dataclass
class Context:
    """What the phases share: arguments, store, index, baseline arrays, results and table."""

    args: argparse.Namespace
    store: OxigraphStore
    index: NetworkIndex
    summary: GeneratedNetwork
    results: dict[str, Any] = field(default_factory=dict)
    table: Table = field(default_factory=Table)
    arrays: baselines.SynergyArrays | None = None
    scans: bool = False
    notes: list[str] = field(default_factory=list)
    #: how each baseline's answers compare with Maillage's (one line each, for the table)
    agreement: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.index.actors)

    @property
    def region(self) -> bool:
        return self.n == REGION

    def sample(self, count: int, salt: int) -> list[int]:
        """`count` random public rows (seeded)."""
        public = np.flatnonzero([a.is_public for a in self.index.actors])
        rng = np.random.default_rng(self.args.seed + salt)
        return sorted(rng.choice(public, size=min(count, len(public)), replace=False).tolist())


def optional(module: str) -> ModuleType | None:
    """A module of Maillage still being written: imported when it is there, else None (its phase skips)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        print(f"  ({module} absent : {error} — mesure sautée)", file=sys.stderr)
        return None


def open_store(args: argparse.Namespace) -> tuple[OxigraphStore, GeneratedNetwork, dict[str, Any]]:
    """The cached on-disk store of this size and seed, generated first when missing."""
    folder = Path(args.cache_dir) / f"{args.size}-seed{args.seed}"
    marker = folder / "generated.json"
    if marker.exists() and not args.regenerate:
        recorded = json.loads(marker.read_text("utf-8"))
        summary = GeneratedNetwork(**{k: v for k, v in recorded["summary"].items()})
        print(f"Store en cache : {folder}")
        store = OxigraphStore(folder / "oxigraph")
        if not recorded.get("settled"):  # cached before the generator compacted its store as imports do
            store.settle()
            marker.write_text(json.dumps({**recorded, "settled": True}, indent=2), "utf-8")
        return store, summary, {**recorded["generation"], "cached": True}
    if folder.exists():
        shutil.rmtree(folder)
    store = OxigraphStore(folder / "oxigraph")
    print(f"Génération de {args.size} acteurs (graine {args.seed}) dans {folder} …")
    with peak_memory() as memory:
        elapsed, summary = timed(lambda: generate_network(store, args.size, seed=args.seed))
    generation = {"seconds": elapsed, "peak_mib": memory.peak_mib, "memory_scope": memory.scope}
    record = {"summary": summary.as_dict(), "generation": generation, "settled": True}
    marker.write_text(json.dumps(record, indent=2), "utf-8")
    return store, summary, {**generation, "cached": False}


def phase_index(ctx: Context) -> None:
    """build_index from the on-disk store and from an in-memory copy, against baseline (c) on each."""
    repeat = ctx.args.repeat
    figures: dict[str, Any] = {}
    places = ("disk", "memory") if ctx.args.memory_store or ctx.args.size <= REGION else ("disk",)
    for where in places:
        store = ctx.store
        if where == "memory":
            store = OxigraphStore(None)
            copy_seconds, _ = timed(
                lambda store=store: store.oxigraph.bulk_extend(
                    ctx.store.oxigraph.quads_for_pattern(None, None, None)
                )
            )
            figures["memory_copy_seconds"] = copy_seconds
        with peak_memory() as memory:
            times, index = repeated(lambda store=store: build_index(store), repeat)
        base_times, arrays = repeated(
            lambda store=store: baselines.read_analysis_arrays(store.oxigraph), repeat
        )
        same = arrays.same_as(index)
        figures[where] = {
            "maillage_seconds": times,
            "baseline_seconds": base_times,
            "peak_mib": memory.peak_mib,
            "added_mib": memory.added_mib,
            "baseline_reads_same_data": same,
        }
        if where == "disk":
            ctx.index = index
        del index, arrays, store
        gc.collect()
        label = "on-disk store (default)" if where == "disk" else "in-memory store"
        best, base = float(np.median(times)), float(np.median(base_times))
        ctx.agreement.append(
            f"(c) {where}: {'same' if same else '**different**'} needs, offers, fields, links"
        )
        ctx.table.add(
            f"index build, {label}",
            seconds(best),
            f"{seconds(base)} (c)",
            ratio(best, base),
            "≤ 5 s at 25,000",
            verdict(best <= 5.0) if ctx.region else "—",
        )
    ctx.results["index_build"] = figures


def phase_naive(ctx: Context) -> None:
    """Maillage = the naive formulation (SPARQL + plain Python loops; networkx), on small networks."""
    elapsed, (data, scores) = timed(
        lambda: (lambda d: (d, naive.naive_scores(d)))(naive.read_naive_data(ctx.store.oxigraph))
    )
    checks = naive.check_synergies(ctx.index, data, scores) + [naive.check_centralities(ctx.index, data)]
    ctx.results["naive_checks"] = {"naive_seconds": elapsed, "checks": [c.as_dict() for c in checks]}
    for check in checks:
        ctx.table.add(
            f"equal to naive: {check.name} ({check.compared} values)",
            f"max diff {check.max_difference:.1e}",
            "naive SPARQL + Python loops" if check.name != "centralites" else "networkx",
            "—",
            "≤ 1e-9 (eigenvector 1e-6)",
            verdict(check.ok),
        )


def phase_warmup(ctx: Context) -> None:
    """The first synergy question after a rebuild: Maillage's model and network maxima, and the baseline's."""
    with peak_memory() as memory:
        prepare_seconds, arrays = timed(lambda: baselines.prepare_synergy_arrays(ctx.index))
    ctx.arrays = arrays
    figures: dict[str, Any] = {
        "baseline_prepare_seconds": prepare_seconds,
        "baseline_prepare_peak_mib": memory.peak_mib,
    }
    if not ctx.scans:
        arrays.maxima = dict.fromkeys(baselines.KINDS, 1.0)  # timing only: the values do not change the work
        ctx.notes.append(
            f"Network maxima not computed at {ctx.n} actors (a full pair scan; --full to run it): "
            "the combined ranking and the all-actors top 10 of Maillage are not measured, the baseline's "
            "top 10 is timed with placeholder maxima."
        )
        ctx.results["warmup"] = figures
        return
    with peak_memory() as memory:
        maillage_seconds, maxima = timed(lambda: max_scores(ctx.index))
    figures.update(
        maillage_seconds=maillage_seconds, maillage_peak_mib=memory.peak_mib, maillage_maxima=maxima
    )
    with peak_memory() as memory:
        base_seconds, base_maxima = timed(lambda: baselines.network_maxima(arrays))
    figures.update(
        baseline_maxima_seconds=base_seconds, baseline_peak_mib=memory.peak_mib, baseline_maxima=base_maxima
    )
    same = all(abs(maxima[k] - base_maxima[k]) <= 1e-9 * max(1.0, abs(maxima[k])) for k in maxima)
    figures["same_maxima"] = same
    ctx.results["warmup"] = figures
    total = prepare_seconds + base_seconds
    ctx.table.add(
        "first synergy question: model + network maxima (full scan)",
        seconds(maillage_seconds),
        f"{seconds(total)} (arrays + scan)",
        ratio(maillage_seconds, total),
        "—",
        "—" if same else "**maxima differ**",
    )


def _same_scores(got: list[float], wanted: list[float]) -> bool:
    return len(got) == len(wanted) and all(abs(a - b) <= 1e-9 for a, b in zip(got, wanted, strict=True))


def phase_one_actor(ctx: Context) -> None:
    """One actor's synergies with reasons (median, p99 over ~200 actors) against baseline (a)."""
    assert ctx.arrays is not None
    arrays, index = ctx.arrays, ctx.index
    rows = ctx.sample(ctx.args.actors, salt=1)
    keys = [index.actors[r].key for r in rows]
    figures: dict[str, Any] = {"actors": len(rows)}
    if ctx.scans:
        synergies_for_actor(index, keys[0], limit=10)  # warm: caches built on first use are not latency
        maillage = latencies([lambda k=k: synergies_for_actor(index, k, limit=10) for k in keys])
        base = latencies([lambda r=r: baselines.actor_top(arrays, r, limit=10) for r in rows])
        mismatches = [
            k
            for k, r in zip(keys, rows, strict=True)
            if not _same_scores(
                [s.score for s in synergies_for_actor(index, k, limit=10)],
                baselines.actor_top(arrays, r, limit=10)[1].tolist(),
            )
        ]
        figures["combined"] = {"maillage": maillage, "baseline": base, "mismatches": mismatches}
        for name, key in (("median", "median_ms"), ("p99", "p99_ms")):
            ok = maillage[key] <= 10 * base[key] and maillage[key] <= 5.0
            ctx.table.add(
                f"one actor's synergies, all kinds, with reasons — {name}",
                milliseconds(maillage[key]),
                f"{milliseconds(base[key])} (a)",
                ratio(maillage[key], base[key]),
                "≤ 10× and ≤ 5 ms at 25,000" if name == "median" else "(p99 reported)",
                verdict(ok) if name == "median" and ctx.region else "—",  # the target is stated at 25,000
            )
        ctx.agreement.append(f"(a) combined: {len(keys) - len(mismatches)}/{len(keys)} actors same top 10")
        if mismatches:
            ctx.notes.append(
                f"Baseline (a) and Maillage disagree for {len(mismatches)} actors: {mismatches[:5]}"
            )
    for kind, function in PER_KIND.items():
        function(index, keys[0], limit=10)
        maillage = latencies([lambda k=k, f=function: f(index, k, limit=10) for k in keys])
        base = latencies([lambda r=r, kind=kind: baselines.kind_top(arrays, r, kind, limit=10) for r in rows])
        mismatches = [
            k
            for k, r in zip(keys, rows, strict=True)
            if not _same_scores(
                [s.score for s in function(index, k, limit=10)],
                baselines.kind_top(arrays, r, kind, limit=10)[1].tolist(),
            )
        ]
        figures[kind] = {"maillage": maillage, "baseline": base, "mismatches": mismatches}
        ctx.agreement.append(f"(a) {kind}: {len(keys) - len(mismatches)}/{len(keys)} actors same top 10")
        ctx.table.add(
            f"one actor, `{function.__name__}` only, with reasons — median",
            milliseconds(maillage["median_ms"]),
            f"{milliseconds(base['median_ms'])} (a, one kind)",
            ratio(maillage["median_ms"], base["median_ms"]),
            "—",
            "—" if not mismatches else f"**{len(mismatches)} differ**",
        )
    ctx.results["one_actor"] = figures


def phase_all_top(ctx: Context) -> None:
    """Every actor's top 10: Maillage's batch `all_top_synergies` against baseline (b). Up to 25,000 actors
    both run whole, the batch with and without reasons; beyond, the batch runs whole without reasons (the
    issue's "completing in blocks within 4 GiB") and the baseline on the first rows, extrapolated."""
    assert ctx.arrays is not None
    arrays, index, n = ctx.arrays, ctx.index, ctx.n
    stop = ctx.args.top_rows or (n if n <= REGION else TOP_ROWS_BEYOND_REGION)
    stop = min(stop, n)
    scale = n / stop
    figures: dict[str, Any] = {"rows": stop, "extrapolated": stop < n}
    with peak_memory() as memory:
        base_seconds, (_others, base_scores) = timed(lambda: baselines.all_top(arrays, limit=10, stop=stop))
    figures["baseline"] = {
        "seconds": base_seconds,
        "peak_mib": memory.peak_mib,
        "added_mib": memory.added_mib,
    }
    base_total = base_seconds * scale
    base_label = f"{seconds(base_total)} (b{', extrapolated' if stop < n else ''})"
    if ctx.scans:
        found: dict[int, list[float]] = {}

        def batch(reasons: bool = True) -> None:  # the whole table at once: `all_top_synergies`, blockwise
            found.update(
                {
                    index.position[key]: [s.score for s in items]
                    for key, items in all_top_synergies(index, limit=10, reasons=reasons)
                }
            )

        gc.collect()
        with peak_memory() as memory:  # like for like: the baseline ranks, it writes no reasons
            scores_seconds, _ = timed(lambda: batch(reasons=False))
        scores_memory = memory
        maillage_seconds: float | None = None
        peak_mib = scores_memory.peak_mib
        if stop == n:
            found.clear()
            with peak_memory() as memory:
                maillage_seconds, _ = timed(batch)
            peak_mib = max(peak_mib, memory.peak_mib)
        mismatches = [
            row
            for row, scores in found.items()
            if row < stop and not _same_scores(scores, [s for s in base_scores[row] if s > 0])
        ]
        compared = sum(1 for row in found if row < stop)
        figures["maillage"] = {
            "seconds": maillage_seconds,
            "scores_seconds": scores_seconds,
            "rows_ranked": len(found),
            "peak_mib": peak_mib,
            "scores_peak_mib": scores_memory.peak_mib,
            "scores_added_mib": scores_memory.added_mib,
            "mismatches": mismatches[:20],
        }
        ctx.table.add(
            "all actors' top 10: scores and components (what (b) computes)",
            seconds(scores_seconds),
            base_label,
            ratio(scores_seconds, base_total),
            "≤ 1.5× at 25,000",
            verdict(scores_seconds <= 1.5 * base_total) if ctx.region else "—",
        )
        if maillage_seconds is not None:
            ctx.table.add(
                "all actors' top 10, with reasons",
                seconds(maillage_seconds),
                f"{base_label[:-1]}, no reasons)",
                ratio(maillage_seconds, base_total),
            )
        limit_gib = 2.0 if n <= REGION else 4.0
        ctx.table.add(
            "all actors' top 10: peak memory (whole process)"
            + (", all rows in blocks" if n > REGION else ""),
            f"{peak_mib / GIB:.2f} GiB",
            f"{figures['baseline']['peak_mib'] / GIB:.2f} GiB" + (f" ({stop:,} rows)" if stop < n else ""),
            ratio(peak_mib, figures["baseline"]["peak_mib"]),
            f"≤ {limit_gib:g} GiB" + (" at 25,000" if n <= REGION else ", completing"),
            verdict(peak_mib <= limit_gib * GIB) if n >= REGION else "—",
        )
        ctx.agreement.append(f"(b): {compared - len(mismatches)}/{compared} actors same top 10")
        if mismatches:
            ctx.notes.append(f"All-top-10: Maillage and baseline (b) disagree on {len(mismatches)} rows.")
        if n <= REGION:  # beyond, the network's best pairs are a scan of hours (`network_synergies`)
            scan_seconds, _ = timed(lambda: network_synergies(index, limit=10))
            figures["network_synergies_seconds"] = scan_seconds
            ctx.table.add(
                "`network_synergies(limit=10)` (the network's 10 best pairs; a full scan)",
                seconds(scan_seconds),
                f"{seconds(ctx.results['warmup']['baseline_maxima_seconds'])} (scan of (b))",
                ratio(scan_seconds, ctx.results["warmup"]["baseline_maxima_seconds"]),
            )
    else:
        ctx.table.add(
            "all actors' top 10",
            "not measured (needs the maxima scan)",
            base_label,
            "—",
            "≤ 1.5×; ≤ 4 GiB",
            "—",
        )
        ctx.table.add(
            "all actors' top 10, baseline peak memory (whole process)",
            "—",
            f"{figures['baseline']['peak_mib'] / GIB:.2f} GiB",
        )
    ctx.results["all_top"] = figures


def phase_indicators(ctx: Context) -> None:
    """The network indicators, each timed, all together against igraph's (baseline (d))."""
    metrics = optional("maillage.graph.metrics")
    if metrics is None:
        ctx.table.add("network indicators", "skipped: maillage.graph.metrics absent")
        return
    index, store = ctx.index, ctx.store
    a, b = (index.actors[r].key for r in ctx.sample(2, salt=7))
    steps: dict[str, Callable[[], object]] = {
        "centralities": lambda: metrics.centralities(index),
        "brokers (fields)": lambda: metrics.brokers(index, dimension="domaines"),
        "brokers (colleges)": lambda: metrics.brokers(index, dimension="colleges"),
        "brokers (border)": lambda: metrics.brokers(index, dimension="frontiere"),
        "communities": lambda: metrics.communities(index, seed=0),
        "isolated and peripheral": lambda: metrics.peripheral_actors(index),
        "gaps": lambda: metrics.gaps(index),
        "dates read from the store": lambda: metrics.read_dated_network(store, index),
        "evolution": lambda: metrics.evolution(index, metrics.read_dated_network(store, index)),
        "one path": lambda: metrics.collaboration_path(index, a, b),
    }
    runs: list[dict[str, float]] = []
    with peak_memory() as memory:
        for _ in range(ctx.args.repeat):
            index.derived.pop("metrics", None)  # memoised on the index: forget to measure again
            gc.collect()
            runs.append({name: timed(step)[0] for name, step in steps.items()})
    each = {name: float(np.median([run[name] for run in runs])) for name in steps}
    together = float(np.median([sum(run.values()) for run in runs]))
    result = metrics.centralities(index)
    n, edges, weights = baselines.public_graph(index)
    k = n if result.betweenness_method.exact else result.betweenness_method.sources
    base_times, found = repeated(
        lambda: baselines.graph_indicators(n, edges, weights, sources=k, seed=0), ctx.args.repeat
    )
    base = float(np.median(base_times))
    core = sum(each[name] for name in ("centralities", "communities", "isolated and peripheral"))
    agreement = {
        "degree_equal": bool(np.array_equal(found.degree, [x.degree for x in result.actors])),
        "betweenness_max_difference": float(
            np.max(np.abs(found.betweenness - [x.betweenness for x in result.actors]))
        ),
        "eigenvector_max_difference": float(
            np.max(np.abs(found.eigenvector - [x.eigenvector for x in result.actors]))
        ),
        "maillage_communities": len(metrics.communities(index, seed=0).communities),
        "baseline_communities": found.communities,
    }
    ctx.agreement.append(
        f"(d): degree {'equal' if agreement['degree_equal'] else '**different**'}, betweenness max diff "
        f"{agreement['betweenness_max_difference']:.1e} (same sources), eigenvector max diff "
        f"{agreement['eigenvector_max_difference']:.1e} (power iteration vs ARPACK, unit norm)"
    )
    ctx.results["indicators"] = {
        "each_seconds": each,
        "together_seconds": together,
        "core_seconds": core,
        "baseline_seconds": base_times,
        "baseline_library": found.library,
        "betweenness": result.betweenness_method.method,
        "peak_mib": memory.peak_mib,
        "agreement": agreement,
    }
    ctx.table.add(
        "network indicators, all together",
        seconds(together),
        "—",
        "—",
        "≤ 10 s at 25,000",
        verdict(together <= 10.0) if ctx.region else "—",
    )
    ctx.table.add(
        f"centralities + communities + periphery ({result.betweenness_method.method})",
        seconds(core),
        f"{seconds(base)} (d, {found.library})",
        ratio(core, base),
    )
    for name, value in each.items():
        ctx.table.add(f"  {name}", seconds(value))


def phase_extras(ctx: Context) -> None:
    """Overlaps and the project check, timed without a baseline (the issue sets none)."""
    overlaps = optional("maillage.graph.overlaps")
    project_check = optional("maillage.graph.project_check")
    keys = [ctx.index.actors[r].key for r in ctx.sample(min(ctx.args.actors, 50), salt=3)]
    figures: dict[str, Any] = {}
    if overlaps is not None:
        overlaps.activity_overlaps(ctx.index, actor_key=keys[0], limit=10)
        figures["overlaps"] = latencies(
            [lambda k=k: overlaps.activity_overlaps(ctx.index, actor_key=k, limit=10) for k in keys]
        )
        ctx.table.add("one actor's overlaps (30 km) — median", milliseconds(figures["overlaps"]["median_ms"]))
    else:
        ctx.table.add("one actor's overlaps", "skipped: maillage.graph.overlaps absent")
    if project_check is not None:
        proposals = [
            project_check.Proposal(
                "Navettes solidaires en minibus", fields=("mobilite",), services=("minibus",)
            ),
            project_check.Proposal(
                "Légumerie et cuisine partagée",
                description="Transformer les légumes des fermes locales pour la restauration collective.",
                fields=("alimentation-locale",),
                services=("cuisine-professionnelle",),
                territory=("64102",),
            ),
        ]
        project_check.check_project(ctx.index, proposals[0])
        figures["project_check"] = latencies(
            [lambda p=p: project_check.check_project(ctx.index, p) for p in proposals * 5]
        )
        ctx.table.add(
            "project check, one proposal — median", milliseconds(figures["project_check"]["median_ms"])
        )
    else:
        ctx.table.add("project check", "skipped: maillage.graph.project_check absent")
    ctx.results["extras"] = figures


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--size", type=int, required=True, help="actors: 500, 25000 or 250000 (any ≥ 2)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each batch measure; the median is kept"
    )
    parser.add_argument(
        "--actors", type=int, default=200, help="actors sampled for the latencies (default 200)"
    )
    parser.add_argument(
        "--top-rows", type=int, default=0, help="rows timed for the all-actors top 10 (0: auto)"
    )
    parser.add_argument("--full", action="store_true", help="run the full pair scans beyond 25,000 actors")
    parser.add_argument(
        "--memory-store", action="store_true", help="also time the index build from memory beyond 25,000"
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the store again even if cached")
    parser.add_argument("--cache-dir", default=str(HERE / ".cache"), help="where generated stores are kept")
    parser.add_argument("--results-dir", default=str(HERE / "results"), help="where {size}.json is written")
    return parser.parse_args(argv)


def write_results(ctx: Context) -> None:
    """Write benchmarks/results/{size}.json (or --results-dir) with everything measured so far."""
    ctx.results["agreement"] = ctx.agreement
    ctx.results["notes"] = ctx.notes
    ctx.results["table"] = ctx.table.markdown()
    folder = Path(ctx.args.results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(ctx.results, indent=2, default=str) + "\n"
    (folder / f"{ctx.args.size}.json").write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run every phase at one size, print the table, write the results file."""
    args = parse(argv)
    info = machine()
    store, summary, generation = open_store(args)
    ctx = Context(args=args, store=store, index=None, summary=summary)  # type: ignore[arg-type]
    ctx.results.update(
        size=args.size, seed=args.seed, repeat=args.repeat, machine=info, generator=summary.as_dict()
    )
    ctx.results["generation"] = generation
    ctx.table.add(
        "generation (quads written to the on-disk store)"
        + (" — cached run" if generation.get("cached") else ""),
        seconds(generation["seconds"]),
        target="a few minutes at 250,000",
        verdict=verdict(generation["seconds"] <= 300) if args.size >= 250_000 else "—",
    )
    phases: list[tuple[str, Callable[[Context], None]]] = [("index", phase_index)]
    phases.append(("warmup", phase_warmup))
    if args.size <= NAIVE_MAX_ACTORS:
        phases.append(("naive", phase_naive))
    phases += [("one actor", phase_one_actor), ("all top 10", phase_all_top)]
    phases += [("indicators", phase_indicators), ("extras", phase_extras)]
    for name, phase in phases:
        if name == "warmup":
            ctx.scans = ctx.n <= SCAN_MAX_ACTORS or args.full
        print(f"— {name} …", flush=True)
        with peak_memory() as memory:
            try:
                elapsed, _ = timed(lambda phase=phase: phase(ctx))
            except Exception as error:  # a module still being written must not lose the other figures
                elapsed = float("nan")
                ctx.notes.append(f"Phase « {name} » failed: {type(error).__name__}: {error}")
                ctx.results.setdefault("errors", {})[name] = traceback.format_exc()
                ctx.table.add(f"{name}", f"failed: {type(error).__name__}")
        ctx.results.setdefault("phases", {})[name] = {"seconds": elapsed, "peak_mib": memory.peak_mib}
        print(f"  {seconds(elapsed)}, pic {memory.peak_mib / GIB:.2f} GiB", flush=True)
        write_results(ctx)  # after every phase: a run stopped midway keeps what it measured
    ctx.table.add("baselines give Maillage's answers", "; ".join(ctx.agreement) or "—")
    write_results(ctx)
    print()
    print(f"{args.size} actors, seed {args.seed}, {info['usable_cores']} cores, {info['date']}")
    print(ctx.table.markdown())
    for note in ctx.notes:
        print(f"- {note}")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
