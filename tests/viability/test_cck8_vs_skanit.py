"""Blank subtraction against the instrument software's own: SkanIt's "Blank Subtraction" sheet.

The real SkanIt export (../shared/data/plate_reader/skanit) holds the raw 450 nm plate, the
layout (``Sample`` grid, blank wells ``Blank1``) and SkanIt's blank-subtracted values printed
to 4 significant digits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.viability import analyse_cck8
from exodisc.config import parse_study
from exodisc.io.plate import read_plate


def _sheet_grid(path: Path, sheet: str, corner: str) -> pd.DataFrame:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    start = next(i for i, r in enumerate(rows) if r and r[0] == corner)
    out = []
    for r in range(8):
        line = rows[start + 1 + r]
        for c in range(1, 13):
            out.append({"well": f"{'ABCDEFGH'[r]}{c}", "value": line[c]})
    return pd.DataFrame(out)


def test_blank_subtraction_equals_skanit(shared_data: Path) -> None:
    path = shared_data / "plate_reader" / "skanit" / "skanit_data.xlsx"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    layout = _sheet_grid(path, "Absorbance 1_01", "Sample").rename(columns={"value": "label"})
    names = sorted(set(layout["label"]) - {"Blank1"})
    study = parse_study(
        {
            "title": "SkanIt ELISA plate",
            "groups": [{"id": "all", "label": "All", "role": "control"}],
            "samples": [
                {"id": n, "group": "all", "replicate": i} for i, n in enumerate(names, start=1)
            ],
        },
        path=path.parent / "study.yaml",
    )
    reads = read_plate(path).table
    res = analyse_cck8(reads, layout, study, times_h={"Plate 1": 0}, blank_labels=["Blank1"])
    ours = res.wells.set_index("well")["od_corrected"]
    skanit = _sheet_grid(path, "Blank Subtraction 1_02", "Blank subtracted").set_index("well")
    skanit = skanit["value"].astype(float)
    assert len(ours) == 96
    # SkanIt subtracts from its unrounded raw values (the export shows them to 4 decimals, so
    # each side of the difference is off by up to 5e-5) and prints 4 significant digits
    diff = np.abs(ours[skanit.index] - skanit)
    digit = 10.0 ** (np.floor(np.log10(np.abs(skanit).clip(lower=1e-6))) - 3)
    assert (diff <= 1e-4 + digit / 2).all(), diff[diff > 1e-4 + digit / 2]
