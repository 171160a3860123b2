"""RNA-seq power by simulating studies from the study's own DESeq2 fit (PROPER approach)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from exodisc.errors import DesignError

__all__ = ["RnaSeqPower", "hart_n", "hart_power", "simulate_rnaseq"]


def hart_n(
    depth: float,
    cv: float,
    effect: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    depth2: float | None = None,
) -> float:
    """Samples per group for one gene (Hart et al. 2013, RNASeqPower ``rnapower``).

    n = 2 (z₁₋α/₂ + z_power)² (1 / depth + cv²) / ln(effect)², with ``depth`` the mean count,
    ``cv`` the biological coefficient of variation (cv² = the NB dispersion) and ``effect``
    the fold change (``depth2``: the second group's mean count, default ``depth``).
    Hart SN, Therneau TM, Zhang Y, Poland GA, Kocher JP (2013) J Comput Biol 20:970–978.
    """
    za, zb = sps.norm.isf(alpha / 2), sps.norm.ppf(power)
    d2 = depth if depth2 is None else depth2
    return float((za + zb) ** 2 * (1 / depth + 1 / d2 + 2 * cv**2) / math.log(effect) ** 2)


def hart_power(
    depth: float,
    cv: float,
    effect: float,
    *,
    n: float,
    alpha: float = 0.05,
    depth2: float | None = None,
) -> float:
    """Power of the Hart et al. 2013 formula at ``n`` samples per group (inverse of
    :func:`hart_n`)."""
    za = sps.norm.isf(alpha / 2)
    d2 = depth if depth2 is None else depth2
    z = math.sqrt(n * math.log(effect) ** 2 / (1 / depth + 1 / d2 + 2 * cv**2)) - za
    return float(sps.norm.cdf(z))


@dataclass(frozen=True)
class RnaSeqPower:
    """Simulated RNA-seq studies for each n per group (frozen).

    Attributes
    ----------
    summary
        One row per n: ``n, n_sim, true_de, found_mean, found_sd, found_q025, found_q975,
        true_found_mean, true_found_q025, true_found_q975, fdp_mean, fdp_q975, n_failed,
        sensitivity`` (``n_failed``: studies DESeq2 could not analyse, counted as finding
        nothing).
    by_expression
        ``n, expression_bin, base_mean_low, base_mean_high, true_de, sensitivity``.
    runs
        One row per simulated study: ``n, sim, called, true_positive, false_positive, fdp,
        failed`` (the reason DESeq2 could not analyse the study, else empty).
    params
        Source, FDR, effect rule, number of features and true effects, seed.
    """

    summary: pd.DataFrame
    by_expression: pd.DataFrame
    runs: pd.DataFrame
    params: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def simulate_rnaseq(
    table: pd.DataFrame,
    *,
    n_per_group: Sequence[int] = tuple(range(2, 11)),
    n_sim: int = 100,
    fdr: float = 0.05,
    log2_fc: float | None = None,
    fraction: float | None = None,
    seed: int = 0,
    bins: int = 4,
    jobs: int = 1,
) -> RnaSeqPower:
    """Simulate two-group studies from a DESeq2 fit and run the project's DESeq2 on each.

    Parameters
    ----------
    table
        A :class:`exodisc.omics.de.DEResult` table (``feature_id, base_mean, dispersion,
        log2_fold_change, padj``): the study's own means and dispersions.
    n_per_group
        Sample sizes per group to simulate.
    n_sim
        Simulated studies per sample size.
    fdr
        FDR level at which features are called (``padj < fdr``).
    log2_fc, fraction
        True effects. Default (both None): the features called in the study
        (``padj < fdr``) keep their observed log2 fold change, the rest none. With ``fraction``
        (and ``log2_fc``, default 1): that fraction of the features, chosen at random, get
        ±``log2_fc`` (random sign).
    seed
        Seed of the effects and counts.
    bins
        Expression bins (quantiles of ``base_mean`` among the true effects) for sensitivity.
    jobs
        Worker processes analysing the simulated studies (1: in this process). Each study
        has its own seed (``seed``, n, study number), so the result is the same for any
        ``jobs``.

    Returns
    -------
    RnaSeqPower

    Notes
    -----
    Counts are negative binomial with the feature's mean (``base_mean``, geometric centre of
    the two groups) times 2^(±LFC / 2), dispersion ``dispersion`` (DESeq2's final estimate),
    size factors 1. Each study is analysed with :func:`exodisc.omics.de.run_de` (design
    ``~ group``, Wald test, DESeq2's defaults: size factors, dispersions, Cook's distances and
    independent filtering at ``fdr`` are all estimated from the simulated counts). Counted as
    found: ``padj < fdr``; false discovery proportion = false calls / calls (0 without calls).
    The approach of PROPER (Wu, Wang & Wu 2015, Bioinformatics 31:233–241) and ssizeRNA
    (Bi & Liu 2016, BMC Bioinformatics 17:146). R equivalent: ``PROPER::runSims`` +
    ``comparePower``.
    """
    if not 0 < fdr < 1:
        msg = f"fdr must be between 0 and 1, got {fdr!r}"
        raise ValueError(msg)
    if n_sim < 1 or any(int(n) < 2 for n in n_per_group):
        msg = f"need n_sim >= 1 and every n >= 2; got n_sim={n_sim}, n={list(n_per_group)}"
        raise DesignError(msg)
    if jobs < 1:
        msg = f"jobs must be at least 1, got {jobs!r}"
        raise ValueError(msg)
    need = ["feature_id", "base_mean", "dispersion", "log2_fold_change", "padj"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        msg = f"the DE table lacks column(s) {missing}; pass a DEResult.table of the DESeq2 method"
        raise DesignError(msg)
    t = table.loc[
        np.isfinite(table["dispersion"].to_numpy(float)) & (table["base_mean"].to_numpy(float) > 0)
    ]
    if len(t) < 10:
        msg = f"only {len(t)} features with a mean and dispersion; need at least 10 to simulate"
        raise DesignError(msg)
    rng = np.random.default_rng([seed, 21])
    mu = t["base_mean"].to_numpy(float)
    disp = t["dispersion"].to_numpy(float)
    if fraction is None and log2_fc is None:
        called = (t["padj"] < fdr).fillna(False).to_numpy(bool)
        lfc = np.where(called, t["log2_fold_change"].to_numpy(float), 0.0)
        rule = f"observed LFC of the {int(called.sum())} features called at FDR {fdr}"
    else:
        frac = 0.1 if fraction is None else float(fraction)
        size = 1.0 if log2_fc is None else float(log2_fc)
        if not 0 < frac <= 1 or size <= 0:
            msg = f"fraction must be in (0, 1] and log2_fc > 0; got {frac}, {size}"
            raise DesignError(msg)
        chosen = rng.choice(len(t), size=max(1, round(frac * len(t))), replace=False)
        lfc = np.zeros(len(t))
        lfc[chosen] = size * rng.choice([-1.0, 1.0], size=chosen.size)
        rule = f"{chosen.size} features ({frac:.0%}) with |log2FC| = {size:g}"
    truth = lfc != 0
    if not truth.any():
        msg = (
            f"no true effects to find: no feature was called at FDR {fdr}; give fraction= and "
            "log2_fc= (a planning effect)"
        )
        raise DesignError(msg)
    edges = np.unique(np.quantile(mu[truth], np.linspace(0, 1, bins + 1)))
    if edges.size < 2:  # every true effect at one mean: one bin
        edges = np.repeat(edges, 2)
    bin_of = np.clip(np.searchsorted(edges, mu, side="right") - 1, 0, len(edges) - 2)
    setup = _Setup(
        ids=t["feature_id"].astype(str).to_numpy(),
        mu=mu,
        lfc=lfc,
        disp=disp,
        truth=truth,
        bin_of=bin_of,
        n_bins=len(edges) - 1,
        fdr=fdr,
        seed=seed,
    )
    sizes = [int(x) for x in n_per_group]
    tasks = [(n, s) for n in sizes for s in range(n_sim)]
    done = _run_studies(setup, tasks, jobs=jobs)
    runs = [row for row, _ in done]
    hits_by_n: dict[int, list[np.ndarray]] = {}
    for (n, _), (_, hits) in zip(tasks, done, strict=True):
        hits_by_n.setdefault(n, []).append(hits)
    n_true = np.bincount(bin_of[truth], minlength=setup.n_bins)
    by_expr = []
    for n in sizes:
        mean_hits = np.mean(hits_by_n[n], axis=0)
        for b in range(setup.n_bins):
            by_expr.append(
                {"n": n, "expression_bin": b + 1, "base_mean_low": edges[b],
                 "base_mean_high": edges[b + 1], "true_de": int(n_true[b]),
                 "sensitivity": float(mean_hits[b] / n_true[b]) if n_true[b] else np.nan}
            )  # fmt: skip
    rdf = pd.DataFrame(runs)
    g = rdf.groupby("n")
    summary = pd.DataFrame(
        {
            "n": list(g.groups),
            "n_sim": g.size().to_numpy(),
            "true_de": int(truth.sum()),
            "found_mean": g["called"].mean().to_numpy(),
            "found_sd": g["called"].std(ddof=1).fillna(0.0).to_numpy(),
            "found_q025": g["called"].quantile(0.025).to_numpy(),
            "found_q975": g["called"].quantile(0.975).to_numpy(),
            "true_found_mean": g["true_positive"].mean().to_numpy(),
            "true_found_q025": g["true_positive"].quantile(0.025).to_numpy(),
            "true_found_q975": g["true_positive"].quantile(0.975).to_numpy(),
            "fdp_mean": g["fdp"].mean().to_numpy(),
            "fdp_q975": g["fdp"].quantile(0.975).to_numpy(),
            "n_failed": g["failed"].apply(lambda f: int((f != "").sum())).to_numpy(),
        }
    )
    summary["sensitivity"] = summary["true_found_mean"] / truth.sum()
    return RnaSeqPower(
        summary,
        pd.DataFrame(by_expr),
        rdf,
        MappingProxyType(
            {
                "fdr": fdr,
                "effects": rule,
                "n_features": len(t),
                "n_true": int(truth.sum()),
                "n_sim": n_sim,
                "seed": seed,
                "n_per_group": tuple(sizes),
                "jobs": jobs,
            }
        ),
    )


@dataclass(frozen=True)
class _Setup:
    """What every simulated study needs (sent once to each worker process)."""

    ids: np.ndarray
    mu: np.ndarray
    lfc: np.ndarray
    disp: np.ndarray
    truth: np.ndarray
    bin_of: np.ndarray
    n_bins: int
    fdr: float
    seed: int


def _one_study(setup: _Setup, n: int, s: int) -> tuple[dict[str, Any], np.ndarray]:
    """Simulate study ``s`` with ``n`` per group, analyse it with ``run_de``, score the calls."""
    from exodisc.omics.de import counts_to_anndata, run_de

    rng = np.random.default_rng([setup.seed, 21, n, s])
    size_nb = 1.0 / setup.disp[:, None]
    means = np.concatenate(
        [np.repeat((setup.mu * 2 ** (-setup.lfc / 2))[:, None], n, 1),
         np.repeat((setup.mu * 2 ** (setup.lfc / 2))[:, None], n, 1)], axis=1,
    )  # fmt: skip
    counts = rng.negative_binomial(size_nb, size_nb / (size_nb + means))
    keep = counts.sum(axis=1) > 0
    names = [f"ref_{i}" for i in range(n)] + [f"test_{i}" for i in range(n)]
    sheet = pd.DataFrame({"group": ["ref"] * n + ["test"] * n}, index=names)
    frame = pd.DataFrame(counts[keep], index=setup.ids[keep], columns=names)
    call = np.zeros(setup.ids.size, dtype=bool)
    failed = ""
    try:
        res = run_de(
            counts_to_anndata(frame, sheet), "~ group", ("group", "test", "ref"), alpha=setup.fdr
        )
    except DesignError as err:  # e.g. every feature has a zero: DESeq2 cannot analyse it
        failed = str(err)  # the study finds nothing, as its analysis would
    else:
        # run_de returns its table in input order: row i is feature ids[keep][i]
        call[keep] = res.table["padj"].to_numpy(float) < setup.fdr
    tp = int((call & setup.truth).sum())
    fp = int((call & ~setup.truth).sum())
    row = {"n": n, "sim": s, "called": tp + fp, "true_positive": tp, "false_positive": fp,
           "fdp": fp / (tp + fp) if tp + fp else 0.0, "failed": failed}  # fmt: skip
    return row, np.bincount(setup.bin_of[call & setup.truth], minlength=setup.n_bins)


#: The setup of the studies a worker process analyses (set by :func:`_worker_init`).
_WORKER_SETUP: _Setup | None = None


def _worker_init(setup: _Setup) -> None:
    """Worker process: keep the setup; Ctrl-C is the parent's."""
    import signal

    global _WORKER_SETUP
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_SETUP = setup


def _worker_study(task: tuple[int, int]) -> tuple[dict[str, Any], np.ndarray]:
    if _WORKER_SETUP is None:  # pragma: no cover - only reached in a worker
        msg = "worker process started without its setup"
        raise RuntimeError(msg)
    return _one_study(_WORKER_SETUP, *task)


def _run_studies(
    setup: _Setup, tasks: list[tuple[int, int]], *, jobs: int
) -> list[tuple[dict[str, Any], np.ndarray]]:
    """Every (n, study) task, in order: here, or in ``jobs`` spawned worker processes.

    Spawned (not forked) workers are safe while other threads run (a progress display);
    each imports exodisc once (a second or two), so processes pay off for long runs only.
    """
    if jobs <= 1 or len(tasks) < 2:
        return [_one_study(setup, n, s) for n, s in tasks]
    import multiprocessing as mp

    workers = min(jobs, len(tasks))
    pool = mp.get_context("spawn").Pool(workers, initializer=_worker_init, initargs=(setup,))
    try:
        chunk = max(1, len(tasks) // (workers * 8))
        out = list(pool.imap(_worker_study, tasks, chunksize=chunk))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return out
