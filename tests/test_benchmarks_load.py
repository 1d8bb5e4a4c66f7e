"""The load benchmark's harness at a tiny size (no timing asserted): wrk drives a real `maillage serve`
over a generated network, every answer is a success, the figures are recorded beside the bare baseline."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.load.run import main


def test_the_load_harness_runs_every_scenario_without_an_error(tmp_path: Path) -> None:
    output = tmp_path / "load.json"
    assert main(["--size", "120", "--duration", "2", "--connections", "4", "--output", str(output)]) == 0
    results = json.loads(output.read_text("utf-8"))
    assert set(results["scenarios"]) == {"synergies", "mixed", "bare"}
    for name, figures in results["scenarios"].items():
        assert figures["requests"] > 0, name
        assert figures["errors"] == 0, (name, figures["errors_by_class"])  # no 4xx/5xx, no timeout
        assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"], name
    mixed = results["mixed_weights"]
    # 5 % of the mixed requests are writes (an animator's PATCH of a description), all answered 2xx
    assert mixed["search"] == 20 and mixed["synergies"] == 35 and mixed["write"] == 5
    assert results["scenarios"]["synergies"]["throughput_vs_bare"] > 0
    assert results["table"].splitlines()[0].startswith("| 120 actors, 4 connections |")
