"""Flow cytometry figures: FlowJo-style pseudocolour quadrant plots and histogram overlays."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from exodisc.pl._style import STYLE, new_figure

__all__ = ["density_table", "flow_histograms", "flow_quadrants", "histogram_table"]

_TICKS = (-1e3, 0.0, 1e2, 1e3, 1e4, 1e5)
_TICK_LABELS = ("−10³", "0", "10²", "10³", "10⁴", "10⁵")


def _transform(x: np.ndarray, kind: str) -> np.ndarray:
    from exodisc.assays.flow import display_transform

    return display_transform(x, kind=kind)  # type: ignore[arg-type]


def _axis_ticks(ax: Any, which: str, kind: str) -> None:
    ticks = _transform(np.array(_TICKS), kind)
    if which == "x":
        ax.set_xticks(ticks, _TICK_LABELS)
    else:
        ax.set_yticks(ticks, _TICK_LABELS)


_RANGE = (-2e3, 2.6e5)


def density_table(
    events: Mapping[str, pd.DataFrame],
    *,
    x: str = "annexin",
    y: str = "pi",
    transform: Literal["logicle", "asinh"] = "logicle",
    bins: int = 96,
) -> pd.DataFrame:
    """The 2-D histogram counts :func:`flow_quadrants` draws (non-empty bins, display units)."""
    lo, hi = _transform(np.array(_RANGE), transform)
    edges = np.linspace(lo, hi, bins + 1)
    frames = []
    for name, ev in events.items():
        tx = _transform(ev[x].to_numpy(dtype=float), transform)
        ty = _transform(ev[y].to_numpy(dtype=float), transform)
        h = np.histogram2d(tx, ty, bins=[edges, edges])[0]
        ix, iy = np.nonzero(h)
        frames.append(
            pd.DataFrame(
                {
                    "sample": name,
                    "x_low": edges[ix],
                    "x_high": edges[ix + 1],
                    "y_low": edges[iy],
                    "y_high": edges[iy + 1],
                    "count": h[ix, iy].astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def histogram_table(
    values: Mapping[str, np.ndarray],
    controls: Mapping[str, np.ndarray],
    *,
    transform: Literal["logicle", "asinh"] = "logicle",
    bins: int = 128,
) -> pd.DataFrame:
    """The modal histograms :func:`flow_histograms` draws (display units, % of max)."""
    lo, hi = _transform(np.array(_RANGE), transform)
    edges = np.linspace(lo, hi, bins + 1)
    frames = []
    for key in values:
        hs = np.histogram(_transform(np.asarray(values[key]), transform), edges)[0]
        hc = np.histogram(_transform(np.asarray(controls[key]), transform), edges)[0]
        frames.append(
            pd.DataFrame(
                {
                    "channel": key,
                    "bin_low": edges[:-1],
                    "bin_high": edges[1:],
                    "stained_count": hs,
                    "control_count": hc,
                    "stained_pct_of_max": 100 * hs / hs.max() if hs.max() else 0.0 * hs,
                    "control_pct_of_max": 100 * hc / hc.max() if hc.max() else 0.0 * hc,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def flow_quadrants(
    events: Mapping[str, pd.DataFrame],
    percentages: pd.DataFrame,
    *,
    x_threshold: float,
    y_threshold: float,
    x: str = "annexin",
    y: str = "pi",
    xlabel: str = "Annexin V",
    ylabel: str = "PI",
    titles: Mapping[str, str] | None = None,
    transform: Literal["logicle", "asinh"] = "logicle",
    ncols: int = 3,
    bins: int = 96,
) -> Any:
    """Pseudocolour density plots with quadrant lines and the four percentages, one per sample.

    Parameters
    ----------
    events
        Sample -> events with columns ``x`` and ``y`` (compensated, untransformed).
    percentages
        One row per sample (``sample``, ``viable_pct``, ``early_apoptotic_pct``,
        ``late_apoptotic_pct``, ``necrotic_pct``), from
        :func:`exodisc.assays.flow.analyse_apoptosis`.
    x_threshold, y_threshold
        Quadrant dividers in untransformed units.
    titles
        Sample -> panel title.
    transform
        Display scale (logicle as in FlowJo, or arcsinh).
    ncols, bins
        Panels per row; 2-D histogram bins per axis.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    FlowJo's pseudocolour plot with a Quad gate; R ``ggcyto::ggcyto(fs, aes(x, y)) +
    geom_hex() + geom_gate(quadGate)``.
    """
    from matplotlib import rc_context
    from matplotlib.colors import LogNorm

    names = list(events)
    n = len(names)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    pct = percentages.set_index("sample")
    lo, hi = _transform(np.array(_RANGE), transform)
    xt = float(_transform(np.array([x_threshold]), transform)[0])
    yt = float(_transform(np.array([y_threshold]), transform)[0])
    with rc_context(cast(Any, STYLE)):
        fig = new_figure(2.1 * ncols + 0.4, 2.0 * nrows + 0.3)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
        for k, name in enumerate(names):
            ax = axes[k // ncols][k % ncols]
            ev = events[name]
            tx = _transform(ev[x].to_numpy(dtype=float), transform)
            ty = _transform(ev[y].to_numpy(dtype=float), transform)
            ax.hist2d(
                tx,
                ty,
                bins=bins,
                range=[[lo, hi], [lo, hi]],
                cmap="jet",
                norm=LogNorm(),
                rasterized=True,
            )
            ax.axvline(xt, color="black", linewidth=0.8)
            ax.axhline(yt, color="black", linewidth=0.8)
            row = pct.loc[name]
            kw = {"fontsize": 7, "transform": ax.transAxes}
            ax.text(0.03, 0.97, f"{row['necrotic_pct']:.1f}%", ha="left", va="top", **kw)
            ax.text(0.97, 0.97, f"{row['late_apoptotic_pct']:.1f}%", ha="right", va="top", **kw)
            ax.text(0.03, 0.03, f"{row['viable_pct']:.1f}%", ha="left", va="bottom", **kw)
            ax.text(0.97, 0.03, f"{row['early_apoptotic_pct']:.1f}%", ha="right", va="bottom", **kw)
            ax.set_title((titles or {}).get(name, name), fontsize=8)
            ax.set_xlim(lo, hi)
            ax.set_ylim(lo, hi)
            _axis_ticks(ax, "x", transform)
            _axis_ticks(ax, "y", transform)
            ax.tick_params(labelsize=6)
        for k in range(n, nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
        fig.supxlabel(xlabel, fontsize=9)
        fig.supylabel(ylabel, fontsize=9)
    return fig


def flow_histograms(
    values: Mapping[str, np.ndarray],
    controls: Mapping[str, np.ndarray],
    *,
    thresholds: Mapping[str, float] | None = None,
    titles: Mapping[str, str] | None = None,
    pct_positive: Mapping[str, float] | None = None,
    transform: Literal["logicle", "asinh"] = "logicle",
    control_label: str = "Isotype",
    ncols: int = 4,
    bins: int = 128,
) -> Any:
    """Histogram overlays, marker vs its control, one panel per marker.

    Parameters
    ----------
    values, controls
        Panel key (channel) -> stained / control values (compensated, untransformed).
    thresholds
        Key -> the positivity threshold, drawn as a dashed line.
    titles
        Key -> panel title (the marker).
    pct_positive
        Key -> % positive, written on the panel.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    FlowJo's histogram overlay (modal, normalised to mode); R ``ggcyto`` +
    ``geom_density()``.
    """
    from matplotlib import rc_context

    keys: Sequence[str] = list(values)
    n = len(keys)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    lo, hi = _transform(np.array(_RANGE), transform)
    edges = np.linspace(lo, hi, bins + 1)
    with rc_context(cast(Any, STYLE)):
        fig = new_figure(2.0 * ncols + 0.3, 1.7 * nrows + 0.4)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
        for k, key in enumerate(keys):
            ax = axes[k // ncols][k % ncols]
            for data, colour, label, fill in (
                (controls[key], "#7F7F7F", control_label, True),
                (values[key], "#D55E00", "Stained", False),
            ):
                h = np.histogram(_transform(np.asarray(data), transform), edges)[0]
                modal = 100 * h / h.max() if h.max() else h.astype(float)
                centres = (edges[:-1] + edges[1:]) / 2
                if fill:
                    ax.fill_between(centres, modal, color=colour, alpha=0.5, label=label)
                else:
                    ax.plot(centres, modal, color=colour, linewidth=1.0, label=label)
            if thresholds and key in thresholds:
                t = float(_transform(np.array([thresholds[key]]), transform)[0])
                ax.axvline(t, color="black", linestyle="--", linewidth=0.7)
            if pct_positive and key in pct_positive:
                ax.text(
                    0.97,
                    0.95,
                    f"{pct_positive[key]:.1f}%",
                    ha="right",
                    va="top",
                    fontsize=7,
                    transform=ax.transAxes,
                )
            ax.set_title((titles or {}).get(key, key), fontsize=8)
            ax.set_xlim(lo, hi)
            ax.set_ylim(0, 110)
            _axis_ticks(ax, "x", transform)
            ax.tick_params(labelsize=6)
        axes[0][0].legend(fontsize=6, frameon=False, loc="upper left")
        for k in range(n, nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
        fig.supylabel("% of max", fontsize=8)
        fig.supxlabel(f"Fluorescence (compensated, {transform} scale)", fontsize=8)
    return fig
