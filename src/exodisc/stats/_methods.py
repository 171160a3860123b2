"""Methods of the statistics engine, described for the report."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="stats.anova_bonferroni",
        name="One-way ANOVA with Bonferroni post-hoc test",
        template=(
            "{what} were compared between groups by one-way ANOVA followed by Bonferroni's "
            "post-hoc test (pairwise t-tests on the pooled ANOVA mean square error, P multiplied "
            "by the {n_comparisons} declared comparisons and capped at 1, as in SPSS); "
            "significance at P < {alpha}. Data are mean ± {error} of n = {n} biological "
            "replicates per group."
        ),
        citation="Bonferroni correction as implemented in IBM SPSS Statistics (ONEWAY, POSTHOC).",
        r_equivalent=(
            'emmeans::contrast(emmeans(aov(y ~ group), ~ group), method=..., adjust="bonferroni")'
        ),
        software=("scipy",),
    )
)
