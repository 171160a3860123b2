"""Group-comparison statistics: tidy DataFrame in, result DataFrames out."""

from exodisc.stats._compare import (
    ComparisonParams,
    ComparisonResult,
    compare_groups,
    compare_in_study,
    study_subjects,
)
from exodisc.stats._describe import DEFAULT_THRESHOLDS, PRISM_THRESHOLDS, describe, p_to_mark
from exodisc.stats._pvalues import dunnett_p
from exodisc.stats._registry import (
    ERROR_WORDS,
    POSTHOCS,
    TESTS,
    StatPosthoc,
    StatTest,
    get_test,
    method_keys,
)
from exodisc.stats._report import (
    add_comparison_to_section,
    add_two_way_to_section,
    format_p,
    legend_sentence,
)
from exodisc.stats._twoway import compare_by, two_way_anova

__all__ = [
    "DEFAULT_THRESHOLDS",
    "ERROR_WORDS",
    "POSTHOCS",
    "PRISM_THRESHOLDS",
    "TESTS",
    "ComparisonParams",
    "ComparisonResult",
    "StatPosthoc",
    "StatTest",
    "add_comparison_to_section",
    "add_two_way_to_section",
    "compare_by",
    "compare_groups",
    "compare_in_study",
    "describe",
    "dunnett_p",
    "format_p",
    "get_test",
    "legend_sentence",
    "method_keys",
    "p_to_mark",
    "study_subjects",
    "two_way_anova",
]
