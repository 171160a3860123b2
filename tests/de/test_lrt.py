"""Likelihood-ratio test (``test="lrt"``) against R DESeq2 1.38.3's ``nbinomLRT``.

References: tests/reference/de/make_lrt_reference.R (``DESeq(dds, test="LRT", reduced=...)``
then ``results(dds, contrast=...)``). Tolerances as for the Wald parity: identical NA patterns;
log p-values to 1e-4; statistics to rtol 1e-4; padj < 0.05 sets Jaccard >= 0.99; LFC/SE from
the full model as R reports them (max |ΔLFC| < 0.01 for baseMean > 1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.errors import DesignError
from exodisc.omics.de import DEResult, run_de
from tests.de.de_helpers import REF, airway, jaccard, pasilla, synthetic

_CACHE: dict[str, tuple[DEResult, pd.DataFrame, pd.Series]] = {}
REDUCED = {
    "airway": "~ celltype",
    "pasilla": "~ type",
    "twogroup8": "~ 1",
    "paired9": "~ donor",
}


def _fit(case: str, shared: Path | None) -> tuple[DEResult, pd.DataFrame, pd.Series]:
    if case not in _CACHE:
        if case in ("airway", "pasilla"):
            assert shared is not None
            adata, design, con = (airway if case == "airway" else pasilla)(shared)
            name = case
        else:
            adata, design, con = synthetic(case)
            name = f"synthetic_{case}"
        ref = pd.read_csv(REF / f"{name}_lrt_results.tsv.gz", sep="\t")
        meta = pd.read_csv(REF / f"{name}_lrt_meta.tsv", sep="\t", index_col=0)["value"]
        res = run_de(adata, design, con, test="lrt", reduced=REDUCED[case])
        _CACHE[case] = (res, ref, meta)
    return _CACHE[case]


@pytest.fixture(params=list(REDUCED))
def fitted(request: pytest.FixtureRequest) -> tuple[str, DEResult, pd.DataFrame, pd.Series]:
    case = request.param
    shared = request.getfixturevalue("shared_data") if case in ("airway", "pasilla") else None
    ours, ref, meta = _fit(case, shared)
    return case, ours, ref, meta


def test_lrt_matches_r(fitted: tuple[str, DEResult, pd.DataFrame, pd.Series]) -> None:
    _, ours, ref, meta = fitted
    t = ours.table
    assert (t["feature_id"].to_numpy() == ref["feature_id"].astype(str).to_numpy()).all()
    assert ours.params["lrt_df"] == int(meta["df"])
    for col, rcol in [
        ("log2_fold_change", "log2FoldChange"),
        ("lfc_se", "lfcSE"),
        ("stat", "stat"),
        ("p_value", "pvalue"),
        ("padj", "padj"),
    ]:
        assert (t[col].isna() == ref[rcol].isna()).all(), f"NA pattern of {col}"
    ok = ref["pvalue"].notna()
    np.testing.assert_allclose(t.loc[ok, "stat"], ref.loc[ok, "stat"], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        np.log(t.loc[ok, "p_value"]), np.log(ref.loc[ok, "pvalue"]), atol=1e-4, rtol=1e-4
    )
    okp = ref["padj"].notna()
    np.testing.assert_allclose(t.loc[okp, "padj"], ref.loc[okp, "padj"], rtol=1e-4, atol=1e-9)
    bm = ref["baseMean"] > 1
    d = np.abs(t.loc[bm, "log2_fold_change"] - ref.loc[bm, "log2FoldChange"])
    assert d.max() < 0.01
    np.testing.assert_allclose(t.loc[ok, "lfc_se"], ref.loc[ok, "lfcSE"], rtol=1e-4)
    ours_set = set(t.loc[t["padj"] < 0.05, "feature_id"])
    ref_set = set(ref.loc[ref["padj"] < 0.05, "feature_id"].astype(str))
    assert jaccard(ours_set, ref_set) >= 0.99
    assert ours.params["filter_threshold"] == pytest.approx(
        float(meta["filter_threshold"]), rel=1e-8
    )


def test_lrt_differs_from_wald() -> None:
    """The LRT is a different test: same LFCs as the Wald fit, other statistics."""
    adata, design, con = synthetic("paired9")
    wald = run_de(adata, design, con)
    lrt, _, _ = _fit("paired9", None)
    np.testing.assert_allclose(
        lrt.table["log2_fold_change"], wald.table["log2_fold_change"], rtol=1e-12
    )
    ok = wald.table["stat"].notna()
    assert not np.allclose(lrt.table.loc[ok, "stat"], wald.table.loc[ok, "stat"] ** 2)


def test_lrt_bad_input() -> None:
    adata, design, con = synthetic("paired9")
    with pytest.raises(DesignError, match="needs a reduced formula"):
        run_de(adata, design, con, test="lrt")
    with pytest.raises(DesignError, match=r"term\(s\) 'batch' that the full design"):
        run_de(adata, design, con, test="lrt", reduced="~ batch")
    with pytest.raises(DesignError, match="drops no term"):
        run_de(adata, design, con, test="lrt", reduced="~ donor + condition")
    with pytest.raises(DesignError, match="must be Wald tests"):
        run_de(adata, design, con, test="lrt", reduced="~ donor", lfc_threshold=1.0)
    with pytest.raises(DesignError, match="method='deseq2' only"):
        run_de(adata, design, con, test="lrt", reduced="~ donor", method="limma-voom")
