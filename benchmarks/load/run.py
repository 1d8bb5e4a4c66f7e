"""The API under load on 127.0.0.1, measured with wrk (issue 7, item 1).

``python -m benchmarks.load --size 25000 [--duration 30] [--connections 16] [--soak 300]`` generates the
network into a temporary folder (`benchmarks.generate`, seeded), starts ``maillage serve`` on it as a user
would (one uvicorn process, access log on), waits for the analysis index, then runs wrk
(``benchmarks/load/scenario.lua``) for each scenario:

- ``synergies``: ``GET /api/actors/{key}/synergies`` (20 synergies with their reasons), keys drawn at random
  among the public actors — the issue's target: ≥ 1,000 requests/s with p99 ≤ 25 ms at 16 connections;
- ``mixed``: search 20 %, actor 20 %, actor page (HTML) 15 %, synergies 35 %, SPARQL 5 % (when the server
  has ``/sparql``), writes 5 % (``--write``: by default an animator's ``PATCH /api/actors/{key}`` of the
  description, a new text each time, ``If-Match: *``);
- ``synergies-kept`` (``--ask-all``): the synergies scenario again once every actor's answer has been asked
  once and kept by the server (`maillage.api.answers`) — the steady state of a network whose members look at
  their synergies over a day; the first scenario measures first asks;
- ``bare``: the baseline, `benchmarks.load.bare` (precomputed numpy top scores behind a bare Starlette
  route, same uvicorn), same connections and duration;
- ``soak`` (``--soak SECONDS``): the mixed scenario for that long, the server's resident memory sampled
  every 5 s (first, last, highest, slope per minute); then ``soak-reads``, the same without its writes, as
  long: Oxigraph's engine keeps 1.4–3 kB of memory per write (measured with pyoxigraph alone,
  docs/reliability.md), so memory is flat under reads and grows with the writes.

Writes ``benchmarks/results/load-{size}.json`` and prints a Markdown table. Needs ``wrk`` (Debian's
package; ``make load`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.measure import machine

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
MIXED = {"search": 20, "actor": 20, "page": 15, "synergies": 35, "sparql": 5, "write": 5}
#: The mixed scenario's write: an animator changes an actor's description (If-Match: *), a new one each time.
DEFAULT_WRITE = 'PATCH /api/actors/%s {"description": "Description mise à jour n° %d"}'
SPARQL = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/maillage/ontology#Organisation> }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, timeout: float = 600.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (127.0.0.1 only)
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds until `url` answers 200 (the first answer builds the analysis index)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise SystemExit(f"le serveur s'est arrêté (code {process.returncode})")
        try:
            if get(url) == 200:
                return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"le serveur n'a pas répondu en {timeout:.0f} s : {url}")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(
    base: str, mix: dict[str, int], env: dict[str, str], *, duration: int, connections: int
) -> dict[str, Any]:
    """One wrk run of `mix`; its JSON summary with requests/s and latencies in ms."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk manque : make load (ou apt-get install wrk)")
    threads = max(1, min(2, connections))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "-s",
        str(HERE / "scenario.lua"),
        base,
    ]
    mix_text = ",".join(f"{name}:{weight}" for name, weight in mix.items() if weight)
    done = subprocess.run(
        command,
        env={**os.environ, **env, "MAILLAGE_LOAD_MIX": mix_text},
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = summary["duration_us"] / 1e6
    latency = summary["latency_us"]
    errors = sum(summary["errors"].values())
    return {
        "mix": mix_text,
        "connections": connections,
        "seconds": round(seconds, 2),
        "requests": summary["requests"],
        "requests_per_s": round(summary["requests"] / seconds, 1),
        "p50_ms": round(latency["50"] / 1000, 2),
        "p90_ms": round(latency["90"] / 1000, 2),
        "p99_ms": round(latency["99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "errors": errors,
        "errors_by_class": summary["errors"],
    }


class Sampler(threading.Thread):
    """The resident memory of `pid` every `every` seconds, until stopped."""

    def __init__(self, pid: int, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.stopped.is_set():
            self.samples.append((round(time.monotonic() - start, 1), round(rss_mib(self.pid), 1)))
            self.stopped.wait(self.every)

    def summary(self) -> dict[str, Any]:
        values = [mib for _t, mib in self.samples]
        half = self.samples[len(self.samples) // 2 :]
        return {
            "first_mib": values[0] if values else None,
            "last_mib": values[-1] if values else None,
            "max_mib": max(values) if values else None,
            "slope_mib_per_min": slope_per_minute(self.samples),
            # the first minutes fill caches and reach the steady state; "flat" is judged on the second half
            "second_half_slope_mib_per_min": slope_per_minute(half),
            "samples": self.samples,
        }


def slope_per_minute(samples: list[tuple[float, float]]) -> float:
    """The least-squares slope of (seconds, MiB) samples, in MiB per minute (0 for fewer than two)."""
    n = len(samples)
    if n < 2:
        return 0.0
    mean_t = sum(t for t, _v in samples) / n
    mean_v = sum(v for _t, v in samples) / n
    spread = sum((t - mean_t) ** 2 for t, _v in samples)
    return round(sum((t - mean_t) * (v - mean_v) for t, v in samples) / spread * 60, 2) if spread else 0.0


def ask_every_actor(base: str, keys: list[str], workers: int = 4) -> float:
    """Ask each actor's synergies once (the server keeps the answers: `maillage.api.answers`), as a
    network's users would over a day; the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(lambda key: get(f"{base}/api/actors/{key}/synergies"), keys))
    failed = [key for key, status in zip(keys, statuses, strict=True) if status != 200]
    if failed:
        raise SystemExit(f"{len(failed)} réponses en échec, dont {failed[0]}")
    return round(time.monotonic() - start, 1)


def prepare(size: int, seed: int, folder: Path) -> list[str]:
    """Generate the network of `size` actors into ``folder/oxigraph`` (`benchmarks.generate`: 10 s at
    25,000); its public actor keys."""
    from benchmarks.generate import generate_network
    from maillage.graph.index import build_index
    from maillage.graph.stores.oxigraph import OxigraphStore

    store = OxigraphStore(folder / "oxigraph")
    try:
        generate_network(store, size, seed=seed)
        return [actor.key for actor in build_index(store).actors if actor.is_public]
    finally:
        store.close()


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from maillage.graph.tokens import TokenStore

    results: dict[str, Any] = {"size": args.size, "seed": args.seed, "machine": machine(), "scenarios": {}}
    with tempfile.TemporaryDirectory(prefix="maillage-load-") as tmp:
        data = Path(tmp)
        keys = prepare(args.size, args.seed, data)
        keys_file = data / "keys.txt"
        keys_file.write_text("\n".join(keys) + "\n", "utf-8")
        _record, token = TokenStore(data / "tokens.sqlite3").create("animator", note="banc de charge")
        env = {
            "MAILLAGE_LOAD_KEYS": str(keys_file),
            "MAILLAGE_LOAD_TOKEN": token,
            "MAILLAGE_LOAD_SPARQL_PATH": "/sparql?" + urllib.parse.urlencode({"query": SPARQL}),
        }
        if args.write:
            method, path, body = args.write.split(" ", 2)
            env.update(
                MAILLAGE_LOAD_WRITE_METHOD=method,
                MAILLAGE_LOAD_WRITE_PATH=path,
                MAILLAGE_LOAD_WRITE_BODY=body,
            )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        maillage = str(Path(sys.executable).parent / "maillage")
        server = start(
            [maillage, "serve", "--port", str(port)], {"MAILLAGE_DATA_DIR": str(data)}, data / "server.log"
        )
        try:
            results["ready_s"] = round(
                wait_until_ready(f"{base}/api/actors/{keys[0]}/synergies", server, 900), 1
            )
            results["server_rss_ready_mib"] = round(rss_mib(server.pid), 1)
            mix = dict(MIXED)
            if get(base + env["MAILLAGE_LOAD_SPARQL_PATH"]) != 200:
                mix["sparql"] = 0  # no /sparql on this server yet
            if not args.write:
                mix["write"] = 0
            results["mixed_weights"] = mix
            wrk(
                base, {"synergies": 1}, env, duration=min(3, args.duration), connections=args.connections
            )  # warm-up
            for name, weights in (("synergies", {"synergies": 1}), ("mixed", mix)):
                print(f"  {name} …", file=sys.stderr)
                results["scenarios"][name] = wrk(
                    base, weights, env, duration=args.duration, connections=args.connections
                )
            if args.ask_all:
                print(f"  every actor's synergies once ({len(keys)}) …", file=sys.stderr)
                results["ask_all_s"] = ask_every_actor(base, keys)
                results["scenarios"]["synergies-kept"] = wrk(
                    base, {"synergies": 1}, env, duration=args.duration, connections=args.connections
                )
            if args.soak:
                # with the writes, then without: the store's engine keeps some memory per write
                for name, weights in (("soak", mix), ("soak-reads", {**mix, "write": 0})):
                    print(f"  {name} {args.soak} s …", file=sys.stderr)
                    sampler = Sampler(server.pid)
                    sampler.start()
                    soak = wrk(base, weights, env, duration=args.soak, connections=args.connections)
                    sampler.stopped.set()
                    sampler.join()
                    results["scenarios"][name] = {**soak, "memory": sampler.summary()}
            results["server_rss_end_mib"] = round(rss_mib(server.pid), 1)
        finally:
            stop(server)
        port = free_port()
        bare = start(
            [sys.executable, "-m", "benchmarks.load.bare", str(port), str(keys_file)], {}, data / "bare.log"
        )
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/top/{keys[0]}", bare, 120)
            wrk(
                f"http://127.0.0.1:{port}",
                {"bare": 1},
                env,
                duration=min(3, args.duration),
                connections=args.connections,
            )
            results["scenarios"]["bare"] = wrk(
                f"http://127.0.0.1:{port}",
                {"bare": 1},
                env,
                duration=args.duration,
                connections=args.connections,
            )
        finally:
            stop(bare)
    best = results["scenarios"]["bare"]
    for name, figures in results["scenarios"].items():
        if name != "bare":
            figures["throughput_vs_bare"] = round(figures["requests_per_s"] / best["requests_per_s"], 3)
            figures["p99_vs_bare"] = round(figures["p99_ms"] / best["p99_ms"], 2)
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        f"| {results['size']:,} actors, {results['scenarios']['bare']['connections']} connections "
        "| requests/s | p50 | p99 | errors | vs bare (throughput) |",
        "|---|---|---|---|---|---|",
    ]
    for name, f in results["scenarios"].items():
        ratio = f.get("throughput_vs_bare")
        lines.append(
            f"| {name} | {f['requests_per_s']:,.0f} | {f['p50_ms']:.1f} ms | {f['p99_ms']:.1f} ms "
            f"| {f['errors']} | {'—' if ratio is None else f'{ratio:.3f}'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=int, default=30, help="secondes par scénario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", type=int, default=0, help="durée du scénario mixte long (mémoire)")
    parser.add_argument(
        "--write",
        default=DEFAULT_WRITE,
        help="écriture du scénario mixte : 'MÉTHODE CHEMIN-avec-%%s CORPS-avec-%%d' ('' : aucune)",
    )
    parser.add_argument(
        "--ask-all",
        action="store_true",
        help="après les scénarios : demander une fois les synergies de chaque acteur, puis mesurer "
        "« synergies-kept » (réponses gardées)",
    )
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    results = measure(args)
    results["table"] = table(results)
    output = args.output or RESULTS / f"load-{args.size}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(results["table"])
    return 0
