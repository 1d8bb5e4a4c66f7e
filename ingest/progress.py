"""The phases of an import, and the callback through which the importer reports them (no display here).

The importer calls ``progress(phase)`` when a phase starts; a phase may start again (``keep_valid`` maps and
validates once more after dropping rows). Whoever displays it — the CLI's progress bar — lives elsewhere.
"""

from __future__ import annotations

from typing import Protocol

#: The phases, in order, with their French names: reading, concept mapping, SHACL validation, writing.
PHASES = ("lecture", "correspondances", "validation SHACL", "écriture")


class ImportProgress(Protocol):
    """Told when each phase of `PHASES` starts."""

    def __call__(self, phase: str) -> None: ...


def no_progress(phase: str) -> None:
    """The callback used when nobody listens."""
