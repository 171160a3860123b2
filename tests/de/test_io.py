"""Count readers: plain tables, featureCounts, HTSeq; errors name file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exodisc.errors import DesignError, InputFormatError
from exodisc.omics.de import counts_to_anndata, read_counts, read_htseq, read_sample_sheet
from exodisc.omics.de._io import sniff_counts

FC = (
    '# Program:featureCounts v2.0.3; Command:"featureCounts" "-a" "x.gtf" "-o" "fc.txt" '
    '"bam/s1.bam" "bam/s2.bam"\n'
    "Geneid\tChr\tStart\tEnd\tStrand\tLength\tbam/s1.bam\tbam/s2.bam\n"
    "G1\tchr1\t10\t200\t+\t191\t5\t0\n"
    "G2\tchr1;chr1\t300;500\t400;600\t-;-\t202\t12\t7\n"
)


def test_plain_tsv_and_csv(tmp_path: Path) -> None:
    p = tmp_path / "c.tsv"
    p.write_text("gene\ta\tb\nG1\t1\t2\nG2\t0\t5\n")
    df = read_counts(p)
    assert list(df.columns) == ["a", "b"]
    assert df.loc["G2", "b"] == 5
    assert df.index.name == "feature_id"
    q = tmp_path / "c.csv"
    q.write_text("gene,a,b\nG1,1,2\nG2,0,5\n")
    pd.testing.assert_frame_equal(read_counts(q), df)


def test_featurecounts(tmp_path: Path) -> None:
    p = tmp_path / "fc.txt"
    p.write_text(FC)
    assert sniff_counts(p) == "featurecounts"
    df = read_counts(p)
    assert list(df.columns) == ["s1", "s2"]
    assert df.loc["G2"].tolist() == [12, 7]


def test_htseq(tmp_path: Path) -> None:
    for s, vals in (("s1", (3, 4)), ("s2", (0, 9))):
        (tmp_path / f"{s}.counts").write_text(
            f"G1\t{vals[0]}\nG2\t{vals[1]}\n__no_feature\t100\n__ambiguous\t3\n"
        )
    assert sniff_counts(tmp_path / "s1.counts") == "htseq"
    df = read_htseq([tmp_path / "s1.counts", tmp_path / "s2.counts"])
    assert df.shape == (2, 2)
    assert df.loc["G2", "s2"] == 9


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("gene\ta\tb\nG1\t1\t2.5\n", r"c.tsv: row 2, column 'b': non-integer count 2.5"),
        ("gene\ta\tb\nG1\t-1\t2\n", r"row 2, column 'a': negative count -1"),
        ("gene\ta\tb\nG1\tNA\t2\n", r"row 2, column 'a': missing count \(feature 'G1'\)"),
        ("gene\ta\tb\nG1\t1\t2\nG1\t3\t4\n", r"duplicated feature ID\(s\) 'G1'"),
        ("gene\ta\tb\nG1\tx\t2\n", r"row 2, column 'a': 'x' is not a number"),
        ("gene\nG1\n", r"expected a feature ID column and at least one sample column"),
    ],
)
def test_bad_tables(tmp_path: Path, body: str, match: str) -> None:
    p = tmp_path / "c.tsv"
    p.write_text(body)
    with pytest.raises(InputFormatError, match=match):
        read_counts(p)
    assert p.read_text() == body  # never modified


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"nope\.tsv: file not found"):
        read_counts(tmp_path / "nope.tsv")


def test_sample_sheet_and_matching(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("sample,cond\na,c\nb,t\nz,t\n")
    sheet = read_sample_sheet(p)
    counts = pd.DataFrame({"a": [1, 2], "b": [3, 4], "q": [0, 1]}, index=["G1", "G2"])
    with pytest.raises(
        DesignError,
        match="in the count matrix but not the sample sheet: q; in the sample sheet but not "
        "the count matrix: z",
    ):
        counts_to_anndata(counts, sheet)
    ok = counts_to_anndata(counts[["b", "a"]], sheet.loc[["a", "b"]])
    assert list(ok.obs_names) == ["b", "a"]
    assert ok.obs.loc["b", "cond"] == "t"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,cond\na,c\n")
    with pytest.raises(InputFormatError, match="needs a 'sample' column"):
        read_sample_sheet(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text("sample,cond\na,c\na,t\n")
    with pytest.raises(InputFormatError, match="line 3: sample 'a' is listed twice"):
        read_sample_sheet(dup)
