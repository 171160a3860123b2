"""Workbook formats without a real file in ../shared: i-control and plain grids (generated).

The i-control layout follows Tecan's manual (``Label:``, ``Measurement Wavelength``, ``<>``
grids); no real i-control export was available, which the closing note says.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exodisc.errors import InputFormatError
from exodisc.io.plate import read_plate, sniff_format


def _grid_rows(corner: str, grid: np.ndarray) -> list[list[object]]:
    rows: list[list[object]] = [[corner, *range(1, 13)]]
    for r, letter in enumerate("ABCDEFGH"):
        rows.append([letter, *grid[r].tolist()])
    return rows


def _icontrol(path: Path, grids: dict[str, np.ndarray], *, bad: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet2"
    ws.append(["Application: Tecan i-control"])
    ws.append(["Tecan i-control , 2.0.10.0"])
    ws.append(["Device: infinite 200Pro", None, None, None, "Serial number: 1"])
    ws.append([])
    for k, (wl, g) in enumerate(grids.items(), start=1):
        ws.append([f"Label: Label{k}"])
        ws.append(["Mode", None, None, None, "Absorbance"])
        ws.append(["Measurement Wavelength", None, None, None, float(wl)])
        ws.append(["Start Time:", None, None, None, "06/07/2024 10:00:00"])
        ws.append([])
        for row in _grid_rows("<>", g):
            ws.append(row)
        ws.append([])
    if bad is not None:
        ws[bad] = "OVER"
    wb.save(path)
    return path


def test_icontrol_two_labels(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    g450, g650 = (
        np.round(rng.uniform(0.1, 2, (8, 12)), 4),
        np.round(rng.uniform(0, 0.1, (8, 12)), 4),
    )
    p = _icontrol(tmp_path / "ic.xlsx", {"450": g450, "650": g650})
    assert sniff_format(p) == "icontrol"
    pr = read_plate(p)
    assert pr.reads == ["450", "650"]
    t = pr.table
    np.testing.assert_array_equal(t[t["read"] == "650"]["value"], g650.ravel())
    assert pr.source.instrument == "Tecan infinite 200Pro"


def test_icontrol_text_in_well(tmp_path: Path) -> None:
    g = np.full((8, 12), 0.5)
    # first grid header at row 10, so row A is 11 and column 4 (D) holds well A3
    p = _icontrol(tmp_path / "ic.xlsx", {"450": g}, bad="D11")
    with pytest.raises(InputFormatError, match=r"ic\.xlsx: sheet 'Sheet2', row 11, well A3"):
        read_plate(p)


def test_grid_xlsx_one_plate_per_sheet(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    a = np.arange(96, dtype=float).reshape(8, 12) / 100
    ws = wb.active
    ws.title = "24h"
    ws.append(["OD450"])
    for row in _grid_rows("", a):
        ws.append(row)
    ws2 = wb.create_sheet("48h")
    for row in _grid_rows("", a * 2):
        ws2.append(row)
    wb.save(tmp_path / "g.xlsx")
    pr = read_plate(tmp_path / "g.xlsx")
    assert pr.source.format == "grid"
    assert pr.plates == ["24h", "48h"]
    assert pr.reads == ["OD450", "value"]
    t = pr.table
    assert t.loc[(t["plate"] == "48h") & (t["well"] == "H12"), "value"].item() == 1.9
