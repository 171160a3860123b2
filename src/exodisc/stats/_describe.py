"""Descriptive statistics per group and the paper's significance marks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.errors import SchemaError

__all__ = ["DEFAULT_THRESHOLDS", "PRISM_THRESHOLDS", "describe", "p_to_mark"]

#: P thresholds of one, two and three marks, as in the paper's figures (* <0.05, ** <0.01,
#: *** <0.001). Prism's "GP" style adds **** <0.0001: pass ``PRISM_THRESHOLDS``.
DEFAULT_THRESHOLDS: tuple[float, ...] = (0.05, 0.01, 0.001)
PRISM_THRESHOLDS: tuple[float, ...] = (0.05, 0.01, 0.001, 0.0001)


def check_columns(data: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Raise :class:`SchemaError` naming every missing column at once."""
    if not isinstance(data, pd.DataFrame):
        msg = f"expected a pandas DataFrame, got {type(data).__name__}"
        raise SchemaError(msg)
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        msg = (
            f"missing column(s) {missing}; the table has {list(data.columns)}; "
            "pass the column names with value=, group= (and subject=)"
        )
        raise SchemaError(msg)


def describe(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    order: Sequence[str] | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Descriptive statistics per group: n, mean, SD, SEM, CI of the mean, median, IQR.

    Parameters
    ----------
    data
        Tidy table, one row per biological replicate.
    value, group
        Column names of the measured value and of the group.
    order
        Groups to describe, in this order (default: order of first appearance).
    ci
        Confidence level of the interval of the mean.

    Returns
    -------
    pandas.DataFrame
        ``group, n, mean, sd, sem, ci95_low, ci95_high, median, q1, q3, iqr, min, max``;
        missing values are not counted.

    Notes
    -----
    SD uses n − 1 (R ``sd``, SPSS, Prism); the CI is mean ± t(1 − (1 − ci)/2, n − 1) · SEM
    (R ``t.test(x)$conf.int``); quartiles are R's default ``quantile(type = 7)``, as numpy's
    ``percentile`` (Prism and SPSS use type 6, which differs for small n).

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "a"], "v": [1.0, 2.0, 3.0]})
    >>> describe(df, value="v", group="g")[["group", "n", "mean", "sd"]]
      group  n  mean   sd
    0     a  3   2.0  1.0
    """
    check_columns(data, [value, group])
    groups = list(order) if order is not None else list(pd.unique(data[group]))
    rows = []
    for g in groups:
        x = data.loc[data[group] == g, value].to_numpy(dtype=float)
        x = x[~np.isnan(x)]
        n = int(x.size)
        mean = float(np.mean(x)) if n else np.nan
        sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
        sem = sd / np.sqrt(n) if n > 1 else np.nan
        half = float(sps.t.ppf(0.5 + ci / 2, n - 1) * sem) if n > 1 else np.nan
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
                "iqr": float(q3 - q1),
                "min": float(np.min(x)) if n else np.nan,
                "max": float(np.max(x)) if n else np.nan,
            }
        )
    return pd.DataFrame(rows)


def p_to_mark(
    p: float,
    mark: str = "*",
    *,
    alpha: float = 0.05,
    thresholds: Sequence[float] | None = None,
    ns: str = "ns",
) -> str:
    """The paper's marks: one ``mark`` for P < alpha, two for P < 0.01, three for P < 0.001 ….

    Parameters
    ----------
    p
        The (adjusted) P value.
    mark
        The mark family, e.g. ``"*"`` vs Control, ``"#"`` vs IL-1β.
    alpha
        The first threshold (replaces ``thresholds[0]``).
    thresholds
        Decreasing thresholds of one, two, three … marks (default 0.05, 0.01, 0.001 as the
        paper; ``PRISM_THRESHOLDS`` adds 0.0001 for ``****``).
    ns
        What a non-significant (or non-finite) P gives.

    Notes
    -----
    The paper's marks; with ``PRISM_THRESHOLDS`` Prism's "GP" style (``*`` P < 0.05 …
    ``****`` P < 0.0001); R ``symnum`` / ``ggpubr``'s
    ``stat_compare_means`` use the same cut-points.

    Examples
    --------
    >>> p_to_mark(0.003, "#")
    '##'
    """
    cuts = list(thresholds) if thresholds is not None else list(DEFAULT_THRESHOLDS)
    cuts[0] = alpha
    if any(b >= a for a, b in itertools.pairwise(cuts)):
        msg = f"thresholds must decrease, got {cuts}"
        raise ValueError(msg)
    if not np.isfinite(p) or p >= cuts[0]:
        return ns
    return mark * sum(p < c for c in cuts)
