"""Group-comparison statistics: tidy DataFrame in, result DataFrames out."""

from exodisc.stats._compare import ComparisonResult, compare_groups, describe, p_to_mark
from exodisc.stats._report import add_comparison_to_section, legend_sentence

__all__ = [
    "ComparisonResult",
    "add_comparison_to_section",
    "compare_groups",
    "describe",
    "legend_sentence",
    "p_to_mark",
]
