"""Readers of expression matrices, target tables in their download formats, miRNA names."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from exodisc.errors import InputFormatError
from exodisc.omics.cerna import (
    harmonize_mirnas,
    normalize_mirnas,
    read_expression,
    read_mirbase_names,
    read_targets,
)


def _w(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_expression(tmp_path: Path) -> None:
    p = _w(tmp_path / "e.tsv", "id\ta\tb\tc\nG1\t1\t2.5\t3\nG2\t0\t0\t1e3\n")
    df = read_expression(p)
    assert list(df.columns) == ["a", "b", "c"]
    assert df.loc["G2", "c"] == 1000.0
    assert df.index.name == "feature_id"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id\ta\nG1\t1\n", r"e\.tsv: header: expected a feature-ID column and at least 2"),
        ("id\ta\tb\nG1\t1\t2\nG1\t3\t4\n", r"row 3: feature ID 'G1' occurs more than once"),
        (
            "id\ta\tb\nG1\t1\tNA\nG2\tx\t2\n",
            r"row 2, column 'b': non-numeric or missing value 'NA' \(2 such",
        ),
    ],
)
def test_read_expression_errors(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(InputFormatError, match=match):
        read_expression(_w(tmp_path / "e.tsv", text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"nope\.tsv: file not found"):
        read_targets(tmp_path / "nope.tsv")


@pytest.mark.parametrize(
    ("header", "row", "fmt"),
    [
        ("gene\tmirna", "G1\thsa-miR-21-5p", "pairs"),
        ("database\tensembl_gene_id\tmirna", "mirTarBase\tG1\thsa-miR-21-5p", "gdcrnatools"),
        ("circRNA\tmiRNA\tScore\tEnergy", "G1\thsa-miR-21-5p\t150\t-20", "pycircdb"),
        (
            "miRNAid\tmiRNAname\tgeneID\tgeneName\tclipExpNum",
            "MIMAT0000076\thsa-miR-21-5p\tG1\tPTEN\t12",
            "encori",
        ),
        (
            "miRTarBase ID\tmiRNA\tSpecies (miRNA)\tTarget Gene\tTarget Gene (Entrez ID)",
            "MIRT000002\thsa-miR-21-5p\tHomo sapiens\tG1\t5728",
            "mirtarbase",
        ),
        ("miRNA\tGene ID\tContext score", "hsa-miR-21-5p\tG1\t-0.3", "targetscan"),
    ],
)
def test_target_formats_sniffed(tmp_path: Path, header: str, row: str, fmt: str) -> None:
    p = _w(tmp_path / "t.tsv", f"{header}\n{row}\n{row}\n")
    df = read_targets(p)
    assert df.to_dict(orient="records") == [{"feature_id": "G1", "mirna": "hsa-miR-21-5p"}]
    assert read_targets(p, format=fmt).equals(df)  # type: ignore[arg-type]


def test_target_errors(tmp_path: Path) -> None:
    with pytest.raises(
        InputFormatError, match=r"header: format 'encori' needs column\(s\) 'geneid'"
    ):
        read_targets(_w(tmp_path / "t.tsv", "gene\tmirna\nG1\tm\n"), format="encori")
    with pytest.raises(InputFormatError, match=r"row 3: empty feature ID or miRNA name"):
        read_targets(_w(tmp_path / "t2.tsv", "gene\tmirna\nG1\tm\nG2\t\n"))
    with pytest.raises(InputFormatError, match="header but no interactions"):
        read_targets(_w(tmp_path / "t3.tsv", "gene\tmirna\n"))
    with pytest.raises(InputFormatError, match=r"expected two tab-separated columns"):
        read_targets(_w(tmp_path / "t4.tsv", "gene\nG1\n"))


def test_normalize_rules() -> None:
    ref = {"hsa-miR-21-5p", "hsa-miR-21-3p", "hsa-miR-155-5p", "hsa-let-7a-5p", "hsa-let-7a-3p"}
    res = normalize_mirnas(
        ["miR-155", "hsa-mir-155", "hsa-miR-21", "hsa-miR-21-5p", "let-7a-3p", "hsa-miR-9999"],
        reference=ref,
    )
    assert res.mapping == {
        "miR-155": "hsa-miR-155-5p",  # prefix added, arm-less name → its only arm
        "hsa-mir-155": "hsa-miR-155-5p",
        "hsa-miR-21": "hsa-miR-21",  # both arms exist: cannot tell, left unmatched
        "hsa-miR-21-5p": "hsa-miR-21-5p",
        "let-7a-3p": "hsa-let-7a-3p",
        "hsa-miR-9999": "hsa-miR-9999",
    }
    assert res.unmatched == ("hsa-miR-21", "hsa-miR-9999")
    assert normalize_mirnas(["miR-1"]).unmatched == ()


def test_real_names_against_mirbase_v21(shared_data: Path) -> None:
    """pycircdb's circRNA–miRNA hits (no 'hsa-' prefix) mapped onto miRBase v21 names."""
    ref = read_mirbase_names(
        shared_data / "gene_annotation" / "gdcrnatools_mirbase_v21_hsa_mature.tsv"
    )
    assert len(ref) == 2588 and "hsa-let-7a-5p" in ref
    hits = read_targets(
        shared_data / "mirna_targets" / "pycircdb_vromann_circRNA_miRNA_hits_hg38.tsv.gz"
    )
    names = normalize_mirnas(hits["mirna"].unique(), reference=ref)
    # every name is either in v21 after normalisation or counted as unmatched
    in_ref = sum(v in ref for v in names.mapping.values())
    assert in_ref + names.n_unmatched == len(names.mapping) == hits["mirna"].nunique()
    assert "miR-4464/4748" in names.unmatched  # TargetScan family names stay unmatched
    assert names.n_unmatched < 0.2 * len(names.mapping)
    assert all(n not in ref for n in (names.mapping[u] for u in names.unmatched))
    # the v18 mature FASTA reads too (21,643 names, 1,921 human, per PROVENANCE.md)
    v18 = read_mirbase_names(shared_data / "gene_annotation" / "mirbase18_mature.fa.gz")
    assert len(v18) == 21643 and sum(n.startswith("hsa-") for n in v18) == 1921


def test_harmonize_does_not_modify_inputs(tmp_path: Path) -> None:
    tc = pd.DataFrame({"feature_id": ["L1", "L1"], "mirna": ["miR-1", "hsa-mir-1"]})
    tp = pd.DataFrame({"feature_id": ["G1"], "mirna": ["hsa-miR-1"]})
    em = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=["miR-1", "hsa-miR-1"])
    before = tc.copy()
    h = harmonize_mirnas(tc, tp, em)
    pd.testing.assert_frame_equal(tc, before)
    assert h.targets_cerna.to_dict(orient="records") == [{"feature_id": "L1", "mirna": "hsa-miR-1"}]
    assert h.expr_mirna is not None
    assert h.expr_mirna.loc["hsa-miR-1"].tolist() == [3.0, 7.0]  # duplicate rows summed


def test_gz_targets(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv.gz"
    with gzip.open(p, "wt") as fh:
        fh.write("gene\tmirna\nG1\tmiR-1\n")
    assert read_targets(p)["mirna"].tolist() == ["miR-1"]
