"""Parity of run_de with R DESeq2 1.38.3 (outputs stored in tests/reference/de/).

Tolerances (issue 6): size factors to 1e-6; genes with baseMean > 1: max |ΔLFC| < 0.01 and
Pearson > 0.99999; dispersions: median relative difference < 1e-3; padj < 0.05 sets Jaccard
>= 0.99; identical NA patterns of pvalue and padj. Measured: all agree to ~1e-8 or better.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.omics.de import DEResult, run_de
from tests.de.de_helpers import airway, jaccard, pasilla, reference, synthetic

_CACHE: dict[str, tuple[DEResult, pd.DataFrame, pd.Series]] = {}


def _fit(case: str, shared: Path | None) -> tuple[DEResult, pd.DataFrame, pd.Series]:
    if case not in _CACHE:
        if case == "airway":
            assert shared is not None
            adata, design, con = airway(shared)
            name = "airway"
        elif case == "pasilla":
            assert shared is not None
            adata, design, con = pasilla(shared)
            name = "pasilla"
        else:
            adata, design, con = synthetic(case)
            name = f"synthetic_{case}"
        res, meta = reference(name)
        _CACHE[case] = (run_de(adata, design, con), res, meta)
    return _CACHE[case]


CASES = ["airway", "pasilla", "paired9", "paired6", "twogroup4", "twogroup8"]


@pytest.fixture(params=CASES)
def fitted(request: pytest.FixtureRequest) -> tuple[str, DEResult, pd.DataFrame, pd.Series]:
    case = request.param
    shared = request.getfixturevalue("shared_data") if case in ("airway", "pasilla") else None
    ours, ref, meta = _fit(case, shared)
    return case, ours, ref, meta


def test_size_factors(fitted: tuple[str, DEResult, pd.DataFrame, pd.Series]) -> None:
    _, ours, _, meta = fitted
    expected = meta[[k for k in meta.index if k.startswith("size_factor.")]].to_numpy(float)
    np.testing.assert_allclose(ours.size_factors.to_numpy(), expected, rtol=1e-6)


def test_dispersions(fitted: tuple[str, DEResult, pd.DataFrame, pd.Series]) -> None:
    _, ours, ref, meta = fitted
    t = ours.table
    for col, rcol in [
        ("disp_gene_est", "dispGeneEst"),
        ("disp_fit", "dispFit"),
        ("dispersion", "dispersion"),
    ]:
        assert (t[col].isna() == ref[rcol].isna()).all(), col
        ok = ref[rcol].notna()
        rel = np.abs(t.loc[ok, col] / ref.loc[ok, rcol] - 1)
        assert np.median(rel) < 1e-3, col
    # final dispersions: every gene within 1e-4 (measured max 1.5e-5)
    ok = ref["dispersion"].notna()
    assert np.abs(t.loc[ok, "dispersion"] / ref.loc[ok, "dispersion"] - 1).max() < 1e-4
    assert (t["disp_outlier"][ok] == (ref["dispOutlier"][ok] == True)).all()  # noqa: E712
    assert ours.params["prior_var"] == pytest.approx(float(meta["disp_prior_var"]), rel=1e-6)
    assert ours.params["var_log_disp_ests"] == pytest.approx(
        float(meta["var_log_disp_ests"]), rel=1e-6
    )
    a0, a1 = ours.params["trend_coefficients"]
    assert a0 == pytest.approx(float(meta["trend_asympt_disp"]), rel=1e-6)
    assert a1 == pytest.approx(float(meta["trend_extra_pois"]), rel=1e-6)


def test_fold_changes_and_tests(fitted: tuple[str, DEResult, pd.DataFrame, pd.Series]) -> None:
    _, ours, ref, _ = fitted
    t = ours.table
    assert (t["feature_id"].to_numpy() == ref["feature_id"].astype(str).to_numpy()).all()
    bm = ref["baseMean"] > 1
    d = np.abs(t.loc[bm, "log2_fold_change"] - ref.loc[bm, "log2FoldChange"])
    assert d.max() < 0.01
    assert np.corrcoef(t.loc[bm, "log2_fold_change"], ref.loc[bm, "log2FoldChange"])[0, 1] > 0.99999
    np.testing.assert_allclose(t["base_mean"], ref["baseMean"], rtol=1e-10)
    for col, rcol in [
        ("log2_fold_change", "log2FoldChange"),
        ("lfc_se", "lfcSE"),
        ("stat", "stat"),
        ("p_value", "pvalue"),
        ("padj", "padj"),
    ]:
        assert (t[col].isna() == ref[rcol].isna()).all(), f"NA pattern of {col}"
    ok = ref["pvalue"].notna()
    # all genes (not only baseMean > 1): tight agreement on the log scale of p
    np.testing.assert_allclose(
        np.log(t.loc[ok, "p_value"]), np.log(ref.loc[ok, "pvalue"]), atol=1e-4, rtol=1e-4
    )
    np.testing.assert_allclose(t.loc[ok, "lfc_se"], ref.loc[ok, "lfcSE"], rtol=1e-4)


def test_significant_sets(fitted: tuple[str, DEResult, pd.DataFrame, pd.Series]) -> None:
    _, ours, ref, meta = fitted
    t = ours.table
    ours_set = set(t.loc[t["padj"] < 0.05, "feature_id"])
    ref_set = set(ref.loc[ref["padj"] < 0.05, "feature_id"].astype(str))
    assert jaccard(ours_set, ref_set) >= 0.99
    assert ours.params["filter_threshold"] == pytest.approx(
        float(meta["filter_threshold"]), rel=1e-8
    )


def test_alpha_005_filtering(shared_data: Path) -> None:
    """results(alpha = 0.05): the filter is chosen for the study's FDR (same fit, new filter)."""
    from exodisc.omics.de._engine import independent_filtering

    ours, ref, _ = _fit("airway", shared_data)
    t = ours.table
    filt = independent_filtering(
        t["base_mean"].to_numpy(), t["p_value"].to_numpy(dtype=float), alpha=0.05
    )
    assert (np.isnan(filt.padj) == ref["padj_alpha05"].isna().to_numpy()).all()
    ok = ref["padj_alpha05"].notna().to_numpy()
    np.testing.assert_allclose(filt.padj[ok], ref.loc[ok, "padj_alpha05"], rtol=1e-4, atol=1e-9)
    assert t["padj"].notna().sum() != np.sum(~np.isnan(filt.padj))


def test_airway_vignette_values(shared_data: Path) -> None:
    """The values printed in the DESeq2/airway vignettes (independent of our R run)."""
    ours, _, _ = _fit("airway", shared_data)
    row = ours.table.set_index("feature_id").loc["ENSG00000000003"]
    assert row["log2_fold_change"] == pytest.approx(-0.3813, abs=1e-4)
    assert row["p_value"] == pytest.approx(1.52e-4, rel=0.01)
    assert ours.params["prior_var_method"] == "simulation"
