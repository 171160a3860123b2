"""Plan the next experiment for one group comparison table: power now, n needed, its CI."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import DesignError
from exodisc.power._closed import TKind, adjusted_alpha, n_for_power, power_t
from exodisc.power._simulate import CLOSED_FORM, PAIRED_TESTS, simulate_pairs

__all__ = ["PLAN_COLUMNS", "PowerPlan", "plan_comparisons", "plan_from_comparison"]

#: the columns of ``exodisc power compare`` (a contract)
PLAN_COLUMNS = [
    "group1",
    "group2",
    "effect",
    "effect_ci_low",
    "effect_ci_high",
    "sd",
    "n_current",
    "power_current",
    "n_for_power",
    "n_for_power_ci_low",
    "n_for_power_ci_high",
    "method",
]


@dataclass(frozen=True)
class PowerPlan:
    """Power and sample size of every compared pair (frozen).

    Attributes
    ----------
    table
        :data:`PLAN_COLUMNS`, then ``n_for_power_90`` (… for every extra target power),
        ``power_current_mc_se`` (0 for closed forms), ``alpha_pair``, ``test``, ``posthoc``.
        ``n_for_power*`` is the n per group (pairs for paired designs) reaching the target;
        ``inf`` when the effect (or its CI end) is 0 or the n exceeds ``n_max``.
    curves
        ``group1, group2, n, power, mc_se``: power at the planning effect for n = 2 … .
    params
        Test, post-hoc, alpha, target powers, number of comparisons, draws, seed, n_max.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def _closed_kind(test: str, posthoc: str) -> TKind:
    if test in {"t_paired", "rm_anova"}:
        return "paired"
    if test == "t_student" or posthoc == "bonferroni_t":
        return "two_sample"
    return "anova_pairwise"


def plan_comparisons(
    descriptives: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    test: str = "anova",
    posthoc: str = "bonferroni",
    alpha: float = 0.05,
    power: Sequence[float] = (0.8,),
    effect: float | None = None,
    sd: float | None = None,
    n_sim: int = 10_000,
    seed: int = 0,
    n_max: int = 100,
    curve_max: int = 20,
    engine_draws: int = 3,
) -> PowerPlan:
    """Power at the current n and the n per group needed, for every compared pair.

    Parameters
    ----------
    descriptives
        ``group, n, mean, sd`` per group (:func:`exodisc.stats.describe`).
    pairs
        ``group1, group2, mean_diff, ci_low, ci_high`` (+ ``se``, ``n1`` for paired designs):
        the ``pairs`` table of :func:`exodisc.stats.compare_groups`.
    test, posthoc, alpha
        The test the study ran (its comparisons are those of ``pairs``).
    power
        Target powers; the first fills ``n_for_power`` and its CI, the others
        ``n_for_power_<pct>``.
    effect
        A minimal effect of interest (difference of means in the value's units) used instead
        of each observed difference; its CI columns then repeat it.
    sd
        SD to plan with instead of the observed one (pooled, or of the paired differences).
    n_sim, seed
        Simulated studies per evaluation and seed (simulated tests only).
    n_max
        Largest n per group a simulation searches (closed forms search to 10⁷).
    curve_max
        Power curves run n = 2 … max(curve_max, n needed, capped at n_max).
    engine_draws
        Simulated tests only: this many simulated studies are also analysed by
        :func:`exodisc.stats.compare_groups`, whose decisions must equal the simulation's
        (:func:`exodisc.power.engine_check`; a ``RuntimeError`` otherwise).

    Returns
    -------
    PowerPlan

    Notes
    -----
    Planning effect: the observed difference, with its 95 % CI from the pairwise test
    (``ci_low``, ``ci_high``), and the n needed at both CI ends: ``n_for_power_ci_low`` at
    the end farther from 0, ``n_for_power_ci_high`` at the end nearer 0 (``inf`` when the CI
    contains 0). Closed forms (noncentral t) for ANOVA with Bonferroni / Šidák / no
    correction (pooled MSE, df = k(n − 1), α / m), Student t and paired t (SD of the
    differences); simulation of the declared test for the rest (Tukey, Dunnett, Holm,
    Welch / Games–Howell, Kruskal–Wallis / Dunn, rank tests).
    """
    if not 0 < alpha < 1:
        msg = f"alpha must be between 0 and 1, got {alpha!r}"
        raise ValueError(msg)
    targets = [float(p) for p in power]
    if not targets or any(not 0 < p < 1 for p in targets):
        msg = f"power targets must lie between 0 and 1, got {list(power)}"
        raise ValueError(msg)
    if n_sim < 100:
        msg = f"n_sim must be at least 100, got {n_sim}"
        raise ValueError(msg)
    desc = descriptives.set_index(descriptives["group"].astype(str))
    groups = list(desc.index)
    gsd = {g: float(v) for g, v in zip(groups, desc["sd"].astype(float), strict=True)}
    m = len(pairs)
    if m == 0:
        msg = "no compared pairs to plan for"
        raise DesignError(msg)
    k = len(groups)
    paired = test in PAIRED_TESTS
    ns = desc["n"].astype(float)
    pooled = float(np.sqrt(((ns - 1) * desc["sd"].astype(float) ** 2).sum() / (ns.sum() - k)))
    closed = (test, posthoc) in CLOSED_FORM
    kind = _closed_kind(test, posthoc)
    alpha_pair = adjusted_alpha(
        alpha, m, "bonferroni" if posthoc == "bonferroni_t" else posthoc
    ) if closed else alpha  # fmt: skip

    # SD per pair and the simulation model
    def pair_sd(r: pd.Series) -> float:
        if sd is not None:
            return float(sd)
        g1, g2 = str(r["group1"]), str(r["group2"])
        if paired:
            return float(r["se"] * np.sqrt(r["n1"]))
        if kind == "two_sample":
            n1, n2 = ns[g1], ns[g2]
            s1, s2 = gsd[g1], gsd[g2]
            return float(np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2)))
        if test in {"welch_anova", "t_welch"}:
            return float(np.sqrt((gsd[g1] ** 2 + gsd[g2] ** 2) / 2))
        return pooled

    if paired:
        sd_d = float(sd) if sd is not None else float(
            np.sqrt(np.mean([(r["se"] * np.sqrt(r["n1"])) ** 2 for _, r in pairs.iterrows()]))
        )  # fmt: skip
        sim_sd = dict.fromkeys(groups, sd_d / np.sqrt(2))
    elif test in {"welch_anova", "t_welch"} and sd is None:
        sim_sd = dict(gsd)
    else:
        sim_sd = dict.fromkeys(groups, float(sd) if sd is not None else pooled)
    if any(not np.isfinite(v) or v <= 0 for v in sim_sd.values()):
        msg = f"the SD to plan with must be positive; got {sim_sd}"
        raise DesignError(msg)
    obs_means = {g: float(desc.loc[g, "mean"]) for g in groups}
    sim_pairs = [(str(a), str(b)) for a, b in zip(pairs["group1"], pairs["group2"], strict=True)]
    cache: dict[tuple[Any, ...], pd.DataFrame] = {}

    def sim(means: dict[str, float], n: int | dict[str, int]) -> pd.DataFrame:
        key = (tuple(sorted(means.items())), repr(n))
        if key not in cache:
            cache[key] = simulate_pairs(
                means, sim_sd, n, comparisons=sim_pairs, test=test, posthoc=posthoc,
                alpha=alpha, n_sim=n_sim, seed=seed,
            ).table  # fmt: skip
        return cache[key]

    def means_for(i: int, delta: float) -> dict[str, float]:
        g1, g2 = sim_pairs[i]
        out = dict(obs_means)
        if not math.isclose(out[g2] + delta, out[g1], rel_tol=1e-12, abs_tol=1e-12):
            out[g1] = out[g2] + delta  # the observed means are shared by every pair
        return out

    def power_at(i: int, delta: float, s: float, n: float | dict[str, int]) -> tuple[float, float]:
        if closed:
            if isinstance(n, dict):
                g1, g2 = sim_pairs[i]
                n1, n2 = n[g1], n[g2]
                df = None
                if kind == "anova_pairwise":
                    df = float(sum(n.values()) - k)
                return power_t(n1, delta, s, alpha=alpha_pair, kind=kind, k=k, n2=n2, df=df), 0.0
            return power_t(n, delta, s, alpha=alpha_pair, kind=kind, k=k), 0.0
        nn = n if isinstance(n, dict) else int(n)
        row = sim(means_for(i, delta), nn).iloc[i]
        return float(row["power"]), float(row["mc_se"])

    def n_needed(i: int, delta: float, s: float, target: float) -> float:
        if delta == 0 or not np.isfinite(delta):
            return math.inf
        if closed:
            return float(math.ceil(n_for_power(
                lambda n: power_t(n, delta, s, alpha=alpha_pair, kind=kind, k=k), target
            ) - 1e-9))  # fmt: skip
        lo = 2
        if power_at(i, delta, s, lo)[0] >= target:
            return float(lo)
        hi = 4
        while power_at(i, delta, s, hi)[0] < target:
            if hi >= n_max:
                return math.inf
            lo, hi = hi, min(2 * hi, n_max)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if power_at(i, delta, s, mid)[0] >= target:
                hi = mid
            else:
                lo = mid
        return float(hi)

    checked = 0
    if not closed and engine_draws > 0:
        from exodisc.power._simulate import engine_check

        n_chk = dict.fromkeys(groups, int(pairs["n1"].iloc[0])) if paired else {
            g: int(ns[g]) for g in groups
        }  # fmt: skip
        checked = engine_check(
            obs_means, sim_sd, n_chk, comparisons=sim_pairs, test=test, posthoc=posthoc,
            alpha=alpha, draws=engine_draws, seed=seed,
        )  # fmt: skip
    rows, curves = [], []
    for i, (_, r) in enumerate(pairs.iterrows()):
        g1, g2 = sim_pairs[i]
        s = pair_sd(r)
        if effect is None:
            eff, lo_ci, hi_ci = float(r["mean_diff"]), float(r["ci_low"]), float(r["ci_high"])
        else:
            eff = lo_ci = hi_ci = float(effect)
        n_cur: dict[str, int] = {g: int(ns[g]) for g in groups}
        if paired:
            n_cur = dict.fromkeys(groups, int(r["n1"]))
        p_cur, se_cur = power_at(i, eff, s, n_cur)
        far, near = (lo_ci, hi_ci) if abs(lo_ci) >= abs(hi_ci) else (hi_ci, lo_ci)
        if lo_ci <= 0 <= hi_ci and effect is None:
            near = 0.0
        row: dict[str, Any] = {
            "group1": g1,
            "group2": g2,
            "effect": eff,
            "effect_ci_low": lo_ci,
            "effect_ci_high": hi_ci,
            "sd": s,
            "n_current": int(min(n_cur[g1], n_cur[g2])),
            "power_current": p_cur,
            "n_for_power": n_needed(i, eff, s, targets[0]),
            "n_for_power_ci_low": n_needed(i, far, s, targets[0]),
            "n_for_power_ci_high": n_needed(i, near, s, targets[0]),
        }
        if closed:
            dfs = {"two_sample": "2(n − 1)", "paired": "n − 1", "anova_pairwise": "k(n − 1)"}
            row["method"] = (
                f"closed form: noncentral t, df = {dfs[kind]}, two-sided α = {alpha_pair:.6g}"
                + (f" (α / {m}, {posthoc})" if alpha_pair != alpha else "")
            )
        else:
            row["method"] = (
                f"simulation: {n_sim:,} draws of the {test} / {posthoc} test, seed {seed}; "
                f"power at current n ± {se_cur:.3f} (Monte-Carlo SE); decisions equal "
                f"exodisc.stats.compare_groups' on {engine_draws} checked draws"
            )
        for t in targets[1:]:
            row[f"n_for_power_{round(t * 100)}"] = n_needed(i, eff, s, t)
        row.update(power_current_mc_se=se_cur, alpha_pair=alpha_pair, test=test, posthoc=posthoc)
        rows.append(row)
        top = max(curve_max, *(v for v in (row["n_for_power"],) if np.isfinite(v)), 2)
        # the curve stops at n_max whatever n the target needs (a tiny effect needs millions)
        top = int(min(top, n_max))
        for n in range(2, top + 1):
            p, se = power_at(i, eff, s, n)
            curves.append({"group1": g1, "group2": g2, "n": n, "power": p, "mc_se": se})
    table = pd.DataFrame(rows)
    extra = [c for c in table.columns if c not in PLAN_COLUMNS]
    return PowerPlan(
        table[PLAN_COLUMNS + extra],
        pd.DataFrame(curves),
        MappingProxyType(
            {
                "test": test,
                "posthoc": posthoc,
                "alpha": alpha,
                "alpha_pair": alpha_pair,
                "power": tuple(targets),
                "n_comparisons": m,
                "method": "closed form" if closed else "simulation",
                "n_sim": n_sim if not closed else 0,
                "seed": seed,
                "n_max": n_max,
                "effect": effect,
                "engine_checked_decisions": checked,
            }
        ),
    )


def plan_from_comparison(result: Any, **kwargs: Any) -> PowerPlan:
    """:func:`plan_comparisons` for a :class:`exodisc.stats.ComparisonResult` (its test,
    post-hoc test, alpha, groups and pairs)."""
    p = result.params
    kwargs.setdefault("alpha", p["alpha"])
    return plan_comparisons(
        result.descriptives, result.pairs, test=p["test"], posthoc=p["posthoc"], **kwargs
    )
