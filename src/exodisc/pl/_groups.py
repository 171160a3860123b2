"""Box / violin plots of groups with every replicate and the marks (bars: ``group_bars``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.pl._style import STYLE, new_figure

__all__ = ["group_box"]


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
