"""Power and sample size: closed forms, simulation with the project's tests, RNA-seq."""

from exodisc.power._closed import (
    adjusted_alpha,
    n_for_power,
    power_anova,
    power_anova_n,
    power_t,
    power_t_n,
)

__all__ = [
    "adjusted_alpha",
    "n_for_power",
    "power_anova",
    "power_anova_n",
    "power_t",
    "power_t_n",
]
