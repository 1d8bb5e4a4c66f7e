"""The reader output: one table (a CSV file or a spreadsheet sheet) of string cells, or a located error."""

from __future__ import annotations

from dataclasses import dataclass

from maillage.ingest.report import Problem


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


class UnreadableFileError(ValueError):
    """A file that cannot be read as a table at all (empty, binary, bad encoding, broken quoting)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not a text file.

    >>> looks_binary(b"nom,pays\\nA,FR\\n"), looks_binary(bytes(range(256)))
    (False, True)
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > len(head) // 100
