"""Flow figures: return a Figure, never save, draw what the tables say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exodisc.assays.flow import analyse_apoptosis, analyse_markers, display_transform
from exodisc.io.fcs import read_fcs
from exodisc.pl import flow_histograms, flow_quadrants
from exodisc.pl._flow import density_table, histogram_table


def test_quadrant_grid(flow_ref: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = analyse_apoptosis(
        {
            "a": read_fcs(flow_ref / "apoptosis_sample.fcs"),
            "b": read_fcs(flow_ref / "apoptosis_control.fcs"),
        },
        annexin="FITC-A",
        pi="PE-A",
        control=read_fcs(flow_ref / "apoptosis_control.fcs"),
    )
    thr_a, thr_p = res.params["annexin_threshold"], res.params["pi_threshold"]
    fig = flow_quadrants(res.events, res.table, x_threshold=thr_a, y_threshold=thr_p, ncols=2)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    ax = axes[0]
    xline = next(ln for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1])
    assert xline.get_xdata()[0] == pytest.approx(display_transform(np.array([thr_a]))[0])
    texts = {t.get_text() for t in ax.texts}
    row = res.table.iloc[0]
    assert f"{row['viable_pct']:.1f}%" in texts
    assert f"{row['late_apoptotic_pct']:.1f}%" in texts
    assert list(tmp_path.iterdir()) == []  # nothing saved
    dens = density_table(res.events)
    assert dens.groupby("sample")["count"].sum()["a"] == 2000


def test_histogram_overlay(flow_ref: Path) -> None:
    res = analyse_markers(
        {"p": read_fcs(flow_ref / "panel_sample.fcs")},
        read_fcs(flow_ref / "panel_isotype.fcs"),
        channels=["FITC-A", "PE-A"],
    )
    values = {ch: res.events[("p", ch)] for ch in ("FITC-A", "PE-A")}
    controls = {ch: res.events[("control", ch)] for ch in ("FITC-A", "PE-A")}
    fig = flow_histograms(values, controls, titles={"FITC-A": "CD90", "PE-A": "CD44"})
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()][:2] == ["CD90", "CD44"]
    table = histogram_table(values, controls)
    per = table.groupby("channel")[["stained_count", "control_count"]].sum()
    assert (per["stained_count"] <= 2000).all() and (per["stained_count"] > 1990).all()
    assert table.groupby("channel")["stained_pct_of_max"].max().eq(100).all()
