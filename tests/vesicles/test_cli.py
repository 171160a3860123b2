"""``exodisc nta FILE... [--dilution D] -o OUT.tsv`` on exports written from known particles.

The same command on the real NanoSight and ZetaView exports: tests/vesicles/test_nta_real.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app

from .test_nta import CONC, _export, _particles

COLUMNS = [
    "sample", "concentration_per_ml", "mean_nm", "mode_nm", "sd_nm", "d10_nm", "d50_nm",
    "d90_nm", "warnings",
]  # fmt: skip


def test_nta_command_one_row_per_file(tmp_path: Path):
    sizes = {"prep1": _particles(1, 90.0), "prep2": _particles(2, 120.0)}
    files = [_export(tmp_path, name, s) for name, s in sizes.items()]
    out = tmp_path / "nta.tsv"
    res = CliRunner().invoke(app, ["nta", *map(str, files), "--dilution", "200", "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns) == COLUMNS
    assert len(t) == 2
    for row, s in zip(t.itertuples(), sizes.values(), strict=True):
        assert row.concentration_per_ml == pytest.approx(CONC.mean() * 200, rel=5e-3)
        assert row.d50_nm == pytest.approx(np.mean([np.percentile(x, 50) for x in s]), abs=0.5)
    assert t.loc[1, "d50_nm"] > t.loc[0, "d50_nm"] + 20


def test_nta_command_refuses_a_bad_file_and_writes_nothing(tmp_path: Path):
    good = _export(tmp_path, "prep1", _particles(3, n=2000))
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\n")
    out = tmp_path / "o.tsv"
    res = CliRunner().invoke(app, ["nta", str(good), str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert "not a recognised NTA export" in res.output
    assert f"{out} was not written" in res.output
    assert not out.exists()  # a failed command writes nothing (issue 17)
