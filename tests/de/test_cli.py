"""``exodisc de`` on the command line (contract of issue 6), checked against R."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from exodisc.cli import app
from tests.de.de_helpers import REF

COLUMNS = ["feature_id", "base_mean", "log2_fold_change", "lfc_se", "stat", "p_value", "padj"]


def test_de_command_matches_r(tmp_path: Path) -> None:
    sheet = pd.read_csv(REF / "synthetic_paired9_samples.csv")
    sheet_path = tmp_path / "sheet.csv"
    sheet.to_csv(sheet_path, index=False)
    out = tmp_path / "out" / "res.tsv"
    result = CliRunner().invoke(
        app,
        [
            "de",
            str(REF / "synthetic_paired9_counts.tsv"),
            "--samples",
            str(sheet_path),
            "--design",
            "~ donor + condition",
            "--contrast",
            "condition,il1b,ctrl",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    tab = pd.read_csv(out, sep="\t")
    assert list(tab.columns[:7]) == COLUMNS
    raw = out.read_text().splitlines()
    assert raw[1].startswith("gene0001\t0\t\t\t\t\t\t")  # NA written as empty
    ref = pd.read_csv(REF / "synthetic_paired9_results.tsv.gz", sep="\t")
    for ours, theirs in [
        ("log2_fold_change", "log2FoldChange"),
        ("p_value", "pvalue"),
        ("padj", "padj"),
    ]:
        assert (tab[ours].isna() == ref[theirs].isna()).all()
        ok = ref[theirs].notna()
        np.testing.assert_allclose(tab.loc[ok, ours], ref.loc[ok, theirs], rtol=1e-6, atol=1e-12)


def test_de_command_errors(tmp_path: Path) -> None:
    sheet_path = tmp_path / "sheet.csv"
    sheet_path.write_text("sample,condition\nD1_ctrl,ctrl\n")
    args = [
        "de",
        str(REF / "synthetic_paired9_counts.tsv"),
        "--samples",
        str(sheet_path),
        "--design",
        "~ condition",
        "--contrast",
        "condition,il1b,ctrl",
        "-o",
        str(tmp_path / "o.tsv"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "in the count matrix but not the sample sheet: D1_il1b" in result.output
    assert not (tmp_path / "o.tsv").exists()


def test_de_command_lrt_matches_r(tmp_path: Path) -> None:
    """``--test lrt --reduced '~ donor'``: R's DESeq(test = 'LRT', reduced = ~ donor)."""
    sheet_path = tmp_path / "sheet.csv"
    pd.read_csv(REF / "synthetic_paired9_samples.csv").to_csv(sheet_path, index=False)
    out = tmp_path / "lrt.tsv"
    result = CliRunner().invoke(
        app,
        [
            "de",
            str(REF / "synthetic_paired9_counts.tsv"),
            "--samples",
            str(sheet_path),
            "--design",
            "~ donor + condition",
            "--contrast",
            "condition,il1b,ctrl",
            "--test",
            "lrt",
            "--reduced",
            "~ donor",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "LRT vs ~ donor" in result.output
    tab = pd.read_csv(out, sep="\t")
    assert list(tab.columns[:7]) == COLUMNS
    ref = pd.read_csv(REF / "synthetic_paired9_lrt_results.tsv.gz", sep="\t")
    for ours, theirs in [("stat", "stat"), ("p_value", "pvalue"), ("padj", "padj")]:
        assert (tab[ours].isna() == ref[theirs].isna()).all()
        ok = ref[theirs].notna()
        np.testing.assert_allclose(tab.loc[ok, ours], ref.loc[ok, theirs], rtol=1e-6, atol=1e-12)


def test_de_command_shrink_matches_r(tmp_path: Path) -> None:
    """``--shrink normal``: R's lfcShrink(type = 'normal'); the MLE stays in a column."""
    sheet_path = tmp_path / "sheet.csv"
    pd.read_csv(REF / "synthetic_paired9_samples.csv").to_csv(sheet_path, index=False)
    out = tmp_path / "shr.tsv"
    result = CliRunner().invoke(
        app,
        [
            "de",
            str(REF / "synthetic_paired9_counts.tsv"),
            "--samples",
            str(sheet_path),
            "--design",
            "~ donor + condition",
            "--contrast",
            "condition,il1b,ctrl",
            "--shrink",
            "normal",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    tab = pd.read_csv(out, sep="\t")
    assert list(tab.columns[:8]) == [*COLUMNS, "log2_fold_change_mle"]
    ref = pd.read_csv(REF / "synthetic_paired9_shrink_results.tsv.gz", sep="\t")
    for ours, theirs in [("log2_fold_change", "log2FoldChange"), ("lfc_se", "lfcSE")]:
        assert (tab[ours].isna() == ref[theirs].isna()).all()
        ok = ref[theirs].notna()
        np.testing.assert_allclose(tab.loc[ok, ours], ref.loc[ok, theirs], atol=1e-8)


def test_bad_annotation_fails_before_the_analysis(tmp_path: Path, monkeypatch) -> None:
    """--annotation naming a folder is refused in seconds, not after the DE fit."""
    import exodisc.omics.de as de_api

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("run_de was called before the annotation was read")

    monkeypatch.setattr(de_api, "run_de", never)
    sheet = tmp_path / "sheet.csv"
    pd.read_csv(REF / "synthetic_paired9_samples.csv").to_csv(sheet, index=False)
    args = ["de", str(REF / "synthetic_paired9_counts.tsv"), "--samples", str(sheet)]
    args += ["--design", "~ condition", "--contrast", "condition,il1b,ctrl"]
    args += ["--annotation", str(tmp_path), "-o", str(tmp_path / "o.tsv")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"{tmp_path}: is a folder; expected a file" in result.output
    assert not (tmp_path / "o.tsv").exists()
