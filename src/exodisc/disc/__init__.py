"""Disc microenvironment model: can this disc feed the cells we would inject?

Reaction-diffusion of O2, glucose and lactate in an avascular intervertebral disc (nucleus
pulposus, annulus fibrosus, cartilage endplates) with Bibby et al. 2005 kinetics, pH from
lactate and a Zhu et al. 2012 viability law; answers the minimum glucose / pH, the supportable
NP cell density and the viability after injecting cells or (metabolically inert) exosomes.
"""

from exodisc.disc._kinetics import death_rate_per_day, lactate_rate, o2_rate, ph_from_lactate
from exodisc.disc._mesh import FVMesh, axisym_disc, box_mesh, ellipse_disc
from exodisc.disc._model import (
    CapacityResult,
    Fields,
    InjectResult,
    SteadyResult,
    capacity,
    inject,
    make_mesh,
    steady,
    steady_fields,
    sweep,
)
from exodisc.disc._params import GRADE_PRESETS, GRADES, SOURCES, DiscParams, params_for
from exodisc.disc._solver import ConvergenceError, build_operators, solve

__all__ = [
    "GRADES",
    "GRADE_PRESETS",
    "SOURCES",
    "CapacityResult",
    "ConvergenceError",
    "DiscParams",
    "FVMesh",
    "Fields",
    "InjectResult",
    "SteadyResult",
    "axisym_disc",
    "box_mesh",
    "build_operators",
    "capacity",
    "death_rate_per_day",
    "ellipse_disc",
    "inject",
    "lactate_rate",
    "make_mesh",
    "o2_rate",
    "params_for",
    "ph_from_lactate",
    "solve",
    "steady",
    "steady_fields",
    "sweep",
]
