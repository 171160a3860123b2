"""Report paragraphs of the power analyses (generated from these definitions)."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

__all__: list[str] = []

register_method(
    MethodMeta(
        "power.groups",
        "Power and sample size of group comparisons",
        "Power and the n per group needed for {power} power were computed for every declared "
        "comparison with the test and post-hoc correction the study used: exactly from the "
        "noncentral t distribution where a closed form exists (one-way ANOVA with Bonferroni, "
        "Šidák or no correction on the pooled mean square error at α / m; Student and paired t "
        "tests), otherwise by simulating {n_sim} normal data sets per n (seed {seed}) and "
        "applying the same test (Tukey, Dunnett, Holm, Welch / Games–Howell, Kruskal–Wallis / "
        "Dunn, rank tests), reporting the Monte-Carlo error. The planning effect is the "
        "observed difference with its 95% CI (n needed at both CI ends) or a stated minimal "
        "effect.",
        "Cohen J (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed.; "
        "Faul F, Erdfelder E, Lang AG, Buchner A (2007) Behav Res Methods 39:175–191; "
        "Hoenig JM, Heisey DM (2001) Am Stat 55:19–24 (why not observed power).",
        "power.t.test(n, delta, sd, sig.level = alpha / m, strict = TRUE); "
        "power.anova.test; pwr::pwr.t.test; G*Power 3.1",
        ("scipy",),
    )
)
register_method(
    MethodMeta(
        "power.rnaseq",
        "RNA-seq power by simulation",
        "RNA-seq power was estimated by simulating {n_sim} two-group studies per sample size "
        "(n = {n_range} per group) from the study's own DESeq2 fit ({n_features} features: "
        "mean counts and dispersions; true effects: {effects}), analysing each with the same "
        "DESeq2 implementation and counting features with adjusted P < {fdr} (true found, "
        "false discovery proportion, sensitivity by expression level).",
        "Wu H, Wang C, Wu Z (2015) Bioinformatics 31:233–241 (PROPER); Bi R, Liu P (2016) "
        "BMC Bioinformatics 17:146 (ssizeRNA); Hart SN et al. (2013) J Comput Biol "
        "20:970–978 (RNASeqPower).",
        "PROPER::simRNAseq + runSims + comparePower",
        ("scipy",),
    )
)
