"""The load benchmark's harness at a tiny size (no timing asserted): wrk drives a real `maillage serve`
over a generated network, every answer is a success, the figures are recorded beside the bare baseline."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.load.run import main


def test_the_load_harness_runs_every_scenario_without_an_error(tmp_path: Path) -> None:
    output = tmp_path / "load.json"
    args = ["--size", "120", "--duration", "2", "--connections", "4", "--ask-all", "--soak", "2"]
    assert main([*args, "--output", str(output)]) == 0
    results = json.loads(output.read_text("utf-8"))
    assert set(results["scenarios"]) == {"synergies", "mixed", "synergies-kept", "soak", "soak-reads", "bare"}
    assert results["scenarios"]["soak"]["mix"] == "search:20,actor:20,page:15,synergies:35,sparql:5,write:5"
    assert results["scenarios"]["soak-reads"]["mix"] == "search:20,actor:20,page:15,synergies:35,sparql:5"
    assert len(results["scenarios"]["soak-reads"]["memory"]["samples"]) >= 1
    assert results["ask_all_s"] > 0  # every public actor asked once, each answer a 200
    for name, figures in results["scenarios"].items():
        assert figures["requests"] > 0, name
        assert figures["errors"] == 0, (name, figures["errors_by_class"])  # no 4xx/5xx, no timeout
        assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"], name
    mixed = results["mixed_weights"]
    # 5 % of the mixed requests are writes (an animator's PATCH of a description), all answered 2xx
    assert mixed["search"] == 20 and mixed["synergies"] == 35 and mixed["write"] == 5
    assert results["scenarios"]["synergies"]["throughput_vs_bare"] > 0
    assert results["table"].splitlines()[0].startswith("| 120 actors, 4 connections |")


def test_memory_slopes_are_per_minute_and_judged_on_the_second_half() -> None:
    from benchmarks.load.run import Sampler, slope_per_minute

    assert slope_per_minute([(0.0, 100.0), (60.0, 110.0), (120.0, 120.0)]) == 10.0  # +10 MiB a minute
    assert slope_per_minute([(0.0, 100.0)]) == 0.0
    sampler = Sampler(pid=0)
    # warming up from 600 to 1,100 MiB in the first two minutes, then flat
    sampler.samples = [(0.0, 600.0), (60.0, 850.0), (120.0, 1100.0), (180.0, 1100.0), (240.0, 1100.0)]
    summary = sampler.summary()
    assert summary["second_half_slope_mib_per_min"] == 0.0
    # least squares over all: Σ(t−120)(v−950) = 75,000, Σ(t−120)² = 36,000 → 2.083 MiB/s = 125 MiB/min
    assert summary["slope_mib_per_min"] == 125.0
