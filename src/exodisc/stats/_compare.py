"""Group comparisons: tidy table in, result tables out (pingouin style)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.errors import DesignError, SchemaError

__all__ = ["ComparisonResult", "compare_groups", "describe", "p_to_mark"]

Posthoc = Literal[
    "bonferroni", "bonferroni_t", "tukey", "dunnett", "sidak", "holm", "games_howell", "dunn"
]


def _check_columns(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        msg = f"missing column(s) {missing}; the table has {list(data.columns)}"
        raise SchemaError(msg)


def describe(
    data: pd.DataFrame, *, value: str, group: str, order: Sequence[str] | None = None
) -> pd.DataFrame:
    """Descriptive statistics per group: n, mean, SD, SEM, 95% CI, median, IQR.

    Notes
    -----
    SD uses n − 1 (R ``sd``, SPSS, Prism); the CI is mean ± t(0.975, n − 1) · SEM.
    """
    _check_columns(data, [value, group])
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    rows = []
    for g in groups:
        x = data.loc[data[group] == g, value].to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        n = x.size
        mean = float(np.mean(x)) if n else np.nan
        sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
        sem = sd / np.sqrt(n) if n > 1 else np.nan
        half = float(sps.t.ppf(0.975, n - 1) * sem) if n > 1 else np.nan
        q1, med, q3 = np.percentile(x, [25, 50, 75]) if n else (np.nan,) * 3
        rows.append(
            {
                "group": g,
                "n": n,
                "mean": mean,
                "sd": sd,
                "sem": sem,
                "ci95_low": mean - half,
                "ci95_high": mean + half,
                "median": float(med),
                "q1": float(q1),
                "q3": float(q3),
            }
        )
    return pd.DataFrame(rows)


def p_to_mark(p: float, mark: str = "*", *, alpha: float = 0.05) -> str:
    """The paper's marks: one mark for P < alpha, two for P < 0.01, three for P < 0.001."""
    if not np.isfinite(p) or p >= alpha:
        return "ns"
    if p < 0.001:
        return mark * 3
    if p < 0.01:
        return mark * 2
    return mark


@dataclass(frozen=True)
class ComparisonResult:
    """Result of :func:`compare_groups`.

    Attributes
    ----------
    descriptives
        One row per group (see :func:`describe`).
    omnibus
        ``test``, ``statistic``, ``df1``, ``df2``, ``p_value`` (one row).
    pairs
        One row per declared comparison: ``group1`` (test), ``group2`` (reference),
        ``mean_diff`` (group1 − group2), ``p_value`` (unadjusted), ``p_adj``, ``mark``.
    params
        What was done (test, post-hoc, correction, number of comparisons, alpha).
    """

    descriptives: pd.DataFrame
    omnibus: pd.DataFrame
    pairs: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def compare_groups(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    comparisons: Sequence[tuple[str, str, str]] | None = None,
    test: Literal["anova"] = "anova",
    posthoc: Posthoc = "bonferroni",
    alpha: float = 0.05,
    order: Sequence[str] | None = None,
) -> ComparisonResult:
    """Compare groups: one-way ANOVA and a post-hoc test over the declared comparisons.

    Parameters
    ----------
    data
        Tidy table, one row per biological replicate.
    value, group
        Column names.
    comparisons
        ``(test, reference, mark)`` triples; default all pairs, marked ``*``.
    test
        Omnibus test.
    posthoc
        ``"bonferroni"``: SPSS's Bonferroni (pairwise t on the pooled ANOVA mean square error,
        P × number of comparisons, capped at 1).
    alpha
        Significance level of the marks.
    order
        Group order of the descriptives.

    Notes
    -----
    R equivalent of ``posthoc="bonferroni"``:
    ``emmeans::contrast(emmeans(aov(value ~ group), ~group), method=..., adjust="bonferroni")``.
    """
    _check_columns(data, [value, group])
    if not 0 < alpha < 1:
        msg = f"alpha must be between 0 and 1, got {alpha!r}"
        raise ValueError(msg)
    if test != "anova" or posthoc not in {"bonferroni"}:
        msg = f"test={test!r} with posthoc={posthoc!r} is not available yet"
        raise NotImplementedError(msg)
    clean = data[[group, value]].dropna()
    groups = list(order) if order is not None else list(pd.unique(clean[group]))
    samples = {g: clean.loc[clean[group] == g, value].to_numpy(dtype=float) for g in groups}
    small = [g for g, x in samples.items() if x.size < 2]
    if small:
        msg = f"group(s) {small} have fewer than 2 values; ANOVA needs n >= 2 per group"
        raise DesignError(msg)
    if comparisons is None:
        comparisons = [(b, a, "*") for i, a in enumerate(groups) for b in groups[i + 1 :]]
    f, p = sps.f_oneway(*samples.values())
    n_total = sum(x.size for x in samples.values())
    df_within = n_total - len(groups)
    mse = sum(((x - x.mean()) ** 2).sum() for x in samples.values()) / df_within
    omnibus = pd.DataFrame(
        [
            {
                "test": "one-way ANOVA",
                "statistic": float(f),
                "df1": len(groups) - 1,
                "df2": df_within,
                "p_value": float(p),
            }
        ]
    )
    m = len(comparisons)
    rows = []
    for g1, g2, mark in comparisons:
        x1, x2 = samples[g1], samples[g2]
        diff = float(x1.mean() - x2.mean())
        se = float(np.sqrt(mse * (1 / x1.size + 1 / x2.size)))
        t = diff / se
        p_raw = float(2 * sps.t.sf(abs(t), df_within))
        p_adj = min(1.0, p_raw * m)
        rows.append(
            {
                "group1": g1,
                "group2": g2,
                "mean_diff": diff,
                "se": se,
                "t": t,
                "df": df_within,
                "p_value": p_raw,
                "p_adj": p_adj,
                "mark": p_to_mark(p_adj, mark, alpha=alpha),
                "mark_family": mark,
            }
        )
    return ComparisonResult(
        describe(clean, value=value, group=group, order=groups),
        omnibus,
        pd.DataFrame(rows),
        {"test": test, "posthoc": posthoc, "n_comparisons": m, "alpha": alpha},
    )
