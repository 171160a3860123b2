"""Vectorised pair statistics against an independent per-pair scipy computation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tests.cerna._ref import reference_pair

from exodisc.errors import DesignError
from exodisc.omics.cerna import bh_weighted, cerna_pairs, pearson_one_sided, read_targets


def _sets(t: pd.DataFrame) -> dict[str, set[str]]:
    return t.groupby("feature_id")["mirna"].apply(set).to_dict()


def _check_sample(res, ec, em, tc, tp, emi, n: int, seed: int) -> None:
    dc, dp = _sets(tc), _sets(tp)
    sample = res.table.sample(min(n, len(res.table)), random_state=seed)
    for row in sample.itertuples(index=False):
        ref = reference_pair(row.cerna, row.mrna, ec, em, dc, dp, res.population, emi)
        assert row.shared_mirnas == ref["k"]
        assert row.mirnas == ref["mirnas"]
        for ours, theirs in [
            (row.hyper_p, ref["hyper_p"]),
            (row.pearson_r, ref["r"]),
            (row.pearson_p, ref["p"]),
            (row.reg_sim, ref.get("reg_sim", np.nan)),
            (row.sens_corr, ref.get("sens_corr", np.nan)),
        ]:
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> dict[str, pd.DataFrame]:
    """Real lncRNA / mRNA target tables (GDCRNATools), a subset of genes, random expression."""
    d = shared_data / "mirna_targets"
    tl = read_targets(d / "gdcrnatools_lncRNA_miRNA_interactions.tsv.gz")
    tp = read_targets(d / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz")
    rng = np.random.default_rng(5)
    lnc = sorted(rng.choice(tl["feature_id"].unique(), 120, replace=False))
    pc = sorted(rng.choice(tp["feature_id"].unique(), 300, replace=False))
    tl = tl[tl["feature_id"].isin(lnc)]
    tp = tp[tp["feature_id"].isin(pc)]
    samples = [f"s{i}" for i in range(9)]
    mirs = sorted(rng.choice(sorted(set(tl["mirna"]) | set(tp["mirna"])), 150, replace=False))
    latent = rng.normal(size=9)

    def mat(ids: list[str]) -> pd.DataFrame:
        x = np.outer(rng.normal(size=len(ids)), latent) + rng.normal(size=(len(ids), 9))
        return pd.DataFrame(x, index=ids, columns=samples)

    return {"ec": mat(lnc), "em": mat(pc), "emi": mat(mirs), "tl": tl, "tp": tp}


def test_real_tables_equal_scipy_per_pair(real: dict[str, pd.DataFrame]) -> None:
    res = cerna_pairs(
        real["ec"],
        real["em"],
        targets_cerna=real["tl"],
        targets_mrna=real["tp"],
        expr_mirna=real["emi"],
        block_size=37,
    )
    assert len(res.table) > 5_000
    assert res.population == len(set(real["tl"]["mirna"]) | set(real["tp"]["mirna"]))
    _check_sample(res, real["ec"], real["em"], real["tl"], real["tp"], real["emi"], 25, 1)
    # BH over every tested pair equals statsmodels' on the full vector
    from statsmodels.stats.multitest import multipletests

    fdr = multipletests(res.table["hyper_p"], method="fdr_bh")[1]
    np.testing.assert_allclose(res.table["hyper_fdr"], fdr, rtol=1e-12)


def _toy(seed: int = 0) -> tuple[pd.DataFrame, ...]:
    rng = np.random.default_rng(seed)
    samples = [f"s{i}" for i in range(6)]
    mirs = [f"hsa-miR-{i}-5p" for i in range(20)]
    ce = [f"L{i}" for i in range(15)]
    mr = [f"G{i}" for i in range(30)]
    ec = pd.DataFrame(rng.normal(size=(15, 6)), index=ce, columns=samples)
    em = pd.DataFrame(rng.normal(size=(30, 6)), index=mr, columns=samples)
    emi = pd.DataFrame(rng.normal(size=(20, 6)), index=mirs, columns=samples)
    tc = pd.DataFrame(
        [(c, m) for c in ce for m in mirs if rng.random() < 0.25], columns=["feature_id", "mirna"]
    )
    tp = pd.DataFrame(
        [(c, m) for c in mr for m in mirs if rng.random() < 0.3], columns=["feature_id", "mirna"]
    )
    return ec, em, tc, tp, emi


def test_toy_equal_scipy_and_block_size_invariant() -> None:
    ec, em, tc, tp, emi = _toy()
    a = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, expr_mirna=emi, block_size=1)
    b = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, expr_mirna=emi, block_size=1000)
    pd.testing.assert_frame_equal(a.table, b.table)
    _check_sample(a, ec, em, tc, tp, emi, 60, 2)


def test_direction_filter_and_min_shared() -> None:
    ec, em, tc, tp, _emi = _toy(1)
    dce = pd.Series(
        np.where(np.arange(15) % 3 == 0, 1, np.where(np.arange(15) % 3 == 1, -1, 0)), index=ec.index
    )
    dmr = pd.Series(np.where(np.arange(30) % 2 == 0, 1, -1), index=em.index)
    res = cerna_pairs(
        ec,
        em,
        targets_cerna=tc,
        targets_mrna=tp,
        direction_cerna=dce,
        direction_mrna=dmr,
        min_shared=2,
    )
    full = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp).table
    expect = full[
        (full["cerna"].map(dce) == full["mrna"].map(dmr))
        & (full["cerna"].map(dce) != 0)
        & (full["shared_mirnas"] >= 2)
    ]
    assert list(res.table["cerna"] + "|" + res.table["mrna"]) == list(
        expect["cerna"] + "|" + expect["mrna"]
    )
    assert res.n_tested == len(res.table)
    # the FDR is over the pairs tested, not over all pairs
    np.testing.assert_allclose(
        res.table["hyper_fdr"], stats.false_discovery_control(res.table["hyper_p"]), rtol=1e-12
    )
    # without a miRNA matrix, the miRNA terms are NaN by design
    assert res.table["reg_sim"].isna().all()


def test_max_fdr_keeps_fdr_of_all_tests() -> None:
    ec, em, tc, tp, _emi = _toy(2)
    full = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp)
    thr = float(np.quantile(full.table["hyper_fdr"], 0.3))
    cut = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, max_fdr=thr)
    assert cut.n_tested == full.n_tested
    expect = full.table[full.table["hyper_fdr"] <= thr].reset_index(drop=True)
    assert 0 < len(expect) < len(full.table)
    pd.testing.assert_frame_equal(cut.table, expect)


def test_bh_weighted_equals_repeated_vector() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(size=50) ** 3
    counts = rng.integers(1, 20, 50)
    rep = np.repeat(p, counts)
    adj = stats.false_discovery_control(rep)
    ours = np.repeat(bh_weighted(p, counts), counts)
    np.testing.assert_allclose(ours, adj, rtol=1e-12)


def test_pearson_one_sided_equals_scipy() -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        x, y = rng.normal(size=(2, 7))
        res = stats.pearsonr(x, y, alternative="greater")
        np.testing.assert_allclose(
            pearson_one_sided(np.array([res.statistic]), 7), res.pvalue, rtol=1e-10
        )
    np.testing.assert_array_equal(pearson_one_sided(np.array([1.0, -1.0]), 5), [0.0, 1.0])


def test_constant_rows_dropped_and_counted() -> None:
    ec, em, tc, tp, emi = _toy(5)
    ec = ec.copy()
    ec.iloc[0] = 3.0
    res = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, expr_mirna=emi)
    assert "L0" not in set(res.table["cerna"])
    d = res.dropped
    assert ((d["id"] == "L0") & d["reason"].str.contains("constant")).any()
    assert not res.table[["hyper_p", "pearson_r", "pearson_p"]].isna().any().any()


def test_too_few_shared_samples() -> None:
    ec, em, tc, tp, _ = _toy()
    em2 = em.set_axis([f"x{i}" for i in range(6)], axis=1)
    with pytest.raises(DesignError, match=r"share 0 sample column\(s\).*at least 3"):
        cerna_pairs(ec, em2, targets_cerna=tc, targets_mrna=tp)


def test_no_shared_mirnas_gives_empty_table() -> None:
    ec, em, _, _, _ = _toy()
    tc = pd.DataFrame({"feature_id": ["L1"], "mirna": ["hsa-miR-1-5p"]})
    tp = pd.DataFrame({"feature_id": ["G1"], "mirna": ["hsa-miR-2-5p"]})
    res = cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp)
    assert res.table.empty and res.n_tested == 0
    assert res.table["cerna"].dtype == res.table["mirnas"].dtype
    assert list(res.table.columns)[:3] == ["cerna", "mrna", "shared_mirnas"]


def test_bad_arguments() -> None:
    ec, em, tc, tp, _ = _toy()
    with pytest.raises(ValueError, match="min_shared must be at least 1"):
        cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, min_shared=0)
    with pytest.raises(ValueError, match=r"max_fdr must be in \(0, 1\]"):
        cerna_pairs(ec, em, targets_cerna=tc, targets_mrna=tp, max_fdr=0)
