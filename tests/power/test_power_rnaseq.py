"""RNA-seq power: single gene against Hart et al. 2013; simulations against their own truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.power import hart_n, hart_power, simulate_rnaseq


def test_hart_formula_inverts() -> None:
    n = hart_n(20, 0.4, 2.0, power=0.9)
    assert hart_power(20, 0.4, 2.0, n=n) == pytest.approx(0.9, abs=1e-12)
    # doubling depth only shrinks the Poisson part: 1/depth + cv^2
    assert hart_n(40, 0.4, 2.0) < hart_n(20, 0.4, 2.0)


def test_single_gene_power_matches_hart_formula() -> None:
    """Genes with one mean and dispersion: the engine's Wald-test power vs the formula."""
    from exodisc.omics.de import counts_to_anndata, run_de

    rng = np.random.default_rng(3)
    n, mu, disp, g = 5, 60.0, 0.09, 600
    lfc = np.zeros(g)
    lfc[:200] = 1.0
    lfc[200:400] = -1.0
    size = 1 / disp
    m_ref = np.repeat(mu * np.ones(g)[:, None], n, 1)
    m_test = np.repeat((mu * 2.0**lfc)[:, None], n, 1)
    means = np.hstack([m_ref, m_test])
    counts = rng.negative_binomial(size, size / (size + means))
    sheet = pd.DataFrame({"group": ["r"] * n + ["t"] * n}, index=[f"s{i}" for i in range(2 * n)])
    frame = pd.DataFrame(counts, index=[f"g{i}" for i in range(g)], columns=sheet.index)
    res = run_de(counts_to_anndata(frame, sheet), "~ group", ("group", "t", "r"), alpha=0.05)
    p = res.table["p_value"].to_numpy(float)
    up = float((p[:200] < 0.05).mean())
    down = float((p[200:400] < 0.05).mean())
    expect_up = hart_power(mu, np.sqrt(disp), 2.0, n=n, depth2=2 * mu)
    expect_down = hart_power(mu, np.sqrt(disp), 2.0, n=n, depth2=mu / 2)
    # binomial SE of 200 genes ~0.03; the formula is a normal approximation
    assert up == pytest.approx(expect_up, abs=0.08)
    assert down == pytest.approx(expect_down, abs=0.08)
    assert float((p[400:] < 0.05).mean()) < 0.1  # null genes keep the level


def test_simulation_recovers_its_own_truth() -> None:
    rng = np.random.default_rng(0)
    g = 300
    mu = np.exp(rng.normal(5, 1.2, g))
    table = pd.DataFrame(
        {
            "feature_id": [f"g{i}" for i in range(g)],
            "base_mean": mu,
            "dispersion": 0.04 + 1 / mu,
            "log2_fold_change": np.where(np.arange(g) < 40, 2.0, 0.1),
            "padj": np.where(np.arange(g) < 40, 0.001, 0.5),
        }
    )
    sim = simulate_rnaseq(table, n_per_group=[2, 6], n_sim=2, fdr=0.05, seed=1)
    s = sim.summary.set_index("n")
    assert (s["true_de"] == 40).all()  # default truth: the called features, observed LFC
    assert s.loc[6, "true_found_mean"] > s.loc[2, "true_found_mean"]
    assert s.loc[6, "sensitivity"] > 0.8
    assert (s["found_mean"] >= s["true_found_mean"]).all()
    assert s.loc[6, "fdp_mean"] < 0.2
    runs = sim.runs
    assert (runs["called"] == runs["true_positive"] + runs["false_positive"]).all()
    by = sim.by_expression
    assert set(by["n"]) == {2, 6}
    assert by.groupby("n")["true_de"].sum().eq(40).all()


@pytest.mark.slow
def test_simulation_is_the_same_in_worker_processes() -> None:
    """Every study has its own seed: two spawned workers give exactly the serial result."""
    rng = np.random.default_rng(4)
    g = 150
    mu = np.exp(rng.normal(5, 1.0, g))
    table = pd.DataFrame(
        {
            "feature_id": [f"g{i}" for i in range(g)],
            "base_mean": mu,
            "dispersion": 0.05 + 1 / mu,
            "log2_fold_change": 0.0,
            "padj": 1.0,
        }
    )
    kw = {"n_per_group": [2, 4], "n_sim": 2, "fraction": 0.2, "log2_fc": 1.5, "seed": 3}
    serial = simulate_rnaseq(table, **kw)
    parallel = simulate_rnaseq(table, jobs=2, **kw)
    pd.testing.assert_frame_equal(serial.runs, parallel.runs)
    pd.testing.assert_frame_equal(serial.summary, parallel.summary)
    pd.testing.assert_frame_equal(serial.by_expression, parallel.by_expression)
    assert serial.runs["true_positive"].sum() > 0  # the comparison is not of empty calls


def test_simulation_rejects_bad_jobs() -> None:
    table = pd.DataFrame(
        {"feature_id": ["a"], "base_mean": [1.0], "dispersion": [0.1],
         "log2_fold_change": [0.0], "padj": [1.0]}
    )  # fmt: skip
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        simulate_rnaseq(table, jobs=0)


def test_a_study_deseq2_cannot_analyse_counts_as_finding_nothing() -> None:
    """Counts so low that every feature has a zero: DESeq2's size factors fail on each study."""
    g = 20
    table = pd.DataFrame(
        {"feature_id": [f"g{i}" for i in range(g)], "base_mean": 0.05, "dispersion": 0.1,
         "log2_fold_change": 0.0, "padj": 1.0}
    )  # fmt: skip
    sim = simulate_rnaseq(table, n_per_group=[2], n_sim=2, fraction=0.5, log2_fc=1.0, seed=2)
    assert sim.summary["n_failed"].tolist() == [2]
    assert sim.summary["found_mean"].tolist() == [0.0]
    assert sim.runs["failed"].str.contains("zero").all()
