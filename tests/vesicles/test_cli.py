"""``exodisc nta FILE... [--dilution D] -o OUT.tsv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app

COLUMNS = [
    "sample", "concentration_per_ml", "mean_nm", "mode_nm", "sd_nm", "d10_nm", "d50_nm",
    "d90_nm", "warnings",
]  # fmt: skip


def test_nta_command_one_row_per_file(shared_data: Path, tmp_path: Path):
    ns = sorted((shared_data / "nta" / "nanosight_HugoSalmon").glob("*.csv.gz"))[:2]
    zv = sorted((shared_data / "nta" / "zetaview_biovaram").glob("*.txt"))[:4]  # 2 runs + _11pos
    out = tmp_path / "nta.tsv"
    res = CliRunner().invoke(app, ["nta", *map(str, ns + zv), "--dilution", "200", "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns) == COLUMNS
    assert len(t) == 4
    assert t.loc[0, "concentration_per_ml"] == pytest.approx(9.138e8 * 200)
    assert t.loc[0, "d50_nm"] == pytest.approx(75.24)
    failed = t[t["sample"] == "EV_ip_p1_F8-1000"].iloc[0]
    assert pd.isna(failed["concentration_per_ml"])
    assert "failed acquisition" in failed["warnings"]


def test_nta_command_refuses_a_bad_file_and_writes_nothing(shared_data: Path, tmp_path: Path):
    good = sorted((shared_data / "nta" / "nanosight_HugoSalmon").glob("*.csv.gz"))[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\n")
    out = tmp_path / "o.tsv"
    res = CliRunner().invoke(app, ["nta", str(good), str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert "not a recognised NTA export" in res.output
    assert f"{out} was not written" in res.output
    assert not out.exists()  # a failed command writes nothing (issue 17)
