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
    #: How to fix it, worded for the command line (`str`, ``maillage import``, the JSON report).
    suggestion: str | None = None
    #: The scheme (`field`, `resource`…) that lacks the concept the value names, when adding that concept is
    #: the fix: each interface then words the fix its own way (the import page links to its taxonomy page).
    missing_concept: str | None = None

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


@dataclass(frozen=True)
class Review:
    """A value mapped to a concept that a person should check: accepted by fuzzy matching, or refused
    because it is ambiguous or unknown (docs/decisions/20261128-concept-mapping-and-resolution.md)."""

    file: str
    column: str
    value: str
    scheme: str
    #: « approché » (accepted, fuzzy), « ambigu » or « inconnu » (both refused).
    status: str
    sheet: str | None = None
    row: int | None = None
    #: The concept accepted (its key), when the value was accepted.
    concept: str | None = None
    score: float | None = None
    #: The closest concepts (key, score 0–100), best first.
    candidates: tuple[tuple[str, float], ...] = ()

    def __str__(self) -> str:
        where = Problem(
            file=self.file, sheet=self.sheet, row=self.row, column=self.column, rule=""
        ).location()
        closest = ", ".join(f"« {key} » ({score:.0f})" for key, score in self.candidates)
        if self.status == "approché":
            score = f"score {self.score:.0f}"
            return f"{where} : « {self.value} » → « {self.concept} » ({score}), accepté à vérifier"
        if self.status == "ambigu":
            return f"{where} : « {self.value} » ambigu entre {closest}, refusé"
        return (
            f"{where} : « {self.value} » inconnu"
            + (f" (le plus proche : {closest})" if closest else "")
            + (", refusé")
        )


@dataclass(frozen=True)
class ActorEvidence:
    """One piece of evidence that an incoming actor is an existing one: which field, both values, a score."""

    field: str
    incoming: str
    existing: str
    score: float | None = None

    def __str__(self) -> str:
        score = f" ({self.score:.0f}/100)" if self.score is not None else ""
        return f"{self.field} « {self.incoming} » / « {self.existing} »{score}"


@dataclass(frozen=True)
class ActorResolution:
    """An actor row compared with the actors already in the store: « rapproché » (the row updates the existing
    actor) or « doublon probable » (reported, not merged: `maillage merge` decides)."""

    file: str
    key: str
    actor: str
    status: str
    evidence: tuple[ActorEvidence, ...]
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = Problem(file=self.file, sheet=self.sheet, row=self.row, column=None, rule="").location()
        because = " ; ".join(str(e) for e in self.evidence)
        if self.status == "rapproché":
            return f"{where} : « {self.key} » est l'acteur existant « {self.actor} » ({because})"
        return (
            f"{where} : « {self.key} » ressemble à l'acteur existant « {self.actor} » ({because}) — "
            f"à fusionner si c'est le même : maillage merge {self.actor} {self.key}"
        )


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
    #: Concept mappings to check (« à vérifier / to review »).
    reviews: list[Review] = field(default_factory=list)
    #: Actors recognised as existing ones, and probable duplicates (not merged).
    resolutions: list[ActorResolution] = field(default_factory=list)
    #: Values of a public dataset left out while the rest was imported (junk, test addresses, e-mails).
    ignored: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Everything was imported (or would be, in a dry run): nothing refused, no row left out."""
        return not self.refused and not self.problems

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ok"] = self.ok
        data["problems"] = [{**asdict(p), "message": str(p)} for p in self.problems]
        data["reviews"] = [{**asdict(r), "message": str(r)} for r in self.reviews]
        data["resolutions"] = [{**asdict(r), "message": str(r)} for r in self.resolutions]
        data["ignored"] = [{**asdict(p), "message": str(p)} for p in self.ignored]
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
        if self.ignored:
            lines.append(f"valeurs laissées de côté : {len(self.ignored)}")
            lines.extend(f"  - {problem}" for problem in self.ignored)
        if self.reviews:
            lines.append(f"à vérifier / to review : {len(self.reviews)} correspondance(s) avec la taxonomie")
            lines.extend(f"  - {review}" for review in self.reviews)
        matched = [r for r in self.resolutions if r.status == "rapproché"]
        if matched:
            lines.append(f"acteurs reconnus (mis à jour, pas de doublon créé) : {len(matched)}")
            lines.extend(f"  - {resolution}" for resolution in matched)
        probable = [r for r in self.resolutions if r.status != "rapproché"]
        if probable:
            lines.append(f"doublons probables (non fusionnés) : {len(probable)}")
            lines.extend(f"  - {resolution}" for resolution in probable)
        return "\n".join(lines)
