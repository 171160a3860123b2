"""Malformed exports and layouts give errors naming the file and the well (or line)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from exodisc.assays.viability._export import write_gen5, write_grid_csv, write_softmax
from exodisc.errors import InputFormatError
from exodisc.io.plate import read_layout, read_plate, sniff_format


def _grid(seed: int = 0) -> np.ndarray:
    return np.round(np.random.default_rng(seed).uniform(0.1, 2.0, (8, 12)), 4)


def _gen5(tmp_path: Path) -> Path:
    return write_gen5(tmp_path / "p.txt", {"450": _grid(1), "650": _grid(2)})


def test_generated_exports_round_trip(tmp_path: Path) -> None:
    g450, g650 = _grid(1), _grid(2)
    t = read_plate(_gen5(tmp_path)).table
    np.testing.assert_array_equal(t[t["read"] == "450"]["value"].to_numpy(), g450.ravel())
    np.testing.assert_array_equal(t[t["read"] == "650"]["value"].to_numpy(), g650.ravel())
    sm = write_softmax(tmp_path / "s.txt", {"P1": {"450": g450, "650": g650}, "P2": {"450": g650}})
    assert sniff_format(sm) == "softmax"
    t2 = read_plate(sm).table
    assert t2.groupby(["plate", "read"]).size().to_dict() == {
        ("P1", "450"): 96,
        ("P1", "650"): 96,
        ("P2", "450"): 96,
    }
    np.testing.assert_array_equal(
        t2[(t2["plate"] == "P1") & (t2["read"] == "650")]["value"].to_numpy(), g650.ravel()
    )


def test_gen5_text_in_numeric_well(tmp_path: Path) -> None:
    path = _gen5(tmp_path)
    text = path.read_text(encoding="cp1252").splitlines()
    i = next(k for k, line in enumerate(text) if line.startswith("C\t"))
    cells = text[i].split("\t")
    cells[4] = "OVRFLW"
    text[i] = "\t".join(cells)
    path.write_text("\r\n".join(text), encoding="cp1252")
    with pytest.raises(
        InputFormatError, match=r"p\.txt: line \d+, well C4, read '450': .*'OVRFLW'"
    ):
        read_plate(path)


def test_gen5_truncated_plate(tmp_path: Path) -> None:
    path = _gen5(tmp_path)
    lines = path.read_text(encoding="cp1252").splitlines()
    keep = [ln for ln in lines if not ln.startswith(("G\t", "H\t"))]
    # drop the 650 nm continuation lines of rows G and H too
    cut = next(i for i, ln in enumerate(keep) if ln.startswith("F\t"))
    path.write_text("\r\n".join(keep[: cut + 2]), encoding="cp1252")
    with pytest.raises(InputFormatError, match=r"p\.txt: .*truncated plate: rows A–F found"):
        read_plate(path)


def test_softmax_truncated_plate(tmp_path: Path) -> None:
    path = write_softmax(tmp_path / "s.txt", {"P1": {"450": _grid(1)}})
    lines = path.read_bytes().decode("utf-16").splitlines()
    del lines[5:7]  # rows C and D
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    with pytest.raises(InputFormatError, match=r"s\.txt: plate 'P1': truncated plate: 6 of 8"):
        read_plate(path)


def test_grid_csv_text_in_well_and_truncation(tmp_path: Path) -> None:
    cells = {f"{r}{c}": "0.5" for r in "ABCDEFGH" for c in range(1, 13)}
    good = write_grid_csv(tmp_path / "plate.csv", cells)
    assert sniff_format(good) == "grid"
    assert read_plate(good).table["value"].eq(0.5).all()
    bad = write_grid_csv(tmp_path / "bad.csv", {**cells, "E7": "high"})
    with pytest.raises(InputFormatError, match=r"bad\.csv: row 6, well E7, read 'value'"):
        read_plate(bad)
    short = tmp_path / "short.csv"
    short.write_text("\n".join(good.read_text().splitlines()[:7]) + "\n")
    with pytest.raises(InputFormatError, match="truncated plate: rows A–F found, expected A–H"):
        read_plate(short)


def test_unknown_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("hello\n")
    with pytest.raises(InputFormatError, match=r"notes\.txt: not a plate-reader export"):
        read_plate(p)
    with pytest.raises(InputFormatError, match="file not found"):
        read_plate(tmp_path / "missing.txt")


def test_layout_grid_and_long(tmp_path: Path) -> None:
    grid = write_grid_csv(tmp_path / "layout.csv", {"A1": "ctrl_1", "H12": "blank"})
    lay = read_layout(grid)
    assert lay[["well", "label"]].values.tolist() == [["A1", "ctrl_1"], ["H12", "blank"]]
    long = tmp_path / "long.csv"
    long.write_text("well,label\nA01,ctrl_1\nB2,blank\n")
    assert read_layout(long)["well"].tolist() == ["A1", "B2"]
    assert read_layout({"C3": "il1b_2", "D4": ""})["well"].tolist() == ["C3"]


def test_layout_duplicated_well(tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("well,label\nA1,ctrl_1\nB2,blank\nA01,il1b_1\n")
    with pytest.raises(
        InputFormatError, match=re.escape("row 4: well A1 is given twice (first at row 2)")
    ):
        read_layout(long)


def test_layout_well_outside_plate(tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("well,label\nA1,ctrl_1\nI13,blank\n")
    with pytest.raises(
        InputFormatError, match=r"long\.csv: row 3: well I13 is outside the plate \(A1–H12\)"
    ):
        read_layout(long)
    with pytest.raises(InputFormatError, match="layout key 'K1': well K1 is outside the plate"):
        read_layout({"K1": "ctrl_1"})
    with pytest.raises(InputFormatError, match="'well7' is not a well name"):
        read_layout({"well7": "ctrl_1"})
