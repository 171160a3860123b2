"""Methods of the differential expression area, described for the report."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="de.deseq2",
        name="DESeq2 differential expression (negative binomial GLM, Wald test)",
        template=(
            "Differential expression of {rna_class} ({n_features} features, {n_samples} "
            "samples) was tested with the DESeq2 method (median-of-ratios size factors "
            "[{size_factor_type}], gene-wise dispersions with the Cox-Reid adjustment shrunk "
            "towards a {trend} trend, prior variance {prior_var:.3f} by {prior_var_method}; "
            "negative binomial GLM with design {design}; Wald test), Cook's distance outlier "
            "flagging, independent filtering on the mean of normalised counts at FDR "
            "{fdr} and Benjamini-Hochberg adjustment; features with FDR < {fdr} and "
            "|log2 fold change| > {log2_fc} were called differentially expressed."
        ),
        citation=(
            "Love MI, Huber W, Anders S (2014) Moderated estimation of fold change and "
            "dispersion for RNA-seq data with DESeq2. Genome Biology 15:550."
        ),
        r_equivalent=(
            "dds <- DESeq(DESeqDataSetFromMatrix(counts, sheet, design)); "
            "results(dds, contrast = c(factor, test, reference), alpha = fdr)  # DESeq2 1.38"
        ),
        software=("numpy", "scipy"),
    )
)

register_method(
    MethodMeta(
        key="de.deseq2_lrt",
        name="DESeq2 likelihood-ratio test",
        template=(
            "For {rna_class} ({n_features} features, {n_samples} samples), P values came from "
            "DESeq2's likelihood-ratio test of the full design {design} against the reduced "
            "design {reduced} (difference of the negative binomial deviances at the same "
            "dispersions, chi-square with {df} degree(s) of freedom); fold changes and their "
            "standard errors are those of the full model; FDR < {fdr} and |log2 fold change| > "
            "{log2_fc} called features."
        ),
        citation="Love MI, Huber W, Anders S (2014) Genome Biology 15:550.",
        r_equivalent=(
            "dds <- DESeq(dds, test = 'LRT', reduced = reduced); "
            "results(dds, contrast = c(factor, test, reference))  # DESeq2 1.38"
        ),
        software=("numpy", "scipy"),
    )
)

register_method(
    MethodMeta(
        key="de.lfc_shrink_normal",
        name="DESeq2 LFC shrinkage (normal prior)",
        template=(
            "Log2 fold changes of {rna_class} shown in tables and figures were shrunk with "
            "DESeq2's normal prior (prior variances per design term matched to the upper 5% "
            "weighted quantile of the maximum-likelihood fold changes: {prior_var}; refit of "
            "the expanded design with the corresponding ridge); P values are those of the "
            "unshrunken test."
        ),
        citation="Love MI, Huber W, Anders S (2014) Genome Biology 15:550.",
        r_equivalent=(
            "lfcShrink(dds, contrast = c(factor, test, reference), res = res, "
            "type = 'normal')  # DESeq2 1.38"
        ),
        software=("numpy", "scipy"),
    )
)

register_method(
    MethodMeta(
        key="de.vst_pca",
        name="Variance-stabilising transformation and PCA",
        template=(
            "Samples were compared by principal component analysis of the {n_used} most "
            "variable features (ntop = {n_top}, DESeq2 plotPCA's default 500; all features "
            "when fewer) after DESeq2's variance-stabilising transformation "
            "(parametric trend, blind = FALSE)."
        ),
        citation="Love MI, Huber W, Anders S (2014) Genome Biology 15:550.",
        r_equivalent=(
            "plotPCA(varianceStabilizingTransformation(dds, blind = FALSE), ntop = ntop)"
        ),
        software=("numpy",),
    )
)

register_method(
    MethodMeta(
        key="de.limma_voom",
        name="limma-voom differential expression",
        template=(
            "Differential expression of {rna_class} ({n_features} features, {n_samples} "
            "samples) was tested with limma-voom ({preprocessing}; voom precision weights, "
            "weighted linear models with design {design}{block}, empirical Bayes moderated t "
            "with {df_prior:.1f} prior degrees of freedom, Benjamini-Hochberg adjustment); "
            "features with FDR < {fdr} and |log2 fold change| > {log2_fc} were called "
            "differentially expressed."
        ),
        citation=(
            "Law CW, Chen Y, Shi W, Smyth GK (2014) voom: precision weights unlock linear model "
            "analysis tools for RNA-seq read counts. Genome Biology 15:R29. Ritchie ME et al. "
            "(2015) limma powers differential expression analyses. Nucleic Acids Res 43:e47."
        ),
        r_equivalent=(
            "y <- DGEList(counts); y <- calcNormFactors(y[filterByExpr(y, design), , "
            "keep.lib.sizes = FALSE]); v <- voom(y, design); "
            "fit <- eBayes(lmFit(v, design)); topTable(fit, coef, number = Inf)  "
            "# edgeR 3.40, limma 3.54; block: duplicateCorrelation + lmFit(block =, correlation =)"
        ),
        software=("numpy", "scipy"),
    )
)
