"""Thermo Scientific SkanIt Software Excel export (``Measurement results`` sheets)."""

from __future__ import annotations

import re
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._cells import find_grids, grid_records, is_xlsx, read_xlsx_cells
from exodisc.io.plate._common import PlateRead, Record, SourceInfo, build_table
from exodisc.io.plate._registry import PlateFormat, register_format

__all__ = ["read_skanit", "sniff_skanit"]

_MEASUREMENT = re.compile(r"^(Absorbance|Fluorometric|Fluorescence|Luminometric|Photometric)\b")
_WAVELENGTH = re.compile(r"Wavelength:\s*([0-9.]+)\s*nm")


def sniff_skanit(path: Path) -> bool:
    """True for a workbook with a ``General information`` sheet naming SkanIt Software."""
    if not is_xlsx(path):
        return False
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not readable: another format may claim it
        return False
    try:
        if "General information" not in wb.sheetnames:
            return False
        ws = wb["General information"]
        for row in ws.iter_rows(max_row=10, values_only=True):
            if any(isinstance(v, str) and "SkanIt" in v for v in row):
                return True
        return False
    finally:
        wb.close()


def read_skanit(path: Path) -> PlateRead:
    """Read the raw measurement sheets of a SkanIt export.

    Returns
    -------
    PlateRead
        ``plate`` from the sheet's ``Plate N`` line, ``read`` the wavelength (``450``), or
        ``<step>: <wavelength>`` when the session has several measurement steps.

    Notes
    -----
    Only raw measurement steps (``Absorbance 1`` …) are read; SkanIt's calculation sheets
    (blank subtraction, standard curve, dilution factor) are its own reductions and are named
    in ``metadata['skipped_sheets']``. The ``Sample`` grid under each result is the layout.
    """
    sheets = read_xlsx_cells(path)
    meta: dict[str, str] = {}
    for row in sheets.get("General information", []):
        texts = [str(v) for v in row if v is not None]
        if any("SW version" in t for t in texts):
            meta["Software Version"] = texts[-1]
    for row in sheets.get("Instrument information", []):
        texts = [str(v) for v in row if v is not None]
        if len(texts) >= 2 and texts[0] == "Name":
            meta["Instrument"] = texts[-1]
    steps = {}
    skipped = []
    for name, cells in sheets.items():
        first = str(cells[0][0]) if cells and cells[0] else ""
        if first != "Measurement results":
            continue
        step = str(cells[4][0]).strip() if len(cells) > 4 and cells[4] else name
        if _MEASUREMENT.match(step):
            steps[name] = (step, cells)
        else:
            skipped.append(name)
    if not steps:
        msg = "no raw measurement sheet ('Measurement results' of an Absorbance/... step) found"
        raise InputFormatError(msg, path=path)
    records: list[Record] = []
    for name, (step, cells) in steps.items():
        wavelength, plate = "", "Plate 1"
        grids = {g.row: g for g in find_grids(cells)}
        for i, row in enumerate(cells):
            text = str(row[0]).strip() if row and row[0] is not None else ""
            m = _WAVELENGTH.search(text)
            if m:
                wavelength = m.group(1).removesuffix(".0")
            elif re.match(r"^Plate \d+$", text):
                plate = text
            grid = grids.get(i)
            if grid is None or grid.corner == "Sample":
                continue
            read = wavelength or step
            if len(steps) > 1:
                read = f"{step}: {read}"
            records += grid_records(
                cells, grid, plate=plate, read=read, path=path, where=f"sheet {name!r}, "
            )
    if skipped:
        meta["skipped_sheets"] = ", ".join(skipped)
    source = SourceInfo.of(
        path,
        "skanit",
        instrument=meta.get("Instrument", "Thermo Scientific"),
        version=meta.get("Software Version", ""),
    )
    return PlateRead(build_table(records, path=path), source, meta)


register_format(PlateFormat("skanit", "Thermo SkanIt Software xlsx", sniff_skanit, read_skanit))
