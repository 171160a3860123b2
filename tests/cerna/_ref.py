"""Independent per-pair computation of the gdcCEAnalysis statistics with plain scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def reference_pair(
    ce: str,
    mr: str,
    expr_cerna: pd.DataFrame,
    expr_mrna: pd.DataFrame,
    tc: dict[str, set[str]],
    tp: dict[str, set[str]],
    population: int,
    expr_mirna: pd.DataFrame | None = None,
) -> dict[str, float]:
    shared = sorted(tc[ce] & tp[mr])
    k, big_k, n = len(shared), len(tp[mr]), len(tc[ce])
    hyper = stats.hypergeom(population, big_k, n).sf(k - 1)
    samples = [s for s in expr_cerna.columns if s in expr_mrna.columns]
    x = expr_cerna.loc[ce, samples].to_numpy(float)
    y = expr_mrna.loc[mr, samples].to_numpy(float)
    res = stats.pearsonr(x, y, alternative="greater")
    out = {
        "k": k,
        "hyper_p": hyper,
        "r": res.statistic,
        "p": res.pvalue,
        "mirnas": ";".join(shared),
    }
    if expr_mirna is not None:
        ms = [m for m in shared if m in expr_mirna.index]
        msamp = [s for s in samples if s in expr_mirna.columns]
        r = stats.pearsonr(expr_cerna.loc[ce, msamp], expr_mrna.loc[mr, msamp]).statistic
        regs, sens = [], []
        for m in ms:
            z = expr_mirna.loc[m, msamp].to_numpy(float)
            a = stats.pearsonr(expr_cerna.loc[ce, msamp], z).statistic
            b = stats.pearsonr(expr_mrna.loc[mr, msamp], z).statistic
            regs.append((abs(a - b) / (abs(a) + abs(b))) ** len(ms))
            sens.append(r - (r - a * b) / (np.sqrt(1 - a**2) * np.sqrt(1 - b**2)))
        out["reg_sim"] = 1 - float(np.mean(regs)) if ms else np.nan
        out["sens_corr"] = float(np.mean(sens)) if ms else np.nan
    return out
