"""Group comparisons: tidy table in, result tables out (pingouin style)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.errors import DesignError, SchemaError
from exodisc.stats._describe import DEFAULT_THRESHOLDS, check_columns, describe, p_to_mark
from exodisc.stats._pvalues import dunnett_p, eta2_ci, hedges_j, p_adjust, tukey_p
from exodisc.stats._registry import POSTHOCS, TESTS

__all__ = [
    "ComparisonParams",
    "ComparisonResult",
    "ErrorBars",
    "Posthoc",
    "Test",
    "compare_groups",
    "compare_in_study",
    "study_subjects",
]

Test = Literal[
    "anova",
    "welch_anova",
    "kruskal",
    "rm_anova",
    "t_student",
    "t_welch",
    "t_paired",
    "mann_whitney",
    "wilcoxon",
]
Posthoc = Literal[
    "bonferroni",
    "bonferroni_t",
    "tukey",
    "dunnett",
    "sidak",
    "holm",
    "games_howell",
    "dunn",
    "none",
]

_ADJUST = ("bonferroni", "holm", "sidak", "none")
#: Post-hoc choices each omnibus test accepts (derived from the test registry).
ALLOWED: dict[str, tuple[str, ...]] = {t.name: t.posthoc for t in TESTS.values()}
_PAIRED = {t.name for t in TESTS.values() if t.paired}
_TWO_SAMPLE = {t.name for t in TESTS.values() if t.omnibus == "per_comparison"}
TEST_NAMES = {t.name: t.title for t in TESTS.values()}
POSTHOC_NAMES = {p.name: p.title for p in POSTHOCS.values()}
ErrorBars = Literal["sd", "sem", "ci95"]


@dataclass(frozen=True)
class ComparisonParams:
    """What :func:`compare_groups` actually did (read like a mapping: ``params["test"]``).

    Attributes
    ----------
    test, test_name
        Registered test key and its words (see :data:`exodisc.stats.TESTS`).
    posthoc, posthoc_name
        Post-hoc test / correction key and its words.
    pairwise
        The pairwise test behind the comparisons, in words (``"Dunn's z"``).
    n_comparisons
        Number of declared comparisons the correction counts.
    alpha, thresholds
        Significance level and the P thresholds of one, two, three … marks.
    groups
        Groups analysed, in order.
    n_per_group
        ``((group, n), …)`` in the order of ``groups`` (``dict(...)`` gives a mapping).
    value, group, subject
        Column names used (``subject``: the donor column of paired tests, else None).
    error_bars
        Error bars the presentation draws and names: ``"sd"``, ``"sem"`` or ``"ci95"``.
    """

    test: str
    test_name: str
    posthoc: str
    posthoc_name: str
    pairwise: str
    n_comparisons: int
    alpha: float
    thresholds: tuple[float, ...]
    groups: tuple[str, ...]
    n_per_group: tuple[tuple[str, int], ...]
    value: str
    group: str
    subject: str | None = None
    error_bars: ErrorBars = "sd"

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(key)
        if key == "n_per_group":
            return dict(self.n_per_group)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.keys() else default

    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))

    def __contains__(self, key: object) -> bool:
        return key in self.keys()


@dataclass(frozen=True)
class ComparisonResult:
    """Result of :func:`compare_groups`.

    Attributes
    ----------
    descriptives
        One row per group (see :func:`exodisc.stats.describe`).
    omnibus
        ``test``, ``statistic``, ``df1``, ``df2``, ``p_value`` (+ effect sizes); one row for
        the k-group tests, one row per comparison for the two-sample tests.
    pairs
        One row per declared comparison: ``group1`` (test), ``group2`` (reference),
        ``mean_diff`` (group1 − group2), ``p_value`` (unadjusted), ``p_adj`` (after the
        post-hoc correction), ``mark``; and ``mark_family``, ``se``, ``statistic``, ``df``,
        ``ci_low``, ``ci_high`` (unadjusted 95% CI of the difference, from the pairwise
        test's SE and df; Welch's for the rank tests), ``cohens_d`` and ``hedges_g`` (pooled
        SD of the two groups, also in paired designs), ``pairwise_test``, ``correction``;
        with Tukey also ``ci_adj_low``, ``ci_adj_high`` (simultaneous 95% CI, as TukeyHSD).
    assumptions
        Shapiro–Wilk on the residuals, Levene and Brown–Forsythe tests of equal variances:
        ``check, test, statistic, df1, df2, p_value, verdict`` (empty for rank tests).
    recommendation
        A plain sentence on what the checks suggest; the test used is always the declared one.
    warnings
        Design caveats (n < 3, zero variance, dropped rows …), also for the report.
    dropped
        Input rows not analysed, with a ``reason`` column.
    params
        :class:`ComparisonParams`: what was done (test, post-hoc, pairwise test, number of
        comparisons, alpha, thresholds, groups, n per group, subject, error bars).
    """

    descriptives: pd.DataFrame
    omnibus: pd.DataFrame
    pairs: pd.DataFrame
    params: ComparisonParams
    assumptions: pd.DataFrame = field(default_factory=pd.DataFrame)
    recommendation: str = ""
    warnings: tuple[str, ...] = ()
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)


# --------------------------------------------------------------------------------- helpers
def _as_triples(comparisons: Sequence[Any] | None, groups: list[str]) -> list[tuple[str, str, str]]:
    if comparisons is None:
        return [(b, a, "*") for i, a in enumerate(groups) for b in groups[i + 1 :]]
    out = []
    for c in comparisons:
        if hasattr(c, "test") and hasattr(c, "reference"):
            out.append((str(c.test), str(c.reference), str(getattr(c, "mark", "*"))))
        elif isinstance(c, tuple | list) and len(c) in (2, 3):
            out.append((str(c[0]), str(c[1]), str(c[2]) if len(c) == 3 else "*"))
        else:
            msg = f"a comparison must be (test, reference[, mark]), got {c!r}"
            raise SchemaError(msg)
    if not out:
        msg = "no comparisons to test: the list of comparisons is empty"
        raise DesignError(msg)
    for g1, g2, _ in out:
        if g1 == g2:
            msg = f"comparison ({g1!r}, {g2!r}) compares a group with itself"
            raise DesignError(msg)
    return out


def _cohens_d(x1: np.ndarray, x2: np.ndarray) -> tuple[float, float]:
    n1, n2 = x1.size, x2.size
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * np.var(x1, ddof=1) + (n2 - 1) * np.var(x2, ddof=1)) / df)
    d = float((x1.mean() - x2.mean()) / sp) if sp > 0 else np.nan
    return d, d * hedges_j(df) if np.isfinite(d) else np.nan


def _welch_se_df(x1: np.ndarray, x2: np.ndarray) -> tuple[float, float]:
    v1, v2 = np.var(x1, ddof=1) / x1.size, np.var(x2, ddof=1) / x2.size
    se = float(np.sqrt(v1 + v2))
    df = float((v1 + v2) ** 2 / (v1**2 / (x1.size - 1) + v2**2 / (x2.size - 1)))
    return se, df


def _mw_method(x1: np.ndarray, x2: np.ndarray) -> Literal["exact", "asymptotic"]:
    """R ``wilcox.test``'s rule: exact without ties when both n < 50."""
    both = np.concatenate([x1, x2])
    no_ties = np.unique(both).size == both.size
    return "exact" if no_ties and x1.size < 50 and x2.size < 50 else "asymptotic"


def _wilcoxon(d: np.ndarray) -> tuple[float, float, str]:
    """Two-sided signed-rank test as R ``wilcox.test(paired = TRUE)``: V, P, method."""
    nz = d[d != 0]
    if nz.size == 0:
        msg = "every paired difference is zero; the Wilcoxon signed-rank test is undefined"
        raise DesignError(msg)
    ranks = sps.rankdata(np.abs(nz))
    v = float(ranks[nz > 0].sum())
    exact = nz.size == d.size and np.unique(np.abs(nz)).size == nz.size and nz.size < 50
    method: Literal["exact", "approx"] = "exact" if exact else "approx"
    res = sps.wilcoxon(nz, zero_method="wilcox", correction=not exact, method=method)
    return v, float(res.pvalue), method


# --------------------------------------------------------------------------------- main
def compare_groups(
    data: pd.DataFrame,
    *,
    value: str,
    group: str,
    subject: str | None = None,
    comparisons: Sequence[Any] | None = None,
    test: Test = "anova",
    posthoc: Posthoc = "bonferroni",
    alpha: float = 0.05,
    order: Sequence[str] | None = None,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    error_bars: ErrorBars = "sd",
) -> ComparisonResult:
    """Compare groups with the declared omnibus test and post-hoc test.

    Parameters
    ----------
    data
        Tidy table, one row per biological replicate (not modified).
    value, group
        Column names of the measured value and of the group.
    subject
        Column of the donor / subject; needed by the paired tests (``rm_anova``,
        ``t_paired``, ``wilcoxon``), which match values by it.
    comparisons
        ``(test, reference, mark)`` triples or :class:`exodisc.config.Comparison` objects
        (``study.comparisons_or_all_pairs(...)``); default all pairs of ``order``, marked ``*``
        (with ``posthoc="dunnett"``: every group against the first, as Prism does).
        The correction counts exactly these comparisons.
    test
        ``"anova"`` (default, as the paper), ``"welch_anova"``, ``"kruskal"``, ``"rm_anova"``,
        or a two-sample test applied to every comparison: ``"t_student"``, ``"t_welch"``,
        ``"t_paired"``, ``"mann_whitney"``, ``"wilcoxon"``.
    posthoc
        For ``anova``: ``"bonferroni"`` as SPSS (pairwise t on the pooled ANOVA mean square
        error, P × number of comparisons, capped at 1 — what the paper used),
        ``"bonferroni_t"`` (separate Student t-tests, then × number of comparisons),
        ``"tukey"``, ``"dunnett"`` (every comparison must share one reference), ``"sidak"``,
        ``"holm"`` (both on the pooled-MSE t), ``"none"``. For ``welch_anova``:
        ``"games_howell"`` or a correction of separate Welch t-tests. For ``kruskal``:
        ``"dunn"`` (Dunn's z with Bonferroni) or Dunn's z with ``"bonferroni"``, ``"holm"``,
        ``"sidak"``. For ``rm_anova``: paired t-tests with ``"bonferroni"``, ``"holm"``,
        ``"sidak"``. For two-sample tests: the correction across comparisons.
    alpha
        Significance level (first mark threshold).
    order
        Groups analysed, in this order (default: order of first appearance). Groups of the
        table not listed are left out and reported in ``warnings``.
    thresholds
        P thresholds of one, two, three … marks (``alpha`` replaces the first).
    error_bars
        Error bars the figures of this comparison draw (``"sd"``, ``"sem"``, ``"ci95"``);
        only recorded in ``params`` so that presentation names what it draws.

    Returns
    -------
    ComparisonResult

    Raises
    ------
    SchemaError
        A column is missing or not numeric.
    DesignError
        A group is missing or has fewer than 2 values, all values are identical, the
        post-hoc test does not fit the test, or paired data do not pair up.

    Notes
    -----
    R equivalents (all checked against stored R outputs in ``tests/reference/stats``):
    ANOVA ``aov(value ~ group)``; ``"bonferroni"`` =
    ``pairwise.t.test(value, group, pool.sd = TRUE, p.adjust.method = "bonferroni")`` (SPSS
    ONEWAY ``/POSTHOC = BONFERRONI``, Prism "Bonferroni's multiple comparisons");
    ``"bonferroni_t"`` = ``pairwise.t.test(pool.sd = FALSE, var.equal = TRUE)``; Tukey
    ``TukeyHSD(aov(...))``; Dunnett ``multcomp::glht(fit, mcp(group = "Dunnett"))``; Šidák
    ``emmeans::contrast(..., adjust = "sidak")``; Welch ``oneway.test(var.equal = FALSE)``;
    Games–Howell ``rstatix::games_howell_test``; Kruskal–Wallis ``kruskal.test``; Dunn
    ``rstatix::dunn_test``; repeated measures ``aov(value ~ group + Error(subject/group))``
    with ``pairwise.t.test(paired = TRUE)``; two-sample ``t.test`` and ``wilcox.test`` (exact
    P without ties for n < 50, else normal approximation with continuity correction).
    Assumption checks: ``shapiro.test(residuals(fit))``,
    ``car::leveneTest(center = mean)`` and ``car::leveneTest(center = median)``
    (Brown–Forsythe). The test is never switched: the checks only add a recommendation.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "v": [1, 2, 3, 4, 5, 6, 9, 8, 7.5]})
    >>> res = compare_groups(df, value="v", group="g", comparisons=[("b", "a", "*")])
    >>> res.pairs[["group1", "group2", "mean_diff"]]
      group1 group2  mean_diff
    0      b      a        3.0
    """
    check_columns(data, [value, group, subject])
    if not 0 < alpha < 1:
        msg = f"alpha must be between 0 and 1, got {alpha!r}"
        raise ValueError(msg)
    if test not in ALLOWED:
        msg = f"unknown test {test!r}; expected one of {', '.join(ALLOWED)}"
        raise DesignError(msg)
    if posthoc not in ALLOWED[test]:
        msg = (
            f"posthoc={posthoc!r} does not go with test={test!r}; "
            f"expected one of {', '.join(ALLOWED[test])}"
        )
        raise DesignError(msg)
    if test in _PAIRED and subject is None:
        msg = (
            f"test={test!r} pairs values by donor/subject: pass subject=COLUMN (in a study "
            "file, give every sample a 'donor'; each assay passes it as the subject)"
        )
        raise DesignError(msg)
    if error_bars not in ("sd", "sem", "ci95"):
        msg = f"error_bars must be 'sd', 'sem' or 'ci95', got {error_bars!r}"
        raise ValueError(msg)
    if not pd.api.types.is_numeric_dtype(data[value]):
        bad = pd.to_numeric(data[value], errors="coerce").isna() & data[value].notna()
        rows = list(data.index[bad][:5])
        msg = (
            f"column {value!r} must be numeric; rows {rows} hold "
            f"{[data.loc[r, value] for r in rows]!r}"
        )
        raise SchemaError(msg)

    cols = [group, value] + ([subject] if subject else [])
    table = data[cols].copy()
    table[group] = table[group].astype(str)
    warn: list[str] = []
    dropped_parts = []
    na = table[value].isna() | data[group].isna()
    if subject:
        na |= table[subject].isna()
    if na.any():
        dropped_parts.append(table[na].assign(reason="missing value"))
        warn.append(f"{int(na.sum())} row(s) with a missing value were left out")
    inf = ~na & ~np.isfinite(table[value].astype(float))
    if inf.any():
        rows = list(table.index[inf][:5])
        msg = f"column {value!r} holds infinite values at rows {rows}"
        raise SchemaError(msg)
    clean = table[~na]

    present = list(pd.unique(clean[group]))
    groups = [str(g) for g in order] if order is not None else present
    if comparisons is None and posthoc == "dunnett":
        comparisons = [(g, groups[0], "*") for g in groups[1:]]
    triples = _as_triples(comparisons, groups)
    needed = list(dict.fromkeys(groups + [g for t in triples for g in t[:2]]))
    missing = [g for g in needed if g not in present]
    if missing:
        msg = f"group(s) {missing} have no values in column {group!r}; groups present: {present}"
        raise DesignError(msg)
    if order is not None:
        extra = [g for g in present if g not in groups]
        outside = [g for t in triples for g in t[:2] if g not in groups]
        if outside:
            msg = f"comparison group(s) {sorted(set(outside))} are not in order={groups}"
            raise DesignError(msg)
        if extra:
            mask = clean[group].isin(extra)
            dropped_parts.append(clean[mask].assign(reason="group not in order"))
            warn.append(f"group(s) {extra} are not in the analysed order and were left out")
            clean = clean[~mask]
    samples = {g: clean.loc[clean[group] == g, value].to_numpy(dtype=float) for g in groups}
    small = [g for g, x in samples.items() if x.size < 2]
    if small:
        msg = (
            f"group(s) {small} have fewer than 2 values in column {value!r} "
            f"(n = {[samples[g].size for g in small]}); group statistics need n >= 2 per group"
        )
        raise DesignError(msg)
    few = [g for g, x in samples.items() if x.size < 3]
    if few:
        warn.append(
            f"group(s) {few} have n = 2: P values rest on very few replicates (n >= 3 advised)"
        )
    flat = [g for g, x in samples.items() if np.ptp(x) == 0]
    if len(flat) == len(groups):
        msg = (
            f"every group has zero variance (all values identical within {groups}); "
            "the test statistic is undefined"
        )
        raise DesignError(msg)
    if flat:
        if test in {"welch_anova", "t_welch"} or posthoc == "games_howell":
            msg = (
                f"group(s) {flat} have zero variance; Welch-type tests divide by each "
                "group's variance. Check the data or use test='anova'"
            )
            raise DesignError(msg)
        warn.append(f"group(s) {flat} have zero variance (all values identical)")

    paired: pd.DataFrame | None = None
    if subject is not None and test in _PAIRED:
        dup = clean.duplicated([subject, group])
        if dup.any():
            r = clean[dup].iloc[0]
            msg = (
                f"subject {r[subject]!r} has more than one value in group {r[group]!r}; "
                "paired tests need one value per subject and group (average technical "
                "replicates first)"
            )
            raise DesignError(msg)
        paired = clean.pivot(index=subject, columns=group, values=value)[groups]

    ctx = _Ctx(samples, groups, triples, test, posthoc, alpha, list(thresholds), paired)
    if test in _TWO_SAMPLE:
        omnibus, pairs = _two_sample(ctx)
    else:
        omnibus, pairs = _k_groups(ctx, warn)
    assumptions, recommendation = _assumptions(ctx, clean, group, value)
    dropped = pd.concat(dropped_parts) if dropped_parts else pd.DataFrame(columns=[*cols, "reason"])
    params = ComparisonParams(
        test=test,
        test_name=TEST_NAMES[test],
        posthoc=posthoc,
        posthoc_name=POSTHOC_NAMES[posthoc],
        pairwise=str(pairs["pairwise_test"].iloc[0]) if len(pairs) else TESTS[test].pairwise,
        n_comparisons=len(triples),
        alpha=alpha,
        thresholds=tuple([alpha, *list(thresholds)[1:]]),
        groups=tuple(groups),
        n_per_group=tuple((g, int(x.size)) for g, x in samples.items()),
        value=value,
        group=group,
        subject=subject if test in _PAIRED else None,
        error_bars=error_bars,
    )
    return ComparisonResult(
        describe(clean, value=value, group=group, order=groups),
        omnibus,
        pairs,
        params,
        assumptions,
        recommendation,
        tuple(warn),
        dropped,
    )


@dataclass
class _Ctx:
    samples: dict[str, np.ndarray]
    groups: list[str]
    triples: list[tuple[str, str, str]]
    test: str
    posthoc: str
    alpha: float
    thresholds: list[float]
    paired: pd.DataFrame | None

    def pair_arrays(self, g1: str, g2: str) -> tuple[np.ndarray, np.ndarray]:
        """Values of two groups matched by subject (paired tests)."""
        if self.paired is None:
            msg = "paired comparisons need subject=COLUMN"
            raise DesignError(msg)
        both = self.paired[[g1, g2]]
        incomplete = both.index[both.isna().any(axis=1)].tolist()
        if incomplete:
            msg = (
                f"subject(s) {incomplete} lack a value in {g1!r} or {g2!r}; "
                "paired tests need every subject in both groups"
            )
            raise DesignError(msg)
        if len(both) < 2:
            msg = f"only {len(both)} subject(s) pair {g1!r} with {g2!r}; need at least 2"
            raise DesignError(msg)
        return both[g1].to_numpy(float), both[g2].to_numpy(float)


def _finish_pairs(ctx: _Ctx, rows: list[dict[str, Any]], correction: str) -> pd.DataFrame:
    pairs = pd.DataFrame(rows)
    if correction in _ADJUST:
        pairs["p_adj"] = p_adjust(pairs["p_value"].to_numpy(float), correction)  # type: ignore[arg-type]
    pairs["p_adj"] = pairs["p_adj"].clip(upper=1.0)
    pairs["mark"] = [
        p_to_mark(p, m, alpha=ctx.alpha, thresholds=ctx.thresholds)
        for p, m in zip(pairs["p_adj"], pairs["mark_family"], strict=True)
    ]
    pairs["correction"] = correction
    front = ["group1", "group2", "mean_diff", "p_value", "p_adj", "mark", "mark_family"]
    return pairs[front + [c for c in pairs.columns if c not in front]]


def _pair_row(
    ctx: _Ctx,
    g1: str,
    g2: str,
    mark: str,
    *,
    se: float,
    df: float,
    statistic: float,
    p: float,
    pairwise_test: str,
) -> dict[str, Any]:
    x1, x2 = ctx.samples[g1], ctx.samples[g2]
    if ctx.paired is not None:
        a, b = ctx.pair_arrays(g1, g2)
        diff = float(np.mean(a - b))
    else:
        diff = float(x1.mean() - x2.mean())
    half = float(sps.t.ppf(0.975, df) * se) if np.isfinite(df) else float(1.959963984540054 * se)
    d, g = _cohens_d(x1, x2)
    return {
        "group1": g1,
        "group2": g2,
        "mean_diff": diff,
        "p_value": float(p),
        "p_adj": np.nan,
        "mark_family": mark,
        "se": se,
        "statistic": float(statistic),
        "df": float(df),
        "ci_low": diff - half,
        "ci_high": diff + half,
        "cohens_d": d,
        "hedges_g": g,
        "pairwise_test": pairwise_test,
        "n1": int(x1.size),
        "n2": int(x2.size),
    }


def _two_sample(ctx: _Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, omni = [], []
    for g1, g2, mark in ctx.triples:
        x1, x2 = ctx.samples[g1], ctx.samples[g2]
        se_w, df_w = _welch_se_df(x1, x2)
        method = ""
        if ctx.test in {"t_student", "t_welch"}:
            res = sps.ttest_ind(x1, x2, equal_var=ctx.test == "t_student")
            stat, p, df = float(res.statistic), float(res.pvalue), float(res.df)
            se = float((x1.mean() - x2.mean()) / stat) if stat != 0 else se_w
            if ctx.test == "t_student":
                sp2 = ((x1.size - 1) * x1.var(ddof=1) + (x2.size - 1) * x2.var(ddof=1)) / df
                se = float(np.sqrt(sp2 * (1 / x1.size + 1 / x2.size)))
            ci_se, ci_df = se, df
        elif ctx.test == "t_paired":
            a, b = ctx.pair_arrays(g1, g2)
            res = sps.ttest_rel(a, b)
            stat, p, df = float(res.statistic), float(res.pvalue), float(res.df)
            ci_se, ci_df = float(np.std(a - b, ddof=1) / np.sqrt(a.size)), df
        elif ctx.test == "mann_whitney":
            method = _mw_method(x1, x2)
            res = sps.mannwhitneyu(x1, x2, method=method, use_continuity=True)
            stat, p, df = float(res.statistic), float(res.pvalue), np.nan
            ci_se, ci_df = se_w, df_w
        else:  # wilcoxon
            a, b = ctx.pair_arrays(g1, g2)
            stat, p, method = _wilcoxon(a - b)
            df = np.nan
            ci_se, ci_df = float(np.std(a - b, ddof=1) / np.sqrt(a.size)), a.size - 1.0
        row = _pair_row(
            ctx,
            g1,
            g2,
            mark,
            se=ci_se,
            df=ci_df,
            statistic=stat,
            p=p,
            pairwise_test=TEST_NAMES[ctx.test],
        )
        row["df"] = df
        rows.append(row)
        omni.append(
            {
                "test": TEST_NAMES[ctx.test] + (f" ({method})" if method else ""),
                "group1": g1,
                "group2": g2,
                "statistic": stat,
                "df1": df,
                "df2": np.nan,
                "p_value": p,
            }
        )
    correction = "bonferroni" if ctx.posthoc == "bonferroni_t" else ctx.posthoc
    return pd.DataFrame(omni), _finish_pairs(ctx, rows, correction)


def _k_groups(ctx: _Ctx, warn: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    xs = [ctx.samples[g] for g in ctx.groups]
    k = len(xs)
    n = np.array([x.size for x in xs], dtype=float)
    means = np.array([x.mean() for x in xs])
    var = np.array([x.var(ddof=1) for x in xs])
    big_n = float(n.sum())
    grand = float(np.concatenate(xs).mean())
    ss_b = float((n * (means - grand) ** 2).sum())
    ss_w = float(((n - 1) * var).sum())
    df_w = big_n - k
    mse = ss_w / df_w if df_w > 0 else np.nan
    if k < 2:
        msg = f"an omnibus test needs at least 2 groups, got {ctx.groups}"
        raise DesignError(msg)

    if ctx.test == "anova":
        if df_w < 1:
            msg = "the ANOVA has no residual degrees of freedom (one value per group)"
            raise DesignError(msg)
        f = (ss_b / (k - 1)) / mse if mse > 0 else np.inf
        p = float(sps.f.sf(f, k - 1, df_w))
        lo, hi = eta2_ci(f, k - 1, df_w)
        omnibus = {
            "test": TEST_NAMES["anova"],
            "statistic": f,
            "df1": k - 1.0,
            "df2": df_w,
            "p_value": p,
            "ss_between": ss_b,
            "ss_within": ss_w,
            "ms_within": mse,
            "eta2": ss_b / (ss_b + ss_w),
            "eta2_ci_low": lo,
            "eta2_ci_high": hi,
            "omega2": (ss_b - (k - 1) * mse) / (ss_b + ss_w + mse),
        }
        omni = pd.DataFrame([omnibus])
    elif ctx.test == "welch_anova":
        w = n / var
        mw = float((w * means).sum() / w.sum())
        a_w = float((w * (means - mw) ** 2).sum() / (k - 1))
        lam = float((((1 - w / w.sum()) ** 2) / (n - 1)).sum())
        f = a_w / (1 + 2 * (k - 2) * lam / (k**2 - 1))
        df2 = (k**2 - 1) / (3 * lam)
        p = float(sps.f.sf(f, k - 1, df2))
        # Brown–Forsythe F* test of means (Brown & Forsythe 1974), as Prism reports with Welch
        c = (1 - n / big_n) * var
        f_bf = ss_b / c.sum()
        df_bf = 1 / (((c / c.sum()) ** 2) / (n - 1)).sum()
        omni = pd.DataFrame(
            [
                {"test": TEST_NAMES["welch_anova"], "statistic": f, "df1": k - 1.0,
                 "df2": df2, "p_value": p},
                {"test": "Brown–Forsythe ANOVA", "statistic": f_bf, "df1": k - 1.0,
                 "df2": df_bf, "p_value": float(sps.f.sf(f_bf, k - 1, df_bf))},
            ]
        )  # fmt: skip
    elif ctx.test == "kruskal":
        allv = np.concatenate(xs)
        if np.unique(allv).size == 1:
            msg = "every value is tied; the Kruskal–Wallis test is undefined"
            raise DesignError(msg)
        h, p = sps.kruskal(*xs)
        omni = pd.DataFrame(
            [
                {
                    "test": TEST_NAMES["kruskal"],
                    "statistic": float(h),
                    "df1": k - 1.0,
                    "df2": np.nan,
                    "p_value": float(p),
                    "eta2_h": float((h - k + 1) / (big_n - k)),
                }
            ]
        )
        if np.unique(allv).size < allv.size / 2:
            warn.append("more than half of the values are tied; rank tests lose power")
    else:  # rm_anova
        if ctx.paired is None:
            msg = "repeated-measures ANOVA needs subject=COLUMN"
            raise DesignError(msg)
        y = ctx.paired
        incomplete = y.index[y.isna().any(axis=1)].tolist()
        if incomplete:
            msg = (
                f"subject(s) {incomplete} lack a value in some group; repeated-measures "
                "ANOVA needs every subject in every group"
            )
            raise DesignError(msg)
        m = y.to_numpy(float)
        s = m.shape[0]
        gm = m.mean()
        ss_g = s * float(((m.mean(axis=0) - gm) ** 2).sum())
        ss_s = k * float(((m.mean(axis=1) - gm) ** 2).sum())
        ss_e = float(((m - gm) ** 2).sum()) - ss_g - ss_s
        df1, df2 = k - 1.0, (k - 1.0) * (s - 1.0)
        if df2 < 1:
            msg = "repeated-measures ANOVA needs at least 2 subjects"
            raise DesignError(msg)
        f = (ss_g / df1) / (ss_e / df2) if ss_e > 0 else np.inf
        # Greenhouse–Geisser ε from orthonormal contrasts of the subjects' covariance
        contrasts = np.linalg.qr(np.vstack([np.ones(k), np.eye(k)[:-1]]).T)[0][:, 1:].T
        sigma = contrasts @ np.cov(m, rowvar=False) @ contrasts.T
        eps = float(np.trace(sigma) ** 2 / ((k - 1) * np.trace(sigma @ sigma)))
        omni = pd.DataFrame(
            [
                {
                    "test": TEST_NAMES["rm_anova"],
                    "statistic": f,
                    "df1": df1,
                    "df2": df2,
                    "p_value": float(sps.f.sf(f, df1, df2)),
                    "ss_effect": ss_g,
                    "ss_subject": ss_s,
                    "ss_error": ss_e,
                    "eta2_partial": ss_g / (ss_g + ss_e),
                    "gg_epsilon": eps,
                    "p_value_gg": float(sps.f.sf(f, eps * df1, eps * df2)),
                }
            ]
        )

    rows = []
    ph = ctx.posthoc
    if ctx.test == "anova" and ph != "bonferroni_t":
        for g1, g2, mark in ctx.triples:
            x1, x2 = ctx.samples[g1], ctx.samples[g2]
            se = float(np.sqrt(mse * (1 / x1.size + 1 / x2.size)))
            t = float((x1.mean() - x2.mean()) / se) if se > 0 else np.inf
            p = float(2 * sps.t.sf(abs(t), df_w))
            rows.append(
                _pair_row(ctx, g1, g2, mark, se=se, df=df_w, statistic=t, p=p,
                          pairwise_test="t (pooled ANOVA MSE)")
            )  # fmt: skip
        if ph == "tukey":
            # simultaneous 95% CI as TukeyHSD: diff ± q(0.95; k, df) / sqrt(2) · SE
            q_crit = float(sps.studentized_range.ppf(0.95, k, df_w)) / np.sqrt(2)
            for r in rows:
                r["p_adj"] = float(tukey_p(np.array([r["statistic"]]), k, df_w)[0])
                r["ci_adj_low"] = r["mean_diff"] - q_crit * r["se"]
                r["ci_adj_high"] = r["mean_diff"] + q_crit * r["se"]
            return omni, _finish_pairs(ctx, rows, "tukey")
        if ph == "dunnett":
            refs = {t[1] for t in ctx.triples}
            if len(refs) != 1:
                msg = (
                    "Dunnett's test compares every group with ONE control; the comparisons "
                    f"have references {sorted(refs)}. Use posthoc='bonferroni' or declare "
                    "comparisons against one control"
                )
                raise DesignError(msg)
            ref = refs.pop()
            tests = [r["group1"] for r in rows]
            padj = dunnett_p(
                np.array([r["statistic"] for r in rows]),
                [ctx.samples[g].size for g in tests],
                ctx.samples[ref].size,
                df=df_w,
            )
            for r, pa in zip(rows, padj, strict=True):
                r["p_adj"] = float(pa)
            return omni, _finish_pairs(ctx, rows, "dunnett")
        return omni, _finish_pairs(ctx, rows, ph)
    if ctx.test == "anova":  # bonferroni_t
        for g1, g2, mark in ctx.triples:
            x1, x2 = ctx.samples[g1], ctx.samples[g2]
            res = sps.ttest_ind(x1, x2, equal_var=True)
            dfp = float(res.df)
            sp2 = ((x1.size - 1) * x1.var(ddof=1) + (x2.size - 1) * x2.var(ddof=1)) / dfp
            se = float(np.sqrt(sp2 * (1 / x1.size + 1 / x2.size)))
            rows.append(
                _pair_row(ctx, g1, g2, mark, se=se, df=dfp, statistic=float(res.statistic),
                          p=float(res.pvalue), pairwise_test="Student's t (two groups)")
            )  # fmt: skip
        return omni, _finish_pairs(ctx, rows, "bonferroni")
    if ctx.test == "welch_anova":
        for g1, g2, mark in ctx.triples:
            x1, x2 = ctx.samples[g1], ctx.samples[g2]
            se, dfp = _welch_se_df(x1, x2)
            t = float((x1.mean() - x2.mean()) / se)
            rows.append(
                _pair_row(ctx, g1, g2, mark, se=se, df=dfp, statistic=t,
                          p=float(2 * sps.t.sf(abs(t), dfp)), pairwise_test="Welch's t")
            )  # fmt: skip
        if ph == "games_howell":
            for r in rows:
                r["p_adj"] = float(tukey_p(np.array([r["statistic"]]), k, r["df"])[0])
            return omni, _finish_pairs(ctx, rows, "games_howell")
        return omni, _finish_pairs(ctx, rows, ph)
    if ctx.test == "kruskal":
        allv = np.concatenate(xs)
        ranks = sps.rankdata(allv)
        _, counts = np.unique(allv, return_counts=True)
        tie = float((counts**3 - counts).sum()) / (12 * (big_n - 1))
        bounds = np.cumsum([0, *[x.size for x in xs]])
        mean_rank = {g: float(ranks[bounds[i] : bounds[i + 1]].mean()) for i, g in
                     enumerate(ctx.groups)}  # fmt: skip
        for g1, g2, mark in ctx.triples:
            x1, x2 = ctx.samples[g1], ctx.samples[g2]
            se_r = float(np.sqrt((big_n * (big_n + 1) / 12 - tie) * (1 / x1.size + 1 / x2.size)))
            z = (mean_rank[g1] - mean_rank[g2]) / se_r
            se_w, df_wp = _welch_se_df(x1, x2)
            row = _pair_row(ctx, g1, g2, mark, se=se_w, df=df_wp, statistic=z,
                            p=float(2 * sps.norm.sf(abs(z))), pairwise_test="Dunn's z")  # fmt: skip
            row["df"] = np.inf
            row["se"] = se_r
            row["mean_rank_diff"] = mean_rank[g1] - mean_rank[g2]
            rows.append(row)
        return omni, _finish_pairs(ctx, rows, "bonferroni" if ph == "dunn" else ph)
    # rm_anova: paired t-tests
    for g1, g2, mark in ctx.triples:
        a, b = ctx.pair_arrays(g1, g2)
        res = sps.ttest_rel(a, b)
        se = float(np.std(a - b, ddof=1) / np.sqrt(a.size))
        rows.append(
            _pair_row(ctx, g1, g2, mark, se=se, df=float(res.df), statistic=float(res.statistic),
                      p=float(res.pvalue), pairwise_test="paired t")
        )  # fmt: skip
    return omni, _finish_pairs(ctx, rows, ph)


def _assumptions(
    ctx: _Ctx, clean: pd.DataFrame, group: str, value: str
) -> tuple[pd.DataFrame, str]:
    if ctx.test in {"kruskal", "mann_whitney", "wilcoxon"}:
        return (
            pd.DataFrame(
                columns=["check", "test", "statistic", "df1", "df2", "p_value", "verdict"]
            ),
            f"The {TEST_NAMES[ctx.test]} makes no normality assumption.",
        )
    xs = [ctx.samples[g] for g in ctx.groups]
    if ctx.paired is not None:
        m = ctx.paired.dropna().to_numpy(float)
        resid = (m - m.mean(axis=0) - m.mean(axis=1, keepdims=True) + m.mean()).ravel()
    else:
        resid = np.concatenate([x - x.mean() for x in xs])
    rows = []
    normal_ok = var_ok = True
    if resid.size >= 3 and np.ptp(resid) > 0:
        w, p = sps.shapiro(resid)
        normal_ok = bool(p >= ctx.alpha)
        rows.append(
            {"check": "normality of residuals", "test": "Shapiro–Wilk", "statistic": float(w),
             "df1": np.nan, "df2": np.nan, "p_value": float(p),
             "verdict": "consistent with normal" if normal_ok else "not normal"}
        )  # fmt: skip
    if ctx.paired is None:
        k, big_n = len(xs), sum(x.size for x in xs)
        for center, name in (("mean", "Levene"), ("median", "Brown–Forsythe")):
            with np.errstate(divide="ignore", invalid="ignore"):
                # undefined when every absolute deviation equals its group's mean (n = 2)
                stat, p = sps.levene(*xs, center=center)
            if not np.isfinite(stat):
                continue
            ok = bool(p >= ctx.alpha)
            var_ok &= ok
            rows.append(
                {"check": "equal variances", "test": name, "statistic": float(stat),
                 "df1": k - 1.0, "df2": float(big_n - k), "p_value": float(p),
                 "verdict": "similar variances" if ok else "unequal variances"}
            )  # fmt: skip
    table = pd.DataFrame(rows)
    used = TEST_NAMES[ctx.test]
    small = min(x.size for x in xs) < 6
    caveat = (
        " With so few replicates per group these checks have little power; judge from the "
        "design and earlier data too."
        if small
        else ""
    )
    if normal_ok and var_ok:
        rec = f"The checks raise no concern about the {used}'s assumptions."
    elif not normal_ok:
        alt = (
            "the Kruskal–Wallis test with Dunn's post hoc test"
            if ctx.paired is None
            else ("a Wilcoxon signed-rank test per comparison")
        )
        rec = (
            f"The residuals depart from normality; the {used} was used as declared, "
            f"but consider {alt} (test='kruskal', posthoc='dunn') or a transformation."
        )
        if ctx.paired is not None:
            rec = rec.replace(" (test='kruskal', posthoc='dunn')", " (test='wilcoxon')")
    else:
        rec = (
            f"The group variances differ; the {used} was used as declared, but consider "
            "Welch's ANOVA with Games–Howell (test='welch_anova', posthoc='games_howell')."
        )
        if ctx.test in {"welch_anova", "t_welch"}:
            rec = f"The group variances differ, which the {used} allows for."
    return table, rec + caveat


def compare_in_study(
    data: pd.DataFrame,
    study: Any,
    *,
    value: str,
    group: str = "group",
    sample: str = "sample",
    subject: str | None = None,
    statistics: Any = None,
) -> ComparisonResult:
    """:func:`compare_groups` with everything the study file declares (the assays' entry point).

    Parameters
    ----------
    data
        Tidy table with a ``group`` column of study group ids (one row per replicate).
    study
        :class:`exodisc.config.Study`: gives the group order, the declared comparisons and
        marks among the groups present, ``thresholds.alpha``, the default statistics and,
        for paired tests, each sample's ``donor``.
    value, group
        Column names of the value and of the study group id.
    sample
        Column of study sample ids; paired tests (``rm_anova`` …) take each sample's donor
        from the study file as the subject.
    subject
        Subject column to use instead of the study file's donors.
    statistics
        :class:`exodisc.config.StatisticsConfig` to use instead of ``study.statistics``
        (pass ``ctx.statistics`` inside an assay: the assay's override or the study's).

    Returns
    -------
    ComparisonResult
        Its ``params`` carry the test, post-hoc test, subject and error bars used.

    Raises
    ------
    DesignError
        Groups the study does not declare, or a paired test with samples that have no donor.

    Notes
    -----
    Groups of the study without values in ``data`` are left out of the order and of the
    comparisons (``study.comparisons_or_all_pairs(present)``).

    Examples
    --------
    >>> from exodisc.config import Study
    >>> study = Study.model_validate({
    ...     "title": "t", "groups": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "samples": [{"id": f"{g}{r}", "group": g, "replicate": r, "donor": f"D{r}"}
    ...                 for g in "ab" for r in (1, 2, 3)],
    ...     "statistics": {"test": "rm_anova", "error_bars": "sem"}})
    >>> df = pd.DataFrame({"sample": ["a1", "a2", "a3", "b1", "b2", "b3"],
    ...                    "group": list("aaabbb"), "v": [1.0, 2, 3, 2, 3.5, 4]})
    >>> res = compare_in_study(df, study, value="v")
    >>> res.params["test"], res.params["subject"], res.params["error_bars"]
    ('rm_anova', 'donor', 'sem')
    """
    check_columns(data, [value, group, subject])
    stats = statistics if statistics is not None else study.statistics
    present = set(data.loc[data[value].notna(), group].astype(str))
    unknown = sorted(present - set(study.group_ids))
    if unknown:
        msg = (
            f"column {group!r} holds group(s) {unknown} that the study does not declare "
            f"(declared: {study.group_ids})"
        )
        raise DesignError(msg)
    order = [g for g in study.group_ids if g in present]
    if subject is None and stats.test in _PAIRED:
        data, subject = _with_donors(data, study, sample=sample, test=stats.test)
    return compare_groups(
        data,
        value=value,
        group=group,
        subject=subject,
        comparisons=study.comparisons_or_all_pairs(order),
        test=stats.test,
        posthoc=stats.posthoc,
        alpha=study.thresholds.alpha,
        order=order,
        error_bars=stats.error_bars,
    )


def study_subjects(study: Any, statistics: Any = None) -> dict[str, str] | None:
    """Sample id → donor when the study's test pairs values by donor, else None.

    Parameters
    ----------
    study
        :class:`exodisc.config.Study`.
    statistics
        The assay's :class:`~exodisc.config.StatisticsConfig` (default ``study.statistics``).

    Raises
    ------
    DesignError
        The test is paired (``rm_anova`` …) and some samples have no ``donor``.

    Examples
    --------
    >>> from exodisc.config import Study
    >>> study = Study.model_validate({"title": "t", "groups": [{"id": "a", "label": "A"}],
    ...     "samples": [{"id": "a1", "group": "a", "replicate": 1, "donor": "D1"}],
    ...     "statistics": {"test": "rm_anova"}})
    >>> study_subjects(study)
    {'a1': 'D1'}
    """
    stats = statistics if statistics is not None else study.statistics
    if stats.test not in _PAIRED:
        return None
    lacking = [s.id for s in study.samples if s.donor is None]
    if lacking:
        msg = (
            f"statistics test {stats.test!r} pairs values by donor, but sample(s) "
            f"{lacking[:10]} have no 'donor' in the study file; give every sample a donor "
            "(e.g. 'donor: D1') or choose an unpaired test"
        )
        raise DesignError(msg)
    return {s.id: str(s.donor) for s in study.samples}


def _with_donors(
    data: pd.DataFrame, study: Any, *, sample: str, test: str
) -> tuple[pd.DataFrame, str]:
    """``data`` with a donor column from the study's samples (the paired tests' subject)."""
    if sample not in data.columns:
        msg = (
            f"test {test!r} pairs values by donor, but the table has no {sample!r} column "
            "to look the donors up in the study file"
        )
        raise DesignError(msg)
    donors = {s.id: s.donor for s in study.samples}
    names = data[sample].astype(str)
    lacking = sorted({n for n in names if donors.get(n) is None})
    if lacking:
        msg = (
            f"statistics test {test!r} pairs values by donor, but sample(s) {lacking[:10]} "
            "have no 'donor' in the study file; give every sample a donor (e.g. "
            "'donor: D1') or choose an unpaired test"
        )
        raise DesignError(msg)
    col = "donor" if "donor" not in data.columns else "_donor"
    return data.assign(**{col: names.map(donors)}), col
