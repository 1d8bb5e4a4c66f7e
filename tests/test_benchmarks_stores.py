"""benchmarks/stores.py at a tiny size: every phase runs on a real FalkorDB and checks what it loaded and
read back (no timing here: figures live in benchmarks/results/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import stores
from maillage.graph.stores.oxigraph import OxigraphStore
from tests.conftest import IN_CI


def test_the_store_benchmark_loads_and_reads_back_the_same_network(tmp_path: Path) -> None:
    from tests.services.falkordb import FalkorDBMissingError

    args = ["--size", "30", "--batch", "500", "--cache-dir", str(tmp_path / "cache")]
    try:
        results = stores.main([*args, "--results-dir", str(tmp_path / "results")])
    except FalkorDBMissingError as error:
        if IN_CI:
            raise
        pytest.skip(str(error))
    # the generated source, counted by Oxigraph itself: every quad went there and back
    source = OxigraphStore(tmp_path / "cache" / "30-seed0" / "oxigraph")
    quads = len(source)
    source.close()
    assert results["quads"] == quads > 30 * 20
    assert sum(results["source_quads_by_graph"].values()) == quads
    for name in ("oxigraph", "bolt"):
        assert results[f"index_{name}"]["actors"] == 30
        assert results[f"index_{name}"]["same_data_as_baseline"] is True
    assert results["copy_back"]["dump_identical_to_source"] is True
    assert results["load_bolt"]["server"]["peak_mib"] > 0
    written = json.loads((tmp_path / "results" / "stores-30.json").read_text("utf-8"))
    assert written["table"] == results["table"]
    assert "| copy back FalkorDB → Oxigraph (`copy_store`) |" in written["table"]
