"""Writers of simulated plate exports in real instrument text formats (demo and tests only).

They write what the instruments write (Gen5 3.x text export, SoftMax Pro 7 plate-format text
export in UTF-16), so that simulated data go through the same readers as real files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

__all__ = ["write_gen5", "write_grid_csv", "write_softmax"]

_ROWS = "ABCDEFGH"


def write_gen5(
    path: Path, reads: Mapping[str, np.ndarray], *, plate: str = "Plate 1", date: str = ""
) -> Path:
    """A Gen5 endpoint text export with one 8 x 12 grid per read, labelled per row."""
    wl = ", ".join(reads)
    lines = [
        "",
        "",
        "Software Version\t3.12.08",
        "",
        "",
        "",
        "Experiment File Path:\tC:\\exodisc\\demo.xpt",
        "Protocol File Path:\tC:\\exodisc\\cck8.prt",
        "",
        "",
        "",
        f"Plate Number\t{plate}",
        f"Date\t{date or '06/07/2024'}",
        "Time\t10:00:00",
        "Reader Type:\tSynergy H1",
        "Reader Serial Number:\t00000000",
        "Reading Type\tReader",
        "",
        "Procedure Details",
        "",
        "Plate Type\t96 WELL PLATE (Use plate lid)",
        "Eject plate on completion\t",
        "Read\tAbsorbance Endpoint",
        "\tFull Plate",
        f"\tWavelengths:  {wl}",
        "\tRead Speed: Normal,  Delay: 100 msec,  Measurements/Data Point: 8",
        "",
        "",
        "",
        "Actual Temperature:\t37.0",
        "",
        "Results",
        "\t" + "\t".join(str(c) for c in range(1, 13)),
    ]
    for r, letter in enumerate(_ROWS):
        for k, (label, grid) in enumerate(reads.items()):
            vals = "\t".join(f"{v:.4f}" for v in grid[r])
            lines.append(f"{letter if k == 0 else ''}\t{vals}\t{label}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def write_softmax(path: Path, plates: Mapping[str, Mapping[str, np.ndarray]]) -> Path:
    """A SoftMax Pro plate-format endpoint text export (UTF-16) with several plates."""
    out = [f"##BLOCKS= {len(plates)}"]
    for name, reads in plates.items():
        wls = list(reads)
        header = [
            "Plate:", name, "1.3", "PlateFormat", "Endpoint", "Absorbance", "Raw", "FALSE", "1",
            "", "", "", "", "", str(len(wls)), " ".join(wls) + " ", "1", "12", "96", "1", "8",
        ]  # fmt: skip
        out.append("\t".join(header) + "\t\t")
        cols = "\t".join(str(c) for c in range(1, 13))
        out.append("\tTemperature(¡C)\t" + "\t\t".join([cols] * len(wls)) + "\t\t")
        for r in range(8):
            temp = "37.0" if r == 0 else ""
            blocks = ["\t".join(f"{v:.4f}" for v in reads[wl][r]) for wl in wls]
            out.append(f"\t{temp}\t" + "\t\t".join(blocks) + "\t\t")
        out.append("")
        out.append("~End")
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("utf-16"))
    return path


def write_grid_csv(path: Path, cells: Mapping[str, str]) -> Path:
    """A plain 8 x 12 grid CSV (layouts): ``cells`` maps A1-style wells to labels."""
    lines = ["," + ",".join(str(c) for c in range(1, 13))]
    for letter in _ROWS:
        lines.append(letter + "," + ",".join(cells.get(f"{letter}{c}", "") for c in range(1, 13)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
