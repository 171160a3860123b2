"""Group-comparison statistics: tidy DataFrame in, result DataFrames out."""

from exodisc.stats._compare import ComparisonResult, compare_groups, describe, p_to_mark

__all__ = ["ComparisonResult", "compare_groups", "describe", "p_to_mark"]
