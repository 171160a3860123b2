"""Exact power of t-tests and the one-way ANOVA (noncentral t and F distributions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from scipy import optimize
from scipy import stats as sps

__all__ = [
    "TKind",
    "adjusted_alpha",
    "n_for_power",
    "power_anova",
    "power_anova_n",
    "power_t",
    "power_t_n",
]

TKind = Literal["two_sample", "paired", "one_sample", "anova_pairwise"]

#: largest n per group the solvers search (beyond it an effect is called unreachable)
N_MAX = 1e7


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        msg = f"alpha must be between 0 and 1, got {alpha!r}"
        raise ValueError(msg)


def adjusted_alpha(alpha: float, m: int, correction: str) -> float:
    """Per-comparison level of ``m`` comparisons: Bonferroni α/m, Šidák 1 − (1 − α)^(1/m)."""
    _check_alpha(alpha)
    if m < 1:
        msg = f"the number of comparisons must be at least 1, got {m}"
        raise ValueError(msg)
    if correction == "bonferroni":
        return alpha / m
    if correction == "sidak":
        return float(-np.expm1(np.log1p(-alpha) / m))
    if correction == "none":
        return alpha
    msg = f"no closed form for the correction {correction!r} (use simulation)"
    raise ValueError(msg)


def _t_df_ncp(
    n: float, delta: float, sd: float, kind: TKind, k: int, n2: float | None, df: float | None
) -> tuple[float, float]:
    if kind in ("two_sample", "anova_pairwise"):
        m = n if n2 is None else n2
        ncp = delta / (sd * np.sqrt(1 / n + 1 / m))
        if df is not None:
            return df, ncp
        # Student: n + m - 2; pooled ANOVA mean square error: N - k = k(n - 1)
        return (n + m - 2.0 if kind == "two_sample" else k * (n - 1.0)), ncp
    # paired (sd = SD of the differences) and one-sample
    return (n - 1.0 if df is None else df), np.sqrt(n) * delta / sd


def power_t(
    n: float,
    delta: float,
    sd: float = 1.0,
    *,
    alpha: float = 0.05,
    kind: TKind = "two_sample",
    k: int = 2,
    n2: float | None = None,
    df: float | None = None,
) -> float:
    """Power of a two-sided t-test (both rejection tails counted).

    Parameters
    ----------
    n
        Per-group n (two-sample, ANOVA pairwise), number of pairs (paired) or of values.
    delta
        True difference of means (of the paired differences for ``kind="paired"``).
    sd
        Common within-group SD; for ``"paired"`` the SD of the differences.
    alpha
        Two-sided level of this comparison (pass α / m for a Bonferroni plan).
    kind
        ``"two_sample"`` (Student, df = 2n − 2), ``"paired"`` / ``"one_sample"`` (df = n − 1),
        ``"anova_pairwise"``: the t of a pair on the pooled mean square error of a one-way
        ANOVA of ``k`` groups (SPSS Bonferroni post-hoc test; df = k(n − 1)).
    k
        Number of groups of the ANOVA (``"anova_pairwise"`` only).
    n2
        Size of the second group when it differs from ``n``.
    df
        Degrees of freedom when the design's differ from the balanced default (e.g. the
        ANOVA's N − k with unequal groups).

    Returns
    -------
    float

    Notes
    -----
    R equivalent: ``power.t.test(n, delta, sd, sig.level, type, strict = TRUE)`` and
    ``pwr::pwr.t.test(n, d = delta / sd, sig.level)``; G*Power "t tests – Means" with two
    tails. ANOVA pairwise: ``pt(qt(1 - a/2, df), df, ncp, lower = FALSE) + pt(-qt(1 - a/2, df),
    df, ncp)`` with df = k(n − 1) and ncp = delta / (sd · sqrt(2 / n)).

    Examples
    --------
    >>> round(power_t(20, 1.0, 1.0), 6)  # power.t.test(n = 20, delta = 1, strict = TRUE)
    0.868953
    """
    _check_alpha(alpha)
    if sd <= 0 or not np.isfinite(sd):
        msg = f"sd must be a positive number, got {sd!r}"
        raise ValueError(msg)
    dof, ncp = _t_df_ncp(float(n), float(delta), float(sd), kind, k, n2, df)
    if dof < 1:
        msg = f"n = {n} leaves {dof:g} degrees of freedom; need at least 1"
        raise ValueError(msg)
    q = sps.t.isf(alpha / 2, dof)
    ncp = abs(ncp)  # two-sided power is symmetric in the sign of the effect
    upper = float(sps.nct.sf(q, dof, ncp))
    # scipy's noncentral t returns NaN for far-tail probabilities (< 1e-300): they are 0
    lower = float(np.nan_to_num(sps.nct.cdf(-q, dof, ncp), nan=0.0))
    if np.isnan(upper):
        upper = 1.0 if ncp > q else 0.0
    return min(upper + lower, 1.0)


def n_for_power(
    fn: Callable[[float], float], power: float, *, lo: float = 2.0, hi: float = N_MAX
) -> float:
    """Smallest (fractional) n in ``[lo, hi]`` at which ``fn(n)`` reaches ``power``.

    ``inf`` when even ``hi`` does not reach it; ``lo`` when ``lo`` already does.
    """
    if not 0 < power < 1:
        msg = f"power must be between 0 and 1, got {power!r}"
        raise ValueError(msg)
    if fn(lo) >= power:
        return lo
    a, b = lo, 2 * lo
    while fn(b) < power:  # bracket by doubling
        if b >= hi:
            return float("inf")
        a, b = b, min(2 * b, hi)
    return float(optimize.brentq(lambda n: fn(n) - power, a, b, xtol=1e-10, rtol=1e-14))


def power_t_n(
    delta: float,
    sd: float = 1.0,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    kind: TKind = "two_sample",
    k: int = 2,
) -> float:
    """Fractional n per group at which :func:`power_t` reaches ``power`` (R ``power.t.test``'s
    ``n``; round up for a design). ``inf`` for a zero effect."""
    if delta == 0:
        return float("inf")
    return n_for_power(lambda n: power_t(n, delta, sd, alpha=alpha, kind=kind, k=k), power)


def power_anova(
    k: int,
    n: float,
    *,
    f: float | None = None,
    between_var: float | None = None,
    within_var: float | None = None,
    alpha: float = 0.05,
) -> float:
    """Power of the one-way ANOVA F test with ``k`` groups of ``n``.

    Give Cohen's ``f`` (SD of the group means, denominator k, over the within SD) or
    ``between_var`` (variance of the group means, denominator k − 1, as R) and ``within_var``.

    Notes
    -----
    λ = k · n · f²; power = P(F'(k − 1, k(n − 1), λ) > F crit). R equivalents:
    ``power.anova.test(groups, n, between.var, within.var, sig.level)`` and
    ``pwr::pwr.anova.test(k, n, f, sig.level)``; G*Power "ANOVA: fixed effects, omnibus,
    one-way" (total N = k · n). Cohen J (1988) Statistical Power Analysis, ch. 8.
    """
    _check_alpha(alpha)
    if f is None:
        if between_var is None or within_var is None or within_var <= 0:
            msg = "give f, or between_var and a positive within_var"
            raise ValueError(msg)
        f2 = between_var * (k - 1) / k / within_var
    else:
        f2 = f * f
    df1, df2 = k - 1.0, k * (n - 1.0)
    if k < 2 or df2 < 1:
        msg = f"k = {k} groups of n = {n} leave no residual degrees of freedom"
        raise ValueError(msg)
    crit = sps.f.isf(alpha, df1, df2)
    return float(sps.ncf.sf(crit, df1, df2, k * n * f2))


def power_anova_n(
    k: int,
    *,
    f: float | None = None,
    between_var: float | None = None,
    within_var: float | None = None,
    power: float = 0.8,
    alpha: float = 0.05,
) -> float:
    """Fractional n per group at which :func:`power_anova` reaches ``power``."""
    return n_for_power(
        lambda n: power_anova(
            k, n, f=f, between_var=between_var, within_var=within_var, alpha=alpha
        ),
        power,
    )
