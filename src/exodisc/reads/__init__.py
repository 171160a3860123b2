"""From raw reads to counts of mRNA, lncRNA, miRNA and circRNA, on Snakemake.

``exodisc reads SAMPLESHEET.csv --genome G.fa --gtf G.gtf -o OUT`` (and the ``reads`` assay
kind inside a study) run the workflow shipped in ``exodisc/reads/workflow/Snakefile``: fastp,
HISAT2 + samtools + featureCounts (mRNA / lncRNA by the GTF's biotype; or, with
``quantifier="salmon"``, gffread + salmon quant + tximport to the same count files), cutadapt +
bowtie to miRBase hairpins (mature miRNAs), STAR chimeric junctions + CIRCexplorer2 (circRNA)
and MultiQC.

Names are imported lazily: the workflow's jobs run ``python -m exodisc.reads._steps`` and
must not pay for pandas / numpy imports they do not use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "MissingToolsError",
    "ReadsInputs",
    "ReadsResult",
    "ReadsWorkflowError",
    "SimulatedData",
    "check_tools",
    "counts_for",
    "read_samplesheet",
    "run_reads",
    "simulate_reads_dataset",
    "tool_versions",
    "validate_inputs",
    "workflow_dir",
]

_WHERE = {
    "counts_for": "_run",
    "ReadsInputs": "_inputs",
    "read_samplesheet": "_inputs",
    "validate_inputs": "_inputs",
    "SimulatedData": "_simulate",
    "simulate_reads_dataset": "_simulate",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        msg = f"module 'exodisc.reads' has no attribute {name!r}"
        raise AttributeError(msg)
    module = importlib.import_module(f"exodisc.reads.{_WHERE.get(name, '_workflow')}")
    return getattr(module, name)
