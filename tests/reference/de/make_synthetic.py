"""Write the small synthetic count matrices the R reference script analyses.

Run from the repository root: ``python tests/reference/de/make_synthetic.py``. Deterministic
(NumPy seed 20240607); the outputs are committed beside this script.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def simulate(
    n_genes: int, donors: int, conditions: list[str], seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    mean = np.exp(rng.normal(4.0, 2.0, n_genes))
    disp = 0.05 + 2.0 / mean
    donor_eff = rng.normal(0, 0.3, (n_genes, donors))
    lfc = np.zeros((n_genes, len(conditions)))
    de = rng.random(n_genes) < 0.15
    for k in range(1, len(conditions)):
        lfc[de, k] = rng.normal(0, 1.5, de.sum())
    samples, rows = [], []
    cols = []
    for d in range(donors):
        for k, c in enumerate(conditions):
            mu = mean * np.exp(donor_eff[:, d] + lfc[:, k]) * rng.uniform(0.7, 1.4)
            size = 1 / disp
            cols.append(rng.negative_binomial(size, size / (size + mu)))
            name = f"D{d + 1}_{c}"
            samples.append(name)
            rows.append({"sample": name, "donor": f"D{d + 1}", "condition": c})
    counts = np.column_stack(cols)
    # edge cases: all-zero genes, one huge outlier, an all-zero condition, a sparse gene
    counts[0] = 0
    counts[1] = 0
    counts[2, 3] = counts[2].max() * 50 + 1000
    zero_cond = [i for i, r in enumerate(rows) if r["condition"] == conditions[-1]]
    counts[3, zero_cond] = 0
    counts[3, [i for i in range(len(rows)) if i not in zero_cond]] += 40
    counts[4] = 0
    counts[4, 0] = 7
    ids = [f"gene{i + 1:04d}" for i in range(n_genes)]
    frame = pd.DataFrame(counts, index=pd.Index(ids, name="feature_id"), columns=samples)
    return frame, pd.DataFrame(rows)


def main() -> None:
    cases = {
        "paired9": (800, 3, ["ctrl", "il1b", "exo"], 1),
        "paired6": (800, 3, ["ctrl", "il1b"], 2),
        "twogroup4": (400, 2, ["ctrl", "il1b"], 3),
        "twogroup8": (400, 4, ["ctrl", "il1b"], 4),
    }
    for name, (g, d, conds, seed) in cases.items():
        counts, sheet = simulate(g, d, conds, seed)
        counts.to_csv(HERE / f"synthetic_{name}_counts.tsv", sep="\t")
        sheet.to_csv(HERE / f"synthetic_{name}_samples.csv", index=False)


if __name__ == "__main__":
    main()
