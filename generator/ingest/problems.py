"""Problems found in input data, reported as ``FILE:LINE: column 'NAME': what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass

# Enough to fix a file in one pass without flooding a terminal or a cron mail.
MAX_PROBLEMS = 200


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input.

    ``file`` is the path as the user should see it (e.g. ``data/results.csv``);
    ``line`` is the 1-based physical line in that file (the header is line 1),
    or None for a problem with the file as a whole; ``column`` is the column
    name, or None when the problem is not about one column.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else f"{self.file}"
        if self.column is not None:
            return f"{where}: column '{self.column}': {self.message}"
        return f"{where}: {self.message}"


class InvalidData(Exception):
    """Raised when the input folder breaks the data contract.

    Carries every problem found (capped at MAX_PROBLEMS) so that the command line
    can print them all and exit 2 without publishing anything.
    """

    def __init__(self, problems: list[Problem], truncated: int = 0) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__(f"{len(problems) + truncated} problem(s) in the input data")

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.truncated:
            out.append(f"... and {self.truncated} more problem(s) not shown")
        return out


class ProblemList:
    """Collects problems up to MAX_PROBLEMS and counts the rest."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(Problem(file, line, column, message))
        else:
            self.dropped += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidData(self.items, self.dropped)
