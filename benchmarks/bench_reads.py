"""Reads workflow (Snakemake) vs the same tools in a plain shell loop; 1 vs 2 cores.

Data: nf-core's chr22 paired-end reads (../shared/data/sequencing/nfcore_modules_chr22),
repeated ``--scale`` times (default 20) in each of ``--samples`` samples. Both sides build the
HISAT2 index once and run fastp, hisat2 | samtools sort, samtools index and featureCounts per
sample. The workflow is timed on its ``featurecounts`` targets only (``run_targets``: no STAR,
CIRCexplorer2 or MultiQC); with strandedness declared it still runs its strandedness check
(featureCounts -s 1 and -s 2) per sample, which the loop does not.

Usage: .venv/bin/python benchmarks/bench_reads.py [--scale 20] [--samples 2]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import tempfile
import time
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


def _loop(d: Path, samples: list[str], genome: Path, gtf: Path, threads: int) -> float:
    t0 = time.perf_counter()
    exons, ss = gtf_exons_splice_sites(gtf)
    (d / "exons").write_text("".join(x + "\n" for x in exons))
    (d / "ss").write_text("".join(x + "\n" for x in ss))
    sh = [
        f"hisat2-build -p {threads} --ss {d}/ss --exon {d}/exons {genome} {d}/idx > /dev/null 2>&1",
        f"for s in {' '.join(samples)}; do",
        f"  fastp -w {threads} -i {d}/$s.R1.fq.gz -I {d}/$s.R2.fq.gz -o {d}/$s.t1.fq.gz "
        f"-O {d}/$s.t2.fq.gz --detect_adapter_for_pe -j {d}/$s.json -h {d}/$s.html 2>/dev/null",
        f"  hisat2 -p {threads} -x {d}/idx -1 {d}/$s.t1.fq.gz -2 {d}/$s.t2.fq.gz 2>/dev/null "
        f"| samtools sort -@ {threads} -o {d}/$s.bam - 2>/dev/null",
        f"  samtools index {d}/$s.bam",
        f"  featureCounts -T {threads} -p --countReadPairs -s 0 -a {gtf} -o {d}/$s.fc "
        f"{d}/$s.bam > /dev/null 2>&1",
        "done",
    ]
    subprocess.run(["bash", "-c", "\n".join(sh)], check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--samples", type=int, default=2)
    args = ap.parse_args()
    src = SHARED / "nfcore_modules_chr22"
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        names = [f"S{i + 1}" for i in range(args.samples)]
        rows = ["sample,fastq_1,fastq_2,library"]
        for s in names:
            _scaled(src / "test_rnaseq_1.fastq.gz", d / f"{s}.R1.fq.gz", args.scale)
            _scaled(src / "test_rnaseq_2.fastq.gz", d / f"{s}.R2.fq.gz", args.scale)
            rows.append(f"{s},{d}/{s}.R1.fq.gz,{d}/{s}.R2.fq.gz,total")
        (d / "sheet.csv").write_text("\n".join(rows) + "\n")
        inputs = validate_inputs(
            d / "sheet.csv", genome=src / "genome.fasta", gtf=src / "genome.gtf"
        )
        targets = [f"total/{s}/featurecounts.txt" for s in names]
        results = {}
        for cores in (1, 2):
            loop_dir = d / f"loop{cores}"
            loop_dir.mkdir()
            for s in names:
                for r in ("R1", "R2"):
                    shutil.copy(d / f"{s}.{r}.fq.gz", loop_dir / f"{s}.{r}.fq.gz")
            t_loop = _loop(loop_dir, names, src / "genome.fasta", src / "genome.gtf", cores)
            t0 = time.perf_counter()
            run_targets(inputs, d / f"wf{cores}", targets, cores=cores, strandedness="unstranded")
            t_wf = time.perf_counter() - t0
            results[cores] = (t_loop, t_wf)
            print(
                f"cores={cores}: shell loop {t_loop:.1f} s, Snakemake workflow {t_wf:.1f} s, "
                f"overhead {100 * (t_wf / t_loop - 1):+.0f} %"
            )
        print(
            f"1 -> 2 cores: loop x{results[1][0] / results[2][0]:.2f}, "
            f"workflow x{results[1][1] / results[2][1]:.2f}"
        )


if __name__ == "__main__":
    main()
