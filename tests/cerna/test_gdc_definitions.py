"""GDCRNATools' own definitions by default, exodisc's former ones as options (both vs R).

``tests/reference/cerna/make_reference_gdc.R`` transcribes gdcCEAnalysis (hyperTestFun,
multiRegTestFun) on inputs where the definitions differ: the target lists name features and
miRNAs absent from the expression matrices (N over the full lists), and the miRNA matrix
lacks 2 of the 9 samples (correlations over the shared samples).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.omics.cerna import cerna_pairs, read_expression, read_targets

REF = Path(__file__).resolve().parents[1] / "reference" / "cerna"
STATS = ["hyper_p", "hyper_fdr", "pearson_r", "pearson_p", "reg_sim", "sens_corr"]


def _ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, sep="\t", skipinitialspace=True)


def _inputs() -> dict[str, pd.DataFrame]:
    return {
        "expr_cerna": read_expression(REF / "expr_lnc.tsv"),
        "expr_mrna": read_expression(REF / "expr_pc.tsv"),
        "expr_mirna": read_expression(REF / "gdc_expr_mir.tsv"),
        "targets_cerna": read_targets(REF / "gdc_targets_lnc.tsv"),
        "targets_mrna": read_targets(REF / "gdc_targets_pc.tsv"),
    }


def _compare(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got[["cerna", "mrna"]].values.tolist() == want[["cerna", "mrna"]].values.tolist()
    np.testing.assert_array_equal(got["shared_mirnas"], want["shared_mirnas"])
    for col in STATS:
        np.testing.assert_allclose(got[col], want[col], rtol=1e-10, atol=1e-14, err_msg=col)
    assert (got["mirnas"] == want["mirnas"]).all()


@pytest.mark.parametrize(
    ("kwargs", "fixture"),
    [
        ({}, "gdc_reference_pairs.tsv"),
        (
            {"population": "analysed", "correlation_samples": "all"},
            "analysed_reference_pairs.tsv",
        ),
    ],
)
def test_library_matches_gdcceanalysis_transcription(kwargs: dict, fixture: str) -> None:
    want = _ref(fixture)
    res = cerna_pairs(**_inputs(), **kwargs)
    assert res.population == int(want["population"].iloc[0])
    _compare(res.table, want)


def test_definitions_differ_here() -> None:
    a, b = _ref("gdc_reference_pairs.tsv"), _ref("analysed_reference_pairs.tsv")
    assert a["population"].iloc[0] == 40 and b["population"].iloc[0] == 30
    assert np.abs(a["pearson_r"] - b["pearson_r"]).max() > 0.05
    assert np.abs(np.log(a["hyper_p"] / b["hyper_p"])).max() > 0.5


def test_cli_defaults_are_gdcrnatools_and_options_are_ours(tmp_path: Path) -> None:
    out = tmp_path / "pairs.tsv"
    base = [
        "cerna",
        "--expr-cerna", str(REF / "expr_lnc.tsv"),
        "--expr-mrna", str(REF / "expr_pc.tsv"),
        "--expr-mirna", str(REF / "gdc_expr_mir.tsv"),
        "--targets-cerna", str(REF / "gdc_targets_lnc.tsv"),
        "--targets-mrna", str(REF / "gdc_targets_pc.tsv"),
        "-o", str(out),
    ]  # fmt: skip
    r = CliRunner().invoke(app, base)
    assert r.exit_code == 0, r.output
    assert "N = 40 miRNAs, 7 samples" in r.output
    _compare(pd.read_csv(out, sep="\t"), _ref("gdc_reference_pairs.tsv"))
    r = CliRunner().invoke(app, [*base, "--population", "analysed", "--correlation-samples", "all"])
    assert r.exit_code == 0, r.output
    assert "N = 30 miRNAs, 9 samples" in r.output
    _compare(pd.read_csv(out, sep="\t"), _ref("analysed_reference_pairs.tsv"))
