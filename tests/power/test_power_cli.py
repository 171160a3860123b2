"""``exodisc power compare``: the contract columns, numbers-only planning, errors; edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.errors import DesignError
from exodisc.power import PLAN_COLUMNS, plan_comparisons, power_t, power_t_n

R_POWER = pd.read_csv(Path(__file__).parents[1] / "reference" / "power" / "r_power.tsv", sep="\t")


def _r(source: str, quantity: str, **kw: float) -> float:
    d = R_POWER[
        (R_POWER["source"] == source)
        & (R_POWER["quantity"] == quantity)
        & (R_POWER["kind"] == "two.sample")
    ]
    for k, v in kw.items():
        d = d[np.isclose(d[k].astype(float), v)]
    assert len(d) == 1, kw
    return float(d["value"].iloc[0])


def _data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    rows = [
        {"group": g, "donor": f"D{i + 1}", "v": mu + rng.normal(0, 1.0)}
        for g, mu in [("ctrl", 10.0), ("il1b", 6.0), ("exo", 8.5)]
        for i in range(3)
    ]
    path = tmp_path / "data.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_numbers_only_equals_power_t_test(tmp_path: Path) -> None:
    out = tmp_path / "plan.tsv"
    r = CliRunner().invoke(app, ["power", "compare", "--effect", "1.5", "--sd", "1", "--n", "3",
                                 "--test", "t_student", "-o", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns[: len(PLAN_COLUMNS)]) == PLAN_COLUMNS
    # power.t.test(n = 3, delta = 1.5, sd = 1, strict = TRUE)
    want = _r("power.t.test", "power", n=3, delta=1.5, sd=1.0, alpha=0.05)
    assert t["power_current"].iloc[0] == pytest.approx(want, abs=1e-6)
    n_r = _r("power.t.test", "n", delta=1.5, sd=1.0, alpha=0.05, target=0.8)
    assert t["n_for_power"].iloc[0] == np.ceil(n_r)


def test_compare_with_data_columns_and_ci(tmp_path: Path) -> None:
    out = tmp_path / "plan.tsv"
    args = ["--value", "v", "--group", "group", "--control", "ctrl", "-o", str(out)]
    r = CliRunner().invoke(app, ["power", "compare", str(_data(tmp_path)), *args])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns[: len(PLAN_COLUMNS)]) == PLAN_COLUMNS
    assert set(t["group2"]) == {"ctrl"} and len(t) == 2
    assert (t["n_for_power_ci_low"] <= t["n_for_power"]).all()
    assert (t["n_for_power"] <= t["n_for_power_ci_high"]).all()
    assert t["method"].str.startswith("closed form").all()
    # ANOVA + Bonferroni: noncentral t on the pooled MSE, df = N - k, alpha / 2
    row = t.iloc[0]
    want = power_t(3, row["effect"], row["sd"], alpha=0.025, kind="anova_pairwise", k=3)
    assert row["power_current"] == pytest.approx(want, abs=1e-12)


def test_compare_simulated_test_reports_mc_error(tmp_path: Path) -> None:
    out = tmp_path / "plan.tsv"
    r = CliRunner().invoke(app, ["power", "compare", str(_data(tmp_path)), "--value", "v",
                                 "--group", "group", "--posthoc", "tukey", "--n-sim", "500",
                                 "-o", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t")
    assert t["method"].str.contains("Monte-Carlo").all()
    se = t["power_current_mc_se"]
    p = t["power_current"]
    assert np.allclose(se, np.sqrt(p * (1 - p) / 500))
    assert (se > 0).any()


def test_numbers_missing_is_a_clear_error(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["power", "compare", "--effect", "1", "-o", str(tmp_path / "x")])
    assert r.exit_code != 0
    assert "--effect, --sd and --n" in r.output


def test_zero_effect_and_ci_through_zero_need_infinite_n() -> None:
    assert power_t_n(0.0, 1.0) == np.inf
    desc = pd.DataFrame({"group": ["a", "b"], "n": [3, 3], "mean": [0.0, 0.5], "sd": [1.0, 1.0]})
    pairs = pd.DataFrame({"group1": ["b"], "group2": ["a"], "mean_diff": [0.5],
                          "ci_low": [-1.8], "ci_high": [2.8]})  # fmt: skip
    plan = plan_comparisons(desc, pairs, test="t_student", posthoc="none")
    assert plan.table["n_for_power_ci_high"].iloc[0] == np.inf
    assert np.isfinite(plan.table["n_for_power"].iloc[0])


def test_bad_inputs_raise() -> None:
    desc = pd.DataFrame({"group": ["a", "b"], "n": [3, 3], "mean": [0.0, 1.0], "sd": [0.0, 0.0]})
    pairs = pd.DataFrame({"group1": ["b"], "group2": ["a"], "mean_diff": [1.0],
                          "ci_low": [0.5], "ci_high": [1.5]})  # fmt: skip
    with pytest.raises(DesignError, match="SD to plan with must be positive"):
        plan_comparisons(desc, pairs, test="anova", posthoc="tukey")
    with pytest.raises(ValueError, match="alpha must be between 0 and 1"):
        power_t(3, 1.0, alpha=1.5)
    with pytest.raises(ValueError, match="power targets"):
        plan_comparisons(desc, pairs, power=(1.2,))


def test_power_study_routes_to_the_study_command(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["power", str(tmp_path / "missing.yaml"), "-o", str(tmp_path)])
    assert r.exit_code != 0
    assert "missing.yaml" in r.output
    assert "No such command" not in r.output
