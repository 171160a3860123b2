"""Box / violin plots of groups and time-course lines with error bars and marks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.pl._style import STYLE, new_figure

__all__ = ["group_box", "timecourse"]


def _error(x: np.ndarray, error: str) -> float:
    if x.size < 2:
        return 0.0
    sd = float(np.std(x, ddof=1))
    sem = sd / np.sqrt(x.size)
    return {"sd": sd, "sem": sem, "ci95": float(sps.t.ppf(0.975, x.size - 1)) * sem}[error]


def group_box(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    pairs: pd.DataFrame | None = None,
    kind: Literal["box", "violin"] = "box",
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    ylabel: str = "",
    title: str = "",
    ax: Any = None,
) -> Any:
    """Box (median, IQR, 1.5 IQR whiskers) or violin plot per group with every replicate.

    Parameters
    ----------
    data
        Tidy table, one row per biological replicate.
    value, group
        Column names.
    pairs
        ``compare_groups(...).pairs``: significant marks are written above ``group1``.
    kind
        ``"box"`` (Tukey box plot) or ``"violin"`` (kernel density, median marked).
    order, labels, colors
        Group order, display labels, colours.
    ylabel, title
        Axis label and title.
    ax
        Draw into this Axes; a new Figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (never saved here).

    Notes
    -----
    Prism "box and whiskers (Tukey)" / "violin plot"; R ``ggplot2::geom_boxplot`` with
    ``geom_jitter``. Quartiles are matplotlib's (linear interpolation, R type 7).
    """
    from matplotlib import rc_context

    groups = list(order) if order is not None else list(pd.unique(data[group]))
    labels, colors = dict(labels or {}), dict(colors or {})
    xs = [data.loc[data[group] == g, value].to_numpy(float) for g in groups]
    xs = [x[np.isfinite(x)] for x in xs]
    with rc_context(STYLE):
        if ax is None:
            fig = new_figure(max(2.4, 0.55 * len(groups) + 1.2), 3.0)
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        pos = np.arange(len(groups))
        if kind == "violin":
            ok = [i for i, x in enumerate(xs) if x.size > 1 and np.ptp(x) > 0]
            parts = ax.violinplot([xs[i] for i in ok], positions=pos[ok], showmedians=True)
            for body, i in zip(parts["bodies"], ok, strict=True):
                body.set_facecolor(colors.get(groups[i], "#9E9E9E"))
                body.set_edgecolor("black")
                body.set_alpha(0.7)
        else:
            bp = ax.boxplot(xs, positions=pos, widths=0.6, patch_artist=True, showfliers=False)
            for patch, g in zip(bp["boxes"], groups, strict=True):
                patch.set_facecolor(colors.get(g, "#9E9E9E"))
                patch.set_linewidth(0.6)
            for line in bp["medians"]:
                line.set_color("black")
        rng = np.random.default_rng(0)
        tops = []
        for i, x in enumerate(xs):
            ax.scatter(i + rng.uniform(-0.1, 0.1, x.size), x, s=12, color="white",
                       edgecolor="black", linewidth=0.6, zorder=3)  # fmt: skip
            tops.append(float(x.max()) if x.size else np.nan)
        finite = [t for t in tops if np.isfinite(t)]
        lo = min(float(x.min()) for x in xs if x.size) if finite else 0.0
        span = (max(finite) - lo) if finite else 1.0
        if pairs is not None and len(pairs):
            for i, g in enumerate(groups):
                sub = pairs[(pairs["group1"] == g) & (pairs["mark"] != "ns")]
                text = "\n".join(str(m) for m in sub["mark"])
                if text and np.isfinite(tops[i]):
                    ax.text(i, tops[i] + 0.04 * (span or 1), text, ha="center", va="bottom")
        ax.set_xticks(pos)
        ax.set_xticklabels([labels.get(g, g) for g in groups], rotation=35, ha="right",
                           rotation_mode="anchor")  # fmt: skip
        if finite:
            ax.set_ylim(top=max(finite) + 0.3 * (span or 1))
        ax.set_ylabel(ylabel or value)
        if title:
            ax.set_title(title)
    return fig


def timecourse(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    time: str,
    pairs: pd.DataFrame | None = None,
    error: Literal["sd", "sem", "ci95"] = "sd",
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    ax: Any = None,
) -> Any:
    """Mean ± error per group over time (lines), with the marks of each time point.

    Parameters
    ----------
    data
        Tidy table, one row per replicate and time point; ``time`` must be numeric
        (e.g. hours).
    value, group, time
        Column names.
    pairs
        :func:`exodisc.stats.compare_by` output with ``by=time``: the marks of each time
        point are written beside the last point of ``group1``'s line at that time, stacked.
    error
        Error bars: SD (the paper), SEM or 95% CI.
    order, labels, colors
        Group order, legend labels, colours.
    xlabel, ylabel, title
        Axis labels and title.
    ax
        Draw into this Axes; a new Figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (never saved here).

    Notes
    -----
    Prism "XY: mean with error bars, connecting line"; R
    ``ggplot2::stat_summary(fun.data = mean_sdl)`` per group.
    """
    from matplotlib import rc_context

    if not pd.api.types.is_numeric_dtype(data[time]):
        msg = f"column {time!r} must be numeric (e.g. hours) to draw a time course"
        raise ValueError(msg)
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    labels, colors = dict(labels or {}), dict(colors or {})
    times = sorted(pd.unique(data[time].dropna()))
    with rc_context(STYLE):
        if ax is None:
            fig = new_figure(4.2, 3.0)
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        ends: dict[tuple[str, Any], float] = {}
        for g in groups:
            m, e = [], []
            for t in times:
                x = data.loc[(data[group] == g) & (data[time] == t), value].to_numpy(float)
                x = x[np.isfinite(x)]
                m.append(float(x.mean()) if x.size else np.nan)
                e.append(_error(x, error))
                ends[(g, t)] = m[-1] + e[-1]
            ax.errorbar(times, m, yerr=e, marker="o", markersize=3.5, capsize=2.5,
                        linewidth=1.0, color=colors.get(g), label=labels.get(g, g))  # fmt: skip
        if pairs is not None and len(pairs):
            sig = pairs[pairs["mark"] != "ns"]
            for key, sub in sig.groupby(["group1", time]):
                g, t = str(key[0]), key[1]
                if (g, t) in ends and np.isfinite(ends[(g, t)]):
                    ax.annotate("".join(str(m) for m in sub["mark"]), (t, ends[(g, t)]),
                                xytext=(3, 2), textcoords="offset points", fontsize=7,
                                color=colors.get(g, "black"))  # fmt: skip
        ax.set_xticks(times)
        ax.set_xlabel(xlabel or time)
        ax.set_ylabel(ylabel or value)
        ax.legend(frameon=False, loc="upper left")
        if title:
            ax.set_title(title)
    return fig
