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
        direct = x * np.log(x / mu) + mu - x
        near = np.abs(x - mu) < 0.1 * (x + mu)
        v = (x - mu) / (x + mu)
        s = (x - mu) * v
        ej = 2 * x * v
        v2 = v * v
        for j in range(1, 20):  # |v| < 0.1: v^40 is far below double precision
            ej = ej * v2
            s = s + ej / (2 * j + 1)
    return np.where(near, s, direct)


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


def hyper_upper_tail(k: Any, population: Any, successes: Any, draws: Any) -> np.ndarray:
    """P(X >= k), X ~ Hypergeometric(population N, successes K, draws n), vectorised.

    Sums the pmf from ``k`` upwards with the exact ratio pmf(x + 1) / pmf(x), starting from
    :func:`dhyper` at the first term; equals ``scipy.stats.hypergeom.sf(k - 1, N, K, n)`` and
    R's ``phyper(k - 1, K, N - K, n, lower.tail = FALSE)`` to about 1e-14. Tails longer than
    4,096 terms go to scipy.
    """
    from scipy.stats import hypergeom

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
    certain = k <= lo  # the whole support: exactly 1
    k = np.maximum(k, lo)
    out = np.zeros(k.shape, dtype=np.float64)
    ok = (k <= hi) & ~certain
    out[certain] = 1.0
    length = np.where(ok, hi - k + 1, 0)
    fast = ok & (length <= 4096)
    slow = ok & ~fast
    if slow.any():
        out[slow] = hypergeom.sf(k[slow] - 1, big_n[slow], big_k[slow], n[slow])
    if fast.any():
        kf, nf, kk, nn = k[fast], big_n[fast], big_k[fast], n[fast]
        lf = length[fast]
        first = dhyper(kf, kk, nf - kk, nn)
        total = first.copy()
        term = first.copy()
        remaining = lf - 1
        x = kf.astype(np.float64)
        # add terms until every row has finished or is past its mode and negligible
        while True:
            active = remaining > 0
            if not active.any():
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = ((kk - x) * (nn - x)) / ((x + 1) * (nf - kk - nn + x + 1))
            ratio = np.where(active, ratio, 0.0)
            term = term * ratio
            total = total + term
            x = x + 1
            remaining = remaining - 1
            if not ((remaining > 0) & ((ratio >= 1) | (term > 1e-18 * total))).any():
                break
        out[fast] = np.minimum(total, 1.0)
    return out.reshape(shape)
