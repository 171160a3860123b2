"""Box/violin and time-course figures: what they draw matches the data and the marks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from exodisc.pl import group_box, timecourse
from exodisc.stats import compare_by, compare_groups

REF = Path(__file__).resolve().parents[1] / "reference" / "stats"
ORDER = ["ctrl", "il1b", "usc", "usc_gw", "exo"]


@pytest.fixture
def tc() -> pd.DataFrame:
    df = pd.read_csv(REF / "inputs" / "timecourse_within.tsv", sep="\t")
    return df.assign(hours=df["time"].str[1:].astype(int))


@pytest.mark.parametrize("kind", ["box", "violin"])
def test_group_box_draws_points_and_marks(kind):
    df = pd.read_csv(REF / "inputs" / "paper.tsv", sep="\t")
    res = compare_groups(df, value="value", group="group", order=ORDER,
                         comparisons=[("il1b", "ctrl", "*"), ("exo", "il1b", "#")])  # fmt: skip
    fig = group_box(df, value="value", group="group", pairs=res.pairs, kind=kind, order=ORDER)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [m for m in res.pairs["mark"] if m != "ns"]
    points = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections if len(c.get_offsets())
                             and c.get_offsets().shape[0] == 3])  # fmt: skip
    np.testing.assert_allclose(np.sort(points), np.sort(df["value"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == ORDER


def test_timecourse_error_bars_are_sd(tc):
    out = compare_by(tc, by="hours", value="od", group="group", order=ORDER,
                     comparisons=[("il1b", "ctrl", "*"), ("exo", "il1b", "#")])  # fmt: skip
    fig = timecourse(tc, value="od", group="group", time="hours", pairs=out, order=ORDER,
                     xlabel="Time (h)")  # fmt: skip
    ax = fig.axes[0]
    assert [c.get_label() for c in ax.containers] == ORDER
    il1b = tc[tc.group == "il1b"].groupby("hours")["od"]
    bars = ax.containers[1]
    ys = np.asarray(bars.lines[0].get_ydata(), dtype=float)
    np.testing.assert_allclose(ys, il1b.mean().to_numpy())
    half = [(seg[1][1] - seg[0][1]) / 2 for seg in bars.lines[2][0].get_segments()]
    np.testing.assert_allclose(half, il1b.std(ddof=1).to_numpy())
    n_sig = int((out["mark"] != "ns").sum())
    assert 0 < len(ax.texts) <= n_sig
    assert ax.get_xlabel() == "Time (h)"
    with pytest.raises(ValueError, match="column 'time' must be numeric"):
        timecourse(tc, value="od", group="group", time="time")
