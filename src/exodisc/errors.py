"""The exceptions exodisc raises on bad input.

Every error a user can cause derives from :class:`ExodiscError`; the command line prints its
message (no traceback unless ``--debug``) and exits non-zero. Messages say what was found, what
was expected and where (file, line, row, column or key path).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    "naming_files",
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


def _named(text: str, path: Path) -> bool:
    return str(path) in text or ("." in path.name and path.name in text)


@contextmanager
def naming_files(*paths: str | Path | None, context: str | None = None) -> Iterator[None]:
    """Errors raised inside the block name the file(s) they are about.

    The boundary where the input files are known (a command, an assay of ``exodisc run``)
    wraps the analysis in this block: an :class:`ExodiscError` whose message names none of
    ``paths`` is raised again, same type, with the files (up to three, then how many more)
    and ``context`` before its message. An :class:`InputFormatError` with its own path and a
    :class:`StudyFileError` already say which file they are about and are left as they are.
    Give the files the analysis reads as data (not, say, a gene-set file its messages
    describe themselves).

    Examples
    --------
    >>> with naming_files("run.csv"):  # doctest: +SKIP
    ...     relative_quantification(wells, reference=["GAPDH"], calibrator="ctrl_1")
    DesignError: run.csv: reference gene(s) ['GAPDH'] not in the run ...
    """
    files = [Path(p) for p in dict.fromkeys(str(p) for p in paths if p is not None)]
    try:
        yield
    except ExodiscError as exc:
        text = str(exc)
        if (
            not files
            or any(_named(text, p) for p in files)
            or isinstance(exc, StudyFileError)
            or (isinstance(exc, InputFormatError) and exc.path is not None)
        ):
            raise
        shown = ", ".join(map(str, files[:3]))
        if len(files) > 3:
            shown += f" (and {len(files) - 3} more files)"
        prefix = f"{shown} ({context})" if context else shown
        new = type(exc).__new__(type(exc))
        new.__dict__.update(exc.__dict__)
        new.args = (f"{prefix}: {text}",)
        if isinstance(new, InputFormatError) and len(files) == 1:
            new.path = files[0]
        raise new from exc
