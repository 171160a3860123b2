"""Readers: the real GMT / GO files in ../shared/data, small hand-made OBO/GAF, bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from exodisc.errors import InputFormatError
from exodisc.omics.resources import (
    go_gene_sets,
    read_gaf,
    read_gmt,
    read_go_table,
    read_obo,
    read_two_column,
)

DATA = Path(__file__).parent / "data"

# counts from ../shared/data/gene_sets/PROVENANCE.md; the KEGG and MSigDB 5.0 files, not
# redistributable, are read in tests/resources/test_readers_withheld.py
REAL_GMT = [
    ("h.all.v7.0.symbols.gmt.gz", 50, 4384, "symbol"),
    ("enrichr.GO_Biological_Process_2021.gmt.gz", 6036, 14937, "symbol"),
    ("wikipathways-20180810-gmt-Homo_sapiens.gmt.gz", 462, 6249, "entrez"),
    ("ReactomePathways_markziemann_2021.gmt.gz", 2504, 11387, "symbol"),
]


@pytest.mark.parametrize(("name", "n_sets", "n_genes", "id_type"), REAL_GMT)
def test_real_gmt_files_load(
    shared_data: Path, name: str, n_sets: int, n_genes: int, id_type: str
) -> None:
    gs = read_gmt(shared_data / "gene_sets" / name)
    assert len(gs) == n_sets
    assert len(gs.genes) == n_genes
    assert gs.id_type == id_type


def test_real_hallmark_content(shared_data: Path) -> None:
    gs = read_gmt(shared_data / "gene_sets" / "h.all.v7.0.symbols.gmt.gz")
    tnf = gs.sets["HALLMARK_TNFA_SIGNALING_VIA_NFKB"]
    assert len(tnf) == 200
    assert tnf[:3] == ("JUNB", "CXCL2", "ATF3")
    assert gs.descriptions["HALLMARK_TNFA_SIGNALING_VIA_NFKB"].startswith("http://www.gsea")


def test_real_go_annotation_table(shared_data: Path) -> None:
    df = read_go_table(shared_data / "gene_sets" / "norce_goa_human_go_annotations.tsv.gz")
    assert len(df) == 284_265
    counts = df["aspect"].value_counts()
    assert (counts["P"], counts["C"], counts["F"]) == (137_575, 80_584, 66_106)
    bp = go_gene_sets(df, aspect="BP")
    assert len(bp) == 11_803
    assert len(bp.genes) == 17_523
    cc = go_gene_sets(df, aspect="CC")
    assert len(cc) == 1_628


def test_obo_dag_and_propagation() -> None:
    g = read_obo(DATA / "mini_go.obo")
    assert g.version == "releases/2024-01-17"
    assert g.terms["GO:0000002"].obsolete
    assert g.primary("GO:0000001") == "GO:0097190"
    assert g.ancestors("GO:0097190") == {
        "GO:0097190",
        "GO:0006915",
        "GO:0012501",
        "GO:0008219",
        "GO:0008150",
    }
    ann = read_gaf(DATA / "mini.gaf")
    assert ann["negated"].tolist() == [False, False, False, True, False, False]
    direct = go_gene_sets(ann, aspect="P")
    assert direct.sets["GO:0006915"] == ("BAX",)  # NOT annotation of IL1B left out
    prop = go_gene_sets(ann, aspect="P", graph=g)
    # true-path rule: BCL2 (GO:0097190) and CASP3 (alt id of it) count for apoptotic process
    assert prop.sets["GO:0006915"] == ("BAX", "BCL2", "CASP3")
    assert prop.sets["GO:0008150"] == ("BAX", "BCL2", "CASP3", "IL1B")
    assert prop.descriptions["GO:0012501"] == "programmed cell death"
    assert "GO:0005576" not in prop.sets  # other aspect
    no_iea = go_gene_sets(ann, aspect="BP", graph=g, exclude_evidence=["IEA"])
    assert no_iea.sets["GO:0006915"] == ("BAX", "BCL2")
    cc = go_gene_sets(ann, aspect="C", graph=g)
    assert cc.sets["GO:0005575"] == ("IL1B",)


def test_two_column(tmp_path: Path) -> None:
    f = tmp_path / "t2g.csv"
    f.write_text("term,gene\nT1,A\nT1,B\nT2,C\n")
    df = read_two_column(f, names=("term", "gene"))
    assert df.values.tolist() == [["T1", "A"], ["T1", "B"], ["T2", "C"]]
    g = tmp_path / "no_header.tsv"
    g.write_text("hsa-miR-21-5p\tPTEN\n")
    assert read_two_column(g).values.tolist() == [["hsa-miR-21-5p", "PTEN"]]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("S1\tdesc\tA\tB\nS2\n", r"line 2: found 1 tab-separated field\(s\)"),
        ("S1\tdesc\tA\nS1\tdesc\tB\n", r"line 2: gene set 'S1' appears twice \(first on line 1\)"),
        ("S1\tdesc\t\t\n", r"line 1: gene set 'S1' has no genes"),
        ("\n# only comments\n", "no gene sets found"),
    ],
)
def test_bad_gmt(tmp_path: Path, text: str, match: str) -> None:
    f = tmp_path / "bad.gmt"
    f.write_text(text)
    with pytest.raises(InputFormatError, match=match):
        read_gmt(f)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"nope\.gmt: file not found"):
        read_gmt(tmp_path / "nope.gmt")
    z = tmp_path / "trunc.gmt.gz"
    z.write_bytes(gzip.compress(b"S1\td\tA\tB\n")[:-8])
    with pytest.raises(InputFormatError, match=r"trunc\.gmt\.gz: cannot be read"):
        read_gmt(z)
    gaf = tmp_path / "x.gaf"
    gaf.write_text("!gaf-version: 2.2\nUniProtKB\tP1\tA\t\tGO:1\n")
    with pytest.raises(InputFormatError, match=r"x\.gaf: line 2: found 5 tab-separated columns"):
        read_gaf(gaf)
    gaf.write_text("UniProtKB\tP1\n")
    with pytest.raises(InputFormatError, match=r"no '!gaf-version: 2\.x' header"):
        read_gaf(gaf)
    obo = tmp_path / "x.obo"
    obo.write_text("[Term]\nname: no id\n")
    with pytest.raises(InputFormatError, match=r"stanza starting on line 1: a \[Term\] stanza"):
        read_obo(obo)
    tab = tmp_path / "go.tsv"
    tab.write_text("go_id\taspect\tgene_symbol\nGO:1\tX\tA\n")
    with pytest.raises(InputFormatError, match=r"line 2, column 'aspect': aspect is 'X'"):
        read_go_table(tab)
    tab.write_text("go\tgene\nGO:1\tA\n")
    with pytest.raises(InputFormatError, match=r"header: missing column\(s\)"):
        read_go_table(tab)
