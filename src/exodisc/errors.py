"""The exceptions exodisc raises on bad input.

Every error a user can cause derives from :class:`ExodiscError`; the command line prints its
message (no traceback unless ``--debug``) and exits non-zero. Messages say what was found, what
was expected and where (file, line, row, column or key path).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DesignError",
    "ExodiscError",
    "InputFormatError",
    "Problem",
    "ResourceError",
    "SchemaError",
    "StudyFileError",
]


class ExodiscError(Exception):
    """Base class of every error caused by input or configuration."""

    exit_code: int = 1


class InputFormatError(ExodiscError):
    """An input file could not be parsed as the format it claims (or was sniffed) to be.

    Parameters
    ----------
    message
        What was found and what was expected.
    path
        The file.
    where
        Row, column, well, section … inside the file, if known.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, where: str | None = None):
        self.path = Path(path) if path is not None else None
        self.where = where
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if where:
            parts.append(where)
        prefix = ": ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class SchemaError(ExodiscError):
    """A table has the wrong columns, types or values (all problems listed at once)."""


class DesignError(ExodiscError):
    """The experimental design cannot answer the question asked (e.g. n < 2, rank deficiency)."""


class ResourceError(ExodiscError):
    """A resource (gene sets, annotation, interaction table) is missing, corrupt or unreachable."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a study file."""

    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        key = self.key or "(top level)"
        return f"{where}{key}: {self.message}"


class StudyFileError(ExodiscError):
    """The study file has one or more problems; all are listed."""

    exit_code = 2

    def __init__(self, path: str | Path, problems: Sequence[Problem]):
        self.path = Path(path)
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{self.path}: {n} problem{'s' if n != 1 else ''} in the study file"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
