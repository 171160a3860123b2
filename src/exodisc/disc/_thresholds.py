"""Published threshold targets T2 (Shirazi-Adl 2010) and T3 (Zhu 2016): the model's numbers.

Both papers state a *critical level* below which cells start to die: the endplate exchange
area (T2) or the share of the reference boundary nutrition on one or both supply routes (T3).
Here the onset of death is where the minimum glucose (or, if it binds first, the minimum pH)
of the steady state reaches its threshold, found by Brent's method on the exchange area or the
supply factor. A critical level of 1.0 means cells already die at full supply; 0.0 means none
die down to 2 % of it.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from exodisc.disc._params import DiscParams

__all__ = [
    "PUBLISHED_THRESHOLDS",
    "THRESHOLD_VARIANTS",
    "critical_endplate_area",
    "critical_supply",
    "threshold_sensitivity",
    "threshold_table",
]

Route = Literal["cep", "af", "both"]

#: the papers' numbers (abstracts read; see the disc-model note, targets T2 and T3)
PUBLISHED_THRESHOLDS: dict[str, tuple[str, float, str]] = {
    "endplate_area": (
        "T2: cell death starts below this endplate exchange area",
        0.40,
        "Shirazi-Adl A, Taheri M, Urban JPG. J Biomech 2010;43:1330-1336 (abstract)",
    ),
    "supply_cep": (
        "T3: critical nutrition, endplate (CEP-NP) route only",
        0.30,
        "Zhu et al. Spine 2016;41:568 (PMC4808448, abstract)",
    ),
    "supply_af": (
        "T3: critical nutrition, annulus (AF) route only",
        0.20,
        "Zhu et al. 2016 (PMC4808448, abstract)",
    ),
    "supply_both": (
        "T3: critical nutrition, both routes",
        0.50,
        "Zhu et al. 2016 (PMC4808448, abstract)",
    ),
}

#: parameter sets tried to explain the differences from the papers (neither paper's own
#: parameter table was available: only their abstracts were read, so these are the
#: alternatives the disc-model note does give, each with its source)
THRESHOLD_VARIANTS: dict[str, tuple[dict[str, float], str]] = {
    "default": ({}, "abaqusIVD parameters, 10 mm disc (the model's defaults)"),
    "abaqusIVD height": (
        {"height_mm": 13.2},
        "disc height of abaqusIVD's generic L4-L5 disc (~14.4 mm with both CEPs, minus "
        "2 x 0.6 mm): closer to the taller discs of Shirazi-Adl/Zhu",
    ),
    "Maroudas densities": (
        {"density_np": 4000.0, "density_af": 9000.0},
        "NP 4,000 / AF 9,000 cells/mm3, the usual reading of Maroudas et al. 1975 used by "
        "the Gu-lab models [recalled in the note, not re-read]",
    ),
    "CEP density = NP": (
        {"density_cep": 3600.0},
        "endplate cells as sparse as the NP's (abaqusIVD's CEP holds 13,500/mm3, a sink on "
        "the endplate route)",
    ),
    "CEP over NP only": (
        {"cep_radius_mm": 12.0},
        "the endplate covers the NP only, as in Zhu's 'CEP-NP' route (abaqusIVD-like default: "
        "NP and inner AF, r < 16 mm)",
    ),
    "equal boundary glucose": (
        {"cep_glucose_mm": 5.0},
        "5 mM glucose at the endplate as at the annulus (abaqusIVD: 4 / 5 mM); assumption, "
        "Zhu's reference boundary values were not read",
    ),
}


def _margin(p: DiscParams, h: float, supply: tuple[float, float] = (1.0, 1.0)) -> float:
    """Scaled distance of the steady state from the death thresholds (< 0: cells die)."""
    from exodisc.disc._model import make_mesh, operators_for, steady_fields

    mesh = make_mesh(p, "axisymmetric", h)
    s = steady_fields(p, mesh, ops=operators_for(p, mesh, supply=supply)).summary()
    g = (s["min_glucose_mm"] - p.glucose_threshold_mm) / p.glucose_threshold_mm
    ph = (s["min_ph"] - p.ph_threshold) / 0.1
    return min(g, ph)


def _root(fn: Any, lo: float, hi: float, xtol: float) -> float:
    from scipy.optimize import brentq

    f_lo, f_hi = fn(lo), fn(hi)
    if f_hi < 0:  # already dying at full supply
        return 1.0
    if f_lo >= 0:  # no death down to the lowest level tried
        return 0.0
    return float(brentq(fn, lo, hi, xtol=xtol))


def critical_endplate_area(p: DiscParams, *, h: float = 0.5, xtol: float = 1e-3) -> float:
    """Endplate exchange area (0-1, closing from the rim) at which cell death starts (T2)."""
    return _root(lambda ea: _margin(p.model_copy(update={"endplate_area": ea}), h), 0.02, 1.0, xtol)


def critical_supply(p: DiscParams, route: Route, *, h: float = 0.5, xtol: float = 1e-3) -> float:
    """Share of the reference O2 and glucose boundary values (on the endplate route, the
    annulus route or both) at which cell death starts (T3)."""
    scale = {
        "cep": lambda x: (x, 1.0),
        "af": lambda x: (1.0, x),
        "both": lambda x: (x, x),
    }[route]
    return _root(lambda x: _margin(p, h, scale(x)), 0.02, 1.0, xtol)


def threshold_table(p: DiscParams, *, h: float = 0.5) -> pd.DataFrame:
    """The model's T2/T3 numbers beside the papers' (one row per target)."""
    model = {
        "endplate_area": critical_endplate_area(p, h=h),
        "supply_cep": critical_supply(p, "cep", h=h),
        "supply_af": critical_supply(p, "af", h=h),
        "supply_both": critical_supply(p, "both", h=h),
    }
    rows = []
    for key, (what, paper, source) in PUBLISHED_THRESHOLDS.items():
        rows.append(
            {"target": what, "paper_value": paper, "model_value": model[key], "paper": source}
        )
    return pd.DataFrame(rows)


def threshold_sensitivity(p: DiscParams, *, h: float = 0.5) -> pd.DataFrame:
    """T2/T3 numbers under each parameter variant of :data:`THRESHOLD_VARIANTS` (wide)."""
    rows = []
    for name, (update, why) in THRESHOLD_VARIANTS.items():
        q = DiscParams.model_validate(p.model_dump() | update)
        t = threshold_table(q, h=h)
        rows.append(
            {
                "variant": name,
                "endplate_area": float(t["model_value"].iloc[0]),
                "supply_cep": float(t["model_value"].iloc[1]),
                "supply_af": float(t["model_value"].iloc[2]),
                "supply_both": float(t["model_value"].iloc[3]),
                "why": why,
            }
        )
    return pd.DataFrame(rows)
