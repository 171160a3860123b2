"""Time the whole statistics pass of a study: 10 assays x 5 groups x 3 replicates.

For each assay: one-way ANOVA + SPSS-style Bonferroni over the paper's 4 declared comparisons
(``*`` vs Control, ``#`` vs IL-1β), descriptives, assumption checks and effect sizes — what
``exodisc run`` does per assay. Compared with pingouin (``anova`` + ``pairwise_tests`` with
Bonferroni, which tests all 10 pairs with separate t-tests) on the same tables, and with R
(``aov`` + ``pairwise.t.test``) when ``Rscript`` is on PATH (R start-up excluded).

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_stats.py``. Target: < 1 s in total.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.stats import compare_groups

GROUPS = ["ctrl", "il1b", "usc", "usc_gw", "exo"]
COMPARISONS = [("il1b", "ctrl", "*"), ("usc", "il1b", "#"), ("usc_gw", "il1b", "#"),
               ("exo", "il1b", "#")]  # fmt: skip


def tables(n_assays: int = 10, seed: int = 1) -> list[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    effect = np.repeat([1.0, 0.45, 0.72, 0.5, 0.85], 3)
    return [
        pd.DataFrame({"group": np.repeat(GROUPS, 3), "value": effect + rng.normal(0, 0.06, 15)})
        for _ in range(n_assays)
    ]


def ours(data: list[pd.DataFrame]) -> float:
    t0 = time.perf_counter()
    for df in data:
        compare_groups(df, value="value", group="group", comparisons=COMPARISONS, order=GROUPS)
    return time.perf_counter() - t0


def pingouin(data: list[pd.DataFrame]) -> float:
    import pingouin as pg

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for df in data:
            pg.anova(df, dv="value", between="group")
            pg.pairwise_tests(df, dv="value", between="group", padjust="bonf")
    return time.perf_counter() - t0


def r_time(data: list[pd.DataFrame]) -> float | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, df in enumerate(data):
            p = Path(tmp) / f"t{i}.tsv"
            df.to_csv(p, sep="\t", index=False)
            paths.append(str(p))
        script = (
            "files <- commandArgs(TRUE); ds <- lapply(files, read.delim);"
            "t0 <- proc.time()[['elapsed']];"
            "for (d in ds) { summary(aov(value ~ group, d));"
            " pairwise.t.test(d$value, d$group, pool.sd = TRUE, p.adjust.method = 'bonferroni');"
            " shapiro.test(residuals(aov(value ~ group, d))) };"
            "cat(proc.time()[['elapsed']] - t0)"
        )
        out = subprocess.run(
            ["Rscript", "-e", script, *paths], capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip().split()[-1])


def main() -> None:
    data = tables()
    ours(data[:1])  # warm the imports
    t_ours = min(ours(data) for _ in range(3))
    print(f"exodisc: 10 assays x 5 groups x 3 replicates: {t_ours:.3f} s (target < 1 s)")
    t_pg = min(pingouin(data) for _ in range(3))
    print(f"pingouin anova + pairwise_tests: {t_pg:.3f} s; ratio pingouin/exodisc = "
          f"{t_pg / t_ours:.2f}")  # fmt: skip
    t_r = r_time(data)
    if t_r is not None:
        print(f"R aov + pairwise.t.test + shapiro: {t_r:.3f} s; ratio R/exodisc = "
              f"{t_r / t_ours:.2f}")  # fmt: skip
    dunnett = [(g, "ctrl", "*") for g in GROUPS[1:]]
    t0 = time.perf_counter()
    for df in data:
        compare_groups(df, value="value", group="group", comparisons=dunnett, posthoc="dunnett")
    print(
        f"exodisc Dunnett (deterministic quadrature), 10 assays: {time.perf_counter() - t0:.3f} s"
    )


if __name__ == "__main__":
    main()
