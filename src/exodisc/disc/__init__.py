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
        GRADE_PRESET_TABLE,
        GRADE_PRESETS,
        GRADE_SOURCES,
        GRADES,
        SOURCES,
        DiscParameterError,
        DiscParams,
        params_for,
        preset_summary,
        preset_table,
        source_of,
    )
    from exodisc.disc._solver import ConvergenceError, build_operators, solve
    from exodisc.disc._thresholds import (
        PUBLISHED_THRESHOLDS,
        THRESHOLD_VARIANTS,
        critical_endplate_area,
        critical_supply,
        threshold_sensitivity,
        threshold_table,
    )

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
    "GRADE_PRESET_TABLE": "_params",
    "GRADE_SOURCES": "_params",
    "preset_summary": "_params",
    "preset_table": "_params",
    "source_of": "_params",
    "PUBLISHED_THRESHOLDS": "_thresholds",
    "THRESHOLD_VARIANTS": "_thresholds",
    "critical_endplate_area": "_thresholds",
    "critical_supply": "_thresholds",
    "threshold_sensitivity": "_thresholds",
    "threshold_table": "_thresholds",
    "ConvergenceError": "_solver",
    "build_operators": "_solver",
    "solve": "_solver",
}

__all__ = [
    "GLC",
    "GRADES",
    "GRADE_PRESETS",
    "GRADE_PRESET_TABLE",
    "GRADE_SOURCES",
    "LAC",
    "O2",
    "PUBLISHED_THRESHOLDS",
    "SOURCES",
    "THRESHOLD_VARIANTS",
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
    "critical_endplate_area",
    "critical_supply",
    "death_rate_per_day",
    "ellipse_disc",
    "inject",
    "lactate_rate",
    "make_mesh",
    "o2_rate",
    "params_for",
    "ph_from_lactate",
    "preset_summary",
    "preset_table",
    "solve",
    "source_of",
    "steady",
    "steady_fields",
    "sweep",
    "threshold_sensitivity",
    "threshold_table",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"exodisc.disc.{_WHERE[name]}"), name)
    msg = f"module 'exodisc.disc' has no attribute {name!r}"
    raise AttributeError(msg)
