"""salmon / kallisto (tximport), CIRIquant, CIRCexplorer2, miRge3 and mirtop inputs.

The tximport cases compare against R tximport 1.26.1 outputs stored under
tests/reference/tximport/ (fixtures written in the real quant.sf / abundance.tsv layouts).
The circRNA and miRNA fixtures are small files written here to the tools' documented
layouts (CIRIquant GTF attributes, CIRCexplorer2's 18-column circularRNA_known.txt,
miRge3 miR.Counts.csv, mirtop counts table and GFF3); the expected matrices are counted
by hand from those lines.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.errors import InputFormatError
from exodisc.omics.de import (
    load_counts,
    read_circexplorer2,
    read_ciriquant,
    read_mirge3,
    read_mirtop,
    tximport,
)
from exodisc.omics.de._io import sniff_counts

TXREF = Path(__file__).parents[1] / "reference" / "tximport"
FILES = {"salmon": "quant.sf", "kallisto": "abundance.tsv"}


def _quant_files(kind: str) -> list[Path]:
    return [TXREF / kind / f"S{i}" / FILES[kind] for i in (1, 2, 3)]


@pytest.mark.parametrize("kind", ["salmon", "kallisto"])
@pytest.mark.parametrize("cfa", ["no", "scaledTPM", "lengthScaledTPM"])
def test_tximport_matches_r(kind: str, cfa: str) -> None:
    txi = tximport(_quant_files(kind), TXREF / "tx2gene.csv", counts_from_abundance=cfa)  # type: ignore[arg-type]
    for what in ("counts", "abundance", "length"):
        ref = pd.read_csv(TXREF / f"{kind}_{cfa}_{what}.tsv", sep="\t", index_col=0)
        ours = getattr(txi, what)
        assert list(ours.index) == list(ref.index)
        assert list(ours.columns) == ["S1", "S2", "S3"]
        np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-12, atol=1e-12)


def test_load_counts_rounds_length_scaled_tpm() -> None:
    ref = pd.read_csv(TXREF / "salmon_lengthScaledTPM_counts.tsv", sep="\t", index_col=0)
    files = _quant_files("salmon")
    assert sniff_counts(files[0]) == "salmon"
    assert sniff_counts(_quant_files("kallisto")[0]) == "kallisto"
    counts = load_counts(files, tx2gene=TXREF / "tx2gene.csv")
    assert counts.dtypes.unique().tolist() == [np.dtype(np.int64)]
    np.testing.assert_array_equal(counts.to_numpy(), np.round(ref.to_numpy()))


def test_tximport_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="need a transcript-to-gene table"):
        load_counts(_quant_files("salmon"))
    t2g = tmp_path / "t2g.csv"
    t2g.write_text("TXNAME,GENEID\nENST0001.1,A\nENST0002.1,A\n")
    with pytest.raises(InputFormatError, match=r"6 transcript\(s\) missing .*ENST0003\.2"):
        tximport(_quant_files("salmon"), t2g)
    bad = tmp_path / "S9" / "quant.sf"
    bad.parent.mkdir()
    text = (TXREF / "salmon" / "S1" / "quant.sf").read_text().splitlines()
    text[3] = text[3].rsplit("\t", 1)[0] + "\tNaN"
    bad.write_text("\n".join(text) + "\n")
    with pytest.raises(InputFormatError, match=r"S9/quant.sf: row 4, column 'NumReads'"):
        tximport([bad], TXREF / "tx2gene.csv")
    text[3] = text[3].rsplit("\t", 1)[0] + "\t-3"
    bad.write_text("\n".join(text) + "\n")
    with pytest.raises(InputFormatError, match=r"row 4, column 'NumReads': negative value -3"):
        tximport([bad], TXREF / "tx2gene.csv")


CIRI_HEAD = "##Sample: {s}\n##Total_Reads: 1000000\n##Circular_Reads: 50\n"
CIRI_LINE = (
    '{c}\tCIRIquant\tcircRNA\t{a}\t{b}\t1.5\t+\t.\tcirc_id "{c}:{a}|{b}"; circ_type "exon"; '
    'bsj {n}; fsj 20.000; junc_ratio 0.200; gene_id "ENSG00000141510"; '
    'gene_name "TP53"; gene_type "protein_coding";\n'
)


def _ciri(path: Path, sample: str, rows: list[tuple[str, int, int, str]]) -> Path:
    text = CIRI_HEAD.format(s=sample) + "".join(
        CIRI_LINE.format(c=c, a=a, b=b, n=n) for c, a, b, n in rows
    )
    path.write_text(text)
    return path


def test_ciriquant_merge(tmp_path: Path) -> None:
    f1 = _ciri(tmp_path / "a.gtf", "S1", [("chr1", 100, 900, "12.000"), ("chr2", 5, 50, "3.000")])
    f2 = _ciri(tmp_path / "b.gtf", "S2", [("chr2", 5, 50, "7.000"), ("chr3", 1, 9, "1.000")])
    assert sniff_counts(f1) == "ciriquant"
    m = read_ciriquant([f1, f2])
    expect = pd.DataFrame(
        {"S1": [12, 3, 0], "S2": [0, 7, 1]},
        index=pd.Index(["chr1:100|900", "chr2:5|50", "chr3:1|9"], name="feature_id"),
    )
    pd.testing.assert_frame_equal(m, expect)
    pd.testing.assert_frame_equal(load_counts([f1, f2]), expect)


def test_ciriquant_errors(tmp_path: Path) -> None:
    f = _ciri(tmp_path / "a.gtf", "S1", [("chr1", 100, 900, "2.5")])
    with pytest.raises(InputFormatError, match=r"a.gtf: line 4, bsj: non-integer count 2.5"):
        read_ciriquant([f])
    f = _ciri(tmp_path / "b.gtf", "S1", [("chr1", 1, 9, "2"), ("chr1", 1, 9, "3")])
    with pytest.raises(InputFormatError, match=r"b.gtf: line 5: circRNA 'chr1:1\|9' is listed"):
        read_ciriquant([f])
    f = _ciri(tmp_path / "c.gtf", "S1", [("chr1", 1, 9, "NA")])
    with pytest.raises(
        InputFormatError, match=r"c.gtf: line 4, bsj: 'NA' is not a non-negative number"
    ):
        read_ciriquant([f])
    f = _ciri(tmp_path / "d.gtf", "S1", [("chr1", 1, 9, "3"), ("chr1", 5, 9, "-2")])
    with pytest.raises(InputFormatError, match=r"d.gtf: line 5, bsj: '-2' is not a non-neg"):
        read_ciriquant([f])


def _cx2(path: Path, rows: list[tuple[str, int, int, int]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for c, a, b, n in rows:
        bed = [c, str(a), str(b), f"circular_RNA/{n}", "0", "+", str(a), str(a), "0,0,0", "2"]
        bed += ["100,120", f"0,{b - a - 120}", str(n), "circRNA", "TP53", "NM_000546", "2,3"]
        bed += [f"{c}:{a - 500}-{a}|{c}:{b}-{b + 400}"]
        lines.append("\t".join(bed))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_circexplorer2_merge(tmp_path: Path) -> None:
    a = _cx2(tmp_path / "S1" / "circularRNA_known.txt", [("chr1", 99, 900, 4), ("chr2", 4, 50, 9)])
    b = _cx2(tmp_path / "S2" / "circularRNA_known.txt", [("chr2", 4, 50, 2)])
    assert sniff_counts(a) == "circexplorer2"
    m = read_circexplorer2([a, b])
    expect = pd.DataFrame(
        {"S1": [4, 9], "S2": [0, 2]},
        index=pd.Index(["chr1:100|900", "chr2:5|50"], name="feature_id"),
    )
    pd.testing.assert_frame_equal(m, expect)
    short = tmp_path / "bad.txt"
    short.write_text("chr1\t1\t9\tcircular_RNA/3\n")
    with pytest.raises(InputFormatError, match=r"bad.txt: CIRCexplorer2 output has 18"):
        read_circexplorer2([short])
    with pytest.raises(InputFormatError, match="sample name 'S1' also given by"):
        read_circexplorer2([a, a])


def test_mirge3(tmp_path: Path) -> None:
    f = tmp_path / "miR.Counts.csv"
    f.write_text(
        "miRNA,ctrl_1.fastq.gz,il1b_1.fastq.gz\n"
        "miRNAtotal,130,70\n"
        "hsa-let-7a-5p,100,40\n"
        "hsa-miR-21-5p,30,30\n"
    )
    assert sniff_counts(f) == "mirge3"
    m = read_mirge3(f)
    assert list(m.columns) == ["ctrl_1", "il1b_1"]
    assert m.loc["hsa-let-7a-5p"].tolist() == [100, 40]
    assert "miRNAtotal" not in m.index
    f.write_text("miRNA,S1\nhsa-let-7a-5p,1.5\n")
    with pytest.raises(InputFormatError, match=r"row 2, column 'S1': non-integer count 1.5"):
        read_mirge3(f)


def test_mirtop_gff_as_mirtop_writes_it(tmp_path: Path) -> None:
    """mirtop 0.4.30's own GFF: '## mirGFF3. VERSION' first, 'key value' attributes."""
    gff = tmp_path / "mirtop.gff"
    gff.write_text(
        "## mirGFF3. VERSION 1.2\n## source-ontology: miRBasev22 doi:10.25504/fairsharing.hmgte8\n"
        "## TOOLS: BAM\n## COLDATA: S1,S2\n"
        "hsa-let-7a-1\tmiRBasev22\tref_miRNA\t5\t26\t0\t+\t.\tRead TGAGG; UID iso-22-AAA; "
        "Name hsa-let-7a-5p; Parent hsa-let-7a-1; Variant NA; Cigar 22M; Expression 10,4; "
        "Filter Pass; Hits 1\n"
        "hsa-let-7a-1\tmiRBasev22\tisomiR\t5\t25\t0\t+\t.\tRead TGAG; UID iso-21-BBB; "
        "Name hsa-let-7a-5p; Parent hsa-let-7a-1; Variant iso_3p:-1; Cigar 21M; "
        "Expression 5,1; Filter Pass; Hits 1\n"
    )
    assert sniff_counts(gff) == "mirtop"
    assert read_mirtop(gff).to_dict("index") == {"hsa-let-7a-5p": {"S1": 15, "S2": 5}}


def test_mirtop_table_and_gff(tmp_path: Path) -> None:
    table = tmp_path / "counts.tsv"
    table.write_text(
        "UID\tRead\tmiRNA\tVariant\tiso_5p\tiso_3p\tiso_add3p\tiso_add5p\tiso_snv\tS1\tS2\n"
        "iso-22-AAA\tTGAGGTAGTAGGTTGTATAGTT\thsa-let-7a-5p\tNA\t0\t0\t0\t0\t0\t10\t4\n"
        "iso-21-BBB\tTGAGGTAGTAGGTTGTATAGT\thsa-let-7a-5p\tiso_3p:-1\t0\t-1\t0\t0\t0\t5\t1\n"
        "iso-22-CCC\tTAGCTTATCAGACTGATGTTGA\thsa-miR-21-5p\tNA\t0\t0\t0\t0\t0\t7\t0\n"
    )
    assert sniff_counts(table) == "mirtop"
    m = read_mirtop(table)
    assert m.to_dict("index") == {
        "hsa-let-7a-5p": {"S1": 15, "S2": 5},
        "hsa-miR-21-5p": {"S1": 7, "S2": 0},
    }
    gff = tmp_path / "mirtop.gff"
    gff.write_text(
        "##gff-version 3\n## mirbase-database: miRBase22\n## COLDATA: S1,S2\n"
        "hsa-let-7a-1\tmiRBasev22\tisomiR\t5\t26\t0\t+\t.\tRead=TGAGG; UID=iso-22-AAA; "
        "Name=hsa-let-7a-5p; Parent=hsa-let-7a-1; Variant=NA; Cigar=22M; "
        "Expression=10,4; Filter=Pass; Hits=1\n"
        "hsa-let-7a-1\tmiRBasev22\tisomiR\t5\t25\t0\t+\t.\tRead=TGAG; UID=iso-21-BBB; "
        "Name=hsa-let-7a-5p; Parent=hsa-let-7a-1; Variant=iso_3p:-1; Cigar=21M; "
        "Expression=5,1; Filter=Pass; Hits=1\n"
        "hsa-let-7a-1\tmiRBasev22\tisomiR\t5\t25\t0\t+\t.\tRead=TGA; UID=iso-21-DDD; "
        "Name=hsa-let-7a-5p; Parent=hsa-let-7a-1; Variant=iso_3p:-1; Cigar=21M; "
        "Expression=99,99; Filter=Low; Hits=1\n"
        "hsa-mir-21\tmiRBasev22\tisomiR\t8\t29\t0\t+\t.\tRead=TAGC; UID=iso-22-CCC; "
        "Name=hsa-miR-21-5p; Parent=hsa-mir-21; Variant=NA; Cigar=22M; "
        "Expression=7,0; Filter=Pass; Hits=1\n"
    )
    assert sniff_counts(gff) == "mirtop"
    pd.testing.assert_frame_equal(read_mirtop(gff), m)
    gff.write_text(gff.read_text().replace("Expression=7,0", "Expression=7"))
    with pytest.raises(InputFormatError, match=r"line 7: Expression has 1 value\(s\) for 2"):
        read_mirtop(gff)
    gff.write_text(gff.read_text().replace("Expression=7", "Expression=7,-1"))
    with pytest.raises(InputFormatError, match=r"line 7, Expression: count '-1' of sample 'S2'"):
        read_mirtop(gff)
    table.write_text(table.read_text().replace("\t7\t0\n", "\t7\tNA\n"))
    with pytest.raises(InputFormatError, match=r"counts.tsv: row 4, column 'S2': missing count"):
        read_mirtop(table)


def test_cli_de_with_salmon(tmp_path: Path) -> None:
    """Six salmon samples (fixture copies) through ``exodisc de``; output has the contract's
    columns and one row per gene of tx2gene."""
    files = []
    rows = []
    for i, kind in enumerate(["salmon"] * 2):
        for s in (1, 2, 3):
            d = tmp_path / f"{'ab'[i]}{s}"
            d.mkdir()
            shutil.copy(TXREF / kind / f"S{s}" / "quant.sf", d / "quant.sf")
            files.append(str(d / "quant.sf"))
            rows.append(f"{'ab'[i]}{s},{'ab'[i]},D{s}")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("sample,condition,donor\n" + "\n".join(rows) + "\n")
    out = tmp_path / "res.tsv"
    annot = tmp_path / "annot.tsv"
    annot.write_text("gene_id\tgene_name\tgene_type\nGENE_A\tALPHA\tprotein_coding\n")
    result = CliRunner().invoke(
        app,
        [
            "de",
            *files,
            "--samples",
            str(sheet),
            "--design",
            "~ condition",
            "--contrast",
            "condition,b,a",
            "--tx2gene",
            str(TXREF / "tx2gene.csv"),
            "--annotation",
            str(annot),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    tab = pd.read_csv(out, sep="\t")
    assert sorted(tab["feature_id"]) == ["GENE_A", "GENE_B", "GENE_C", "GENE_D", "GENE_E"]
    assert list(tab.columns[:7]) == [
        "feature_id",
        "base_mean",
        "log2_fold_change",
        "lfc_se",
        "stat",
        "p_value",
        "padj",
    ]
    assert list(tab.columns[-3:]) == ["symbol", "biotype", "rna_class"]
    a = tab.set_index("feature_id").loc["GENE_A"]
    assert (a["symbol"], a["biotype"], a["rna_class"]) == ("ALPHA", "protein_coding", "mRNA")
    assert tab.set_index("feature_id").loc["GENE_B", "rna_class"] == "unknown"
    # identical groups: fold changes are 0 (to the IRLS convergence tolerance)
    np.testing.assert_allclose(tab["log2_fold_change"].dropna(), 0.0, atol=1e-4)


def test_classify_and_annotate() -> None:
    """Features of other RNA classes are left out; symbol / biotype come from the annotation."""
    from exodisc.omics.de._run import _annotate, _classify

    counts = pd.DataFrame(
        {"S1": [5, 6, 7, 8], "S2": [1, 2, 3, 4]},
        index=["ENSG00000141510.16", "ENSG00000245532", "hsa-miR-21-5p", "chr1:100|900"],
    )
    path = TXREF.parent / "annotation_small.tsv"
    kept, annot, dropped = _classify(counts, path, "mRNA")
    assert list(kept.index) == ["ENSG00000141510.16"] and dropped == 3
    assert annot.loc["ENSG00000141510.16"].tolist() == ["TP53", "protein_coding", "mRNA"]
    kept, annot, dropped = _classify(counts, path, "lncRNA")
    assert annot["symbol"].tolist() == ["NEAT1"]
    table = pd.DataFrame({"feature_id": ["ENSG00000245532"], "padj": [0.01]})
    assert list(_annotate(table, annot).columns) == [
        "feature_id",
        "symbol",
        "biotype",
        "rna_class",
        "padj",
    ]


def test_load_counts_file_count(tmp_path: Path) -> None:
    f = tmp_path / "miR.Counts.csv"
    f.write_text("miRNA,S1\nhsa-let-7a-5p,3\n")
    with pytest.raises(InputFormatError, match="a mirge3 file holds every sample; give one"):
        load_counts([f, f])
    with pytest.raises(InputFormatError, match="no count file given"):
        load_counts([])
