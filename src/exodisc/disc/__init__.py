"""Disc microenvironment model: can this disc feed the cells we would inject?

Reaction-diffusion of O2, glucose and lactate in an avascular intervertebral disc (nucleus
pulposus, annulus fibrosus, cartilage endplates) with Bibby et al. 2005 kinetics, pH from
lactate and a Zhu et al. 2012 viability law; answers the minimum glucose / pH, the supportable
NP cell density and the viability after injecting cells or (metabolically inert) exosomes.

Names are imported on first use (NumPy, SciPy and pandas stay out of ``exodisc --version``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exodisc.disc._kinetics import (
        GLC,
        LAC,
        O2,
        death_rate_per_day,
        lactate_rate,
        o2_rate,
        ph_from_lactate,
    )
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
    from exodisc.disc._params import (
        GRADE_PRESETS,
        GRADES,
        SOURCES,
        DiscParameterError,
        DiscParams,
        params_for,
    )
    from exodisc.disc._solver import ConvergenceError, build_operators, solve

_WHERE = {
    "GLC": "_kinetics",
    "LAC": "_kinetics",
    "O2": "_kinetics",
    "death_rate_per_day": "_kinetics",
    "lactate_rate": "_kinetics",
    "o2_rate": "_kinetics",
    "ph_from_lactate": "_kinetics",
    "FVMesh": "_mesh",
    "axisym_disc": "_mesh",
    "box_mesh": "_mesh",
    "ellipse_disc": "_mesh",
    "CapacityResult": "_model",
    "Fields": "_model",
    "InjectResult": "_model",
    "SteadyResult": "_model",
    "capacity": "_model",
    "inject": "_model",
    "make_mesh": "_model",
    "steady": "_model",
    "steady_fields": "_model",
    "sweep": "_model",
    "GRADES": "_params",
    "GRADE_PRESETS": "_params",
    "SOURCES": "_params",
    "DiscParameterError": "_params",
    "DiscParams": "_params",
    "params_for": "_params",
    "ConvergenceError": "_solver",
    "build_operators": "_solver",
    "solve": "_solver",
}

__all__ = [
    "GLC",
    "GRADES",
    "GRADE_PRESETS",
    "LAC",
    "O2",
    "SOURCES",
    "CapacityResult",
    "ConvergenceError",
    "DiscParameterError",
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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"exodisc.disc.{_WHERE[name]}"), name)
    msg = f"module 'exodisc.disc' has no attribute {name!r}"
    raise AttributeError(msg)
