"""The reads stage's methods paragraphs (tool versions filled in from the run).

One per long-RNA route (``quantifier``): ``reads.workflow`` (HISAT2 + featureCounts) and
``reads.workflow_salmon`` (salmon + tximport); the rest of the workflow's text is shared.
"""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

_HEAD = (
    "Raw reads ({n_total} total-RNA and {n_small} small-RNA libraries) were processed "
    "with exodisc's Snakemake workflow (Snakemake {snakemake}). Reads were checked and "
    "trimmed with fastp ({fastp}). "
)
_FEATURECOUNTS = (
    "Total-RNA reads were aligned to the genome with "
    "HISAT2 ({hisat2}; index built with the GTF's splice sites and exons), sorted with "
    "samtools ({samtools}) and counted per gene with featureCounts ({featurecounts}; "
    "read pairs counted once as fragments, uniquely mapped only; strandedness "
    "{strandedness}). "
)
_SALMON = (
    "Total-RNA reads were quantified per transcript with salmon ({salmon}; selective "
    "alignment to a decoy-free index of the transcript sequences gffread ({gffread}) built "
    "from the genome and the GTF; library type {strandedness}) and summed to genes with "
    "exodisc's tximport (estimated counts of each gene's transcripts added, not scaled by "
    "abundance, rounded to integers as DESeqDataSetFromTximport does). "
)
_TAIL = (
    "Genes were split into mRNA (protein_coding) and lncRNA (lncRNA "
    "and its GENCODE synonyms) by the GTF's gene_type / gene_biotype. Back-spliced "
    "junctions were found in STAR ({star}) chimeric alignments and parsed with "
    "CIRCexplorer2 ({circexplorer2}). Small-RNA reads were trimmed of the 3' adapter "
    "({adapters}) and kept at 18–30 nt with cutadapt ({cutadapt}), aligned to miRBase "
    "hairpins with bowtie ({bowtie}; at most one mismatch, forward strand) and counted "
    "per mature miRNA from the miRBase coordinates (5' end within 2 nt, 3' end within "
    "5 nt); mirtop ({mirtop}) annotated the same alignments as isomiRs in mirGFF3. "
    "Tool reports were collected with MultiQC ({multiqc})."
)
_CITE_HEAD = (
    "Mölder F et al. Sustainable data analysis with Snakemake. F1000Res 2021;10:33. "
    "Chen S et al. fastp. Bioinformatics 2018;34:i884. "
)
_CITE_FEATURECOUNTS = (
    "Kim D et al. HISAT2. Nat "
    "Biotechnol 2019;37:907. Liao Y et al. featureCounts. Bioinformatics 2014;30:923. "
)
_CITE_SALMON = (
    "Patro R et al. Salmon provides fast and bias-aware quantification of transcript "
    "expression. Nat Methods 2017;14:417. Pertea G, Pertea M. GFF Utilities: GffRead and "
    "GffCompare. F1000Res 2020;9:304. Soneson C, Love MI, Robinson MD. Differential analyses "
    "for RNA-seq: transcript-level estimates improve gene-level inferences (tximport). "
    "F1000Res 2015;4:1521. "
)
_CITE_TAIL = (
    "Dobin A et al. STAR. Bioinformatics 2013;29:15. Zhang XO et al. CIRCexplorer2. "
    "Genome Res 2016;26:1277. Martin M. cutadapt. EMBnet.journal 2011;17:10. Langmead B "
    "et al. bowtie. Genome Biol 2009;10:R25. Kozomara A et al. miRBase. Nucleic Acids "
    "Res 2019;47:D155. Ewels P et al. MultiQC. Bioinformatics 2016;32:3047. "
    "Desvignes T et al. Unification of miRNA and isomiR research: the mirGFF3 format "
    "and the mirtop API. Bioinformatics 2020;36:698."
)

register_method(
    MethodMeta(
        key="reads.workflow",
        name="Reads to counts (Snakemake workflow)",
        template=_HEAD + _FEATURECOUNTS + _TAIL,
        citation=_CITE_HEAD + _CITE_FEATURECOUNTS + _CITE_TAIL,
        r_equivalent="Rsubread::featureCounts (counting step); nf-core/rnaseq, nf-core/smrnaseq",
        software=("snakemake", "multiqc", "CIRCexplorer2", "mirtop"),
    )
)

register_method(
    MethodMeta(
        key="reads.workflow_salmon",
        name="Reads to counts (Snakemake workflow, salmon + tximport)",
        template=_HEAD + _SALMON + _TAIL,
        citation=_CITE_HEAD + _CITE_SALMON + _CITE_TAIL,
        r_equivalent=(
            "round(tximport::tximport(files, type = 'salmon', tx2gene)$counts), as "
            "DESeq2::DESeqDataSetFromTximport (counting step); nf-core/rnaseq "
            "--pseudo_aligner salmon, nf-core/smrnaseq"
        ),
        software=("snakemake", "multiqc", "CIRCexplorer2", "mirtop"),
    )
)
