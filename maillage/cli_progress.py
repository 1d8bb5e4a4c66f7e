"""The progress bar of `maillage import` (rich): on a terminal only, once an import has run a while."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from maillage.ingest.progress import PHASES

#: Seconds an import runs before its bar appears: quick imports print their report and nothing else.
DELAY = 2.0


class ImportProgressBar:
    """An `ImportProgress` callback drawing the import's phases as a bar, `delay` seconds after it starts.

    Use it as a context manager around the import; the bar is transient (erased when the import ends), so
    the report printed afterwards stands alone.
    """

    def __init__(self, console: Console | None = None, *, delay: float = DELAY) -> None:
        self.console = console or Console()
        self.delay = delay
        self.phase = PHASES[0]
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, phase: str) -> None:
        with self._lock:
            self.phase = phase
            self._draw()

    def _draw(self) -> None:
        if self._progress is not None and self._task is not None:
            done = PHASES.index(self.phase) if self.phase in PHASES else 0
            self._progress.update(self._task, completed=done, description=f"{self.phase}…")

    def _show(self) -> None:
        with self._lock:
            if self._closed:  # the import ended while the timer fired
                return
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("phase {task.completed:.0f}/{task.total:.0f}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._task = self._progress.add_task(self.phase, total=len(PHASES))
            self._progress.start()
            self._draw()

    def __enter__(self) -> ImportProgressBar:
        if self.delay <= 0:
            self._show()
        else:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()
                self._progress = None
