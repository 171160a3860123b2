"""Plain plate grids in CSV / TSV / XLSX: header ``<corner>, 1 … 12`` and rows ``A … H``.

Several grids per file (or sheet) are allowed; the single-cell line above a grid names its read
(e.g. ``450`` or ``OD 650``), else the corner cell does, else ``value``. Each sheet of a
workbook is a plate named after the sheet; a CSV file is one plate named after the file.
"""

from __future__ import annotations

from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._cells import (
    Cells,
    find_grids,
    grid_records,
    is_xlsx,
    read_csv_cells,
    read_xlsx_cells,
)
from exodisc.io.plate._common import PlateRead, Record, SourceInfo, build_table
from exodisc.io.plate._registry import PlateFormat, register_format

__all__ = ["read_grid", "sniff_grid"]

_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}


def sniff_grid(path: Path) -> bool:
    """True for a CSV/TSV/XLSX file holding at least one plate grid."""
    try:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            return bool(find_grids(read_csv_cells(path)[:200]))
        if is_xlsx(path):
            return any(find_grids(c) for c in read_xlsx_cells(path).values())
    except (OSError, InputFormatError):
        return False
    return False


def _records(cells: Cells, plate: str, path: Path, where: str) -> list[Record]:
    out: list[Record] = []
    for g in find_grids(cells):
        read = g.title or (g.corner if g.corner and g.corner not in {"<>", "Well"} else "value")
        out += grid_records(cells, g, plate=plate, read=read, path=path, where=where)
    return out


def read_grid(path: Path) -> PlateRead:
    """Read plain plate grids (CSV, TSV or XLSX).

    Notes
    -----
    The layout of ``plater::read_plate`` (R, Hughes 2016) and of copy-paste from most reader
    software. Text in a well raises, naming the well.
    """
    records: list[Record] = []
    if is_xlsx(path):
        for sheet, cells in read_xlsx_cells(path).items():
            records += _records(cells, sheet, path, f"sheet {sheet!r}, ")
    else:
        records = _records(read_csv_cells(path), path.stem, path, "")
    if not records:
        msg = "no plate grid found (expected a header row '<corner>, 1, 2, … 12' and rows A–H)"
        raise InputFormatError(msg, path=path)
    return PlateRead(build_table(records, path=path), SourceInfo.of(path, "grid"))


register_format(
    PlateFormat("grid", "plain plate grid CSV/TSV/XLSX", sniff_grid, read_grid, priority=100)
)
