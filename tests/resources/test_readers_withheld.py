"""The GMT reader on the real gene-set files whose licences forbid shipping them.

KEGG's licence forbids redistribution (MSigDB's C2 KEGG and Enrichr's KEGG 2016 library),
and MSigDB 5.0 predates MSigDB's CC BY 4.0 terms: they are not in tests/data, so on a bare
clone this module is skipped once, naming them. The shipped files are read in
tests/resources/test_readers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.omics.resources import read_gmt
from tests._shared import skip_module_unless_shared

WITHHELD_GMT = [
    ("c2.cp.kegg.v7.5.1.symbols.gmt.gz", 186, 5245, "symbol"),
    ("enrichr.KEGG_2016.gmt.gz", 293, 7010, "symbol"),
    ("c5.cc.v5.0.entrez.gmt.gz", 233, 5270, "entrez"),
]

skip_module_unless_shared(*(f"gene_sets/{name}" for name, *_ in WITHHELD_GMT))


@pytest.mark.parametrize(("name", "n_sets", "n_genes", "id_type"), WITHHELD_GMT)
def test_withheld_gmt_files_load(
    shared_data: Path, name: str, n_sets: int, n_genes: int, id_type: str
) -> None:
    gs = read_gmt(shared_data / "gene_sets" / name)
    assert len(gs) == n_sets  # counts from ../shared/data/gene_sets/PROVENANCE.md
    assert len(gs.genes) == n_genes
    assert gs.id_type == id_type
