"""LFC shrinkage with DESeq2's normal prior (``lfcShrink(type = "normal")``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exodisc.omics.de._design import Contrast, Design

__all__ = ["ShrunkLFC", "shrink_normal", "weighted_upper_quantile_var"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ShrunkLFC:
    """Shrunken log2 fold changes and their standard errors, with the prior variances used."""

    lfc: F64
    se: F64
    prior_var: dict[str, float]  # by term (every expanded level of a term shares it)
    converged: NDArray[np.bool_]


def weighted_upper_quantile_var(x: F64, w: F64, upper: float = 0.05) -> float:
    """``matchWeightedUpperQuantileForVariance``: (weighted 1 - upper quantile of |x| /
    qnorm(1 - upper / 2))^2, with Hmisc's ``wtd.quantile(normwt = TRUE)``."""
    from scipy.stats import norm

    keep = ~np.isnan(w) & (w != 0)
    a, wt = np.abs(x[keep]), w[keep]
    wt = wt * a.size / wt.sum()
    vals, inv = np.unique(a, return_inverse=True)
    sums = np.bincount(inv.ravel(), weights=wt)
    n = sums.sum()
    order = 1 + (n - 1) * (1 - upper)
    low = max(np.floor(order), 1.0)
    high = min(low + 1, n)
    frac = order % 1
    cum = np.cumsum(sums)

    def step(v: float) -> float:  # approx(method = "constant", f = 1, rule = 2)
        return float(vals[min(int(np.searchsorted(cum, v, side="left")), vals.size - 1)])

    q = (1 - frac) * step(low) + frac * step(high)
    return float((q / norm.ppf(1 - upper / 2)) ** 2)


def _prior_variances(beta_log2: F64, des: Design, weights: F64) -> dict[str, float]:
    """``estimateBetaPriorVar`` (weighted, expanded): one prior variance per design term."""
    out: dict[str, float] = {}
    col = 1
    for term, lv in des.levels.items():
        m = beta_log2[:, col : col + len(lv) - 1]
        col += len(lv) - 1
        cols = [m[:, i] for i in range(m.shape[1])]
        n = m.shape[1]
        if n > 1:  # addAllContrasts: every pair of non-reference levels
            cols += [m[:, i] - m[:, j] for j in range(n) for i in range(j + 1, n)]
        pv = []
        for x in cols:
            if beta_log2.shape[0] == 1:
                pv.append(float(x[0] ** 2))
                continue
            fin = np.abs(x) < 10
            pv.append(1e6 if not fin.any() else weighted_upper_quantile_var(x[fin], weights[fin]))
        out[term] = float(np.mean(pv))
    return out


def _expanded(des: Design, sheet_levels: dict[str, NDArray[np.str_]]) -> tuple[F64, list[str]]:
    cols: list[F64] = [np.ones(len(next(iter(sheet_levels.values()))))]
    terms = ["Intercept"]
    for term, lv in des.levels.items():
        for lvl in lv:
            cols.append((sheet_levels[term] == lvl).astype(float))
            terms.append(term)
    return np.column_stack(cols), terms


def shrink_normal(
    counts: F64,
    sf: F64,
    des: Design,
    sheet_levels: dict[str, NDArray[np.str_]],
    contrast: Contrast,
    *,
    beta_mle: F64,
    dispersion: F64,
    disp_fit: F64,
    base_mean: F64,
) -> ShrunkLFC:
    """Normal-prior shrinkage of the contrast's log2 fold change (DESeq2's ``betaPrior``).

    ``counts`` are the genes that are not all zero; ``beta_mle`` their unshrunken natural-log
    coefficients of the standard design. The prior variance of each term is matched to the
    upper 5 % weighted quantile of the MLE log2 fold changes (weights ``1 / (1 / baseMean +
    dispFit)``, pairwise level contrasts included) and averaged over the term; the GLM is
    refitted on the expanded design (one column per level) with the ridge ``1 / prior var``
    (1e-6 on the intercept), and the contrast test minus reference level is read from it with
    the sandwich standard error.
    """
    from exodisc.omics.de import _engine as eng

    weights = 1.0 / (1.0 / base_mean + disp_fit)
    prior = _prior_variances(beta_mle / np.log(2), des, weights)
    xe, terms = _expanded(des, sheet_levels)
    lam = np.array([1e-6] + [1.0 / prior[t] for t in terms[1:]])
    ridge = lam / np.log(2) ** 2
    g, _ = counts.shape
    p = xe.shape[1]
    beta = np.zeros((g, p))
    beta[:, 0] = np.log((counts / sf).mean(axis=1))
    logsf = np.log(sf)
    mu = np.maximum(sf * np.exp(beta @ xe.T), eng.MIN_MU)
    dev_old = np.zeros(g)
    active = np.arange(g)
    iters = np.zeros(g, dtype=np.int64)
    eye = np.diag(ridge)
    for t in range(eng.MAXIT):
        if active.size == 0:
            break
        ya, mua, al = counts[active], mu[active], dispersion[active]
        iters[active] += 1
        w = mua / (1.0 + al[:, None] * mua)
        z = np.log(mua) - logsf + (ya - mua) / mua
        a = np.einsum("np,gn,nq->gpq", xe, w, xe) + eye
        b = np.linalg.solve(a, ((w * z) @ xe)[:, :, None])[:, :, 0]
        big = (np.abs(b) > eng.LARGE).any(axis=1)
        beta[active] = b
        mua = np.maximum(sf * np.exp(b @ xe.T), eng.MIN_MU)
        mu[active] = mua
        dev = -2.0 * eng._nb_loglik(ya, mua, al)
        conv = np.abs(dev - dev_old[active]) / (np.abs(dev) + 0.1)
        bad = big | np.isnan(conv)
        iters[active[bad]] = eng.MAXIT
        done = bad | ((conv < eng.BETA_TOL) if t > 0 else np.zeros_like(bad))
        dev_old[active] = dev
        active = active[~done]
    converged = iters < eng.MAXIT
    for i in np.flatnonzero(~converged | ~np.isfinite(beta).all(axis=1)):
        start = beta[i] / np.log(2)
        if not (np.isfinite(start).all() and (np.abs(start) < eng.LARGE).all()):
            start = np.zeros(p)
        b2, ok = eng._optim_row(counts[i], xe, sf, float(dispersion[i]), start, lam)
        beta[i] = b2 * np.log(2)
        converged[i] = ok
    mu = np.maximum(sf * np.exp(beta @ xe.T), eng.MIN_MU)
    w = mu / (1.0 + dispersion[:, None] * mu)
    a = np.einsum("np,gn,nq->gpq", xe, w, xe) + eye
    c = np.zeros(p)
    col = 1
    for term, lv in des.levels.items():
        if term == contrast.factor:
            c[col + lv.index(contrast.test)] = 1.0
            c[col + lv.index(contrast.reference)] = -1.0
        col += len(lv)
    ainv_c = np.linalg.solve(a, np.broadcast_to(c, (g, p))[:, :, None])[:, :, 0]
    var = ainv_c @ c - (ainv_c**2) @ ridge  # c' A^-1 (A - R) A^-1 c
    lfc = (beta @ c) / np.log(2)
    se = np.sqrt(np.maximum(var, 0.0)) / np.log(2)
    return ShrunkLFC(lfc, se, prior, np.asarray(converged, dtype=bool))
