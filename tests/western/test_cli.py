"""``exodisc western IMAGE --lanes N [--background ...] [--invert ...] -o OUT.tsv``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import tifffile
from typer.testing import CliRunner

from exodisc.assays.western._simulate import simulate_blot
from exodisc.cli import app

runner = CliRunner()
CONTRACT = ["lane", "band", "volume", "background", "saturated_px", "y_top", "y_bottom"]


def _image(tmp_path):
    rng = np.random.default_rng(3)
    vol = rng.uniform(3e5, 9e5, size=(5, 2))
    sim = simulate_blot(vol, rng=rng, slope=(0.5, 0.3))
    path = tmp_path / "blot.tif"
    tifffile.imwrite(path, sim.pixels)
    return path, sim


def test_cli_writes_one_row_per_lane_and_band(tmp_path):
    path, sim = _image(tmp_path)
    out = tmp_path / "out" / "bands.tsv"
    res = runner.invoke(
        app,
        ["western", str(path), "--lanes", "5", "--background", "lane-min", "--invert", "auto",
         "-o", str(out), "--bands", "SOX-9,GAPDH"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "10 band(s) in 5 lane(s)" in res.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns[:7]) == CONTRACT
    assert len(t) == 10 and t["band"].tolist()[:2] == ["SOX-9", "GAPDH"]
    vol = t.pivot(index="lane", columns="band", values="volume")[["SOX-9", "GAPDH"]].to_numpy()
    assert np.abs(vol / sim.volumes - 1).max() < 0.02


def test_cli_rolling_ball_default_and_errors(tmp_path):
    path, _ = _image(tmp_path)
    out = tmp_path / "rb.tsv"
    res = runner.invoke(
        app,
        ["western", str(path), "--lanes", "5", "--background", "rolling-ball:30", "-o", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "background rolling-ball:30" in res.output
    t = pd.read_csv(out, sep="\t")
    assert set(t["band"]) == {"band_1", "band_2"}
    bad = runner.invoke(
        app, ["western", str(path), "--lanes", "5", "--background", "disk:3", "-o", str(out)]
    )
    assert bad.exit_code == 2 and "not understood" in bad.output
    missing = runner.invoke(
        app, ["western", str(tmp_path / "x.tif"), "--lanes", "5", "-o", str(out)]
    )
    assert missing.exit_code == 1 and "x.tif: blot image not found" in missing.output
    inv = runner.invoke(
        app, ["western", str(path), "--lanes", "5", "--invert", "maybe", "-o", str(out)]
    )
    assert inv.exit_code == 2
