"""Tecan Magellan Excel export in list format (``Raw data | Well positions | Plate``)."""

from __future__ import annotations

import math
import re
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._cells import is_xlsx, read_xlsx_cells
from exodisc.io.plate._common import (
    PlateRead,
    Record,
    SourceInfo,
    build_table,
    parse_number,
    split_well,
)
from exodisc.io.plate._registry import PlateFormat, register_format

__all__ = ["read_magellan", "sniff_magellan"]

_WAVELENGTH = re.compile(r"Measurement wavelength:\s*([0-9.]+)\s*nm")


def sniff_magellan(path: Path) -> bool:
    """True for a workbook whose first row has ``Well positions`` (Magellan list export)."""
    if not is_xlsx(path):
        return False
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not readable: another format may claim it
        return False
    try:
        ws = wb.worksheets[0]
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        return "Well positions" in [str(v).strip() for v in first if v is not None]
    finally:
        wb.close()


def read_magellan(path: Path) -> PlateRead:
    """Read a Magellan list export (one row per well, metadata lines below).

    Returns
    -------
    PlateRead
        ``plate`` from the ``Plate`` column (carried down where Magellan leaves it empty),
        ``read`` the measurement wavelength stated below the list (``595``), else the
        value column's header.

    Notes
    -----
    Each value column other than ``Well positions`` / ``Plate`` (``Raw data``, or one per
    label) becomes a read.
    """
    sheets = read_xlsx_cells(path)
    name, cells = next(iter(sheets.items()))
    header = [str(v).strip() if v is not None else "" for v in cells[0]]
    try:
        pos_col = header.index("Well positions")
    except ValueError:
        msg = "no 'Well positions' column in the first row"
        raise InputFormatError(msg, path=path, where=f"sheet {name!r}, row 1") from None
    plate_col = header.index("Plate") if "Plate" in header else None
    value_cols = [j for j, h in enumerate(header) if h and j not in (pos_col, plate_col)]
    meta: dict[str, str] = {}
    wavelength = ""
    body_end = len(cells)
    for i, row in enumerate(cells[1:], start=1):
        pos = row[pos_col] if pos_col < len(row) else None
        if pos is None or split_well(str(pos)) is None:
            body_end = i
            break
    for row in cells[body_end:]:
        if row and isinstance(row[0], str):
            m = _WAVELENGTH.search(row[0])
            if m:
                wavelength = m.group(1).removesuffix(".0")
            if ":" in row[0] and not row[0].startswith(("C:", "D:")):
                k, _, v = row[0].partition(":")
                meta.setdefault(k.strip(), v.strip())
    records: list[Record] = []
    plate = "Plate 1"
    for i in range(1, body_end):
        row = cells[i]
        pos = str(row[pos_col]).strip()
        rc = split_well(pos)
        if rc is None:  # pragma: no cover - excluded by body_end
            continue
        if plate_col is not None and plate_col < len(row) and row[plate_col]:
            plate = str(row[plate_col]).strip()
        for j in value_cols:
            read = wavelength if (wavelength and len(value_cols) == 1) else header[j]
            cell = row[j] if j < len(row) else None
            where = f"sheet {name!r}, row {i + 1}, well {pos}"
            records.append(
                (plate, read, rc[0], rc[1], parse_number(cell, path=path, where=where), math.nan)
            )
    source = SourceInfo.of(path, "magellan", instrument="Tecan", version="Magellan")
    return PlateRead(build_table(records, path=path), source, meta)


register_format(
    PlateFormat("magellan", "Tecan Magellan xlsx (list export)", sniff_magellan, read_magellan)
)
