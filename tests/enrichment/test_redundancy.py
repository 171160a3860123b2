"""Kappa clustering (against statsmodels' Cohen's kappa) and GO parent–child simplification."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from exodisc.omics.enrichment import kappa_clusters, kappa_matrix, simplify_go
from exodisc.omics.resources import read_obo

DATA = Path(__file__).resolve().parents[1] / "resources" / "data"


def test_kappa_equals_statsmodels() -> None:
    rng = np.random.default_rng(4)
    genes = [f"g{i}" for i in range(40)]
    members = {
        f"T{j}": set(rng.choice(genes, int(rng.integers(5, 25)), replace=False)) for j in range(6)
    }
    k = kappa_matrix(members, genes)
    for a in members:
        for b in members:
            x = np.array([g in members[a] for g in genes])
            y = np.array([g in members[b] for g in genes])
            table = np.array([[np.sum(x & y), np.sum(x & ~y)], [np.sum(~x & y), np.sum(~x & ~y)]])
            want = cohens_kappa(table).kappa
            assert k.loc[a, b] == pytest.approx(want, abs=1e-12)


def test_kappa_clusters_group_similar_terms() -> None:
    core = [f"g{i}" for i in range(10)]
    rows = [
        ("A1", 1e-6, core),
        ("A2", 1e-5, core[:9]),
        ("A3", 1e-4, core[1:]),
        ("B1", 1e-3, ["h1", "h2", "h3", "h4"]),
        ("B2", 2e-3, ["h1", "h2", "h3", "h4", "h5"]),
        ("B3", 3e-3, ["h2", "h3", "h4", "h5"]),
        ("C1", 0.04, ["g1", "h1", "x9"]),
    ]
    table = pd.DataFrame(
        {
            "term": [r[0] for r in rows],
            "p_value": [r[1] for r in rows],
            "genes": [";".join(r[2]) for r in rows],
        }
    )
    cl = kappa_clusters(table)
    groups = {c: set(g["term"]) for c, g in cl.groupby("cluster")}
    assert groups == {1: {"A1", "A2", "A3"}, 2: {"B1", "B2", "B3"}}
    score = cl[cl["cluster"] == 1]["enrichment_score"].iloc[0]
    assert score == pytest.approx(np.mean([6, 5, 4]))
    assert kappa_clusters(table.iloc[:0]).empty


def test_simplify_go_drops_less_specific_parents() -> None:
    g = read_obo(DATA / "mini_go.obo")
    table = pd.DataFrame(
        {
            "term": ["GO:0097190", "GO:0006915", "GO:0008219", "GO:0006954", "GO:0012501"],
            "p_adj": [0.001, 0.01, 0.0001, 0.02, 0.5],
        }
    )
    out = simplify_go(table, g)
    # apoptotic process is explained by its more significant child; cell death (GO:0008219)
    # is more significant than its descendants and stays; non-significant rows stay
    assert out["term"].tolist() == ["GO:0097190", "GO:0008219", "GO:0006954", "GO:0012501"]
