"""Import reports: what was read, written and refused, each problem located to the cell."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    """One refused value: file › sheet › row › column › value › rule (› suggestion)."""

    file: str
    rule: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    suggestion: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet and self.sheet != self.file.rsplit(".", 1)[0]:
            parts.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        return " › ".join(parts)

    def __str__(self) -> str:
        text = self.location() + " : "
        if self.value is not None:
            text += f"« {self.value} » — "
        text += self.rule
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class ImportRefusedError(Exception):
    """An import was refused; `report.problems` lists why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        report.refused = True
        self.report = report
        super().__init__("\n".join(str(p) for p in report.problems))


@dataclass
class ImportReport:
    """Counts and problems of one import (or dry run)."""

    source: str
    dry_run: bool = False
    rows_read: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    refused: bool = False

    @property
    def ok(self) -> bool:
        """Everything was imported (or would be, in a dry run): nothing refused, no row left out."""
        return not self.refused and not self.problems

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ok"] = self.ok
        data["problems"] = [{**asdict(p), "message": str(p)} for p in self.problems]
        return data

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        mode = "essai à blanc (rien n'a été écrit)" if self.dry_run else "import"
        read = ", ".join(f"{sheet} : {count}" for sheet, count in self.rows_read.items()) or "aucune"
        lines = [
            f"{self.source} — {mode}",
            f"lignes lues : {read}",
            f"entités créées : {self.created}, mises à jour : {self.updated}, inchangées : {self.unchanged}",
        ]
        if self.problems and (self.refused or not self.rejected_rows):
            lines.append(f"refusé : {len(self.problems)} problème(s), rien n'a été écrit")
        elif self.problems:
            lines.append(f"{self.rejected_rows} ligne(s) écartée(s) (--keep-valid), le reste est importé :")
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)
