"""Shared pieces of the plate-reader readers: the tidy table, wells and numbers."""

from __future__ import annotations

import hashlib
import math
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.errors import InputFormatError

__all__ = [
    "COLUMNS",
    "PlateRead",
    "Record",
    "SourceInfo",
    "build_table",
    "parse_number",
    "plate_shape",
    "row_letter",
    "well_name",
]

#: Columns of every reader's table, in order.
COLUMNS = ["plate", "read", "well", "row", "column", "value", "time_s"]

_SHAPES = {96: (8, 12), 384: (16, 24), 48: (6, 8), 24: (4, 6), 12: (3, 4), 6: (2, 3)}
_WELL = re.compile(r"^([A-Pa-p])0*([1-9][0-9]?)$")


def plate_shape(n_wells: int) -> tuple[int, int]:
    """Rows and columns of a standard plate with ``n_wells`` wells."""
    try:
        return _SHAPES[n_wells]
    except KeyError:
        msg = f"unsupported plate size {n_wells}; expected one of {sorted(_SHAPES)}"
        raise ValueError(msg) from None


def row_letter(i: int) -> str:
    """Row letter of 0-based row ``i`` (``0 -> 'A'``)."""
    return string.ascii_uppercase[i]


def well_name(row: int, column: int) -> str:
    """A1-style name of 0-based ``row`` and 1-based ``column``."""
    return f"{row_letter(row)}{column}"


def split_well(name: str) -> tuple[int, int] | None:
    """0-based row and 1-based column of an A1-style well name (``A01`` too), else None."""
    m = _WELL.match(name.strip())
    if m is None:
        return None
    return string.ascii_uppercase.index(m.group(1).upper()), int(m.group(2))


_MISSING = {"", "nan", "na", "n/a"}


def parse_number(text: Any, *, path: Path, where: str) -> float:
    """A well's value as float; blank / NaN markers give NaN, anything else non-numeric raises.

    Values the instrument writes for saturated wells (``OVRFLW``, ``Over``, ``>3.5``) are not
    guessed: they raise, naming the file and well, so that a person decides.
    """
    if text is None:
        return math.nan
    if isinstance(text, bool):
        msg = f"expected a number, found {text!r}"
        raise InputFormatError(msg, path=path, where=where)
    if isinstance(text, int | float):
        return float(text)
    s = str(text).strip()
    if s.lower() in _MISSING:
        return math.nan
    try:
        return float(s.replace(",", ".") if s.count(",") == 1 and "." not in s else s)
    except ValueError:
        msg = (
            f"expected a number, found {s!r} (saturated or masked wells must be fixed or "
            "removed in the export before analysis)"
        )
        raise InputFormatError(msg, path=path, where=where) from None


@dataclass(frozen=True)
class SourceInfo:
    """Where a table came from: path, SHA-256, format, instrument and software version."""

    path: Path
    sha256: str
    format: str
    instrument: str = ""
    software_version: str = ""

    @classmethod
    def of(cls, path: Path, fmt: str, *, instrument: str = "", version: str = "") -> SourceInfo:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(path, digest, fmt, instrument, version)


@dataclass(frozen=True)
class PlateRead:
    """One export parsed: the tidy table and where it came from.

    Attributes
    ----------
    table
        One row per plate, read and well (and time point for kinetic reads), columns
        ``plate, read, well, row, column, value, time_s`` (``time_s`` NaN for endpoint reads).
    source
        Path, checksum, format, instrument and software version.
    metadata
        Other header fields the export states (date, plate type, …), as text.
    """

    table: pd.DataFrame
    source: SourceInfo
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def plates(self) -> list[str]:
        return list(pd.unique(self.table["plate"]))

    @property
    def reads(self) -> list[str]:
        return list(pd.unique(self.table["read"]))


Record = tuple[str, str, int, int, float, float]  # plate, read, row (0-based), column, value, t


def build_table(records: Iterable[Record], *, path: Path) -> pd.DataFrame:
    """The tidy table from ``(plate, read, row, column, value, time_s)`` records.

    Raises when a well is given twice for the same plate, read and time.
    """
    rows = list(records)
    if not rows:
        msg = "no plate data found"
        raise InputFormatError(msg, path=path)
    df = pd.DataFrame(rows, columns=["plate", "read", "row_i", "column", "value", "time_s"])
    df["well"] = [well_name(r, c) for r, c in zip(df["row_i"], df["column"], strict=True)]
    df["row"] = [row_letter(r) for r in df["row_i"]]
    key = ["plate", "read", "well", "time_s"]
    dup = df[df.duplicated(key, keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        msg = f"well {first['well']} appears more than once in read {first['read']!r}"
        raise InputFormatError(msg, path=path, where=f"plate {first['plate']!r}")
    # file order of plates and reads, then time, then row-major wells: deterministic output
    df["_p"] = pd.factorize(df["plate"])[0]
    df["_r"] = pd.factorize(df["read"])[0]
    df = df.sort_values(["_p", "_r", "time_s", "row_i", "column"], kind="stable")
    df = df[COLUMNS].reset_index(drop=True)
    df["column"] = df["column"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["time_s"] = df["time_s"].astype("float64")
    return df
