"""The study file: pydantic models and YAML loading."""

from exodisc.config._limits import Limits, get_limits, limit_hint, set_limits, use_limits
from exodisc.config._load import dump_study, load_study, parse_study, validate_study_file
from exodisc.config._reference import study_reference
from exodisc.config._study import (
    AssayConfig,
    Comparison,
    Group,
    Sample,
    StatisticsConfig,
    Study,
    Thresholds,
)

__all__ = [
    "AssayConfig",
    "Comparison",
    "Group",
    "Limits",
    "Sample",
    "StatisticsConfig",
    "Study",
    "Thresholds",
    "dump_study",
    "get_limits",
    "limit_hint",
    "load_study",
    "parse_study",
    "set_limits",
    "study_reference",
    "use_limits",
    "validate_study_file",
]
