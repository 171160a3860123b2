"""R's ``lowess`` (Cleveland's ``clowess`` as in R's ``stats/src/lowess.c``) and the 1-D
``loess(span, degree = 2)`` surface DESeq2 uses; small inputs only (tens to hundreds of points).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["loess_1d", "lowess"]

F64 = NDArray[np.float64]


def _lowest(
    x: F64, y: F64, xs: float, nleft: int, nright: int, userw: bool, rw: F64
) -> tuple[float, bool]:
    """One local linear fit of ``clowess`` (C ``lowest``), vectorised over the window."""
    rng = x[-1] - x[0]
    h = max(xs - x[nleft], x[nright] - xs)
    h9, h1 = 0.999 * h, 0.001 * h
    # C walks j from nleft while x[j] <= xs or |x[j] - xs| <= h9 (ties on the right included)
    d = x[nleft:] - xs
    stop = int(np.searchsorted(d, h9, side="right"))
    while stop < d.size and not (d[stop] > 0 and abs(d[stop]) > h9):
        stop += 1
    xw = x[nleft : nleft + stop]
    r = np.abs(xw - xs)
    w = np.where(r <= h9, np.where(r <= h1, 1.0, (1.0 - (r / h) ** 3) ** 3), 0.0)
    if userw:
        w = w * rw[nleft : nleft + stop]
    a = float(np.sum(w))
    if a <= 0.0:
        return 0.0, False
    ww = w / a
    yw = y[nleft : nleft + stop]
    if h > 0.0:
        a2 = float(np.sum(ww * xw))
        b = xs - a2
        c = float(np.sum(ww * (xw - a2) ** 2))
        if np.sqrt(c) > 0.001 * rng:
            b /= c
            ww = ww * (b * (xw - a2) + 1.0)
    return float(np.sum(ww * yw)), True


def lowess(
    x: F64, y: F64, *, f: float = 2 / 3, iterations: int = 3, delta: float | None = None
) -> F64:
    """Fitted values of R's ``lowess(x, y, f, iter, delta)`` at the (sorted) ``x``.

    Notes
    -----
    R equivalent: ``lowess(x, y, f = f, iter = 3, delta = 0.01 * diff(range(x)))$y``. A line
    by line port of ``clowess``; ``x`` must be sorted increasingly.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.size
    if delta is None:
        delta = 0.01 * (x[-1] - x[0])
    ys = np.zeros(n)
    if n < 2:
        return y.copy()
    ns = max(2, min(n, int(f * n + 1e-7)))
    rw = np.ones(n)
    res = np.zeros(n)
    it = 1
    while it <= iterations + 1:
        nleft, nright, last, i = 0, ns - 1, -1, 0
        while True:
            if nright < n - 1:
                d1 = x[i] - x[nleft]
                d2 = x[nright + 1] - x[i]
                if d1 > d2:
                    nleft += 1
                    nright += 1
                    continue
            val, ok = _lowest(x, y, float(x[i]), nleft, nright, it > 1, rw)
            ys[i] = val if ok else y[i]
            if last < i - 1:
                denom = x[i] - x[last]
                for j in range(last + 1, i):
                    al = (x[j] - x[last]) / denom
                    ys[j] = al * ys[i] + (1.0 - al) * ys[last]
            last = i
            cut = x[last] + delta
            i = last + 1
            while i < n:
                if x[i] > cut:
                    break
                if x[i] == x[last]:
                    ys[i] = ys[last]
                    last = i
                i += 1
            i = max(last + 1, i - 1)
            if last >= n - 1:
                break
        res = y - ys
        sc = float(np.mean(np.abs(res)))
        if it > iterations:
            break
        ar = np.sort(np.abs(res))
        m1 = n // 2
        cmad = 3.0 * (ar[m1] + ar[n - m1 - 1]) if n % 2 == 0 else 6.0 * ar[m1]
        if cmad < 1e-7 * sc:
            break
        c9, c1 = 0.999 * cmad, 0.001 * cmad
        r = np.abs(res)
        with np.errstate(divide="ignore", invalid="ignore"):
            rw = np.where(r <= c1, 1.0, np.where(r <= c9, (1.0 - (r / cmad) ** 2) ** 2, 0.0))
        it += 1
    return ys


def _local_quadratic(x: F64, y: F64, at: float, q: int) -> tuple[float, float]:
    """Value and slope at ``at`` of the tricube-weighted local quadratic on ``q`` neighbours."""
    d = np.abs(x - at)
    rho = np.sort(d)[q - 1]
    u = d / rho
    w = np.where(u < 1.0, (1.0 - u**3) ** 3, 0.0)
    sw = np.sqrt(w)
    t = x - at
    a = np.column_stack([np.ones_like(t), t, t**2]) * sw[:, None]
    coef, *_ = np.linalg.lstsq(a, y * sw, rcond=None)
    return float(coef[0]), float(coef[1])


def loess_1d(x: F64, y: F64, new_x: F64, *, span: float, cell: float = 0.2) -> F64:
    """Predictions of R's ``loess(y ~ x, span = span)`` (degree 2, interpolated surface).

    R fits the local quadratic at the vertices of a k-d tree (cells of at most
    ``floor(n * span * cell)`` points, split at the median) and interpolates between vertices
    with cubic Hermite polynomials using the fitted values and slopes; this follows the same
    construction in one dimension.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.size
    q = int(np.floor(n * span + 1e-5))
    fc = int(np.floor(n * span * cell))
    order = np.argsort(x, kind="stable")
    xs = x[order]
    margin = 0.005 * max(xs[-1] - xs[0], 1e-10 * max(abs(xs[0]), abs(xs[-1])) + 1e-30)
    verts = {xs[0] - margin, xs[-1] + margin}
    stack = [(0, n - 1, xs[0] - margin, xs[-1] + margin)]
    while stack:
        lo, hi, vlo, vhi = stack.pop()
        if hi - lo + 1 <= fc:
            continue
        m = (lo + hi) // 2
        split = xs[m]
        if split in (vlo, vhi):
            continue
        verts.add(split)
        stack.append((lo, m, vlo, split))
        stack.append((m + 1, hi, split, vhi))
    v = np.array(sorted(verts))
    vals = np.empty(v.size)
    slopes = np.empty(v.size)
    for k, vk in enumerate(v):
        vals[k], slopes[k] = _local_quadratic(x, y, float(vk), q)
    idx = np.clip(np.searchsorted(v, new_x, side="right") - 1, 0, v.size - 2)
    x0, x1 = v[idx], v[idx + 1]
    width = x1 - x0
    h = (new_x - x0) / width
    phi0 = (1 - h) ** 2 * (1 + 2 * h)
    phi1 = h**2 * (3 - 2 * h)
    psi0 = h * (1 - h) ** 2
    psi1 = -(h**2) * (1 - h)
    return np.asarray(
        phi0 * vals[idx]
        + phi1 * vals[idx + 1]
        + (psi0 * slopes[idx] + psi1 * slopes[idx + 1]) * width
    )
