"""``exodisc run`` compares qPCR with RNA-seq fold changes whenever both are in the study."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from exodisc.assays.qpcr._demo import simulate as simulate_qpcr
from exodisc.config import parse_study
from exodisc.demo import demo_design
from exodisc.omics.de._demo import simulate as simulate_de
from exodisc.pipeline import analyse
from exodisc.registry import DemoContext


@pytest.fixture(scope="module")
def assays(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], list[dict]]:
    folder = tmp_path_factory.mktemp("study")
    design = demo_design()
    ctx = DemoContext(folder=folder, study=parse_study(design, path=folder / "study.yaml"))
    de = [a for a in simulate_de(ctx) if a["kind"] == "mrna_counts"]
    return folder, simulate_qpcr(ctx), de


@pytest.mark.slow
@pytest.mark.parametrize("qpcr_first", [True, False])
def test_agreement_runs_whatever_the_order(
    assays: tuple[Path, list[dict], list[dict]], qpcr_first: bool
) -> None:
    folder, qpcr, de = assays
    order = [*qpcr, *de] if qpcr_first else [*de, *qpcr]
    study = parse_study({**demo_design(), "assays": order}, path=folder / "study.yaml")
    report, results = analyse(study)
    agr = results["qpcr_rnaseq_agreement"]
    assert "qpcr_rnaseq_agreement" in [s.id for s in report.sections]  # type: ignore[attr-defined]
    summary = agr.summary
    d = results[de[0]["id"]]
    assert len(summary) == len(d.results)  # every RNA-seq comparison (qPCR has all groups)
    assert (summary["n_genes"] == 3).all()  # SOX9, COL2A1, ACAN measured both ways
    # recompute one comparison from the two assays' own result tables
    q = results[qpcr[0]["id"]].replicates
    from exodisc.omics.resources import read_gene_annotation

    ann = read_gene_annotation(folder / de[0]["options"]["annotation"])
    to_symbol = dict(zip(ann["ensembl"], ann["symbol"], strict=True))
    row = summary.iloc[0]
    res = next(
        r
        for r in d.results.values()
        if (r.contrast.test, r.contrast.reference) == (row["test"], row["reference"])
    )
    dct = q.groupby(["target", "group"])["delta_ct"].mean().unstack()
    want_q = -(dct[row["test"]] - dct[row["reference"]])
    rs = res.table.assign(gene=res.table["feature_id"].map(to_symbol)).set_index("gene")
    rs = rs["log2_fold_change"]
    genes = sorted(want_q.index)
    a, b = want_q.loc[genes].to_numpy(), rs.loc[genes].to_numpy()
    sel = (agr.genes["test"] == row["test"]) & (agr.genes["reference"] == row["reference"])
    got = agr.genes[sel]
    np.testing.assert_allclose(got.set_index("gene").loc[genes, "log2fc_qpcr"], a, rtol=1e-12)
    np.testing.assert_allclose(got.set_index("gene").loc[genes, "log2fc_rnaseq"], b, rtol=1e-12)
    assert row["sign_agreement"] == pytest.approx(np.mean(np.sign(a) == np.sign(b)))
    assert row["pearson_r"] == pytest.approx(stats.pearsonr(a, b).statistic, abs=1e-12)


def test_no_agreement_without_both(assays: tuple[Path, list[dict], list[dict]]) -> None:
    folder, qpcr, _ = assays
    study = parse_study({**demo_design(), "assays": qpcr}, path=folder / "study.yaml")
    _report, results = analyse(study)
    assert "qpcr_rnaseq_agreement" not in results
    assert isinstance(results[qpcr[0]["id"]].replicates, pd.DataFrame)
