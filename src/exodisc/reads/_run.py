"""The ``reads`` assay kind: the reads workflow inside ``exodisc run``.

Its counts feed the DE assays (``mrna_counts``, ``lncrna_counts``, ``mirna_counts``,
``circrna_counts``) that list no ``files``: :func:`counts_for` finds them in the results of the
assays run before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from exodisc.errors import DesignError
from exodisc.registry import AssayContext, register_assay

__all__ = ["ReadsOptions", "counts_for", "run_reads_assay"]

_CLASS_FILE = {"mRNA": "mrna", "lncRNA": "lncrna", "miRNA": "mirna", "circRNA": "circrna"}


class ReadsOptions(BaseModel):
    """Options of the ``reads`` assay (paths relative to the study file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    genome: str = Field(description="Genome FASTA.")
    gtf: str = Field(description="GTF with gene_type / gene_biotype.")
    mirbase_gff: str | None = Field(default=None, description="miRBase GFF3 (small RNA).")
    hairpins: str | None = Field(default=None, description="miRBase hairpin FASTA.")
    cores: int = Field(default=1, ge=1)
    executor: Literal["local", "slurm", "kubernetes"] = "local"
    profile: str | None = None
    strandedness: Literal["auto", "unstranded", "forward", "reverse"] = "auto"
    adapter: str = "auto"
    quantifier: Literal["featurecounts", "salmon"] = Field(
        default="featurecounts",
        description="Long-RNA gene counts: HISAT2 + featureCounts, or salmon quant on the "
        "GTF's transcripts summed to genes with tximport (same count files).",
    )
    output: str | None = Field(
        default=None,
        description="Folder for the workflow's output (default .exodisc-reads/<assay id> "
        "beside the study file; kept for incremental re-runs).",
    )


def _strandedness_text(strands: Any) -> str:
    """Per sample: the strandedness used, where it came from and the fragments behind it."""
    if strands is None:
        return "n/a"
    parts = []
    for r in strands.to_dict("records"):
        libtype = r.get("libtype")
        if isinstance(libtype, str) and libtype:  # salmon route
            how = f"salmon library type {libtype}, {r['libtype_source']}"
        else:
            how = "declared" if r["declared"] != "auto" else "inferred"
        parts.append(
            f"{r['sample']}: {r['used']} ({how}, {r['fraction_forward']:.2f} of fragments "
            "on the transcript strand)"
        )
    return ", ".join(parts)


def counts_for(ctx: AssayContext, rna_class: str) -> list[Path]:
    """The count table of ``rna_class`` written by the study's ``reads`` assay, if one ran."""
    from exodisc.reads._workflow import ReadsResult

    found = [r for r in ctx.results.values() if isinstance(r, ReadsResult)]
    if not found:
        return []
    if len(found) > 1:
        msg = (
            f"assay {ctx.assay.id!r}: several reads assays ran; name the count file in 'files' "
            f"(e.g. {found[0].counts[_CLASS_FILE[rna_class]]})"
        )
        raise DesignError(msg)
    return [found[0].counts[_CLASS_FILE[rna_class]]]


@register_assay(
    "reads",
    title="Reads to counts (Snakemake)",
    options=ReadsOptions,
    produces=("read_counts",),
)
def run_reads_assay(ctx: AssayContext) -> Any:
    """Run the reads workflow on the assay's samplesheet; report QC and counts."""
    import json

    import pandas as pd

    from exodisc.reads._qc import qc_tables
    from exodisc.reads._workflow import run_reads

    opts: ReadsOptions = ctx.options
    if len(ctx.files) != 1:
        msg = f"assay {ctx.assay.id!r}: 'files' must name one samplesheet CSV"
        raise DesignError(msg)
    study = ctx.study
    out = (
        study.resolve(opts.output)
        if opts.output
        else study.base_dir / ".exodisc-reads" / ctx.assay.id
    )

    def show(rule: str, done: int, total: int) -> None:
        ctx.step(f"{ctx.assay.id}: {rule} done ({done}/{total} jobs)")

    result = run_reads(
        ctx.files[0],
        genome=study.resolve(opts.genome),
        gtf=study.resolve(opts.gtf),
        mirbase_gff=study.resolve(opts.mirbase_gff) if opts.mirbase_gff else None,
        hairpins=study.resolve(opts.hairpins) if opts.hairpins else None,
        out=out,
        cores=opts.cores,
        executor=opts.executor,
        profile=study.resolve(opts.profile) if opts.profile else None,
        strandedness=opts.strandedness,
        adapter=opts.adapter,
        quantifier=opts.quantifier,
        progress=show,
    )
    if isinstance(result, str):  # pragma: no cover - dry runs are not offered here
        raise DesignError("unexpected dry run")
    prov = json.loads(result.provenance.read_text())
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Reads to counts")
    aid = ctx.assay.id.lower().replace(" ", "_")
    sizes = []
    for key in ("mrna", "lncrna", "mirna", "circrna", "all_genes"):
        t = pd.read_csv(result.counts[key], sep="\t", index_col=0)
        sizes.append(
            {
                "table": f"counts/{key}.tsv",
                "features": len(t),
                "samples": t.shape[1],
                "total_count": int(t.to_numpy().sum()),
            }
        )
        sec.add_table(f"{aid}_counts_{key}", t.reset_index(), caption=f"{key} counts", show=False)
    sec.add_table(f"{aid}_count_tables", pd.DataFrame(sizes), caption="Count tables")
    for name, table in qc_tables(result.out / "qc").items():
        sec.add_table(f"{aid}_{name}", table, caption=name.replace("_", " "))
    gs = result.out / "multiqc" / "multiqc_report_data" / "multiqc_general_stats.txt"
    if gs.is_file():
        sec.add_table(
            f"{aid}_multiqc_general_stats",
            pd.read_csv(gs, sep="\t"),
            caption="MultiQC general statistics",
        )
    sec.add_file(
        f"{aid}_multiqc_report.html",
        result.multiqc.read_bytes(),
        caption="MultiQC report over every tool's log",
    )
    tools = prov["tools"]
    strands = qc_tables(result.out / "qc").get("reads_strandedness")
    small = qc_tables(result.out / "qc").get("reads_small_rna")
    salmon = prov.get("quantifier", "featurecounts") == "salmon"
    long_rna = (
        {"salmon": tools.get("salmon"), "gffread": tools.get("gffread")}
        if salmon
        else {
            "hisat2": tools.get("hisat2"),
            "samtools": tools.get("samtools"),
            "featurecounts": tools.get("featureCounts"),
        }
    )
    sec.add_method(
        "reads.workflow_salmon" if salmon else "reads.workflow",
        n_total=len(prov["config"]["total"]),
        n_small=len(prov["config"]["small"]),
        snakemake=tools.get("snakemake"),
        fastp=tools.get("fastp"),
        **long_rna,
        star=tools.get("STAR"),
        circexplorer2=tools.get("CIRCexplorer2"),
        cutadapt=tools.get("cutadapt"),
        bowtie=tools.get("bowtie"),
        multiqc=tools.get("multiqc"),
        mirtop=tools.get("mirtop", "unavailable"),
        strandedness=_strandedness_text(strands),
        adapters=(
            ", ".join(f"{r.sample}: {r.adapter} ({r.adapter_source})" for r in small.itertuples())
            if small is not None
            else "none"
        ),
    )
    ctx.report.record(f"reads:{ctx.assay.id}", {"out": str(result.out), "tools": tools})
    return result
