"""The reader output: one table (a CSV file or a spreadsheet sheet) of string cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Table:
    """Rows of one sheet; `rows[i]` is spreadsheet line `i + 2` (line 1 is the header)."""

    file: str
    sheet: str
    header: list[str]
    rows: list[dict[str, str]]

    @staticmethod
    def line_of(index: int) -> int:
        return index + 2
