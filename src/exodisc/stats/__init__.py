"""Group-comparison statistics: tidy DataFrame in, result DataFrames out."""

from exodisc.stats._compare import ComparisonResult, compare_groups, compare_in_study
from exodisc.stats._describe import DEFAULT_THRESHOLDS, PRISM_THRESHOLDS, describe, p_to_mark
from exodisc.stats._report import (
    add_comparison_to_section,
    add_two_way_to_section,
    format_p,
    legend_sentence,
)
from exodisc.stats._twoway import compare_by, two_way_anova

__all__ = [
    "DEFAULT_THRESHOLDS",
    "PRISM_THRESHOLDS",
    "ComparisonResult",
    "add_comparison_to_section",
    "add_two_way_to_section",
    "compare_by",
    "compare_groups",
    "compare_in_study",
    "describe",
    "format_p",
    "legend_sentence",
    "p_to_mark",
    "two_way_anova",
]
