"""Hypergeometric probabilities by Loader's saddle-point method (R's ``dhyper``), vectorised.

Loader, C. (2000) "Fast and accurate computation of binomial probabilities"; the same
algorithm as R's ``nmath/dbinom.c`` and ``dhyper.c``. It is accurate to a few ulps where
``exp(lgamma ...)`` differences lose up to 1e-10 and Boost's exact pmf is slow for thousands of
terms.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["dhyper", "hyper_upper_tail"]

# stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n) for n = 0..15 (50-digit decimal arithmetic)
_STIRLERR_SMALL = np.array(
    [
        0.0,
        0.08106146679532726,
        0.0413406959554093,
        0.02767792568499834,
        0.020790672103765093,
        0.016644691189821193,
        0.013876128823070748,
        0.01189670994589177,
        0.010411265261972096,
        0.009255462182712733,
        0.00833056343336287,
        0.007573675487951841,
        0.00694284010720953,
        0.006408994188004207,
        0.0059513701127588475,
        0.005554733551962801,
    ]
)
_S0, _S1, _S2, _S3, _S4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
_LN_2PI = float(np.log(2 * np.pi))


def _stirlerr(n: np.ndarray) -> np.ndarray:
    n = np.asarray(n, dtype=np.float64)
    out = np.empty_like(n)
    small = n <= 15
    out[small] = _STIRLERR_SMALL[n[small].astype(np.int64)]
    m = n[~small]
    nn = m * m
    big = np.where(
        m > 500,
        (_S0 - _S1 / nn) / m,
        np.where(
            m > 80,
            (_S0 - (_S1 - _S2 / nn) / nn) / m,
            np.where(
                m > 35,
                (_S0 - (_S1 - (_S2 - _S3 / nn) / nn) / nn) / m,
                (_S0 - (_S1 - (_S2 - (_S3 - _S4 / nn) / nn) / nn) / nn) / m,
            ),
        ),
    )
    out[~small] = big
    return out


def _bd0(x: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """x log(x / mu) + mu - x, computed without cancellation (Loader's bd0)."""
    x = np.asarray(x, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(x / mu) + mu - x
        near = np.abs(x - mu) < 0.1 * (x + mu)
        if near.any():
            xn, mn = x[near], mu[near]
            v = (xn - mn) / (xn + mn)
            s = (xn - mn) * v
            ej = 2 * xn * v
            v2 = v * v
            for j in range(1, 40):  # |v| < 0.1: each term is < 1% of the previous one
                ej = ej * v2
                step = ej / (2 * j + 1)
                s_new = s + step
                if np.array_equal(s_new, s):
                    break
                s = s_new
            out[near] = s
    return out


def _dbinom_raw(x: np.ndarray, n: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lc = (
            _stirlerr(n)
            - _stirlerr(np.where((x > 0) & (x < n), x, 1.0))
            - _stirlerr(np.where((x > 0) & (x < n), n - x, 1.0))
            - _bd0(x, n * p)
            - _bd0(n - x, n * q)
        )
        lf = _LN_2PI + np.log(x) + np.log1p(-x / n)
        general = np.exp(lc - 0.5 * lf)
        at0 = np.exp(np.where(p < 0.1, -_bd0(n, n * q) - n * p, n * np.log(q)))
        atn = np.exp(np.where(q < 0.1, -_bd0(n, n * p) - n * q, n * np.log(p)))
    out = np.where(x == 0, np.where(n == 0, 1.0, at0), np.where(x == n, atn, general))
    return np.where((x < 0) | (x > n), 0.0, out)


def dhyper(x: Any, successes: Any, failures: Any, draws: Any) -> np.ndarray:
    """P(X = x) for X ~ Hypergeometric; arguments as R's ``dhyper(x, m, n, k)``."""
    x, r, b, n = (np.asarray(a, dtype=np.float64) for a in (x, successes, failures, draws))
    x, r, b, n = np.broadcast_arrays(x, r, b, n)
    total = r + b
    with np.errstate(divide="ignore", invalid="ignore"):
        p = n / total
        q = (total - n) / total
        p1 = _dbinom_raw(x, r, p, q)
        p2 = _dbinom_raw(n - x, b, p, q)
        p3 = _dbinom_raw(n, total, p, q)
        out = p1 * p2 / p3
    lo = np.maximum(0, n - b)
    hi = np.minimum(n, r)
    out = np.where((x < lo) | (x > hi), 0.0, out)
    # trivial draws (n = 0 or n = total) have a single outcome
    return np.where((n == 0) | (n == total), np.where(x == np.minimum(n, r), 1.0, 0.0), out)


_BLOCK = 16


def _tail_sum(
    start: np.ndarray,
    stop: np.ndarray,
    big_n: np.ndarray,
    big_k: np.ndarray,
    n: np.ndarray,
    *,
    upward: bool,
) -> np.ndarray:
    """Sum pmf(x) from ``start`` towards ``stop`` (inclusive), moving away from the mode.

    Starting on the far side of the mode, the terms shrink geometrically, so the loop stops
    when every remaining term is below 1e-17 of its running total (or the support ends).
    """
    term = dhyper(start, big_k, big_n - big_k, n)
    total = term.copy()
    x = start.astype(np.float64)
    remaining = np.abs(stop - start).astype(np.int64)
    active = np.flatnonzero(remaining > 0)
    kk, nn, nf = big_k.astype(np.float64), n.astype(np.float64), big_n.astype(np.float64)
    steps = np.arange(_BLOCK, dtype=np.float64)[None, :]
    while active.size:
        # a block of _BLOCK terms per row at once (cumulative products of the pmf ratios)
        xa = x[active][:, None] + (steps if upward else -steps)
        ka, na, fa = kk[active][:, None], nn[active][:, None], nf[active][:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            if upward:  # pmf(x + 1) / pmf(x)
                ratio = ((ka - xa) * (na - xa)) / ((xa + 1) * (fa - ka - na + xa + 1))
            else:  # pmf(x - 1) / pmf(x)
                ratio = (xa * (fa - ka - na + xa)) / ((ka - xa + 1) * (na - xa + 1))
        valid = steps < remaining[active][:, None]
        ratio = np.where(valid, ratio, 0.0)
        terms = term[active][:, None] * np.cumprod(ratio, axis=1)
        total[active] += terms.sum(axis=1)
        last = terms[:, -1]
        term[active] = last
        x[active] += _BLOCK if upward else -_BLOCK
        remaining[active] -= _BLOCK
        done = (remaining[active] <= 0) | (last <= 1e-17 * total[active])
        active = active[~done]
    return total


def hyper_upper_tail(k: Any, population: Any, successes: Any, draws: Any) -> np.ndarray:
    """P(X >= k), X ~ Hypergeometric(population N, successes K, draws n), vectorised.

    Above the mode the upper tail is summed upwards from :func:`dhyper` at k; at or below
    the mode 1 − P(X <= k − 1) is used, the lower tail summed downwards. Both sums run away
    from the mode, so they converge in a few terms. Equals
    ``scipy.stats.hypergeom.sf(k - 1, N, K, n)`` and R's
    ``phyper(k - 1, K, N - K, n, lower.tail = FALSE)`` to about 1e-14 (relative).
    """
    k, big_n, big_k, n = np.broadcast_arrays(
        np.asarray(k, np.int64),
        np.asarray(population, np.int64),
        np.asarray(successes, np.int64),
        np.asarray(draws, np.int64),
    )
    shape = k.shape
    k, big_n, big_k, n = (a.ravel() for a in (k, big_n, big_k, n))
    lo = np.maximum(0, n + big_k - big_n)
    hi = np.minimum(big_k, n)
    out = np.zeros(k.shape, dtype=np.float64)
    out[k <= lo] = 1.0  # the whole support
    inside = (k > lo) & (k <= hi)
    mode = np.floor((n + 1) * (big_k + 1) / (big_n + 2)).astype(np.int64)
    up = np.flatnonzero(inside & (k > mode))
    down = np.flatnonzero(inside & (k <= mode))
    if up.size:
        out[up] = _tail_sum(k[up], hi[up], big_n[up], big_k[up], n[up], upward=True)
    if down.size:
        lower = _tail_sum(k[down] - 1, lo[down], big_n[down], big_k[down], n[down], upward=False)
        out[down] = 1.0 - lower
    return np.clip(out, 0.0, 1.0).reshape(shape)
