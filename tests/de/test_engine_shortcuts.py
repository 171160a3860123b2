"""The engine's shortcuts give what the plain computation gives (bit for bit)."""

from __future__ import annotations

import numpy as np

from exodisc.core import p_adjust
from exodisc.omics.de._engine import _dlog_post, _log_post, _log_post_value, independent_filtering


def test_filtering_bh_from_one_sort_equals_p_adjust_of_each_kept_set() -> None:
    rng = np.random.default_rng(11)
    g = 3000
    base_mean = np.exp(rng.normal(3, 2, g))
    base_mean[:200] = 0.0
    p = rng.uniform(size=g) ** 3
    p[rng.choice(g, 300, replace=False)] = np.nan  # Cook's outliers, all-zero rows
    p[10:40] = p[40]  # ties
    filt = independent_filtering(base_mean, p, alpha=0.1)
    theta, num_rej = filt.table[:, 0], filt.table[:, 1]
    cutoffs = np.quantile(base_mean, theta)
    for c, rej in zip(cutoffs, num_rej, strict=True):
        use = base_mean >= c
        expect = np.full(g, np.nan)
        expect[use] = p_adjust(p[use], "bh")
        assert np.nansum(expect < 0.1) == rej
    use = base_mean >= filt.threshold
    expect = np.full(g, np.nan)
    expect[use] = p_adjust(p[use], "bh")
    np.testing.assert_array_equal(filt.padj, expect)  # identical, NaN where R has NA


def test_derivative_of_some_genes_equals_that_of_all() -> None:
    rng = np.random.default_rng(5)
    g, n = 500, 8
    x = np.column_stack([np.ones(n), np.repeat([0.0, 1.0], n // 2)])
    mu = np.exp(rng.normal(4, 1.5, (g, 1))) * np.ones((1, n))
    y = rng.poisson(mu).astype(float)
    la = rng.normal(-2, 1, g)
    prior = np.full(g, -2.0)
    _, full = _log_post(la, y, mu, x, prior, 1.0, True, grad=True)
    rows = rng.uniform(size=g) < 0.6
    _, parts = _log_post_value(la, y, mu, x, prior, 1.0, True, quad=True)
    some = _dlog_post(la, y, mu, prior, 1.0, True, parts, rows=rows)
    assert full is not None
    np.testing.assert_array_equal(some[rows], full[rows])
