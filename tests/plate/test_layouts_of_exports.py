"""Less common shapes: several Gen5 plates per file, SoftMax kinetic blocks, 384-well grids."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from exodisc.assays.viability._export import write_gen5
from exodisc.io.plate import read_plate


def test_gen5_several_plates_in_one_file(tmp_path: Path) -> None:
    a, b = np.full((8, 12), 0.25), np.full((8, 12), 0.75)
    t1 = write_gen5(tmp_path / "a.txt", {"450": a}, plate="Plate 1").read_bytes()
    t2 = write_gen5(tmp_path / "b.txt", {"450": b}, plate="Plate 2").read_bytes()
    both = tmp_path / "both.txt"
    both.write_bytes(t1 + b"\r\n" + t2)
    pr = read_plate(both)
    assert pr.plates == ["Plate 1", "Plate 2"]
    t = pr.table
    assert t.groupby("plate")["value"].mean().to_dict() == {"Plate 1": 0.25, "Plate 2": 0.75}


def test_softmax_kinetic_block(tmp_path: Path) -> None:
    header = [
        "Plate:", "K1", "1.3", "PlateFormat", "Kinetic", "Absorbance", "Raw", "FALSE", "2",
        "", "", "", "", "", "1", "450 ", "1", "3", "96", "1", "8",
    ]  # fmt: skip
    lines = ["##BLOCKS= 1", "\t".join(header), "Time(hh:mm:ss)\tTemperature(¡C)\t1\t2\t3"]
    for k, t in enumerate(("00:00:00", "00:10:00")):
        for r in range(8):
            first = f"{t}\t37.0" if r == 0 else "\t"
            vals = "\t".join(f"{0.1 * (k + 1) + 0.01 * r + 0.001 * c:.4f}" for c in range(3))
            lines.append(f"{first}\t{vals}")
    lines += ["", "~End"]
    p = tmp_path / "kin.txt"
    p.write_bytes("\r\n".join(lines).encode("utf-16"))
    t = read_plate(p).table
    assert sorted(t["time_s"].unique()) == [0.0, 600.0]
    assert len(t) == 2 * 8 * 3
    sel = (t["well"] == "C2") & (t["time_s"] == 600.0)
    assert t.loc[sel, "value"].item() == 0.221


def test_grid_384(tmp_path: Path) -> None:
    rows = ["," + ",".join(str(c) for c in range(1, 25))]
    for r in range(16):
        rows.append(chr(65 + r) + "," + ",".join(f"{r * 24 + c}" for c in range(1, 25)))
    p = tmp_path / "p384.csv"
    p.write_text("\n".join(rows) + "\n")
    t = read_plate(p).table
    assert len(t) == 384
    assert t.loc[t["well"] == "P24", "value"].item() == 384
