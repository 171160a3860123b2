"""Outlier replacement whose only refitted gene is Poisson-like: R keeps the trend and goes on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.omics.de import counts_to_anndata, run_de

REF = Path(__file__).parents[1] / "reference" / "de"


def test_refit_of_near_poisson_genes_matches_r() -> None:
    counts = pd.read_csv(REF / "replace_poisson14_counts.tsv", sep="\t", index_col=0)
    sheet = pd.read_csv(REF / "replace_poisson14_samples.csv").set_index("sample")
    ref = pd.read_csv(REF / "replace_poisson14_results.tsv", sep="\t")
    res = run_de(counts_to_anndata(counts, sheet), "~ condition", ("condition", "trt", "ctrl"))
    t = res.table
    assert t["replaced"].tolist() == ref["replace"].tolist()
    assert t.loc[t["replaced"], "disp_gene_est"].eq(1e-8).all()  # at the minimum, as in R
    for ours, theirs in [("dispersion", "dispersion"), ("p_value", "pvalue"), ("padj", "padj")]:
        ok = ref[theirs].notna()
        assert (t[ours].isna() == ~ok).all()
        np.testing.assert_allclose(t.loc[ok, ours], ref.loc[ok, theirs], rtol=1e-6)
