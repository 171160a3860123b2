"""``exodisc reads``: raw reads to count tables of the four RNA classes (Snakemake)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


class _Executor(StrEnum):
    local = "local"
    slurm = "slurm"
    kubernetes = "kubernetes"


class _Quantifier(StrEnum):
    featurecounts = "featurecounts"
    salmon = "salmon"


class _Strand(StrEnum):
    auto = "auto"
    unstranded = "unstranded"
    forward = "forward"
    reverse = "reverse"


def reads(
    samplesheet: Annotated[
        Path, typer.Argument(help="CSV sample,fastq_1,fastq_2,library (total|small).")
    ],
    genome: Annotated[Path, typer.Option("--genome", help="Genome FASTA.")],
    gtf: Annotated[Path, typer.Option("--gtf", help="GTF with gene_type / gene_biotype.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder (replaced on success).")],
    mirbase_gff: Annotated[
        Path | None, typer.Option("--mirbase-gff", help="miRBase GFF3 (small RNA).")
    ] = None,
    hairpins: Annotated[
        Path | None, typer.Option("--hairpins", help="miRBase hairpin FASTA (small RNA).")
    ] = None,
    cores: Annotated[
        int, typer.Option("--cores", min=1, help="Cores, or parallel cluster jobs.")
    ] = 1,
    executor: Annotated[
        _Executor, typer.Option("--executor", help="Where the jobs run.")
    ] = _Executor.local,
    profile: Annotated[
        Path | None, typer.Option("--profile", help="Snakemake profile folder (config.yaml).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the jobs; run nothing.")] = False,
    strandedness: Annotated[
        _Strand, typer.Option("--strandedness", help="Declared, or auto (inferred per sample).")
    ] = _Strand.auto,
    adapter: Annotated[
        str, typer.Option("--adapter", help="Small-RNA 3' adapter, or auto (detected).")
    ] = "auto",
    quantifier: Annotated[
        _Quantifier,
        typer.Option(
            "--quantifier",
            help="Long-RNA gene counts: HISAT2 + featureCounts, or salmon quant + tximport "
            "(same counts/ files).",
        ),
    ] = _Quantifier.featurecounts,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Raw reads -> counts/{mrna,lncrna,mirna,circrna,all_genes}.tsv, qc/ and a MultiQC report.

    Runs the Snakemake workflow shipped with exodisc (fastp; HISAT2 + featureCounts, or
    salmon + tximport with --quantifier salmon; STAR + CIRCexplorer2; cutadapt + bowtie to
    miRBase hairpins; MultiQC). Every input is checked before any job starts; OUT is replaced
    only when every job succeeded.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from exodisc.reads import run_reads

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} jobs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=quiet or dry_run,
    ) as bar:
        task = bar.add_task("reads: starting", total=None)

        def show(rule: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"reads: {rule} done")

        result = run_reads(
            samplesheet,
            genome=genome,
            gtf=gtf,
            out=out,
            mirbase_gff=mirbase_gff,
            hairpins=hairpins,
            cores=cores,
            executor=executor.value,
            profile=profile,
            dry_run=dry_run,
            strandedness=strandedness.value,
            adapter=adapter,
            quantifier=quantifier.value,
            progress=show,
        )
    if isinstance(result, str):
        typer.echo(result)
        return
    for name, path in result.counts.items():
        typer.echo(f"{name}: {path}")
    typer.echo(f"multiqc: {result.multiqc}")


def demo_reads(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Folder for the study and its results.")
    ] = Path("exodisc-demo-reads"),
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """The reads stage on a synthetic genome, its counts feeding the DE sections (needs tools)."""
    from exodisc.pipeline import run_study
    from exodisc.reads._demo_study import build_reads_demo

    study_file = build_reads_demo(out, force=force)
    typer.echo(f"reads example study: {study_file}", err=True)
    report = run_study(
        study_file,
        out / "results",
        force=True,
        show_progress=not quiet,
        parameters={"command": "demo-reads", "out": str(out)},
    )
    typer.echo(str(report))


def register(app: typer.Typer) -> None:
    app.command("reads")(reads)
    app.command("demo-reads")(demo_reads)
