"""limma-voom (second method) against limma 3.54 (tests/reference/de/make_limma_reference.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.omics.de import run_de
from tests.de.de_helpers import REF, airway, synthetic


def _check(res_table: pd.DataFrame, params: dict, name: str) -> None:
    ref = pd.read_csv(REF / f"{name}_limma.tsv.gz", sep="\t")
    meta = pd.read_csv(REF / f"{name}_limma_meta.tsv", sep="\t", header=None, index_col=0)[1]
    assert params["df_prior"] == pytest.approx(meta["df_prior"], rel=1e-9)
    assert params["s2_prior"] == pytest.approx(meta["s2_prior"], rel=1e-9)
    for ours, theirs in [
        ("ave_expr", "AveExpr"),
        ("log2_fold_change", "logFC"),
        ("lfc_se", "se"),
        ("stat", "t"),
        ("p_value", "P.Value"),
        ("padj", "adj.P.Val"),
    ]:
        np.testing.assert_allclose(res_table[ours], ref[theirs], rtol=1e-6, atol=1e-300)


@pytest.mark.parametrize("case", ["paired9", "twogroup8"])
def test_limma_voom_matches_r(case: str) -> None:
    adata, design, con = synthetic(case)
    res = run_de(
        adata, design, con, method="limma-voom", voom_normalization="none", filter_by_expr=False
    )
    _check(res.table, dict(res.params), f"synthetic_{case}")


def test_limma_voom_airway(shared_data: Path) -> None:
    adata, design, con = airway(shared_data)
    res = run_de(
        adata, design, con, method="limma-voom", voom_normalization="none", filter_by_expr=False
    )
    _check(res.table, dict(res.params), "airway")


def test_limma_voom_cli(tmp_path: Path) -> None:
    sheet = pd.read_csv(REF / "synthetic_paired9_samples.csv")
    sheet.to_csv(tmp_path / "s.csv", index=False)
    out = tmp_path / "o.tsv"
    result = CliRunner().invoke(
        app,
        [
            "de",
            str(REF / "synthetic_paired9_counts.tsv"),
            "--samples",
            str(tmp_path / "s.csv"),
            "--design",
            "~ donor + condition",
            "--contrast",
            "condition,il1b,ctrl",
            "--method",
            "limma-voom",
            "--voom-norm",
            "none",
            "--no-filter-by-expr",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    tab = pd.read_csv(out, sep="\t")
    ref = pd.read_csv(REF / "synthetic_paired9_limma.tsv.gz", sep="\t")
    np.testing.assert_allclose(tab["p_value"], ref["P.Value"], rtol=1e-6)


def test_method_choice_error() -> None:
    adata, design, con = synthetic("paired9")
    with pytest.raises(ValueError, match="method must be 'deseq2' or 'limma-voom'"):
        run_de(adata, design, con, method="edger")  # type: ignore[arg-type]
