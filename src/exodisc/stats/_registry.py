"""The registry of group-comparison tests and post-hoc tests (one place, no parallel dicts).

Each :class:`StatTest` says what it computes (omnibus, pairwise test), which post-hoc tests it
accepts, whether it pairs values by subject, and which registered methods paragraph describes
it. :func:`compare_groups` validates against it, the study file's choices and the report's
methods paragraph are derived from it (:func:`method_keys`), so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ERROR_WORDS",
    "POSTHOCS",
    "TESTS",
    "StatPosthoc",
    "StatTest",
    "get_test",
    "method_keys",
]


@dataclass(frozen=True)
class StatTest:
    """One omnibus (or two-sample) test of :func:`exodisc.stats.compare_groups`.

    Attributes
    ----------
    name
        Key used in the study file and the API (``"kruskal"``).
    title
        Words for legends and tables (``"Kruskal–Wallis test"``).
    omnibus
        ``"k_groups"`` (one omnibus test of all groups) or ``"per_comparison"`` (a two-sample
        test for every declared comparison).
    pairwise
        The pairwise test behind the comparisons, in words.
    posthoc
        Post-hoc tests / corrections this test accepts (the first is the default).
    paired
        True when values are matched by subject (donor): the subject column is required.
    rank
        True for rank tests (no normality assumption checked).
    method_key
        Key of the registered :class:`~exodisc.registry.MethodMeta` describing it.
    """

    name: str
    title: str
    omnibus: Literal["k_groups", "per_comparison"]
    pairwise: str
    posthoc: tuple[str, ...]
    paired: bool = False
    rank: bool = False
    method_key: str = ""


@dataclass(frozen=True)
class StatPosthoc:
    """A post-hoc test or multiplicity correction: its words and its methods key."""

    name: str
    title: str
    method_key: str
    correction: bool = False  # a P-value correction of the pairwise tests (p.adjust style)


_ADJUST = ("bonferroni", "holm", "sidak", "none")

#: Words of each error-bar choice (``StatisticsConfig.error_bars``) in legends and captions.
ERROR_WORDS = {"sd": "SD", "sem": "SEM", "ci95": "95% CI"}

TESTS: dict[str, StatTest] = {
    t.name: t
    for t in (
        StatTest("anova", "one-way ANOVA", "k_groups", "t (pooled ANOVA MSE)",
                 ("bonferroni", "bonferroni_t", "tukey", "dunnett", "sidak", "holm", "none"),
                 method_key="stats.anova"),
        StatTest("welch_anova", "Welch's ANOVA", "k_groups", "Welch's t",
                 ("games_howell", *_ADJUST), method_key="stats.welch_anova"),
        StatTest("kruskal", "Kruskal–Wallis test", "k_groups", "Dunn's z", ("dunn", *_ADJUST),
                 rank=True, method_key="stats.kruskal"),
        StatTest("rm_anova", "repeated-measures one-way ANOVA", "k_groups", "paired t",
                 _ADJUST, paired=True, method_key="stats.rm_anova"),
        StatTest("t_student", "Student's t-test", "per_comparison", "Student's t-test",
                 (*_ADJUST, "bonferroni_t"), method_key="stats.t_student"),
        StatTest("t_welch", "Welch's t-test", "per_comparison", "Welch's t-test", _ADJUST,
                 method_key="stats.t_welch"),
        StatTest("t_paired", "paired t-test", "per_comparison", "paired t-test", _ADJUST,
                 paired=True, method_key="stats.t_paired"),
        StatTest("mann_whitney", "Mann–Whitney U test", "per_comparison", "Mann–Whitney U test",
                 _ADJUST, rank=True, method_key="stats.mann_whitney"),
        StatTest("wilcoxon", "Wilcoxon signed-rank test", "per_comparison",
                 "Wilcoxon signed-rank test", _ADJUST, paired=True, rank=True,
                 method_key="stats.wilcoxon"),
    )
}  # fmt: skip

POSTHOCS: dict[str, StatPosthoc] = {
    p.name: p
    for p in (
        StatPosthoc("bonferroni", "Bonferroni", "stats.posthoc.bonferroni", correction=True),
        StatPosthoc("bonferroni_t", "separate t-tests with Bonferroni correction",
                    "stats.posthoc.bonferroni_t"),
        StatPosthoc("tukey", "Tukey", "stats.posthoc.tukey"),
        StatPosthoc("dunnett", "Dunnett", "stats.posthoc.dunnett"),
        StatPosthoc("sidak", "Šidák", "stats.posthoc.sidak", correction=True),
        StatPosthoc("holm", "Holm", "stats.posthoc.holm", correction=True),
        StatPosthoc("games_howell", "Games–Howell", "stats.posthoc.games_howell"),
        StatPosthoc("dunn", "Dunn (Bonferroni)", "stats.posthoc.dunn"),
        StatPosthoc("none", "no correction", "stats.posthoc.none", correction=True),
    )
}  # fmt: skip

#: The paper's design (one-way ANOVA + SPSS Bonferroni) has one combined sentence.
_COMBINED = {("anova", "bonferroni"): "stats.anova_bonferroni"}


def get_test(name: str) -> StatTest:
    """The registered test ``name``; a clear error listing the choices otherwise.

    Examples
    --------
    >>> get_test("kruskal").posthoc[0]
    'dunn'
    """
    from exodisc.errors import DesignError

    try:
        return TESTS[name]
    except KeyError:
        msg = f"unknown test {name!r}; expected one of {', '.join(TESTS)}"
        raise DesignError(msg) from None


def method_keys(test: str, posthoc: str) -> tuple[str, ...]:
    """Keys of the methods paragraphs describing ``test`` followed by ``posthoc``.

    Examples
    --------
    >>> method_keys("anova", "bonferroni")
    ('stats.anova_bonferroni',)
    >>> method_keys("kruskal", "dunn")
    ('stats.kruskal', 'stats.posthoc.dunn')
    >>> method_keys("rm_anova", "bonferroni")
    ('stats.rm_anova', 'stats.posthoc.bonferroni_adjust')
    """
    if (test, posthoc) in _COMBINED:
        return (_COMBINED[(test, posthoc)],)
    if posthoc == "bonferroni" and test != "anova":
        # SPSS's Bonferroni post-hoc test pools the ANOVA's error term; after any other test
        # "bonferroni" multiplies the P values of its own pairwise tests
        return (get_test(test).method_key, "stats.posthoc.bonferroni_adjust")
    return (get_test(test).method_key, POSTHOCS[posthoc].method_key)
