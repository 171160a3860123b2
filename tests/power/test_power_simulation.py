"""Simulation: the simulated test is the engine's test; simulation agrees with closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from exodisc.power import engine_check, power_t, q_tukey, simulate_pairs
from exodisc.power._simulate import _q_tukey_df

MEANS = {"a": 0.0, "b": 1.6, "c": 2.4, "d": 0.7}
SDS = dict.fromkeys(MEANS, 1.0)
PAIRS = [("b", "a"), ("c", "a"), ("d", "a"), ("c", "b")]

COMBOS = [
    ("anova", "bonferroni"),
    ("anova", "bonferroni_t"),
    ("anova", "holm"),
    ("anova", "tukey"),
    ("welch_anova", "games_howell"),
    ("welch_anova", "holm"),
    ("kruskal", "dunn"),
    ("rm_anova", "holm"),
    ("t_welch", "none"),
    ("mann_whitney", "none"),
    ("wilcoxon", "none"),
]


@pytest.mark.parametrize(("test", "posthoc"), COMBOS)
def test_decisions_equal_compare_groups(test: str, posthoc: str) -> None:
    # every pairwise decision on 12 simulated studies equals exodisc.stats.compare_groups'
    n = 6 if test in {"mann_whitney", "wilcoxon"} else 4
    assert engine_check(
        MEANS, SDS, n, comparisons=PAIRS, test=test, posthoc=posthoc, draws=4, seed=7
    ) == 4 * len(PAIRS)


def test_dunnett_decisions_equal_compare_groups() -> None:
    pairs = [("b", "a"), ("c", "a"), ("d", "a")]
    assert engine_check(
        MEANS, SDS, {"a": 4, "b": 3, "c": 4, "d": 5}, comparisons=pairs, test="anova",
        posthoc="dunnett", draws=6, seed=3,
    ) == 18  # fmt: skip


def test_studentized_range_quantile_matches_scipy() -> None:
    for k, df in [(3, 6.0), (5, 10.0), (4, 2.5)]:
        q = q_tukey(0.05, k, df)
        assert sps.studentized_range.sf(q, k, df) == pytest.approx(0.05, abs=1e-9)
    df = np.array([1.7, 4.2, 13.0, 80.0])
    q = _q_tukey_df(0.05, 4, df)
    assert sps.studentized_range.sf(q, 4, df) == pytest.approx([0.05] * 4, abs=1e-7)


@pytest.mark.parametrize(
    ("test", "posthoc", "kind"),
    [
        ("anova", "bonferroni", "anova_pairwise"),
        ("t_student", "none", "two_sample"),
        ("t_paired", "bonferroni", "paired"),
    ],
)
def test_simulation_within_mc_error_of_closed_form(test: str, posthoc: str, kind: str) -> None:
    n, sims = 5, 10_000
    sd = np.sqrt(2) / np.sqrt(2)  # paired: SD of differences = sqrt(2) * SD of a value
    res = simulate_pairs(
        MEANS, SDS, n, comparisons=PAIRS, test=test, posthoc=posthoc, n_sim=sims, seed=11
    ).table
    m = len(PAIRS)
    a = 0.05 / m if posthoc == "bonferroni" else 0.05
    for (g1, g2), p, se in zip(PAIRS, res["power"], res["mc_se"], strict=True):
        delta = MEANS[g1] - MEANS[g2]
        s = np.sqrt(2.0) if kind == "paired" else sd
        exact = power_t(n, delta, s, alpha=a, kind=kind, k=len(MEANS))
        assert abs(p - exact) < 4 * max(se, 1e-3), (g1, g2, p, exact)
