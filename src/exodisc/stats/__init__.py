"""Group-comparison statistics: tidy DataFrame in, result DataFrames out."""

from exodisc.stats._compare import ComparisonResult, compare_groups
from exodisc.stats._describe import DEFAULT_THRESHOLDS, describe, p_to_mark

__all__ = ["DEFAULT_THRESHOLDS", "ComparisonResult", "compare_groups", "describe", "p_to_mark"]
