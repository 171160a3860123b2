"""Multiple-testing corrections, exactly as R's ``p.adjust`` (NaN kept, not counted)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

__all__ = ["Adjust", "p_adjust"]

Adjust = Literal["bh", "bonferroni", "holm", "sidak", "none"]


def p_adjust(p: Sequence[float] | np.ndarray, method: Adjust) -> np.ndarray:
    """Adjust P values for multiple testing, as R ``p.adjust`` (Šidák as emmeans).

    Parameters
    ----------
    p
        P values; NaN stays NaN and does not count towards the number of tests (R's rule).
    method
        ``"bh"`` (Benjamini–Hochberg FDR), ``"bonferroni"``, ``"holm"``, ``"sidak"``
        (``1 − (1 − p)^m``) or ``"none"``.

    Returns
    -------
    numpy.ndarray
        Adjusted P values, capped at 1, in the input order.

    Notes
    -----
    R: ``p.adjust(p, method = "BH" | "bonferroni" | "holm")``; Šidák as
    ``emmeans::contrast(adjust = "sidak")``. Benjamini Y, Hochberg Y (1995) J R Stat Soc B
    57:289–300; Holm S (1979) Scand J Stat 6:65–70.

    Examples
    --------
    >>> p_adjust([0.01, 0.04, 0.03, float("nan")], "bh").round(4).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    arr = np.asarray(p, dtype=float)
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnan(arr)
    pv = arr[ok]
    n = pv.size
    if method == "none" or n == 0:
        return arr.copy()
    if method == "bonferroni":
        adj = np.minimum(1.0, pv * n)
    elif method == "sidak":
        adj = np.minimum(1.0, -np.expm1(n * np.log1p(-np.minimum(pv, 1.0))))
    elif method == "holm":
        o = np.argsort(pv, kind="stable")
        i = np.arange(1, n + 1)
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * pv[o]))
    elif method == "bh":
        o = np.argsort(-pv, kind="stable")
        i = np.arange(n, 0, -1)
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.minimum.accumulate(n / i * pv[o]))
    else:
        msg = f"unknown correction {method!r}; expected bh, bonferroni, holm, sidak or none"
        raise ValueError(msg)
    out[ok] = adj
    return out
