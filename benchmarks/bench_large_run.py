"""`exodisc run` on a large counts study against `exodisc de` alone on the same matrix.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/bench_large_run.py --genes 1000000   # issue 17's case

Writes a counts table (``--genes`` x 6 samples, negative-binomial counts, two groups) and a
study file with one ``mrna_counts`` assay, then times, each in a fresh process under
``/usr/bin/time``: ``exodisc de`` (the analysis and its TSV) and ``exodisc run`` (the analysis,
every table, figure, results.xlsx and report.html). Prints wall seconds, peak resident memory
and the ratios run / de. Target (issue 17): run within 2x the time and 1.5x the memory of de.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXODISC = [sys.executable, "-c", "from exodisc.cli import main; main()"]


def _write_study(folder: Path, n_genes: int, seed: int = 1) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(seed)
    samples = ["ctrl_1", "ctrl_2", "ctrl_3", "il1b_1", "il1b_2", "il1b_3"]
    mu = rng.lognormal(3, 2, n_genes)
    fc = np.where(rng.random(n_genes) < 0.05, rng.normal(0, 2, n_genes), 0.0)
    counts = np.empty((n_genes, 6), dtype=np.int64)
    for j in range(6):
        m = mu * (2**fc if j >= 3 else 1.0)
        counts[:, j] = rng.negative_binomial(5, 5 / (5 + m))
    path = folder / "counts.tsv"
    with path.open("w") as fh:
        fh.write("gene\t" + "\t".join(samples) + "\n")
        for i in range(0, n_genes, 100_000):
            block = counts[i : i + 100_000]
            lines = [f"g{i + k}\t" + "\t".join(map(str, row)) for k, row in enumerate(block)]
            fh.write("\n".join(lines) + "\n")
    sheet = folder / "sheet.csv"
    sheet.write_text("sample,group\n" + "".join(f"{s},{s.split('_')[0]}\n" for s in samples))
    study = folder / "study.yaml"
    study.write_text(
        "title: large counts\nseed: 1\ngroups:\n  - {id: ctrl, label: Control, role: control}\n"
        "  - {id: il1b, label: IL-1b, role: model}\nreplicates: 3\n"
        "assays:\n  - id: de_mrna\n    kind: mrna_counts\n    files: [counts.tsv]\n"
    )
    return path, sheet, study


def _timed(args: list[str]) -> tuple[float, float]:
    cmd = ["/usr/bin/time", "-f", "TIME %e %M", *EXODISC, *args]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    m = re.search(r"TIME ([\d.]+) (\d+)", r.stderr)
    if r.returncode != 0 or m is None:
        sys.exit(f"failed: {' '.join(args)}\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
    return float(m[1]), int(m[2]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--genes", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        counts, sheet, study = _write_study(folder, args.genes)
        de = _timed(
            [
                "de", str(counts), "--samples", str(sheet), "--design", "~ group",
                "--contrast", "group,il1b,ctrl", "-o", str(Path(tmp) / "de.tsv"),
            ]
        )  # fmt: skip
        run = _timed(["run", str(study), "-o", str(Path(tmp) / "out"), "-q"])
    print(f"{args.genes:,} genes x 6 samples")
    print(f"exodisc de : {de[0]:8.1f} s  {de[1]:8.0f} MB peak RSS")
    print(f"exodisc run: {run[0]:8.1f} s  {run[1]:8.0f} MB peak RSS")
    print(f"ratio run/de: time {run[0] / de[0]:.2f}x (target <= 2), memory {run[1] / de[1]:.2f}x "
          "(target <= 1.5)")  # fmt: skip


if __name__ == "__main__":
    main()
