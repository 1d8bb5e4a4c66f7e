"""Imports go one way: ontology ← graph ← {ingest, viz} ← api ← maillage (CLI).

Each outside library lives in one place.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAYERS = {"ontology": 0, "graph": 1, "ingest": 2, "viz": 2, "api": 3, "maillage": 4}
# Which layers each layer may import (besides itself).
ALLOWED = {
    "ontology": set(),
    "graph": {"ontology"},
    "ingest": {"ontology", "graph"},
    "viz": {"ontology", "graph"},
    "api": {"ontology", "graph", "ingest", "viz"},
    "maillage": {"ontology", "graph", "ingest", "viz", "api"},
}
# Outside libraries confined to one module (DESIGN §2); paths relative to the repo.
CONFINED = {
    "pyvis": "viz/",
    "openpyxl": "ingest/readers/xlsx.py",
    "neo4j": "graph/stores/bolt.py",
    "igraph": "graph/metrics/engine.py",
    "httpx": "graph/push.py",
}


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def layer_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "maillage" or len(parts) == 1:
        return None  # `from maillage import __version__` is allowed everywhere
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "maillage"


def source_files() -> list[tuple[str, Path]]:
    files = []
    for layer in LAYERS:
        files += [(layer, path) for path in (REPO / layer).rglob("*.py")]
    return files


def test_every_layer_has_code() -> None:
    layers = {layer for layer, _path in source_files()}
    assert layers == set(LAYERS)


def test_imports_go_one_way() -> None:
    wrong = []
    for layer, path in source_files():
        for name in imports_of(path):
            target = layer_of_module(name)
            if target is not None and target != layer and target not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(REPO)} imports {name} ({layer} → {target})")
    assert wrong == []


def test_outside_libraries_stay_in_their_module() -> None:
    wrong = []
    for _layer, path in source_files():
        relative = path.relative_to(REPO).as_posix()
        for name in imports_of(path):
            root = name.split(".")[0]
            if root in CONFINED and not relative.startswith(CONFINED[root]):
                wrong.append(f"{relative} imports {root}")
    assert wrong == []


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from maillage.api.app import create_app\nimport pyvis\n")
    assert [layer_of_module(n) for n in imports_of(bad)] == ["api", None]
    assert "graph" in ALLOWED["api"] and "api" not in ALLOWED["graph"]
