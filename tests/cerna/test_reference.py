"""Parity with the R computation of the GDCRNATools statistics (tests/reference/cerna)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.omics.cerna import (
    EDGE_COLUMNS,
    build_network,
    cerna_pairs,
    read_expression,
    read_targets,
)

REF = Path(__file__).resolve().parents[1] / "reference" / "cerna"


@pytest.fixture(scope="module")
def ours() -> pd.DataFrame:
    res = cerna_pairs(
        read_expression(REF / "expr_lnc.tsv"),
        read_expression(REF / "expr_pc.tsv"),
        targets_cerna=read_targets(REF / "targets_lnc.tsv"),
        targets_mrna=read_targets(REF / "targets_pc.tsv"),
        expr_mirna=read_expression(REF / "expr_mir.tsv"),
        block_size=5,
    )
    return res.table


@pytest.fixture(scope="module")
def theirs() -> pd.DataFrame:
    return pd.read_csv(REF / "reference_pairs.tsv", sep="\t", skipinitialspace=True)


def test_same_pairs_and_counts(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert list(ours.columns) == EDGE_COLUMNS
    assert len(ours) == len(theirs) == 204
    m = ours.merge(theirs, on=["cerna", "mrna"], suffixes=("", "_r"), validate="1:1")
    assert len(m) == 204
    assert (m["shared_mirnas"] == m["shared_mirnas_r"]).all()
    assert all(
        set(a.split(";")) == set(b.split(";"))
        for a, b in zip(m["mirnas"], m["mirnas_r"], strict=True)
    )


@pytest.mark.parametrize(
    "col", ["hyper_p", "hyper_fdr", "pearson_r", "pearson_p", "reg_sim", "sens_corr"]
)
def test_statistics_equal_r(ours: pd.DataFrame, theirs: pd.DataFrame, col: str) -> None:
    m = ours.merge(theirs, on=["cerna", "mrna"], suffixes=("", "_r"))
    np.testing.assert_allclose(m[col], m[f"{col}_r"], rtol=1e-12, atol=1e-15)


def test_hubs_equal_igraph(ours: pd.DataFrame) -> None:
    net = build_network(ours, max_fdr=0.25)
    ref = pd.read_csv(REF / "reference_nodes.tsv", sep="\t", skipinitialspace=True)
    m = net.nodes.merge(ref, on="id", suffixes=("", "_r"), validate="1:1")
    assert len(m) == len(ref) == len(net.nodes)
    assert (m["degree"] == m["degree_r"]).all()
    np.testing.assert_allclose(m["betweenness"], m["betweenness_r"], atol=1e-12)
