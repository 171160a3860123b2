"""A small multiplexed plate (target and reference in the same wells, standards on the plate).

Run from the repository root:  python tests/reference/qpcr/make_multiplex_plate.py
Writes multiplex_plate.tsv (long table: well, sample, target, task, quantity, ct): targets
SOX9 (FAM) and GAPDH (VIC) read in the same wells; a 5-level, duplicate standard curve for
both (efficiencies ~1.93 and ~1.98); samples ctrl and il1b in 4 wells each. Then
``Rscript multiplex_reference.R`` computes the reference values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def main() -> None:
    rng = np.random.default_rng(16)
    slope = {"SOX9": -1 / np.log10(1.93), "GAPDH": -1 / np.log10(1.98)}
    icept = {"SOX9": 36.0, "GAPDH": 30.0}
    rows = []
    k = 0
    for q in (1e4, 1e3, 1e2, 1e1, 1e0):
        for _ in range(2):
            well = f"S{k:02d}"
            k += 1
            for t in ("SOX9", "GAPDH"):
                ct = icept[t] + slope[t] * np.log10(q) + rng.normal(0, 0.08)
                rows.append((well, "standard", t, "STANDARD", q, round(ct, 4)))
    level = {"ctrl": {"SOX9": 2.0, "GAPDH": 3.0}, "il1b": {"SOX9": 0.8, "GAPDH": 3.05}}
    for sample, lv in level.items():
        for _ in range(4):
            well = f"U{k:02d}"
            k += 1
            loading = rng.normal(0, 0.15)  # shared by both dyes of a well: why pairing helps
            for t in ("SOX9", "GAPDH"):
                ct = icept[t] + slope[t] * lv[t] + loading + rng.normal(0, 0.05)
                rows.append((well, sample, t, "UNKNOWN", np.nan, round(ct, 4)))
    df = pd.DataFrame(rows, columns=["well", "sample", "target", "task", "quantity", "ct"])
    df.to_csv(HERE / "multiplex_plate.tsv", sep="\t", index=False, na_rep="")


if __name__ == "__main__":
    main()
