"""Methods of the qPCR analysis, described for the report."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="qpcr.ddct",
        name="Relative quantification by the 2^-ΔΔCt method",
        template=(
            "Relative expression of {targets} was calculated by the 2^-ΔΔCt method: technical "
            "replicates were averaged per biological replicate, ΔCt = Ct(target) − Ct({reference})"
            "{reference_note}, ΔΔCt = ΔCt − mean ΔCt of {calibrator}, and fold change = "
            "2^-ΔΔCt per biological replicate. Replicate groups with SD > {sd_max} or range > "
            "{range_max} cycles were flagged{outlier_note}; Undetermined wells: {undetermined}; "
            "NTC wells with Ct < {ntc_ct_max} flagged contamination. Per sample, RQ min/max = "
            "2^-(ΔΔCt ± t·SE(ΔCt)) as in QuantStudio Design & Analysis (t on n_target + n_ref − 2 "
            "df, or on n − 1 df of the per-well ΔCt where target and reference share wells) at "
            "{confidence}. Statistics were computed on ΔCt."
        ),
        citation="Livak KJ, Schmittgen TD (2001) Methods 25:402–408.",
        r_equivalent="pcr::pcr_ddct(df, group_var, reference_gene, reference_group)",
        software=("numpy", "pandas"),
    )
)

register_method(
    MethodMeta(
        key="qpcr.pfaffl",
        name="Efficiency-corrected relative quantification (Pfaffl)",
        template=(
            "Relative expression of {targets} was calculated with Pfaffl's efficiency-corrected "
            "model (ratio = E_target^ΔCt_target / E_ref^ΔCt_ref, several references combined by "
            "the geometric mean of their quantities) against {reference} and {calibrator}, with "
            "amplification efficiencies {efficiencies}. Technical replicates were averaged and "
            "flagged when SD > {sd_max} or range > {range_max} cycles; Undetermined wells: "
            "{undetermined}. Per sample, RQ min/max = 2^-(ΔΔCt ± t·SE(ΔCt)) on the "
            "efficiency-weighted Ct (as QuantStudio Design & Analysis) at {confidence}. "
            "Statistics were computed on the efficiency-weighted ΔCt."
        ),
        citation="Pfaffl MW (2001) Nucleic Acids Res 29:e45; Hellemans et al. (2007) "
        "Genome Biol 8:R19.",
        r_equivalent="pcr::pcr_curve / qbase+ 'calibrated normalized relative quantity'",
        software=("numpy", "pandas"),
    )
)

register_method(
    MethodMeta(
        key="qpcr.standard_curve",
        name="Standard curves and amplification efficiency",
        template=(
            "Amplification efficiencies were estimated from {n_curves} standard curve(s) by "
            "least-squares regression of Ct on log10(quantity), efficiency = "
            "(10^(−1/slope) − 1) × 100 %; efficiencies outside {low}–{high} % were flagged."
        ),
        citation="Pfaffl MW (2001) Nucleic Acids Res 29:e45; Bustin SA et al. (2009) "
        "Clin Chem 55:611 (MIQE).",
        r_equivalent="lm(ct ~ log10(quantity)); E = 10^(-1/coef[2])",
        software=("scipy",),
    )
)

register_method(
    MethodMeta(
        key="qpcr.genorm",
        name="Reference-gene stability (geNorm)",
        template=(
            "The stability of the reference genes {genes} was assessed with geNorm's M value "
            "(mean pairwise variation of log2 expression ratios, stepwise exclusion of the least "
            "stable gene) and the pairwise variation V n/n+1."
        ),
        citation="Vandesompele J et al. (2002) Genome Biol 3:research0034.",
        r_equivalent='NormqPCR::selectHKs(method = "geNorm") / ctrlGene::geNorm',
        software=("numpy",),
    )
)

register_method(
    MethodMeta(
        key="qpcr.normfinder",
        name="Reference-gene stability (NormFinder)",
        template=(
            "NormFinder's model-based stability value, which separates intragroup and "
            "intergroup variation across the {n_groups} groups, ranked {genes}; the best pair "
            "was {best_pair}."
        ),
        citation="Andersen CL, Jensen JL, Ørntoft TF (2004) Cancer Res 64:5245–5250.",
        r_equivalent="NormFinder R script (MOMA): Normfinder(data, ctVal = TRUE)",
        software=("numpy",),
    )
)

register_method(
    MethodMeta(
        key="qpcr.rnaseq_agreement",
        name="Agreement of RT-qPCR and RNA-seq fold changes",
        template=(
            "RNA-seq was checked against RT-qPCR in {n_comparisons} comparison(s): for the "
            "genes measured both ways, the qPCR log2 fold change (−ΔΔCt of the group means) "
            "was compared with DESeq2's log2 fold change of the same contrast by the share "
            "of genes changing in the same direction and by Pearson and Spearman correlation."
        ),
        citation="Everaert C et al. (2017) Sci Rep 7:1559 (RNA-seq vs qPCR benchmark).",
        r_equivalent=(
            "mean(sign(a) == sign(b)); cor.test(a, b); cor.test(a, b, method = 'spearman')"
        ),
        software=("scipy",),
    )
)
