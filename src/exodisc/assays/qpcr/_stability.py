"""Reference-gene stability: geNorm M and pairwise variation V (Vandesompele et al. 2002)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = ["genorm"]


def _m_values(log2q: pd.DataFrame) -> pd.Series:
    genes = list(log2q.columns)
    m = {}
    for j in genes:
        v = [float(np.std(log2q[j] - log2q[k], ddof=1)) for k in genes if k != j]
        m[j] = float(np.mean(v))
    return pd.Series(m)


def genorm(ct: pd.DataFrame, *, efficiency: dict[str, float] | None = None) -> pd.DataFrame:
    """geNorm gene-stability measure M with stepwise exclusion, and pairwise variation V.

    Parameters
    ----------
    ct
        Mean Ct per sample (rows) and candidate reference gene (columns); samples with a
        missing value are left out.
    efficiency
        Amplification factor per gene (default 2).

    Returns
    -------
    pandas.DataFrame
        One row per gene in geNorm's ranking (least stable first): ``gene``, ``m_all`` (M
        among all candidates), ``m_at_exclusion`` (M when the gene was excluded; the last two
        share the final M), ``rank`` (1 = most stable), ``v_pair`` (``V n/n+1`` of the
        normalisation factor that adds this gene, labelled ``"V2/3"`` … in ``v_label``).

    Notes
    -----
    M_j is the mean standard deviation (n − 1) of the log2 ratios of gene j to every
    other candidate across samples; the gene with the highest M is removed and M recomputed
    until two remain. V n/n+1 is the SD of log2(NF_n / NF_n+1), NF being the geometric mean
    of the n most stable genes; V < 0.15 means n genes suffice. R equivalent:
    ``NormqPCR::selectHKs(method = "geNorm", log = FALSE)`` or ``ctrlGene::geNorm``.
    Vandesompele et al. 2002, Genome Biol 3:research0034.
    """
    data = ct.dropna(axis=0, how="any")
    genes = list(data.columns)
    if len(genes) < 2:
        raise DesignError(f"geNorm needs at least 2 candidate reference genes; got {genes}")
    if len(data) < 3:
        msg = f"geNorm needs at least 3 samples with every candidate measured; got {len(data)}"
        raise DesignError(msg)
    eff = efficiency or {}
    log2q = pd.DataFrame(
        {g: -data[g].astype(float) * np.log2(eff.get(g, 2.0)) for g in genes}, index=data.index
    )
    m_all = _m_values(log2q)
    remaining = list(genes)
    excluded: list[tuple[str, float]] = []
    while len(remaining) > 2:
        m = _m_values(log2q[remaining])
        worst = str(m.sort_values(kind="stable").index[-1])
        excluded.append((worst, float(m[worst])))
        remaining.remove(worst)
    m_last = _m_values(log2q[remaining])
    order = [g for g, _ in excluded] + sorted(remaining, key=lambda g: -m_last[g])
    m_exc = dict(excluded) | {g: float(m_last[g]) for g in remaining}
    best_first = list(reversed(order))
    v: dict[str, float] = {}
    label: dict[str, str] = {}
    for n in range(2, len(best_first)):
        nf_n = log2q[best_first[:n]].mean(axis=1)
        nf_n1 = log2q[best_first[: n + 1]].mean(axis=1)
        g = best_first[n]
        v[g] = float(np.std(nf_n - nf_n1, ddof=1))
        label[g] = f"V{n}/{n + 1}"
    rows = [
        {
            "gene": g,
            "m_all": float(m_all[g]),
            "m_at_exclusion": m_exc[g],
            "rank": best_first.index(g) + 1,
            "v_label": label.get(g, ""),
            "v_pair": v.get(g, np.nan),
        }
        for g in order
    ]
    return pd.DataFrame(rows)
