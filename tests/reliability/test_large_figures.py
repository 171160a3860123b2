"""Large inputs: dense scatter layers are rasterized inside the SVG, byte-identical on re-runs."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd


def _svg(fig) -> str:
    from matplotlib import rc_context

    from exodisc.pl import STYLE

    buf = io.StringIO()
    with rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def test_ma_plot_points_are_rasterized_and_the_svg_stays_small():
    """Issue 17: the MA plot of 200,000 genes was an 18 MB SVG (one path per point)."""
    import matplotlib.pyplot as plt

    from exodisc.pl import ma_plot

    rng = np.random.default_rng(1)
    n = 20_000
    table = pd.DataFrame(
        {
            "base_mean": rng.lognormal(3, 2, n),
            "log2_fold_change": rng.normal(0, 1, n),
            "padj": rng.uniform(0, 1, n),
        }
    )
    svgs = []
    for _ in range(2):  # a re-run draws the figure again
        fig = ma_plot(table, fdr=0.05, title="il1b vs ctrl")
        svgs.append(_svg(fig))
        plt.close(fig)
    first, second = svgs
    assert first == second
    assert first.count("<image") == 1  # both point layers in one raster, axes stay vector
    assert len(first) < 1_000_000, len(first)
