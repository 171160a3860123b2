"""Batched NumPy implementation of the DESeq2 steps (R DESeq2 1.38 defaults).

Every step works on all genes at once: counts are ``(G, n)`` arrays (genes x samples), the
design matrix is ``(n, p)``; per-gene iterative fits (IRLS, the dispersion line search) keep a
mask of the genes still iterating, so the interpreter overhead is per iteration, not per gene.

The function names follow the R functions they reproduce; each docstring names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from exodisc.errors import DesignError

__all__ = [
    "DispersionFit",
    "GLMFit",
    "LRTResult",
    "bh_adjust",
    "estimate_dispersions",
    "fit_nbinom_glm",
    "independent_filtering",
    "nbinom_lrt",
    "size_factors",
]

F64 = NDArray[np.float64]

MIN_DISP = 1e-8
MIN_MU = 0.5
KAPPA_0 = 1.0
DISP_TOL = 1e-6
MAXIT = 100
BETA_TOL = 1e-8
LARGE = 30.0
EPSILON_ARMIJO = 1e-4


# --------------------------------------------------------------------------- size factors
def size_factors(counts: F64, *, kind: Literal["ratio", "poscounts"] = "ratio") -> F64:
    """Median-of-ratios size factors (``estimateSizeFactorsForMatrix``).

    ``counts`` is ``(G, n)``. ``kind="ratio"`` uses the genes without a zero and fails, like R,
    when every gene has one; ``"poscounts"`` uses the geometric mean of the positive counts
    (divided by n) and rescales the factors to geometric mean 1.
    """
    with np.errstate(divide="ignore"):
        logc = np.log(counts)
    if kind == "ratio":
        loggeo = logc.mean(axis=1)
        if not np.isfinite(loggeo).any():
            msg = (
                "every feature has at least one zero count, so the median-of-ratios size "
                "factors cannot be computed; use size_factors='poscounts'"
            )
            raise DesignError(msg)
    else:
        pos = counts > 0
        s = np.where(pos, logc, 0.0).sum(axis=1) / counts.shape[1]
        with np.errstate(divide="ignore"):
            loggeo = np.where(pos.any(axis=1), s, -np.inf)
    sf = np.empty(counts.shape[1])
    ok = np.isfinite(loggeo)
    for j in range(counts.shape[1]):
        use = ok & (counts[:, j] > 0)
        if not use.any():
            msg = f"sample {j + 1} shares no positive feature with the reference; check its counts"
            raise DesignError(msg)
        sf[j] = np.exp(np.median(logc[use, j] - loggeo[use]))
    if kind == "poscounts":
        sf = sf / np.exp(np.mean(np.log(sf)))
    return sf


# --------------------------------------------------------------------------- linear algebra
def _rowsum(a: F64) -> F64:
    """Row sums of a (G, n) array (a matrix-vector product: much faster than ``sum(axis=1)``
    for short rows)."""
    return np.asarray(a @ np.ones(a.shape[1]))


def _xtwx(x: F64, w: F64) -> F64:
    """``X' diag(w_g) X`` for every gene: ``(G, p, p)``, as one matrix product."""
    p = x.shape[1]
    xx = (x[:, :, None] * x[:, None, :]).reshape(x.shape[0], p * p)
    return np.asarray(w @ xx).reshape(w.shape[0], p, p)


# Small symmetric positive-definite systems, one per gene: a Cholesky factorisation written
# over the gene axis (each matrix entry a contiguous length-G vector) is far faster than
# LAPACK's per-matrix calls for the handful of coefficients of a typical design; larger designs
# use LAPACK.
_SMALL_P = 8


def _xtwx_entries(x: F64, w: F64) -> list[list[F64]]:
    """Entries ``[i][j]`` (i >= j) of ``X' diag(w_g) X`` as length-G vectors."""
    p = x.shape[1]
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    xx = np.stack([x[:, i] * x[:, j] for i, j in pairs])  # (k, n)
    m = xx @ w.T  # (k, G), rows contiguous
    out: list[list[F64]] = [[np.zeros(0)] * p for _ in range(p)]
    for k, (i, j) in enumerate(pairs):
        out[i][j] = m[k]
    return out


def _chol_entries(at: list[list[F64]], ridge: float = 0.0) -> list[list[F64]]:
    p = len(at)
    low: list[list[F64]] = [[np.zeros(0)] * p for _ in range(p)]
    for j in range(p):
        s = at[j][j] + ridge
        for k in range(j):
            s = s - low[j][k] ** 2
        with np.errstate(invalid="ignore"):
            low[j][j] = np.sqrt(s)
        for i in range(j + 1, p):
            s = at[i][j]
            for k in range(j):
                s = s - low[i][k] * low[j][k]
            low[i][j] = s / low[j][j]
    return low


def _chol_logdet(low: list[list[F64]]) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(2.0 * sum(np.log(low[i][i]) for i in range(len(low))))


def _chol_inverse(low: list[list[F64]]) -> list[list[F64]]:
    """Entries ``[i][j]`` (i >= j) of ``A^-1`` from the Cholesky factor of ``A``."""
    p = len(low)
    li: list[list[F64]] = [[np.zeros(0)] * p for _ in range(p)]
    for i in range(p):
        li[i][i] = 1.0 / low[i][i]
        for j in range(i):
            s = low[i][j] * li[j][j]
            for k in range(j + 1, i):
                s = s + low[i][k] * li[k][j]
            li[i][j] = -s * li[i][i]
    inv: list[list[F64]] = [[np.zeros(0)] * p for _ in range(p)]
    for i in range(p):
        for j in range(i + 1):
            s = li[i][i] * li[i][j]
            for k in range(i + 1, p):
                s = s + li[k][i] * li[k][j]
            inv[i][j] = s
    return inv


def _quad_from_inverse(inv: list[list[F64]], x: F64) -> F64:
    """``x_n' A_g^-1 x_n`` for every gene and design row, as one matrix product: ``(G, n)``."""
    p = len(inv)
    cols, rows = [], []
    for i in range(p):
        for j in range(i + 1):
            cols.append(inv[i][j])
            rows.append(x[:, i] * x[:, j] * (1.0 if i == j else 2.0))
    return np.asarray(np.column_stack(cols) @ np.stack(rows))


def _chol_quad_forms(low: list[list[F64]], x: F64) -> F64:
    """``x_n' A_g^-1 x_n`` for every gene and design row: ``(G, n)``."""
    return _quad_from_inverse(_chol_inverse(low), x)


def _chol_solve(low: list[list[F64]], b: F64) -> F64:
    p = len(low)
    z: list[F64] = []
    for i in range(p):
        s = b[:, i]
        for k in range(i):
            s = s - low[i][k] * z[k]
        z.append(s / low[i][i])
    out: list[F64] = [np.zeros(0)] * p
    for i in range(p - 1, -1, -1):
        s = z[i]
        for k in range(i + 1, p):
            s = s - low[k][i] * out[k]
        out[i] = s / low[i][i]
    return np.column_stack(out)


def _block_inverse_operator(bl: _Blocks, x: F64, w: F64) -> Callable[[F64], F64]:
    """``v_g -> (X' W_g X)^-1 v_g`` through the block form ``X' = X M``:
    ``M (X'WX')^-1 M' v`` with ``X'WX' = [[D, B], [B', C]]``, D diagonal (Schur complement)."""
    g = w.shape[0]
    k, q = bl.e.shape[1], bl.z.shape[1]
    m = bl.m if bl.m is not None else _block_transform(x, bl)
    d = w @ bl.e
    b = (w @ bl.ez).reshape(g, k, q)
    c = (w @ bl.zz).reshape(g, q, q)
    bd = b / d[:, :, None]
    schur = c - np.einsum("gkq,gkr->gqr", bd, b)
    low = _chol_entries([[schur[:, i, j] for j in range(q)] for i in range(q)])

    def apply(v: F64) -> F64:
        r = v @ m
        r1, r2 = r[:, :k], r[:, k:]
        cz = _chol_solve(low, r2 - np.einsum("gkq,gk->gq", bd, r1))
        a = (r1 - np.einsum("gkq,gq->gk", b, cz)) / d
        return np.asarray(np.concatenate([a, cz], axis=1) @ m.T)

    return apply


def _block_transform(x: F64, bl: _Blocks) -> F64:
    """``M`` with ``X M = [E | Z]`` (exact: X has full column rank)."""
    xp = np.column_stack([bl.e, bl.z])
    m, *_ = np.linalg.lstsq(x, xp, rcond=None)
    return np.asarray(m)


def _solve_xtwx(x: F64, w: F64, ridge: float, rhs: F64) -> F64:
    """Solve ``(X' W_g X + ridge I) b = rhs_g`` for every gene."""
    p = x.shape[1]
    if p > _SMALL_P and (bl := _blocks(x)) is not None and bl.z.shape[1] <= _SMALL_P:
        # (A + rI)^-1 = sum_k (-r A^-1)^k A^-1: the ridge (1e-6 / log(2)^2) is tiny next to
        # X'WX (weights floored through mu >= 0.5), so three terms reach machine precision
        apply = _block_inverse_operator(bl, x, w)
        b0 = apply(rhs)
        sol = b0
        for _ in range(3):
            sol = b0 - ridge * apply(sol)
        return sol
    if p > _SMALL_P:
        a = _xtwx(x, w) + np.eye(p) * ridge
        return np.asarray(np.linalg.solve(a, rhs[:, :, None])[:, :, 0])
    return _chol_solve(_chol_entries(_xtwx_entries(x, w), ridge), rhs)


@dataclass(frozen=True)
class _Blocks:
    """A design rewritten as ``[E | Z]``: E indicators of one factor's levels (blocks, e.g.
    donors), Z the remaining columns. The rewrite ``X' = X M`` has ``det M = +-1``, so
    ``log det(X'WX)`` and ``x_n' (X'WX)^-1 x_n`` equal those of the original design."""

    block: NDArray[np.int64]  # (n,) block of every sample
    e: F64  # (n, k)
    z: F64  # (n, q)
    ez: F64  # (n, k*q): E[:, b] * Z[:, j]
    zz: F64  # (n, q*q)
    m: F64 | None = None  # X M = [E | Z]


_BLOCK_CACHE: dict[bytes, _Blocks | None] = {}


def _blocks(x: F64) -> _Blocks | None:
    """Find the largest set of mutually exclusive 0/1 columns besides an intercept."""
    key = x.tobytes() + bytes(str(x.shape), "ascii")
    if key in _BLOCK_CACHE:
        return _BLOCK_CACHE[key]
    n, p = x.shape
    out: _Blocks | None = None
    if np.all(x[:, 0] == 1):
        binary = [j for j in range(1, p) if np.isin(x[:, j], (0.0, 1.0)).all()]
        best: list[int] = []
        for start in binary:
            chosen = [start]
            used = x[:, start].copy()
            for j in binary:
                if j not in chosen and not np.any(used * x[:, j]):
                    chosen.append(j)
                    used += x[:, j]
            if len(chosen) > len(best):
                best = chosen
        ref = 1.0 - x[:, best].sum(axis=1) if best else None
        if best and ref is not None and ref.any():
            e = np.column_stack([ref, x[:, best]])
            z = x[:, [j for j in range(1, p) if j not in best]]
            k, q = e.shape[1], z.shape[1]
            if q >= 1:
                ez = (e[:, :, None] * z[:, None, :]).reshape(n, k * q)
                zz = (z[:, :, None] * z[:, None, :]).reshape(n, q * q)
                out = _Blocks(np.argmax(e, axis=1), e, z, ez, zz)
                out = _Blocks(out.block, e, z, ez, zz, _block_transform(x, out))
    _BLOCK_CACHE[key] = out
    return out


def _logdet_and_quad_blocks(bl: _Blocks, w: F64, *, quad: bool) -> tuple[F64, F64 | None]:
    g = w.shape[0]
    k, q = bl.e.shape[1], bl.z.shape[1]
    d = w @ bl.e  # (G, k)
    b = (w @ bl.ez).reshape(g, k, q)
    c = (w @ bl.zz).reshape(g, q, q)
    bd = b / d[:, :, None]
    schur = c - np.einsum("gkq,gkr->gqr", bd, b)
    low = _chol_entries([[schur[:, i, j] for j in range(q)] for i in range(q)])
    logdet = np.log(d) @ np.ones(k) + _chol_logdet(low)
    if not quad:
        return logdet, None
    u = bl.z[None, :, :] - bd[:, bl.block, :]  # (G, n, q)
    inv = _chol_inverse(low)
    qf = np.zeros((g, bl.z.shape[0]))
    for i in range(q):
        for j in range(i + 1):
            term = inv[i][j][:, None] * u[:, :, i] * u[:, :, j]
            qf += term if i == j else 2.0 * term
    return logdet, 1.0 / d[:, bl.block] + qf


def _logdet_and_quad(x: F64, w: F64, *, quad: bool) -> tuple[F64, F64 | None]:
    """log det(X' W_g X) and, if asked, ``x_n' (X' W_g X)^-1 x_n``."""
    p = x.shape[1]
    if p > _SMALL_P and (bl := _blocks(x)) is not None and bl.z.shape[1] <= _SMALL_P:
        return _logdet_and_quad_blocks(bl, w, quad=quad)
    if p > _SMALL_P:
        a = _xtwx(x, w)
        logdet = np.asarray(np.linalg.slogdet(a)[1])
        if not quad:
            return logdet, None
        inv = np.linalg.inv(a)
        return logdet, np.asarray(np.einsum("np,gpq,nq->gn", x, inv, x, optimize=True))
    low = _chol_entries(_xtwx_entries(x, w))
    return _chol_logdet(low), (_chol_quad_forms(low, x) if quad else None)


def _linear_model_mu(y: F64, x: F64) -> F64:
    """``linearModelMu``: least-squares fitted values of every row of ``y`` on ``x``."""
    q, _ = np.linalg.qr(x)
    return (y @ q) @ q.T


def _n_groups(x: F64) -> int:
    return int(np.unique(x, axis=0).shape[0])


# --------------------------------------------------------------------------- NB GLM (IRLS)
def _nb_loglik(y: F64, mu: F64, alpha: F64) -> F64:
    """Per-gene NB log likelihood (sum over samples) on ``(G, n)``; ``alpha`` is ``(G,)``."""
    from scipy.special import gammaln

    size = 1.0 / alpha[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = (
            gammaln(y + size)
            - gammaln(size)
            - gammaln(y + 1.0)
            + size * np.log(size / (size + mu))
            + np.where(y > 0, y * np.log(mu / (size + mu)), 0.0)
        )
    return np.asarray(ll.sum(axis=1))


@dataclass(frozen=True)
class GLMFit:
    """Natural-log coefficients and their sandwich variances from :func:`fit_nbinom_glm`."""

    beta: F64  # (G, p) natural log scale
    beta_var: F64  # (G, p) natural log scale
    mu: F64  # (G, n) fitted means (not floored)
    hat: F64  # (G, n) hat diagonals
    iterations: NDArray[np.int64]
    converged: NDArray[np.bool_]
    optim: NDArray[np.bool_]  # refitted with L-BFGS-B


def fit_nbinom_glm(
    counts: F64,
    x: F64,
    sf: F64,
    alpha: F64,
    *,
    lam: float = 1e-6,
    use_optim: bool = True,
    chunk: int = 20000,
) -> GLMFit:
    """Negative binomial GLM fit of every gene (``fitNbinomGLMs`` + C++ ``fitBeta``).

    IRLS on the natural-log scale with a ridge ``lam / log(2)^2`` on every coefficient, start
    from the least-squares fit of ``log(normalized + 0.1)``, convergence when the relative change
    of the deviance is below 1e-8 (100 iterations at most), fitted means floored at 0.5; genes
    that do not converge (or whose coefficients leave +/-30) are refitted by L-BFGS-B on the
    log2 scale as R does with ``optim``.
    """
    g, n = counts.shape
    p = x.shape[1]
    out_beta = np.empty((g, p))
    out_var = np.empty((g, p))
    out_mu = np.empty((g, n))
    out_hat = np.empty((g, n))
    out_iter = np.zeros(g, dtype=np.int64)
    out_conv = np.zeros(g, dtype=bool)
    out_optim = np.zeros(g, dtype=bool)
    chunk = min(chunk, _chunk_rows(g, p))
    for s in range(0, g, chunk):
        sl = slice(s, min(g, s + chunk))
        r = _fit_chunk(counts[sl], x, sf, alpha[sl], lam=lam, use_optim=use_optim)
        out_beta[sl], out_var[sl], out_mu[sl], out_hat[sl] = r[:4]
        out_iter[sl], out_conv[sl], out_optim[sl] = r[4:]
    return GLMFit(out_beta, out_var, out_mu, out_hat, out_iter, out_conv, out_optim)


def _fit_chunk(
    y: F64, x: F64, sf: F64, alpha: F64, *, lam: float, use_optim: bool
) -> tuple[F64, F64, F64, F64, NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_]]:
    g = y.shape[0]
    p = x.shape[1]
    ridge = np.eye(p) * (lam / np.log(2) ** 2)
    q, r = np.linalg.qr(x)
    beta = np.linalg.solve(r, q.T @ np.log(y / sf + 0.1).T).T  # (G, p)
    beta_init = beta.copy()
    mu = np.maximum(sf * np.exp(beta @ x.T), MIN_MU)
    from scipy.special import gammaln

    size_all = 1.0 / alpha
    # the mu-free part of the NB log likelihood is fixed during IRLS: compute it once
    ll_const = _rowsum(gammaln(y + size_all[:, None]) - gammaln(y + 1.0)) - y.shape[1] * gammaln(
        size_all
    )
    dev_old = np.zeros(g)
    iters = np.zeros(g, dtype=np.int64)
    active = np.arange(g)
    logsf = np.log(sf)
    for t in range(MAXIT):
        if active.size == 0:
            break
        ya, mua, al = y[active], mu[active], alpha[active]
        iters[active] += 1
        w = mua / (1.0 + al[:, None] * mua)
        z = np.log(mua) - logsf + (ya - mua) / mua
        rhs = (w * z) @ x
        b = _solve_xtwx(x, w, ridge[0, 0], rhs)
        big = (np.abs(b) > LARGE).any(axis=1)
        beta[active] = b
        mua = np.maximum(sf * np.exp(b @ x.T), MIN_MU)
        mu[active] = mua
        size = 1.0 / al[:, None]
        ll = ll_const[active] + _rowsum(
            size * np.log(size / (size + mua)) + ya * np.log(mua / (size + mua))
        )
        dev = -2.0 * ll
        conv = np.abs(dev - dev_old[active]) / (np.abs(dev) + 0.1)
        bad = big | np.isnan(conv)
        iters[active[bad]] = MAXIT
        done = bad | ((conv < BETA_TOL) if t > 0 else np.zeros_like(bad))
        dev_old[active] = dev
        active = active[~done]
    converged: NDArray[np.bool_] = np.asarray(iters < MAXIT, dtype=bool)
    stable: NDArray[np.bool_] = np.asarray(np.isfinite(beta).all(axis=1), dtype=bool)
    var, hat = _sandwich(y, x, sf, beta, alpha, ridge)
    mu_raw = sf * np.exp(beta @ x.T)
    optim = np.asarray(
        (~converged | ~stable | (var <= 0).any(axis=1)) if use_optim else ~stable, dtype=bool
    )
    idx = np.flatnonzero(optim)
    if idx.size:
        converged = converged.copy()
        for i in idx:
            # R starts from the log2 estimate when it is finite and inside +/-30, else from
            # the natural-log initial values read as log2 (a quirk kept for parity)
            b2 = beta[i] / np.log(2)
            start = b2 if stable[i] and (np.abs(b2) < LARGE).all() else beta_init[i]
            b_log2, ok = _optim_row(y[i], x, sf, alpha[i], start, lam)
            beta[i] = b_log2 * np.log(2)
            converged[i] = converged[i] or ok
        var[idx], hat[idx] = _sandwich(y[idx], x, sf, beta[idx], alpha[idx], ridge)
        mu_raw[idx] = sf * np.exp(beta[idx] @ x.T)
    return beta, var, mu_raw, hat, iters, converged, optim


@dataclass(frozen=True)
class LRTResult:
    """Likelihood-ratio test of a full against a nested reduced model (:func:`nbinom_lrt`)."""

    stat: F64  # 2 (logLik_full - logLik_reduced)
    p_value: F64
    df: int
    log_lik_full: F64
    log_lik_reduced: F64
    optim: NDArray[np.bool_]  # reduced-model genes refitted with L-BFGS-B


def nbinom_lrt(
    counts: F64,
    x_full: F64,
    x_reduced: F64,
    sf: F64,
    alpha: F64,
    *,
    full_mu: F64,
    full_optim: NDArray[np.bool_],
) -> LRTResult:
    """``nbinomLRT``: deviance difference of the full and reduced fits at the same dispersions.

    ``full_mu`` holds the full model's fitted means (``fit_nbinom_glm(...).mu``, not floored).
    The reduced model is fitted like the full one; an intercept-only reduced model uses the
    row means of the normalised counts, as ``fitNbinomGLMs`` does. The statistic is
    chi-square with ``df = p_full - p_reduced`` degrees of freedom. For genes refitted by
    L-BFGS-B (``full_optim`` and the reduced model's own), the log likelihood is taken at the
    means floored at 0.5, as ``fitNbinomGLMsOptim`` computes it (kept for parity).
    """
    from scipy.stats import chi2

    df = x_full.shape[1] - x_reduced.shape[1]
    if x_reduced.shape[1] == 1 and np.all(x_reduced == 1):
        mu_red = np.outer((counts / sf).mean(axis=1), sf)
        optim = np.zeros(counts.shape[0], dtype=bool)
    else:
        red = fit_nbinom_glm(counts, x_reduced, sf, alpha)
        mu_red, optim = red.mu, red.optim
    full_mu = np.where(full_optim[:, None], np.maximum(full_mu, MIN_MU), full_mu)
    mu_red = np.where(optim[:, None], np.maximum(mu_red, MIN_MU), mu_red)
    ll_full = _nb_loglik(counts, full_mu, alpha)
    ll_red = _nb_loglik(counts, mu_red, alpha)
    stat = 2.0 * (ll_full - ll_red)
    return LRTResult(stat, np.asarray(chi2.sf(stat, df)), df, ll_full, ll_red, optim)


def contrast_variance(
    counts: F64, x: F64, sf: F64, beta: F64, alpha: F64, c: F64, *, lam: float = 1e-6
) -> F64:
    """``c' Sigma_g c`` of the sandwich covariance of every gene (natural-log scale).

    DESeq2's ``getContrast`` (C++ ``fitBeta`` with ``maxit = 0``): means at the fitted
    coefficients floored at 0.5, ``A = X'WX + lam / log(2)^2 I``, ``Sigma = A^-1 X'WX A^-1``,
    so ``c' Sigma c = c'u - ridge * u'u`` with ``u = A^-1 c``.
    """
    del counts  # the covariance depends on the fit only
    ridge = lam / np.log(2) ** 2
    g = beta.shape[0]
    out = np.empty(g)
    step = _chunk_rows(g, x.shape[1])
    for s in range(0, g, step):
        sl = slice(s, min(g, s + step))
        mu = np.maximum(sf * np.exp(beta[sl] @ x.T), MIN_MU)
        w = mu / (1.0 + alpha[sl, None] * mu)
        rhs = np.broadcast_to(c, (w.shape[0], c.size)).copy()
        u = _solve_xtwx(x, w, ridge, rhs)
        out[sl] = u @ c - ridge * (u**2).sum(axis=1)
    return out


def _sandwich(y: F64, x: F64, sf: F64, beta: F64, alpha: F64, ridge: F64) -> tuple[F64, F64]:
    """Diagonal of the sandwich covariance (X'WX+R)^-1 X'WX (X'WX+R)^-1 and hat diagonals.

    With ``A = X'WX + lam I``: ``A^-1 (A - lam I) A^-1 = A^-1 - lam A^-2``, whose diagonal is
    ``diag(A^-1) - lam * rowsums((A^-1)^2)`` (A symmetric).
    """
    mu = np.maximum(sf * np.exp(beta @ x.T), MIN_MU)
    w = mu / (1.0 + alpha[:, None] * mu)
    g, p = w.shape[0], x.shape[1]
    lam = float(ridge[0, 0])
    if p <= _SMALL_P:
        inv = _chol_inverse(_chol_entries(_xtwx_entries(x, w), lam))
        full = np.empty((g, p, p))
        for i in range(p):
            for j in range(i + 1):
                full[:, i, j] = inv[i][j]
                full[:, j, i] = inv[i][j]
        hat = w * _quad_from_inverse(inv, x)
    else:
        full = np.asarray(np.linalg.inv(_xtwx(x, w) + ridge), dtype=float)
        hat = w * np.einsum("np,gpq,nq->gn", x, full, x, optimize=True)
    var = np.diagonal(full, axis1=1, axis2=2) - lam * (full**2).sum(axis=2)
    return np.asarray(var), np.asarray(hat)


def _optim_row(
    y: F64, x: F64, sf: F64, alpha: float, start: F64, lam: float | F64
) -> tuple[F64, bool]:
    """R's ``optim(method="L-BFGS-B")`` refit of one gene on the log2 scale."""
    from scipy.optimize import minimize
    from scipy.special import gammaln

    size = 1.0 / alpha
    sd = np.sqrt(1.0 / lam)

    def f(b: F64) -> float:
        mu = sf * 2.0 ** (x @ b)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ll = (
                gammaln(y + size)
                - gammaln(size)
                - gammaln(y + 1)
                + size * np.log(size / (size + mu))
                + np.where(y > 0, y * np.log(mu / (size + mu)), 0.0)
            ).sum()
        lp = (-0.5 * np.log(2 * np.pi) - np.log(sd) - 0.5 * (b / sd) ** 2).sum()
        v = -(ll + lp)
        return float(v) if np.isfinite(v) else 1e300

    def grad(b: F64) -> F64:
        # R's optim without a gradient: central differences with ndeps = 1e-3
        h = 1e-3
        gr = np.empty_like(b)
        for k in range(b.size):
            e = np.zeros_like(b)
            e[k] = h
            hi = np.minimum(b + e, LARGE)
            lo = np.maximum(b - e, -LARGE)
            gr[k] = (f(hi) - f(lo)) / (hi[k] - lo[k])
        return gr

    res = minimize(
        f,
        np.clip(start, -LARGE, LARGE),
        jac=grad,
        method="L-BFGS-B",
        bounds=[(-LARGE, LARGE)] * x.shape[1],
        options={"maxcor": 5, "ftol": 1e7 * np.finfo(float).eps, "gtol": 0.0, "maxiter": 100},
    )
    return np.asarray(res.x, dtype=float), bool(res.status == 0)


# --------------------------------------------------------------------------- dispersion
def _log_post(
    la: F64,
    y: F64,
    mu: F64,
    x: F64,
    prior_mean: F64,
    prior_var: float,
    use_prior: bool,
    *,
    grad: bool = False,
) -> tuple[F64, F64 | None]:
    """C++ ``log_posterior`` (Cox-Reid adjusted) and, with ``grad``, ``dlog_posterior``
    (derivative with respect to log alpha) for every gene."""
    lp, parts = _log_post_value(la, y, mu, x, prior_mean, prior_var, use_prior, quad=grad)
    if not grad:
        return lp, None
    return lp, _dlog_post(la, y, mu, prior_mean, prior_var, use_prior, parts)


def _log_post_value(
    la: F64,
    y: F64,
    mu: F64,
    x: F64,
    prior_mean: F64,
    prior_var: float,
    use_prior: bool,
    *,
    quad: bool,
) -> tuple[F64, tuple[F64, F64, F64 | None]]:
    """C++ ``log_posterior`` for every gene, with what :func:`_dlog_post` reuses: the
    weights, ``log(1 + mu alpha)`` and (with ``quad``) ``x_n' (X' W X)^-1 x_n``."""
    from scipy.special import gammaln

    alpha = np.exp(la)
    a2 = alpha[:, None]
    ainv = 1.0 / a2
    w = 1.0 / (1.0 / mu + a2)
    logdet, q = _logdet_and_quad(x, w, quad=quad)
    log1p_mu_a = np.log(1.0 + mu * a2)
    ll = _rowsum(gammaln(y + ainv) - y * np.log(mu + ainv) - ainv * log1p_mu_a) - y.shape[
        1
    ] * gammaln(1.0 / alpha)
    lp = ll - 0.5 * logdet
    if use_prior:
        lp = lp - 0.5 * (la - prior_mean) ** 2 / prior_var
    return np.asarray(lp), (w, log1p_mu_a, q)


def _dlog_post(
    la: F64,
    y: F64,
    mu: F64,
    prior_mean: F64,
    prior_var: float,
    use_prior: bool,
    parts: tuple[F64, F64, F64 | None],
    rows: NDArray[np.bool_] | None = None,
) -> F64:
    """C++ ``dlog_posterior`` for every gene (``parts`` from :func:`_log_post_value` at the
    same ``la`` with ``quad=True``); with ``rows``, correct for those genes only.

    The per-sample terms of the other genes are left at zero rather than dropped, so that
    the row sums (matrix-vector products, whose rounding depends on the number of rows) are
    bit-identical to those of the full computation.
    """
    from scipy.special import digamma

    w, log1p_mu_a, quad = parts
    if quad is None:
        msg = "_dlog_post needs the quadratic forms (_log_post_value(..., quad=True))"
        raise ValueError(msg)
    alpha = np.exp(la)
    a2 = alpha[:, None]
    # trace(B^-1 dB), dB = X' diag(-w^2) X, is -sum_n w_n^2 x_n' B^-1 x_n
    cr = 0.5 * _rowsum(w**2 * quad)
    if rows is None:
        ainv = 1.0 / a2
        mua = mu * a2
        terms = log1p_mu_a - mua / (1.0 + mua) - digamma(y + ainv) + y / (mu + ainv)
    else:
        ainv = 1.0 / a2[rows]
        mua = mu[rows] * a2[rows]
        yr, mr = y[rows], mu[rows]
        terms = np.zeros_like(y)
        terms[rows] = log1p_mu_a[rows] - mua / (1.0 + mua) - digamma(yr + ainv) + yr / (mr + ainv)
    dll = (1.0 / alpha**2) * (y.shape[1] * digamma(1.0 / alpha) + _rowsum(terms))
    dlp = (dll + cr) * alpha
    if use_prior:
        dlp = dlp - (la - prior_mean) / prior_var
    return np.asarray(dlp)


def _chunk_rows(g: int, p: int) -> int:
    """Genes per chunk so that the (genes, p, p) work arrays stay near 64 MB each."""
    return max(512, min(g, int(64 * 2**20 / (8 * p * p))))


def _fit_disp(
    y: F64,
    x: F64,
    mu: F64,
    log_alpha: F64,
    prior_mean: F64,
    prior_var: float,
    *,
    use_prior: bool,
    min_log_alpha: float,
) -> tuple[F64, NDArray[np.int64], F64, F64]:
    """:func:`_fit_disp_chunk` over chunks of genes (bounded memory for large designs)."""
    g, p = y.shape[0], x.shape[1]
    step = _chunk_rows(g, p)
    if step >= g:
        return _fit_disp_chunk(
            y,
            x,
            mu,
            log_alpha,
            prior_mean,
            prior_var,
            use_prior=use_prior,
            min_log_alpha=min_log_alpha,
        )
    parts = [
        _fit_disp_chunk(
            y[s : s + step],
            x,
            mu[s : s + step],
            log_alpha[s : s + step],
            prior_mean[s : s + step],
            prior_var,
            use_prior=use_prior,
            min_log_alpha=min_log_alpha,
        )
        for s in range(0, g, step)
    ]
    return (
        np.concatenate([q[0] for q in parts]),
        np.concatenate([q[1] for q in parts]),
        np.concatenate([q[2] for q in parts]),
        np.concatenate([q[3] for q in parts]),
    )


def _fit_disp_chunk(
    y: F64,
    x: F64,
    mu: F64,
    log_alpha: F64,
    prior_mean: F64,
    prior_var: float,
    *,
    use_prior: bool,
    min_log_alpha: float,
) -> tuple[F64, NDArray[np.int64], F64, F64]:
    """C++ ``fitDisp``: Armijo line search on log(alpha), run for all genes at once.

    Returns the log dispersions, iteration counts, initial and last log posteriors.
    """
    g = y.shape[0]
    a = log_alpha.astype(float).copy()
    lp, dlp0 = _log_post(a, y, mu, x, prior_mean, prior_var, use_prior, grad=True)
    dlp = np.asarray(dlp0)
    initial_lp = lp.copy()
    kappa = np.full(g, KAPPA_0)
    iters = np.zeros(g, dtype=np.int64)
    accepts = np.zeros(g, dtype=np.int64)
    active = np.arange(g)
    for _ in range(MAXIT):
        if active.size == 0:
            break
        iters[active] += 1
        aa, dd, kk = a[active], dlp[active], kappa[active]
        prop = aa + kk * dd
        with np.errstate(divide="ignore", invalid="ignore"):
            kk = np.where(prop < -30.0, (-30.0 - aa) / dd, kk)
            kk = np.where(prop > 10.0, (10.0 - aa) / dd, kk)
        new_a = aa + kk * dd
        # the value first; the derivative's costly terms only where the step is taken and
        # the search goes on (as C++ fitDisp): half to two thirds of the genes per step
        ya, ma, pa = y[active], mu[active], prior_mean[active]
        new_lp, parts = _log_post_value(new_a, ya, ma, x, pa, prior_var, use_prior, quad=True)
        theta_hat = -lp[active] - kk * EPSILON_ARMIJO * dd**2
        accept = -new_lp <= theta_hat
        kk_next = np.where(accept, kk, kk / 2.0)  # rejected: halve kappa
        change = new_lp - lp[active]
        stop = accept & ((change < DISP_TOL) | (new_a < min_log_alpha))
        acc_idx = active[accept]
        a[acc_idx] = new_a[accept]
        lp[acc_idx] = new_lp[accept]
        accepts[acc_idx] += 1
        cont = accept & ~stop
        cidx = active[cont]
        if cidx.size:
            dlp[cidx] = _dlog_post(new_a, ya, ma, pa, prior_var, use_prior, parts, rows=cont)[cont]
            kc = np.minimum(kk[cont] * 1.1, KAPPA_0)
            kc = np.where(accepts[cidx] % 5 == 0, kc / 2.0, kc)
            kk_next[cont] = kc
        kappa[active] = kk_next
        active = active[~stop]
    return a, iters, initial_lp, lp


def _fit_disp_grid(
    y: F64,
    x: F64,
    mu: F64,
    prior_mean: F64,
    prior_var: float,
    *,
    use_prior: bool,
    max_disp: float,
) -> F64:
    """``fitDispGridWrapper`` + C++ ``fitDispGrid``: coarse then fine 20-point grid search."""
    grid = np.linspace(np.log(1e-8), np.log(max_disp), 20)
    delta = grid[1] - grid[0]
    g = y.shape[0]

    def best(candidates: F64) -> F64:
        vals = np.stack(
            [
                _log_post(candidates[:, k], y, mu, x, prior_mean, prior_var, use_prior)[0]
                for k in range(candidates.shape[1])
            ],
            axis=1,
        )
        return candidates[np.arange(g), np.argmax(vals, axis=1)]

    a_hat = best(np.broadcast_to(grid, (g, grid.size)).copy())
    fine = a_hat[:, None] - delta + np.arange(grid.size)[None, :] * (2 * delta / (grid.size - 1))
    return np.exp(best(fine))


@dataclass(frozen=True)
class DispersionFit:
    """All the dispersion quantities R stores in ``mcols(dds)`` (non-all-zero genes only)."""

    disp_gene_est: F64
    disp_fit: F64
    dispersion: F64
    disp_outlier: NDArray[np.bool_]
    disp_map: F64
    mu: F64  # floored means used for the dispersion fits
    trend_coefs: tuple[float, float] | None
    trend_kind: str
    var_log_disp_ests: float
    prior_var: float
    prior_var_method: str


def _rough_disp(y_norm: F64, x: F64) -> F64:
    mu = np.maximum(_linear_model_mu(y_norm, x), 1.0)
    m, p = x.shape
    est = (((y_norm - mu) ** 2 - mu) / mu**2).sum(axis=1) / (m - p)
    return np.maximum(est, 0.0)


def _gamma_identity_glm(disps: F64, means: F64, start: F64) -> tuple[F64, bool]:
    """R's ``glm(disps ~ I(1/means), family=Gamma(link="identity"), start=...)`` (glm.fit)."""
    xm = np.column_stack([np.ones_like(means), 1.0 / means])

    def dev_of(mu: F64) -> float:
        return float((-2.0 * (np.log(disps / mu) - (disps - mu) / mu)).sum())

    coef = start.astype(float).copy()
    coefold = coef.copy()
    eta = xm @ coef
    mu = eta
    devold = dev_of(mu)
    conv = False
    for _ in range(25):
        z = eta + (disps - mu)
        w = 1.0 / mu
        sol, *_ = np.linalg.lstsq(xm * w[:, None], z * w, rcond=None)
        coef = sol
        eta = xm @ coef
        mu = eta
        dev = dev_of(mu) if (mu > 0).all() else np.inf
        ii = 0
        while not (np.isfinite(eta).all() and (eta != 0).all() and (mu > 0).all()):
            ii += 1
            if ii > 25:
                msg = "inner loop 2; cannot correct step size"
                raise ArithmeticError(msg)
            coef = (coef + coefold) / 2
            eta = xm @ coef
            mu = eta
            dev = dev_of(mu) if (mu > 0).all() else np.inf
        if abs(dev - devold) / (abs(dev) + 0.1) < 1e-8:
            conv = True
            break
        devold = dev
        coefold = coef.copy()
    return coef, conv


def _parametric_trend(means: F64, disps: F64) -> tuple[float, float]:
    """``parametricDispersionFit``: iteratively refitted Gamma GLM of disp ~ a0 + a1/mean."""
    coefs = np.array([0.1, 1.0])
    it = 0
    while True:
        resid = disps / (coefs[0] + coefs[1] / means)
        good = (resid > 1e-4) & (resid < 15)
        old = coefs
        coefs, conv = _gamma_identity_glm(disps[good], means[good], coefs)
        if not (coefs > 0).all():
            msg = "parametric dispersion fit failed"
            raise ArithmeticError(msg)
        if (np.log(coefs / old) ** 2).sum() < 1e-6 and conv:
            break
        it += 1
        if it > 10:
            msg = "dispersion fit did not converge"
            raise ArithmeticError(msg)
    return float(coefs[0]), float(coefs[1])


def _mad(v: F64) -> float:
    med = np.median(v)
    return float(1.4826 * np.median(np.abs(v - med)))


def estimate_dispersions(
    counts: F64,
    x: F64,
    sf: F64,
    base_mean: F64,
    base_var: F64,
    *,
    fixed: DispersionFit | None = None,
) -> DispersionFit:
    """Gene-wise, trend and MAP dispersions (``estimateDispersions`` with defaults).

    ``counts`` holds the genes that are not all zero. With ``fixed`` (the fit of all genes),
    only the gene-wise and MAP estimates are made: the trend is evaluated at ``base_mean`` and
    the prior variance and ``varLogDispEsts`` are kept, as ``refitWithoutOutliers`` does for
    the genes whose outlier counts were replaced.
    """
    from scipy.special import polygamma

    m, p = x.shape
    max_disp = max(10.0, float(m))
    y_norm = counts / sf
    # ---- gene-wise
    rough = _rough_disp(y_norm, x)
    xim = np.mean(1.0 / sf)
    with np.errstate(divide="ignore", invalid="ignore"):
        moments = (base_var - xim * base_mean) / base_mean**2
    alpha_init = np.clip(np.fmin(rough, moments), MIN_DISP, max_disp)
    if _n_groups(x) == p:
        mu = _linear_model_mu(y_norm, x) * sf
    else:
        mu = fit_nbinom_glm(counts, x, sf, alpha_init).mu
    mu = np.maximum(mu, MIN_MU)
    la, iters, init_lp, last_lp = _fit_disp(
        counts,
        x,
        mu,
        np.log(alpha_init),
        np.log(alpha_init),
        1.0,
        use_prior=False,
        min_log_alpha=np.log(MIN_DISP / 10),
    )
    gene = np.minimum(np.exp(la), max_disp)
    no_increase = last_lp < init_lp + np.abs(init_lp) / 1e6
    gene[no_increase] = alpha_init[no_increase]
    conv = (iters < MAXIT) & (iters != 1)
    refit = ~conv & (gene > MIN_DISP * 10)
    if refit.any():
        gene[refit] = _fit_disp_grid(
            counts[refit],
            x,
            mu[refit],
            np.zeros(int(refit.sum())),
            1.0,
            use_prior=False,
            max_disp=max_disp,
        )
    gene = np.clip(gene, MIN_DISP, max_disp)
    # ---- trend
    coefs: tuple[float, float] | None
    if fixed is not None:
        coefs = fixed.trend_coefs
        fit = (
            coefs[0] + coefs[1] / base_mean
            if coefs is not None
            else np.full_like(gene, float(fixed.disp_fit[0]))
        )
        return _map_dispersions(
            counts,
            x,
            mu,
            gene,
            fit,
            coefs,
            fixed.trend_kind,
            fixed.var_log_disp_ests,
            fixed.prior_var,
            fixed.prior_var_method,
            max_disp,
        )
    # estimateDispersionsFit's check: not made for a refit with the trend kept (fixed), where
    # a few genes with replaced outliers may all be near-Poisson
    use = gene > 100 * MIN_DISP
    if not use.any():
        msg = (
            "all gene-wise dispersion estimates are within 2 orders of magnitude of the "
            "minimum (1e-8); the counts look Poisson (technical replicates?) and DESeq2's "
            "dispersion trend cannot be fitted"
        )
        raise DesignError(msg)
    try:
        coefs = _parametric_trend(base_mean[use], gene[use])
        fit = coefs[0] + coefs[1] / base_mean
        trend_kind = "parametric"
    except ArithmeticError:
        # R substitutes locfit; we use the mean (documented deviation)
        coefs = None
        from scipy.stats import trim_mean

        fit = np.full_like(gene, trim_mean(gene[use], 0.001))
        trend_kind = "mean"
    resid = np.log(gene) - np.log(fit)
    above = gene >= MIN_DISP * 100
    var_log = _mad(resid[above])
    var_log = var_log**2
    # ---- prior variance
    if (m - p) <= 3 and m > p:
        from exodisc.omics.de._priorvar import prior_var_simulated

        prior_var = prior_var_simulated(resid[above], df=m - p)
        method = "simulation"
    elif m > p:
        prior_var = max(var_log - float(polygamma(1, (m - p) / 2)), 0.25)
        method = "mad"
    else:
        prior_var = var_log
        method = "mad (no residual df)"
    return _map_dispersions(
        counts, x, mu, gene, fit, coefs, trend_kind, var_log, prior_var, method, max_disp
    )


def _map_dispersions(
    counts: F64,
    x: F64,
    mu: F64,
    gene: F64,
    fit: F64,
    coefs: tuple[float, float] | None,
    trend_kind: str,
    var_log: float,
    prior_var: float,
    method: str,
    max_disp: float,
) -> DispersionFit:
    """``estimateDispersionsMAP``: maximum a posteriori dispersions, outliers kept at the MLE."""
    init = np.where(gene > 0.1 * fit, gene, fit)
    la, iters, _, _ = _fit_disp(
        counts,
        x,
        mu,
        np.log(init),
        np.log(fit),
        prior_var,
        use_prior=True,
        min_log_alpha=np.log(MIN_DISP / 10),
    )
    disp_map = np.exp(la)
    refit = iters >= MAXIT
    if refit.any():
        disp_map[refit] = _fit_disp_grid(
            counts[refit],
            x,
            mu[refit],
            np.log(fit[refit]),
            prior_var,
            use_prior=True,
            max_disp=max_disp,
        )
    disp_map = np.clip(disp_map, MIN_DISP, max_disp)
    outlier = np.log(gene) > np.log(fit) + 2.0 * np.sqrt(var_log)
    final = np.where(outlier, gene, disp_map)
    return DispersionFit(
        gene, fit, final, outlier, disp_map, mu, coefs, trend_kind, var_log, prior_var, method
    )


# --------------------------------------------------------------------------- Cook's
def trim_mean_rows(a: F64, trim: float) -> F64:
    """Row means trimmed by ``trim`` at each end (R's ``mean(x, trim=)``)."""
    n = a.shape[1]
    lo = int(np.floor(n * trim))
    s = np.sort(a, axis=1)
    return np.asarray(s[:, lo : n - lo].mean(axis=1))


def robust_moments_disp(norm_counts: F64, x: F64) -> F64:
    """``robustMethodOfMomentsDisp`` (trimmed variances, floored at 0.04)."""
    _, inv, cnt = np.unique(x, axis=0, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    big = np.flatnonzero(cnt >= 3)
    if big.size:
        ests = []
        for c in big:
            sub = norm_counts[:, inv == c]
            k = sub.shape[1]
            bin_ = 0 if k <= 3.5 else (1 if k <= 23.5 else 2)
            tr = (1 / 3, 1 / 4, 1 / 8)[bin_]
            sc = (2.04, 1.86, 1.51)[bin_]
            cm = trim_mean_rows(sub, tr)
            ests.append(sc * trim_mean_rows((sub - cm[:, None]) ** 2, tr))
        v = np.max(np.stack(ests, axis=1), axis=1)
    else:
        rm = trim_mean_rows(norm_counts, 1 / 8)
        v = 1.51 * trim_mean_rows((norm_counts - rm[:, None]) ** 2, 1 / 8)
    mean = norm_counts.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = (v - mean) / mean**2
    return np.maximum(alpha, 0.04)


def cooks_distance(counts: F64, x: F64, sf: F64, mu: F64, hat: F64) -> F64:
    """``calculateCooksDistance``: (G, n) Cook's distances."""
    p = x.shape[1]
    disp = robust_moments_disp(counts / sf, x)
    v = mu + disp[:, None] * mu**2
    pr2 = (counts - mu) ** 2 / v
    return np.asarray(pr2 / p * hat / (1 - hat) ** 2)


def samples_in_big_cells(x: F64, n_min: int = 3) -> NDArray[np.bool_]:
    """``nOrMoreInCell``: samples whose design row occurs at least ``n_min`` times."""
    _, inv, cnt = np.unique(x, axis=0, return_inverse=True, return_counts=True)
    return np.asarray(cnt[inv.ravel()] >= n_min)


# --------------------------------------------------------------------------- multiple testing
def bh_adjust(p: F64) -> F64:
    """``p.adjust(p, "BH")`` with NA kept (n = number of non-NA values)."""
    from exodisc.core import p_adjust

    return p_adjust(p, "bh")


@dataclass(frozen=True)
class FilterResult:
    padj: F64
    threshold: float
    theta: float
    table: F64  # (50, 2) theta, numRej


def independent_filtering(base_mean: F64, pvalue: F64, *, alpha: float) -> FilterResult:
    """``pvalueAdjustment`` with genefilter's ``filtered_p`` and R's ``lowess``."""
    from exodisc.omics.de._lowess import lowess

    lower = float(np.mean(base_mean == 0))
    upper = 0.95 if lower < 0.95 else 1.0
    theta = np.linspace(lower, upper, 50)
    cutoffs = np.quantile(base_mean, theta)
    padj_mat = np.full((base_mean.size, theta.size), np.nan)
    # BH (p.adjust) of each filtered set, all from one stable sort of the P values: the
    # genes kept at a cutoff keep their order, so each set's BH needs no sort of its own
    tested = np.flatnonzero(~np.isnan(pvalue))
    order = tested[np.argsort(-pvalue[tested], kind="stable")]
    p_desc, bm_desc = pvalue[order], base_mean[order]
    for j, c in enumerate(cutoffs):
        use = bm_desc >= c
        m = int(use.sum())
        if m:
            i = np.arange(m, 0, -1)
            padj_mat[order[use], j] = np.minimum(1.0, np.minimum.accumulate(m / i * p_desc[use]))
    num_rej = np.nansum(padj_mat < alpha, axis=0).astype(float)
    fitted = lowess(theta, num_rej, f=1 / 5)
    if num_rej.max() <= 10:
        j = 0
    else:
        resid = np.zeros(1) if (num_rej == 0).all() else num_rej[num_rej > 0] - fitted[num_rej > 0]
        thresh = fitted.max() - np.sqrt(np.mean(resid**2))
        hits = np.flatnonzero(num_rej > thresh)
        j = int(hits[0]) if hits.size else 0
    return FilterResult(
        padj_mat[:, j], float(cutoffs[j]), float(theta[j]), np.column_stack([theta, num_rej])
    )
