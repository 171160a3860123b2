"""Methods the report describes for the knowledge cross-link."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="knowledge.crosslink",
        name="Cross-link of study results with curated exosome-therapy knowledge",
        template=(
            "The study's result tables ({n_tables} scanned) were read against exodisc's curated "
            "knowledge (version {version}): {n_rna} exosomal / vesicular RNAs with their targets "
            "and effects from the review's Table 1 and text, and the seed study's findings. A "
            "direction was called where the adjusted P value was below {alpha}; expected "
            "directions are those of a therapeutic effect (treatment vs disease model). "
            "miRNA–target pairs were checked against miRTarBase (validated), starBase and miRcode "
            "as bundled in the Bioconductor package GDCRNATools."
        ),
        citation=(
            "Li R et al. GDCRNATools. Bioinformatics 2018;34:2515-2517. Huang HY et al. "
            "miRTarBase. Nucleic Acids Res 2020;48:D148-D154."
        ),
        r_equivalent=(
            "GDCRNATools::gdcCEAnalysis (interaction data); "
            "no R package holds the review's curation"
        ),
        software=("exodisc",),
    )
)
