"""Preranked GSEA on MSigDB Hallmark, exodisc ``rng="gseapy"`` vs ``gseapy.prerank`` itself.

Run: PYTHONPATH=src python benchmarks/bench_enrichment_gsea.py [--shared ../shared]
Needs ../shared/data (h.all.v7.0.symbols.gmt.gz) and, for the ratio, gseapy (Rust engine,
``threads=1``). The ranking is the stored gseapy fixture (tests/reference/gsea_gseapy, 4,382
genes, 50 sets); 1,000 permutations, seed 11 — both sides compute the same permutations and
the same numbers. Prints wall and CPU time, best of ``--repeats``, and the ratio
gseapy / exodisc (> 1: exodisc is faster). The issue's target is a ratio >= 1.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _best(fn, repeats: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), out


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser()
    found = next((p / "shared" for p in here.parents if (p / "shared" / "data").is_dir()), None)
    ap.add_argument("--shared", default=os.environ.get("EXODISC_SHARED", found))
    ap.add_argument("--permutations", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print exodisc's cProfile top 15")
    args = ap.parse_args()
    gmt = Path(args.shared) / "data" / "gene_sets" / "h.all.v7.0.symbols.gmt.gz"
    ranking = pd.read_csv(here / "tests/reference/gsea_gseapy/ranking.tsv.gz", sep="\t")

    from exodisc.omics.enrichment import gsea
    from exodisc.omics.resources import read_gmt

    gs = read_gmt(gmt)
    kw = {"permutations": args.permutations, "seed": 11, "min_size": 15, "max_size": 500}

    def ours() -> pd.DataFrame:
        return gsea(ranking, gs, rng="gseapy", **kw).table  # type: ignore[arg-type]

    print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{len(ranking)} ranked genes, {len(gs)} Hallmark sets, {args.permutations} perms")
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("ours()", globals(), {"ours": ours}, "/tmp/exodisc_gsea.prof")
        pstats.Stats("/tmp/exodisc_gsea.prof").sort_stats("tottime").print_stats(15)
    w_ours, c_ours, tab = _best(ours, args.repeats)
    print(f"exodisc gsea(rng='gseapy'): {w_ours:.2f} s wall, {c_ours:.2f} s CPU")
    try:
        import gseapy
    except ImportError:
        print("gseapy is not installed: no ratio (pip install gseapy)")
        return
    sets = {k: list(v) for k, v in gs.sets.items()}

    def theirs() -> pd.DataFrame:
        res = gseapy.prerank(
            rnk=ranking,
            gene_sets=sets,
            permutation_num=args.permutations,
            min_size=15,
            max_size=500,
            seed=11,
            threads=1,
            outdir=None,
            no_plot=True,
            verbose=False,
        )
        return res.res2d.set_index("Term")

    w_ref, c_ref, ref = _best(theirs, args.repeats)
    print(f"gseapy {gseapy.__version__} prerank: {w_ref:.2f} s wall, {c_ref:.2f} s CPU")
    got = tab.set_index("term").loc[ref.index]  # type: ignore[union-attr]
    d_nes = np.abs(got["nes"].to_numpy() - ref["NES"].astype(float).to_numpy()).max()
    print(f"same numbers: max |NES difference| {d_nes:.1e}")
    print(
        f"ratio gseapy / exodisc: {w_ref / w_ours:.2f} wall, {c_ref / c_ours:.2f} CPU "
        f"(target >= 1: {'met' if w_ref / w_ours >= 1 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
