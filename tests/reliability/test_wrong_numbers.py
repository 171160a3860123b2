"""Broken files that used to give plausible but wrong numbers with exit 0 are now errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from exodisc.assays.viability._export import write_gen5
from exodisc.cli import app
from exodisc.errors import InputFormatError
from exodisc.io.plate import read_plate
from exodisc.io.qpcr import read_qpcr

runner = CliRunner()


def _gen5(tmp_path: Path) -> Path:
    g = np.round(np.random.default_rng(1).uniform(0.1, 2.0, (8, 12)), 4)
    return write_gen5(tmp_path / "p.txt", {"450": g, "650": g + 1})


def _edit(path: Path, prefix: str, edit) -> None:
    lines = path.read_text(encoding="cp1252").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(prefix))
    lines[i] = edit(lines[i])
    path.write_text("\r\n".join(lines), encoding="cp1252")


def test_gen5_row_with_a_missing_value_is_refused_naming_the_row(tmp_path: Path):
    path = _gen5(tmp_path)
    _edit(path, "B\t", lambda line: "\t".join(c for k, c in enumerate(line.split("\t")) if k != 5))
    with pytest.raises(
        InputFormatError, match=r"p\.txt: line \d+: row B has 12 cells after .* expected 12 values"
    ):
        read_plate(path)


def test_gen5_grid_wider_than_the_declared_plate_type(tmp_path: Path):
    path = _gen5(tmp_path)
    _edit(path, "Plate Type", lambda line: "Plate Type\t48 WELL PLATE")
    with pytest.raises(InputFormatError, match=r"p\.txt: .*well A9 lies outside the declared"):
        read_plate(path)


_GRID = "," + ",".join(str(c) for c in range(1, 13)) + "\n"


def _grid_rows(n: int = 8) -> list[str]:
    return [
        chr(65 + r) + "," + ",".join(f"{r + c / 100:.2f}" for c in range(1, 13)) for r in range(n)
    ]


def test_grid_row_given_twice_names_both_rows(tmp_path: Path):
    rows = _grid_rows()
    dup = "B," + ",".join("9.9" for _ in range(12))
    path = tmp_path / "plate.csv"
    path.write_text(_GRID + "\n".join([*rows, dup]) + "\n")
    with pytest.raises(
        InputFormatError, match=r"plate\.csv: row 10: row B is given twice \(rows 3 and 10\)"
    ):
        read_plate(path)


def test_grid_row_with_an_extra_value_is_refused(tmp_path: Path):
    rows = _grid_rows()
    rows[2] += ",0.77"
    path = tmp_path / "plate.csv"
    path.write_text(_GRID + "\n".join(rows) + "\n")
    with pytest.raises(InputFormatError, match=r"plate\.csv: row 4: row C has 13 values, expected"):
        read_plate(path)


def _qpcr(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = tmp_path / "qpcr.csv"
    body = "\n".join(",".join(r) for r in rows)
    path.write_text("well,sample,target,ct\n" + body + "\n")
    return path


def _plate(ref_ct: str = "18.0") -> list[tuple[str, str, str, str]]:
    rows = []
    k = 1
    for sample, shift in (("ctrl_1", 0.0), ("il1b_1", 2.0)):
        for target, base in (("GAPDH", None), ("SOX9", 25.0)):
            for rep in range(3):
                ct = ref_ct if base is None else f"{base + shift + rep * 0.05:.2f}"
                rows.append((f"A{k}", sample, target, ct))
                k += 1
    return rows


def test_qpcr_duplicate_well_is_an_error_naming_both_lines(tmp_path: Path):
    rows = _plate()
    path = _qpcr(tmp_path, [*rows, rows[4]])
    with pytest.raises(
        InputFormatError,
        match=r"qpcr\.csv: line 14: well A5 with target 'SOX9' is given twice "
        r"\(line 6 and line 14\)",
    ):
        read_qpcr(path)


@pytest.mark.parametrize("bad", ["1e308", "inf", "-5", "nan(1)", "250"])
def test_qpcr_impossible_ct_is_an_error(tmp_path: Path, bad: str):
    rows = _plate()
    rows[5] = (*rows[5][:3], bad)
    path = _qpcr(tmp_path, rows)
    with pytest.raises(InputFormatError, match=r"qpcr\.csv: line 7, column 'ct': Ct value"):
        read_qpcr(path)


def test_reference_gene_undetermined_everywhere_is_an_error(tmp_path: Path):
    path = _qpcr(tmp_path, _plate(ref_ct="Undetermined"))
    out = tmp_path / "rq.tsv"
    r = runner.invoke(
        app, ["qpcr", str(path), "--reference", "GAPDH", "--calibrator", "ctrl_1", "-o", str(out)]
    )
    assert r.exit_code == 1, r.output
    assert str(path) in r.output
    assert "['GAPDH'] are Undetermined in every well" in r.output
    assert not out.exists()
