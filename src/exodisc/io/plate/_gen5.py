"""BioTek Gen5 plate-reader text export (tab-separated, ``Software Version`` header).

Endpoint reads come as grids under ``Results`` (or under a section titled with the read), one
line per read and row with the read's label in the last cell (``450``, ``260:280``,
``Blank 450`` …); kinetic reads come as a table ``Time, T° <wl>, A1, A2 …`` under a line naming
the wavelength. The ``Results`` grids that follow kinetic data hold Gen5's own curve statistics
(Max V, lag time) and are not data: they are left out and named in ``metadata``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._common import PlateRead, Record, SourceInfo, build_table, parse_number
from exodisc.io.plate._common import split_well as _split_well
from exodisc.io.plate._registry import PlateFormat, register_format
from exodisc.io.plate._text import head_text, read_lines, time_to_seconds

__all__ = ["read_gen5", "sniff_gen5"]

_ROW = re.compile(r"^[A-P]$")
_PLATES = {96: (8, 12), 384: (16, 24), 48: (6, 8), 24: (4, 6), 12: (3, 4), 6: (2, 3)}


def sniff_gen5(path: Path) -> bool:
    """True for a Gen5 text export (``Software Version`` line and ``Plate Number`` / ``Reader``)."""
    head = head_text(path)
    return "Software Version\t" in head and ("Plate Number" in head or "Reader Type" in head)


def _is_grid_header(cells: list[str]) -> bool:
    vals = [c.strip() for c in cells[1:] if c.strip()]
    return (
        len(cells) > 2
        and not cells[0].strip()
        and len(vals) >= 2
        and vals == [str(i) for i in range(1, len(vals) + 1)]
    )


def _grid(
    lines: list[list[str]], start: int, title: str, plate: str, path: Path
) -> tuple[list[Record], int]:
    """Parse one grid whose header line is ``lines[start]``; return records and next index."""
    header = [c.strip() for c in lines[start]]
    n_cols = len([c for c in header[1:] if c])
    labelled = _labelled(lines, start, n_cols)
    records: list[Record] = []
    row_letter = ""
    rows_seen: list[str] = []
    i = start + 1
    while i < len(lines):
        cells = lines[i]
        first = cells[0].strip() if cells else ""
        if not any(c.strip() for c in cells):
            break
        if _ROW.match(first):
            row_letter = first
            rows_seen.append(first)
        elif first or not row_letter:
            break
        label = cells[n_cols + 1].strip() if len(cells) > n_cols + 1 else ""
        read = label or title
        values = cells[1 : n_cols + 1]
        r = ord(row_letter) - ord("A")
        filled = _width(cells)
        if labelled and (filled != n_cols + 1 or not label):
            msg = (
                f"row {row_letter} has {filled} cells after the row letter, expected "
                f"{n_cols} values (columns 1–{n_cols}) and the read label ({n_cols + 1}); "
                "a value is missing or shifted"
            )
            raise InputFormatError(msg, path=path, where=f"line {i + 1}")
        if filled > n_cols + 1:
            msg = f"row {row_letter} has {filled} cells, expected {n_cols} values and a label"
            raise InputFormatError(msg, path=path, where=f"line {i + 1}")
        if len(values) < n_cols or any(not v.strip() for v in values[len(values) :]):
            msg = f"row {row_letter} of read {read!r} has {len(values)} values, expected {n_cols}"
            raise InputFormatError(msg, path=path, where=f"line {i + 1}")
        for c, v in enumerate(values, start=1):
            where = f"line {i + 1}, well {row_letter}{c}, read {read!r}"
            records.append((plate, read, r, c, parse_number(v, path=path, where=where), math.nan))
        i += 1
    expected = {6: 4, 8: 6, 12: 8, 24: 16, 4: 3, 3: 2}.get(n_cols)
    if expected is not None and len(rows_seen) < expected:
        got = f"{rows_seen[0]}–{rows_seen[-1]}" if rows_seen else "none"
        last = chr(ord("A") + expected - 1)
        msg = f"truncated plate: rows {got} found, expected A–{last} for {n_cols} columns"
        raise InputFormatError(msg, path=path, where=f"section {title!r} of {plate!r}")
    return records, i


def _width(cells: list[str]) -> int:
    """Cells after the row letter, up to the last non-empty one."""
    n = len(cells)
    while n > 1 and not cells[n - 1].strip():
        n -= 1
    return n - 1


def _labelled(lines: list[list[str]], start: int, n_cols: int) -> bool:
    """True when the grid's lines carry a read label after the values (``450``, ``650``)."""
    i = start + 1
    while i < len(lines) and any(c.strip() for c in lines[i]):
        cells = lines[i]
        if len(cells) > n_cols + 1 and cells[n_cols + 1].strip():
            return True
        i += 1
    return False


def _kinetic(
    lines: list[list[str]], start: int, title: str, plate: str, path: Path
) -> tuple[list[Record], int]:
    header = [c.strip() for c in lines[start]]
    wells: list[tuple[int, tuple[int, int]]] = []
    for j, h in enumerate(header[1:], start=1):
        rc = _split_well(h)
        if rc is not None:
            wells.append((j, rc))
    records: list[Record] = []
    i = start + 1
    while i < len(lines):
        cells = lines[i]
        if not cells or not cells[0].strip():
            break
        t = time_to_seconds(cells[0])
        if t is None:
            break
        if not any(c.strip() for c in cells[1:]):  # planned reads that never ran
            i += 1
            continue
        for j, (r, c) in wells:
            v = cells[j] if j < len(cells) else ""
            where = f"line {i + 1}, well {header[j]}, time {cells[0].strip()}"
            records.append((plate, title, r, c, parse_number(v, path=path, where=where), t))
        i += 1
    return records, i


def read_gen5(path: Path) -> PlateRead:
    """Read a BioTek Gen5 text export.

    Parameters
    ----------
    path
        The ``.txt`` export (Gen5 "Export to text" / "Plate -> Results").

    Returns
    -------
    PlateRead
        ``read`` is the label Gen5 prints beside each grid row (e.g. ``450``, ``260:280``);
        kinetic rows carry ``time_s`` from the ``Time`` column.

    Notes
    -----
    Equivalent of reading the export into Gen5's own "Results" view; allotropy's
    ``agilent_gen5`` parser reads the same layout (Benchling, MIT).
    """
    lines = read_lines(path)
    meta: dict[str, str] = {}
    records: list[Record] = []
    plate = "Plate 1"
    title = ""
    kinetic_seen = False
    skipped: list[str] = []
    i = 0
    while i < len(lines):
        cells = lines[i]
        first = cells[0].strip() if cells else ""
        rest = [c.strip() for c in cells[1:] if c.strip()]
        if first in {"Plate Number", "Software Version", "Reader Type:", "Date", "Time"} and rest:
            key = first.rstrip(":")
            if key == "Plate Number":
                plate = rest[0]
            if key == "Time" and _split_well(rest[-1]) is not None:
                pass
            else:
                meta.setdefault(key, rest[0])
        if first == "Plate Type" and rest:
            meta.setdefault("Plate Type", rest[0])
        if first == "Time" and any(_split_well(c) is not None for c in cells[1:]):
            recs, i = _kinetic(lines, i, title, plate, path)
            records += recs
            kinetic_seen = True
            continue
        if _is_grid_header(cells):
            if title == "Layout" or (title == "Results" and kinetic_seen):
                skipped.append(title)
                j = i + 1
                while j < len(lines) and any(c.strip() for c in lines[j]):
                    j += 1
                i = j
                continue
            recs, i = _grid(lines, i, title, plate, path)
            records += recs
            continue
        if first and not rest:
            title = first
        i += 1
    if skipped:
        meta["skipped_sections"] = ", ".join(dict.fromkeys(skipped))
    table = build_table(records, path=path)
    declared = re.search(r"(\d+)\s*WELL", meta.get("Plate Type", ""), re.IGNORECASE)
    if declared and int(declared.group(1)) in _PLATES:
        n_rows, n_cols = _PLATES[int(declared.group(1))]
        bad = table[(table["column"] > n_cols) | (table["row"].map(ord) - ord("A") >= n_rows)]
        if not bad.empty:
            msg = (
                f"well {bad['well'].iloc[0]} lies outside the declared plate type "
                f"{meta['Plate Type']!r} ({n_rows} rows x {n_cols} columns)"
            )
            raise InputFormatError(msg, path=path, where=f"read {bad['read'].iloc[0]!r}")
    source = SourceInfo.of(
        path,
        "gen5",
        instrument=f"BioTek {meta.get('Reader Type', '')}".strip(),
        version=meta.get("Software Version", ""),
    )
    return PlateRead(table, source, meta)


register_format(
    PlateFormat("gen5", "BioTek Gen5 text export", sniff_gen5, read_gen5),
)
