"""Box/violin figures: what they draw matches the data and the marks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from exodisc.pl import group_box
from exodisc.stats import compare_groups

REF = Path(__file__).resolve().parents[1] / "reference" / "stats"
ORDER = ["ctrl", "il1b", "usc", "usc_gw", "exo"]


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
