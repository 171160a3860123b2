"""Guardrails, marks, legend, report section and command line of exodisc.stats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from exodisc.errors import DesignError, SchemaError
from exodisc.report import Report
from exodisc.stats import (
    add_comparison_to_section,
    compare_by,
    compare_groups,
    format_p,
    legend_sentence,
    p_to_mark,
    two_way_anova,
)
from exodisc.stats._cli import register

REF = Path(__file__).resolve().parents[1] / "reference" / "stats"
ORDER = ["ctrl", "il1b", "usc", "usc_gw", "exo"]
PAPER_COMPARISONS = [("il1b", "ctrl", "*"), ("usc", "il1b", "#"), ("usc_gw", "il1b", "#"),
                     ("exo", "il1b", "#"), ("usc_gw", "usc", "&")]  # fmt: skip


@pytest.fixture
def paper() -> pd.DataFrame:
    df = pd.read_csv(REF / "inputs" / "paper.tsv", sep="\t")
    df["donor"] = ["D1", "D2", "D3"] * 5
    return df


# ---------------------------------------------------------------------------- marks and P
@pytest.mark.parametrize(
    ("p", "mark"),
    [(0.05, "ns"), (0.049, "*"), (0.01, "*"), (0.0099, "**"), (0.00099, "***"),
     (0.00005, "***"), (np.nan, "ns")],
)  # fmt: skip
def test_p_to_mark_thresholds(p, mark):
    assert p_to_mark(p) == mark


def test_p_to_mark_families_and_custom_thresholds():
    from exodisc.stats import PRISM_THRESHOLDS

    assert p_to_mark(0.00005, thresholds=PRISM_THRESHOLDS) == "****"
    assert p_to_mark(0.003, "#") == "##"
    assert p_to_mark(0.003, "#", thresholds=(0.05, 0.001)) == "#"
    with pytest.raises(ValueError, match="thresholds must decrease"):
        p_to_mark(0.01, thresholds=(0.05, 0.1))


def test_format_p_never_prints_zero():
    assert format_p(1e-12) == "P < 0.001"
    assert format_p(0.04999) == "P = 0.050"
    with pytest.raises(ValueError, match="finite"):
        format_p(float("nan"))


# ---------------------------------------------------------------------------- design errors
def test_missing_column_names_all(paper):
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['val', 'grp'\]"):
        compare_groups(paper, value="val", group="grp")


def test_non_numeric_value_names_rows(paper):
    bad = paper.astype({"value": object})
    bad.loc[4, "value"] = "n.d."
    with pytest.raises(SchemaError, match=r"column 'value' must be numeric; rows \[4\]"):
        compare_groups(bad, value="value", group="group")


def test_group_with_one_value(paper):
    df = paper.drop(index=[0, 1])
    with pytest.raises(DesignError, match=r"group\(s\) \['ctrl'\] have fewer than 2 values"):
        compare_groups(df, value="value", group="group")


def test_missing_declared_group(paper):
    with pytest.raises(DesignError, match=r"group\(s\) \['mock'\] have no values in column"):
        compare_groups(paper, value="value", group="group", comparisons=[("mock", "ctrl")])


def test_all_zero_variance():
    df = pd.DataFrame({"g": list("aaabbb"), "v": [1.0] * 3 + [2.0] * 3})
    with pytest.raises(DesignError, match="every group has zero variance"):
        compare_groups(df, value="v", group="g")


def test_zero_variance_in_one_group_warns_and_blocks_welch(paper):
    df = paper.copy()
    df.loc[df.group == "ctrl", "value"] = 1.0
    res = compare_groups(df, value="value", group="group")
    assert any("zero variance" in w for w in res.warnings)
    with pytest.raises(DesignError, match=r"\['ctrl'\] have zero variance; Welch"):
        compare_groups(df, value="value", group="group", test="welch_anova",
                       posthoc="games_howell")  # fmt: skip


def test_n2_warns_and_nan_rows_are_dropped_not_silent(paper):
    df = paper.copy()
    df.loc[0, "value"] = np.nan
    res = compare_groups(df, value="value", group="group")
    assert list(res.dropped["reason"]) == ["missing value"]
    assert any("1 row(s) with a missing value" in w for w in res.warnings)
    assert any("have n = 2" in w for w in res.warnings)
    assert res.descriptives.set_index("group").loc["ctrl", "n"] == 2


def test_posthoc_must_fit_the_test(paper):
    with pytest.raises(DesignError, match="posthoc='tukey' does not go with test='kruskal'"):
        compare_groups(paper, value="value", group="group", test="kruskal", posthoc="tukey")


def test_dunnett_needs_one_control(paper):
    with pytest.raises(DesignError, match="compares every group with ONE control"):
        compare_groups(paper, value="value", group="group", comparisons=PAPER_COMPARISONS,
                       posthoc="dunnett")  # fmt: skip


def test_dunnett_default_is_every_group_against_the_first(paper):
    res = compare_groups(paper, value="value", group="group", order=ORDER, posthoc="dunnett")
    assert list(zip(res.pairs.group1, res.pairs.group2, strict=True)) == [
        (g, "ctrl") for g in ORDER[1:]
    ]


def test_paired_tests_need_subject_and_complete_pairs(paper):
    with pytest.raises(DesignError, match="pass subject=COLUMN"):
        compare_groups(paper, value="value", group="group", test="rm_anova")
    df = paper.drop(index=[14])
    with pytest.raises(DesignError, match=r"subject\(s\) \['D3'\] lack a value"):
        compare_groups(df, value="value", group="group", subject="donor", test="rm_anova")


def test_kruskal_all_ties():
    df = pd.DataFrame({"g": list("aaabbb"), "v": [1.0, 1.0, 2.0, 1.0, 1.0, 2.0]})
    res = compare_groups(df, value="v", group="g", test="kruskal", posthoc="dunn")
    assert any("tied" in w for w in res.warnings)
    flat = pd.DataFrame({"g": list("aaabbb"), "v": [1.0, 1.0, 1.0, 1.0, 1.0, 1.1]})
    with pytest.raises(DesignError, match="zero variance"):
        compare_groups(flat.assign(v=1.0), value="v", group="g", test="kruskal", posthoc="dunn")


def test_inputs_are_not_modified(paper):
    before = paper.copy()
    compare_groups(paper, value="value", group="group", subject="donor", test="rm_anova")
    pd.testing.assert_frame_equal(paper, before)


def test_never_switches_test_but_recommends(paper):
    df = paper.copy()
    df.loc[df.group == "exo", "value"] = [0.2, 0.9, 1.6]  # wildly unequal variance
    res = compare_groups(df, value="value", group="group")
    assert res.params["test"] == "anova"
    assert res.omnibus["test"].iloc[0] == "one-way ANOVA"
    assert "was used as declared, but consider" in res.recommendation
    assert res.assumptions["verdict"].isin(["not normal", "unequal variances"]).any()


def test_correction_counts_exactly_the_declared_comparisons(paper):
    full = compare_groups(paper, value="value", group="group", order=ORDER, posthoc="none")
    raw = dict(zip(zip(full.pairs.group1, full.pairs.group2, strict=True), full.pairs.p_value,
                   strict=True))  # fmt: skip
    res = compare_groups(paper, value="value", group="group", order=ORDER,
                         comparisons=PAPER_COMPARISONS)  # fmt: skip
    for row in res.pairs.itertuples():
        assert row.p_adj == pytest.approx(min(1.0, raw[(row.group1, row.group2)] * 5), rel=1e-12)
    assert list(res.pairs["mark_family"]) == ["*", "#", "#", "#", "&"]


def test_two_way_errors():
    df = pd.DataFrame({"g": ["a", "a", "b", "b"], "t": ["x", "y", "x", "x"], "v": [1.0, 2, 3, 4]})
    with pytest.raises(DesignError, match=r"empty g x t cells \(3 of 4 filled\)"):
        two_way_anova(df, value="v", factors=("g", "t"))
    with pytest.raises(DesignError, match="factor 'g' has only one level"):
        two_way_anova(df.assign(g="a"), value="v", factors=("g", "t"))


def test_compare_by_across_levels(paper):
    df = pd.concat([paper.assign(time="24h"), paper.assign(time="48h")], ignore_index=True)
    within = compare_by(df, by="time", value="value", group="group", order=ORDER)
    across = compare_by(df, by="time", value="value", group="group", order=ORDER,
                        across="bonferroni")  # fmt: skip
    np.testing.assert_allclose(across["p_adj"], np.minimum(1, within["p_adj"] * 20))
    assert across["correction"].iloc[0] == "bonferroni, then bonferroni across 2 time levels"
    with pytest.raises(DesignError, match="at time = '24h'"):
        compare_by(df, by="time", value="value", group="group", comparisons=[("x", "ctrl")])


# ---------------------------------------------------------------------------- report
def test_legend_sentence_and_section(paper):
    from exodisc.config import Comparison, Group, Study

    study = Study(
        title="t",
        groups=[Group(id="ctrl", label="Control"), Group(id="il1b", label="IL-1β"),
                Group(id="usc", label="IL-1β + USC"), Group(id="usc_gw", label="USC + GW4869"),
                Group(id="exo", label="USC-exosomes")],
        replicates=3,
        comparisons=[Comparison(test="il1b", reference="ctrl", mark="*"),
                     Comparison(test="usc", reference="il1b", mark="#"),
                     Comparison(test="usc_gw", reference="il1b", mark="#"),
                     Comparison(test="exo", reference="il1b", mark="#")],
    )  # fmt: skip
    res = compare_groups(paper, value="value", group="group", order=study.group_ids,
                         comparisons=study.comparisons_or_all_pairs())  # fmt: skip
    legend = legend_sentence(res, study=study)
    marks = dict(zip(res.pairs.group1, res.pairs.mark, strict=True))
    assert marks["il1b"] == "***"
    assert legend.startswith(
        "Data are mean ± SD of n = 3 biological replicates; one-way ANOVA with Bonferroni "
        "post hoc test; * P < 0.05, ** P < 0.01, *** P < 0.001 vs Control; #"
    )
    assert legend.endswith("vs IL-1β.")
    report = Report("r")
    sec = report.add_section("cck8", "CCK-8")
    out = add_comparison_to_section(sec, res, name="cck8_72h", value_label="Viability",
                                    study=study)  # fmt: skip
    assert out == legend
    names = [i.name for i in sec.items]
    assert names == ["cck8_72h_descriptives", "cck8_72h_omnibus", "cck8_72h_pairs",
                     "cck8_72h_assumptions"]  # fmt: skip
    sentences = " ".join(m.sentence() for m in sec.methods)
    assert [m.meta.key for m in sec.methods] == ["stats.anova_bonferroni", "stats.assumptions"]
    assert "one-way ANOVA followed by Bonferroni's post-hoc test as SPSS" in sentences
    assert "(4 declared comparisons)" in sentences
    tukey = compare_groups(paper, value="value", group="group", order=study.group_ids,
                           posthoc="tukey")  # fmt: skip
    sec2 = report.add_section("other", "Other")
    add_comparison_to_section(sec2, tukey, name="other", value_label="Viability", study=study)
    keys = [m.meta.key for m in sec2.methods]
    assert keys == ["stats.anova", "stats.posthoc.tukey", "stats.assumptions"]
    assert "one-way analysis of variance" in sec2.methods[0].sentence()
    assert any(legend in t for t in sec.paragraphs)
    assert "P < 0.001" in sec.paragraphs[-1]
    pairs = sec.items[2].frame  # type: ignore[union-attr]
    assert list(pairs.columns[:4]) == ["group1", "group2", "label1", "label2"]


# ---------------------------------------------------------------------------- command line
@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """exodisc"""

    register(app)
    return app


def test_cli_compare_writes_contract_columns(app, tmp_path):
    src = tmp_path / "plants.csv"
    pd.read_csv(REF / "inputs" / "plantgrowth.tsv", sep="\t").to_csv(src, index=False)
    out, omni = tmp_path / "pairs.tsv", tmp_path / "omni.tsv"
    r = CliRunner().invoke(app, ["stats", "compare", str(src), "--value", "weight", "--group",
                                 "group", "--posthoc", "tukey", "-o", str(out),
                                 "--omnibus", str(omni)])  # fmt: skip
    assert r.exit_code == 0, r.output
    pairs = pd.read_csv(out, sep="\t")
    assert list(pairs.columns[:6]) == ["group1", "group2", "mean_diff", "p_value", "p_adj", "mark"]
    ref = pd.read_csv(REF / "reference.tsv", sep="\t")
    want = ref[(ref.case == "plantgrowth") & (ref.quantity == "tukey_p")]
    got = dict(zip(pairs.group1 + "|" + pairs.group2, pairs.p_adj, strict=True))
    for key, value in zip(want.key, want.value, strict=True):
        assert got[key] == pytest.approx(value, rel=1e-5)
    o = pd.read_csv(omni, sep="\t")
    assert list(o.columns[:5]) == ["test", "statistic", "df1", "df2", "p_value"]


def test_cli_compare_control_and_errors(app, tmp_path):
    src = tmp_path / "plants.tsv"
    pd.read_csv(REF / "inputs" / "plantgrowth.tsv", sep="\t").to_csv(src, sep="\t", index=False)
    out = tmp_path / "d.tsv"
    r = CliRunner().invoke(app, ["stats", "compare", str(src), "--value", "weight", "--group",
                                 "group", "--posthoc", "dunnett", "--control", "ctrl",
                                 "-o", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert set(pd.read_csv(out, sep="\t")["group2"]) == {"ctrl"}
    bad = CliRunner().invoke(app, ["stats", "compare", str(src), "--value", "wt", "--group",
                                   "group", "-o", str(out)])  # fmt: skip
    assert bad.exit_code == 1
    assert "missing column(s) ['wt']" in bad.output
    nofile = CliRunner().invoke(app, ["stats", "compare", str(tmp_path / "x.csv"), "--value",
                                      "v", "--group", "g", "-o", str(out)])  # fmt: skip
    assert nofile.exit_code == 1
    assert "x.csv: file not found" in nofile.output
    ctl = CliRunner().invoke(app, ["stats", "compare", str(src), "--value", "weight", "--group",
                                   "group", "--control", "mock", "-o", str(out)])  # fmt: skip
    assert ctl.exit_code == 2
    assert "--control 'mock' is not a level" in ctl.output


def test_two_way_in_section():
    from exodisc.stats import add_two_way_to_section

    tc = pd.read_csv(REF / "inputs" / "timecourse_within.tsv", sep="\t")
    table = two_way_anova(tc, value="od", factors=("group", "time"), subject="donor")
    sec = Report("r").add_section("cck8", "CCK-8")
    text = add_two_way_to_section(sec, table, name="cck8_two_way", value_label="OD450",
                                  factors=("group", "time"), subject="donor")  # fmt: skip
    assert text.startswith("OD450, two-way ANOVA — group: F(4, 8) = ")
    assert "group:time: F(12, 24) = " in text
    assert [i.name for i in sec.items] == ["cck8_two_way"]
    assert "two-way ANOVA with interaction (group x time" in sec.methods[0].sentence()


def test_compare_by_pooled_needs_anova(paper):
    df = pd.concat([paper.assign(time="24h"), paper.assign(time="48h")], ignore_index=True)
    with pytest.raises(DesignError, match="error='pooled' needs test='anova'"):
        compare_by(df, by="time", value="value", group="group", test="kruskal",
                   posthoc="dunn", error="pooled")  # fmt: skip


def test_compare_in_study_uses_declared_comparisons_and_settings(paper):
    from exodisc.config import Comparison, Group, StatisticsConfig, Study
    from exodisc.stats import compare_in_study

    study = Study(
        title="t",
        groups=[Group(id=g, label=g.upper()) for g in ORDER],
        replicates=3,
        comparisons=[Comparison(test="il1b", reference="ctrl", mark="*"),
                     Comparison(test="exo", reference="il1b", mark="#")],
    )  # fmt: skip
    res = compare_in_study(paper, study, value="value")
    assert list(res.pairs["group1"]) == ["il1b", "exo"]
    assert res.params["posthoc"] == "bonferroni" and res.params["n_comparisons"] == 2
    tukey = compare_in_study(paper, study, value="value",
                             statistics=StatisticsConfig(posthoc="tukey"))  # fmt: skip
    assert tukey.params["posthoc"] == "tukey"
    sub = paper[paper.group != "exo"]
    assert list(compare_in_study(sub, study, value="value").pairs["group1"]) == ["il1b"]
    with pytest.raises(DesignError, match=r"holds group\(s\) \['mock'\] that the study"):
        compare_in_study(paper.replace({"group": {"exo": "mock"}}), study, value="value")


def test_variance_checks_skipped_when_undefined():
    # n = 2 per group: every |x - mean| equals its group's, so Levene's statistic is 0/0
    df = pd.DataFrame({"g": list("aabbcc"), "v": [1.0, 2.0, 3.0, 5.0, 2.0, 2.5]})
    res = compare_groups(df, value="v", group="g")
    assert "Levene" not in set(res.assumptions["test"])
    assert np.isfinite(res.omnibus["p_value"].iloc[0])
