"""Agreement of qPCR and RNA-seq log2 fold changes (the paper validates RNA-seq by qPCR)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import DesignError, SchemaError

__all__ = ["RnaseqAgreement", "rnaseq_agreement"]


@dataclass(frozen=True)
class RnaseqAgreement:
    """Result of :func:`rnaseq_agreement`.

    Attributes
    ----------
    table
        One row per gene measured both ways: ``gene``, ``log2fc_qpcr``, ``log2fc_rnaseq``,
        ``same_sign``.
    summary
        One row: ``n_genes``, ``sign_agreement`` (fraction), ``pearson_r``, ``pearson_p``,
        ``spearman_rho``, ``spearman_p`` (NaN, with ``note``, when fewer than 3 genes).
    params
        Gene-name matching used.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def rnaseq_agreement(
    qpcr: pd.DataFrame,
    rnaseq: pd.DataFrame,
    *,
    case_sensitive: bool = False,
) -> RnaseqAgreement:
    """Sign agreement and correlation of log2 fold changes for genes measured both ways.

    Parameters
    ----------
    qpcr
        ``gene``, ``log2fc`` (e.g. mean −ΔΔCt of a group vs the calibrator group).
    rnaseq
        ``gene``, ``log2fc`` of the same contrast from the differential-expression analysis.
    case_sensitive
        Match gene symbols exactly; default ignores case (``Sox9`` = ``SOX9``).

    Returns
    -------
    RnaseqAgreement

    Notes
    -----
    R equivalent: ``mean(sign(a) == sign(b))``; ``cor.test(a, b)`` (Pearson) and
    ``cor.test(a, b, method = "spearman", exact = FALSE)`` (the t approximation; R's default
    exact P for n < 10 differs).
    """
    from scipy import stats as sps

    for name, df in (("qpcr", qpcr), ("rnaseq", rnaseq)):
        missing = [c for c in ("gene", "log2fc") if c not in df.columns]
        if missing:
            msg = f"{name} table lacks column(s) {missing}; it has {list(df.columns)}"
            raise SchemaError(msg)

    def key(s: pd.Series) -> pd.Series:
        return s.astype(str) if case_sensitive else s.astype(str).str.upper()

    a = qpcr.assign(_k=key(qpcr["gene"]))[["_k", "gene", "log2fc"]]
    b = rnaseq.assign(_k=key(rnaseq["gene"]))[["_k", "log2fc"]]
    for name, df in (("qpcr", a), ("rnaseq", b)):
        dup = sorted(df.loc[df["_k"].duplicated(), "_k"].unique())
        if dup:
            raise SchemaError(f"{name} table lists gene(s) {dup} more than once")
    m = a.merge(b, on="_k", suffixes=("_qpcr", "_rnaseq"))
    m = m[np.isfinite(m["log2fc_qpcr"]) & np.isfinite(m["log2fc_rnaseq"])]
    if m.empty:
        raise DesignError("no gene has a finite log2 fold change in both the qPCR and RNA-seq")
    m = m.sort_values("gene").reset_index(drop=True)
    table = pd.DataFrame(
        {
            "gene": m["gene"],
            "log2fc_qpcr": m["log2fc_qpcr"].astype(float),
            "log2fc_rnaseq": m["log2fc_rnaseq"].astype(float),
            "same_sign": np.sign(m["log2fc_qpcr"]) == np.sign(m["log2fc_rnaseq"]),
        }
    )
    n = len(table)
    row: dict[str, Any] = {
        "n_genes": n,
        "sign_agreement": float(table["same_sign"].mean()),
        "pearson_r": np.nan,
        "pearson_p": np.nan,
        "spearman_rho": np.nan,
        "spearman_p": np.nan,
        "note": "",
    }
    if n >= 3:
        pr = sps.pearsonr(table["log2fc_qpcr"], table["log2fc_rnaseq"])
        sr = sps.spearmanr(table["log2fc_qpcr"], table["log2fc_rnaseq"])
        row.update(
            pearson_r=float(pr.statistic),
            pearson_p=float(pr.pvalue),
            spearman_rho=float(sr.statistic),
            spearman_p=float(sr.pvalue),
        )
    else:
        row["note"] = f"correlation needs at least 3 genes measured both ways; found {n}"
    return RnaseqAgreement(table, pd.DataFrame([row]), {"case_sensitive": case_sensitive})
