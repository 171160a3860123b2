"""Relative quantification: technical replicates, ΔCt, ΔΔCt (Livak) and Pfaffl."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import DesignError, SchemaError

__all__ = ["RelQuantResult", "relative_quantification", "summarize_replicates"]

UndeterminedPolicy = Literal["exclude", "cycle_limit", "not_detected"]
RqInterval = Literal["auto", "paired", "unpaired"]
OutlierRule = Literal["none", "farthest_from_median"]

_NEED = ("well", "sample", "target", "ct")


@dataclass(frozen=True)
class RelQuantResult:
    """Result of :func:`relative_quantification`.

    Attributes
    ----------
    table
        One row per sample and target: ``sample``, ``target``, ``n``, ``ct_mean``, ``ct_sd``,
        ``delta_ct``, ``delta_ct_se``, ``df`` (degrees of freedom of the t quantile of
        ``rq_min`` / ``rq_max``), ``delta_delta_ct``, ``rq``, ``rq_min``, ``rq_max``,
        ``flags`` (``;``-separated: ``reference``, ``calibrator``, ``high_sd``,
        ``high_range``, ``undetermined_set_to_limit``, ``not_detected``, ``ntc_contamination``).
    replicates
        Technical-replicate summary per sample and target (``n``, ``ct_mean``, ``ct_sd``,
        ``ct_range``, ``flags``).
    wells
        The wells used, with the Ct the analysis used (``ct_used``).
    ntc
        NTC wells with their Ct and whether they flag contamination.
    dropped
        Wells left out, each with its ``reason`` (omitted, Undetermined, outlier rule).
    params
        Everything that was decided: reference genes, calibrator, efficiencies, policies.
    """

    table: pd.DataFrame
    replicates: pd.DataFrame
    wells: pd.DataFrame
    ntc: pd.DataFrame
    dropped: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _check(wells: pd.DataFrame) -> None:
    missing = [c for c in _NEED if c not in wells.columns]
    if missing:
        msg = f"the well table lacks column(s) {missing}; it has {list(wells.columns)}"
        raise SchemaError(msg)


def _flags(*parts: str) -> str:
    return ";".join(p for p in dict.fromkeys(parts) if p)


def summarize_replicates(
    wells: pd.DataFrame,
    *,
    sd_max: float = 0.3,
    range_max: float = 0.5,
    outlier_rule: OutlierRule = "none",
    value: str = "ct_used",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Average technical replicates per sample and target and flag poor agreement.

    Parameters
    ----------
    wells
        One row per well and target with ``sample``, ``target``, ``well`` and ``value``.
    sd_max, range_max
        QC limits in cycles: ``high_sd`` where SD > ``sd_max``, ``high_range`` where the
        range (max − min) > ``range_max``.
    outlier_rule
        ``"farthest_from_median"``: where a group is flagged and has ≥ 3 replicates, the
        replicate farthest from the median is left out (recorded in the second table).
    value
        Column holding the Ct to average.

    Returns
    -------
    summary, dropped
        ``summary``: ``sample``, ``target``, ``n``, ``ct_mean``, ``ct_sd`` (n − 1), ``ct_se``,
        ``ct_range``, ``flags``. ``dropped``: wells removed by the outlier rule.

    Notes
    -----
    R equivalent: ``aggregate(ct ~ sample + target, FUN = mean)`` and ``sd``. The 0.3-cycle
    SD rule is the common MIQE-era convention (Bustin et al. 2009); Thermo's software flags
    replicate groups by the same kind of rule (HIGHSD).
    """
    rows = []
    dropped = []
    for (sample, target), g in wells.groupby(["sample", "target"], sort=True):
        g = g.sort_values("well")
        x = g[value].to_numpy(dtype=float)
        flags = []
        sd = float(np.std(x, ddof=1)) if x.size > 1 else np.nan
        rng = float(x.max() - x.min()) if x.size else np.nan
        bad = (x.size > 1) and (sd > sd_max or rng > range_max)
        if bad and outlier_rule == "farthest_from_median" and x.size >= 3:
            med = np.median(x)
            k = int(np.argmax(np.abs(x - med)))
            out = g.iloc[[k]].copy()
            out["reason"] = (
                f"technical outlier: SD {sd:.3f} > {sd_max} or range {rng:.3f} > {range_max}; "
                "farthest from the median"
            )
            dropped.append(out)
            x = np.delete(x, k)
            flags.append("outlier_removed")
            sd = float(np.std(x, ddof=1)) if x.size > 1 else np.nan
            rng = float(x.max() - x.min())
        if x.size > 1 and sd > sd_max:
            flags.append("high_sd")
        if x.size > 1 and rng > range_max:
            flags.append("high_range")
        rows.append(
            {
                "sample": sample,
                "target": target,
                "n": int(x.size),
                "ct_mean": float(x.mean()) if x.size else np.nan,
                "ct_sd": sd,
                "ct_se": sd / np.sqrt(x.size) if x.size > 1 else np.nan,
                "ct_range": rng,
                "flags": _flags(*flags),
            }
        )
    summary = pd.DataFrame(
        rows,
        columns=["sample", "target", "n", "ct_mean", "ct_sd", "ct_se", "ct_range", "flags"],
    )
    drop = pd.concat(dropped, ignore_index=True) if dropped else wells.iloc[:0].assign(reason="")
    return summary, drop


def _log2_efficiency(targets: Sequence[str], efficiency: Mapping[str, float] | None) -> dict:
    out = {}
    eff = dict(efficiency or {})
    unknown = sorted(set(eff) - set(targets))
    if unknown:
        msg = f"efficiency given for target(s) {unknown} that are not in the data ({targets})"
        raise DesignError(msg)
    for t in targets:
        e = float(eff.get(t, 2.0))
        if not 1.0 < e <= 3.0:
            msg = (
                f"efficiency of {t!r} must be an amplification factor between 1 and 3 "
                f"(2 = 100 %), got {e!r}"
            )
            raise ValueError(msg)
        out[t] = float(np.log2(e))
    return out


def _paired_delta_ct(
    used: pd.DataFrame,
    table: pd.DataFrame,
    reference: list[str],
    log2e: Mapping[str, float],
    interval: str,
) -> dict[int, tuple[float, int]]:
    """Per-well ΔCt SE and df for the rows of ``table`` whose target shares wells with refs.

    Returns ``{row index: (SE, df)}``; rows not paired keep the unpaired SE. With
    ``interval="paired"`` a row that cannot be paired is an error; with ``"unpaired"``
    nothing is paired.
    """
    out: dict[int, tuple[float, int]] = {}
    if interval == "unpaired":
        return out
    weighted = used.assign(wct=used["ct_used"] * used["target"].map(log2e))
    by_well = weighted.pivot_table(
        index=["sample", "well"], columns="target", values="wct", aggfunc="mean"
    )
    for i in table.index:
        tgt, smp = str(table.at[i, "target"]), str(table.at[i, "sample"])
        if tgt in reference or not np.isfinite(float(table.at[i, "delta_ct"])):  # type: ignore[arg-type]
            continue
        mine = weighted[weighted["sample"] == smp]
        wells_t = set(mine.loc[mine["target"] == tgt, "well"])
        # paired only where target and every reference were read in exactly the same wells
        # (and no replicate of either was left out by the outlier rule)
        ok = len(wells_t) >= 2 and len(wells_t) == int(table.at[i, "n"])  # type: ignore[arg-type]
        ok = ok and all(set(mine.loc[mine["target"] == r, "well"]) == wells_t for r in reference)
        if not ok:
            if interval == "paired":
                msg = (
                    f"interval='paired' needs the reference(s) {reference} in every well of "
                    f"sample {smp!r}, target {tgt!r} (multiplexed wells, at least 2); "
                    "use interval='unpaired' for separate wells"
                )
                raise DesignError(msg)
            continue
        sub = by_well.loc[smp].loc[sorted(wells_t)]
        ref_ct = sub[reference].to_numpy(dtype=float).mean(axis=1)
        d = sub[tgt].to_numpy(dtype=float) - ref_ct
        out[int(i)] = (float(np.std(d, ddof=1) / np.sqrt(d.size)), int(d.size - 1))
    return out


def relative_quantification(
    wells: pd.DataFrame,
    *,
    reference: Sequence[str],
    calibrator: str | Sequence[str],
    efficiency: Mapping[str, float] | None = None,
    undetermined: UndeterminedPolicy = "exclude",
    cycle_limit: float = 40.0,
    sd_max: float = 0.3,
    range_max: float = 0.5,
    outlier_rule: OutlierRule = "none",
    ntc_ct_max: float = 35.0,
    confidence: float = 0.95,
    interval: RqInterval = "auto",
) -> RelQuantResult:
    """Relative expression by the 2^-ΔΔCt method, or Pfaffl's efficiency-corrected ratio.

    Parameters
    ----------
    wells
        Tidy well table (:attr:`exodisc.io.qpcr.QpcrRun.wells`): ``well``, ``sample``,
        ``target``, ``ct``; optional ``task`` (NTC / STANDARD wells are set aside),
        ``undetermined`` and ``omit``.
    reference
        Reference (endogenous control) gene(s). With several, their mean Ct is used, i.e.
        the geometric mean of their relative quantities (Vandesompele et al. 2002).
    calibrator
        The sample whose ΔCt is subtracted (RQ = 1), or several samples (e.g. the
        biological replicates of the control group): their mean ΔCt is subtracted, so every
        sample keeps its own fold change (the paper's per-replicate 2^-ΔΔCt).
    efficiency
        Amplification factor per target (2 = 100 %), from standard curves or given; targets
        not listed use 2. Any value other than 2 gives Pfaffl's ratio (Pfaffl 2001).
    undetermined
        Policy for Undetermined (no-Cq) wells of unknowns: ``"exclude"`` the well,
        set it to ``cycle_limit``, or ``"not_detected"``: a sample × target with no Cq in
        any replicate is reported as not detected (RQ missing, flagged); partial ones drop
        the undetermined wells.
    cycle_limit
        Cycle number used by ``undetermined="cycle_limit"``.
    sd_max, range_max, outlier_rule
        Technical-replicate QC (see :func:`summarize_replicates`).
    ntc_ct_max
        An NTC well with a Ct below this flags contamination of its target.
    confidence
        Confidence level of ``rq_min`` / ``rq_max`` (QuantStudio's "RQ Min/Max Confidence
        Level" analysis setting, 95 % unless the user changed it). The command line and
        ``exodisc run`` take it from the export where the export gives it away
        (:func:`resolve_confidence`); here it is simply the level used.
    interval
        How the ΔCt standard error and degrees of freedom of ``rq_min`` / ``rq_max`` are
        formed. ``"unpaired"``: target and reference in different wells, SE(ΔCt) =
        √(SE_target² + SE_ref²) on n_target + n_ref − 2 df. ``"paired"``: target and
        reference multiplexed in the same wells, ΔCt computed per well, SE = SD(ΔCt per
        well)/√n on n − 1 df (needs every target well to hold the reference(s) too).
        ``"auto"`` (default): paired for a sample × target whose every well also holds
        the reference(s), unpaired otherwise — what QuantStudio Design & Analysis does.

    Returns
    -------
    RelQuantResult

    Notes
    -----
    Per sample and target: ΔCt = mean Ct(target) − mean Ct(reference);
    SE(ΔCt) = √(SE_target² + SE_ref²); ΔΔCt = ΔCt − ΔCt(calibrator); RQ = 2^-ΔΔCt;
    RQ min/max = 2^-(ΔΔCt ± t · SE(ΔCt)) with t the two-sided Student quantile at
    ``confidence`` on n_target + n_ref − 2 degrees of freedom (separate wells) or on the
    per-well ΔCt with n − 1 df (multiplexed wells) — the convention of Thermo Fisher's
    QuantStudio / Design & Analysis software (whose RQ Replicate Group Result sheet this
    reproduces). The ΔCt itself is the same either way (mean of differences = difference
    of means on the same wells). With efficiencies, every Ct is weighted by log2(E) first,
    giving Pfaffl's ratio E_t^ΔCt_t(cal − sample) / E_ref^ΔCt_ref(cal − sample) (the qbase+
    generalisation to several references). Livak & Schmittgen 2001, Methods 25:402;
    Pfaffl 2001, NAR 29:e45.
    R equivalent: ``pcr::pcr_ddct`` / ``pcr::pcr_curve``; Thermo Fisher "Relative
    Quantification" analysis module.

    Examples
    --------
    >>> import pandas as pd
    >>> wells = pd.DataFrame({
    ...     "well": ["A1", "A2", "B1", "B2"],
    ...     "sample": ["ctrl", "ctrl", "il1b", "il1b"],
    ...     "target": ["GAPDH", "SOX9", "GAPDH", "SOX9"],
    ...     "ct": [18.0, 25.0, 18.0, 27.0],
    ... })
    >>> res = relative_quantification(wells, reference=["GAPDH"], calibrator="ctrl")
    >>> res.table.loc[res.table["target"] == "SOX9", ["sample", "delta_delta_ct", "rq"]]
      sample  delta_delta_ct    rq
    1   ctrl             0.0  1.00
    3   il1b             2.0  0.25
    """
    from scipy import stats as sps

    _check(wells)
    reference = list(dict.fromkeys(reference))
    if not reference:
        raise DesignError("at least one reference gene is needed")
    if not 0 < confidence < 1:
        msg = f"confidence must be between 0 and 1, got {confidence!r}"
        raise ValueError(msg)
    if interval not in ("auto", "paired", "unpaired"):
        msg = f"interval must be 'auto', 'paired' or 'unpaired', got {interval!r}"
        raise ValueError(msg)
    w = wells.copy()
    if "task" not in w:
        w["task"] = "UNKNOWN"
    if "undetermined" not in w:
        w["undetermined"] = w["ct"].isna()
    if "omit" not in w:
        w["omit"] = False
    w["undetermined"] = w["undetermined"].astype(bool) | w["ct"].isna()
    dropped: list[pd.DataFrame] = []

    omitted = w[w["omit"].astype(bool)]
    if len(omitted):
        dropped.append(omitted.assign(reason="omitted in the instrument file"))
    w = w[~w["omit"].astype(bool)]

    ntc = w[w["task"] == "NTC"].copy()
    ntc["contaminated"] = (~ntc["undetermined"]) & (ntc["ct"] < ntc_ct_max)
    contaminated = set(ntc.loc[ntc["contaminated"], "target"])

    unk = w[w["task"].isin(["UNKNOWN"])].copy()
    nameless = unk["sample"].astype(str).str.strip() == ""
    if nameless.any():
        dropped.append(unk[nameless].assign(reason="no sample name in the export"))
        unk = unk[~nameless]
    targets = sorted(unk["target"].unique())
    missing_ref = [r for r in reference if r not in targets]
    if missing_ref:
        msg = f"reference gene(s) {missing_ref} not found; the targets are {targets}"
        raise DesignError(msg)
    cal_samples = [calibrator] if isinstance(calibrator, str) else list(calibrator)
    absent = [c for c in cal_samples if c not in set(unk["sample"])]
    if absent or not cal_samples:
        msg = (
            f"calibrator sample(s) {absent or cal_samples!r} not found; the samples are "
            f"{sorted(unk['sample'].unique())}"
        )
        raise DesignError(msg)
    log2e = _log2_efficiency(targets, efficiency)

    not_detected: set[tuple[str, str]] = set()
    und = unk["undetermined"]
    unk["ct_used"] = unk["ct"]
    unk["well_flag"] = ""
    if undetermined == "cycle_limit":
        unk.loc[und, "ct_used"] = cycle_limit
        unk.loc[und, "well_flag"] = "undetermined_set_to_limit"
    else:
        if undetermined == "not_detected":
            all_und = unk.groupby(["sample", "target"])["undetermined"].transform("all")
            for s, t in (
                unk.loc[all_und, ["sample", "target"]].drop_duplicates().itertuples(index=False)
            ):
                not_detected.add((str(s), str(t)))
        if und.any():
            dropped.append(
                unk[und]
                .drop(columns=["ct_used", "well_flag"])
                .assign(reason=f"Undetermined Ct (policy {undetermined!r})")
            )
        unk = unk[~und]
        dead = [r for r in reference if r not in set(unk["target"])]
        if dead:
            msg = (
                f"reference gene(s) {dead} are Undetermined in every well, so no ΔCt can be "
                f"computed (policy {undetermined!r}); check the reference assay, or use "
                "--undetermined cycle_limit if a Ct at the cycle limit is meaningful"
            )
            raise DesignError(msg)

    summary, out = summarize_replicates(
        unk, sd_max=sd_max, range_max=range_max, outlier_rule=outlier_rule
    )
    if len(out):
        dropped.append(out.drop(columns=["ct_used", "well_flag"], errors="ignore"))
    limit_groups = set(
        map(tuple, unk.loc[unk["well_flag"] != "", ["sample", "target"]].to_numpy().tolist())
    )
    for s, t in sorted(not_detected):
        summary.loc[len(summary)] = {
            "sample": s,
            "target": t,
            "n": 0,
            "ct_mean": np.nan,
            "ct_sd": np.nan,
            "ct_se": np.nan,
            "ct_range": np.nan,
            "flags": "not_detected",
        }
    summary = summary.sort_values(["sample", "target"]).reset_index(drop=True)

    # efficiency-weighted Cts: Ct * log2(E)  (== Ct when E = 2)
    s = summary.set_index(["sample", "target"])
    wmean = s["ct_mean"] * np.array([log2e[t] for t in s.index.get_level_values("target")])
    wse = s["ct_se"].fillna(0.0) * np.array([log2e[t] for t in s.index.get_level_values("target")])
    rows: list[dict[str, Any]] = []
    samples = sorted(summary["sample"].unique())
    ref_info: dict[str, tuple[float, float, int]] = {}
    for smp in samples:
        vals: list[float] = []
        ses: list[float] = []
        ns: list[int] = []
        for r in reference:
            key = (smp, r)
            if key not in s.index or not np.isfinite(wmean.get(key, np.nan)):
                vals = []
                break
            vals.append(float(wmean[key]))
            ses.append(float(wse[key]))
            ns.append(int(s.loc[key, "n"]))
        if vals:
            k = len(vals)
            ref_info[smp] = (
                float(np.mean(vals)),
                float(np.sqrt(np.sum(np.square(ses))) / k),
                int(np.sum(ns)),
            )
    for rec in summary.to_dict("records"):
        smp, tgt = str(rec["sample"]), str(rec["target"])
        flags = [str(rec["flags"])] if rec["flags"] else []
        if (smp, tgt) in limit_groups:
            flags.append("undetermined_set_to_limit")
        if tgt in contaminated:
            flags.append("ntc_contamination")
        row = {
            "sample": smp,
            "target": tgt,
            "n": int(rec["n"]),
            "ct_mean": float(rec["ct_mean"]),
            "ct_sd": float(rec["ct_sd"]),
            "delta_ct": np.nan,
            "delta_ct_se": np.nan,
            "df": np.nan,
        }
        if tgt in reference:
            flags.insert(0, "reference")
        elif smp not in ref_info:
            flags.append("no_reference_ct")
        elif np.isfinite(wmean[(smp, tgt)]):
            ref_mean, ref_se, ref_n = ref_info[smp]
            row["delta_ct"] = float(wmean[(smp, tgt)] - ref_mean)
            row["delta_ct_se"] = float(np.sqrt(wse[(smp, tgt)] ** 2 + ref_se**2))
            row["df"] = int(rec["n"]) + ref_n - 1 - len(reference)
        if smp in cal_samples:
            flags.append("calibrator")
        row["flags"] = _flags(*flags)
        rows.append(row)
    table = pd.DataFrame(rows)
    paired = _paired_delta_ct(unk, table, reference, log2e, interval)
    for i, (se, dfp) in paired.items():
        table.loc[i, "delta_ct_se"] = se
        table.loc[i, "df"] = dfp
        table.loc[i, "flags"] = _flags(str(table.loc[i, "flags"]), "paired_wells")
    cal = table[table["sample"].isin(cal_samples)].groupby("target")["delta_ct"].mean()
    table["delta_delta_ct"] = table["delta_ct"] - table["target"].map(cal)
    table["rq"] = np.exp2(-table["delta_delta_ct"])
    q = 1 - (1 - confidence) / 2
    df = table["df"].to_numpy(dtype=float)
    tq = np.full(df.shape, np.nan)
    ok = np.isfinite(df) & (df > 0)
    tq[ok] = sps.t.ppf(q, df[ok])
    half = tq * table["delta_ct_se"].to_numpy(dtype=float)
    table["rq_min"] = np.exp2(-(table["delta_delta_ct"] + half))
    table["rq_max"] = np.exp2(-(table["delta_delta_ct"] - half))
    no_cal = table["delta_ct"].notna() & table["delta_delta_ct"].isna()
    table.loc[no_cal, "flags"] = [_flags(f, "no_calibrator_ct") for f in table.loc[no_cal, "flags"]]
    table = table[
        [
            "sample",
            "target",
            "n",
            "ct_mean",
            "ct_sd",
            "delta_ct",
            "delta_ct_se",
            "df",
            "delta_delta_ct",
            "rq",
            "rq_min",
            "rq_max",
            "flags",
        ]
    ]
    used = unk.drop(columns=["well_flag"]).sort_values(["sample", "target", "well"])
    drop = (
        pd.concat(dropped, ignore_index=True)
        if dropped
        else pd.DataFrame(columns=[*wells.columns, "reason"])
    )
    params = {
        "reference": reference,
        "calibrator": cal_samples,
        "efficiency": {t: float(2**v) for t, v in log2e.items()},
        "method": "pfaffl" if any(abs(v - 1) > 1e-12 for v in log2e.values()) else "ddct",
        "undetermined": undetermined,
        "cycle_limit": cycle_limit,
        "sd_max": sd_max,
        "range_max": range_max,
        "outlier_rule": outlier_rule,
        "ntc_ct_max": ntc_ct_max,
        "confidence": confidence,
        "interval": interval,
        "n_paired": len(paired),
        "ntc_contaminated_targets": sorted(contaminated),
    }
    return RelQuantResult(
        table.reset_index(drop=True),
        summary,
        used.reset_index(drop=True),
        ntc.reset_index(drop=True),
        drop.reset_index(drop=True),
        params,
    )
