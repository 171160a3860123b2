"""Power and sample size: closed forms, simulation with the project's tests, RNA-seq."""

from exodisc.power._closed import (
    adjusted_alpha,
    n_for_power,
    power_anova,
    power_anova_n,
    power_t,
    power_t_n,
)
from exodisc.power._plan import PLAN_COLUMNS, PowerPlan, plan_comparisons, plan_from_comparison
from exodisc.power._rnaseq import RnaSeqPower, hart_n, hart_power, simulate_rnaseq
from exodisc.power._simulate import SimulatedPower, engine_check, q_tukey, simulate_pairs

__all__ = [
    "PLAN_COLUMNS",
    "PowerPlan",
    "RnaSeqPower",
    "SimulatedPower",
    "adjusted_alpha",
    "engine_check",
    "hart_n",
    "hart_power",
    "n_for_power",
    "plan_comparisons",
    "plan_from_comparison",
    "power_anova",
    "power_anova_n",
    "power_t",
    "power_t_n",
    "q_tukey",
    "simulate_pairs",
    "simulate_rnaseq",
]
