"""The one rule for calling a feature significant (DE, enrichment input, ceRNA, knowledge)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["is_significant"]


def is_significant(padj: Any, log2_fc: Any, *, fdr: float = 0.05, lfc: float = 1.0) -> Any:
    """``padj < fdr`` and ``|log2_fc| > lfc``; NaN in either is not significant.

    Parameters
    ----------
    padj
        Adjusted P values (array-like or pandas Series; a Series keeps its index).
    log2_fc
        log2 fold changes, same shape.
    fdr
        False-discovery-rate cut-off; strictly below is significant.
    lfc
        |log2 fold change| cut-off; strictly above is significant (0 keeps every finite LFC
        except exactly 0).

    Returns
    -------
    numpy.ndarray or pandas.Series of bool
        Same shape (and index, for a Series) as ``padj``.

    Notes
    -----
    Both comparisons are strict, following DESeq2: ``results(dds, alpha = fdr)`` calls
    ``padj < alpha`` (``summary.DESeqResults``) and ``lfcThreshold`` tests
    ``|LFC| > threshold`` (``altHypothesis = "greaterAbs"``); the seed paper's
    "|log2 FC| > 1 and FDR < 0.05" reads the same way. R:
    ``!is.na(res$padj) & res$padj < fdr & abs(res$log2FoldChange) > lfc``.

    Examples
    --------
    >>> is_significant([0.01, 0.01, 0.05, float("nan")], [1.5, 1.0, -3.0, 4.0])
    array([ True, False, False, False])
    """
    p = np.asarray(padj, dtype=float)
    x = np.asarray(log2_fc, dtype=float)
    with np.errstate(invalid="ignore"):
        out = (p < fdr) & (np.abs(x) > lfc)
    out &= np.isfinite(p) & ~np.isnan(x)
    if hasattr(padj, "index") and hasattr(padj, "to_numpy"):
        import pandas as pd

        return pd.Series(out, index=padj.index)
    return out
