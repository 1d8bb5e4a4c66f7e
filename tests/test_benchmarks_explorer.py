"""benchmarks/explorer.py at a tiny size: every part runs and writes its figures (no timing asserted here:
figures live in benchmarks/results/)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import explorer


def test_the_test_graph_has_exactly_the_asked_size() -> None:
    graph = explorer.test_graph(50, 180)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (50, 180)
    assert sorted(graph.nodes)[:2] == ["a00000", "a00001"]
    assert sorted(explorer.test_graph(50, 180).edges) == sorted(graph.edges)  # seeded


def test_the_explorer_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    figures = explorer.main(
        [
            "--nodes",
            "40",
            "--edges",
            "120",
            "--actors",
            "120",
            "--repeat",
            "1",
            "--results-dir",
            str(tmp_path),
        ]
    )
    drawing = figures["drawing"]
    assert (drawing["nodes"], drawing["edges"]) == (40, 120)
    # the three ways give a page, and the timings are real durations
    assert drawing["maillage_html_bytes"] > 40 * 100
    for name in ("maillage_first_view_s", "maillage_next_view_s", "pyvis_from_nx_s", "pyvis_bare_lists_s"):
        assert drawing[name] > 0
    (page,) = figures["pages"]
    assert page["actors"] == 120 and page["public_actors"] <= 120
    # 120 actors stay under the 2,000 threshold: drawn one by one, one data node per public actor
    assert page["whole"]["grouped"] is False and page["whole"]["drawn_nodes"] == page["public_actors"]
    written = json.loads((tmp_path / "explorer-40.json").read_text("utf-8"))
    assert written["table"] == figures["table"]
    assert "| pyvis `from_nx` + `generate_html` (baseline, no layout) |" in written["table"]
