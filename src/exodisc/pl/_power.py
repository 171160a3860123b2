"""Power-versus-n curves (group comparisons) and DE-features-found-versus-n (RNA-seq)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from exodisc.pl._style import STYLE, new_figure

__all__ = ["de_found_curve", "power_curves"]


def power_curves(
    curves: pd.DataFrame, *, targets: tuple[float, ...] = (0.8, 0.9), title: str = ""
) -> Any:
    """Power against n per group, one line per compared pair (± 2 Monte-Carlo SE if any).

    ``curves``: ``group1, group2, n, power, mc_se`` (:attr:`exodisc.power.PowerPlan.curves`).
    """
    from matplotlib import rc_context

    fig = new_figure(4.6, 3.2)
    with rc_context(STYLE):
        ax = fig.add_subplot()
        for (g1, g2), d in curves.groupby(["group1", "group2"], sort=False):
            line = ax.plot(d["n"], d["power"], marker="o", ms=2.5, lw=1, label=f"{g1} vs {g2}")
            if (d["mc_se"] > 0).any():
                ax.fill_between(
                    d["n"], d["power"] - 2 * d["mc_se"], d["power"] + 2 * d["mc_se"],
                    color=line[0].get_color(), alpha=0.2, lw=0,
                )  # fmt: skip
        for t in targets:
            ax.axhline(t, color="0.5", ls="--", lw=0.7)
        ax.set_xlabel("n per group")
        ax.set_ylabel("power")
        ax.set_ylim(0, 1.02)
        ax.set_title(title)
        ax.legend(fontsize=6, frameon=False, loc="lower right")
    return fig


def de_found_curve(summary: pd.DataFrame, *, title: str = "") -> Any:
    """True DE features found against n per group: mean and 2.5–97.5 % band of simulations.

    ``summary``: :attr:`exodisc.power.RnaSeqPower.summary`.
    """
    from matplotlib import rc_context

    fig = new_figure(4.2, 3.2)
    with rc_context(STYLE):
        ax = fig.add_subplot()
        ax.fill_between(
            summary["n"], summary["true_found_q025"], summary["true_found_q975"],
            color="C0", alpha=0.25, lw=0, label="2.5–97.5 % of simulations",
        )  # fmt: skip
        ax.plot(summary["n"], summary["true_found_mean"], "o-", color="C0", ms=3, label="mean")
        ax.axhline(float(summary["true_de"].iloc[0]), color="0.5", ls="--", lw=0.7,
                   label="true effects")  # fmt: skip
        # from 0: a short axis would make a few more genes look like a large gain
        ax.set_ylim(0, 1.05 * float(summary["true_de"].iloc[0]))
        ax.set_xlabel("n per group")
        ax.set_ylabel("true DE features found")
        ax.set_title(title)
        ax.legend(fontsize=6, frameon=False)
    return fig
