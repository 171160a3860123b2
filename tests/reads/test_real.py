"""Real public data through the matching steps of the workflow, against the sources' results.

Each test runs the workflow's own rules (``run_targets``: the packaged Snakefile up to the
named outputs) and compares with what the data's source ships; every difference is explained
and checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from exodisc.reads._inputs import validate_inputs
from exodisc.reads._workflow import run_targets

pytestmark = pytest.mark.slow


def _fastq_from_fasta(fasta: Path, out: Path) -> dict[str, str]:
    reads = {}
    for block in fasta.read_text().split(">")[1:]:
        name, seq = block.split("\n", 1)
        reads[name.split()[0]] = seq.replace("\n", "")
    out.write_text("".join(f"@{n}\n{s}\n+\n{'I' * len(s)}\n" for n, s in reads.items()))
    return reads


def test_find_circ_cdr1as(sequencing: Path, reads_tools, tmp_path: Path) -> None:
    """find_circ's CDR1as junction (728-2213, 3 reads): same junction, 1 read by STAR.

    STAR + CIRCexplorer2 report the back-splice at exactly find_circ's coordinates
    (CDR1as_locus:728-2213) with one read (r1: 52 + 24 nt, no mismatch). The other reads also
    cross the back-splice (best placement across it: r2 22|54 and r3 61|15 with one mismatch,
    r4 20|56 exact, checked below), but each also aligns linearly along the locus with
    mismatches (the CDR1as flanks repeat its ends) leaving < 10 nt soft-clipped: STAR looks for
    a chimeric segment only when at least --chimSegmentMin (10, CIRCexplorer2's setting) nt are
    left, so it keeps the linear alignment (3S73M, 67M9S, 1S75M). find_circ starts from reads
    that fail end-to-end alignment and places 20-nt anchors, so it counts such reads.
    """
    d = sequencing / "find_circ_cdr1as"
    reads = _fastq_from_fasta(d / "cdr1as_reads.fa", tmp_path / "cdr1as.fastq")
    ref = pd.read_csv(d / "cdr1as_reference.bed", sep="\t", comment="#", header=None)
    assert len(ref) == 1  # one circRNA; columns chrom, start, end, name, n_reads
    assert tuple(ref.iloc[0, [0, 1, 2, 4]]) == ("CDR1as_locus", 728, 2213, 3)
    gtf = tmp_path / "locus.gtf"
    gtf.write_text(
        'CDR1as_locus\tx\texon\t1\t2924\t.\t+\t.\tgene_id "CDR1as"; transcript_id "CDR1as.1"; '
        'gene_type "lncRNA";\n'
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"sample,fastq_1,fastq_2,library\ncdr1as,{tmp_path}/cdr1as.fastq,,total\n")
    inputs = validate_inputs(sheet, genome=d / "CDR1as_locus.fa", gtf=gtf)
    work = run_targets(inputs, tmp_path / "work", ["total/cdr1as/circ_counts.tsv"])
    counts = pd.read_csv(work / "total/cdr1as/circ_counts.tsv", sep="\t", index_col=0)["count"]
    assert counts.to_dict() == {"CDR1as_locus:728-2213": 1}
    junction = (work / "total/cdr1as/star/Chimeric.out.junction").read_text().split("\t")
    assert junction[9] == "r1"
    # the explanation: r2-r4 fit the back-splice better than any linear placement
    locus = "".join((d / "CDR1as_locus.fa").read_text().split("\n")[1:]).upper()
    circ = locus[728:2213]

    def mismatches(a: str, b: str) -> int:
        return sum(x != y for x, y in zip(a, b, strict=True))

    for name, (split, mm) in {"r1": (52, 0), "r2": (22, 1), "r3": (61, 1), "r4": (20, 0)}.items():
        seq = reads[name].upper()
        across = min((mismatches(seq, (circ[-k:] + circ)[:76]), k) for k in range(1, 76))
        linear = min(mismatches(seq, locus[i : i + 76]) for i in range(len(locus) - 76))
        assert across == (mm, split), (name, across)
        assert across[0] < linear, name


def _featurecounts(bam: Path, gtf: Path, strand: int, out: Path) -> dict[str, int]:
    import subprocess

    subprocess.run(
        [
            "featureCounts",
            "-p",
            "--countReadPairs",
            "-s",
            str(strand),
            "-a",
            str(gtf),
            "-o",
            str(out),
            str(bam),
        ],
        check=True,
        capture_output=True,
    )
    t = pd.read_csv(out, sep="\t", comment="#", index_col=0)
    return t.iloc[:, -1].astype(int).to_dict()


def test_nfcore_chr22_counts(sequencing: Path, reads_tools, tmp_path: Path) -> None:
    """nf-core's chr22 reads: strandedness, class split, by-hand featureCounts, nf-core's BAM.

    * strandedness is inferred 'forward' (73 of 75 assigned fragments on the gene's strand);
      nf-core's own STAR BAM gives the same call (71 of 73);
    * the workflow's counts equal featureCounts run by hand on the workflow's BAM;
    * against featureCounts on nf-core's STAR 2.7.10a BAM (same GTF, same options): the one
      expressed gene, ENSG00000239435 (a transcribed pseudogene, class 'other'), has 73
      fragments here and 71 there, and ENSG00000240122 0 here and 1 there. The reads are
      from all of chr22 while the genome is a 40 kb piece of it, so most reads map nowhere;
      STAR's local alignment (soft-clipped ends) places a few fragments at the region's
      edges that HISAT2 (after fastp trimming) places differently or not at all. Every other
      gene is 0 in both.
    """
    d = sequencing / "nfcore_modules_chr22"
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "sample,fastq_1,fastq_2,library\n"
        f"chr22,{d}/test_rnaseq_1.fastq.gz,{d}/test_rnaseq_2.fastq.gz,total\n"
    )
    inputs = validate_inputs(sheet, genome=d / "genome.fasta", gtf=d / "genome.gtf")
    work = run_targets(
        inputs,
        tmp_path / "work",
        ["total/chr22/featurecounts.txt", "ref/gene_classes.tsv"],
        cores=2,
    )
    strand = json.loads((work / "results/qc/strandedness/chr22.json").read_text())
    assert (strand["call"], strand["forward_fragments"], strand["reverse_fragments"]) == (
        "forward",
        73,
        2,
    )
    ours = pd.read_csv(work / "total/chr22/featurecounts.txt", sep="\t", comment="#", index_col=0)
    ours_counts = ours.iloc[:, -1].astype(int).to_dict()
    by_hand = _featurecounts(work / "total/chr22/aligned.bam", d / "genome.gtf", 1, tmp_path / "h")
    assert ours_counts == by_hand
    nf = _featurecounts(d / "test.rna.paired_end.sorted.bam", d / "genome.gtf", 1, tmp_path / "n")
    nf_reverse = _featurecounts(
        d / "test.rna.paired_end.sorted.bam", d / "genome.gtf", 2, tmp_path / "r"
    )
    assert sum(nf.values()) / (sum(nf.values()) + sum(nf_reverse.values())) > 0.8  # forward too
    diff = {g: (ours_counts[g], nf[g]) for g in nf if ours_counts[g] != nf[g]}
    assert diff == {"ENSG00000239435": (73, 71), "ENSG00000240122": (0, 1)}
    classes = pd.read_csv(work / "ref/gene_classes.tsv", sep="\t").set_index("feature_id")
    assert classes.loc["ENSG00000239435", "rna_class"] == "other"


def test_mirtrace_tutorial(
    sequencing: Path, shared_data: Path, reads_tools, tmp_path: Path
) -> None:
    """miRTrace's tutorial case 3: trimming and miRNA read counts against miRTrace's own QC.

    Adapters are detected (= those config4case3 declares, see test_steps). Differences:

    * reads with an adapter: cutadapt also trims partial adapters (≥ 3 nt at the 3' end,
      10 % errors), so Samples 1–2 find 0.3 % more than miRTrace (10000 − ADAPTER_NOT_DETECTED);
      Sample 3 (SRR646457, low-quality tails) finds 9 % fewer: errors in its tails exceed
      cutadapt's error rate;
    * shorter than 18 nt: within 1 % for Samples 1–2; Sample 3 has 374 more, fewer than the
      766 reads miRTrace set aside first as LOW_PHRED or LOW_COMPLEXITY (we do not filter on
      quality or complexity, so some of those end up "too short" here);
    * miRNA reads: our reads assigned to a mature miRNA (18–30 nt, bowtie ≤ 1 mismatch to
      miRBase hairpins, mature window ±2 / ±5 nt) against miRTrace's RNA-type "miRNA" (its own
      miRBase-derived reference, any length ≥ 18): within 1 % for Samples 1–2; Sample 3 has
      149 more, fewer than its 479 LOW_PHRED reads, which miRTrace drops before classifying.

    The hairpins are miRBase 18's (the v22 sequences are not in the shared data) with v22's
    GFF coordinates; 26 hairpins changed between the releases (see test_steps).
    """
    d = sequencing / "mirtrace_tutorial"
    qc = pd.read_csv(d / "expected_case3" / "mirtrace-stats-qcstatus.tsv", sep="\t", index_col=0)
    rnatype = pd.read_csv(
        d / "expected_case3" / "mirtrace-stats-rnatype.tsv", sep="\t", index_col=0
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "sample,fastq_1,fastq_2,library\n"
        + "".join(f"Sample{i},{d}/sample{i}.fastq.gz,,small\n" for i in (1, 2, 3))
    )
    nf = sequencing / "nfcore_modules_chr22"
    inputs = validate_inputs(
        sheet,
        genome=nf / "genome.fasta",
        gtf=nf / "genome.gtf",
        mirbase_gff=sequencing / "mirbase22_hsa_gff" / "hsa.gff3",
        hairpins=shared_data / "gene_annotation" / "mirbase18_hairpin.fa.gz",
    )
    work = run_targets(
        inputs,
        tmp_path / "work",
        [f"small/Sample{i}/mirna_counts.tsv" for i in (1, 2, 3)],
        cores=2,
    )
    rows = {}
    for i in (1, 2, 3):
        rc = json.loads((work / f"results/qc/cutadapt/Sample{i}.cutadapt.json").read_text())
        mi = json.loads((work / f"results/qc/mirna/Sample{i}.json").read_text())
        counts = pd.read_csv(work / f"small/Sample{i}/mirna_counts.tsv", sep="\t", index_col=0)
        assert int(counts["count"].sum()) == mi["assigned"]
        rows[f"Sample{i}"] = {
            "adapter": rc["read_counts"]["read1_with_adapter"],
            "short": rc["read_counts"]["filtered"]["too_short"],
            "mirna": mi["assigned"],
        }
    got = pd.DataFrame(rows)
    want_adapter = 10_000 - qc.loc["ADAPTER_NOT_DETECTED"]
    want_short = qc.loc["LENGTH_SHORTER_THAN_18"]
    want_mirna = rnatype.loc["miRNA"]
    set_aside = qc.loc["LOW_PHRED"] + qc.loc["LOW_COMLPEXITY"]  # miRTrace's spelling
    for s in ("Sample1", "Sample2"):
        assert 0 <= got.loc["adapter", s] - want_adapter[s] <= 0.005 * 10_000
        assert abs(got.loc["short", s] - want_short[s]) <= 0.01 * want_short[s]
        assert abs(got.loc["mirna", s] - want_mirna[s]) <= 0.01 * want_mirna[s]
    assert 0.88 * want_adapter["Sample3"] <= got.loc["adapter", "Sample3"] < want_adapter["Sample3"]
    assert 0 < got.loc["short", "Sample3"] - want_short["Sample3"] < set_aside["Sample3"]
    assert 0 < got.loc["mirna", "Sample3"] - want_mirna["Sample3"] < qc.loc["LOW_PHRED", "Sample3"]
    # the reads clearly hold hsa-let-7f-5p (TGAGGTAGTAGATTGTATAGTT), as PROVENANCE notes
    c1 = pd.read_csv(work / "small/Sample1/mirna_counts.tsv", sep="\t", index_col=0)["count"]
    assert c1["hsa-let-7f-5p"] > 0
