"""Time the vectorised ceRNA pair statistics against a straightforward per-pair version.

Usage::

    PYTHONPATH=src python benchmarks/bench_cerna.py [--scale full|medium|small]

1. On a subset, the per-pair implementation (Python loops over pairs, scipy per pair: the way
   GDCRNATools' ``gdcCEAnalysis`` loops in R) and :func:`exodisc.omics.cerna.cerna_pairs`
   must give identical numbers (max |difference| printed); the ratio of their times is printed.
2. At the requested scale (full: 16,000 lncRNAs x 20,000 mRNAs x 2,600 miRNAs, 9 samples,
   interaction densities of the GDCRNATools tables), all pairs are tested (no DE filter), the
   BH FDR is computed over all of them, and the pairs with FDR < 0.01 get the miRNA terms.
   Wall time and peak resident memory are printed (target: < 120 s, < 4 GB on 2 cores).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd
from scipy import stats

from exodisc.omics.cerna import cerna_pairs

SCALES = {
    "full": (16_000, 20_000, 2_600),
    "medium": (4_000, 5_000, 1_000),
    "small": (800, 1_000, 400),
}


def simulate(n_l: int, n_m: int, n_mir: int, seed: int = 0):
    """Targets with family structure (so that some pairs overlap strongly) and expression."""
    rng = np.random.default_rng(seed)
    mirs = np.array([f"hsa-miR-{i}-5p" for i in range(n_mir)])
    n_fam = max(4, n_mir // 26)
    fam = rng.integers(0, n_fam, n_mir)
    members = [np.flatnonzero(fam == f) for f in range(n_fam)]

    def targets(prefix: str, n: int, mean: int) -> pd.DataFrame:
        sizes = rng.poisson(mean, n) + 1
        prefs = rng.integers(0, n_fam, n)
        rows_f, rows_m = [], []
        for i in range(n):
            own = members[prefs[i]]
            k_own = min(len(own), sizes[i] // 3)
            pick = np.concatenate(
                [rng.choice(own, k_own, replace=False), rng.integers(0, n_mir, sizes[i] - k_own)]
            )
            pick = np.unique(pick)
            rows_f.append(np.full(len(pick), i))
            rows_m.append(pick)
        f = np.concatenate(rows_f)
        m = np.concatenate(rows_m)
        ids = np.array([f"{prefix}{i:06d}" for i in range(n)])
        return pd.DataFrame({"feature_id": ids[f], "mirna": mirs[m]}), ids

    tl, lid = targets("L", n_l, 25)
    tp, mid = targets("G", n_m, 95)
    samples = [f"s{i}" for i in range(9)]
    lat = rng.normal(size=(3, 9))

    def expr(ids: np.ndarray) -> pd.DataFrame:
        x = rng.normal(size=(len(ids), 3)) @ lat + rng.normal(size=(len(ids), 9))
        return pd.DataFrame(x, index=ids, columns=samples)

    return expr(lid), expr(mid), tl, tp, expr(mirs)


def per_pair(ec, em, tl, tp, emi) -> pd.DataFrame:
    """The straightforward implementation: one pair at a time, scipy for every statistic."""
    lt = tl.groupby("feature_id")["mirna"].apply(set).to_dict()
    pt = tp.groupby("feature_id")["mirna"].apply(set).to_dict()
    big_n = len(set().union(*lt.values(), *pt.values()))
    rows = []
    for ce in sorted(lt):
        for mr in sorted(pt):
            shared = sorted(lt[ce] & pt[mr])
            if not shared:
                continue
            hp = stats.hypergeom(big_n, len(pt[mr]), len(lt[ce])).sf(len(shared) - 1)
            x, y = ec.loc[ce].to_numpy(), em.loc[mr].to_numpy()
            res = stats.pearsonr(x, y, alternative="greater")
            r = res.statistic
            ms = [m for m in shared if m in emi.index]
            a = np.array([stats.pearsonr(x, emi.loc[m].to_numpy()).statistic for m in ms])
            b = np.array([stats.pearsonr(y, emi.loc[m].to_numpy()).statistic for m in ms])
            reg = 1 - np.mean((np.abs(a - b) / (np.abs(a) + np.abs(b))) ** len(ms))
            sens = np.mean(r - (r - a * b) / (np.sqrt(1 - a**2) * np.sqrt(1 - b**2)))
            rows.append((ce, mr, len(shared), hp, r, res.pvalue, reg, sens))
    out = pd.DataFrame(
        rows,
        columns=[
            "cerna",
            "mrna",
            "shared_mirnas",
            "hyper_p",
            "pearson_r",
            "pearson_p",
            "reg_sim",
            "sens_corr",
        ],
    )
    out["hyper_fdr"] = stats.false_discovery_control(out["hyper_p"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="full")
    ap.add_argument("--max-fdr", type=float, default=0.01)
    args = ap.parse_args()

    ec, em, tl, tp, emi = simulate(15, 25, 400, seed=1)
    t0 = time.perf_counter()
    ref = per_pair(ec, em, tl, tp, emi)
    t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = cerna_pairs(ec, em, targets_cerna=tl, targets_mrna=tp, expr_mirna=emi).table
    t_ours = time.perf_counter() - t0
    m = ours.merge(ref, on=["cerna", "mrna"], suffixes=("", "_ref"), validate="1:1")
    assert len(m) == len(ref) == len(ours)
    diff = max(
        float(np.nanmax(np.abs(m[c] - m[f"{c}_ref"])))
        for c in [
            "shared_mirnas",
            "hyper_p",
            "hyper_fdr",
            "pearson_r",
            "pearson_p",
            "reg_sim",
            "sens_corr",
        ]
    )
    print(f"subset: {len(ref)} pairs; per-pair {t_ref:.2f} s, vectorised {t_ours:.3f} s")
    print(f"  max |difference| over all statistics: {diff:.2e}")
    print(f"  ratio per-pair / vectorised: {t_ref / t_ours:.0f}x")

    n_l, n_m, n_mir = SCALES[args.scale]
    t0 = time.perf_counter()
    ec, em, tl, tp, emi = simulate(n_l, n_m, n_mir)
    t_sim = time.perf_counter() - t0
    print(
        f"{args.scale}: {n_l} lncRNAs x {n_m} mRNAs x {n_mir} miRNAs, 9 samples "
        f"({len(tl)} + {len(tp)} interactions; simulated in {t_sim:.1f} s)"
    )
    t0 = time.perf_counter()
    res = cerna_pairs(
        ec,
        em,
        targets_cerna=tl,
        targets_mrna=tp,
        expr_mirna=emi,
        max_fdr=args.max_fdr,
        mirna_names=False,
    )
    t_full = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    per_pair_s = t_ref / len(ref)
    print(
        f"  {res.n_tested:,} pairs tested, {len(res.table):,} with FDR <= {args.max_fdr} "
        f"(with reg_sim / sens_corr) in {t_full:.1f} s; peak RSS {peak:.2f} GB"
    )
    print(
        f"  per-pair implementation, extrapolated: {per_pair_s * res.n_tested / 3600:.0f} h "
        f"(ratio {per_pair_s * res.n_tested / t_full:.0f}x)"
    )


if __name__ == "__main__":
    main()
