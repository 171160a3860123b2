"""Write the 2 x 7 matrix whose only replaced gene is Poisson-like after replacement.

Run from the repository root: python tests/reference/de/make_replace_poisson.py, then
Rscript tests/reference/de/make_replace_poisson_reference.R.
"""

import numpy as np
import pandas as pd

rng = np.random.default_rng(1)
g, n = 300, 7
mu = np.exp(rng.normal(5, 1, g))
size = 1 / 0.1
c = rng.negative_binomial(size, size / (size + mu[:, None] * np.ones((1, 2 * n))))
c[0] = 100
c[0, 3] = 2000  # one outlier in an otherwise constant gene: after replacement it is Poisson-like
names = [f"s{i}" for i in range(2 * n)]
pd.DataFrame(
    c, index=pd.Index([f"g{i}" for i in range(g)], name="feature_id"), columns=names
).to_csv("tests/reference/de/replace_poisson14_counts.tsv", sep="\t")
pd.DataFrame({"sample": names, "condition": ["ctrl"] * n + ["trt"] * n}).to_csv(
    "tests/reference/de/replace_poisson14_samples.csv", index=False
)
