"""The questions the disc model answers: steady fields, supportable density, injection runs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.disc._kinetics import GLC, LAC, O2, bibby_reaction, death_rate_per_day, ph_from_lactate
from exodisc.disc._mesh import AF, CEP, NP, SURF_CEP, FVMesh, axisym_disc, ellipse_disc
from exodisc.disc._params import DiscParameterError, DiscParams
from exodisc.disc._solver import Operators, SolveInfo, build_operators, solve

__all__ = [
    "CapacityResult",
    "Fields",
    "InjectResult",
    "SteadyResult",
    "capacity",
    "inject",
    "make_mesh",
    "operators_for",
    "steady",
    "steady_fields",
    "sweep",
]

Geometry = Literal["axisymmetric", "ellipse3d"]
Linear = Literal["auto", "banded", "splu", "amg", "coupled"]

#: default largest cell size (mm) per geometry; the convergence check also solves at twice it
DEFAULT_H: dict[str, float] = {"axisymmetric": 0.25, "ellipse3d": 0.5}
#: whole-disc volume / mesh volume (the mesh is half (2D) or one eighth (3D) of the disc)
_SYMMETRY: dict[str, float] = {"axisymmetric": 2.0, "ellipse3d": 8.0}


def make_mesh(p: DiscParams, geometry: Geometry = "axisymmetric", h: float | None = None) -> FVMesh:
    """The mesh of the disc (``h``: largest cell size in mm)."""
    h = DEFAULT_H[geometry] if h is None else h
    if geometry == "axisymmetric":
        return axisym_disc(p, h)
    if geometry == "ellipse3d":
        return ellipse_disc(p, h)
    msg = f"unknown geometry {geometry!r}; expected 'axisymmetric' or 'ellipse3d'"
    raise ValueError(msg)


def native_density(p: DiscParams, mesh: FVMesh) -> np.ndarray:
    """Resident cell density per cell (cells/mm³)."""
    return np.array([p.density_np, p.density_af, p.density_cep])[mesh.region]


def operators_for(
    p: DiscParams, mesh: FVMesh, *, supply: tuple[float, float] = (1.0, 1.0)
) -> Operators:
    """Diffusion operators with the literature boundary values; ``supply`` scales the O2 and
    glucose boundary values on the (CEP, AF) surfaces (the supply-route experiments of T3)."""
    diff = np.array([[p.tissue_diffusivity(s, r) for r in (NP, AF, CEP)] for s in (O2, LAC, GLC)])
    d = diff[:, mesh.region]
    cep = np.array([p.cep_o2_kpa * supply[0], p.cep_lactate_mm, p.cep_glucose_mm * supply[0]])
    af = np.array([p.af_o2_kpa * supply[1], p.af_lactate_mm, p.af_glucose_mm * supply[1]])
    bval = np.where(mesh.bface_kind[None, :] == SURF_CEP, cep[:, None], af[:, None])
    return build_operators(mesh, d, bval)


def _initial(p: DiscParams, mesh: FVMesh) -> np.ndarray:
    return np.tile(
        np.array([p.cep_o2_kpa, p.cep_lactate_mm, p.cep_glucose_mm])[:, None], (1, mesh.n_cells)
    )


@dataclass(frozen=True)
class Fields:
    """A solved steady state on one mesh."""

    mesh: FVMesh
    conc: np.ndarray  # (3, N): pO2 kPa, lactate mM, glucose mM
    density: np.ndarray  # metabolically active cells/mm³
    info: SolveInfo
    params: DiscParams

    @property
    def ph(self) -> np.ndarray:
        return ph_from_lactate(self.conc[LAC], self.params)

    def summary(self) -> dict[str, float]:
        """Headline numbers; positions are the cell centres (z = 0: mid-height)."""
        g = self.conc[GLC]
        i = int(np.argmin(g))
        ctr = self.mesh.centers
        r = float(ctr[i, 0]) if ctr.shape[1] == 2 else float(math.hypot(ctr[i, 0], ctr[i, 1]))
        return {
            "min_o2_kpa": float(self.conc[O2].min()),
            "min_glucose_mm": float(g[i]),
            "max_lactate_mm": float(self.conc[LAC].max()),
            "min_ph": float(self.ph.min()),
            "r_min_glucose_mm": r,
            "z_min_glucose_mm": float(ctr[i, -1]),
        }


def steady_fields(
    p: DiscParams,
    mesh: FVMesh,
    *,
    density: np.ndarray | None = None,
    ops: Operators | None = None,
    c0: np.ndarray | None = None,
    linear: Linear = "auto",
) -> Fields:
    """Solve the steady state on one mesh (``density``: metabolic cells/mm³ per cell)."""
    dens = native_density(p, mesh) if density is None else density
    ops = operators_for(p, mesh) if ops is None else ops
    c0 = _initial(p, mesh) if c0 is None else c0
    c, info = solve(mesh, ops, bibby_reaction(p, dens), c0=c0, linear=linear)
    return Fields(mesh, c, dens, info, p)


_HEADLINE = ("min_o2_kpa", "min_glucose_mm", "max_lactate_mm", "min_ph")


def _change_pct(fine: dict[str, float], coarse: dict[str, float], keys: tuple[str, ...]) -> float:
    out = 0.0
    for k in keys:
        a, b = fine[k], coarse[k]
        out = max(out, abs(a - b) / max(abs(a), 1e-12) * 100.0)
    return out


@dataclass(frozen=True)
class SteadyResult:
    """Steady state at the reported mesh, with the change from the mesh of twice the cell size.

    ``mesh_change_pct`` is the largest relative change of min pO2, min glucose, max lactate and
    min pH between the two meshes (for a second-order scheme an upper bound of the reported
    mesh's discretisation error).
    """

    fields: Fields
    coarse: Fields
    params: DiscParams
    geometry: str
    mesh_change_pct: float

    @property
    def mesh_cells(self) -> int:
        return self.fields.mesh.n_cells

    def row(self) -> dict[str, Any]:
        s = self.fields.summary()
        return {**s, "mesh_cells": self.mesh_cells, "mesh_change_pct": self.mesh_change_pct}

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.row()])


def steady(
    p: DiscParams,
    *,
    geometry: Geometry = "axisymmetric",
    h: float | None = None,
    linear: Linear = "auto",
    extra_np_density: float = 0.0,
) -> SteadyResult:
    """Steady O2, lactate, glucose and pH, solved at cell size ``h`` and ``2 h``.

    ``extra_np_density`` adds metabolically active cells/mm³ uniformly over the NP (e.g. all
    injected cells alive: the worst case at day 0).
    """
    h = DEFAULT_H[geometry] if h is None else h
    out = []
    for hh in (2 * h, h):
        mesh = make_mesh(p, geometry, hh)
        dens = native_density(p, mesh) + np.where(mesh.region == NP, extra_np_density, 0.0)
        out.append(steady_fields(p, mesh, density=dens, linear=linear))
    coarse, fine = out
    change = _change_pct(fine.summary(), coarse.summary(), _HEADLINE)
    return SteadyResult(fine, coarse, p, geometry, change)


# ------------------------------------------------------------------------------ capacity
@dataclass(frozen=True)
class CapacityResult:
    """Largest NP density keeping min glucose and min pH at or above their thresholds."""

    supportable_np_density_per_mm3: float
    native_np_density_per_mm3: float
    limiting: str
    mesh_cells: int
    mesh_change_pct: float
    coarse_supportable: float
    params: DiscParams
    np_volume_mm3: float
    curve: pd.DataFrame = field(repr=False)  # density tried -> min glucose, min pH (fine mesh)

    @property
    def ratio(self) -> float:
        return self.supportable_np_density_per_mm3 / self.native_np_density_per_mm3

    @property
    def supportable_extra_cells(self) -> float:
        """Cells that could be added to the whole NP (negative: the native NP is over capacity)."""
        return (self.supportable_np_density_per_mm3 - self.native_np_density_per_mm3) * (
            self.np_volume_mm3
        )

    def row(self) -> dict[str, Any]:
        return {
            "supportable_np_density_per_mm3": self.supportable_np_density_per_mm3,
            "native_np_density_per_mm3": self.native_np_density_per_mm3,
            "ratio": self.ratio,
            "limiting": self.limiting,
            "mesh_cells": self.mesh_cells,
            "mesh_change_pct": self.mesh_change_pct,
        }

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([self.row()])


def _capacity_on(
    p: DiscParams, mesh: FVMesh, rtol: float, linear: Linear
) -> tuple[float, str, pd.DataFrame]:
    ops = operators_for(p, mesh)
    base = native_density(p, mesh)
    is_np = mesh.region == NP
    tried: list[dict[str, float]] = []
    state: dict[str, np.ndarray | None] = {"c": None}

    def margins(d_np: float) -> tuple[float, float]:
        dens = np.where(is_np, d_np, base)
        f = steady_fields(p, mesh, density=dens, ops=ops, c0=state["c"], linear=linear)
        state["c"] = f.conc
        s = f.summary()
        tried.append(
            {
                "np_density_per_mm3": d_np,
                "min_glucose_mm": s["min_glucose_mm"],
                "min_ph": s["min_ph"],
            }
        )
        return s["min_glucose_mm"] - p.glucose_threshold_mm, s["min_ph"] - p.ph_threshold

    def limiting_of(m: tuple[float, float]) -> str:
        g, ph = m
        if g < 0 and ph < 0:
            return "glucose" if g / p.glucose_threshold_mm < ph / 0.1 else "pH"
        return "glucose" if g < 0 else "pH"

    m0 = margins(0.0)
    if min(m0) < 0:
        return 0.0, limiting_of(m0), pd.DataFrame(tried)
    lo, hi = 0.0, max(p.density_np, 1000.0)
    m_hi = margins(hi)
    while min(m_hi) >= 0:
        lo, hi = hi, hi * 2
        if hi > 1e6:
            return hi, "none", pd.DataFrame(tried)
        m_hi = margins(hi)
    from scipy.optimize import brentq

    # both margins fall monotonically with density: Brent's method on the smaller one
    # (pH margin scaled by 0.1 pH unit per 0.5 mM glucose, only for the search)
    def smaller(d: float) -> float:
        g, ph = margins(d)
        return min(g / p.glucose_threshold_mm, ph / 0.1)

    root = brentq(smaller, lo, hi, xtol=rtol * lo if lo > 0 else rtol * hi, rtol=1e-12)
    m_root = margins(root)
    lo = root if min(m_root) >= 0 else root * (1 - rtol)
    m_hi = margins(root * (1 + rtol))
    table = pd.DataFrame(tried).sort_values("np_density_per_mm3", kind="stable")
    return lo, limiting_of(m_hi), table.reset_index(drop=True)


def capacity(
    p: DiscParams,
    *,
    geometry: Geometry = "axisymmetric",
    h: float | None = None,
    rtol: float = 1e-3,
    linear: Linear = "auto",
) -> CapacityResult:
    """Supportable NP cell density by bisection (glucose and pH thresholds), on two meshes."""
    h = DEFAULT_H[geometry] if h is None else h
    coarse = _capacity_on(p, make_mesh(p, geometry, 2 * h), rtol, linear)
    mesh = make_mesh(p, geometry, h)
    fine = _capacity_on(p, mesh, rtol, linear)
    change = abs(fine[0] - coarse[0]) / max(fine[0], 1e-12) * 100.0
    v_np = float(mesh.volume[mesh.region == NP].sum()) * _SYMMETRY[geometry]
    return CapacityResult(
        fine[0], p.density_np, fine[1], mesh.n_cells, change, coarse[0], p, v_np, fine[2]
    )


# ------------------------------------------------------------------------------ injection
@dataclass(frozen=True)
class InjectResult:
    """Viable fraction of NP cells (resident + injected) over time after an injection."""

    daily: pd.DataFrame  # day, viable_fraction_np, min_glucose_mm, min_ph, viable_np_cells
    params: DiscParams
    cells: float
    exosomes: bool
    mesh_cells: int
    mesh_change_pct: float
    final: Fields
    viability: np.ndarray  # per cell at the last day
    steps: int

    @property
    def table(self) -> pd.DataFrame:
        t = self.daily.copy()
        t["mesh_cells"] = self.mesh_cells
        t["mesh_change_pct"] = self.mesh_change_pct
        return t


_DT_MIN = 1.0 / 96  # days (15 min)


def _inject_on(
    p: DiscParams,
    mesh: FVMesh,
    geometry: str,
    *,
    cells: float,
    days: int,
    bolus_radius_mm: float | None,
    max_change: float,
    linear: Linear,
) -> tuple[pd.DataFrame, Fields, np.ndarray, int]:
    ops = operators_for(p, mesh)
    vol = mesh.volume
    is_np = mesh.region == NP
    nat = native_density(p, mesh)
    target = is_np.copy()
    if bolus_radius_mm is not None:
        dist = np.linalg.norm(mesh.centers, axis=1)
        target &= dist < bolus_radius_mm
        if not target.any():
            msg = f"bolus_radius_mm {bolus_radius_mm} is smaller than the mesh cells"
            raise DiscParameterError(msg)
    inj = np.zeros(mesh.n_cells)
    inj[target] = cells / (float(vol[target].sum()) * _SYMMETRY[geometry])
    # resident steady state before the injection
    pre = steady_fields(p, mesh, density=nat, ops=ops, linear=linear)
    c = pre.conc
    v = np.ones(mesh.n_cells)
    total0 = nat + inj
    np_cells0 = float((vol * total0)[is_np].sum())
    metab = nat + p.injected_rate_factor * inj

    def record(day: float, conc: np.ndarray) -> dict[str, float]:
        alive = float((vol * total0 * v)[is_np].sum())
        return {
            "day": day,
            "viable_fraction_np": alive / np_cells0,
            "min_glucose_mm": float(conc[GLC].min()),
            "min_ph": float(ph_from_lactate(conc[LAC], p).min()),
            "viable_np_cells": alive * _SYMMETRY[geometry],
        }

    rows = []
    t, steps = 0.0, 0
    # day 0: right after the injection, all cells alive
    f0 = steady_fields(p, mesh, density=metab, ops=ops, c0=c, linear=linear)
    rows.append(record(0.0, f0.conc))
    last = f0
    for day in range(1, days + 1):
        while t < day - 1e-12:
            rate = death_rate_per_day(c[GLC], ph_from_lactate(c[LAC], p), p)
            live = v > 1e-4
            rmax = float(rate[live].max()) if live.any() else 0.0
            dt = 1.0 if rmax <= 0 else min(1.0, max(_DT_MIN, max_change / rmax))
            dt = min(dt, day - t)
            reaction = bibby_reaction(p, metab * v)
            while True:  # reject steps whose end-of-step death rate is too fast for them
                c_new, info = solve(
                    mesh, ops, reaction, c0=c, c_old=c, dt=dt * 86400.0, linear=linear
                )
                rate = death_rate_per_day(c_new[GLC], ph_from_lactate(c_new[LAC], p), p)
                r_end = float(rate[live].max()) if live.any() else 0.0
                if r_end * dt <= 2 * max_change or dt <= _DT_MIN:
                    break
                dt = max(_DT_MIN, max_change / r_end)
            c = c_new
            v = v * np.exp(-rate * dt)
            t += dt
            steps += 1
            last = Fields(mesh, c, metab * v, info, p)
        rows.append(record(float(day), c))
    return pd.DataFrame(rows), last, v, steps


def inject(
    p: DiscParams,
    *,
    cells: float = 0.0,
    exosomes: bool = False,
    days: int = 90,
    bolus_radius_mm: float | None = None,
    geometry: Geometry = "axisymmetric",
    h: float | None = None,
    max_change: float = 0.1,
    linear: Linear = "auto",
) -> InjectResult:
    """Viability over ``days`` after injecting ``cells`` (uniformly in the NP, or in a sphere of
    ``bolus_radius_mm`` at the disc centre), or exosomes (no metabolic load: only the resident
    cells consume).

    Transport is integrated by backward Euler, the viability ODE exactly over each step with the
    end-of-step death rate; steps are chosen so that no living cell loses more than
    ``max_change`` (as a rate x step) per step, between 15 min and 1 day. The run is repeated
    on the mesh of twice the cell size; ``mesh_change_pct`` is the largest change of the daily
    viable fraction (percentage points relative to the fine value).
    """
    if not cells >= 0:
        msg = f"cells: the number of injected cells must be >= 0, got {cells}"
        raise DiscParameterError(msg)
    if bolus_radius_mm is not None and not 0 < bolus_radius_mm <= p.np_radius_mm:
        msg = (
            f"bolus_radius_mm must be in (0, np_radius_mm = {p.np_radius_mm}], "
            f"got {bolus_radius_mm}"
        )
        raise DiscParameterError(msg)
    if exosomes:
        cells = 0.0
    h = DEFAULT_H[geometry] if h is None else h
    kw: dict[str, Any] = {
        "cells": cells,
        "days": days,
        "bolus_radius_mm": bolus_radius_mm,
        "max_change": max_change,
        "linear": linear,
    }
    coarse, _, _, _ = _inject_on(p, make_mesh(p, geometry, 2 * h), geometry, **kw)
    mesh = make_mesh(p, geometry, h)
    daily, last, v, steps = _inject_on(p, mesh, geometry, **kw)
    a = daily["viable_fraction_np"].to_numpy()
    b = coarse["viable_fraction_np"].to_numpy()
    change = float(np.max(np.abs(a - b) / np.maximum(a, 1e-12)) * 100.0)
    return InjectResult(daily, p, cells, exosomes, mesh.n_cells, change, last, v, steps)


# ------------------------------------------------------------------------------ sweeps
def _sweep_one(args: tuple[dict[str, Any], float, str, float | None]) -> dict[str, Any]:
    values, cells, geometry, h = args
    p = DiscParams.model_validate(values)
    mesh = make_mesh(p, geometry, h)  # type: ignore[arg-type]
    v_np = float(mesh.volume[mesh.region == NP].sum()) * _SYMMETRY[geometry]
    res = steady(p, geometry=geometry, h=h, extra_np_density=cells / v_np)  # type: ignore[arg-type]
    return {
        "endplate_diffusivity": p.endplate_diffusivity,
        "endplate_area": p.endplate_area,
        "height_mm": p.height_mm,
        "injected_cells": cells,
        **res.row(),
    }


def sweep(
    p: DiscParams,
    *,
    endplate_diffusivity: tuple[float, ...] = (1.0,),
    endplate_area: tuple[float, ...] = (1.0,),
    height_mm: tuple[float, ...] = (),
    injected_cells: tuple[float, ...] = (0.0,),
    geometry: Geometry = "axisymmetric",
    h: float | None = None,
    processes: int = 1,
) -> pd.DataFrame:
    """Steady states over endplate factor x height x dose (all injected cells alive), one row
    each, computed in ``processes`` worker processes (1: in this process)."""
    heights = height_mm or (p.height_mm,)
    jobs: list[tuple[dict[str, Any], float, str, float | None]] = []
    for ed in endplate_diffusivity:
        for ea in endplate_area:
            for hh in heights:
                values = p.model_dump() | {
                    "endplate_diffusivity": ed,
                    "endplate_area": ea,
                    "height_mm": hh,
                }
                DiscParams.model_validate(values)
                jobs.extend((values, float(n), geometry, h) for n in injected_cells)
    if processes > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=processes) as pool:
            rows = list(pool.map(_sweep_one, jobs))
    else:
        rows = [_sweep_one(j) for j in jobs]
    return pd.DataFrame(rows)
