"""NormFinder stability of candidate reference genes (Andersen, Jensen & Ørntoft 2004)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = ["NormFinderResult", "normfinder"]


@dataclass(frozen=True)
class NormFinderResult:
    """Result of :func:`normfinder`.

    Attributes
    ----------
    genes
        One row per gene, most stable first: ``gene``, ``stability`` (ρ, lower is more
        stable), ``intragroup_sd`` (pooled), ``group_difference`` (2·max |d|), ``rank``.
    pairs
        Every pair of genes, best first: ``gene1``, ``gene2``, ``stability``.
    gamma2
        The estimated between-group variance of the genes (γ²).
    """

    genes: pd.DataFrame
    pairs: pd.DataFrame
    gamma2: float


def normfinder(
    ct: pd.DataFrame,
    groups: Mapping[str, str],
    *,
    efficiency: Mapping[str, float] | None = None,
) -> NormFinderResult:
    """NormFinder's model-based stability value of candidate reference genes.

    Parameters
    ----------
    ct
        Mean Ct per sample (rows) and candidate gene (columns, ≥ 3); samples with a missing
        value are left out.
    groups
        Sample → group (≥ 2 groups, ≥ 2 samples each).
    efficiency
        Amplification factor per gene (default 2); log2 expression = −Ct · log2(E).

    Returns
    -------
    NormFinderResult

    Notes
    -----
    Each gene's expression is split into intragroup variation σ²_ig (estimated from the
    residuals of a gene + sample-within-group model, bias-corrected, and replaced by a quarter
    of the smallest pairwise-difference variance when negative) and intergroup variation d_ig,
    shrunk towards 0 by γ² / (γ² + σ²_ig / n_g). Stability ρ_i = mean over groups of
    |d̃_ig| + √(σ²_ig / n_g + γ² σ²_ig / n_g / (γ² + σ²_ig / n_g)); the best pair minimises the
    same quantity for the average of two genes. R equivalent: the NormFinder R script
    (MOMA, Aarhus), ``Normfinder(data, ctVal = TRUE)``. Andersen CL, Jensen JL, Ørntoft TF
    (2004) Cancer Res 64:5245–5250.
    """
    data = ct.dropna(axis=0, how="any")
    data = data[data.index.isin(list(groups))]
    genes = [str(c) for c in data.columns]
    k = len(genes)
    if k < 3:
        raise DesignError(f"NormFinder needs at least 3 candidate reference genes; got {genes}")
    glabels = pd.Series([groups[s] for s in data.index], index=data.index)
    levels = list(dict.fromkeys(glabels))
    sizes = np.array([(glabels == g).sum() for g in levels])
    if len(levels) < 2 or (sizes < 2).any():
        msg = (
            "NormFinder needs at least 2 groups with at least 2 samples each; found "
            f"{dict(zip(levels, sizes.tolist(), strict=True))}"
        )
        raise DesignError(msg)
    eff = efficiency or {}
    y = np.column_stack(
        [-data[g].to_numpy(dtype=float) * np.log2(eff.get(g, 2.0)) for g in genes]
    )  # samples x genes
    n_grp = len(levels)
    sigma2 = np.empty((k, n_grp))
    means = np.empty((k, n_grp))
    for gi, g in enumerate(levels):
        z = y[(glabels == g).to_numpy()]  # n_g x k
        gene_mean = z.mean(axis=0)
        resid = z - gene_mean[None, :] - z.mean(axis=1)[:, None] + gene_mean.mean()
        s2 = (resid**2).sum(axis=0) / (z.shape[0] - 1)
        var = (s2 - s2.sum() / (k * (k - 1))) / (1 - 2 / k)
        for i in np.flatnonzero(var < 0):
            pair_var = [np.var(z[:, i] - z[:, j], ddof=1) for j in range(k) if j != i]
            var[i] = min(pair_var) / 4
        sigma2[:, gi] = var
        means[:, gi] = gene_mean
    d = means - means.mean(axis=1, keepdims=True) - means.mean(axis=0, keepdims=True) + means.mean()
    vd = sigma2 / sizes[None, :]
    gamma2 = float(max((d**2).sum() / ((n_grp - 1) * (k - 1)) - vd.sum() / (k * n_grp), 0.0))
    shrink = gamma2 / (gamma2 + vd) if gamma2 > 0 else np.zeros_like(vd)
    d_new = d * shrink
    v_new = vd + vd * shrink
    rho = (np.abs(d_new) + np.sqrt(v_new)).mean(axis=1)
    pooled_sd = np.sqrt(((sizes - 1)[None, :] * sigma2).sum(axis=1) / (sizes.sum() - n_grp))
    table = pd.DataFrame(
        {
            "gene": genes,
            "stability": rho,
            "intragroup_sd": pooled_sd,
            "group_difference": 2 * np.abs(d).max(axis=1),
        }
    ).sort_values("stability", kind="stable")
    table["rank"] = np.arange(1, k + 1)
    pairs = []
    for a in range(k):
        for b in range(a + 1, k):
            bias = np.abs(d_new[a] + d_new[b]) * np.sqrt(k / (k - 2)) / 2
            spread = np.sqrt(v_new[a] + v_new[b]) / 2
            pairs.append(
                {"gene1": genes[a], "gene2": genes[b], "stability": float((bias + spread).mean())}
            )
    pair_table = pd.DataFrame(pairs).sort_values("stability", kind="stable")
    return NormFinderResult(table.reset_index(drop=True), pair_table.reset_index(drop=True), gamma2)
