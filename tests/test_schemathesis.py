"""The OpenAPI spec fuzzed against the app in process (schemathesis): no server error, answers as documented.

Every operation of ``/openapi.json`` gets examples generated from its parameters and bodies (Hypothesis,
derandomized: the same examples on every run) and each answer is checked twice: never a 5xx
(`not_a_server_error`) and, whatever the status, a body that matches the response schema the spec declares
(`response_schema_conformance`). Once anonymously, on a copy of the sample network; once with an animator's
token on another throwaway copy, so that the routes that write are exercised past their token check.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from maillage.api.app import create_app
from maillage.graph.sparql import SparqlLimits
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.ingest.importer import import_path

from .conftest import SAMPLE

CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
#: Examples sent, by role and operation (the report prints them).
SENT: Counter[str] = Counter()
#: Answers, by role, method and status.
ANSWERS: Counter[str] = Counter()


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network imported once; each role fuzzes its own copy of the folder."""
    folder = tmp_path_factory.mktemp("fuzz-sample") / "oxigraph"
    store = OxigraphStore(folder)
    import_path(store, SAMPLE)
    store.close()
    return folder


def _app(sample_copy: Path, target: Path) -> tuple[FastAPI, OxigraphStore, TokenStore]:
    shutil.copytree(sample_copy, target)
    store = OxigraphStore(target)
    tokens = TokenStore(target.parent / "tokens.sqlite3")
    app = create_app(store, tokens=tokens, sparql_limits=SparqlLimits(timeout=5, max_results=2_000))
    return app, store, tokens


@pytest.fixture(scope="module")
def public_app(sample_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    app, store, _tokens = _app(sample_copy, tmp_path_factory.mktemp("fuzz-public") / "oxigraph")
    yield app
    app.state.sparql.close()
    store.close()


@pytest.fixture(scope="module")
def animator(sample_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    app, store, tokens = _app(sample_copy, tmp_path_factory.mktemp("fuzz-animator") / "oxigraph")
    yield app, tokens.create("animator", note="schemathesis")[1]
    app.state.sparql.close()
    store.close()


def fuzz(app: FastAPI, role: str, headers: dict[str, str]) -> list[str]:
    """Every operation of the app's spec fuzzed; the failures, one line each (operation, then why)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case: Any) -> None:
            SENT[f"{role} {case.operation.label}"] += 1
            response = case.call_and_validate(checks=CHECKS, headers=headers)
            ANSWERS[f"{role} {case.method} {response.status_code}"] += 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report each operation, go on
            failures.append(f"{operation.label} : {str(error).strip()[:1500]}")
    return failures


def test_public_callers_never_get_a_server_error(public_app: FastAPI) -> None:
    failures = fuzz(public_app, "public", {})
    assert failures == [], "\n\n".join(failures)


def test_an_animator_never_gets_a_server_error(animator: tuple[FastAPI, str]) -> None:
    app, token = animator
    failures = fuzz(app, "animator", {"Authorization": f"Bearer {token}"})
    assert failures == [], "\n\n".join(failures)


def test_every_operation_was_fuzzed(public_app: FastAPI) -> None:
    """Runs after the two above (file order): each operation of the spec got examples, for both roles."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", public_app)
    operations = {result.ok().label for result in schema.get_all_operations()}
    print(f"schemathesis : {len(operations)} opérations, {sum(SENT.values())} exemples envoyés")
    print(sorted(ANSWERS.items()))
    for role in ("public", "animator"):
        assert {label for label in operations if SENT[f"{role} {label}"] == 0} == set()
