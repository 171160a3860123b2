"""``exodisc plate read`` and ``exodisc cck8`` keep their command-line contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from exodisc.assays.viability._export import write_gen5
from exodisc.cli import app

runner = CliRunner()


def test_plate_read_writes_one_row_per_well_and_read(tmp_path: Path) -> None:
    g450 = np.round(np.random.default_rng(3).uniform(0.1, 2, (8, 12)), 4)
    g650 = np.full((8, 12), 0.045)
    export = write_gen5(tmp_path / "plate.txt", {"450": g450, "650": g650})
    out = tmp_path / "out.tsv"
    res = runner.invoke(app, ["plate", "read", str(export), "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, sep="\t", dtype={"read": str})
    assert list(df.columns) == ["plate", "read", "well", "value", "time_s"]
    assert len(df) == 192
    np.testing.assert_array_equal(df.loc[df["read"] == "450", "value"], g450.ravel())
    assert df["time_s"].isna().all()
    assert df.loc[(df["read"] == "450") & (df["well"] == "C7"), "value"].item() == g450[2, 6]


def test_plate_read_kinetic_has_time(tmp_path: Path, shared_data: Path) -> None:
    src = shared_data / "plate_reader/gen5/kinetic_helper_gene_growth_curve.txt"
    out = tmp_path / "k.tsv"
    res = runner.invoke(app, ["plate", "read", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, sep="\t")
    assert df["time_s"].min() == 22.0
    assert len(df) == 24 * 20


def test_plate_read_bad_file_is_a_message(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("nothing here\n")
    res = runner.invoke(app, ["plate", "read", str(p), "-o", str(tmp_path / "o.tsv")])
    assert res.exit_code == 1
    assert "x.txt: not a plate-reader export" in res.output
    assert "Traceback" not in res.output


def test_cck8_command(tmp_path: Path, cck8_study: Path) -> None:
    out = tmp_path / "cck8.tsv"
    res = runner.invoke(app, ["cck8", str(cck8_study), "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, sep="\t")
    assert list(df.columns) == ["group", "replicate", "time_h", "od_corrected", "viability_pct"]
    assert len(df) == 5 * 3 * 4
    assert sorted(df["time_h"].unique()) == [0, 24, 48, 72]
    ctrl = df[df["group"] == "ctrl"].groupby("time_h")["viability_pct"].mean()
    np.testing.assert_allclose(ctrl, 100.0)
    at72 = df[df["time_h"] == 72].groupby("group")["viability_pct"].mean()
    # the paper's direction: IL-1β lowers, USC rescues partly, exosomes more, GW4869 undoes USC
    assert at72["il1b"] < 70
    assert at72["il1b"] < at72["usc"] < at72["exo"] < 100
    assert at72["usc_gw"] < at72["usc"]
