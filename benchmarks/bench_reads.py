"""Reads workflow (Snakemake) vs the same tools in a plain shell loop; 1 vs 2 cores.

Data: nf-core's chr22 paired-end reads (../shared/data/sequencing/nfcore_modules_chr22),
repeated ``--scale`` times (default 20) in each of ``--samples`` samples. The workflow is timed
on its ``featurecounts`` targets only (``run_targets``: no STAR, CIRCexplorer2 or MultiQC) with
strandedness declared ``unstranded``. Both sides do the same work: copy and index the genome
(``samtools faidx``), build the HISAT2 index once, then per sample fastp, hisat2 | samtools sort,
samtools index, the strandedness check and featureCounts.

The strandedness check (featureCounts ``-s 1`` and ``-s 2``, the assigned fragments of each
compared) is in the loop because the workflow runs it for every sample even when the
strandedness is declared: its result is a QC output (``qc/strandedness/*.json``, the QC
tables) and warns when the declaration contradicts the reads. Before 2026-12-03 the loop left
it out, so the "overhead" counted two featureCounts runs per sample that are work, not
orchestration. The loop decides with ``awk`` rather than exodisc's step (same arithmetic).

Printed: wall time of each side, overhead, the 1 -> 2 core scaling, the loop's time per
step, and Snakemake's fixed cost (a re-run of the finished workflow, nothing to do: start-up,
Snakefile parse, DAG). With ``--repeats N`` each pair runs N times (loop and workflow
alternating) and the medians are printed.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/bench_reads.py [--scale 20] [--samples 2]
[--repeats 1]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from exodisc.reads._inputs import validate_inputs
from exodisc.reads._steps import gtf_exons_splice_sites
from exodisc.reads._workflow import run_targets

SHARED = next(
    (
        p / "shared" / "data" / "sequencing"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "data" / "sequencing").is_dir()
    ),
    Path("../shared/data/sequencing"),
)


def _scaled(src: Path, dst: Path, scale: int) -> None:
    with gzip.open(src, "rb") as fh_in:
        data = fh_in.read()
    with gzip.open(dst, "wb", compresslevel=1) as fh:
        for _ in range(scale):
            fh.write(data)


def _loop(
    d: Path, samples: list[str], genome: Path, gtf: Path, threads: int
) -> tuple[float, dict[str, float]]:
    """The shell loop's wall time and its time per step."""
    t0 = time.perf_counter()
    exons, ss = gtf_exons_splice_sites(gtf)
    (d / "exons").write_text("".join(x + "\n" for x in exons))
    (d / "ss").write_text("".join(x + "\n" for x in ss))
    fc = f"featureCounts -T {threads} -p --countReadPairs"
    sh = [
        # step LABEL COMMAND: run COMMAND, append 'LABEL start end' to $D/times
        'step() { local a=$EPOCHREALTIME; eval "$2"; '
        f'echo "$1 $a $EPOCHREALTIME" >> {d}/times; }}',
        f"step genome 'cp {genome} {d}/genome.fa && samtools faidx {d}/genome.fa'",
        f"step hisat2-build 'hisat2-build -p {threads} --ss {d}/ss --exon {d}/exons "
        f"{d}/genome.fa {d}/idx > /dev/null 2>&1'",
        f"for s in {' '.join(samples)}; do",
        f"  step fastp 'fastp -w {threads} -i {d}/$s.R1.fq.gz -I {d}/$s.R2.fq.gz "
        f"-o {d}/$s.t1.fq.gz -O {d}/$s.t2.fq.gz --detect_adapter_for_pe -j {d}/$s.json "
        f"-h {d}/$s.html -R $s 2>/dev/null'",
        f"  step hisat2+sort+index 'hisat2 -p {threads} -x {d}/idx -1 {d}/$s.t1.fq.gz "
        f"-2 {d}/$s.t2.fq.gz 2>/dev/null | samtools sort -@ {threads} -o {d}/$s.bam - "
        f"2>/dev/null && samtools index {d}/$s.bam'",
        f"  step strandedness 'for k in 1 2; do {fc} -s $k -a {gtf} -o {d}/$s.s$k {d}/$s.bam "
        f"> /dev/null 2>&1; done && awk '\\''$1==\"Assigned\"{{print FILENAME, $2}}'\\'' "
        f"{d}/$s.s1.summary {d}/$s.s2.summary > {d}/$s.strand'",
        f"  step featureCounts '{fc} -s 0 -a {gtf} -o {d}/$s.fc {d}/$s.bam > /dev/null 2>&1'",
        "done",
    ]
    subprocess.run(["bash", "-c", "\n".join(sh)], check=True)
    wall = time.perf_counter() - t0
    steps: dict[str, float] = defaultdict(float)
    for line in (d / "times").read_text().splitlines():
        label, a, b = line.split()
        steps[label] += float(b) - float(a)
    return wall, dict(steps)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--samples", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    src = SHARED / "nfcore_modules_chr22"
    genome, gtf = src / "genome.fasta", src / "genome.gtf"
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        names = [f"S{i + 1}" for i in range(args.samples)]
        rows = ["sample,fastq_1,fastq_2,library"]
        for s in names:
            _scaled(src / "test_rnaseq_1.fastq.gz", d / f"{s}.R1.fq.gz", args.scale)
            _scaled(src / "test_rnaseq_2.fastq.gz", d / f"{s}.R2.fq.gz", args.scale)
            rows.append(f"{s},{d}/{s}.R1.fq.gz,{d}/{s}.R2.fq.gz,total")
        (d / "sheet.csv").write_text("\n".join(rows) + "\n")
        inputs = validate_inputs(d / "sheet.csv", genome=genome, gtf=gtf)
        targets = [f"total/{s}/featurecounts.txt" for s in names]
        results = {}
        for cores in (1, 2):
            loops, wfs, noops = [], [], []
            steps: dict[str, list[float]] = defaultdict(list)
            for rep in range(args.repeats):
                loop_dir = d / f"loop{cores}.{rep}"
                loop_dir.mkdir()
                for s in names:
                    for r in ("R1", "R2"):
                        shutil.copy(d / f"{s}.{r}.fq.gz", loop_dir / f"{s}.{r}.fq.gz")
                t_loop, t_steps = _loop(loop_dir, names, genome, gtf, cores)
                loops.append(t_loop)
                for k, v in t_steps.items():
                    steps[k].append(v)
                work = d / f"wf{cores}.{rep}"
                t0 = time.perf_counter()
                run_targets(inputs, work, targets, cores=cores, strandedness="unstranded")
                wfs.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                run_targets(inputs, work, targets, cores=cores, strandedness="unstranded")
                noops.append(time.perf_counter() - t0)
                shutil.rmtree(loop_dir)
                shutil.rmtree(work)
            t_loop, t_wf = statistics.median(loops), statistics.median(wfs)
            results[cores] = (t_loop, t_wf)
            runs = "" if args.repeats == 1 else f" (median of {args.repeats})"
            print(
                f"cores={cores}{runs}: shell loop {t_loop:.1f} s, Snakemake workflow {t_wf:.1f} s,"
                f" overhead {100 * (t_wf / t_loop - 1):+.1f} % "
                f"[loops {', '.join(f'{x:.1f}' for x in loops)}; "
                f"workflows {', '.join(f'{x:.1f}' for x in wfs)}]"
            )
            print(
                "  loop steps: "
                + ", ".join(f"{k} {statistics.median(v):.1f} s" for k, v in steps.items())
            )
            print(
                f"  Snakemake re-run with nothing to do: {statistics.median(noops):.1f} s "
                f"[{', '.join(f'{x:.1f}' for x in noops)}]"
            )
        print(
            f"1 -> 2 cores: loop x{results[1][0] / results[2][0]:.2f}, "
            f"workflow x{results[1][1] / results[2][1]:.2f}"
        )


if __name__ == "__main__":
    main()
