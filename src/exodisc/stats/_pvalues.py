"""Distribution-level pieces of the post-hoc tests (Tukey, Dunnett, p.adjust, effect-size CIs)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy import optimize
from scipy import stats as sps
from scipy.special import ndtr

__all__ = ["dunnett_p", "eta2_ci", "hedges_j", "p_adjust", "tukey_p"]

Adjust = Literal["bonferroni", "holm", "sidak", "none"]


def p_adjust(p: Sequence[float] | np.ndarray, method: Adjust) -> np.ndarray:
    """Adjust P values for multiple comparisons (:func:`exodisc.core.p_adjust`)."""
    from exodisc.core import p_adjust as _adjust

    return _adjust(p, method)


def tukey_p(t: np.ndarray, k: int, df: float) -> np.ndarray:
    """Tukey(-Kramer) P of pairwise t statistics among ``k`` groups (R ``ptukey``)."""
    q = np.abs(np.asarray(t, dtype=float)) * np.sqrt(2.0)
    return np.asarray(sps.studentized_range.sf(q, k, df), dtype=float)


@functools.cache
def _leggauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return x, w


def _gl(lo: float, hi: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = _leggauss(n)
    return (hi - lo) / 2 * x + (hi + lo) / 2, (hi - lo) / 2 * w


def _dunnett_cdf(c: np.ndarray, lam: np.ndarray, df: float, nodes: int = 200) -> np.ndarray:
    """P(max_i |T_i| < c) for Dunnett's T_i = Z_i / S with corr(Z_i, Z_j) = λ_i λ_j.

    Gauss–Legendre quadrature over the shared normal term z and S = sqrt(chi²_df / df);
    both integrands are smooth, so 200 nodes give ~1e-12 absolute accuracy.
    """
    root = np.sqrt(1.0 - lam**2)
    z, wz = _gl(-9.0, 9.0, nodes)
    wz = wz * sps.norm.pdf(z)
    if np.isfinite(df):
        lo = float(np.sqrt(sps.chi2.ppf(1e-16, df) / df))
        hi = float(np.sqrt(sps.chi2.isf(1e-16, df) / df))
        s, ws = _gl(lo, hi, nodes)
        ws = ws * sps.chi.pdf(s * np.sqrt(df), df) * np.sqrt(df)
    else:
        s, ws = np.array([1.0]), np.array([1.0])
    out = []
    for ci in np.atleast_1d(c):
        cs = (ci * s)[:, None, None]  # s x z x test
        lz = (lam * z[:, None])[None, :, :]
        prob = np.prod(ndtr((cs - lz) / root) - ndtr((-cs - lz) / root), axis=2)
        out.append(float(ws @ prob @ wz))
    return np.asarray(out)


def dunnett_p(t: np.ndarray, n_tests: Sequence[int], n_control: int, *, df: float) -> np.ndarray:
    """Two-sided single-step Dunnett P values (R ``multcomp::glht(mcp(g = "Dunnett"))``).

    Computed deterministically by integrating over the pooled-SD distribution and the shared
    control term (Dunnett 1955, product correlation λ_i λ_j with λ_i = sqrt(n_i / (n_i + n_0))),
    rather than by randomised quasi-Monte-Carlo as ``mvtnorm`` and ``scipy.stats.dunnett`` do.

    Examples
    --------
    >>> import numpy as np
    >>> from exodisc.stats import dunnett_p
    >>> p = dunnett_p(np.array([2.5, 0.4]), [3, 3], 3, df=6)
    >>> [round(float(x), 4) for x in p]
    [0.0801, 0.8925]
    """
    n = np.asarray(n_tests, dtype=float)
    lam = np.sqrt(n / (n + n_control))
    return np.clip(1.0 - _dunnett_cdf(np.abs(np.asarray(t, dtype=float)), lam, df), 0.0, 1.0)


def hedges_j(df: float) -> float:
    """Exact small-sample correction of Hedges' g (Hedges 1981; R ``effectsize``)."""
    from scipy.special import gammaln

    return float(np.exp(gammaln(df / 2) - np.log(np.sqrt(df / 2)) - gammaln((df - 1) / 2)))


def eta2_ci(f: float, df1: float, df2: float, level: float = 0.95) -> tuple[float, float]:
    """Two-sided CI of (partial) eta² by inverting the noncentral F (Steiger 2004).

    η² bounds are λ / (λ + N) with N = df1 + df2 + 1 at the noncentrality parameters λ whose
    noncentral F puts ``f`` at the 97.5th and 2.5th percentiles (the ``MBESS::ci.pvaf``
    convention). R equivalent: ``uniroot`` on ``pf(f, df1, df2, ncp)`` (see
    ``tests/reference/stats/make_reference.R``).
    """
    if not np.isfinite(f):
        return (np.nan, np.nan)
    tail = (1 - level) / 2

    def ncp_for(prob: float) -> float:
        # the ncp at which P(F' <= f) = prob; 0 if even ncp = 0 gives less
        if sps.f.cdf(f, df1, df2) < prob:
            return 0.0
        hi = max(10.0, f * df1 * 4)
        while sps.ncf.cdf(f, df1, df2, hi) > prob:
            hi *= 2
        return float(
            optimize.brentq(lambda nc: sps.ncf.cdf(f, df1, df2, nc) - prob, 0, hi, xtol=1e-12)
        )

    n = df1 + df2 + 1
    lo_ncp, hi_ncp = ncp_for(1 - tail), ncp_for(tail)
    return (lo_ncp / (lo_ncp + n), hi_ncp / (hi_ncp + n))
