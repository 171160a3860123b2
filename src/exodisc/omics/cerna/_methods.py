"""Methods of the ceRNA network analysis, described for the report."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="cerna.gdcce",
        name="ceRNA–mRNA pair statistics (GDCRNATools gdcCEAnalysis definitions)",
        template=(
            "Competing endogenous RNA (ceRNA) networks were built from {cerna_class}–miRNA "
            "({n_cerna_targets} interactions) and mRNA–miRNA ({n_mrna_targets} interactions) "
            "target tables ({target_source}). {mode_text} For each {cerna_class}–mRNA pair "
            "sharing at least {min_shared} miRNA(s) ({n_tested} pairs), a hypergeometric test "
            "of the number of shared miRNAs was computed (population N = {population} distinct "
            "miRNAs; P(X ≥ k)) and corrected by the Benjamini–Hochberg method over all tested "
            "pairs; Pearson correlation of the two RNAs across {n_samples} samples (one-sided, "
            "positive), regulation similarity and sensitivity correlation (Paci et al. 2014) "
            "over the shared miRNAs with expression data were computed as in GDCRNATools. "
            "Edges were kept at hypergeometric FDR < {max_fdr}{corr_text}; {mirna_text} Hubs "
            "were ranked by degree and betweenness centrality and modules found by greedy "
            "modularity maximisation (networkx {networkx_version})."
        ),
        citation=(
            "Li R et al. GDCRNATools: an R/Bioconductor package for integrative analysis of "
            "lncRNA, miRNA and mRNA data in GDC. Bioinformatics 2018;34:2515–7. Paci P, "
            "Colombo T, Farina L. Computational analysis identifies a sponge interaction "
            "network between long non-coding RNAs and messenger RNAs in human breast cancer. "
            "BMC Syst Biol 2014;8:83."
        ),
        r_equivalent=(
            "GDCRNATools::gdcCEAnalysis(lnc, pc, lnc.targets, pc.targets, rna.expr, mir.expr); "
            "p.adjust(hyperPValue, 'BH')"
        ),
        software=("scipy", "networkx"),
    )
)

register_method(
    MethodMeta(
        key="cerna.direction_welch",
        name="Direction calls for ceRNA logic without DE results (Welch t-test screen)",
        template=(
            "Where no differential-expression results were given for an RNA class "
            "({classes}), features were called changed between {test} and {reference} by a "
            "Welch t-test on log2(normalised counts + 1) (DESeq2 median-of-ratios size "
            "factors; P < {alpha}, |log2 FC| > {log2_fc}); with "
            "{n_per_group} samples per group this is a screen, not a DE analysis."
        ),
        citation="Welch BL. Biometrika 1947;34:28–35.",
        r_equivalent="t.test(x ~ group, var.equal = FALSE)",
        software=("scipy",),
    )
)

register_method(
    MethodMeta(
        key="cerna.ora",
        name="Over-representation of the ceRNA network's mRNAs",
        template=(
            "The network's {n_genes} mRNAs were tested for over-representation in {label} "
            "gene sets (one-sided hypergeometric test, Benjamini–Hochberg FDR over the terms "
            "tested), against the {n_background} mRNAs measured as background."
        ),
        citation="Yu G et al. clusterProfiler. OMICS 2012;16:284–7.",
        r_equivalent="clusterProfiler::enricher(genes, universe = background, TERM2GENE = sets)",
        software=("scipy",),
    )
)
