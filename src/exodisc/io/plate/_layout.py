"""Plate layouts: which well holds which sample, blank or nothing.

A layout is given in the study file (a mapping ``well -> label``) or as a file: a plate grid
(CSV/TSV/XLSX, header ``<corner>, 1 … 12`` and rows ``A … H``, labels in the cells) or a long
table with columns ``well`` and ``label`` (or ``sample``). Labels are not interpreted here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io._guard import missing_file
from exodisc.io.plate._cells import find_grids, is_xlsx, read_csv_cells, read_xlsx_cells
from exodisc.io.plate._common import split_well, well_name

__all__ = ["read_layout"]

_LAYOUT_COLUMNS = ["well", "row", "column", "label"]


def _check_well(name: str, n_rows: int, n_cols: int, *, path: Path | None, where: str) -> str:
    rc = split_well(str(name))
    if rc is None:
        msg = f"{name!r} is not a well name; expected A1-style names such as 'B3'"
        raise InputFormatError(msg, path=path, where=where)
    r, c = rc
    if r >= n_rows or c > n_cols:
        last = well_name(n_rows - 1, n_cols)
        msg = f"well {well_name(r, c)} is outside the plate (A1–{last})"
        raise InputFormatError(msg, path=path, where=where)
    return well_name(r, c)


def _frame(pairs: list[tuple[str, str, str]], path: Path | None) -> pd.DataFrame:
    seen: dict[str, str] = {}
    rows = []
    for well, label, where in pairs:
        if well in seen:
            msg = f"well {well} is given twice (first at {seen[well]})"
            raise InputFormatError(msg, path=path, where=where)
        seen[well] = where
        rc = split_well(well) or (0, 0)  # names were checked by _check_well
        rows.append((well, chr(ord("A") + rc[0]), rc[1], label))
    df = pd.DataFrame(rows, columns=_LAYOUT_COLUMNS)
    df["column"] = df["column"].astype("int64")
    return df


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_layout(
    source: str | Path | Mapping[str, Any], *, n_wells: int = 96, base_dir: Path | None = None
) -> pd.DataFrame:
    """Read a plate layout.

    Parameters
    ----------
    source
        A file (grid or long CSV/TSV/XLSX) or a mapping ``{well: label}`` from the study file.
    n_wells
        Plate size (96 or 384); wells outside it are errors.
    base_dir
        Folder relative file names resolve against.

    Returns
    -------
    pandas.DataFrame
        ``well, row, column, label``; one row per well with a non-empty label.

    Raises
    ------
    InputFormatError
        Naming the file and well: a well outside the plate, a well given twice, a bad name.

    Notes
    -----
    R equivalent of the grid form: ``plater::read_plate(file, well_ids_column = "well")``
    (Hughes 2016); well names ``A01`` and ``A1`` are the same well.

    Examples
    --------
    >>> read_layout({"B2": "ctrl_1", "G2": "blank"})["well"].tolist()
    ['B2', 'G2']
    """
    n_rows, n_cols = {96: (8, 12), 384: (16, 24)}.get(n_wells, (8, 12))
    if isinstance(source, Mapping):
        pairs = []
        for k, v in source.items():
            where = f"layout key {k!r}"
            pairs.append(
                (_check_well(str(k), n_rows, n_cols, path=None, where=where), _text(v), where)
            )
        return _frame([p for p in pairs if p[1]], None)
    path = Path(source)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if not path.is_file():
        raise missing_file(path, "layout file")
    if is_xlsx(path):
        sheets = read_xlsx_cells(path)
        cells = next(iter(sheets.values()))
        prefix = f"sheet {next(iter(sheets))!r}, "
    else:
        cells = read_csv_cells(path)
        prefix = ""
    header = [_text(v).lower() for v in cells[0]] if cells else []
    if "well" in header:
        wcol = header.index("well")
        lcol = next((header.index(k) for k in ("label", "sample", "content") if k in header), None)
        if lcol is None:
            msg = f"long layout needs a 'label' or 'sample' column beside 'well'; found {header}"
            raise InputFormatError(msg, path=path, where=f"{prefix}row 1")
        pairs = []
        for i, row in enumerate(cells[1:], start=2):
            if not any(_text(v) for v in row):
                continue
            where = f"{prefix}row {i}"
            well = _check_well(
                _text(row[wcol]) if wcol < len(row) else "", n_rows, n_cols, path=path, where=where
            )
            label = _text(row[lcol]) if lcol < len(row) else ""
            pairs.append((well, label, where))
        return _frame([p for p in pairs if p[1]], path)
    grids = find_grids(cells)
    if not grids:
        msg = (
            "no layout found: expected a plate grid (header '<corner>, 1 … 12', rows A–H) "
            "or columns 'well, label'"
        )
        raise InputFormatError(msg, path=path)
    g = grids[0]
    pairs = []
    if g.n_cols > n_cols:
        msg = f"layout grid has {g.n_cols} columns; the plate has {n_cols}"
        raise InputFormatError(msg, path=path, where=f"{prefix}row {g.row + 1}")
    for r in range(g.n_rows):
        line = cells[g.row + 1 + r]
        for c in range(1, g.n_cols + 1):
            label = _text(line[c]) if c < len(line) else ""
            where = f"{prefix}row {g.row + 2 + r}, well {well_name(r, c)}"
            if label:
                pairs.append(
                    (
                        _check_well(well_name(r, c), n_rows, n_cols, path=path, where=where),
                        label,
                        where,
                    )
                )
    return _frame(pairs, path)
