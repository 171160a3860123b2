"""Time the RNA-seq power simulation: n_sim studies x 9 sample sizes through exodisc's DESeq2.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/bench_power.py                 # 100 sims x n = 2..10
    PYTHONPATH=src python benchmarks/bench_power.py --sims 5 --genes 2000   # a quick look

The fit simulated from: ``--genes`` features (default 10,000, the expressed genes of a typical
mRNA-seq study after DESeq2 drops the all-zero ones) with log-normal means (median ~150 counts)
and DESeq2-like dispersions 0.05 + 1 / mean, 5 % of them with |log2FC| = 1 (``exodisc run``
uses the study's own fit; here a fixed, reproducible one). Every simulated study is a full
``run_de`` (size factors, dispersions, Wald test, Cook's distances, independent filtering),
spread over ``--jobs`` worker processes (default 2, the target machine's cores) by
``simulate_rnaseq(jobs=)`` itself.

Prints the wall time in total, per simulated study, and for comparison one ``exodisc de``
command (a fresh process: start-up, reading, DESeq2, writing) on a simulated study of the
same size (n = 6 per group).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


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


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _one_de_command(fit: pd.DataFrame, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of one ``exodisc de`` run on a study simulated from ``fit``."""
    rng = np.random.default_rng(7)
    mu = fit["base_mean"].to_numpy()
    size = 1.0 / fit["dispersion"].to_numpy()[:, None]
    counts = rng.negative_binomial(size, size / (size + np.repeat(mu[:, None], 2 * n, 1)))
    names = [f"ref_{i}" for i in range(n)] + [f"test_{i}" for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        pd.DataFrame(counts, index=fit["feature_id"], columns=names).to_csv(
            d / "counts.tsv", sep="\t", index_label="feature_id"
        )
        pd.DataFrame({"sample": names, "group": ["ref"] * n + ["test"] * n}).to_csv(
            d / "samples.csv", index=False
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        exodisc = str(Path(sys.executable).with_name("exodisc"))  # the installed command
        cmd = [sys.executable, exodisc, "de", str(d / "counts.tsv"),
               "--samples", str(d / "samples.csv"), "--design", "~ group",
               "--contrast", "group,test,ref", "-o", str(d / "de.tsv")]  # fmt: skip
        t0, c0 = time.perf_counter(), _cpu()
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        return time.perf_counter() - t0, _cpu() - c0


def main() -> None:
    from exodisc.power import simulate_rnaseq

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--genes", type=int, default=10_000)
    ap.add_argument("--sims", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(range(2, 11)))
    a = ap.parse_args()
    fit = _fit(a.genes)
    t0, c0 = time.perf_counter(), _cpu()
    res = simulate_rnaseq(
        fit, n_per_group=a.sizes, n_sim=a.sims, fraction=0.05, log2_fc=1.0, seed=1, jobs=a.jobs
    )
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    studies = a.sims * len(a.sizes)
    print(res.summary[["n", "n_sim", "true_de", "true_found_mean", "fdp_mean", "sensitivity"]]
          .to_string(index=False))  # fmt: skip
    print(
        f"RNA-seq power simulation: {a.sims} sims x {len(a.sizes)} sample sizes "
        f"({studies} DESeq2 fits of {a.genes:,} features) in {a.jobs} processes: "
        f"{wall / 60:.2f} min wall ({wall / studies:.3f} s per simulated study); "
        f"{cpu / 60:.2f} min CPU ({cpu / studies:.3f} s per study), i.e. "
        f"{cpu / a.jobs / 60:.2f} min on {a.jobs} free cores (load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    one_wall, one_cpu = _one_de_command(fit, 6)
    print(
        f"one `exodisc de` command on the same size (n = 6 per group, a fresh process): "
        f"{one_wall:.2f} s wall, {one_cpu:.2f} s CPU; a simulated study costs "
        f"{cpu / studies / one_cpu:.2f}x its CPU"
    )


if __name__ == "__main__":
    main()
