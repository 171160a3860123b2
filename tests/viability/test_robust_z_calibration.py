"""Calibration of the grouped robust z: exact constants and seeded null false-flag rates."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from exodisc.assays.viability import robust_z
from exodisc.assays.viability._zconst import Z_CONSTANTS
from exodisc.errors import DesignError

P_35 = 2 * stats.norm.sf(3.5)  # 4.65e-4, the two-sided N(0, 1) tail at 3.5


def _upper_tail_3(c: float) -> float:
    """P(x1 − median(x1, x2, x3) > c) for standard normals: ∫ φ(u) Φ(u − c)² du."""
    f = lambda u: stats.norm.pdf(u) * stats.norm.cdf(u - c) ** 2  # noqa: E731
    return integrate.quad(f, -np.inf, np.inf, epsabs=1e-14)[0]


def test_constants_match_exact_values_for_two_and_three_wells() -> None:
    # n = 2: x − median = ±(x1 − x2)/2 ~ N(0, 1/2), never 0
    assert Z_CONSTANTS[2][0] == pytest.approx(stats.norm.ppf(0.75) / np.sqrt(2), rel=3e-3)
    assert Z_CONSTANTS[2][1] == pytest.approx(1 / np.sqrt(2), rel=3e-3)
    # n = 3: exact integrals (2 of 3 wells deviate; P(|D| > c) = 2 * upper tail)
    tail = optimize.brentq(lambda c: 2 * _upper_tail_3(c) - P_35, 2, 6, xtol=1e-12) / 3.5
    scale = optimize.brentq(lambda a: _upper_tail_3(a) - 1 / 6, 0.1, 3, xtol=1e-12)
    assert Z_CONSTANTS[3][1] == pytest.approx(tail, rel=2e-3)  # 1.11542
    assert Z_CONSTANTS[3][0] == pytest.approx(scale, rel=3e-3)  # 0.68982


@pytest.mark.parametrize(
    ("sizes", "n_plates"),
    [((3,) * 15, 4000), ((2, 2, 3, 3, 3, 4, 4, 5), 6000)],
    ids=["demo-15x3", "mixed-2to5"],
)
def test_null_false_flag_rate_is_nominal(sizes: tuple[int, ...], n_plates: int) -> None:
    rng = np.random.default_rng(7)
    groups = np.repeat(np.arange(len(sizes)), sizes)
    flagged = 0
    for _ in range(n_plates):
        x = 1 + 0.03 * rng.standard_normal(groups.size)  # 3 % Gaussian technical noise
        flagged += int((np.abs(robust_z(x, groups, relative=True)) > 3.5).sum())
    expected = P_35 * n_plates * groups.size
    # Poisson MC error; the uncalibrated 0.6745 / MAD z gave ~4x the nominal rate here
    assert abs(flagged - expected) < 3.5 * np.sqrt(expected), (flagged, expected)


def test_planted_gross_outlier_is_still_flagged() -> None:
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(15), 3)
    x = 1 + 0.03 * rng.standard_normal(groups.size)
    x[22] += 0.4  # a bubble: +40 % in one technical well
    z = robust_z(x, groups, relative=True)
    assert np.flatnonzero(np.abs(z) > 3.5).tolist() == [22]


def test_too_many_technical_wells_is_an_error() -> None:
    with pytest.raises(DesignError, match=r"25 technical wells in one replicate.*2–24"):
        robust_z(np.arange(25.0), np.zeros(25))
