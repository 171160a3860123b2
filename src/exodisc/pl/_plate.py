"""Plate-reader assay figures: time-course curves and marked bar plots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["marked_bars", "timecourse"]

_PALETTE = ["#4D4D4D", "#D55E00", "#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9"]


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        fig = ax.get_figure()
        if fig is None:  # pragma: no cover - an Axes always has a figure
            msg = "ax has no figure"
            raise ValueError(msg)
        return fig, ax  # type: ignore[return-value]
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def timecourse(
    data: pd.DataFrame,
    *,
    x: str = "time_h",
    value: str,
    group: str = "group",
    error: str | None = None,
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    marks: Mapping[tuple[str, float], str] | None = None,
    xlabel: str = "Time (h)",
    ylabel: str = "",
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Mean ± error per group over time, one line with markers per group (paper Fig. 2a).

    Parameters
    ----------
    data
        One row per group and time: ``x``, ``group``, ``value`` (and ``error``).
    marks
        Optional text drawn above a group's point, keyed by ``(group, time)``.

    Returns
    -------
    matplotlib.figure.Figure
        Never saved here.

    Notes
    -----
    Prism equivalent: XY graph, "Mean with SD" error bars, points connected.
    """
    fig, ax_ = _figure(ax, (4.2, 3.2))
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    for i, g in enumerate(groups):
        sub = data[data[group] == g].sort_values(x)
        if sub.empty:
            continue
        color = (colors or {}).get(g, _PALETTE[i % len(_PALETTE)])
        yerr = sub[error].to_numpy(dtype=float) if error else None
        ax_.errorbar(
            sub[x].to_numpy(dtype=float),
            sub[value].to_numpy(dtype=float),
            yerr=yerr,
            marker="o",
            markersize=4,
            capsize=3,
            linewidth=1.4,
            color=color,
            label=(labels or {}).get(g, g),
        )
        if marks:
            for xv, yv, ev in zip(
                sub[x], sub[value], yerr if yerr is not None else np.zeros(len(sub)), strict=True
            ):
                text = marks.get((g, float(xv)), "")
                if text and text != "ns":
                    ax_.annotate(
                        text,
                        (float(xv), float(yv) + float(np.nan_to_num(ev))),
                        textcoords="offset points",
                        xytext=(6, 0),
                        fontsize=8,
                        color=color,
                        va="center",
                    )
    xs = sorted(pd.unique(data[x]))
    ax_.set_xticks(xs)
    ax_.set_xlabel(xlabel)
    ax_.set_ylabel(ylabel)
    if title:
        ax_.set_title(title)
    ax_.spines[["top", "right"]].set_visible(False)
    ax_.legend(frameon=False, fontsize=8)
    return fig


def marked_bars(
    data: pd.DataFrame,
    *,
    value: str,
    group: str = "group",
    pairs: pd.DataFrame | None = None,
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    error: Literal["sd", "sem"] = "sd",
    ylabel: str = "",
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Mean bars ± SD (or SEM) with every replicate as a point and the paper's marks.

    Parameters
    ----------
    data
        One row per biological replicate.
    pairs
        ``compare_groups(...).pairs``: ``group1`` gets its ``mark`` (``*``, ``##`` …) above the
        bar; several marks on one bar stack.

    Notes
    -----
    Prism equivalent: column bar graph "Mean with SD", "Show individual values".
    """
    fig, ax_ = _figure(ax, (0.75 * max(3, data[group].nunique()) + 1.2, 3.4))
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    rng = np.random.default_rng(0)
    top = 0.0
    tops: dict[str, float] = {}
    for i, g in enumerate(groups):
        vals = data.loc[data[group] == g, value].to_numpy(dtype=float)
        vals = vals[~np.isnan(vals)]
        if vals.size == 0:
            continue
        color = (colors or {}).get(g, _PALETTE[i % len(_PALETTE)])
        mean = float(vals.mean())
        err = float(vals.std(ddof=1)) if vals.size > 1 else 0.0
        if error == "sem" and vals.size > 1:
            err /= np.sqrt(vals.size)
        ax_.bar(i, mean, width=0.65, color=color, alpha=0.85, edgecolor="black", linewidth=0.6)
        ax_.errorbar(i, mean, yerr=err, color="black", capsize=4, linewidth=1)
        jitter = rng.uniform(-0.12, 0.12, vals.size)
        ax_.scatter(i + jitter, vals, s=14, color="white", edgecolor="black", zorder=3)
        tops[g] = max(mean + err, float(vals.max()))
        top = max(top, tops[g])
    if pairs is not None and not pairs.empty:
        for i, g in enumerate(groups):
            marks = [m for m in pairs.loc[pairs["group1"] == g, "mark"] if m and m != "ns"]
            if marks and g in tops:
                ax_.text(
                    i, tops[g] + 0.03 * top, "\n".join(marks), ha="center", va="bottom", fontsize=10
                )
    ax_.set_xticks(range(len(groups)))
    ax_.set_xticklabels(
        [(labels or {}).get(g, g) for g in groups], rotation=30, ha="right", fontsize=9
    )
    ax_.set_ylim(0, top * 1.25 if top > 0 else 1)
    ax_.set_ylabel(ylabel)
    if title:
        ax_.set_title(title)
    ax_.spines[["top", "right"]].set_visible(False)
    return fig
