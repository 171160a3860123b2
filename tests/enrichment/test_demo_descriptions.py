"""The example study's gene-set files carry descriptions, so the results' column is filled."""

from __future__ import annotations

from pathlib import Path

from exodisc.demo._genes import GO_SETS, KEGG_SETS
from exodisc.omics.enrichment import ora
from exodisc.omics.enrichment._demo import _gmt
from exodisc.omics.resources import read_gmt


def test_demo_gmt_descriptions_fill_the_results(tmp_path: Path) -> None:
    for sets in (GO_SETS, KEGG_SETS):
        path = tmp_path / "sets.gmt"
        path.write_text(_gmt(sets))
        gs = read_gmt(path)
        genes = sorted({g for _, members in sets for g in members})
        res = ora(genes[: len(genes) // 2], gs, background=genes, min_size=1, min_overlap=1)
        desc = res.table.set_index("term")["description"]
        assert len(desc) > 0
        assert (desc.str.len() > 0).all(), desc
    assert desc.loc["IL-17 signaling pathway hsa04657"] == "IL-17 signaling pathway"
    path.write_text(_gmt(GO_SETS))
    go = read_gmt(path)
    assert go.descriptions["inflammatory response (GO:0006954)"] == "inflammatory response"
