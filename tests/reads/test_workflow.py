"""The whole workflow on the synthetic genome: counts equal the truth; re-runs; failures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from exodisc.reads import ReadsWorkflowError, run_reads, simulate_reads_dataset

pytestmark = pytest.mark.slow


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_counts_equal_truth_per_class(synthetic, synthetic_run) -> None:
    """Every simulated fragment is uniquely mappable, so each class's counts equal the truth."""
    truth = pd.read_csv(synthetic.truth, sep="\t", index_col=0)
    files = {"mRNA": "mrna", "lncRNA": "lncrna", "miRNA": "mirna", "circRNA": "circrna"}
    for rna_class, name in files.items():
        got = pd.read_csv(synthetic_run.out / "counts" / f"{name}.tsv", sep="\t", index_col=0)
        want = truth.loc[truth["rna_class"] == rna_class, ["S1", "S2"]]
        assert list(got.columns) == ["S1", "S2"]
        assert got.index.name == "feature_id"
        pd.testing.assert_frame_equal(
            got.sort_index(), want.sort_index().astype("int64"), check_names=False
        )
    assert (
        synthetic.circ_id
        in pd.read_csv(synthetic_run.out / "counts" / "circrna.tsv", sep="\t")[
            "feature_id"
        ].tolist()
    )


def test_output_layout_and_classes(synthetic_run) -> None:
    out = synthetic_run.out
    for name in ("mrna", "lncrna", "mirna", "circrna", "all_genes", "gene_classes"):
        assert (out / "counts" / f"{name}.tsv").is_file()
    classes = pd.read_csv(out / "counts" / "gene_classes.tsv", sep="\t")
    assert list(classes.columns) == ["feature_id", "biotype", "rna_class"]
    all_genes = pd.read_csv(out / "counts" / "all_genes.tsv", sep="\t")
    assert all_genes["feature_id"].tolist() == classes["feature_id"].tolist()
    assert (out / "multiqc" / "multiqc_report.html").stat().st_size > 10_000
    gs = pd.read_csv(
        out / "multiqc" / "multiqc_report_data" / "multiqc_general_stats.txt", sep="\t"
    )
    assert len(gs) >= 2
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["tools"]["featureCounts"].startswith("featureCounts v")
    assert set(prov["config"]["total"]) == {"S1", "S2"}


def test_mirtop_gff_validates_and_agrees_with_counts(synthetic, synthetic_run) -> None:
    """mirtop's own isomiR annotation of the same alignments gives our per-miRNA counts.

    mirtop (miRTop's reference implementation of mirGFF3) assigns each collapsed sequence to a
    mature miRNA with its own isomiR rules; summed per miRNA its count table must equal
    counts/mirna.tsv (and so the simulation's truth), and its validator must find no error.
    """
    import subprocess
    import sys

    gff = synthetic_run.out / "mirtop" / "mirtop.gff"
    head = [x for x in gff.read_text().splitlines() if x.startswith("##")]
    assert head[0].startswith("## mirGFF3. VERSION")
    assert "## COLDATA: S1,S2" in head
    table = pd.read_csv(synthetic_run.out / "mirtop" / "mirtop.tsv", sep="\t")
    assert list(table.columns[:4]) == ["UID", "Read", "miRNA", "Variant"]
    assert {"isomiR", "ref_miRNA"} <= {
        x.split("\t")[2] for x in gff.read_text().splitlines() if not x.startswith("#")
    }
    per_mirna = table.groupby("miRNA")[["S1", "S2"]].sum().astype("int64")
    ours = pd.read_csv(synthetic_run.out / "counts" / "mirna.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(per_mirna.sort_index(), ours.sort_index(), check_names=False)
    # exodisc's DE input reader takes both mirtop files (a study may name them instead)
    from exodisc.omics.de import read_mirtop

    for path in (gff, synthetic_run.out / "mirtop" / "mirtop.tsv"):
        got = read_mirtop(path)
        pd.testing.assert_frame_equal(
            got.loc[ours.index, ["S1", "S2"]].astype("int64"), ours, check_names=False
        )
    check = (
        "import logging, sys; from mirtop.gff.validator import _check_file; "
        "logging.disable(logging.CRITICAL); print(_check_file(sys.argv[1]))"
    )
    p = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", check, str(gff)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert p.stdout.split()[-1] == "0", p.stdout + p.stderr


def test_strandedness_inferred_and_adapter_detected(synthetic_run) -> None:
    """Reverse-stranded (dUTP) reads are called 'reverse'; the simulated adapter is found."""
    qc = synthetic_run.out / "qc"
    strand = pd.read_csv(qc / "reads_strandedness.tsv", sep="\t")
    assert strand["call"].tolist() == ["reverse", "reverse"]
    assert (strand["fraction_forward"] < 0.2).all()
    small = pd.read_csv(qc / "reads_small_rna.tsv", sep="\t")
    from exodisc.reads._simulate import SIM_ADAPTER

    assert all(SIM_ADAPTER.startswith(a) for a in small["adapter"])
    # 10 reads of 14 nt per sample are too short; 15 loop reads map but are no mature miRNA
    assert small["too_short"].tolist() == [10, 10]
    assert small["hairpin_not_mature"].tolist() == [15, 15]


def test_featurecounts_same_as_by_hand(synthetic, synthetic_run, reads_tools) -> None:
    """The workflow's gene counts equal featureCounts run by hand on the workflow's BAM."""
    import subprocess

    work = synthetic_run.out.parent / f".{synthetic_run.out.name}.work"
    bam = work / "total" / "S2" / "aligned.bam"
    tmp = work / "by_hand.txt"
    subprocess.run(
        [
            "featureCounts",
            "-p",
            "--countReadPairs",
            "-s",
            "2",
            "-a",
            str(synthetic.gtf),
            "-o",
            str(tmp),
            str(bam),
        ],
        check=True,
        capture_output=True,
    )
    hand = pd.read_csv(tmp, sep="\t", comment="#", index_col=0).iloc[:, -1]
    ours = pd.read_csv(synthetic_run.out / "counts" / "all_genes.tsv", sep="\t", index_col=0)["S2"]
    assert hand.to_dict() == ours.to_dict()


def test_failed_job_leaves_out_untouched(synthetic, synthetic_run, tmp_path: Path) -> None:
    """A small library without any adapter fails in rule cutadapt; OUT stays as it was."""
    import gzip

    import numpy as np

    rng = np.random.default_rng(3)
    bad = tmp_path / "S9_small.fastq.gz"
    with gzip.open(bad, "wt") as fh:
        for i in range(200):
            fh.write(f"@r{i}\n{''.join(rng.choice(list('ACGT'), 50))}\n+\n{'I' * 50}\n")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        synthetic.samplesheet.read_text().replace("reads/", f"{synthetic.folder}/reads/")
        + f"S9,{bad},,small\n"
    )
    before = _tree_digest(synthetic_run.out)
    with pytest.raises(ReadsWorkflowError) as err:
        run_reads(
            sheet,
            genome=synthetic.genome,
            gtf=synthetic.gtf,
            mirbase_gff=synthetic.mirbase_gff,
            hairpins=synthetic.hairpins,
            out=synthetic_run.out,
            cores=2,
        )
    msg = str(err.value)
    assert f"{synthetic_run.out} was left as it was" in msg
    assert re.search(r"rule cutadapt for sample S9 failed; its log: \S+/logs/cutadapt/S9\.log", msg)
    assert "no 3 prime adapter detected; declare it" in msg
    assert _tree_digest(synthetic_run.out) == before


def test_adding_a_sample_recomputes_only_its_jobs(synthetic, synthetic_run, tmp_path: Path) -> None:
    """Snakemake's incremental re-run: S3's jobs and the merges run, nothing of S1 / S2."""
    more = simulate_reads_dataset(tmp_path / "more", samples={"S1": 1.0, "S2": 2.0, "S3": 1.5})
    # same seed: same genome, annotation and abundances; S1/S2 keep their original files
    assert more.genome.read_text() == synthetic.genome.read_text()
    sheet = tmp_path / "sheet.csv"
    rows = synthetic.samplesheet.read_text().replace("reads/", f"{synthetic.folder}/reads/")
    r = more.folder / "reads"
    rows += f"S3,{r}/S3_total_R1.fastq.gz,{r}/S3_total_R2.fastq.gz,total\n"
    rows += f"S3,{more.folder}/reads/S3_small.fastq.gz,,small\n"
    sheet.write_text(rows)
    work = synthetic_run.out.parent / f".{synthetic_run.out.name}.work"
    kw = {
        "genome": synthetic.genome,
        "gtf": synthetic.gtf,
        "mirbase_gff": synthetic.mirbase_gff,
        "hairpins": synthetic.hairpins,
        "work_dir": work,
        "cores": 2,
    }
    plan = run_reads(sheet, out=tmp_path / "out3", dry_run=True, **kw)
    assert isinstance(plan, str)
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", plan, re.M))
    per_sample = [
        "fastp",
        "hisat2_align",
        "strandedness",
        "featurecounts",
        "star_chimeric",
        "circexplorer2_parse",
        "circ_counts",
        "fastp_small",
        "adapter",
        "cutadapt",
        "bowtie_hairpins",
        "mirna_counts",
        "mirtop_collapse",
    ]
    for rule in per_sample:
        assert jobs.get(rule) == "1", (rule, plan)
    for rule in ("genome", "hisat2_index", "star_index", "bowtie_index", "hairpins"):
        assert rule not in jobs, (rule, plan)
    bam = work / "total" / "S1" / "aligned.bam"
    mtime = bam.stat().st_mtime_ns
    result = run_reads(sheet, out=tmp_path / "out3", **kw)
    assert bam.stat().st_mtime_ns == mtime
    truth = pd.read_csv(more.truth, sep="\t", index_col=0)
    for name, rna_class in (("mrna", "mRNA"), ("mirna", "miRNA"), ("circrna", "circRNA")):
        got = pd.read_csv(result.out / "counts" / f"{name}.tsv", sep="\t", index_col=0)
        want = truth.loc[truth["rna_class"] == rna_class, ["S1", "S2", "S3"]].astype("int64")
        pd.testing.assert_frame_equal(got.sort_index(), want.sort_index(), check_names=False)
    shutil.rmtree(tmp_path / "more")
