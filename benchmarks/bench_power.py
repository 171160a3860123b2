"""Time the RNA-seq power simulation: n_sim studies x 9 sample sizes through exodisc's DESeq2.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/bench_power.py                 # 100 sims x n = 2..10
    PYTHONPATH=src python benchmarks/bench_power.py --sims 5 --genes 2000   # a quick look

The fit simulated from: ``--genes`` features with log-normal means (median ~150 counts) and
DESeq2-like dispersions 0.05 + 1 / mean, 5 % of them with |log2FC| = 1 (the study's own fit is
used by ``exodisc run``; here a fixed, reproducible one). The sample sizes are spread over
``--jobs`` worker processes (default 2, the target machine's cores). Prints wall minutes in
total and seconds per simulated study.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _fit(genes: int) -> pd.DataFrame:
    rng = np.random.default_rng(2013)
    mu = np.exp(rng.normal(5.0, 1.5, genes))
    return pd.DataFrame(
        {
            "feature_id": [f"g{i}" for i in range(genes)],
            "base_mean": mu,
            "dispersion": 0.05 + 1.0 / mu,
            "log2_fold_change": 0.0,
            "padj": 1.0,
        }
    )


def _one(args: tuple[int, int, int]) -> pd.DataFrame:
    from threadpoolctl import threadpool_limits

    from exodisc.power import simulate_rnaseq

    genes, n, sims = args
    with threadpool_limits(1):
        res = simulate_rnaseq(
            _fit(genes), n_per_group=[n], n_sim=sims, fraction=0.05, log2_fc=1.0, seed=1
        )
    return res.summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--genes", type=int, default=15_000)
    ap.add_argument("--sims", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(range(2, 11)))
    a = ap.parse_args()
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.jobs) as pool:
        parts = list(pool.map(_one, [(a.genes, n, a.sims) for n in sorted(a.sizes, reverse=True)]))
    wall = time.perf_counter() - t0
    summary = pd.concat(parts).sort_values("n")
    studies = a.sims * len(a.sizes)
    print(summary[["n", "n_sim", "true_de", "true_found_mean", "fdp_mean", "sensitivity"]]
          .to_string(index=False))  # fmt: skip
    print(
        f"RNA-seq power simulation: {a.sims} sims x {len(a.sizes)} sample sizes "
        f"({studies} DESeq2 fits of {a.genes:,} features) on {a.jobs} processes: "
        f"{wall / 60:.2f} min wall ({wall / studies:.2f} s per simulated study)"
    )


if __name__ == "__main__":
    main()
