"""Western blot QC figure: the analysed image with lane boxes, band limits and background."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["western_qc"]


def western_qc(result: Any, *, title: str = "", saturated: np.ndarray | None = None) -> Any:
    """Show what was measured on one blot.

    Parameters
    ----------
    result
        A :class:`exodisc.assays.western.BlotResult`.
    title
        Figure title (e.g. the file name).
    saturated
        Optional boolean mask (same shape as ``result.signal``) of saturated pixels, drawn red.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the image (bands bright, contrast stretched 0.5–99.8 %) with each lane's band
        rectangles; right: the mean lane profile with band limits and the mean background.

    Notes
    -----
    The equivalent of ImageJ's *Analyze > Gels > Plot Lanes* with the lane rectangles kept
    on the image.
    """
    from matplotlib import rc_context
    from matplotlib.patches import Rectangle

    from exodisc.pl._style import STYLE, new_figure

    x0, y0, x1, y1 = result.box
    sig = result.signal
    lo, hi = np.percentile(sig, [0.5, 99.8])
    with rc_context(STYLE):
        fig = new_figure(7.0, 3.2)
        ax, axp = fig.subplots(1, 2, width_ratios=[3, 1], sharey=True)
        ax.imshow(
            sig,
            cmap="gray",
            vmin=lo,
            vmax=hi if hi > lo else lo + 1,
            extent=(x0 - 0.5, x1 - 0.5, y1 - 0.5, y0 - 0.5),
            interpolation="nearest",
            aspect="auto",
        )
        if saturated is not None and saturated.any():
            ys, xs = np.nonzero(saturated)
            ax.plot(xs + x0, ys + y0, "s", ms=1, color="red", label="saturated")
        for lane in result.lanes.itertuples():
            ax.add_patch(
                Rectangle(
                    (lane.x_left - 0.5, y0 - 0.5),
                    lane.x_right - lane.x_left + 1,
                    y1 - y0,
                    fill=False,
                    lw=0.5,
                    ls=":",
                    ec="#56B4E9",
                )
            )
            ax.text(lane.x_center, y0 + 1, str(lane.lane), color="#56B4E9", ha="center", va="top")
        for band in result.table.itertuples():
            ax.add_patch(
                Rectangle(
                    (band.x_left - 0.5, band.y_top - 0.5),
                    band.x_right - band.x_left + 1,
                    band.y_bottom - band.y_top + 1,
                    fill=False,
                    lw=0.8,
                    ec="#E69F00",
                )
            )
        for name, d in result.table.groupby("band", sort=False):
            ax.text(x1 - 0.5, float(d["y_top"].mean()), f" {name}", color="#E69F00", va="top")
        ax.set_xlabel("x (px)")
        ax.set_ylabel("y (px)")
        ax.set_title(title)
        prof = _profiles(result)
        ys_ = np.arange(y0, y1)
        axp.plot(prof["signal"], ys_, color="black", lw=0.8, label="mean lane")
        axp.plot(prof["background"], ys_, color="#D55E00", lw=0.8, label="background")
        for band in result.table.drop_duplicates("band").itertuples():
            axp.axhspan(band.y_top, band.y_bottom, color="#E69F00", alpha=0.2, lw=0)
        axp.set_xlabel("mean pixel value")
        axp.legend(loc="lower right", frameon=False)
    return fig


def _profiles(result: Any) -> pd.DataFrame:
    """Mean lane profile and mean background per row (what the profile panel plots)."""
    x0, y0, _, y1 = result.box
    cols = np.concatenate(
        [np.arange(r.x_left - x0, r.x_right - x0 + 1) for r in result.lanes.itertuples()]
    )
    sig = result.signal[:, cols].mean(axis=1)
    if result.background_image is not None:
        bg = result.background_image[:, cols].mean(axis=1)
    else:  # lane-min: straight baselines under each band, per pixel
        bg = np.full(sig.shape, np.nan)
        if not result.baselines.empty:
            width = result.table.groupby("lane")[["x_left", "x_right"]].first()
            px = (width["x_right"] - width["x_left"] + 1).to_dict()
            b = result.baselines.assign(per_px=lambda d: d["baseline"] / d["lane"].map(px))
            mean = b.groupby("y")["per_px"].mean()
            bg[mean.index.to_numpy() - y0] = mean.to_numpy()
    return pd.DataFrame({"y": np.arange(y0, y1), "signal": sig, "background": bg})


def qc_data(result: Any) -> pd.DataFrame:
    """The table behind :func:`western_qc`: mean profile, background and band limits."""
    prof = _profiles(result)
    bands = result.table.groupby("band", sort=False)[["y_top", "y_bottom"]].agg(["min", "max"])
    prof["band"] = ""
    for name, row in bands.iterrows():
        sel = (prof["y"] >= row[("y_top", "min")]) & (prof["y"] <= row[("y_bottom", "max")])
        prof.loc[sel, "band"] = str(name)
    return prof
