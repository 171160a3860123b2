"""Two-way ANOVA (group x time) and per-level comparisons (e.g. per time point)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.errors import DesignError
from exodisc.stats._compare import compare_groups
from exodisc.stats._describe import check_columns
from exodisc.stats._pvalues import p_adjust

__all__ = ["compare_by", "two_way_anova"]

_COLUMNS = [
    "source", "ss", "df", "ms", "F", "p_value", "eta2", "eta2_partial", "error_term",
    "gg_epsilon", "p_value_gg",
]  # fmt: skip


def two_way_anova(
    data: pd.DataFrame,
    *,
    value: str,
    factors: tuple[str, str],
    subject: str | None = None,
    ss_type: Literal["I", "II", "III"] = "II",
) -> pd.DataFrame:
    """Two-way ANOVA with interaction, e.g. group x time of a CCK-8 time course.

    Parameters
    ----------
    data
        Tidy table, one row per observation (not modified).
    value
        Column of the measured value.
    factors
        The two factor columns ``(A, B)``, e.g. ``("group", "time")``.
    subject
        Column of the donor / subject for repeated measures. A factor whose every level
        holds every subject is within-subject; the other is between-subject. The design
        must be complete (one value per subject and within-subject cell).
    ss_type
        Sums of squares without ``subject``: ``"I"`` (sequential, R ``aov``), ``"II"``
        (default, R ``car::Anova(type = 2)``) or ``"III"`` (SPSS / Prism default,
        ``car::Anova(type = 3)`` with sum-to-zero contrasts). The three agree for
        balanced designs.

    Returns
    -------
    pandas.DataFrame
        ``source, ss, df, ms, F, p_value, eta2, eta2_partial, error_term, gg_epsilon,
        p_value_gg``; sources are ``A``, ``B``, ``A:B`` (named by the columns) and the
        residual / error strata. ``gg_epsilon`` / ``p_value_gg`` (Greenhouse–Geisser) are
        given for the within-subject effects of a split-plot design (one factor between,
        one within) and are NaN (not applicable) elsewhere.

    Notes
    -----
    R equivalents: ``aov(value ~ A * B)``, ``car::Anova(lm(value ~ A * B), type = 2)``;
    with ``subject``: ``aov(value ~ A * B + Error(subject / B))`` (B within, A between) or
    ``aov(value ~ A * B + Error(subject / (A * B)))`` (both within), as SPSS GLM repeated
    measures without sphericity correction. Checked against stored R outputs.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aabbaabb"), "t": list("xxxxyyyy"),
    ...                    "v": [1.0, 2, 3, 4, 2, 3, 6, 8]})
    >>> two_way_anova(df, value="v", factors=("g", "t"))["source"].tolist()
    ['g', 't', 'g:t', 'Residual']
    """
    a, b = factors
    check_columns(data, [value, a, b, subject])
    if a == b:
        msg = f"the two factors must differ, got {factors!r}"
        raise DesignError(msg)
    cols = [value, a, b] + ([subject] if subject else [])
    d = data[cols].dropna().copy()
    if len(d) < len(data):
        msg = (
            f"{len(data) - len(d)} row(s) have a missing value in {cols}; drop or fill "
            "them before the two-way ANOVA"
        )
        raise DesignError(msg)
    for f in (a, b):
        d[f] = d[f].astype(str)
        if d[f].nunique() < 2:
            msg = f"factor {f!r} has only one level ({d[f].iloc[0]!r}); a two-way ANOVA needs 2+"
            raise DesignError(msg)
    cells = d.groupby([a, b]).size()
    n_levels = d[a].nunique() * d[b].nunique()
    if len(cells) < n_levels:
        msg = f"the design has empty {a} x {b} cells ({len(cells)} of {n_levels} filled)"
        raise DesignError(msg)
    if subject is None:
        return _between(d, value, a, b, ss_type)
    return _repeated(d, value, a, b, subject)


def _finish(rows: list[dict[str, Any]], ss_total: float) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["ms"] = out["ss"] / out["df"]
    out["eta2"] = out["ss"] / ss_total
    for c in ("F", "p_value", "eta2_partial", "error_term", "gg_epsilon", "p_value_gg"):
        if c not in out:
            out[c] = np.nan
    return out[_COLUMNS]


def _between(
    d: pd.DataFrame, value: str, a: str, b: str, ss_type: Literal["I", "II", "III"]
) -> pd.DataFrame:
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    frame = pd.DataFrame({"y": d[value].astype(float), "A": d[a], "B": d[b]})
    formula = "y ~ C(A, Sum) * C(B, Sum)"
    fit = smf.ols(formula, data=frame).fit()
    typ = {"I": 1, "II": 2, "III": 3}[ss_type]
    table = anova_lm(fit, typ=typ)
    names = {"C(A, Sum)": a, "C(B, Sum)": b, "C(A, Sum):C(B, Sum)": f"{a}:{b}"}
    resid_ss = float(table.loc["Residual", "sum_sq"])
    resid_df = float(table.loc["Residual", "df"])
    if resid_df < 1 or resid_ss <= 0:
        msg = "the two-way ANOVA has no residual variation (one value per cell?)"
        raise DesignError(msg)
    rows = []
    for src, new in names.items():
        ss, df = float(table.loc[src, "sum_sq"]), float(table.loc[src, "df"])
        f = (ss / df) / (resid_ss / resid_df)
        rows.append(
            {"source": new, "ss": ss, "df": df, "F": f,
             "p_value": float(sps.f.sf(f, df, resid_df)),
             "eta2_partial": ss / (ss + resid_ss), "error_term": "Residual"}
        )  # fmt: skip
    rows.append({"source": "Residual", "ss": resid_ss, "df": resid_df})
    ss_total = float(((frame["y"] - frame["y"].mean()) ** 2).sum())
    return _finish(rows, ss_total)


def _repeated(d: pd.DataFrame, value: str, a: str, b: str, subject: str) -> pd.DataFrame:
    d = d.assign(**{subject: d[subject].astype(str)})
    la, lb = sorted(d[a].unique()), sorted(d[b].unique())
    within = {f: bool((d.groupby(subject)[f].nunique() == d[f].nunique()).all()) for f in (a, b)}
    if not within[a] and not within[b]:
        msg = (
            f"no factor varies within {subject!r}: every subject sits in one {a} and one "
            f"{b}; drop subject= for a between-subjects two-way ANOVA"
        )
        raise DesignError(msg)
    if within[a] and not within[b]:
        a, b, la, lb = b, a, lb, la  # make B the within factor
    if d.duplicated([subject, a, b]).any():
        r = d[d.duplicated([subject, a, b])].iloc[0]
        msg = (
            f"subject {r[subject]!r} has several values in cell ({r[a]!r}, {r[b]!r}); "
            "average technical replicates first"
        )
        raise DesignError(msg)
    y = d[value].astype(float).to_numpy()
    gm = float(y.mean())
    ss_total = float(((y - gm) ** 2).sum())

    def ss_of(keys: list[str]) -> float:
        """SS of the cell means of ``keys`` around the grand mean (weighted by counts)."""
        g = d.groupby(keys)[value]
        return float((g.count() * (g.mean() - gm) ** 2).sum())

    n_sub = d[subject].nunique()
    if within[a] and within[b]:
        full = d.groupby(subject).size()
        if (full != len(la) * len(lb)).any():
            bad = full.index[full != len(la) * len(lb)].tolist()
            msg = f"subject(s) {bad} lack some {a} x {b} cells; the design must be complete"
            raise DesignError(msg)
        ss_a, ss_b, ss_s = ss_of([a]), ss_of([b]), ss_of([subject])
        ss_ab = ss_of([a, b]) - ss_a - ss_b
        ss_as = ss_of([a, subject]) - ss_a - ss_s
        ss_bs = ss_of([b, subject]) - ss_b - ss_s
        ss_abs = ss_total - ss_a - ss_b - ss_ab - ss_s - ss_as - ss_bs
        dfa, dfb, dfs = len(la) - 1.0, len(lb) - 1.0, n_sub - 1.0
        terms = [
            (a, ss_a, dfa, ss_as, dfa * dfs, f"{a}:{subject}"),
            (b, ss_b, dfb, ss_bs, dfb * dfs, f"{b}:{subject}"),
            (f"{a}:{b}", ss_ab, dfa * dfb, ss_abs, dfa * dfb * dfs, f"{a}:{b}:{subject}"),
        ]
        errors = [
            (f"{subject}", ss_s, dfs),
            (f"{a}:{subject}", ss_as, dfa * dfs),
            (f"{b}:{subject}", ss_bs, dfb * dfs),
            (f"{a}:{b}:{subject}", ss_abs, dfa * dfb * dfs),
        ]
    else:
        counts = d.groupby(subject).size()
        if (counts != len(lb)).any():
            bad = counts.index[counts != len(lb)].tolist()
            msg = f"subject(s) {bad} lack some levels of {b!r}; the design must be complete"
            raise DesignError(msg)
        ss_a, ss_s_total = ss_of([a]), ss_of([subject])
        ss_s_a = ss_s_total - ss_a
        ss_b = ss_of([b])
        ss_ab = ss_of([a, b]) - ss_a - ss_b
        ss_err = ss_total - ss_s_total - ss_b - ss_ab
        dfa, dfb = len(la) - 1.0, len(lb) - 1.0
        df_sa = n_sub - len(la) * 1.0
        df_err = df_sa * dfb
        terms = [
            (a, ss_a, dfa, ss_s_a, df_sa, f"{subject}({a})"),
            (b, ss_b, dfb, ss_err, df_err, f"{b}:{subject}({a})"),
            (f"{a}:{b}", ss_ab, dfa * dfb, ss_err, df_err, f"{b}:{subject}({a})"),
        ]
        errors = [(f"{subject}({a})", ss_s_a, df_sa), (f"{b}:{subject}({a})", ss_err, df_err)]
        eps = _gg_split_plot(d, value, a, b, subject, lb)
    rows = []
    for name, ss, df, ss_e, df_e, err in terms:
        if df_e < 1 or ss_e <= 0:
            msg = f"no error variation left to test {name!r} (too few subjects?)"
            raise DesignError(msg)
        f = (ss / df) / (ss_e / df_e)
        row = {"source": name, "ss": ss, "df": df, "F": f,
               "p_value": float(sps.f.sf(f, df, df_e)),
               "eta2_partial": ss / (ss + ss_e), "error_term": err}  # fmt: skip
        if not (within[a] and within[b]) and name != a:
            row["gg_epsilon"] = eps
            row["p_value_gg"] = float(sps.f.sf(f, eps * df, eps * df_e))
        rows.append(row)
    rows += [{"source": n, "ss": s, "df": df} for n, s, df in errors]
    return _finish(rows, ss_total)


def _gg_split_plot(
    d: pd.DataFrame, value: str, a: str, b: str, subject: str, lb: list[str]
) -> float:
    """Greenhouse–Geisser ε of the within factor ``b`` from the pooled within-``a`` covariance."""
    wide = d.pivot(index=subject, columns=b, values=value)[lb]
    between = d.drop_duplicates(subject).set_index(subject)[a].reindex(wide.index)
    resid = wide - wide.groupby(between).transform("mean")
    y = resid.to_numpy(float)
    dof = y.shape[0] - between.nunique()
    cov = y.T @ y / dof
    k = len(lb)
    basis = np.linalg.qr(np.vstack([np.ones(k), np.eye(k)[:-1]]).T)[0][:, 1:].T
    sigma = basis @ cov @ basis.T
    return float(np.trace(sigma) ** 2 / ((k - 1) * np.trace(sigma @ sigma)))


def compare_by(
    data: pd.DataFrame,
    *,
    by: str,
    value: str,
    group: str,
    across: Literal["none", "bonferroni", "holm", "sidak"] = "none",
    error: Literal["level", "pooled"] = "level",
    **kwargs: Any,
) -> pd.DataFrame:
    """Compare groups separately at each level of ``by`` (e.g. at each time point).

    Parameters
    ----------
    data
        Tidy table (not modified).
    by
        Column whose levels are analysed separately, e.g. ``"time"``.
    value, group
        As in :func:`exodisc.stats.compare_groups`.
    across
        Further correction of ``p_adj`` across the levels of ``by`` (the number of levels
        × comparisons per level for ``"bonferroni"``); ``"none"`` (default, as the paper)
        corrects within each level only. The correction used is in column ``correction``.
    error
        ``"level"`` (default): each level's own one-way ANOVA error (SPSS, one ANOVA per time
        point). ``"pooled"``: the residual mean square of the whole two-way cell-means model
        (Prism's multiple comparisons after a two-way ANOVA; R
        ``emmeans(aov(value ~ group * by), pairwise ~ group | by)``); only with
        ``test="anova"`` and a pooled-error post-hoc test. The omnibus columns then hold the
        simple-effect F test of each level on the pooled error (R ``joint_tests(fit, by=)``).
    **kwargs
        Passed to :func:`exodisc.stats.compare_groups` (``test``, ``posthoc``,
        ``comparisons``, ``order``, ``alpha``, ``subject`` …).

    Returns
    -------
    pandas.DataFrame
        The ``pairs`` of every level stacked, with ``by`` first, then the omnibus
        ``omnibus_test``, ``omnibus_statistic``, ``omnibus_p`` of that level, and
        ``p_adj_within`` (correction within the level only).

    Notes
    -----
    Prism's "multiple comparisons at each time point"; R
    ``emmeans(fit, pairwise ~ group | time)`` corrects within each time point in the same way.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.stats import compare_by
    >>> df = pd.DataFrame({"time": ["24h"] * 6 + ["72h"] * 6, "g": list("aaabbb") * 2,
    ...                    "v": [1.0, 2, 3, 4, 5, 6.5, 1, 2, 3, 7, 8, 9]})
    >>> res = compare_by(df, by="time", value="v", group="g")
    >>> res[["time", "group1", "group2", "mean_diff"]]
      time group1 group2  mean_diff
    0  24h      b      a   3.166667
    1  72h      b      a   6.000000
    """
    check_columns(data, [by, value, group])
    from exodisc.stats._describe import p_to_mark

    levels = list(pd.unique(data[by].dropna()))
    if not levels:
        msg = f"column {by!r} has no values"
        raise DesignError(msg)
    parts = []
    alpha = kwargs.get("alpha", 0.05)
    for lv in levels:
        sub = data[data[by] == lv]
        try:
            res = compare_groups(sub, value=value, group=group, **kwargs)
        except DesignError as exc:
            msg = f"at {by} = {lv!r}: {exc}"
            raise DesignError(msg) from None
        pairs = res.pairs.copy()
        omni = res.omnibus.iloc[0]
        pairs.insert(0, by, lv)
        pairs["omnibus_test"] = omni["test"]
        pairs["omnibus_statistic"] = omni["statistic"]
        pairs["omnibus_p"] = omni["p_value"]
        if error == "pooled":
            pairs, omni_f = _pooled(pairs, res, data, by, value, group, kwargs)
            pairs["omnibus_test"] = "simple-effect F (pooled two-way error)"
            pairs["omnibus_statistic"], pairs["omnibus_p"] = omni_f
        parts.append(pairs)
    out = pd.concat(parts, ignore_index=True)
    out["p_adj_within"] = out["p_adj"]
    if across != "none":
        out["p_adj"] = p_adjust(out["p_adj_within"].to_numpy(float), across)
        out["mark"] = [
            p_to_mark(p, m, alpha=alpha, thresholds=kwargs.get("thresholds"))
            for p, m in zip(out["p_adj"], out["mark_family"],
                                                         strict=True)
        ]  # fmt: skip
        out["correction"] = out["correction"] + f", then {across} across {len(levels)} {by} levels"
    else:
        out["correction"] = out["correction"] + f", within each {by}"
    if error == "pooled":
        out["correction"] = out["correction"] + " (pooled two-way error)"
    return out


def _pooled(
    pairs: pd.DataFrame,
    res: Any,
    data: pd.DataFrame,
    by: str,
    value: str,
    group: str,
    kwargs: dict[str, Any],
) -> tuple[pd.DataFrame, tuple[float, float]]:
    """Redo one level's pooled-MSE comparisons with the two-way model's residual error."""
    from exodisc.stats._pvalues import dunnett_p, tukey_p

    posthoc = res.params["posthoc"]
    if res.params["test"] != "anova" or posthoc not in {
        "bonferroni", "holm", "sidak", "none", "tukey", "dunnett"
    }:  # fmt: skip
        msg = (
            "error='pooled' needs test='anova' with a pooled-error post-hoc test "
            f"(bonferroni, holm, sidak, none, tukey, dunnett), got {res.params['test']!r} "
            f"with {posthoc!r}"
        )
        raise DesignError(msg)
    groups = [str(g) for g in res.params["groups"]]
    d = data[[by, group, value]].dropna()
    d = d[d[group].astype(str).isin(groups)]
    cells = d.groupby([by, d[group].astype(str)])[value]
    df_pool = float(len(d) - cells.ngroups)
    if df_pool < 1:
        msg = "the pooled two-way error has no degrees of freedom (one value per cell)"
        raise DesignError(msg)
    mse = float((cells.var(ddof=1) * (cells.count() - 1)).sum()) / df_pool
    out = pairs.copy()
    se = np.sqrt(mse * (1 / out["n1"] + 1 / out["n2"]))
    t = out["mean_diff"] / se
    out["se"], out["statistic"], out["df"] = se, t, df_pool
    out["p_value"] = 2 * sps.t.sf(np.abs(t), df_pool)
    half = sps.t.ppf(0.975, df_pool) * se
    out["ci_low"], out["ci_high"] = out["mean_diff"] - half, out["mean_diff"] + half
    k = len(groups)
    if posthoc == "tukey":
        out["p_adj"] = tukey_p(t.to_numpy(float), k, df_pool)
    elif posthoc == "dunnett":
        ref = str(out["group2"].iloc[0])
        n_ref = int(res.descriptives.set_index("group").loc[ref, "n"])
        out["p_adj"] = dunnett_p(t.to_numpy(float), out["n1"].tolist(), n_ref, df=df_pool)
    else:
        out["p_adj"] = p_adjust(out["p_value"].to_numpy(float), posthoc)
    from exodisc.stats._describe import p_to_mark

    out["mark"] = [
        p_to_mark(p, m, alpha=res.params["alpha"], thresholds=res.params["thresholds"])
        for p, m in zip(out["p_adj"], out["mark_family"], strict=True)
    ]
    desc = res.descriptives
    grand = float((desc["n"] * desc["mean"]).sum() / desc["n"].sum())
    ss_b = float((desc["n"] * (desc["mean"] - grand) ** 2).sum())
    f = (ss_b / (k - 1)) / mse
    return out, (f, float(sps.f.sf(f, k - 1, df_pool)))
