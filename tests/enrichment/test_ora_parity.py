"""ORA P values against R (stored fixtures) and scipy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact, hypergeom

from exodisc.omics.enrichment import adjust_bh, ora, ora_pvalues

REF = Path(__file__).resolve().parents[1] / "reference" / "ora_r"


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return pd.read_csv(REF / "ora_cases.tsv", sep="\t", skipinitialspace=True)


@pytest.mark.parametrize(
    ("method", "column"),
    [("hypergeometric", "phyper_upper"), ("fisher", "fisher_greater"), ("ease", "ease")],
)
def test_pvalues_equal_r(cases: pd.DataFrame, method: str, column: str) -> None:
    got = ora_pvalues(
        cases["k"], cases["K"], list_size=cases["n"], background_size=cases["N"], method=method
    )  # type: ignore[arg-type]
    np.testing.assert_allclose(got, cases[column].to_numpy(), rtol=1e-12, atol=0)


def test_pvalues_equal_scipy(cases: pd.DataFrame) -> None:
    k, big_k, n, big_n = (cases[c].to_numpy() for c in ("k", "K", "n", "N"))
    want = hypergeom.sf(k - 1, big_n, big_k, n)
    got = ora_pvalues(k, big_k, list_size=n, background_size=big_n)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
    for row in cases.itertuples():
        table = [[row.k, row.n - row.k], [row.K - row.k, row.N - row.K - row.n + row.k]]
        p = fisher_exact(table, alternative="greater").pvalue
        assert ora_pvalues(
            row.k, row.K, list_size=row.n, background_size=row.N, method="fisher"
        ) == pytest.approx(p, rel=1e-12)


def test_ease_hand_checked() -> None:
    # list 4 genes, 2 in the term; term 3 of 10 background genes.
    # Fisher: P(X >= 2) = [C(3,2)C(7,2) + C(3,3)C(7,1)] / C(10,4) = (63 + 7) / 210 = 1/3
    assert ora_pvalues(2, 3, list_size=4, background_size=10, method="fisher") == pytest.approx(
        1 / 3, rel=1e-14
    )
    # EASE removes one hit: table [[1, 2], [1, 5]] -> P(X >= 1), X ~ H(N=9, K=2, n=3)
    # = 1 - C(7,3)/C(9,3) = 1 - 35/84 = 7/12
    assert ora_pvalues(2, 3, list_size=4, background_size=10, method="ease") == pytest.approx(
        7 / 12, rel=1e-14
    )
    # one hit: EASE is 1 (DAVID), no hit: 1
    assert ora_pvalues(1, 3, list_size=4, background_size=10, method="ease") == 1.0
    assert ora_pvalues(0, 3, list_size=4, background_size=10, method="ease") == 1.0


def test_adjust_equal_r() -> None:
    ref = pd.read_csv(REF / "ora_adjust.tsv", sep="\t", skipinitialspace=True)
    np.testing.assert_allclose(adjust_bh(ref["p"]), ref["bh"], rtol=1e-12, atol=0)


def test_ora_table_against_direct_scipy() -> None:
    sets = {
        "T1": [f"g{i}" for i in range(0, 20)],
        "T2": [f"g{i}" for i in range(15, 40)],
        "T3": [f"g{i}" for i in range(40, 46)],
        "T4": ["g1", "g2", "x_not_in_bg"],
    }
    background = [f"g{i}" for i in range(0, 100)]
    genes = ["g1", "g2", "g3", "g4", "g16", "g17", "g41", "zzz"]
    res = ora(genes, sets, background=background, min_size=3)
    t = res.table.set_index("term")
    # universe = background genes annotated in some set: g0..g45 -> 46 genes
    assert res.params["background_size"] == 46
    assert res.params["list_size"] == 7
    assert res.unmatched == ("zzz",)
    assert t.loc["T1", "overlap"] == 6
    assert t.loc["T1", "genes"] == "g1;g16;g17;g2;g3;g4"
    assert "T4" in set(res.dropped["term"])  # 2 genes in the background < min_size 3
    for term, row in t.iterrows():
        want = hypergeom.sf(row["overlap"] - 1, 46, row["set_size"], 7)
        assert row["p_value"] == pytest.approx(want, rel=1e-12), term
    np.testing.assert_allclose(res.table["p_adj"], adjust_bh(res.table["p_value"]), rtol=0, atol=0)
    assert t.loc["T1", "gene_ratio"] == pytest.approx(6 / 7)
    assert t.loc["T1", "rich_factor"] == pytest.approx(6 / 20)
    assert t.loc["T1", "fold_enrichment"] == pytest.approx((6 / 7) / (20 / 46))


@pytest.mark.parametrize("use_background", [False, True])
def test_table_equals_naive_set_arithmetic(use_background: bool) -> None:
    """Overlaps, sizes, genes, P and BH of the sparse fast path against plain Python sets."""
    rng = np.random.default_rng(11)
    genes = [f"G{i:04d}" for i in range(600)]
    sets = {
        f"T{j:03d}": list(rng.choice(genes, int(rng.integers(1, 60)), replace=False))
        for j in range(200)
    }
    query = [*rng.choice(genes, 80, replace=False), "not_a_gene"]
    bg = list(rng.choice(genes, 450, replace=False)) if use_background else None
    res = ora(query, sets, background=bg, min_size=3, max_size=50, min_overlap=2)
    annotated = {g for v in sets.values() for g in v}
    universe = annotated if bg is None else annotated & set(bg)
    hits = set(query) & universe
    rows = []
    for term, members in sets.items():
        m = set(members) & universe
        k = len(m & hits)
        if 3 <= len(m) <= 50 and k >= 2:
            p = hypergeom.sf(k - 1, len(universe), len(m), len(hits))
            rows.append((term, len(m), k, p, ";".join(sorted(m & hits))))
    want = pd.DataFrame(rows, columns=["term", "set_size", "overlap", "p_value", "genes"])
    want["p_adj"] = adjust_bh(want["p_value"].to_numpy())
    got = res.table.set_index("term").loc[want["term"]]
    assert len(res.table) == len(want)
    assert len(res.table) + len(res.dropped) == len(sets)
    np.testing.assert_array_equal(got["set_size"], want["set_size"])
    np.testing.assert_array_equal(got["overlap"], want["overlap"])
    assert list(got["genes"]) == list(want["genes"])
    np.testing.assert_allclose(got["p_value"], want["p_value"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(got["p_adj"], want["p_adj"], rtol=1e-12, atol=0)
    assert list(res.table["p_value"]) == sorted(res.table["p_value"])
