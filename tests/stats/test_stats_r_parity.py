"""Parity with R: every number of exodisc.stats against tests/reference/stats (R 4.2).

Tolerances (relative unless said): statistics and ordinary P values 1e-8; Tukey and
Games–Howell P (R ``ptukey`` vs scipy ``studentized_range``, both numerical) 1e-5 relative +
1e-7 absolute; Dunnett P 2e-6 absolute (R's ``mvtnorm`` was run with ``abseps = 1e-6``);
rstatix's Games–Howell P is rounded by rstatix to 3 decimals (5e-4 absolute).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.stats import compare_by, compare_groups, describe, two_way_anova

REF = Path(__file__).resolve().parents[1] / "reference" / "stats"
TABLE = pd.read_csv(REF / "reference.tsv", sep="\t", keep_default_na=False, dtype={"key": str})
EXACT = {"rtol": 1e-8, "atol": 1e-12}

ONE_WAY = {
    "plantgrowth": ("weight", "group", ["ctrl", "trt1", "trt2"]),
    "insectsprays": ("count", "spray", list("ABCDEF")),
    "chickwts": (
        "weight",
        "feed",
        ["casein", "horsebean", "linseed", "meatmeal", "soybean", "sunflower"],
    ),
    "paper": ("value", "group", ["ctrl", "il1b", "usc", "usc_gw", "exo"]),
}


def ref(case: str, key: str, quantity: str) -> float:
    hit = TABLE[(TABLE["case"] == case) & (TABLE["key"] == key) & (TABLE["quantity"] == quantity)]
    assert len(hit) == 1, (case, key, quantity, len(hit))
    return float(hit["value"].iloc[0])


def ref_pairs(case: str, quantity: str) -> dict[str, float]:
    hit = TABLE[(TABLE["case"] == case) & (TABLE["quantity"] == quantity)]
    assert len(hit) > 0, (case, quantity)
    return dict(zip(hit["key"], hit["value"].astype(float), strict=True))


def load(case: str) -> pd.DataFrame:
    return pd.read_csv(REF / "inputs" / f"{case}.tsv", sep="\t")


def pair_values(pairs: pd.DataFrame, column: str) -> dict[str, float]:
    return {
        f"{a}|{b}": float(v)
        for a, b, v in zip(pairs.group1, pairs.group2, pairs[column], strict=True)
    }


def check_pairs(got: dict[str, float], want: dict[str, float], **tol: float) -> None:
    assert set(want) <= set(got), (sorted(want), sorted(got))
    keys = sorted(want)
    np.testing.assert_allclose([got[k] for k in keys], [want[k] for k in keys], **tol)


@pytest.fixture(params=list(ONE_WAY))
def one_way(request: pytest.FixtureRequest) -> tuple[str, pd.DataFrame, str, str, list[str]]:
    case = request.param
    value, group, order = ONE_WAY[case]
    return case, load(case), value, group, order


def test_descriptives(one_way):
    case, df, value, group, order = one_way
    d = describe(df, value=value, group=group, order=order).set_index("group")
    for g in order:
        for q in ("mean", "sd", "sem", "ci95_low", "ci95_high", "median", "q1", "q3"):
            np.testing.assert_allclose(d.loc[g, q], ref(case, g, q), **EXACT)


def test_anova_omnibus_effect_sizes_and_checks(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order)
    o = res.omnibus.iloc[0]
    for ours, theirs in [("statistic", "F"), ("df1", "df1"), ("df2", "df2"), ("p_value", "p"),
                         ("eta2", "eta2"), ("omega2", "omega2"), ("eta2_ci_low", "eta2_ci_low"),
                         ("eta2_ci_high", "eta2_ci_high")]:  # fmt: skip
        np.testing.assert_allclose(o[ours], ref(case, "anova", theirs), rtol=1e-8, atol=1e-10)
    a = res.assumptions.set_index("test")
    np.testing.assert_allclose(
        a.loc["Shapiro–Wilk", "statistic"], ref(case, "shapiro", "W"), rtol=1e-6
    )
    np.testing.assert_allclose(
        a.loc["Shapiro–Wilk", "p_value"], ref(case, "shapiro", "p"), rtol=1e-5
    )
    for name, key in (("Levene", "levene_mean"), ("Brown–Forsythe", "levene_median")):
        np.testing.assert_allclose(a.loc[name, "statistic"], ref(case, key, "F"), **EXACT)
        np.testing.assert_allclose(a.loc[name, "p_value"], ref(case, key, "p"), **EXACT)


@pytest.mark.parametrize(
    ("posthoc", "quantity"),
    [("bonferroni", "pooled_bonferroni"), ("holm", "pooled_holm"), ("none", "pooled_none"),
     ("bonferroni_t", "bonferroni_t"), ("sidak", "emmeans_p_sidak")],
)  # fmt: skip
def test_anova_posthoc_matches_r(one_way, posthoc, quantity):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order, posthoc=posthoc)
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, quantity), **EXACT)


def test_spss_bonferroni_equals_emmeans_bonferroni(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order)
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, "emmeans_p_bonferroni"), **EXACT)
    check_pairs(pair_values(res.pairs, "mean_diff"), ref_pairs(case, "estimate"), **EXACT)
    check_pairs(pair_values(res.pairs, "se"), ref_pairs(case, "se"), **EXACT)
    check_pairs(pair_values(res.pairs, "statistic"), ref_pairs(case, "t"), **EXACT)


def test_tukey(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order, posthoc="tukey")
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, "tukey_p"), rtol=1e-5, atol=1e-7)
    check_pairs(pair_values(res.pairs, "mean_diff"), ref_pairs(case, "tukey_diff"), **EXACT)
    # R's documentation: "qtukey will be accurate to the 4th decimal place"
    tol = {"rtol": 1e-5, "atol": 1e-6}
    check_pairs(pair_values(res.pairs, "ci_adj_low"), ref_pairs(case, "tukey_lwr"), **tol)
    check_pairs(pair_values(res.pairs, "ci_adj_high"), ref_pairs(case, "tukey_upr"), **tol)


def test_dunnett(one_way):
    case, df, value, group, order = one_way
    comps = [(g, order[0], "*") for g in order[1:]]
    res = compare_groups(
        df, value=value, group=group, order=order, comparisons=comps, posthoc="dunnett"
    )
    check_pairs(pair_values(res.pairs, "statistic"), ref_pairs(case, "dunnett_t"), **EXACT)
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, "dunnett_p"), rtol=0, atol=2e-6)


def test_welch_and_brown_forsythe_anova(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(
        df, value=value, group=group, order=order, test="welch_anova", posthoc="games_howell"
    )
    welch, bf = res.omnibus.iloc[0], res.omnibus.iloc[1]
    for ours, theirs in (("statistic", "F"), ("df1", "df1"), ("df2", "df2"), ("p_value", "p")):
        np.testing.assert_allclose(welch[ours], ref(case, "welch", theirs), **EXACT)
    for ours, theirs in (("statistic", "F"), ("df2", "df2"), ("p_value", "p")):
        np.testing.assert_allclose(bf[ours], ref(case, "brown_forsythe", theirs), **EXACT)
    p = pair_values(res.pairs, "p_adj")
    # R's ptukey loses accuracy at very small df (Welch df < 3 in the n = 3 "paper" case:
    # 1.4e-5 absolute); test_games_howell_small_df_exact checks those values independently.
    small_df = res.pairs["df"].min() < 5
    check_pairs(p, ref_pairs(case, "gh_p_exact"), rtol=1e-5, atol=2e-5 if small_df else 1e-7)
    check_pairs(p, ref_pairs(case, "gh_p"), rtol=0, atol=5e-4 + 1e-9)
    check_pairs(pair_values(res.pairs, "mean_diff"), ref_pairs(case, "gh_estimate"), **EXACT)


def test_games_howell_small_df_exact():
    """Games–Howell P at Welch df ≈ 2.8 by direct double integration of the studentized range."""
    from scipy import stats as sps

    df = load("paper")
    res = compare_groups(
        df, value="value", group="group", test="welch_anova", posthoc="games_howell",
        comparisons=[("il1b", "ctrl")], order=["ctrl", "il1b", "usc", "usc_gw", "exo"],
    )  # fmt: skip
    row = res.pairs.iloc[0]
    q, nu, k = abs(row["statistic"]) * np.sqrt(2), row["df"], 5
    # P(Q < q) = ∫ f_S(s) k ∫ φ(z) (Φ(z) − Φ(z − q s))^(k − 1) dz ds, S = sqrt(χ²_ν / ν),
    # by Gauss–Legendre quadrature on fine grids (independent of scipy's algorithm)
    x, w = np.polynomial.legendre.leggauss(400)
    z, wz = 10 * x, 10 * w
    hi = np.sqrt(sps.chi2.isf(1e-17, nu) / nu)
    s, ws = hi / 2 * (x + 1), hi / 2 * w
    inner = k * ((sps.norm.cdf(z)[None, :] - sps.norm.cdf(z[None, :] - q * s[:, None])) ** (k - 1)
                 * sps.norm.pdf(z)[None, :]) @ wz  # fmt: skip
    cdf = float((sps.chi.pdf(s * np.sqrt(nu), nu) * np.sqrt(nu) * inner) @ ws)
    np.testing.assert_allclose(row["p_adj"], 1 - cdf, rtol=1e-8)


def test_welch_t_with_holm(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(
        df, value=value, group=group, order=order, test="welch_anova", posthoc="holm"
    )
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, "welch_holm"), **EXACT)


@pytest.mark.parametrize("posthoc", ["dunn", "holm"])
def test_kruskal_dunn(one_way, posthoc):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order, test="kruskal", posthoc=posthoc)
    o = res.omnibus.iloc[0]
    np.testing.assert_allclose(o["statistic"], ref(case, "kruskal", "H"), **EXACT)
    np.testing.assert_allclose(o["p_value"], ref(case, "kruskal", "p"), **EXACT)
    np.testing.assert_allclose(o["eta2_h"], ref(case, "kruskal", "eta2_h"), **EXACT)
    check_pairs(pair_values(res.pairs, "p_value"), ref_pairs(case, "dunn_p"), **EXACT)
    adj = "bonferroni" if posthoc == "dunn" else "holm"
    check_pairs(pair_values(res.pairs, "p_adj"), ref_pairs(case, f"dunn_p_{adj}"), **EXACT)
    # rstatix's z is mean rank of group2 minus group1 (its group2 is our group1)
    check_pairs(pair_values(res.pairs, "statistic"), ref_pairs(case, "dunn_z"), **EXACT)


@pytest.mark.parametrize(
    ("test", "stat", "p"),
    [("t_student", "student_t", "student_p"), ("t_welch", "welch_t", "welch_p"),
     ("mann_whitney", "mw_W", "mw_p")],
)  # fmt: skip
def test_two_sample_tests(one_way, test, stat, p):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order, test=test, posthoc="none")
    check_pairs(pair_values(res.pairs, "statistic"), ref_pairs(case, stat), **EXACT)
    check_pairs(pair_values(res.pairs, "p_value"), ref_pairs(case, p), **EXACT)
    if test == "t_welch":
        check_pairs(pair_values(res.pairs, "df"), ref_pairs(case, "welch_df"), **EXACT)
        check_pairs(pair_values(res.pairs, "ci_low"), ref_pairs(case, "welch_ci_low"), **EXACT)
        check_pairs(pair_values(res.pairs, "ci_high"), ref_pairs(case, "welch_ci_high"), **EXACT)


def test_effect_sizes(one_way):
    case, df, value, group, order = one_way
    res = compare_groups(df, value=value, group=group, order=order)
    check_pairs(pair_values(res.pairs, "cohens_d"), ref_pairs(case, "cohens_d"), **EXACT)
    check_pairs(pair_values(res.pairs, "hedges_g"), ref_pairs(case, "hedges_g"), **EXACT)


def test_cohens_d_agrees_with_pingouin():
    import pingouin as pg

    df = load("plantgrowth")
    res = compare_groups(df, value="weight", group="group", comparisons=[("trt2", "ctrl")])
    a = df.loc[df.group == "trt2", "weight"]
    b = df.loc[df.group == "ctrl", "weight"]
    np.testing.assert_allclose(res.pairs["cohens_d"].iloc[0], pg.compute_effsize(a, b), **EXACT)


def test_paired_two_sample_on_sleep():
    df = load("sleep")
    df["group"] = df["group"].astype(str)
    kw = {"value": "extra", "group": "group", "subject": "ID", "comparisons": [("2", "1")]}
    t = compare_groups(df, test="t_paired", posthoc="none", **kw).pairs.iloc[0]
    np.testing.assert_allclose(t["statistic"], ref("sleep", "2|1", "paired_t"), **EXACT)
    np.testing.assert_allclose(t["p_value"], ref("sleep", "2|1", "paired_p"), **EXACT)
    np.testing.assert_allclose(t["ci_low"], ref("sleep", "2|1", "paired_ci_low"), **EXACT)
    np.testing.assert_allclose(t["ci_high"], ref("sleep", "2|1", "paired_ci_high"), **EXACT)
    w = compare_groups(df, test="wilcoxon", posthoc="none", **kw).pairs.iloc[0]
    np.testing.assert_allclose(w["statistic"], ref("sleep", "2|1", "wilcoxon_V"), **EXACT)
    np.testing.assert_allclose(w["p_value"], ref("sleep", "2|1", "wilcoxon_p"), **EXACT)
    rm = compare_groups(df, test="rm_anova", **kw).omnibus.iloc[0]
    np.testing.assert_allclose(rm["statistic"], ref("sleep", "rm", "F"), **EXACT)
    np.testing.assert_allclose(rm["p_value"], ref("sleep", "rm", "p"), **EXACT)


def test_repeated_measures_anova_on_chickweight():
    df = load("chickweight_rm")
    res = compare_groups(
        df, value="weight", group="time", subject="chick", test="rm_anova",
        order=["d0", "d10", "d21"],
    )  # fmt: skip
    o = res.omnibus.iloc[0]
    for ours, theirs in (("statistic", "F"), ("df1", "df1"), ("df2", "df2"), ("p_value", "p")):
        np.testing.assert_allclose(o[ours], ref("chickweight_rm", "rm", theirs), **EXACT)
    np.testing.assert_allclose(o["gg_epsilon"], ref("chickweight_rm", "rm", "gg_eps"), **EXACT)
    np.testing.assert_allclose(o["p_value_gg"], ref("chickweight_rm", "rm", "p_gg"), **EXACT)
    check_pairs(
        pair_values(res.pairs, "p_adj"), ref_pairs("chickweight_rm", "paired_bonferroni"), **EXACT
    )
    w = compare_groups(
        df, value="weight", group="time", subject="chick", test="wilcoxon", posthoc="none",
        comparisons=[("d10", "d0"), ("d21", "d10")],
    )  # fmt: skip
    check_pairs(
        pair_values(w.pairs, "statistic"), ref_pairs("chickweight_rm", "wilcoxon_V"), **EXACT
    )
    check_pairs(pair_values(w.pairs, "p_value"), ref_pairs("chickweight_rm", "wilcoxon_p"), **EXACT)


TWO_WAY = {
    "toothgrowth": ("len", ("supp", "dose")),
    "warpbreaks": ("breaks", ("wool", "tension")),
    "mtcars": ("mpg", ("cyl", "am")),
}


@pytest.mark.parametrize("case", list(TWO_WAY))
@pytest.mark.parametrize("ss_type", ["I", "II", "III"])
def test_two_way_anova(case, ss_type):
    value, (a, b) = TWO_WAY[case]
    table = two_way_anova(load(case), value=value, factors=(a, b), ss_type=ss_type)
    t = table.set_index("source")
    for src, key in ((a, "A"), (b, "B"), (f"{a}:{b}", "A:B"), ("Residual", "Residuals")):
        np.testing.assert_allclose(t.loc[src, "ss"], ref(case, key, f"{ss_type}_ss"), **EXACT)
        if key != "Residuals":
            np.testing.assert_allclose(t.loc[src, "F"], ref(case, key, f"{ss_type}_F"), **EXACT)
            np.testing.assert_allclose(
                t.loc[src, "p_value"], ref(case, key, f"{ss_type}_p"), **EXACT
            )
    if ss_type == "I":
        for src, key in ((a, "A"), (b, "B"), (f"{a}:{b}", "A:B"), ("Residual", "Residuals")):
            assert t.loc[src, "df"] == ref(case, key, "I_df")


def test_split_plot_two_way():
    table = two_way_anova(
        load("chickweight_split"), value="weight", factors=("diet", "time"), subject="chick"
    ).set_index("source")
    for src in ("diet", "time", "diet:time"):
        for q, col in (("F", "F"), ("p", "p_value"), ("ss", "ss")):
            np.testing.assert_allclose(
                table.loc[src, col], ref("chickweight_split", src, q), **EXACT
            )
    np.testing.assert_allclose(
        table.loc["chick(diet)", "ss"], ref("chickweight_split", "chick(diet)", "ss"), **EXACT
    )
    for src in ("time", "diet:time"):
        want = ref("chickweight_split", src, "gg_eps")
        np.testing.assert_allclose(table.loc[src, "gg_epsilon"], want, **EXACT)
        want = ref("chickweight_split", src, "p_gg")
        np.testing.assert_allclose(table.loc[src, "p_value_gg"], want, **EXACT)
    assert np.isnan(table.loc["diet", "gg_epsilon"])


def test_both_within_two_way():
    table = two_way_anova(
        load("timecourse_within"), value="od", factors=("group", "time"), subject="donor"
    ).set_index("source")
    for src in ("group", "time", "group:time"):
        for q, col in (("F", "F"), ("p", "p_value"), ("ss", "ss")):
            np.testing.assert_allclose(
                table.loc[src, col], ref("timecourse_within", src, q), **EXACT
            )


def test_compare_by_time_point():
    df = load("timecourse_within")
    order = ["ctrl", "il1b", "usc", "usc_gw", "exo"]
    out = compare_by(df, by="time", value="od", group="group", order=order)
    got = {
        f"{t}:{a}|{b}": p
        for t, a, b, p in zip(out.time, out.group1, out.group2, out.p_adj, strict=True)
    }
    check_pairs(got, ref_pairs("timecourse_within", "pooled_bonferroni"), **EXACT)
    assert set(out["correction"]) == {"bonferroni, within each time"}


def test_exact_signed_rank_and_paired_t_by_donor():
    df = load("paper")
    df["donor"] = ["D1", "D2", "D3"] * 5
    comps = [("il1b", "ctrl"), ("exo", "il1b")]
    kw = {"value": "value", "group": "group", "subject": "donor", "comparisons": comps}
    w = compare_groups(df, test="wilcoxon", posthoc="none", **kw)
    assert set(w.omnibus["test"]) == {"Wilcoxon signed-rank test (exact)"}
    check_pairs(pair_values(w.pairs, "statistic"), ref_pairs("paper", "wilcoxon_exact_V"), **EXACT)
    check_pairs(pair_values(w.pairs, "p_value"), ref_pairs("paper", "wilcoxon_exact_p"), **EXACT)
    t = compare_groups(df, test="t_paired", posthoc="none", **kw)
    check_pairs(pair_values(t.pairs, "statistic"), ref_pairs("paper", "paired_t"), **EXACT)
    check_pairs(pair_values(t.pairs, "p_value"), ref_pairs("paper", "paired_p"), **EXACT)


def test_compare_by_pooled_two_way_error():
    df = load("timecourse_within")
    order = ["ctrl", "il1b", "usc", "usc_gw", "exo"]
    out = compare_by(df, by="time", value="od", group="group", order=order, error="pooled")
    keys = out.time + ":" + out.group1 + "|" + out.group2
    check_pairs(dict(zip(keys, out.statistic, strict=True)),
                ref_pairs("timecourse_within", "pooled2w_t"), **EXACT)  # fmt: skip
    check_pairs(dict(zip(keys, out.p_adj, strict=True)),
                ref_pairs("timecourse_within", "pooled2w_p_bonferroni"), **EXACT)  # fmt: skip
    simple = out.drop_duplicates("time").set_index("time")
    for h in ("h0", "h24", "h48", "h72"):
        # emmeans prints (and returns) the joint-test F rounded to 3 decimals; its P is exact
        np.testing.assert_allclose(
            simple.loc[h, "omnibus_statistic"], ref("timecourse_within", h, "simple_F"),
            rtol=0, atol=5e-4 + 1e-12,
        )  # fmt: skip
        np.testing.assert_allclose(
            simple.loc[h, "omnibus_p"], ref("timecourse_within", h, "simple_p"), **EXACT
        )
