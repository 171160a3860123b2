"""DESeq2's variance-stabilising transformation with the fitted parametric trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from exodisc.omics.de._deseq2 import DEResult

__all__ = ["pca_coordinates", "vst"]


def vst(result: DEResult) -> pd.DataFrame:
    """Variance-stabilised values (features x samples) from a DESeq2 fit.

    Parameters
    ----------
    result
        A :class:`DEResult` whose dispersion trend is parametric.

    Returns
    -------
    pandas.DataFrame
        log2-like values for PCA, heatmaps and correlations.

    Notes
    -----
    R equivalent: ``assay(varianceStabilizingTransformation(dds, blind = FALSE))`` with the
    parametric trend ``a0 + a1 / mean``: ``log2((1 + a1 + 2 a0 q + 2 sqrt(a0 q (1 + a1 +
    a0 q))) / (4 a0))`` of the normalised counts ``q``. Where the trend fell back to the mean
    dispersion ``d``: ``log2`` of ``(2 asinh(sqrt(d q)) - log(d) - log(4)) / log(2)``.

    Examples
    --------
    >>> import anndata as ad
    >>> import numpy as np
    >>> import pandas as pd
    >>> from exodisc.omics.de import run_de, vst
    >>> rng = np.random.default_rng(0)
    >>> sheet = pd.DataFrame({"cond": ["c", "t"] * 3}, index=list("123456"))
    >>> x = rng.negative_binomial(5, 0.05, size=(6, 50)).astype(float)
    >>> values = vst(run_de(ad.AnnData(x, obs=sheet), "~ cond", "cond,t,c"))
    >>> values.shape
    (50, 6)
    """
    q = result.normalized.to_numpy(dtype=float)
    coefs = result.params.get("trend_coefficients")
    if coefs is not None:
        a0, a1 = coefs
        val = np.log(
            (1 + a1 + 2 * a0 * q + 2 * np.sqrt(a0 * q * (1 + a1 + a0 * q))) / (4 * a0)
        ) / np.log(2)
    else:
        d = float(np.nanmean(result.table["disp_fit"]))
        val = (2 * np.arcsinh(np.sqrt(d * q)) - np.log(d) - np.log(4)) / np.log(2)
    return pd.DataFrame(val, index=result.normalized.index, columns=result.normalized.columns)


def pca_coordinates(values: pd.DataFrame, *, n_top: int = 500) -> tuple[pd.DataFrame, np.ndarray]:
    """Principal components of samples from the ``n_top`` most variable features.

    Parameters
    ----------
    values
        Features x samples (e.g. :func:`vst` output).
    n_top
        How many features, by decreasing variance across samples.

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        Samples x ``PC1 …`` scores and the fraction of variance of every component.

    Notes
    -----
    R equivalent: ``plotPCA(vsd, ntop = 500, returnData = TRUE)`` (``prcomp`` on the
    centred, unscaled values); component signs are arbitrary, as in R.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from exodisc.omics.de import pca_coordinates
    >>> values = pd.DataFrame(np.array([[1.0, 2, 3, 4], [2, 4, 6, 9], [5, 5, 6, 5]]),
    ...                       columns=["s1", "s2", "s3", "s4"])
    >>> scores, explained = pca_coordinates(values)
    >>> list(scores.columns)
    ['PC1', 'PC2', 'PC3']
    >>> explained.round(4).tolist()
    [0.9762, 0.0234, 0.0003]
    """
    v = values.to_numpy(dtype=float)
    var = v.var(axis=1, ddof=1)
    order = np.argsort(-var, kind="stable")[: min(n_top, v.shape[0])]
    sub = v[order].T
    sub = sub - sub.mean(axis=0)
    u, s, _ = np.linalg.svd(sub, full_matrices=False)
    scores = u * s
    frac = s**2 / np.sum(s**2)
    cols = [f"PC{i + 1}" for i in range(scores.shape[1])]
    return pd.DataFrame(scores, index=values.columns, columns=cols), frac
