"""Power by simulation of the declared test and post-hoc test (Monte-Carlo, seeded).

Each draw is a data set of normal values with the planned group means and SDs; every pairwise
decision is the one :func:`exodisc.stats.compare_groups` takes (``p_adj < alpha``), computed
for all draws at once with the same statistics, scipy functions and correction code, and
checked against ``compare_groups`` itself on the first draws (:func:`engine_check`).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as sps
from scipy.special import ndtr

from exodisc.errors import DesignError

__all__ = [
    "CLOSED_FORM",
    "SimulatedPower",
    "engine_check",
    "q_tukey",
    "simulate_pairs",
]

#: (test, post-hoc) pairs with an exact noncentral-t power; the rest are simulated
CLOSED_FORM = {
    ("anova", "bonferroni"),
    ("anova", "sidak"),
    ("anova", "none"),
    ("anova", "bonferroni_t"),
    ("t_student", "bonferroni"),
    ("t_student", "bonferroni_t"),
    ("t_student", "sidak"),
    ("t_student", "none"),
    ("t_paired", "bonferroni"),
    ("t_paired", "sidak"),
    ("t_paired", "none"),
    ("rm_anova", "bonferroni"),
    ("rm_anova", "sidak"),
    ("rm_anova", "none"),
}
PAIRED_TESTS = {"rm_anova", "t_paired", "wilcoxon"}
_NODES = 160


@dataclass(frozen=True)
class SimulatedPower:
    """Power of each pair from ``n_sim`` simulated studies.

    ``table``: ``group1, group2, power, mc_se`` (binomial Monte-Carlo SE, sqrt(p(1−p)/n_sim)).
    """

    table: pd.DataFrame
    n: Mapping[str, int]
    n_sim: int
    seed: int


# --------------------------------------------------------------------------- distributions
@functools.cache
def _gl(lo: float, hi: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return (hi - lo) / 2 * x + (hi + lo) / 2, (hi - lo) / 2 * w


def _ptukey(q: float, k: int, df: float) -> float:
    """P(studentized range of k normals / s < q), by Gauss–Legendre quadrature (as R ptukey)."""
    z, wz = _gl(-9.0, 9.0, _NODES)
    wz = wz * sps.norm.pdf(z)

    def wrange(w: np.ndarray) -> np.ndarray:  # P(range of k std normals < w)
        inner = np.clip(ndtr(z[None, :]) - ndtr(z[None, :] - w[:, None]), 0, 1) ** (k - 1)
        return k * (inner @ wz)

    if not np.isfinite(df):
        return float(wrange(np.array([q]))[0])
    lo = float(np.sqrt(sps.chi2.ppf(1e-15, df) / df))
    hi = float(np.sqrt(sps.chi2.isf(1e-15, df) / df))
    s, ws = _gl(lo, hi, _NODES)
    ws = ws * sps.chi.pdf(s * np.sqrt(df), df) * np.sqrt(df)
    return float(ws @ wrange(q * s))


@functools.cache
def q_tukey(alpha: float, k: int, df: float, guess: float | None = None) -> float:
    """Upper-α quantile of the studentized range (R ``qtukey(1 - alpha, k, df)``)."""

    def f(q: float) -> float:
        return 1 - _ptukey(q, k, df) - alpha

    lo, hi = (0.5, 200.0) if guess is None else (0.9 * guess, 1.15 * guess)
    if f(lo) < 0 or f(hi) > 0:
        lo, hi = 0.5, 200.0
    return float(optimize.brentq(f, lo, hi, xtol=1e-11))


@functools.cache
def _q_tukey_grid(alpha: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Critical range on Chebyshev nodes of u = 1/df in [0, 1] (Games–Howell: one Welch df
    per pair and draw, df >= 1)."""
    u = np.sort((1 - np.cos(np.pi * (np.arange(40) + 0.5) / 40)) / 2)
    u = np.concatenate([[0.0], u, [1.0]])
    q, prev = [], None
    for x in u:
        prev = q_tukey(alpha, k, 1.0 / x if x > 0 else np.inf, prev)
        q.append(prev)
    return u, np.log(np.array(q))


def _q_tukey_df(alpha: float, k: int, df: np.ndarray) -> np.ndarray:
    from scipy.interpolate import CubicSpline

    u, logq = _q_tukey_grid(alpha, k)
    return np.exp(CubicSpline(u, logq)(1.0 / np.maximum(df, 1.0)))


@functools.cache
def _dunnett_crit(alpha: float, n_tests: tuple[int, ...], n_control: int, df: float) -> float:
    from exodisc.stats import dunnett_p  # the engine's Dunnett distribution

    m = len(n_tests)

    def f(c: float) -> float:
        return float(dunnett_p(np.array([c]), list(n_tests), n_control, df=df)[0]) - alpha

    return float(optimize.brentq(f, 0.1, 60.0 + 10 * m, xtol=1e-10))


# --------------------------------------------------------------------------- decisions
def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Row-wise p.adjust of an (S, m) matrix, as the engine corrects one study's pairs."""
    m = p.shape[1]
    if method == "none":
        return p
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    if method == "sidak":
        return -np.expm1(m * np.log1p(-np.minimum(p, 1.0)))
    if method == "holm":  # R p.adjust: pmin(1, cummax((m - i + 1) * p[o]))[ro], by row
        order = np.argsort(p, axis=1, kind="stable")
        ps = np.take_along_axis(p, order, axis=1) * (m - np.arange(m))
        adj = np.minimum(np.maximum.accumulate(ps, axis=1), 1.0)
        out = np.empty_like(adj)
        np.put_along_axis(out, order, adj, axis=1)
        return out
    msg = f"unknown correction {method!r}"
    raise DesignError(msg)


def _welch(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v1 = x1.var(axis=1, ddof=1) / x1.shape[1]
    v2 = x2.var(axis=1, ddof=1) / x2.shape[1]
    t = (x1.mean(axis=1) - x2.mean(axis=1)) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (x1.shape[1] - 1) + v2**2 / (x2.shape[1] - 1))
    return t, df


def _student(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, float]:
    n1, n2 = x1.shape[1], x2.shape[1]
    df = n1 + n2 - 2.0
    sp2 = ((n1 - 1) * x1.var(axis=1, ddof=1) + (n2 - 1) * x2.var(axis=1, ddof=1)) / df
    return (x1.mean(axis=1) - x2.mean(axis=1)) / np.sqrt(sp2 * (1 / n1 + 1 / n2)), df


def _rejections(
    x: Mapping[str, np.ndarray],
    groups: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    test: str,
    posthoc: str,
    alpha: float,
) -> np.ndarray:
    """(S, m) booleans: the engine's ``p_adj < alpha`` for every draw and pair."""
    k = len(groups)
    tp = sps.t
    cols: list[np.ndarray] = []
    if test == "anova" and posthoc != "bonferroni_t":
        ns = np.array([x[g].shape[1] for g in groups], dtype=float)
        df = float(ns.sum() - k)
        mse = sum((x[g].shape[1] - 1) * x[g].var(axis=1, ddof=1) for g in groups) / df
        ts = []
        for g1, g2 in pairs:
            se = np.sqrt(mse * (1 / x[g1].shape[1] + 1 / x[g2].shape[1]))
            ts.append((x[g1].mean(axis=1) - x[g2].mean(axis=1)) / se)
        t = np.column_stack(ts)
        if posthoc == "tukey":
            return np.abs(t) * np.sqrt(2.0) > q_tukey(alpha, k, df)
        if posthoc == "dunnett":
            refs = {b for _, b in pairs}
            if len(refs) != 1:
                msg = "Dunnett's test needs every comparison against one control"
                raise DesignError(msg)
            ref = refs.pop()
            crit = _dunnett_crit(alpha, tuple(x[a].shape[1] for a, _ in pairs), x[ref].shape[1], df)
            return np.abs(t) > crit
        return _adjust(2 * tp.sf(np.abs(t), df), posthoc) < alpha
    if test in {"anova", "t_student"}:  # separate Student t-tests
        for g1, g2 in pairs:
            t1, df1 = _student(x[g1], x[g2])
            cols.append(2 * tp.sf(np.abs(t1), df1))
        corr = "bonferroni" if posthoc == "bonferroni_t" else posthoc
        return _adjust(np.column_stack(cols), corr) < alpha
    if test in {"welch_anova", "t_welch"}:
        tw, dfw = zip(*(_welch(x[a], x[b]) for a, b in pairs), strict=True)
        t, df_arr = np.column_stack(tw), np.column_stack(dfw)
        if posthoc == "games_howell":
            return np.abs(t) * np.sqrt(2.0) > _q_tukey_df(alpha, k, df_arr)
        return _adjust(2 * tp.sf(np.abs(t), df_arr), posthoc) < alpha
    if test == "kruskal":
        allv = np.concatenate([x[g] for g in groups], axis=1)
        big_n = allv.shape[1]
        ranks = sps.rankdata(allv, axis=1)
        bounds = np.cumsum([0, *[x[g].shape[1] for g in groups]])
        mr = {g: ranks[:, bounds[i] : bounds[i + 1]].mean(axis=1) for i, g in enumerate(groups)}
        for g1, g2 in pairs:
            se = np.sqrt(big_n * (big_n + 1) / 12 * (1 / x[g1].shape[1] + 1 / x[g2].shape[1]))
            cols.append(2 * sps.norm.sf(np.abs((mr[g1] - mr[g2]) / se)))
        return _adjust(np.column_stack(cols), "bonferroni" if posthoc == "dunn" else posthoc) < (
            alpha
        )
    if test in {"rm_anova", "t_paired"}:
        for g1, g2 in pairs:
            cols.append(sps.ttest_rel(x[g1], x[g2], axis=1).pvalue)
        return _adjust(np.column_stack(cols), posthoc) < alpha
    if test == "mann_whitney":
        for g1, g2 in pairs:
            exact = x[g1].shape[1] < 50 and x[g2].shape[1] < 50
            cols.append(
                sps.mannwhitneyu(
                    x[g1], x[g2], method="exact" if exact else "asymptotic",
                    use_continuity=True, axis=1,
                ).pvalue
            )  # fmt: skip
        return (
            _adjust(np.column_stack(cols), "bonferroni" if posthoc == "bonferroni_t" else posthoc)
            < alpha
        )
    if test == "wilcoxon":
        for g1, g2 in pairs:
            d = x[g1] - x[g2]
            exact = d.shape[1] < 50
            cols.append(
                sps.wilcoxon(
                    d, zero_method="wilcox", correction=not exact,
                    method="exact" if exact else "approx", axis=1,
                ).pvalue
            )  # fmt: skip
        return _adjust(np.column_stack(cols), posthoc) < alpha
    msg = f"no simulation for test={test!r}, posthoc={posthoc!r}"
    raise DesignError(msg)


def _draw(
    means: Mapping[str, float],
    sds: Mapping[str, float],
    n: Mapping[str, int],
    groups: Sequence[str],
    n_sim: int,
    seed: int,
) -> dict[str, np.ndarray]:
    key = zlib.crc32(repr((sorted(n.items()), n_sim)).encode())
    rng = np.random.default_rng([seed, key])
    return {g: rng.normal(float(means[g]), float(sds[g]), size=(n_sim, int(n[g]))) for g in groups}


def _sizes(n: int | Mapping[str, int], groups: Sequence[str]) -> dict[str, int]:
    if isinstance(n, Mapping):
        return {g: int(n[g]) for g in groups}
    return dict.fromkeys(groups, int(n))


def simulate_pairs(
    means: Mapping[str, float],
    sds: Mapping[str, float],
    n: int | Mapping[str, int],
    *,
    comparisons: Sequence[tuple[str, str]],
    test: str = "anova",
    posthoc: str = "bonferroni",
    alpha: float = 0.05,
    n_sim: int = 10_000,
    seed: int = 0,
) -> SimulatedPower:
    """Power of every comparison of the declared test by Monte-Carlo simulation.

    Parameters
    ----------
    means, sds
        Planned mean and SD of every group (normal values; for the paired tests the SD of a
        value around its donor's level: subject effects cancel in paired differences).
    n
        Values per group (an int, or one per group).
    comparisons
        ``(group1, group2)`` pairs; the correction counts exactly these.
    test, posthoc, alpha
        As :func:`exodisc.stats.compare_groups`.
    n_sim
        Number of simulated studies (≥ 10,000 for a reported result).
    seed
        Seed; the same seed, sizes and ``n_sim`` give the same draws (common random numbers
        across effects, so power curves are smooth and comparable).

    Returns
    -------
    SimulatedPower

    Notes
    -----
    A pair's power is the fraction of draws with ``p_adj < alpha``; its Monte-Carlo SE is
    sqrt(p(1 − p) / n_sim). R equivalent: a loop of ``replicate(n_sim, ...)`` over the test
    (e.g. ``rstatix::games_howell_test``), as in G*Power's lack of such designs.
    """
    groups = list(means)
    sizes = _sizes(n, groups)
    if min(sizes.values()) < 2:
        msg = f"every group needs n >= 2 to simulate, got {sizes}"
        raise DesignError(msg)
    pairs = [(str(a), str(b)) for a, b in comparisons]
    x = _draw(means, sds, sizes, groups, n_sim, seed)
    rej = _rejections(x, groups, pairs, test, posthoc, alpha)
    p = rej.mean(axis=0)
    table = pd.DataFrame(
        {
            "group1": [a for a, _ in pairs],
            "group2": [b for _, b in pairs],
            "power": p,
            "mc_se": np.sqrt(p * (1 - p) / n_sim),
        }
    )
    return SimulatedPower(table, sizes, n_sim, seed)


def engine_check(
    means: Mapping[str, float],
    sds: Mapping[str, float],
    n: int | Mapping[str, int],
    *,
    comparisons: Sequence[tuple[str, str]],
    test: str = "anova",
    posthoc: str = "bonferroni",
    alpha: float = 0.05,
    draws: int = 5,
    seed: int = 0,
) -> int:
    """Run :func:`exodisc.stats.compare_groups` on the first ``draws`` simulated studies and
    return how many pairwise decisions it takes; raise if any differs from the simulation's.
    """
    from exodisc.stats import compare_groups

    groups = list(means)
    sizes = _sizes(n, groups)
    pairs = [(str(a), str(b)) for a, b in comparisons]
    x = _draw(means, sds, sizes, groups, draws, seed)
    rej = _rejections(x, groups, pairs, test, posthoc, alpha)
    checked = 0
    for i in range(draws):
        rows = [
            {"group": g, "value": float(v), "donor": f"d{j + 1}"}
            for g in groups
            for j, v in enumerate(x[g][i])
        ]
        res = compare_groups(
            pd.DataFrame(rows),
            value="value",
            group="group",
            subject="donor" if test in PAIRED_TESTS else None,
            comparisons=[(a, b, "*") for a, b in pairs],
            test=test,  # type: ignore[arg-type]
            posthoc=posthoc,  # type: ignore[arg-type]
            alpha=alpha,
            order=groups,
        )
        got = (res.pairs["p_adj"] < alpha).to_numpy()
        if not np.array_equal(got, rej[i]):
            msg = (
                f"simulation and exodisc.stats disagree on draw {i} for test={test!r}, "
                f"posthoc={posthoc!r}: {rej[i].tolist()} vs {got.tolist()}"
            )
            raise RuntimeError(msg)
        checked += len(pairs)
    return checked
