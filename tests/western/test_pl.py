"""The per-blot QC figure shows exactly what was measured."""

from __future__ import annotations

import numpy as np
import tifffile
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from exodisc.assays.western import quantify_blot
from exodisc.assays.western._simulate import simulate_blot
from exodisc.io.western import read_blot_image
from exodisc.pl._western import qc_data, western_qc


def _result(tmp_path, background):
    rng = np.random.default_rng(21)
    sim = simulate_blot(rng.uniform(3e5, 8e5, size=(4, 2)), rng=rng)
    path = tmp_path / "b.tif"
    tifffile.imwrite(path, sim.pixels)
    img = read_blot_image(path)
    return img, quantify_blot(img, 4, bands=["SOX-9", "GAPDH"], background=background)


def test_qc_figure_draws_every_lane_and_band(tmp_path):
    for background in ("rolling-ball:20", "lane-min"):
        img, res = _result(tmp_path, background)
        fig = western_qc(res, title="b.tif", saturated=img.pixels >= img.saturation)
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        rects = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(rects) == 4 + 4 * 2  # lane boxes + band boxes
        band = res.table.iloc[0]
        assert any(
            r.get_xy() == (band["x_left"] - 0.5, band["y_top"] - 0.5)
            and r.get_height() == band["y_bottom"] - band["y_top"] + 1
            for r in rects
        )
        data = qc_data(res)
        assert list(data.columns) == ["y", "signal", "background", "band"]
        assert len(data) == res.signal.shape[0]
        assert set(data["band"]) == {"", "SOX-9", "GAPDH"}
        # the plotted background is finite under every band for both methods
        assert data.loc[data["band"] != "", "background"].notna().all()
