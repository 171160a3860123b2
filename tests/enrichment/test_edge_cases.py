"""Edge cases: empty overlaps, tiny lists, full overlaps, ties, zero scores, bad arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

from exodisc.errors import DesignError
from exodisc.omics.enrichment import gsea, ora, ora_pvalues

SETS = {"A": ["a1", "a2", "a3", "a4", "a5"], "B": ["b1", "b2", "b3", "b4", "b5"]}


def test_no_overlap_terms_are_dropped_not_nan() -> None:
    res = ora(["a1"], SETS, min_size=1)
    assert res.table["term"].tolist() == ["A"]
    assert res.dropped.set_index("term").loc["B", "reason"] == "overlap below 1"
    assert res.table["p_value"].notna().all()


def test_whole_background_is_the_list() -> None:
    genes = SETS["A"] + SETS["B"]
    res = ora(genes, SETS, min_size=1)
    assert res.table["p_value"].tolist() == [1.0, 1.0]  # nothing can be over-represented


def test_set_equals_list() -> None:
    res = ora(SETS["A"], SETS, min_size=1)
    row = res.table.iloc[0]
    # P(X >= 5) with N=10, K=5, n=5 = 1 / C(10, 5)
    assert row["p_value"] == pytest.approx(1 / 252, rel=1e-13)
    assert row["p_value"] == pytest.approx(hypergeom.sf(4, 10, 5, 5), rel=1e-12)


def test_extreme_small_p_values_keep_relative_accuracy() -> None:
    # k = K = n = 300 of N = 20,000: P = 1 / C(20000, 300) ~ 1e-700 underflows to 0, as in R
    p = ora_pvalues(300, 300, list_size=300, background_size=20_000)
    assert p == 0.0
    assert hypergeom.sf(299, 20_000, 300, 300) == 0.0
    p = ora_pvalues(40, 200, list_size=300, background_size=15_000)
    assert p == pytest.approx(hypergeom.sf(39, 15_000, 200, 300), rel=1e-12)


def test_bad_arguments() -> None:
    with pytest.raises(DesignError, match="the gene list is empty"):
        ora([], SETS)
    with pytest.raises(DesignError, match="the background gene list is empty"):
        ora(["a1"], SETS, background=[])
    with pytest.raises(DesignError, match="none of the 2 background genes is in the gene-set"):
        ora(["a1"], SETS, background=["x", "y"])
    with pytest.raises(DesignError, match=r"none of the 1 query genes \(e.g. \['zz'\]\)"):
        ora(["zz"], SETS, min_size=1)
    with pytest.raises(ValueError, match="need 1 <= min_size <= max_size"):
        ora(["a1"], SETS, min_size=10, max_size=5)
    with pytest.raises(ValueError, match="method must be"):
        ora(["a1"], SETS, method="chisq")  # type: ignore[arg-type]


def test_gsea_ties_and_zero_scores_are_deterministic() -> None:
    genes = [f"g{i:02d}" for i in range(40)]
    scores = pd.Series([1.0] * 10 + [0.0] * 20 + [-1.0] * 10, index=genes[::-1])
    sets = {"S": genes[:8], "Z": genes[12:20]}
    a = gsea(scores, sets, permutations=100, seed=3, min_size=5)
    b = gsea(scores.sample(frac=1, random_state=1), sets, permutations=100, seed=3, min_size=5)
    pd.testing.assert_frame_equal(a.table, b.table)  # input order does not matter
    zero = gsea(pd.Series(0.0, index=genes), sets, permutations=50, seed=1, min_size=5)
    assert np.isfinite(zero.table["es"]).all()  # all-zero weights fall back to classic KS


def test_gsea_set_sizes_outside_limits_are_listed() -> None:
    genes = [f"g{i}" for i in range(30)]
    r = pd.Series(np.linspace(1, -1, 30), index=genes)
    res = gsea(r, {"small": genes[:3], "ok": genes[:10], "missing": ["x1", "x2"]}, min_size=5)
    assert res.table["term"].tolist() == ["ok"]
    assert set(res.dropped["term"]) == {"small", "missing"}
