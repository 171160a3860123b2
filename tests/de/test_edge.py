"""Edge cases and errors of run_de and the design (messages pinned)."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from exodisc.errors import DesignError, SchemaError
from exodisc.omics.de import build_design, parse_contrast, run_de
from tests.de.de_helpers import synthetic


def _small(n_genes: int = 60, seed: int = 0) -> ad.AnnData:
    rng = np.random.default_rng(seed)
    sheet = pd.DataFrame(
        {"donor": ["A", "A", "B", "B", "C", "C"], "cond": ["c", "t"] * 3},
        index=[f"s{i}" for i in range(6)],
    )
    x = rng.negative_binomial(4, 0.05, size=(6, n_genes)).astype(float)
    a = ad.AnnData(x, obs=sheet)
    a.var_names = [f"g{i}" for i in range(n_genes)]
    return a


def test_all_zero_genes_are_na_and_flagged() -> None:
    adata, design, con = synthetic("paired9")
    t = run_de(adata, design, con).table.set_index("feature_id")
    for g in ("gene0001", "gene0002"):
        assert t.loc[g, "all_zero"]
        assert t.loc[g, "base_mean"] == 0
        assert np.isnan(
            t.loc[g, ["log2_fold_change", "lfc_se", "stat", "p_value", "padj"]].astype(float)
        ).all()


def test_all_zero_group_flagged_and_reproduced() -> None:
    adata, design, con = synthetic("paired6")
    t = run_de(adata, design, con).table.set_index("feature_id")
    assert t.loc["gene0004", "all_zero_group"]
    assert t.loc["gene0004", "log2_fold_change"] < -5


def test_contrast_between_all_zero_levels_gives_lfc_zero_p_one() -> None:
    a = _small()
    x = a.X.copy()
    x[:, 0] = [0, 0, 0, 0, 0, 0]
    x[:, 0] = 0
    x[0, 0] = 0
    b = ad.AnnData(x, obs=a.obs)
    b.var_names = a.var_names
    t = run_de(b, "~ donor + cond", "cond,t,c").table
    assert t.loc[0, "all_zero"]


def test_outlier_gene_cooks_with_replicates() -> None:
    """Two groups of 4: a single huge count is flagged by Cook's distance (p = NA)."""
    adata, design, con = synthetic("twogroup8")
    t = run_de(adata, design, con).table.set_index("feature_id")
    assert t.loc["gene0003", "max_cooks"] > 10
    assert t.loc["gene0003", "cooks_outlier"]
    assert np.isnan(t.loc["gene0003", "p_value"])


def test_n2_per_group_runs() -> None:
    a = _small()
    b = a[:4].copy()
    b.obs = pd.DataFrame({"cond": ["c", "c", "t", "t"]}, index=b.obs_names)
    t = run_de(b, "~ cond", "cond,t,c").table
    assert t["p_value"].notna().all()


def test_rank_deficient_design() -> None:
    a = _small()
    a.obs["batch"] = ["x", "x", "y", "y", "z", "z"]
    with pytest.raises(DesignError, match="not of full rank"):
        run_de(a, "~ donor + batch + cond", "cond,t,c")


def test_design_and_contrast_errors() -> None:
    a = _small()
    with pytest.raises(DesignError, match="must start with '~'"):
        run_de(a, "donor + cond", "cond,t,c")
    with pytest.raises(DesignError, match="6 coefficients for 6 samples"):
        run_de(a, "~ donor * cond", "cond,t,c")  # interactions are read, but too many here
    with pytest.raises(DesignError, match="lacks; it has donor, cond"):
        run_de(a, "~ cell + cond", "cond,t,c")
    with pytest.raises(DesignError, match="contrast level 'x' does not occur in column 'cond'"):
        run_de(a, "~ donor + cond", "cond,x,c")
    with pytest.raises(DesignError, match="must be 'factor,test_level,reference_level'"):
        parse_contrast("cond,t")
    with pytest.raises(DesignError, match="not a term of the design"):
        run_de(a, "~ donor", "cond,t,c")
    with pytest.raises(DesignError, match="with itself"):
        parse_contrast("cond,t,t")


def test_more_coefficients_than_samples() -> None:
    sheet = pd.DataFrame({"a": ["x", "y"], "b": ["u", "v"]})
    with pytest.raises(DesignError, match=r"not of full rank|more samples than coefficients"):
        build_design(sheet, "~ a + b", parse_contrast("a,y,x"))


def test_bad_counts_are_reported() -> None:
    a = _small()
    x = a.X.copy()
    x[1, 2] = 2.5
    x[3, 4] = -1
    x[0, 0] = np.nan
    b = ad.AnnData(x, obs=a.obs)
    b.var_names = a.var_names
    with pytest.raises(
        SchemaError, match=r"missing \(NaN\).*'g0'.*negative.*'g4'.*non-integer.*'g2'"
    ):
        run_de(b, "~ donor + cond", "cond,t,c")


def test_every_gene_has_a_zero() -> None:
    a = _small()
    x = a.X.copy()
    for j in range(x.shape[1]):
        x[j % 6, j] = 0  # every gene has one zero, every sample keeps positives
    b = ad.AnnData(x, obs=a.obs)
    b.var_names = a.var_names
    with pytest.raises(DesignError, match=r"every feature has at least one zero.*poscounts"):
        run_de(b, "~ donor + cond", "cond,t,c")
    res = run_de(b, "~ donor + cond", "cond,t,c", size_factor_type="poscounts")
    sf = res.size_factors.to_numpy()
    assert np.exp(np.mean(np.log(sf))) == pytest.approx(1.0)


def test_lfc_threshold_greater_abs() -> None:
    adata, design, con = synthetic("paired9")
    r0 = run_de(adata, design, con).table
    r1 = run_de(adata, design, con, lfc_threshold=1.0).table
    ok = r0["p_value"].notna()
    assert (r1.loc[ok, "p_value"] >= r0.loc[ok, "p_value"] - 1e-15).all()
    small = ok & (r0["log2_fold_change"].abs() < 1)
    assert (r1.loc[small, "p_value"] == 1).all()


def test_invalid_arguments() -> None:
    a = _small()
    with pytest.raises(ValueError, match="alpha must be between 0 and 1"):
        run_de(a, "~ cond", "cond,t,c", alpha=1.5)
    with pytest.raises(ValueError, match="lfc_threshold must be >= 0"):
        run_de(a, "~ cond", "cond,t,c", lfc_threshold=-1)


def test_inputs_not_modified_and_result_frozen() -> None:
    a = _small()
    before = a.X.copy()
    res = run_de(a, "~ donor + cond", "cond,t,c")
    np.testing.assert_array_equal(a.X, before)
    with pytest.raises(AttributeError):
        res.table = res.table  # type: ignore[misc]


def test_block_path_for_many_donors_equals_dense_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """12 donors x 2 conditions (p = 13): the donor-block algebra equals plain LAPACK."""
    import exodisc.omics.de._engine as eng

    rng = np.random.default_rng(5)
    donors = [f"D{i:02d}" for i in range(12) for _ in range(2)]
    cond = ["c", "t"] * 12
    sheet = pd.DataFrame({"donor": donors, "cond": cond}, index=[f"s{i}" for i in range(24)])
    mu = np.exp(rng.normal(4, 1.5, 300))
    x = rng.negative_binomial(5, 5 / (5 + mu[None, :] * rng.uniform(0.6, 1.5, (24, 1))))
    a = ad.AnnData(x.astype(float), obs=sheet)
    a.var_names = [f"g{i}" for i in range(300)]
    fast = run_de(a, "~ donor + cond", "cond,t,c").table
    monkeypatch.setattr(eng, "_blocks", lambda x: None)
    dense = run_de(a, "~ donor + cond", "cond,t,c").table
    for col in ("dispersion", "log2_fold_change", "lfc_se", "p_value"):
        np.testing.assert_allclose(fast[col], dense[col], rtol=1e-7, atol=1e-12)
