"""ORA on real gene sets (Enrichr KEGG 2016) against gseapy.enrich (stored fixture).

KEGG's licence forbids shipping its library, so on a bare clone this module is skipped once,
naming it; the same comparison on Reactome pathways (shipped, CC0) is
tests/enrichment/test_ora_gseapy_reactome.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.omics.enrichment import ora
from exodisc.omics.resources import read_gmt
from tests._shared import skip_module_unless_shared

skip_module_unless_shared("gene_sets/enrichr.KEGG_2016.gmt.gz")

REF = Path(__file__).resolve().parents[1] / "reference" / "ora_gseapy"


def test_ora_equals_gseapy_enrich(shared_data: Path) -> None:
    gs = read_gmt(shared_data / "gene_sets" / "enrichr.KEGG_2016.gmt.gz")
    lists = pd.read_csv(REF / "lists.tsv", sep="\t")
    ref = pd.read_csv(REF / "gseapy_enrich_kegg2016.tsv", sep="\t", float_precision="round_trip")
    for i, genes in lists.groupby("list")["gene"]:
        res = ora(genes.tolist(), gs, min_size=1, max_size=10_000)
        ours = res.table.set_index("term")
        theirs = ref[ref["list"] == i].set_index("Term")
        assert set(ours.index) == set(theirs.index), i
        theirs = theirs.loc[ours.index]
        k, big_k = zip(*(map(int, o.split("/")) for o in theirs["Overlap"]), strict=True)
        np.testing.assert_array_equal(ours["overlap"], k)
        np.testing.assert_array_equal(ours["set_size"], big_k)
        np.testing.assert_allclose(ours["p_value"], theirs["P-value"], rtol=1e-12, atol=0)
        np.testing.assert_allclose(ours["p_adj"], theirs["Adjusted P-value"], rtol=1e-12, atol=0)
        for term, a, b in zip(ours.index, ours["genes"], theirs["Genes"], strict=True):
            assert set(a.split(";")) == set(b.split(";")), term
    first = ora(lists[lists["list"] == 0]["gene"].tolist(), gs).table
    assert "TNF signaling pathway Homo sapiens hsa04668" in first["term"].head(3).tolist()
