"""Seeded Monte-Carlo of the robust-z consistency constants for n technical wells.

For n standard-normal wells, ``D = x - median(x)`` (every well of the replicate). Two
constants per n are estimated:

* ``scale_n``: the median of ``|D|`` over the non-zero deviations (the median well of an odd n
  deviates by exactly 0 and is left out), so ``median(|d| / scale_n)`` estimates the noise SD;
* ``tail_n``: the ``1 - 2 * pnorm(-3.5)`` quantile of ``|D|`` over all wells, divided by 3.5,
  so ``d / (tail_n * sd)`` crosses 3.5 exactly as often as a N(0, 1) variable does.

Writes ``robust_z_constants.tsv`` here and prints the Python table of
``src/exodisc/assays/viability/_zconst.py``.
Run from the repository root: ``python tests/reference/cck8/robust_z_constants.py`` (~2 min).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import stats

SEED = 20261121
N_WELLS = range(2, 25)
DRAWS = 24_000_000  # well values per n (tail quantile from ~11 000 exceedances)
CHUNK = 2_000_000
Z = 3.5


def constants(n: int, rng: np.random.Generator) -> tuple[float, float]:
    p_tail = 2 * stats.norm.sf(Z)
    rows = CHUNK // n
    n_chunks = DRAWS // (rows * n)
    nonzero: list[np.ndarray] = []
    tail: list[np.ndarray] = []
    total = 0
    for _ in range(n_chunks):
        x = rng.standard_normal((rows, n))
        a = np.abs(x - np.median(x, axis=1, keepdims=True)).ravel()
        total += a.size
        nonzero.append(a[a > 0][: 1_000_000 // n_chunks + 1])
        tail.append(a[a > 2.0])
    scale = float(np.median(np.concatenate(nonzero)))
    big = np.sort(np.concatenate(tail))[::-1]
    k = p_tail * total  # expected number of exceedances of the quantile
    assert big.size > 2 * k, "tail cut-off too high"
    q = float(np.interp(k, np.arange(1, big.size + 1), big))
    return scale, q / Z


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for n in N_WELLS:
        scale, tail = constants(n, rng)
        rows.append((n, scale, tail))
        print(f"    {n}: ({scale:.5f}, {tail:.5f}),")
    out = Path(__file__).with_name("robust_z_constants.tsv")
    with out.open("w") as fh:
        fh.write("n_wells\tscale\ttail\n")
        for n, scale, tail in rows:
            fh.write(f"{n}\t{scale:.5f}\t{tail:.5f}\n")


if __name__ == "__main__":
    main()
