"""limma-voom: precision weights, weighted linear models and empirical Bayes moderated t.

A batched NumPy port of ``voom`` + ``lmFit`` + ``eBayes`` + ``topTable`` (limma 3.54) for a
design given as a model matrix (a donor block enters as fixed donor effects, ``~ donor +
group``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["VoomFit", "voom_ebayes"]

F64 = NDArray[np.float64]


def _lowess_fast(x: F64, y: F64, f: float) -> F64:
    """R's ``lowess`` for many points (same algorithm as ``_lowess.lowess``, vectorised)."""
    from exodisc.omics.de._lowess import lowess

    return lowess(x, y, f=f)


def _approxfun(xs: F64, ys: F64, new: F64) -> F64:
    """``approxfun(l, rule = 2, ties = list("ordered", mean))`` evaluated at ``new``."""
    ux, inv = np.unique(xs, return_inverse=True)
    uy = np.bincount(inv, weights=ys) / np.bincount(inv)
    return np.asarray(np.interp(new, ux, uy))


def _trigamma_inverse(x: float) -> float:
    """limma's ``trigammaInverse`` (Newton iteration on 1 / trigamma)."""
    from scipy.special import polygamma

    if x > 1e7:
        return 1.0 / np.sqrt(x)
    if x < 1e-6:
        return 1.0 / x
    y = 0.5 + 1.0 / x
    for _ in range(50):
        tri = float(polygamma(1, y))
        dif = tri * (1.0 - tri / x) / float(polygamma(2, y))
        y = y + dif
        if -dif / y < 1e-8:
            break
    return y


@dataclass(frozen=True)
class VoomFit:
    """Per-gene voom + eBayes results for one coefficient."""

    ave_expr: F64
    log_fc: F64
    se: F64
    t: F64
    p_value: F64
    df_prior: float
    s2_prior: float
    weights: F64


def voom_ebayes(counts: F64, x: F64, coef: int, *, span: float = 0.5) -> VoomFit:
    """voom weights, weighted least squares and moderated t for coefficient ``coef``.

    ``counts`` is ``(G, n)``; library sizes are column sums (``voom`` defaults, no TMM).
    """
    from scipy.special import digamma, polygamma
    from scipy.stats import t as tdist

    g, n = counts.shape
    p = x.shape[1]
    lib = counts.sum(axis=0)
    y = np.log2((counts + 0.5) / (lib + 1.0) * 1e6)
    # ordinary least squares fit for the trend
    q, r = np.linalg.qr(x)
    beta = np.linalg.solve(r, q.T @ y.T).T
    res = y - beta @ x.T
    df = n - p
    sigma = np.sqrt((res**2).sum(axis=1) / df)
    amean = y.mean(axis=1)
    sx = amean + np.mean(np.log2(lib + 1.0)) - np.log2(1e6)
    sy = np.sqrt(sigma)
    keep = counts.sum(axis=1) != 0
    order = np.argsort(sx[keep], kind="stable")
    lx, ly = sx[keep][order], sy[keep][order]
    fitted = _lowess_fast(lx, ly, span)
    fitted_logcount = np.log2(1e-6 * 2.0 ** (beta @ x.T) * (lib + 1.0))
    w = 1.0 / _approxfun(lx, fitted, fitted_logcount.ravel()).reshape(g, n) ** 4
    # weighted least squares per gene
    xtwx = np.einsum("np,gn,nq->gpq", x, w, x, optimize=True)
    rhs = (w * y) @ x
    bw = np.linalg.solve(xtwx, rhs[:, :, None])[:, :, 0]
    resw = y - bw @ x.T
    s2 = (w * resw**2).sum(axis=1) / df
    unscaled = np.sqrt(np.linalg.inv(xtwx)[:, coef, coef])
    # eBayes: fitFDist + squeezeVar
    v = np.maximum(s2, 0)
    med = np.median(v)
    v = np.maximum(v, 1e-5 * (med if med > 0 else 1.0))
    e = np.log(v) - digamma(df / 2) + np.log(df / 2)
    emean = e.mean()
    evar = ((e - emean) ** 2).sum() / (g - 1) - float(polygamma(1, df / 2))
    if evar > 0:
        df2 = 2 * _trigamma_inverse(float(evar))
        s20 = float(np.exp(emean + digamma(df2 / 2) - np.log(df2 / 2)))
        s2_post = (df * s2 + df2 * s20) / (df + df2)
    else:
        df2 = np.inf
        s20 = float(v.mean())
        s2_post = np.full(g, s20)
    tstat = bw[:, coef] / unscaled / np.sqrt(s2_post)
    df_total = min(df + df2, df * g)
    pval = 2 * tdist.sf(np.abs(tstat), df_total)
    return VoomFit(amean, bw[:, coef], unscaled * np.sqrt(s2_post), tstat, pval, float(df2), s20, w)
