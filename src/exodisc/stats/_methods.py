"""Report paragraphs of every statistical test and correction (generated, never hand-written)."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method
from exodisc.stats._registry import POSTHOCS, TESTS

__all__ = ["OMNIBUS_KEYS", "POSTHOC_KEYS"]

_SCIPY = ("scipy",)
_SM = ("scipy", "statsmodels")

#: method key of each omnibus test of :func:`exodisc.stats.compare_groups` (from the registry)
OMNIBUS_KEYS = {t.name: t.method_key for t in TESTS.values()}
#: method key of each post-hoc test / correction
POSTHOC_KEYS = {p.name: p.method_key for p in POSTHOCS.values()}

for _meta in (
    MethodMeta(
        "stats.anova",
        "One-way ANOVA",
        "{what} was compared among {n_groups} groups (n = {n} per group) by one-way analysis "
        "of variance (ANOVA); effect size as η² with its 95% confidence interval.",
        "Fisher RA (1925) Statistical Methods for Research Workers.",
        "aov(value ~ group); SPSS ONEWAY; Prism one-way ANOVA",
        _SCIPY,
    ),
    MethodMeta(
        "stats.welch_anova",
        "Welch's ANOVA",
        "{what} was compared among {n_groups} groups (n = {n} per group) by Welch's "
        "one-way ANOVA, which does not assume equal variances (Brown–Forsythe F* reported "
        "alongside).",
        "Welch BL (1951) Biometrika 38:330–336; Brown MB, Forsythe AB (1974) Technometrics "
        "16:129–132.",
        "oneway.test(value ~ group, var.equal = FALSE); Prism Brown–Forsythe and Welch ANOVA",
        _SCIPY,
    ),
    MethodMeta(
        "stats.kruskal",
        "Kruskal–Wallis test",
        "{what} was compared among {n_groups} groups (n = {n} per group) by the "
        "Kruskal–Wallis rank test (tie-corrected).",
        "Kruskal WH, Wallis WA (1952) J Am Stat Assoc 47:583–621.",
        "kruskal.test(value ~ group)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.rm_anova",
        "Repeated-measures one-way ANOVA",
        "{what} was compared among {n_groups} conditions measured on the same donors "
        "(n = {n}) by repeated-measures one-way ANOVA (donor as a blocking factor; the "
        "Greenhouse–Geisser-corrected P is reported alongside).",
        "Girden ER (1992) ANOVA: Repeated Measures. Sage.",
        "aov(value ~ group + Error(subject/group)); SPSS GLM repeated measures",
        _SCIPY,
    ),
    MethodMeta(
        "stats.t_student",
        "Student's t-test",
        "{what} was compared between groups by two-sided Student's t-tests (n = {n} per group).",
        "Student (1908) Biometrika 6:1–25.",
        "t.test(x, y, var.equal = TRUE)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.t_welch",
        "Welch's t-test",
        "{what} was compared between groups by two-sided Welch's t-tests (unequal variances; "
        "n = {n} per group).",
        "Welch BL (1947) Biometrika 34:28–35.",
        "t.test(x, y)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.t_paired",
        "Paired t-test",
        "{what} was compared between conditions on the same donors by two-sided paired "
        "t-tests (n = {n} pairs).",
        "Student (1908) Biometrika 6:1–25.",
        "t.test(x, y, paired = TRUE)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.mann_whitney",
        "Mann–Whitney U test",
        "{what} was compared between groups by two-sided Mann–Whitney U tests (exact P "
        "without ties, otherwise the normal approximation with continuity correction; "
        "n = {n} per group).",
        "Mann HB, Whitney DR (1947) Ann Math Stat 18:50–60.",
        "wilcox.test(x, y)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.wilcoxon",
        "Wilcoxon signed-rank test",
        "{what} was compared between conditions on the same donors by two-sided Wilcoxon "
        "signed-rank tests (n = {n} pairs).",
        "Wilcoxon F (1945) Biometrics Bull 1:80–83.",
        "wilcox.test(x, y, paired = TRUE)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.posthoc.bonferroni",
        "Bonferroni post-hoc test (SPSS)",
        "{n_comparisons} declared comparisons were tested with Bonferroni's post-hoc "
        "test as SPSS computes it: t-tests on the pooled error mean square of the omnibus "
        "test, P multiplied by the number of comparisons (capped at 1); P < {alpha} was "
        "considered significant.",
        "Dunn OJ (1961) J Am Stat Assoc 56:52–64.",
        'pairwise.t.test(value, group, pool.sd = TRUE, p.adjust.method = "bonferroni"); '
        "SPSS ONEWAY /POSTHOC = BONFERRONI",
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.bonferroni_adjust",
        "Bonferroni correction",
        "{n_comparisons} declared comparisons were tested ({pairwise}) with Bonferroni's "
        "correction, P multiplied by the number of comparisons (capped at 1); P < {alpha} "
        "was considered significant.",
        "Dunn OJ (1961) J Am Stat Assoc 56:52–64.",
        'p.adjust(p, method = "bonferroni")',
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.bonferroni_t",
        "Separate t-tests with Bonferroni correction",
        "{n_comparisons} declared comparisons were tested with separate two-group "
        "Student's t-tests, P multiplied by the number of comparisons (capped at 1); "
        "P < {alpha} was considered significant.",
        "Dunn OJ (1961) J Am Stat Assoc 56:52–64.",
        "pairwise.t.test(value, group, pool.sd = FALSE, var.equal = TRUE, "
        'p.adjust.method = "bonferroni")',
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.tukey",
        "Tukey's HSD test",
        "{n_comparisons} comparisons were tested with Tukey's honestly significant "
        "difference test (Tukey–Kramer for unequal n); P < {alpha} was considered significant.",
        "Tukey JW (1949) Biometrics 5:99–114; Kramer CY (1956) Biometrics 12:307–310.",
        "TukeyHSD(aov(value ~ group))",
        _SCIPY,
    ),
    MethodMeta(
        "stats.posthoc.dunnett",
        "Dunnett's test",
        "{n_comparisons} groups were compared with the control by Dunnett's test "
        "(two-sided, single-step); P < {alpha} was considered significant.",
        "Dunnett CW (1955) J Am Stat Assoc 50:1096–1121.",
        'multcomp::glht(aov(value ~ group), linfct = mcp(group = "Dunnett"))',
        _SCIPY,
    ),
    MethodMeta(
        "stats.posthoc.sidak",
        "Šidák correction",
        "{n_comparisons} declared comparisons were tested ({pairwise}) with Šidák's "
        "correction, 1 − (1 − P)^m; P < {alpha} was considered significant.",
        "Šidák Z (1967) J Am Stat Assoc 62:626–633.",
        'emmeans::contrast(emmeans(fit, ~group), adjust = "sidak")',
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.holm",
        "Holm correction",
        "{n_comparisons} declared comparisons were tested ({pairwise}) with Holm's "
        "step-down correction; P < {alpha} was considered significant.",
        "Holm S (1979) Scand J Stat 6:65–70.",
        'pairwise.t.test(..., p.adjust.method = "holm")',
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.games_howell",
        "Games–Howell test",
        "{n_comparisons} comparisons were tested with the Games–Howell test (unequal "
        "variances); P < {alpha} was considered significant.",
        "Games PA, Howell JF (1976) J Educ Stat 1:113–125.",
        "rstatix::games_howell_test(data, value ~ group)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.posthoc.dunn",
        "Dunn's test",
        "{n_comparisons} comparisons were tested with Dunn's test on the Kruskal–Wallis "
        "ranks with Bonferroni correction; P < {alpha} was considered significant.",
        "Dunn OJ (1964) Technometrics 6:241–252.",
        'rstatix::dunn_test(data, value ~ group, p.adjust.method = "bonferroni")',
        _SM,
    ),
    MethodMeta(
        "stats.posthoc.none",
        "No multiplicity correction",
        "{n_comparisons} comparisons were tested ({pairwise}) without correction for "
        "multiple comparisons; P < {alpha} was considered significant.",
        "",
        'p.adjust(p, "none")',
        _SCIPY,
    ),
    MethodMeta(
        "stats.assumptions",
        "Assumption checks",
        "Normality of the residuals was checked with the Shapiro–Wilk test and equality of "
        "variances with Levene's and the Brown–Forsythe test; the declared test was used "
        "regardless, and the checks are reported.",
        "Shapiro SS, Wilk MB (1965) Biometrika 52:591–611; Levene H (1960); Brown MB, "
        "Forsythe AB (1974) J Am Stat Assoc 69:364–367.",
        "shapiro.test(residuals(fit)); car::leveneTest(value ~ group, center = mean / median)",
        _SCIPY,
    ),
    MethodMeta(
        "stats.two_way_anova",
        "Two-way ANOVA",
        "{what} was analysed by two-way ANOVA with interaction ({factors}; type {ss_type} "
        "sums of squares{repeated}).",
        "Fisher RA (1925); Maxwell SE, Delaney HD (2004) Designing Experiments and Analyzing Data.",
        "aov(value ~ A * B); car::Anova(lm(value ~ A * B), type = 2)",
        _SM,
    ),
    MethodMeta(
        "stats.anova_bonferroni",
        "One-way ANOVA with Bonferroni post-hoc test",
        "Groups were compared by one-way ANOVA followed by Bonferroni's post-hoc test as "
        "SPSS computes it: t-tests on the pooled ANOVA mean square error, P multiplied by "
        "the number of declared comparisons ({n_comparisons} declared comparisons) and "
        "capped at 1; P < {alpha} was considered significant.",
        "Dunn OJ (1961) J Am Stat Assoc 56:52–64.",
        'pairwise.t.test(value, group, pool.sd = TRUE, p.adjust.method = "bonferroni")',
        _SM,
    ),
):
    register_method(_meta)
