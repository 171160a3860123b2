"""Consistency constants of the grouped robust z (tests/reference/cck8/robust_z_constants.py).

Per number of technical wells n: ``(scale, tail)`` for D = x − median(x) of n standard-normal
wells — ``scale`` is the median of the non-zero ``|D|``, ``tail`` the ``1 − 2Φ(−3.5)``
quantile of ``|D|`` divided by 3.5 (seeded Monte-Carlo, 24 million wells per n).
"""

from __future__ import annotations

#: n technical wells -> (scale, tail)
Z_CONSTANTS: dict[int, tuple[float, float]] = {
    2: (0.47699, 0.70604),
    3: (0.68905, 1.11623),
    4: (0.48750, 1.05403),
    5: (0.68496, 1.07703),
    6: (0.52754, 1.04689),
    7: (0.68301, 1.05761),
    8: (0.56242, 1.04102),
    9: (0.67978, 1.04670),
    10: (0.58890, 1.03265),
    11: (0.68066, 1.03863),
    12: (0.60403, 1.02950),
    13: (0.67814, 1.03108),
    14: (0.61495, 1.02494),
    15: (0.67824, 1.02678),
    16: (0.62364, 1.02439),
    17: (0.67673, 1.02482),
    18: (0.63058, 1.02031),
    19: (0.67731, 1.02355),
    20: (0.63432, 1.01901),
    21: (0.67855, 1.02037),
    22: (0.63825, 1.01662),
    23: (0.67671, 1.01900),
    24: (0.64254, 1.01619),
}
