"""ORA on Reactome pathways (shipped in tests/data, CC0) against gseapy.enrich (stored fixture).

tests/reference/ora_gseapy/make_reference.py drew three seeded gene lists from the library's
genes (the first with 25 TNF-signalling and 15 interleukin-1-signalling genes added) and ran
``gseapy.enrich`` with the library's genes as background; see its README.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.omics.enrichment import ora
from exodisc.omics.resources import read_gmt

REF = Path(__file__).resolve().parents[1] / "reference" / "ora_gseapy"


def test_ora_equals_gseapy_enrich_on_reactome(shared_data: Path) -> None:
    gs = read_gmt(shared_data / "gene_sets" / "ReactomePathways_markziemann_2021.gmt.gz")
    lists = pd.read_csv(REF / "lists_reactome.tsv", sep="\t")
    ref = pd.read_csv(REF / "gseapy_enrich_reactome.tsv", sep="\t", float_precision="round_trip")
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
    assert first["term"].iloc[0] == "TNF-signaling"  # the planted pathways come first
    assert "Interleukin-1-signaling" in first["term"].head(8).tolist()
