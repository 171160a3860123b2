"""``exodisc demo-reads``: the reads assay inside a study, its counts feeding the DE assays."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def test_demo_reads_counts_feed_de(reads_tools, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from exodisc.cli import app

    out = tmp_path / "demo"
    res = CliRunner().invoke(app, ["demo-reads", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    results = out / "results"
    assert (results / "report.html").is_file()
    truth = pd.read_csv(out / "study" / "data" / "truth.tsv", sep="\t", index_col=0)

    def table(name: str) -> pd.DataFrame:
        return pd.read_csv(results / "tables" / f"{name}.tsv", sep="\t")

    mrna = table("reads_counts_mrna").set_index("feature_id")
    want = truth.loc[truth["rna_class"] == "mRNA", mrna.columns].astype("int64")
    pd.testing.assert_frame_equal(mrna.sort_index(), want.sort_index(), check_names=False)
    # the DE assay named no files: it read the reads assay's counts/mrna.tsv
    de = table("mrna_counts_exo_vs_ctrl").set_index("feature_id")
    assert set(de.index) == set(want.index)
    assert de.loc["ENSGSIM0001", "log2_fold_change"] > 1  # simulated ~x3.5 in exo
    assert de.loc["ENSGSIM0001", "padj"] < 0.05
    assert "sim-miR-1-5p" in set(table("mirna_counts_exo_vs_ctrl")["feature_id"])
    assert (results / "files" / "reads_multiqc_report.html").stat().st_size > 10_000
    stats = table("reads_multiqc_general_stats")
    assert len(stats) >= 4  # the MultiQC general-statistics table is a report table
    html = (results / "report.html").read_text()
    assert "Snakemake" in html  # the methods paragraph
    assert "mirtop (0." in html  # mirtop's version in it
