"""DESeq2's Monte-Carlo prior variance of log dispersions for 1 to 3 residual degrees of freedom.

``estimateDispersionsPriorVar`` in R DESeq2 1.38 calls ``set.seed(2)`` and, for each of 200
candidate variances on ``seq(0, 8, length = 200)``, draws
``log(rchisq(1e4, df)) + rnorm(1e4, 0, sqrt(v)) - log(df)``, compares its histogram with the
observed log dispersion residuals by a Kullback-Leibler divergence, smooths the 200 divergences
with ``loess(span = 0.2)`` and takes the argmin on a 1000-point grid (at least 0.25).

The random draws depend only on ``df``, so their histograms are computed once with a port of
R's generators (Mersenne-Twister seeded as ``set.seed``, inversion ``norm_rand``, Ahrens-Dieter
``rgamma``, ``exp_rand``) and shipped in ``_priorvar_hist.npz``; :func:`simulate_histograms`
regenerates them (tests check both against R).
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

__all__ = ["RRandom", "prior_var_simulated", "simulate_histograms"]

F64 = NDArray[np.float64]

BREAKS = np.arange(-20, 21) / 2.0
VAR_GRID = np.linspace(0.0, 8.0, 200)
FINE_GRID = np.linspace(0.0, 8.0, 1000)
_I2_32M1 = 2.328306437080797e-10


class RRandom:
    """R's default generators after ``set.seed(seed)``: ``unif_rand``, ``norm_rand``,
    ``exp_rand``, ``rgamma`` and ``rchisq`` (R 4.x, Mersenne-Twister + Inversion)."""

    def __init__(self, seed: int) -> None:
        s = seed & 0xFFFFFFFF
        for _ in range(50):
            s = (69069 * s + 1) & 0xFFFFFFFF
        key = np.empty(625, dtype=np.uint32)
        for j in range(625):
            s = (69069 * s + 1) & 0xFFFFFFFF
            key[j] = s
        self._bg = np.random.MT19937()
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": key[1:], "pos": 624}}
        self._buf: list[float] = []
        self._pos = 0
        self._aa = 0.0
        self._aaa = 0.0

    def _refill(self) -> None:
        raw = self._bg.random_raw(1 << 16).astype(np.float64) * 2.3283064365386963e-10
        raw = np.where(raw <= 0.0, 0.5 * _I2_32M1, raw)
        raw = np.where(1.0 - raw <= 0.0, 1.0 - 0.5 * _I2_32M1, raw)
        self._buf = self._buf[self._pos :] + raw.tolist()
        self._pos = 0

    def uniforms(self, k: int) -> F64:
        """The next ``k`` values of ``unif_rand()``."""
        while len(self._buf) - self._pos < k:
            self._refill()
        out = np.array(self._buf[self._pos : self._pos + k])
        self._pos += k
        return out

    def unif(self) -> float:
        if self._pos >= len(self._buf):
            self._refill()
        u = self._buf[self._pos]
        self._pos += 1
        return u

    def norm(self) -> float:
        big = 134217728
        u = self.unif()
        u = int(big * u) + self.unif()
        from scipy.special import ndtri

        return float(ndtri(u / big))

    def rnorm(self, k: int, sd: float) -> F64:
        """``rnorm(k, 0, sd)``; ``sd == 0`` draws nothing, as in R."""
        if sd == 0:
            return np.zeros(k)
        from scipy.special import ndtri

        u = self.uniforms(2 * k).reshape(k, 2)
        big = 134217728
        return np.asarray(sd * ndtri((np.floor(big * u[:, 0]) + u[:, 1]) / big))

    def exp(self) -> float:
        q = _EXP_Q
        a = 0.0
        u = self.unif()
        while u <= 0.0 or u >= 1.0:
            u = self.unif()
        while True:
            u += u
            if u > 1.0:
                break
            a += q[0]
        u -= 1.0
        if u <= q[0]:
            return a + u
        i = 0
        ustar = self.unif()
        umin = ustar
        while True:
            ustar = self.unif()
            umin = min(umin, ustar)
            i += 1
            if u <= q[i]:
                break
        return a + umin * q[0]

    def gamma(self, a: float, scale: float) -> float:
        if a < 1.0:
            e = 1.0 + 0.36787944117144233 * a
            while True:
                p = e * self.unif()
                if p >= 1.0:
                    x = -math.log((e - p) / a)
                    if self.exp() >= (1.0 - a) * math.log(x):
                        break
                else:
                    x = math.exp(math.log(p) / a)
                    if self.exp() >= x:
                        break
            return scale * x
        s2 = a - 0.5
        s = math.sqrt(s2)
        d = 5.656854 - s * 12.0
        t = self.norm()
        x = s + 0.5 * t
        ret = x * x
        if t >= 0.0:
            return scale * ret
        u = self.unif()
        if d * u <= t * t * t:
            return scale * ret
        r = 1.0 / a
        q0 = (
            (
                ((((2.424e-4 * r + 2.4511e-4) * r - 7.388e-5) * r + 0.00144121) * r + 0.00801191)
                * r
                + 0.02083148
            )
            * r
            + 0.04166669
        ) * r
        if a <= 3.686:
            b = 0.463 + s + 0.178 * s2
            si = 1.235
            c = 0.195 / s - 0.079 + 0.16 * s
        elif a <= 13.022:
            b = 1.654 + 0.0076 * s2
            si = 1.68 / s + 0.275
            c = 0.062 / s + 0.024
        else:
            b = 1.77
            si = 0.75
            c = 0.1515 / s
        if x > 0.0:
            q = _gd_q(t, s, s2, q0)
            if math.log(1.0 - u) <= q:
                return scale * ret
        while True:
            e = self.exp()
            u = self.unif()
            u = u + u - 1.0
            t = b - si * e if u < 0.0 else b + si * e
            if t >= -0.71874483771719:
                q = _gd_q(t, s, s2, q0)
                if q > 0.0:
                    w = math.expm1(q)
                    if c * abs(u) <= w * math.exp(e - 0.5 * t * t):
                        break
        x = s + 0.5 * t
        return scale * x * x

    def rchisq(self, k: int, df: float) -> F64:
        return np.array([self.gamma(df / 2.0, 2.0) for _ in range(k)])


def _gd_q(t: float, s: float, s2: float, q0: float) -> float:
    v = t / (s + s)
    if abs(v) <= 0.25:
        return q0 + 0.5 * t * t * (
            (
                (
                    (
                        (((0.1233795 * v - 0.1367177) * v + 0.1423657) * v - 0.1662921) * v
                        + 0.2000062
                    )
                    * v
                    - 0.250003
                )
                * v
                + 0.3333333
            )
            * v
        )
    return q0 - s * t + 0.25 * t * t + (s2 + s2) * math.log(1.0 + v)


_EXP_Q = (
    0.6931471805599453,
    0.9333736875190459,
    0.9888777961838675,
    0.9984959252914960040,
    0.9998292811061389,
    0.9999833164100727,
    0.9999985508193147,
    0.9999998906925558,
    0.9999999924734159,
    0.9999999995283275,
    0.9999999999728814,
    0.9999999999985598,
    0.9999999999999289,
    0.9999999999999968,
    0.9999999999999999,
    1.0000000000000000,
)


def _hist_counts(v: F64) -> NDArray[np.int64]:
    """Counts of R's ``hist(v, breaks = -20:20/2)`` (right-closed, with R's 1e-7 fuzz)."""
    fuzz = 1e-7 * 0.5
    b = BREAKS + fuzz
    b[0] = BREAKS[0] - fuzz
    idx = np.searchsorted(b, v, side="left") - 1
    return np.bincount(idx[(idx >= 0) & (idx < 40)], minlength=40)[:40]


def simulate_histograms(df: int, *, n_grid: int = 200) -> NDArray[np.int64]:
    """Histogram counts (``n_grid`` x 40) of DESeq2's simulated log residuals for ``df``."""
    rng = RRandom(2)
    out = np.zeros((n_grid, 40), dtype=np.int64)
    for k, v in enumerate(VAR_GRID[:n_grid]):
        chi = rng.rchisq(10000, float(df))
        nrm = rng.rnorm(10000, math.sqrt(v))
        d = np.log(chi) + nrm - math.log(df)
        d = d[(d > BREAKS[0]) & (d < BREAKS[-1])]
        out[k] = _hist_counts(d)
    return out


@lru_cache(maxsize=4)
def _stored(df: int) -> NDArray[np.int64]:
    with resources.files("exodisc.omics.de").joinpath("_priorvar_hist.npz").open("rb") as fh:
        data = np.load(fh)
        return np.asarray(data[f"df{df}"])


def prior_var_simulated(residuals: F64, *, df: int) -> float:
    """Prior variance of log dispersions for ``df`` = n - p in 1..3 (DESeq2's simulation)."""
    from exodisc.omics.de._lowess import loess_1d

    obs = residuals[(residuals > BREAKS[0]) & (residuals < BREAKS[-1])]
    width = 0.5
    obs_d = _hist_counts(obs) / (obs.size * width)
    rand = _stored(df)
    rand_d = rand / (rand.sum(axis=1, keepdims=True) * width)
    kl = np.empty(rand.shape[0])
    for k in range(rand.shape[0]):
        z = np.concatenate([obs_d, rand_d[k]])
        small = z[z > 0].min()
        kl[k] = np.sum(obs_d * (np.log(obs_d + small) - np.log(rand_d[k] + small)))
    fitted = loess_1d(VAR_GRID, kl, FINE_GRID, span=0.2)
    arg = float(FINE_GRID[int(np.argmin(fitted))])
    return max(arg, 0.25)
