"""Normal-prior LFC shrinkage (``shrink="normal"``) against R DESeq2 1.38.3's ``lfcShrink``.

References: tests/reference/de/make_shrink_reference.R (``lfcShrink(dds, contrast =, res =,
type = "normal")``) on airway and two synthetic designs, with R's prior variances
(``priorInfo(res)$betaPriorVar``). Measured: prior variances to 1e-14, shrunken LFC max
|difference| 1.1e-7 and SE 2.7e-7 on airway (< 1e-10 on the synthetic cases). Tolerances: prior
variances rtol 1e-8; LFC and SE atol 1e-5; identical NA patterns; P values unchanged.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.errors import DesignError
from exodisc.omics.de import DEResult, run_de
from tests.de.de_helpers import REF, airway, synthetic

_CACHE: dict[str, tuple[DEResult, pd.DataFrame, pd.Series]] = {}


def _fit(case: str, shared: Path | None) -> tuple[DEResult, pd.DataFrame, pd.Series]:
    if case not in _CACHE:
        if case == "airway":
            assert shared is not None
            adata, design, con = airway(shared)
            name = "airway"
        else:
            adata, design, con = synthetic(case)
            name = f"synthetic_{case}"
        ref = pd.read_csv(REF / f"{name}_shrink_results.tsv.gz", sep="\t")
        meta = pd.read_csv(REF / f"{name}_shrink_meta.tsv", sep="\t", index_col=0)["value"]
        _CACHE[case] = (run_de(adata, design, con, shrink="normal"), ref, meta)
    return _CACHE[case]


@pytest.fixture(params=["airway", "paired9", "twogroup8"])
def fitted(request: pytest.FixtureRequest) -> tuple[DEResult, pd.DataFrame, pd.Series]:
    case = request.param
    shared = request.getfixturevalue("shared_data") if case == "airway" else None
    return _fit(case, shared)


def test_prior_variances_match_r(fitted: tuple[DEResult, pd.DataFrame, pd.Series]) -> None:
    ours, _, meta = fitted
    prior = ours.params["beta_prior_var"]
    for key, value in meta.items():
        if key == "Intercept":
            assert float(value) == 1e6
            continue
        term = next(t for t in prior if str(key).startswith(t))
        assert prior[term] == pytest.approx(float(value), rel=1e-8), key


def test_shrunken_lfc_match_r(fitted: tuple[DEResult, pd.DataFrame, pd.Series]) -> None:
    ours, ref, _ = fitted
    t = ours.table
    for col, rcol in [("log2_fold_change", "log2FoldChange"), ("lfc_se", "lfcSE")]:
        assert (t[col].isna() == ref[rcol].isna()).all(), col
        ok = ref[rcol].notna()
        np.testing.assert_allclose(t.loc[ok, col], ref.loc[ok, rcol], atol=1e-5, err_msg=col)
    assert (t["p_value"].isna() == ref["pvalue"].isna()).all()
    ok = ref["pvalue"].notna()
    np.testing.assert_allclose(
        np.log(t.loc[ok, "p_value"]), np.log(ref.loc[ok, "pvalue"]), atol=1e-4, rtol=1e-4
    )
    # shrinkage pulls towards zero overall (not gene by gene: other terms shrink too)
    fin = t["log2_fold_change"].notna()
    shr, mle = t.loc[fin, "log2_fold_change"].abs(), t.loc[fin, "log2_fold_change_mle"].abs()
    assert shr.sum() < mle.sum()


def test_shrink_keeps_tests() -> None:
    adata, design, con = synthetic("paired9")
    plain = run_de(adata, design, con)
    shr, _, _ = _fit("paired9", None)
    for col in ("stat", "p_value", "padj"):
        np.testing.assert_array_equal(shr.table[col].to_numpy(), plain.table[col].to_numpy())
    np.testing.assert_allclose(
        shr.table["log2_fold_change_mle"], plain.table["log2_fold_change"], rtol=1e-12
    )
    with pytest.raises(ValueError, match="shrink must be 'none' or 'normal'"):
        run_de(adata, design, con, shrink="apeglm")
    with pytest.raises(DesignError, match="method='deseq2' only"):
        run_de(adata, design, con, shrink="normal", method="limma-voom")
