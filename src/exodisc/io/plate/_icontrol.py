"""Tecan i-control Excel export (``Application: Tecan i-control``; grids with a ``<>`` corner).

Each measurement label (``Label: Label1``) states its wavelength (``Measurement Wavelength``)
and is followed by an 8 x 12 grid whose corner cell is ``<>``. Written from Tecan's i-control
manual layout; no real export was available to test against (the tests use a generated file).
"""

from __future__ import annotations

import re
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io.plate._cells import find_grids, grid_records, is_xlsx, read_xlsx_cells
from exodisc.io.plate._common import PlateRead, Record, SourceInfo, build_table
from exodisc.io.plate._registry import PlateFormat, register_format

__all__ = ["read_icontrol", "sniff_icontrol"]

_WAVELENGTH = re.compile(r"^Measurement [Ww]avelength$")


def sniff_icontrol(path: Path) -> bool:
    """True for a workbook whose first rows mention ``Tecan i-control``."""
    if not is_xlsx(path):
        return False
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not readable: another format may claim it
        return False
    try:
        ws = wb.worksheets[0]
        for row in ws.iter_rows(max_row=30, values_only=True):
            if any(isinstance(v, str) and "i-control" in v for v in row):
                return True
        return False
    finally:
        wb.close()


def read_icontrol(path: Path) -> PlateRead:
    """Read a Tecan i-control export (every sheet; one read per label).

    Returns
    -------
    PlateRead
        ``plate`` is the sheet name, ``read`` the label's wavelength (``450``), else its name.

    Notes
    -----
    allotropy's ``tecan_magellan`` / i-control parsers read the same grids (Benchling, MIT).
    """
    records: list[Record] = []
    meta: dict[str, str] = {}
    for sheet, cells in read_xlsx_cells(path).items():
        grids = {g.row: g for g in find_grids(cells) if g.corner == "<>"}
        label, wavelength = "", ""
        for i, row in enumerate(cells):
            texts = [str(v).strip() if v is not None else "" for v in row]
            first = texts[0] if texts else ""
            rest = [t for t in texts[1:] if t]
            if first.startswith("Label:"):
                label = first.removeprefix("Label:").strip() or (rest[0] if rest else "")
                wavelength = ""
            elif _WAVELENGTH.match(first) and rest:
                wavelength = rest[0].removesuffix("nm").strip().removesuffix(".0")
            elif first.startswith("Device:"):
                meta.setdefault("Device", first.removeprefix("Device:").strip() or " ".join(rest))
            elif first.startswith("Tecan i-control"):
                meta.setdefault("Software Version", first)
            if i in grids:
                read = wavelength or label or "value"
                records += grid_records(
                    cells, grids[i], plate=sheet, read=read, path=path, where=f"sheet {sheet!r}, "
                )
    if not records:
        msg = "no '<>' plate grid found in the i-control export"
        raise InputFormatError(msg, path=path)
    source = SourceInfo.of(
        path,
        "icontrol",
        instrument=f"Tecan {meta.get('Device', '')}".strip(),
        version=meta.get("Software Version", ""),
    )
    return PlateRead(build_table(records, path=path), source, meta)


register_format(
    PlateFormat("icontrol", "Tecan i-control xlsx", sniff_icontrol, read_icontrol, priority=20)
)
