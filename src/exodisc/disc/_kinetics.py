"""Cell kinetics: Bibby et al. 2005 rate laws, pH from lactate, Zhu et al. 2012 death rates.

Species order everywhere: 0 pO2 (kPa), 1 lactate (mM), 2 glucose (mM).
"""

from __future__ import annotations

import numpy as np

from exodisc.disc._params import DiscParams
from exodisc.disc._solver import Reaction

__all__ = [
    "GLC",
    "LAC",
    "O2",
    "bibby_reaction",
    "death_rate_per_day",
    "lactate_rate",
    "o2_rate",
    "ph_from_lactate",
]

O2, LAC, GLC = 0, 1, 2


def ph_from_lactate(lactate: np.ndarray | float, p: DiscParams) -> np.ndarray:
    """pH = 7.4 - L/11.11 (linear law of [A]; ``ph_intercept``, ``ph_lactate_slope_mm``)."""
    return p.ph_intercept - np.asarray(lactate, float) / p.ph_lactate_slope_mm


def o2_rate(po2: np.ndarray, ph: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """O2 consumption per cell, nmol/(10⁶ cells h) (Bibby et al. 2005), with d/dpO2 and d/dpH.

    Q = 7.28 (pH - 4.95) pO2 / (1.46 + 4.03 (pH - 4.95) + pO2)
    """
    x = np.maximum(ph - 4.95, 0.0)
    pp = np.maximum(po2, 0.0)
    den = 1.46 + 4.03 * x + pp
    q = 7.28 * x * pp / den
    dq_dp = np.where(po2 > 0, 7.28 * x * (1.46 + 4.03 * x) / den**2, 0.0)
    dq_dph = np.where(ph > 4.95, 7.28 * pp * (1.46 + pp) / den**2, 0.0)
    return q, dq_dp, dq_dph


def lactate_rate(po2: np.ndarray, ph: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lactate production per cell, nmol/(10⁶ cells h) (Bibby et al. 2005), d/dpO2, d/dpH.

    Q = exp(-2.47 + 0.93 pH + 0.16 pO2 - 0.0058 pO2²)
    """
    pp = np.maximum(po2, 0.0)
    q = np.exp(-2.47 + 0.93 * ph + 0.16 * pp - 0.0058 * pp**2)
    dq_dp = np.where(po2 > 0, q * (0.16 - 0.0116 * pp), 0.0)
    return q, dq_dp, 0.93 * q


def bibby_reaction(p: DiscParams, density: np.ndarray) -> Reaction:
    """The reaction callable of the disc: cell ``density`` (cells/mm³, metabolically active,
    per cell) times the Bibby rates.

    R_O2 = -rho Q_O2 / (3600 S_O2)  [kPa/s];  R_L = rho Q_L f(G) / 3600;  R_G = -R_L / 2  [mM/s]
    with rho in 10⁶ cells/mm³ and f(G) = G/(K + G) (``glucose_limiter_k_mm``). Both rates are
    per tissue volume ([A] multiplies only the O2 rate by the water fraction; we treat O2 and
    lactate alike).
    """
    rho = np.asarray(density, float) * 1e-6
    slope = p.ph_lactate_slope_mm
    kg = p.glucose_limiter_k_mm

    def reaction(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        po2, lac, glc = c[O2], c[LAC], c[GLC]
        ph = ph_from_lactate(lac, p)
        qo, qo_p, qo_ph = o2_rate(po2, ph)
        ql, ql_p, ql_ph = lactate_rate(po2, ph)
        gp = np.maximum(glc, 0.0)
        f = gp / (kg + gp)
        df = np.where(glc > 0, kg / (kg + gp) ** 2, 0.0)
        ko = rho / (3600.0 * p.o2_solubility)
        kl = rho / 3600.0
        r = np.empty_like(c)
        r[O2] = -ko * qo
        r[LAC] = kl * ql * f
        r[GLC] = -0.5 * r[LAC]
        dr = np.zeros((3, 3, c.shape[1]))
        dph_dl = -1.0 / slope
        dr[O2, O2] = -ko * qo_p
        dr[O2, LAC] = -ko * qo_ph * dph_dl
        dr[LAC, O2] = kl * ql_p * f
        dr[LAC, LAC] = kl * ql_ph * dph_dl * f
        dr[LAC, GLC] = kl * ql * df
        dr[GLC] = -0.5 * dr[LAC]
        return r, dr

    return reaction


def death_rate_per_day(
    glucose: np.ndarray | float, ph: np.ndarray | float, p: DiscParams
) -> np.ndarray:
    """Viability loss rate (1/day, >= 0): dv/dt = -rate v (Zhu et al. 2012 form, as in [A]).

    Glucose term alpha0 [(G_th - G) + |G - G_th|]/(G + k) (zero above the threshold,
    2 alpha0 (G_th - G)/(G + k) below) plus the pH term ``ph_death_rate_per_day`` below the pH
    threshold.
    """
    g = np.maximum(np.asarray(glucose, float), 0.0)
    ph = np.asarray(ph, float)
    gth = p.glucose_threshold_mm
    rate_g = (
        p.glucose_death_rate_per_day * ((gth - g) + np.abs(g - gth)) / (g + p.glucose_death_k_mm)
    )
    rate_ph = np.where(ph < p.ph_threshold, p.ph_death_rate_per_day, 0.0)
    return np.asarray(rate_g + rate_ph)
