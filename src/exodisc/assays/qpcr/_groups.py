"""Group-level fold changes and statistics on ΔCt for a study."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = ["GroupFoldChanges", "group_fold_changes"]


@dataclass(frozen=True)
class GroupFoldChanges:
    """Per-replicate fold changes, group summaries and the statistics per target.

    Attributes
    ----------
    replicates
        One row per biological replicate and target: ``sample``, ``group``, ``target``,
        ``delta_ct``, ``delta_delta_ct``, ``fold_change``.
    summary
        One row per group and target: ``n``, ``fold_change_mean``, ``fold_change_sd``,
        ``delta_ct_mean``, ``delta_ct_sd``, ``mark`` (the paper's marks, joined).
    pairs
        The statistics engine's ``pairs`` for every target (column ``target`` added).
    stats
        The :class:`~exodisc.stats.ComparisonResult` per target.
    """

    replicates: pd.DataFrame
    summary: pd.DataFrame
    pairs: pd.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


def group_fold_changes(
    table: pd.DataFrame,
    groups: Mapping[str, str],
    *,
    calibrator_group: str,
    order: Sequence[str],
    comparisons: Sequence[tuple[str, str, str]] | None = None,
    test: Any = "anova",
    posthoc: Any = "bonferroni",
    alpha: float = 0.05,
    subjects: Mapping[str, str] | None = None,
    error_bars: Any = "sd",
) -> GroupFoldChanges:
    """Fold change 2^-ΔΔCt per biological replicate against the calibrator group's mean ΔCt.

    Parameters
    ----------
    table
        :attr:`RelQuantResult.table` (one row per sample and target, ``delta_ct``).
    groups
        Sample → group.
    calibrator_group
        Group whose mean ΔCt is the zero of ΔΔCt (the paper: Control).
    order
        Group display order.
    comparisons, test, posthoc, alpha, error_bars
        Passed to :func:`exodisc.stats.compare_groups`, run on ΔCt (not on fold changes,
        whose distribution is skewed).
    subjects
        Sample → donor; the paired tests (``rm_anova`` …) match ΔCt values by it.

    Notes
    -----
    The statistics are on ΔCt, so the test is the same whichever group is the calibrator.
    R equivalent: ``aov(delta_ct ~ group)`` then ``emmeans`` contrasts per target.
    """
    from exodisc.stats import compare_groups

    t = table[table["delta_ct"].notna()].copy()
    t = t[t["sample"].isin(list(groups))]
    t["group"] = t["sample"].map(groups)
    if subjects is not None:
        t["donor"] = t["sample"].map(subjects)
    if calibrator_group not in set(t["group"]):
        msg = (
            f"calibrator group {calibrator_group!r} has no sample with a ΔCt; groups with data: "
            f"{sorted(t['group'].unique())}"
        )
        raise DesignError(msg)
    cal = t[t["group"] == calibrator_group].groupby("target")["delta_ct"].mean()
    t["delta_delta_ct"] = t["delta_ct"] - t["target"].map(cal)
    t["fold_change"] = np.exp2(-t["delta_delta_ct"])
    present = [g for g in order if g in set(t["group"])]
    t["_g"] = t["group"].map({g: i for i, g in enumerate(present)})
    keep = ["sample", "group", "target", "delta_ct", "delta_delta_ct", "fold_change"]
    keep += ["donor"] if subjects is not None else []
    reps = t.sort_values(["target", "_g", "sample"])[keep].reset_index(drop=True)
    summaries = []
    pairs = []
    stats: dict[str, Any] = {}
    for target, g in reps.groupby("target", sort=True):
        res = compare_groups(
            g,
            value="delta_ct",
            group="group",
            comparisons=[c for c in (comparisons or []) if c[0] in present and c[1] in present]
            or None,
            test=test,
            posthoc=posthoc,
            alpha=alpha,
            order=present,
            subject="donor" if subjects is not None else None,
            error_bars=error_bars,
        )
        stats[str(target)] = res
        p = res.pairs.copy()
        p.insert(0, "target", target)
        pairs.append(p)
        for grp in present:
            x = g[g["group"] == grp]
            marks = p.loc[(p["group1"] == grp) & (p["mark"] != "ns"), "mark"]
            summaries.append(
                {
                    "target": target,
                    "group": grp,
                    "n": len(x),
                    "fold_change_mean": float(x["fold_change"].mean()),
                    "fold_change_sd": float(x["fold_change"].std(ddof=1)) if len(x) > 1 else np.nan,
                    "delta_ct_mean": float(x["delta_ct"].mean()),
                    "delta_ct_sd": float(x["delta_ct"].std(ddof=1)) if len(x) > 1 else np.nan,
                    "mark": " ".join(marks),
                }
            )
    return GroupFoldChanges(
        reps,
        pd.DataFrame(summaries),
        pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(),
        stats,
    )
