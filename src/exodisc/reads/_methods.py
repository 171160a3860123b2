"""The reads stage's methods paragraph (tool versions filled in from the run)."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="reads.workflow",
        name="Reads to counts (Snakemake workflow)",
        template=(
            "Raw reads ({n_total} total-RNA and {n_small} small-RNA libraries) were processed "
            "with exodisc's Snakemake workflow (Snakemake {snakemake}). Reads were checked and "
            "trimmed with fastp ({fastp}). Total-RNA reads were aligned to the genome with "
            "HISAT2 ({hisat2}; index built with the GTF's splice sites and exons), sorted with "
            "samtools ({samtools}) and counted per gene with featureCounts ({featurecounts}; "
            "read pairs counted once as fragments, uniquely mapped only; strandedness "
            "{strandedness}). Genes were split into mRNA (protein_coding) and lncRNA (lncRNA "
            "and its GENCODE synonyms) by the GTF's gene_type / gene_biotype. Back-spliced "
            "junctions were found in STAR ({star}) chimeric alignments and parsed with "
            "CIRCexplorer2 ({circexplorer2}). Small-RNA reads were trimmed of the 3' adapter "
            "({adapters}) and kept at 18–30 nt with cutadapt ({cutadapt}), aligned to miRBase "
            "hairpins with bowtie ({bowtie}; at most one mismatch, forward strand) and counted "
            "per mature miRNA from the miRBase coordinates (5' end within 2 nt, 3' end within "
            "5 nt); mirtop ({mirtop}) annotated the same alignments as isomiRs in mirGFF3. "
            "Tool reports were collected with MultiQC ({multiqc})."
        ),
        citation=(
            "Mölder F et al. Sustainable data analysis with Snakemake. F1000Res 2021;10:33. "
            "Chen S et al. fastp. Bioinformatics 2018;34:i884. Kim D et al. HISAT2. Nat "
            "Biotechnol 2019;37:907. Liao Y et al. featureCounts. Bioinformatics 2014;30:923. "
            "Dobin A et al. STAR. Bioinformatics 2013;29:15. Zhang XO et al. CIRCexplorer2. "
            "Genome Res 2016;26:1277. Martin M. cutadapt. EMBnet.journal 2011;17:10. Langmead B "
            "et al. bowtie. Genome Biol 2009;10:R25. Kozomara A et al. miRBase. Nucleic Acids "
            "Res 2019;47:D155. Ewels P et al. MultiQC. Bioinformatics 2016;32:3047. "
            "Desvignes T et al. Unification of miRNA and isomiR research: the mirGFF3 format "
            "and the mirtop API. Bioinformatics 2020;36:698."
        ),
        r_equivalent="Rsubread::featureCounts (counting step); nf-core/rnaseq, nf-core/smrnaseq",
        software=("snakemake", "multiqc", "CIRCexplorer2", "mirtop"),
    )
)
