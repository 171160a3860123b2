"""Write the 2 x 8 count matrix with planted outliers for the outlier-replacement reference.

Run from the repository root: ``python tests/reference/de/make_replace_synthetic.py``, then
``Rscript tests/reference/de/make_replace_reference.R``. Deterministic (NumPy seed 7).
Both cells have 8 replicates (>= 7), so R DESeq2 replaces outlier counts and refits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def main() -> None:
    rng = np.random.default_rng(7)
    n_genes, per = 600, 8
    mean = np.exp(rng.normal(4.0, 1.8, n_genes))
    disp = 0.04 + 1.5 / mean
    lfc = np.where(rng.random(n_genes) < 0.2, rng.normal(0, 1.5, n_genes), 0.0)
    sf = rng.uniform(0.6, 1.6, 2 * per)
    cond = np.repeat(["ctrl", "il1b"], per)
    mu = mean[:, None] * np.exp(np.outer(lfc, cond == "il1b")) * sf[None, :]
    size = 1 / disp[:, None]
    counts = rng.negative_binomial(size, size / (size + mu))
    # planted outliers: one (or two) samples of a gene multiplied far beyond the rest
    planted = rng.choice(np.arange(10, n_genes), 40, replace=False)
    for k, i in enumerate(planted):
        cols = rng.choice(2 * per, 2 if k % 5 == 0 else 1, replace=False)
        counts[i, cols] = counts[i, cols] * 20 + 200
    counts[0] = 0  # an all-zero gene
    counts[1] = 0  # zero but one huge count: replacement makes it all zero
    counts[1, 3] = 500
    samples = [f"{c}_{i % per + 1}" for i, c in enumerate(cond)]
    ids = [f"gene{i + 1:04d}" for i in range(n_genes)]
    frame = pd.DataFrame(counts, index=pd.Index(ids, name="feature_id"), columns=samples)
    frame.to_csv(HERE / "synthetic_replace16_counts.tsv", sep="\t")
    pd.DataFrame({"sample": samples, "condition": cond}).to_csv(
        HERE / "synthetic_replace16_samples.csv", index=False
    )


if __name__ == "__main__":
    main()
