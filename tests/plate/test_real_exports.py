"""Real instrument exports parse to the values printed in the files (spot-checked wells).

Files: ../shared/data/plate_reader (allotropy test data, MIT; see its PROVENANCE.md).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.io.plate import COLUMNS, read_plate, sniff_format


def _value(table: pd.DataFrame, *, plate: str, read: str, well: str, time_s: float | None = None):
    sel = (table["plate"] == plate) & (table["read"] == read) & (table["well"] == well)
    if time_s is not None:
        sel &= table["time_s"] == time_s
    vals = table.loc[sel, "value"].to_numpy()
    assert vals.size == 1, f"{plate} {read} {well}: {vals.size} rows"
    return float(vals[0])


@pytest.fixture(scope="module")
def plate_dir(shared_data: Path) -> Path:
    d = shared_data / "plate_reader"
    if not d.is_dir():
        pytest.skip(f"{d} is absent")
    return d


@pytest.mark.parametrize(
    ("rel", "fmt"),
    [
        ("gen5/endpoint_wavelength_measurement_labels.txt", "gen5"),
        ("gen5/endpoint_pathlength_correct_singleplate.txt", "gen5"),
        ("gen5/kinetic_helper_gene_growth_curve.txt", "gen5"),
        ("softmax_pro/MD_SMP_absorbance_endpoint_example01.txt", "softmax"),
        ("skanit/skanit_data.xlsx", "skanit"),
        ("tecan_magellan/SLA01P01_OD.xlsx", "magellan"),
    ],
)
def test_sniff_and_columns(plate_dir: Path, rel: str, fmt: str) -> None:
    assert sniff_format(plate_dir / rel) == fmt
    table = read_plate(plate_dir / rel).table
    assert list(table.columns) == COLUMNS
    assert table["value"].notna().all()


def test_gen5_row_labels_decide_the_read(plate_dir: Path) -> None:
    # row B lists 325 nm before 280 nm: the label at the end of each line decides
    t = read_plate(plate_dir / "gen5/endpoint_wavelength_measurement_labels.txt").table
    assert sorted(t["read"].unique()) == ["280", "325"]
    assert len(t) == 2 * 96
    assert _value(t, plate="Plate 1", read="280", well="A1") == 1.8012
    assert _value(t, plate="Plate 1", read="325", well="A1") == 0.9066
    assert _value(t, plate="Plate 1", read="325", well="B1") == 1.6629
    assert _value(t, plate="Plate 1", read="280", well="B1") == 1.0033
    assert _value(t, plate="Plate 1", read="325", well="H12") == 0.0407
    assert t["time_s"].isna().all()


def test_gen5_pathlength_every_label_is_a_read(plate_dir: Path) -> None:
    pr = read_plate(plate_dir / "gen5/endpoint_pathlength_correct_singleplate.txt")
    t = pr.table
    assert t["read"].nunique() == 15
    assert _value(t, plate="Plate 1", read="260:977 [Test]", well="A1") == 0.056
    assert _value(t, plate="Plate 1", read="DNA concentration ng/uL", well="C1") == 280.727
    assert _value(t, plate="Plate 1", read="Blank 260:280", well="G12") == 0.0
    assert pr.metadata["Reader Type"] == "Generic Reader"
    assert pr.source.software_version == "3.12.08"
    # Gen5's own blank subtraction: Blank 260:260 = 260:260 - mean(BLK wells G12, H12)
    raw = t[t["read"] == "260:260"].set_index("well")["value"]
    blank = t[t["read"] == "Blank 260:260"].set_index("well")["value"]
    ours = raw - raw[["G12", "H12"]].mean()
    np.testing.assert_allclose(ours[blank.index], blank, atol=0.0015)


def test_gen5_kinetic(plate_dir: Path) -> None:
    pr = read_plate(plate_dir / "gen5/kinetic_helper_gene_growth_curve.txt")
    t = pr.table
    assert pr.plates == ["Plate 2"]
    assert pr.reads == ["600"]
    assert t["well"].nunique() == 24  # A1–D6
    assert sorted(t["time_s"].unique())[:2] == [22.0, 262.0]
    assert t["time_s"].nunique() == 20  # planned but unread time points are skipped
    assert _value(t, plate="Plate 2", read="600", well="A1", time_s=22.0) == -0.066
    assert _value(t, plate="Plate 2", read="600", well="D6", time_s=4582.0) == -0.056
    assert "Results" in pr.metadata["skipped_sections"]


def test_softmax_two_plates_match_its_own_standards_table(plate_dir: Path) -> None:
    path = plate_dir / "softmax_pro/MD_SMP_absorbance_endpoint_example01.txt"
    t = read_plate(path).table
    assert read_plate(path).plates == ["Plate01", "Plate02"]
    assert len(t) == 192
    assert _value(t, plate="Plate01", read="450", well="A1") == 3.41797666666667
    assert _value(t, plate="Plate01", read="450", well="H12") == 2.68254658466667
    assert _value(t, plate="Plate02", read="450", well="A1") == 3.43082333333333
    assert math.isclose(_value(t, plate="Plate01", read="450", well="H2"), -0.000243333333333333)
    # SoftMax's "Group: Standards" table prints every standard well's OD to 3 decimals
    text = path.read_bytes().decode("utf-16").splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("Group: Standards"))
    checked = 0
    for line in text[start + 2 :]:
        cells = line.split("\t")
        if len(cells) < 9 or not cells[3].strip():
            break
        well, od, plate = cells[3].strip(), float(cells[4]), cells[8].strip()
        assert round(_value(t, plate=plate, read="450", well=well), 3) == pytest.approx(od)
        checked += 1
    assert checked == 42  # 7 standards x 3 wells x 2 plates


def test_skanit_raw_sheet_and_its_blank_subtraction(plate_dir: Path) -> None:
    path = plate_dir / "skanit/skanit_data.xlsx"
    pr = read_plate(path)
    t = pr.table
    assert pr.reads == ["450"]
    assert len(t) == 96
    assert _value(t, plate="Plate 1", read="450", well="A1") == 1.7455
    assert _value(t, plate="Plate 1", read="450", well="D3") == 0.9125
    assert _value(t, plate="Plate 1", read="450", well="H12") == 0.1032
    assert "Blank Subtraction 1_02" in pr.metadata["skipped_sheets"]
    assert pr.source.instrument == "Varioskan LUX"


def test_magellan(plate_dir: Path) -> None:
    pr = read_plate(plate_dir / "tecan_magellan/SLA01P01_OD.xlsx")
    t = pr.table
    assert pr.plates == ["96WEL008"]
    assert pr.reads == ["595"]
    assert len(t) == 96
    assert _value(t, plate="96WEL008", read="595", well="A1") == 0.1462
    assert _value(t, plate="96WEL008", read="595", well="B1") == 0.2118
    assert _value(t, plate="96WEL008", read="595", well="H12") == 0.0461
