"""Cell matrices (spreadsheet sheets, CSV files) and 8 x 12 / 16 x 24 grids inside them."""

from __future__ import annotations

import csv
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exodisc.errors import InputFormatError
from exodisc.io.plate._common import Record, parse_number

__all__ = ["Grid", "find_grids", "grid_records", "is_xlsx", "read_csv_cells", "read_xlsx_cells"]

Cells = list[list[Any]]


def is_xlsx(path: Path) -> bool:
    """True for a zip file holding ``xl/workbook.xml`` (an Excel workbook).

    Examples
    --------
    >>> from exodisc.io.plate import is_xlsx
    >>> is_xlsx(Path("plate.xlsx"))  # doctest: +SKIP
    True
    """
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def read_xlsx_cells(path: Path) -> dict[str, Cells]:
    """Every sheet of a workbook as rows of cell values (trailing empty cells removed)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated classes for broken files
        msg = f"cannot open the workbook ({exc})"
        raise InputFormatError(msg, path=path) from None
    out: dict[str, Cells] = {}
    try:
        for ws in wb.worksheets:
            rows: Cells = []
            for row in ws.iter_rows(values_only=True):
                r = list(row)
                while r and (r[-1] is None or (isinstance(r[-1], str) and not r[-1].strip())):
                    r.pop()
                rows.append(r)
            while rows and not rows[-1]:
                rows.pop()
            out[ws.title] = rows
    finally:
        wb.close()
    return out


def read_csv_cells(path: Path) -> Cells:
    """A CSV / TSV file (delimiter sniffed among ``,``, ``;`` and tab) as rows of strings."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delim = max(["\t", ";", ","], key=first.count)
    reader = csv.reader(text.splitlines(), delimiter=delim)
    try:
        rows = [list(r) for r in reader]
    except csv.Error as exc:
        msg = (
            f"line {reader.line_num} cannot be read ({exc}; a damaged file or a missing line break)"
        )
        raise InputFormatError(msg, path=path, where=f"line {reader.line_num}") from None
    for r in rows:
        while r and not str(r[-1]).strip():
            r.pop()
    return rows


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@dataclass(frozen=True)
class Grid:
    """A plate grid found in a cell matrix: header at ``row`` (0-based), its title and size."""

    row: int
    corner: str
    title: str
    n_rows: int
    n_cols: int


_EXPECTED_ROWS = {12: 8, 24: 16, 6: 4, 8: 6, 4: 3, 3: 2}


def find_grids(cells: Cells) -> list[Grid]:
    """Grids: a header ``corner, 1, 2, … n`` followed by rows ``A, …``, ``B, …``.

    ``title`` is the nearest non-empty single-cell line above the header.
    """
    grids = []
    title = ""
    skip_to = 0
    for i, row in enumerate(cells):
        if i < skip_to:  # rows of the grid just found (row A may read 1, 2, … 12)
            continue
        texts = [_text(v) for v in row]
        filled = [t for t in texts if t]
        if len(filled) == 1 and texts and texts[0]:
            title = texts[0]
            continue
        nums = texts[1:]
        is_row = bool(texts) and len(texts[0]) == 1 and texts[0].isalpha()
        if not is_row and len(nums) >= 3 and nums == [str(k) for k in range(1, len(nums) + 1)]:
            n_rows = 0
            for r in cells[i + 1 :]:
                letter = _text(r[0]) if r else ""
                if letter != chr(ord("A") + n_rows):
                    break
                n_rows += 1
            grids.append(Grid(i, texts[0], title, n_rows, len(nums)))
            skip_to = i + 1 + n_rows
    return grids


def grid_records(
    cells: Cells, grid: Grid, *, plate: str, read: str, path: Path, where: str = ""
) -> list[Record]:
    """The values of one grid as records; a truncated grid or text in a well raises."""
    expected = _EXPECTED_ROWS.get(grid.n_cols)
    if expected is not None and grid.n_rows != expected:
        last = chr(ord("A") + expected - 1)
        got = f"A–{chr(ord('A') + grid.n_rows - 1)}" if grid.n_rows else "none"
        msg = f"truncated plate: rows {got} found, expected A–{last} for {grid.n_cols} columns"
        raise InputFormatError(msg, path=path, where=f"{where}row {grid.row + 1}")
    after = grid.row + 1 + grid.n_rows
    if after < len(cells) and cells[after]:
        letter = _text(cells[after][0])
        if len(letter) == 1 and letter.isalpha() and ord(letter) - ord("A") < grid.n_rows:
            first = grid.row + 2 + ord(letter) - ord("A")
            msg = (
                f"row {letter} is given twice (rows {first} and {after + 1}) with "
                f"{'the same' if cells[first - 1][1:] == cells[after][1:] else 'different'} "
                "values; keep one of them"
            )
            raise InputFormatError(msg, path=path, where=f"{where}row {after + 1}")
    out: list[Record] = []
    for r in range(grid.n_rows):
        line = cells[grid.row + 1 + r]
        extra = [_text(v) for v in line[grid.n_cols + 1 :] if _text(v)]
        if extra:
            n = grid.n_cols + len(extra)
            msg = (
                f"row {chr(ord('A') + r)} has {n} values, expected {grid.n_cols} "
                f"(the header names columns 1–{grid.n_cols}); a value may be shifted"
            )
            raise InputFormatError(msg, path=path, where=f"{where}row {grid.row + 2 + r}")
        for c in range(1, grid.n_cols + 1):
            v = line[c] if c < len(line) else None
            well = f"{chr(ord('A') + r)}{c}"
            loc = f"{where}row {grid.row + 2 + r}, well {well}, read {read!r}"
            out.append((plate, read, r, c, parse_number(v, path=path, where=loc), math.nan))
    return out
