"""limma-voom: precision weights, weighted linear models and empirical Bayes moderated t.

A batched NumPy port of ``voom`` + ``lmFit`` + ``eBayes`` + ``topTable`` (limma 3.54) for a
design given as a model matrix (a donor block enters as fixed donor effects, ``~ donor +
group``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "VoomFit",
    "calc_norm_factors_tmm",
    "duplicate_correlation",
    "filter_by_expr",
    "voom_ebayes",
]

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


def calc_norm_factors_tmm(
    counts: F64,
    lib_size: F64 | None = None,
    *,
    logratio_trim: float = 0.3,
    sum_trim: float = 0.05,
) -> F64:
    """edgeR's ``calcNormFactors(method = "TMM")`` (edgeR 3.40) of a ``(G, n)`` matrix.

    Reference column: the sample whose upper-quartile / library size is closest to the mean
    (the one with most ``sum(sqrt(counts))`` when the quartiles are 0); per sample the
    precision-weighted mean of the log ratios against the reference after trimming 30 % of
    log ratios and 5 % of average log expressions; factors scaled to geometric mean 1.
    """
    from scipy.stats import rankdata

    x = np.asarray(counts, dtype=float)
    n = x.shape[1]
    lib = x.sum(axis=0) if lib_size is None else np.asarray(lib_size, dtype=float)
    x = x[(x > 0).any(axis=1)]
    if x.shape[0] == 0 or n == 1:
        return np.ones(n)
    f75 = np.quantile(x, 0.75, axis=0) / lib
    ref = (
        int(np.argmax(np.sqrt(x).sum(axis=0)))
        if np.median(f75) < 1e-20
        else int(np.argmin(np.abs(f75 - f75.mean())))
    )
    f = np.empty(n)
    for i in range(n):
        obs, rf = x[:, i], x[:, ref]
        n_o, n_r = lib[i], lib[ref]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_r = np.log2((obs / n_o) / (rf / n_r))
            abs_e = (np.log2(obs / n_o) + np.log2(rf / n_r)) / 2
            v = (n_o - obs) / n_o / obs + (n_r - rf) / n_r / rf
        fin = np.isfinite(log_r) & np.isfinite(abs_e) & (abs_e > -1e10)
        log_r, abs_e, v = log_r[fin], abs_e[fin], v[fin]
        if np.max(np.abs(log_r)) < 1e-6:
            f[i] = 1.0
            continue
        m = len(log_r)
        lo_l = np.floor(m * logratio_trim) + 1
        hi_l = m + 1 - lo_l
        lo_s = np.floor(m * sum_trim) + 1
        hi_s = m + 1 - lo_s
        rl, ra = rankdata(log_r), rankdata(abs_e)
        keep = (rl >= lo_l) & (rl <= hi_l) & (ra >= lo_s) & (ra <= hi_s)
        val = np.sum(log_r[keep] / v[keep]) / np.sum(1.0 / v[keep]) if keep.any() else np.nan
        f[i] = 2.0 ** (0.0 if np.isnan(val) else val)
    return np.asarray(f / np.exp(np.mean(np.log(f))))


def filter_by_expr(
    counts: F64,
    design: F64,
    lib_size: F64 | None = None,
    *,
    min_count: float = 10,
    min_total_count: float = 15,
    large_n: float = 10,
    min_prop: float = 0.7,
) -> NDArray[np.bool_]:
    """edgeR's ``filterByExpr(y, design)`` (edgeR 3.40): features to keep.

    A feature is kept with at least ``min_count`` reads scaled to the median library size
    (as CPM) in at least the smallest group size (``1 / max(hat(design))``) of samples and
    ``min_total_count`` reads in all.
    """
    y = np.asarray(counts, dtype=float)
    lib = y.sum(axis=0) if lib_size is None else np.asarray(lib_size, dtype=float)
    x1 = np.column_stack([np.ones(design.shape[0]), design])  # hat(x, intercept = TRUE)
    u, sv, _ = np.linalg.svd(x1, full_matrices=False)
    rank = int((sv > sv[0] * 1e-7).sum())
    hat = (u[:, :rank] ** 2).sum(axis=1)
    min_n = 1.0 / hat.max()
    if min_n > large_n:
        min_n = large_n + (min_n - large_n) * min_prop
    cutoff = min_count / np.median(lib) * 1e6
    cpm = y / lib * 1e6
    tol = 1e-14
    keep_cpm = (cpm >= cutoff).sum(axis=1) >= min_n - tol
    keep_total = y.sum(axis=1) >= min_total_count - tol
    return np.asarray(keep_cpm & keep_total, dtype=bool)


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
    correlation: float = 0.0


def _glmgam_fit(x: F64, y: F64, start: F64, *, tol: float = 1e-6, maxit: int = 20) -> F64:
    """statmod's ``glmgam.fit`` (gamma GLM, identity link, Levenberg damping) from ``start``."""
    p = x.shape[1]

    def deviance(mu: F64) -> float:
        if (mu < 0).any():
            return float("inf")
        o = (y < 1e-15) & (mu < 1e-15)
        if o.all():
            return 0.0
        y1, m1 = y[~o], mu[~o]
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(2 * np.sum((y1 - m1) / m1 - np.log(y1 / m1)))

    beta = start.astype(float).copy()
    mu = x @ beta
    if (mu < 0).any():
        msg = "Starting values give negative fitted values"
        raise ValueError(msg)
    dev = deviance(mu)
    lam = 0.0
    it = 0
    while True:
        it += 1
        v = mu**2
        v = np.maximum(v, v.max() / 1e3)
        xvx = x.T @ (x / v[:, None])
        maxinfo = float(np.max(np.diag(xvx)))
        if it == 1:
            lam = abs(float(np.mean(np.diag(xvx)))) / p
        dl = x.T @ ((y - mu) / v)
        beta_old, dev_old = beta, dev
        lev = 0
        while True:
            lev += 1
            r = np.linalg.cholesky(xvx + lam * np.eye(p))
            dbeta = np.linalg.solve(r.T, np.linalg.solve(r, dl))
            beta = beta_old + dbeta
            mu = x @ beta
            dev = deviance(mu)
            if dev <= dev_old or dev / np.max(mu) < 1e-15:
                break
            if lam / maxinfo > 1e15:
                beta = beta_old
                break
            lam = 2 * lam
        if lam / maxinfo > 1e15:
            break
        if lev == 1:
            lam = lam / 10
        if float(dl @ dbeta) < tol or dev / np.max(mu) < 1e-15:
            break
        if it > maxit:
            break
    return beta


def _mixed_model2_varcomp(y: F64, x: F64, z: F64, w: F64) -> tuple[float, float]:
    """statmod's ``mixedModel2Fit(y, X, Z, w, only.varcomp = TRUE, maxit = 20)$varcomp``."""
    sw = np.sqrt(w)
    y = sw * y
    x = sw[:, None] * x
    m = x.shape[0]
    q, _ = np.linalg.qr(x, mode="complete")
    rank = int(np.linalg.matrix_rank(x))
    mq = m - rank
    if mq == 0:
        return np.nan, np.nan
    q2 = q[:, rank:]
    qtz = q2.T @ z
    u, sv, _ = np.linalg.svd(qtz, full_matrices=True)
    uqy = u.T @ (q2.T @ y)
    d = np.zeros(mq)
    d[: len(sv)] = sv**2
    dx = np.column_stack([np.ones(mq), d])
    dy = uqy**2
    coef, *_ = np.linalg.lstsq(dx, dy, rcond=None)
    fitted = dx @ coef
    if mq > 2 and (np.abs(d) > 1e-15).sum() > 1 and np.var(d, ddof=1) > 1e-15:
        start = coef if (fitted >= 0).all() else np.array([np.mean(dy), 0.0])
        coef = _glmgam_fit(dx, dy, start)
    return float(coef[0]), float(coef[1])


def duplicate_correlation(
    e: F64, w: F64, x: F64, block: NDArray[np.str_], *, trim: float = 0.15
) -> float:
    """limma's ``duplicateCorrelation(v, design, block = block)$consensus.correlation``.

    Per gene the REML intra-block correlation of a two-variance-component model (statmod
    ``mixedModel2Fit`` with the voom weights), clamped to [1 / (1 - max block size) + 0.01,
    0.99]; the consensus is ``tanh`` of the 15 %-trimmed mean of ``atanh``.
    """
    from scipy.stats import trim_mean

    from exodisc.errors import DesignError

    levels, codes = np.unique(block, return_inverse=True)
    nblocks = len(levels)
    max_size = int(np.bincount(codes).max())
    if max_size == 1:
        msg = "duplicateCorrelation: every block has one sample; no correlation to estimate"
        raise DesignError(msg)
    z = np.zeros((len(block), nblocks))
    z[np.arange(len(block)), codes] = 1.0
    qx, _ = np.linalg.qr(x)
    if np.max(np.abs(z[:, 1:] - qx @ (qx.T @ z[:, 1:]))) < 1e-8:
        msg = (
            "duplicateCorrelation: the block factor is already a term of the design (use a "
            "design without it, e.g. '~ group' with the donor as block)"
        )
        raise DesignError(msg)
    n, p = x.shape
    rho = np.full(e.shape[0], np.nan)
    if n > p + 2 and 1 < nblocks < n - 1:
        for i in range(e.shape[0]):
            try:
                s1, s2 = _mixed_model2_varcomp(e[i], x, z, w[i])
            except (ValueError, np.linalg.LinAlgError):
                continue
            if not np.isnan(s1):
                rho[i] = s2 / (s1 + s2)
    rhomin = 1.0 / (1 - max_size) + 0.01
    rho = np.where(rho < rhomin, rhomin, rho)
    rho = np.where(rho > 0.99, 0.99, rho)
    arho = np.arctanh(rho[~np.isnan(rho)])
    if arho.size == 0:
        msg = "duplicateCorrelation: no feature gave a correlation estimate"
        raise DesignError(msg)
    return float(np.tanh(trim_mean(arho, trim)))


def voom_ebayes(
    counts: F64,
    x: F64,
    coef: int,
    *,
    span: float = 0.5,
    lib_size: F64 | None = None,
    block: NDArray[np.str_] | None = None,
) -> VoomFit:
    """voom weights, weighted least squares and moderated t for coefficient ``coef``.

    ``counts`` is ``(G, n)``; ``lib_size`` the effective library sizes (edgeR's
    ``lib.size * norm.factors``), by default the column sums (``voom`` on a matrix). With
    ``block`` (e.g. donors), the intra-block correlation of :func:`duplicate_correlation` enters
    a generalised least squares fit (``lmFit(v, design, block =, correlation =)``).
    """
    from scipy.special import digamma, polygamma
    from scipy.stats import t as tdist

    g, n = counts.shape
    p = x.shape[1]
    lib = counts.sum(axis=0) if lib_size is None else np.asarray(lib_size, dtype=float)
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
    correlation = 0.0
    if block is None:
        # weighted least squares per gene
        xtwx = np.einsum("np,gn,nq->gpq", x, w, x, optimize=True)
        rhs = (w * y) @ x
        bw = np.linalg.solve(xtwx, rhs[:, :, None])[:, :, 0]
        resw = y - bw @ x.T
        s2 = (w * resw**2).sum(axis=1) / df
    else:
        # generalised least squares: V_g = W^-1/2 C W^-1/2, C the block correlation matrix
        correlation = duplicate_correlation(y, w, x, block)
        same = (block[:, None] == block[None, :]).astype(float)
        cmat = np.where(same > 0, correlation, 0.0)
        np.fill_diagonal(cmat, 1.0)
        cinv = np.linalg.inv(cmat)
        sw = np.sqrt(w)
        vinv = sw[:, :, None] * cinv[None, :, :] * sw[:, None, :]  # (G, n, n)
        xtwx = np.einsum("np,gnm,mq->gpq", x, vinv, x, optimize=True)
        rhs = np.einsum("np,gnm,gm->gp", x, vinv, y, optimize=True)
        bw = np.linalg.solve(xtwx, rhs[:, :, None])[:, :, 0]
        resw = y - bw @ x.T
        s2 = np.einsum("gn,gnm,gm->g", resw, vinv, resw, optimize=True) / df
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
    return VoomFit(
        amean,
        bw[:, coef],
        unscaled * np.sqrt(s2_post),
        tstat,
        pval,
        float(df2),
        s20,
        w,
        correlation,
    )
