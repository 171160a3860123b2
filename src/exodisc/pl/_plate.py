"""Plate-reader assay figures: time-course curves (bars: :func:`exodisc.pl.group_bars`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["timecourse"]

_PALETTE = ["#4D4D4D", "#D55E00", "#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9"]


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    from exodisc.pl._style import new_figure

    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = new_figure(*size)
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
        Optional text drawn beside a group's point, keyed by ``(group, time)``: above its
        error bar where that place is free, else at the nearest place that meets no line,
        marker or other mark (:func:`exodisc.pl._labels.place_marks`).

    Returns
    -------
    matplotlib.figure.Figure
        Never saved here.

    Notes
    -----
    Prism equivalent: XY graph, "Mean with SD" error bars, points connected.
    """
    from matplotlib import rc_context

    from exodisc.pl._style import STYLE

    with rc_context(STYLE):
        return _timecourse(
            data, x, value, group, error, order, labels, colors, marks, xlabel, ylabel, title, ax
        )


def _timecourse(
    data: pd.DataFrame,
    x: str,
    value: str,
    group: str,
    error: str | None,
    order: Sequence[str] | None,
    labels: Mapping[str, str] | None,
    colors: Mapping[str, str] | None,
    marks: Mapping[tuple[str, float], str] | None,
    xlabel: str,
    ylabel: str,
    title: str,
    ax: Axes | None,
) -> Figure:
    fig, ax_ = _figure(ax, (4.2, 3.2))
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    pending: list[tuple[str, float, float, float, str, str]] = []
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
                    pending.append(
                        (
                            text,
                            float(xv),
                            float(yv),
                            float(np.nan_to_num(ev)),
                            color,
                            f"mark {g} {float(xv):g}",
                        )
                    )
    xs = sorted(pd.unique(data[x]))
    ax_.set_xticks(xs)
    ax_.set_xlabel(xlabel)
    ax_.set_ylabel(ylabel)
    if title:
        ax_.set_title(title)
    ax_.spines[["top", "right"]].set_visible(False)
    ax_.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if pending:  # room above the top point, then each mark where it meets no line
        from exodisc.pl._labels import place_marks

        ax_.margins(x=0.08, y=0.12)
        place_marks(ax_, pending, fontsize=8, freeze_layout=ax is None)
    return fig
