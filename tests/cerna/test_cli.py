"""``exodisc cerna --expr-cerna ... -o EDGES.tsv`` (the issue's command-line contract)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from typer.testing import CliRunner

from exodisc.cli import app

REF = Path(__file__).resolve().parents[1] / "reference" / "cerna"
COLUMNS = [
    "cerna", "mrna", "shared_mirnas", "hyper_p", "hyper_fdr", "pearson_r", "pearson_p",
    "reg_sim", "sens_corr", "mirnas",
]  # fmt: skip


def _args(out: Path) -> list[str]:
    return [
        "cerna",
        "--expr-cerna", str(REF / "expr_lnc.tsv"),
        "--expr-mrna", str(REF / "expr_pc.tsv"),
        "--expr-mirna", str(REF / "expr_mir.tsv"),
        "--targets-cerna", str(REF / "targets_lnc.tsv"),
        "--targets-mrna", str(REF / "targets_pc.tsv"),
        "-o", str(out),
    ]  # fmt: skip


def test_cli_writes_contract_columns_equal_to_r(tmp_path: Path) -> None:
    out = tmp_path / "edges.tsv"
    gml, cy = tmp_path / "n.graphml", tmp_path / "n.json"
    res = CliRunner().invoke(app, [*_args(out), "--graphml", str(gml), "--cytoscape", str(cy)])
    assert res.exit_code == 0, res.output
    assert "204 pair(s) tested" in res.output and "204 written" in res.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns) == COLUMNS
    ref = pd.read_csv(REF / "reference_pairs.tsv", sep="\t", skipinitialspace=True)
    m = t.merge(ref, on=["cerna", "mrna"], suffixes=("", "_r"), validate="1:1")
    assert len(m) == len(ref)
    for col in ["hyper_p", "hyper_fdr", "pearson_r", "pearson_p", "reg_sim", "sens_corr"]:
        np.testing.assert_allclose(m[col], m[f"{col}_r"], rtol=1e-12, atol=1e-15)
    assert nx.read_graphml(gml).number_of_nodes() == len(
        json.loads(cy.read_text())["elements"]["nodes"]
    )
    # --max-fdr writes only the pairs that pass (the FDR still over all 204 tested pairs)
    res = CliRunner().invoke(app, [*_args(out), "--max-fdr", "0.25"])
    assert res.exit_code == 0, res.output
    passed = ref[ref["hyper_fdr"] <= 0.25]
    assert 0 < len(passed) < len(ref)
    assert "204 pair(s) tested" in res.output and f"{len(passed)} written" in res.output
    t = pd.read_csv(out, sep="\t")
    assert t[["cerna", "mrna"]].values.tolist() == passed[["cerna", "mrna"]].values.tolist()
    np.testing.assert_allclose(t["hyper_fdr"], passed["hyper_fdr"], rtol=1e-12)
    # --top N: the N smallest FDRs; --min-shared raises the bar (and the FDR's denominator)
    res = CliRunner().invoke(app, [*_args(out), "--top", "5"])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, sep="\t")
    want = ref.sort_values(["hyper_fdr", "hyper_p", "pearson_p", "cerna", "mrna"]).head(5)
    assert t[["cerna", "mrna"]].values.tolist() == want[["cerna", "mrna"]].values.tolist()
    res = CliRunner().invoke(app, [*_args(out), "--min-shared", "5"])
    n5 = int((ref["shared_mirnas"] >= 5).sum())
    assert f"{n5} pair(s) tested (sharing >= 5 miRNA(s)" in res.output


def test_cli_bad_input_is_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tS1\tS2\nLNC00\t1\tabc\n", encoding="utf-8")
    args = _args(tmp_path / "o.tsv")
    args[2] = str(bad)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1
    assert "bad.tsv: row 2, column 'S2': non-numeric or missing value 'abc'" in res.output
    assert not (tmp_path / "o.tsv").exists()
