"""qPCR figures: fold-change bars per target (the paper's Fig. 3c–e) and geNorm stability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

import pandas as pd

from exodisc.pl._bars import group_bars
from exodisc.pl._style import STYLE, new_figure

__all__ = ["qpcr_fold_changes", "qpcr_stability"]


def qpcr_fold_changes(
    replicates: pd.DataFrame,
    *,
    pairs: pd.DataFrame | None = None,
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    error: Literal["sd", "sem", "ci95"] = "sd",
    reference_label: str = "",
    targets: Sequence[str] | None = None,
) -> Any:
    """One panel per target: mean fold change (2^-ΔΔCt) ± error, replicates as points, marks.

    Parameters
    ----------
    replicates
        :attr:`exodisc.assays.qpcr.GroupFoldChanges.replicates` (``target``, ``group``,
        ``fold_change``).
    pairs
        :attr:`GroupFoldChanges.pairs` (with ``target``); marks come from ΔCt statistics.
    order, labels, colors
        Group order, labels and colours.
    error
        Error bars (the paper: SD).
    reference_label
        Reference gene(s) for the y-axis label, e.g. ``"GAPDH"``.
    targets
        Panel order (default: order of appearance).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Prism equivalent: a column bar graph of 2^-ΔΔCt per gene with individual points.
    """
    if targets is None:
        targets = list(pd.unique(replicates["target"]))
    n = max(1, len(targets))
    ngroups = len(order) if order is not None else replicates["group"].nunique()
    fig = new_figure(max(2.6, 0.5 * ngroups + 1.3) * n, 3.2)
    axes = fig.subplots(1, n, squeeze=False)[0]
    ylabel = r"Relative mRNA ($2^{-\Delta\Delta Ct}$)"
    if reference_label:
        ylabel += f"\nvs {reference_label}"
    for ax, target in zip(axes, targets, strict=True):
        sub = replicates[replicates["target"] == target]
        p = None if pairs is None else pairs[pairs["target"] == target]
        group_bars(
            sub,
            value="fold_change",
            group="group",
            pairs=p,
            order=order,
            labels=labels,
            colors=colors,
            error=error,
            ylabel=ylabel if ax is axes[0] else " ",
            title=str(target),
            ax=ax,
        )
    return fig


def qpcr_stability(genorm_table: pd.DataFrame) -> Any:
    """geNorm M per reference gene at exclusion (left) and pairwise variation V (right).

    Parameters
    ----------
    genorm_table
        From :func:`exodisc.assays.qpcr.genorm`.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The layout of geNorm's own output (Vandesompele et al. 2002, Fig. 2–3) and qbase+.
    """
    from matplotlib import rc_context

    t = genorm_table
    with rc_context(cast(Any, STYLE)):
        fig = new_figure(6.0, 2.8)
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(range(len(t)), t["m_at_exclusion"], marker="o", color="black")
        ax1.set_xticks(range(len(t)))
        ax1.set_xticklabels(t["gene"], rotation=35, ha="right", rotation_mode="anchor")
        ax1.set_ylabel("geNorm M")
        ax1.set_xlabel("least stable → most stable")
        v = t[t["v_label"] != ""].iloc[::-1]  # V2/3, V3/4, … as geNorm shows them
        ax2.bar(range(len(v)), v["v_pair"], color="#9E9E9E", edgecolor="black", linewidth=0.6)
        ax2.axhline(0.15, color="#D55E00", linestyle="--", linewidth=0.8)
        ax2.set_xticks(range(len(v)))
        ax2.set_xticklabels(v["v_label"])
        ax2.set_ylabel("Pairwise variation V")
    return fig
