"""Bar plots of group means with individual points and the paper's significance marks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.pl._style import STYLE, new_figure

__all__ = ["group_bars"]


def group_bars(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    pairs: pd.DataFrame | None = None,
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    error: Literal["sd", "sem", "ci95"] = "sd",
    ylabel: str = "",
    title: str = "",
    ax: Any = None,
) -> Any:
    """Bar plot of group means ± error with the replicates as points and the paper's marks.

    Parameters
    ----------
    data
        Tidy table, one row per biological replicate.
    value, group
        Column names.
    pairs
        ``compare_groups(...).pairs``: each significant comparison's ``mark`` (``*``, ``##`` …)
        is written above the bar of ``group1``; marks of several families are stacked.
    order, labels, colors
        Group order, display labels and colours (default: order of appearance, ids, grey).
    error
        Error bar: standard deviation (the paper), standard error or 95% CI.
    ylabel, title
        Axis label and title.
    ax
        Draw into this Axes; a new Figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (never saved here).
    """
    from matplotlib import rc_context

    groups = list(order) if order is not None else list(pd.unique(data[group]))
    labels = dict(labels or {})
    colors = dict(colors or {})
    with rc_context(STYLE):
        if ax is None:
            fig = new_figure(max(2.4, 0.55 * len(groups) + 1.2), 3.0)
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        means, errs, tops = [], [], []
        rng = np.random.default_rng(0)  # fixed jitter: identical figures on re-runs
        for i, g in enumerate(groups):
            x = data.loc[data[group] == g, value].to_numpy(dtype=float)
            x = x[np.isfinite(x)]
            m = float(np.mean(x)) if x.size else np.nan
            if x.size > 1:
                sd = float(np.std(x, ddof=1))
                e = {
                    "sd": sd,
                    "sem": sd / np.sqrt(x.size),
                    "ci95": float(sps.t.ppf(0.975, x.size - 1)) * sd / np.sqrt(x.size),
                }[error]
            else:
                e = 0.0
            means.append(m)
            errs.append(e)
            ax.bar(
                i,
                m,
                width=0.65,
                color=colors.get(g, "#9E9E9E"),
                edgecolor="black",
                linewidth=0.6,
                zorder=1,
            )
            ax.errorbar(i, m, yerr=e, color="black", capsize=3, linewidth=0.8, zorder=2)
            jitter = rng.uniform(-0.12, 0.12, size=x.size)
            ax.scatter(
                i + jitter, x, s=12, color="white", edgecolor="black", linewidth=0.6, zorder=3
            )
            tops.append(max([m + e, *x.tolist()]) if x.size else m)
        finite_tops = [t for t in tops if np.isfinite(t)]
        span = (max(finite_tops) if finite_tops else 1.0) or 1.0
        if pairs is not None and len(pairs):
            for i, g in enumerate(groups):
                sub = pairs[(pairs["group1"] == g) & (pairs["mark"] != "ns")]
                text = "\n".join(str(m) for m in sub["mark"])
                if text:
                    ax.text(i, tops[i] + 0.03 * span, text, ha="center", va="bottom", fontsize=9)
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels(
            [labels.get(g, g) for g in groups], rotation=35, ha="right", rotation_mode="anchor"
        )
        ax.set_ylabel(ylabel or value)
        ax.set_ylim(bottom=min(0.0, *[t for t in means if np.isfinite(t)]), top=span * 1.25)
        if title:
            ax.set_title(title)
    return fig
