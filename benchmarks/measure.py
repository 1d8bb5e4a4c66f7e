"""Measuring: wall-clock timers, per-phase peak memory, the machine's description, the results table."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import importlib.metadata
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
MIB = 2**20
THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "RAYON_NUM_THREADS",
)


def _status_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib() -> float:
    """The resident memory of this process now, in MiB."""
    kib = _status_kib("VmRSS")
    return kib / 1024 if kib is not None else float("nan")


@dataclass
class Memory:
    """Resident memory at the start of a phase and its peak during the phase (MiB)."""

    start_mib: float = float("nan")
    peak_mib: float = float("nan")
    #: "phase" when the kernel's high-water mark could be reset, else "process" (peak since start)
    scope: str = "phase"

    @property
    def added_mib(self) -> float:
        return self.peak_mib - self.start_mib


@contextmanager
def peak_memory(*, collect: bool = True) -> Iterator[Memory]:
    """Measure a phase's peak resident memory: the kernel's high-water mark (VmHWM) is reset on entry by
    writing 5 to /proc/self/clear_refs (Linux); elsewhere, the process's ``ru_maxrss`` is reported.
    `collect`: run a full garbage collection first (not inside a timed run: a second or more when the
    heap holds millions of objects)."""
    if collect:
        gc.collect()
    memory = Memory(start_mib=rss_mib())
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        memory.scope = "process"
    try:
        yield memory
    finally:
        peak = _status_kib("VmHWM") if memory.scope == "phase" else None
        if peak is None:
            memory.scope = "process"
            memory.peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        else:
            memory.peak_mib = peak / 1024


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def repeated(call: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    """Seconds of each of `repeat` calls, and the last result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(max(1, repeat)):
        seconds, result = timed(call)
        times.append(seconds)
    return times, result  # type: ignore[return-value]


def latencies(calls: list[Callable[[], object]]) -> dict[str, float]:
    """Median, p99, mean and max in milliseconds of one run of each call."""
    values: list[float] = []
    for call in calls:
        start = time.perf_counter_ns()
        call()
        values.append((time.perf_counter_ns() - start) / 1e6)
    return {
        "median_ms": statistics.median(values),
        "p99_ms": float(np.percentile(values, 99)),
        "mean_ms": statistics.fmean(values),
        "max_ms": max(values),
        "count": float(len(values)),
    }


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def source_fingerprint() -> dict[str, str]:
    """SHA-256 of Maillage's analysis code (graph/ and its sub-packages) and its latest change, so that a
    figure can be matched with the code it measured."""
    import maillage.graph

    root = Path(maillage.graph.__file__).resolve().parent
    digest = hashlib.sha256()
    latest = 0.0
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        latest = max(latest, path.stat().st_mtime)
    changed = dt.datetime.fromtimestamp(latest, dt.UTC).isoformat(timespec="seconds")
    return {"graph_sha256": digest.hexdigest()[:16], "graph_last_changed": changed}


def machine() -> dict[str, Any]:
    """Cores, memory, Python and library versions, BLAS, thread variables (as found, never changed), date."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    total_kib = None
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            total_kib = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    blas: dict[str, Any] = {}
    try:
        config = np.show_config(mode="dicts")  # type: ignore[func-returns-value]
        blas = dict(config.get("Build Dependencies", {}).get("blas", {}))
    except (TypeError, AttributeError):
        pass
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": round(total_kib / 2**20, 1) if total_kib else None,
        "load_average_at_start": list(os.getloadavg()),
        "python": platform.python_version(),
        "libraries": {
            name: _version(name)
            for name in ("numpy", "scipy", "pyoxigraph", "rdflib", "networkx", "igraph", "maillage")
        },
        "blas": {key: blas.get(key) for key in ("name", "version", "openblas configuration") if key in blas},
        "thread_variables": {name: os.environ.get(name) for name in THREAD_VARIABLES},
        "maillage_code": source_fingerprint(),
    }


@dataclass
class Row:
    """One line of the results table."""

    measure: str
    maillage: str
    baseline: str
    ratio: str
    target: str
    verdict: str


@dataclass
class Table:
    """The results table, printed as Markdown (the README copies it)."""

    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        measure: str,
        maillage: str,
        baseline: str = "—",
        ratio: str = "—",
        target: str = "—",
        verdict: str = "—",
    ) -> None:
        self.rows.append(Row(measure, maillage, baseline, ratio, target, verdict))

    def markdown(self) -> str:
        header = ("measure", "Maillage", "baseline", "ratio", "target", "met?")
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
        ]
        for row in self.rows:
            cells = (row.measure, row.maillage, row.baseline, row.ratio, row.target, row.verdict)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def seconds(value: float | None) -> str:
    """A duration for the table: ``0.84 s``, ``12.3 s``, ``6 min 10 s``."""
    if value is None or value != value:
        return "—"
    if value < 0.01:
        return f"{value * 1000:.2f} ms"
    if value < 60:
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    return f"{int(value // 60)} min {value % 60:.0f} s"


def milliseconds(value: float | None) -> str:
    """A latency for the table: ``0.21 ms``, ``12.7 ms``."""
    if value is None or value != value:
        return "—"
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def ratio(value: float | None, reference: float | None) -> str:
    """``3.2×`` (value / reference), or — when either is missing."""
    if not value or not reference or value != value or reference != reference:
        return "—"
    return f"{value / reference:.1f}×" if value / reference < 100 else f"{value / reference:.0f}×"


def verdict(ok: bool | None) -> str:
    """yes / **no** / — (not measured)."""
    return "—" if ok is None else ("yes" if ok else "**no**")
