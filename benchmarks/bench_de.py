"""Time exodisc's DESeq2 engine against R DESeq2 and PyDESeq2 on the same matrices.

Usage (from the repository root, shared data beside it)::

    PYTHONPATH=src python benchmarks/bench_de.py [--data ../shared/data] [--large] [--pydeseq2]
    PYTHONPATH=src python benchmarks/bench_de.py --memory   # peak memory, 60,000 x 200 only

Datasets: airway (64,102 genes x 8 samples, ``~ celltype + dex``) and, with ``--large``, a
60,000 x 48 paired matrix (24 donors x 2 conditions) simulated from airway's fitted means and
dispersions. R DESeq2 runs when ``Rscript`` is on PATH (``DESeq()`` + ``results()``, timed
inside R); PyDESeq2 only with ``--pydeseq2`` (it takes minutes). Prints wall and CPU seconds
and the ratios R / exodisc and PyDESeq2 / exodisc; peak memory of our run is reported from
``tracemalloc`` (NumPy allocations). ``--memory`` runs only ours on a 60,000 x 200 matrix
(100 donors x 2 conditions, simulated the same way) and prints the tracemalloc peak of the fit
and the process's peak resident set size (``resource.getrusage``; includes the input matrix
and the interpreter); target < 2 GB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from anndata import AnnData

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

R_SCRIPT = r"""
suppressPackageStartupMessages(library(DESeq2))
a <- commandArgs(trailingOnly = TRUE)
cts <- as.matrix(read.delim(a[1], row.names = 1, check.names = FALSE))
sh <- read.delim(a[2], row.names = 1)
sh$cond <- relevel(factor(sh$cond), ref = "ref")
sh$donor <- factor(sh$donor)
t0 <- proc.time()
dds <- DESeq(DESeqDataSetFromMatrix(cts, sh, ~ donor + cond), quiet = TRUE)
res <- results(dds, contrast = c("cond", "trt", "ref"))
t1 <- proc.time()
d <- t1 - t0
cat(sprintf("%.3f %.3f\n", d[["elapsed"]], d[["user.self"]] + d[["sys.self"]]))
"""


def airway(data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = pd.read_csv(data / "rnaseq" / "airway" / "airway_rawcounts.csv", index_col=0)
    md = pd.read_csv(data / "rnaseq" / "airway" / "airway_metadata.csv", index_col=0)
    c = c[md.index]
    sheet = pd.DataFrame(
        {"donor": md["celltype"], "cond": np.where(md["dex"] == "treated", "trt", "ref")},
        index=md.index,
    )
    return c, sheet


def simulate_large(data: Path, n_genes: int, n_donors: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts simulated from airway's fitted base means and dispersions (ours)."""
    from exodisc.omics.de import run_de

    c, sheet = airway(data)
    res = run_de(_adata(c, sheet), "~ donor + cond", "cond,trt,ref").table
    ok = res["dispersion"].notna() & (res["base_mean"] > 0)
    rng = np.random.default_rng(1)
    pick = rng.choice(np.flatnonzero(ok), n_genes, replace=True)
    mean = res["base_mean"].to_numpy()[pick]
    disp = res["dispersion"].to_numpy()[pick]
    lfc = np.where(rng.random(n_genes) < 0.1, rng.normal(0, 1.5, n_genes), 0.0)
    cols, rows = [], []
    for d in range(n_donors):
        de = rng.normal(0, 0.2, n_genes)
        for cond in ("ref", "trt"):
            mu = mean * np.exp(de) * (2.0**lfc if cond == "trt" else 1.0)
            size = 1 / disp
            cols.append(rng.negative_binomial(size, size / (size + mu)))
            rows.append((f"D{d}_{cond}", f"D{d}", cond))
    counts = pd.DataFrame(
        np.column_stack(cols),
        index=[f"g{i}" for i in range(n_genes)],
        columns=[r[0] for r in rows],
    )
    sheet = pd.DataFrame(
        {"donor": [r[1] for r in rows], "cond": [r[2] for r in rows]}, index=counts.columns
    )
    return counts, sheet


def _adata(counts: pd.DataFrame, sheet: pd.DataFrame) -> AnnData:
    from exodisc.omics.de import counts_to_anndata

    return counts_to_anndata(counts, sheet)


def time_ours(counts: pd.DataFrame, sheet: pd.DataFrame) -> tuple[float, float, float]:
    from exodisc.omics.de import run_de

    adata = _adata(counts, sheet)
    run_de(adata[:, :200].copy(), "~ donor + cond", "cond,trt,ref")  # imports, warm-up
    w, c = time.perf_counter(), time.process_time()
    run_de(adata, "~ donor + cond", "cond,trt,ref")
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    tracemalloc.start()  # separate run: tracing slows allocations
    run_de(adata, "~ donor + cond", "cond,trt,ref")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak


def time_r(counts: pd.DataFrame, sheet: pd.DataFrame) -> tuple[float, float] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        counts.to_csv(t / "c.tsv", sep="\t")
        sheet.to_csv(t / "s.tsv", sep="\t")
        (t / "run.R").write_text(R_SCRIPT)
        out = subprocess.run(
            ["Rscript", str(t / "run.R"), str(t / "c.tsv"), str(t / "s.tsv")],
            capture_output=True,
            text=True,
            check=True,
        )
    wall, cpu = (float(v) for v in out.stdout.split())
    return wall, cpu


def time_pydeseq2(counts: pd.DataFrame, sheet: pd.DataFrame) -> float:
    from pydeseq2.dds import DeseqDataSet
    from pydeseq2.default_inference import DefaultInference
    from pydeseq2.ds import DeseqStats

    w = time.perf_counter()
    dds = DeseqDataSet(
        counts=counts.T,
        metadata=sheet,
        design="~ donor + cond",
        inference=DefaultInference(n_cpus=1),
        quiet=True,
    )
    dds.deseq2()
    st = DeseqStats(dds, contrast=["cond", "trt", "ref"], quiet=True)
    st.summary()
    return time.perf_counter() - w


def memory(data: Path) -> None:
    """Peak memory of one run_de on 60,000 x 200 (100 donors x 2 conditions)."""
    import resource

    from exodisc.omics.de import run_de

    counts, sheet = simulate_large(data, 60000, 100)
    adata = _adata(counts, sheet)
    del counts
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    w = time.perf_counter()
    tracemalloc.start()
    run_de(adata, "~ donor + cond", "cond,trt,ref")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    wall = time.perf_counter() - w
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(
        f"60000x200 (~ donor + cond, 101 coefficients): {wall:.1f} s (traced), tracemalloc "
        f"peak {peak:.0f} MB, process peak RSS {rss:.0f} MB (before the fit {base:.0f} MB)",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--large", action="store_true", help="also 60,000 x 48 simulated")
    ap.add_argument("--pydeseq2", action="store_true", help="also time PyDESeq2 (slow)")
    ap.add_argument("--memory", action="store_true", help="only peak memory on 60,000 x 200")
    args = ap.parse_args()
    if args.memory:
        memory(args.data)
        return
    cases = {"airway 64102x8": airway(args.data)}
    if args.large:
        cases["simulated 60000x48"] = simulate_large(args.data, 60000, 24)
    print(
        f"{'dataset':20s} {'ours wall':>9s} {'ours cpu':>8s} {'peak MB':>7s} {'R wall':>7s} "
        f"{'R cpu':>7s} {'R/ours wall':>11s} {'R/ours cpu':>10s} {'PyDESeq2':>8s} {'Py/ours':>7s}"
    )
    for name, (counts, sheet) in cases.items():
        wall, cpu, peak = time_ours(counts, sheet)
        r = time_r(counts, sheet)
        py = time_pydeseq2(counts, sheet) if args.pydeseq2 else None
        r_txt = (
            f"{r[0]:7.2f} {r[1]:7.2f} {r[0] / wall:11.1f} {r[1] / cpu:10.1f}"
            if r
            else f"{'-':>7s} {'-':>7s} {'-':>11s} {'-':>10s}"
        )
        p_txt = f"{py:8.1f} {py / wall:7.1f}" if py else f"{'-':>8s} {'-':>7s}"
        print(f"{name:20s} {wall:9.2f} {cpu:8.2f} {peak:7.0f} {r_txt} {p_txt}", flush=True)


if __name__ == "__main__":
    main()
