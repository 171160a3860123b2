"""DESeq2's simulated prior variance: R's random streams, hist, loess and lowess ports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.omics.de._lowess import loess_1d, lowess
from exodisc.omics.de._priorvar import RRandom, _stored, simulate_histograms
from tests.de.de_helpers import REF


def test_r_random_stream() -> None:
    """set.seed(2); runif(3); rnorm(3); rchisq(5, 3); rchisq(5, 1) as printed by R."""
    expected = np.loadtxt(REF / "rng_stream.txt")
    rng = RRandom(2)
    got = np.concatenate(
        [rng.uniforms(3), rng.rnorm(3, 1.0), rng.rchisq(5, 3.0), rng.rchisq(5, 1.0)]
    )
    np.testing.assert_allclose(got, expected, rtol=1e-14)


@pytest.mark.parametrize("df", [1, 2, 3])
def test_shipped_histograms_equal_r(df: int) -> None:
    r = pd.read_csv(REF / f"priorvar_hist_df{df}.tsv", sep="\t", header=None).to_numpy()
    np.testing.assert_array_equal(_stored(df), r)


def test_port_regenerates_shipped_histograms() -> None:
    np.testing.assert_array_equal(simulate_histograms(3, n_grid=3), _stored(3)[:3])


def test_loess_matches_r() -> None:
    ref = pd.read_csv(REF / "loess_check.tsv", sep="\t")
    xg = np.linspace(0, 8, 200)
    yk = (xg - 2.3) ** 2 / 10 + np.sin(5 * xg) / 20
    got = loess_1d(xg, yk, ref["x"].to_numpy(), span=0.2)
    np.testing.assert_allclose(got, ref["fitted"], atol=1e-10)
    assert int(np.argmin(got)) == int(np.argmin(ref["fitted"]))


def test_lowess_matches_r() -> None:
    ref = pd.read_csv(REF / "lowess_check.tsv", sep="\t")
    got = lowess(ref["x"].to_numpy(), ref["y"].to_numpy(), f=1 / 5)
    np.testing.assert_allclose(got, ref["fitted"], rtol=1e-10, atol=1e-12)
