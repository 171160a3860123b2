"""The workflow's own steps (what exodisc adds to the tools), checked on real and synthetic data."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from exodisc.reads._steps import (
    _circ_series,
    collapse_alignments,
    count_mature_mirnas,
    detect_adapter,
    flatten_mirtop_counts,
    gene_classes,
    gtf_exons_splice_sites,
    infer_strandedness,
    mature_on_hairpins,
)


def test_gene_classes_nfcore_gtf(sequencing: Path) -> None:
    """nf-core's chr22 GTF (gene_biotype): 1 protein_coding, 2 lncRNA, 4 pseudogenes."""
    cls = gene_classes(sequencing / "nfcore_modules_chr22" / "genome.gtf")
    assert cls["rna_class"].value_counts().to_dict() == {"other": 4, "lncRNA": 2, "mRNA": 1}
    assert cls.set_index("feature_id").loc["ENSG00000198445", "biotype"] == "protein_coding"
    assert set(cls.loc[cls["rna_class"] == "lncRNA", "feature_id"]) == {
        "ENSG00000287285",
        "ENSG00000283633",
    }


def test_gene_classes_gencode_gene_type(synthetic) -> None:
    cls = gene_classes(synthetic.gtf).set_index("feature_id")["rna_class"]
    truth = pd.read_csv(synthetic.truth, sep="\t", index_col=0)["rna_class"]
    assert cls.to_dict() == truth.loc[cls.index].to_dict()


def test_hisat2_exons_and_splice_sites(synthetic) -> None:
    """Same layout as HISAT2's hisat2_extract_*.py: 0-based inclusive, one line per intron."""
    exons, ss = gtf_exons_splice_sites(synthetic.gtf)
    assert "chrS\t1000\t1299\t+" in exons  # exon 1001..1300 (1-based)
    assert "chrS\t1299\t1700\t+" in ss  # last exon base, first base of the next exon
    assert len(ss) == 2 + 1 + 2 + 1 + 1 + 1  # introns of the six genes
    assert len(exons) == 14


@pytest.mark.parametrize(
    ("sample", "adapter"), [(1, "TGGAATTCTCGG"), (2, "TGGAATTCTCGG"), (3, "ATCTCGTATGCC")]
)
def test_adapter_detected_as_mirtrace_declares(sequencing: Path, sample: int, adapter: str) -> None:
    """miRTrace's tutorial declares each sample's adapter (config4case3); we detect the same."""
    cfg = (sequencing / "mirtrace_tutorial" / "config4case3").read_text().splitlines()
    assert cfg[sample - 1].split(",")[2] == adapter
    found, frac = detect_adapter(sequencing / "mirtrace_tutorial" / f"sample{sample}.fastq.gz")
    assert found == adapter
    assert frac > 0.5


def test_adapter_not_detected_in_random_reads(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    p = tmp_path / "r.fastq"
    p.write_text(
        "".join(
            f"@r{i}\n{''.join(rng.choice(list('ACGT'), 40))}\n+\n{'I' * 40}\n" for i in range(200)
        )
    )
    assert detect_adapter(p)[0] is None


def test_strandedness_thresholds(tmp_path: Path) -> None:
    def summary(n: int) -> Path:
        p = tmp_path / f"{n}.summary"
        p.write_text(f"Status\tx.bam\nAssigned\t{n}\nUnassigned_NoFeatures\t5\n")
        return p

    assert infer_strandedness(summary(0), summary(622))["call"] == "reverse"
    assert infer_strandedness(summary(900), summary(100))["call"] == "forward"
    r = infer_strandedness(summary(500), summary(480))
    assert r["call"] == "unstranded"
    assert r["fraction_forward"] == pytest.approx(500 / 980)


def test_mature_offsets_mirbase22_gff_on_v18_hairpins(shared_data: Path) -> None:
    """Mature miRNAs cut from the hairpins at their GFF offsets equal miRBase's mature.fa.

    Checked by MIMAT accession against miRBase 18 mature.fa. The GFF is v22, the hairpins
    v18: 26 of 1,887 hairpins were re-sequenced or re-annotated between the releases
    (their offsets differ); every other one is exact.
    """
    ann = shared_data / "gene_annotation"
    fasta, table = mature_on_hairpins(
        shared_data / "sequencing" / "mirbase22_hsa_gff" / "hsa.gff3",
        ann / "mirbase18_hairpin.fa.gz",
    )
    hp = dict((b.split("\n")[0], b.split("\n")[1]) for b in fasta.split(">")[1:])
    mature: dict[str, str] = {}
    name = ""
    with gzip.open(ann / "mirbase18_mature.fa.gz", "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                name = line.split()[1]
            else:
                mature[name] = line.strip().replace("U", "T")
    known = table[table["mimat"].isin(mature)]
    same = [hp[r.hairpin][r.start : r.end] == mature[r.mimat] for r in known.itertuples()]
    assert len(same) == 1887
    assert sum(same) == 1861


def test_mature_counts_on_synthetic(synthetic, tmp_path: Path) -> None:
    """Reads at the mature positions (±shift) count; loop reads and other strands do not."""
    fasta, table = mature_on_hairpins(synthetic.mirbase_gff, synthetic.hairpins)
    assert len(table) == 6
    hp = fasta.split("\n")[1]
    m5 = table[table["mature"] == "sim-miR-1-5p"].iloc[0]
    sam = tmp_path / "a.sam"
    rows = [
        ("r1", 0, "sim-mir-1", m5.start + 1, hp[m5.start : m5.end]),  # exact
        ("r2", 0, "sim-mir-1", m5.start + 2, hp[m5.start + 1 : m5.end - 2]),  # isomiR
        ("r3", 0, "sim-mir-1", 30, hp[29:49]),  # loop
        ("r4", 16, "sim-mir-1", m5.start + 1, hp[m5.start : m5.end]),  # reverse strand
        ("r5", 4, "*", 0, "ACGT"),  # unmapped
    ]
    sam.write_text(
        "".join(f"{n}\t{f}\t{h}\t{p}\t255\t*\t*\t0\t0\t{s}\t*\n" for n, f, h, p, s in rows)
    )
    counts, stats = count_mature_mirnas(sam, table.to_dict("records"))
    assert dict(counts) == {"sim-miR-1-5p": 2}
    assert stats == {"reads": 4, "assigned": 2, "ambiguous": 0, "not_mature": 1, "unmapped": 1}


def test_collapse_alignments_names_sequences_with_counts(tmp_path: Path) -> None:
    """Reads of one sequence become one ``seq_N_xCOUNT`` (all its loci kept); unmapped dropped."""
    sam = tmp_path / "a.sam"
    rows = [
        ("r1", 0, "hp1", 5, "ACGTACGTACGTACGTACGT"),
        ("r1", 256, "hp2", 9, "ACGTACGTACGTACGTACGT"),  # second locus of the same read
        ("r2", 0, "hp1", 5, "ACGTACGTACGTACGTACGT"),
        ("r2", 256, "hp2", 9, "ACGTACGTACGTACGTACGT"),
        ("r3", 0, "hp1", 6, "CGTACGTACGTACGTACGTT"),
        ("r4", 4, "*", 0, "GGGGGGGGGGGGGGGGGGGG"),
        ("r5", 0, "hp1", 5, "ACGTACGTACGTACGTACGT"),
    ]
    sam.write_text(
        "@SQ\tSN:hp1\tLN:80\n"
        + "".join(f"{n}\t{f}\t{h}\t{p}\t255\t20M\t*\t0\t0\t{s}\t*\n" for n, f, h, p, s in rows)
    )
    out = tmp_path / "c.sam"
    assert collapse_alignments(sam, out) == {"reads": 4, "sequences": 2}
    lines = out.read_text().splitlines()
    assert lines[0] == "@SQ\tSN:hp1\tLN:80"
    assert [x.split("\t")[:4] for x in lines[1:]] == [
        ["seq_1_x3", "0", "hp1", "5"],
        ["seq_1_x3", "256", "hp2", "9"],
        ["seq_2_x1", "0", "hp1", "6"],
    ]


def test_flatten_mirtop_counts_splits_quoted_sample_cells(tmp_path: Path) -> None:
    """mirtop 0.4.30's multi-sample table (samples in one quoted cell) gets a column each."""
    tsv = tmp_path / "mirtop.tsv"
    tsv.write_text(
        'UID\tRead\tmiRNA\tVariant\t"S1\tS2"\niso-21-X\tACGT\tm-1\tiso_3p:-1\t"22\t31"\n'
    )
    flatten_mirtop_counts(tsv)
    got = pd.read_csv(tsv, sep="\t")
    assert list(got.columns) == ["UID", "Read", "miRNA", "Variant", "S1", "S2"]
    assert got[["S1", "S2"]].values.tolist() == [[22, 31]]
    flatten_mirtop_counts(tsv)  # a one-sample (or already flat) table is left as it is
    assert pd.read_csv(tsv, sep="\t").equals(got)


def test_circexplorer2_parse_expected_661(sequencing: Path, tmp_path: Path) -> None:
    """The workflow's circRNA step on CIRCexplorer2's own test input gives its expected output.

    ``CIRCexplorer2 parse -t STAR`` (the command of rule circexplorer2_parse) on upstream's
    Chimeric.out.junction yields the 661 back-spliced junctions of upstream's expected BED with
    the same read counts; the FUSIONJUNC_i numbering follows dict order and is not compared.
    Our per-junction table (``chrom:start-end`` -> reads) is then read from it.
    """
    exe = shutil.which("CIRCexplorer2") or str(
        Path(__import__("sys").executable).parent / "CIRCexplorer2"
    )
    if not Path(exe).exists():
        pytest.skip("CIRCexplorer2 not installed (pip install CIRCexplorer2)")
    d = sequencing / "circexplorer2_parse"
    bed = tmp_path / "bsj.bed"
    subprocess.run(
        [exe, "parse", "-t", "STAR", "-b", str(bed), str(d / "Chimeric.out.junction")],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    ours = _circ_series(bed)
    expected = _circ_series(d / "expected_parse_STAR" / "fusion_junction.bed")
    assert len(expected) == 661
    pd.testing.assert_series_equal(ours.sort_index(), expected.sort_index())
    assert expected["chr21:16386664-16415895"] == 52


def test_fastp_json_parsed(synthetic_run) -> None:
    """reads_fastp.tsv equals fastp's own JSON numbers."""
    qc = synthetic_run.out / "qc"
    table = pd.read_csv(qc / "reads_fastp.tsv", sep="\t")
    raw = json.loads((qc / "fastp" / "S1.fastp.json").read_text())["summary"]
    row = table[(table["sample"] == "S1") & (table["library"] == "total")].iloc[0]
    assert row["reads_in"] == raw["before_filtering"]["total_reads"]
    assert row["reads_out"] == raw["after_filtering"]["total_reads"]
    assert row["q30_rate_in"] == raw["before_filtering"]["q30_rate"]
