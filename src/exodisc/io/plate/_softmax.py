"""Molecular Devices SoftMax Pro text export (``##BLOCKS=``, usually UTF-16).

Each ``Plate:`` block starts with a header line of tab-separated settings (name, export version,
``PlateFormat``, ``Endpoint``/``Kinetic``, read mode, data mode, …, number of wavelengths,
wavelengths, first column, number of columns, number of wells, …, number of rows) followed by
``Time, Temperature, 1 … 12`` and the grid; with several wavelengths the grids stand side by
side, separated by one empty column. A second copy of the values (SoftMax's reduced view) may
follow after an empty line; it is not read. Blocks end with ``~End``.
"""

from __future__ import annotations

import math
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._common import PlateRead, Record, SourceInfo, build_table, parse_number
from exodisc.io.plate._registry import PlateFormat, register_format
from exodisc.io.plate._text import head_text, read_lines, time_to_seconds

__all__ = ["read_softmax", "sniff_softmax"]


def sniff_softmax(path: Path) -> bool:
    """True for a SoftMax Pro text export (``##BLOCKS=`` first line)."""
    return head_text(path, 512).lstrip().startswith("##BLOCKS=")


def _field(header: list[str], i: int) -> str:
    return header[i].strip() if i < len(header) else ""


def _int_field(header: list[str], i: int, name: str, path: Path, line: int) -> int:
    text = _field(header, i)
    try:
        return int(text)
    except ValueError:
        msg = f"plate header field {i} ({name}) should be an integer, found {text!r}"
        raise InputFormatError(msg, path=path, where=f"line {line}") from None


def _plate_block(
    lines: list[list[str]], start: int, path: Path
) -> tuple[list[Record], int, dict[str, str]]:
    header = lines[start]
    name = _field(header, 1)
    export_format = _field(header, 3)
    read_type = _field(header, 4)
    if export_format != "PlateFormat":
        msg = (
            f"plate {name!r} is exported as {export_format!r}; only 'PlateFormat' exports are "
            "supported (SoftMax Pro: File > Export, Output format 'Plate')"
        )
        raise InputFormatError(msg, path=path, where=f"line {start + 1}")
    n_wl = _int_field(header, 14, "number of wavelengths", path, start + 1)
    wavelengths = _field(header, 15).split()
    if len(wavelengths) != n_wl:
        msg = f"header states {n_wl} wavelength(s) but lists {wavelengths}"
        raise InputFormatError(msg, path=path, where=f"line {start + 1}")
    n_cols = _int_field(header, 17, "number of columns", path, start + 1)
    n_rows = _int_field(header, 20, "number of rows", path, start + 1)
    meta = {"read type": read_type, "read mode": _field(header, 5), "data mode": _field(header, 6)}
    records: list[Record] = []
    i = start + 2  # skip the column-number header line
    t = math.nan
    row = 0
    while i < len(lines):
        cells = lines[i]
        first = cells[0].strip() if cells else ""
        if first == "~End" or not any(c.strip() for c in cells):
            break
        if first:
            secs = time_to_seconds(first)
            if secs is None:
                msg = f"expected a time (HH:MM:SS) or an empty first cell, found {first!r}"
                raise InputFormatError(msg, path=path, where=f"line {i + 1}")
            if row not in (0, n_rows):
                msg = f"plate {name!r}: time {first} starts after {row} of {n_rows} rows"
                raise InputFormatError(msg, path=path, where=f"line {i + 1}")
            t, row = secs, 0
        if row >= n_rows:
            msg = f"plate {name!r} has more than {n_rows} rows"
            raise InputFormatError(msg, path=path, where=f"line {i + 1}")
        for k, wl in enumerate(wavelengths):
            offset = 2 + k * (n_cols + 1)
            values = cells[offset : offset + n_cols]
            if len(values) < n_cols:
                msg = (
                    f"plate {name!r}, row {chr(65 + row)}, {wl} nm: {len(values)} values, "
                    f"expected {n_cols}"
                )
                raise InputFormatError(msg, path=path, where=f"line {i + 1}")
            for c, v in enumerate(values, start=1):
                where = f"line {i + 1}, plate {name!r}, well {chr(65 + row)}{c}, read {wl!r}"
                records.append((name, wl, row, c, parse_number(v, path=path, where=where), t))
        row += 1
        i += 1
    if row != n_rows:
        msg = f"truncated plate: {row} of {n_rows} rows found"
        raise InputFormatError(msg, path=path, where=f"plate {name!r}")
    if read_type != "Kinetic":
        records = [(p, r, ro, c, v, math.nan) for p, r, ro, c, v, _ in records]
    while i < len(lines) and not (lines[i] and lines[i][0].strip() == "~End"):
        i += 1
    return records, i + 1, meta


def read_softmax(path: Path) -> PlateRead:
    """Read a SoftMax Pro text export (plate format, endpoint or kinetic).

    Parameters
    ----------
    path
        The ``.txt`` export (UTF-16 or UTF-8).

    Returns
    -------
    PlateRead
        ``plate`` is SoftMax's plate name, ``read`` the wavelength in nm (``450``).

    Notes
    -----
    Reads the first (raw) grid of each plate block; ``Group:`` summary blocks (standards,
    averages, CV) are SoftMax's own reductions and are not read. allotropy's
    ``moldev_softmax_pro`` parser (Benchling, MIT) documents the same block layout.
    """
    lines = read_lines(path)
    records: list[Record] = []
    meta: dict[str, str] = {}
    i = 0
    n_plates = 0
    while i < len(lines):
        cells = lines[i]
        if cells and cells[0].strip() == "Plate:":
            recs, i, m = _plate_block(lines, i, path)
            records += recs
            n_plates += 1
            meta.update(m)
            continue
        i += 1
    if n_plates == 0:
        msg = "no 'Plate:' block found (is this a plate-format SoftMax Pro export?)"
        raise InputFormatError(msg, path=path)
    return PlateRead(build_table(records, path=path), SourceInfo.of(path, "softmax"), meta)


register_format(
    PlateFormat("softmax", "Molecular Devices SoftMax Pro text export", sniff_softmax, read_softmax)
)
