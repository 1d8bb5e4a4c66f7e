"""The SPARQL endpoint's costs: taking a snapshot, starting a worker, and each query's overhead.

The baseline for a query is the same query on the same snapshot in an in-memory pyoxigraph store of the
benchmark's own process, its results written by pyoxigraph: what an endpoint without process isolation,
time limit or privacy would pay. The difference is the price of the fork, the check (rdflib's parse) and
the two socket round trips.

    .venv/bin/python -m benchmarks.sparql --size 500      # ~20 s
    .venv/bin/python -m benchmarks.sparql --size 25000    # ~3 min

Writes benchmarks/results/sparql-{size}.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from benchmarks.generate import generate_network
from benchmarks.measure import machine
from maillage.graph._sparql.snapshot import write_snapshot
from maillage.graph.index import build_index
from maillage.graph.privacy import Audience
from maillage.graph.sparql import SparqlEndpoint, SparqlLimits
from maillage.graph.stores.oxigraph import OxigraphStore

HERE = Path(__file__).resolve().parent
QUERIES = {
    "ASK {}": "ASK {}",
    "count of public actors": "PREFIX mai: <https://w3id.org/maillage/ontology#> "
    "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { VALUES ?t { mai:Organisation mai:Person } ?a a ?t }",
    "1,000 labels": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l } LIMIT 1000",
    "needs nobody offers": "PREFIX mai: <https://w3id.org/maillage/ontology#> "
    "SELECT ?r (COUNT(?a) AS ?n) WHERE { ?a mai:needs ?r FILTER NOT EXISTS { ?b mai:offers ?r } } "
    "GROUP BY ?r",
}


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    store = OxigraphStore(None)
    generate_network(store, options.size, seed=0)
    figures: dict[str, object] = {"size": options.size, "store_quads": len(store), "machine": machine()}

    started = time.perf_counter()
    index = build_index(store)
    figures["index_s"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.nq"
        started = time.perf_counter()
        figures["snapshot_quads"] = write_snapshot(store, path, audience=Audience.PUBLIC, index=index)
        figures["snapshot_write_s"] = time.perf_counter() - started
        baseline = ox.Store()
        baseline.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    endpoint = SparqlEndpoint(store, limits=SparqlLimits(timeout=60), index=lambda: index)
    started = time.perf_counter()
    endpoint.query("ASK {}")
    figures["first_query_s"] = time.perf_counter() - started  # snapshot + worker start + one query
    worker = endpoint._workers[Audience.PUBLIC]
    figures["worker_rss_mib"] = rss_mib(worker.process.pid)

    rows = []
    for name, query in QUERIES.items():

        def in_process(query: str = query) -> bytes:
            result = baseline.query(query, use_default_graph_as_union=True)
            out = io.BytesIO()
            result.serialize(out, format=ox.QueryResultsFormat.JSON)
            return out.getvalue()

        def through_endpoint(query: str = query) -> bytes:
            return endpoint.query(query).body

        base = median_seconds(in_process, options.repeat)
        ours = median_seconds(through_endpoint, options.repeat)
        rows.append({"query": name, "in_process_ms": base * 1000, "endpoint_ms": ours * 1000})
    endpoint.close()
    figures["queries"] = rows

    table = [
        f"SPARQL endpoint, {options.size} actors ({figures['snapshot_quads']} quads in the public snapshot)",
        "",
        f"- snapshot written in {figures['snapshot_write_s']:.2f} s (index {figures['index_s']:.2f} s); "
        f"first query (snapshot + worker start) {figures['first_query_s']:.2f} s; "
        f"worker RSS {figures['worker_rss_mib']:.0f} MiB",
        "",
        "| query | pyoxigraph in process (ms) | /sparql worker (ms) | overhead (ms) |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        overhead = row["endpoint_ms"] - row["in_process_ms"]
        table.append(
            f"| {row['query']} | {row['in_process_ms']:.1f} | {row['endpoint_ms']:.1f} | {overhead:.1f} |"
        )
    figures["table"] = "\n".join(table)
    results = HERE / "results" / f"sparql-{options.size}.json"
    results.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(figures["table"])


if __name__ == "__main__":
    main()
