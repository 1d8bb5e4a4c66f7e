"""The examples in the docstrings run (each module imported under its `maillage.*` name)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import maillage

PACKAGES = [
    "maillage",
    "maillage.ontology",
    "maillage.graph",
    "maillage.ingest",
    "maillage.viz",
    "maillage.api",
]


def modules() -> list[str]:
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=package_name + "."):
            if not info.ispkg:
                names.append(info.name)
    return sorted(set(names))


def test_modules_are_found() -> None:
    assert "maillage.graph.synergies" in modules() and "maillage.ingest.validate_ids" in modules()
    assert maillage.__version__ == "0.1.0"


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
