"""CCK-8 (WST-8) viability: blank subtraction, viability %, AUC and QC from plate reads."""

from __future__ import annotations

import collections
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from exodisc.errors import DesignError, SchemaError

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["BLANK_LABELS", "EMPTY_LABELS", "Cck8Result", "analyse_cck8", "robust_z"]

#: Layout labels of wells with medium + CCK-8 and no cells.
BLANK_LABELS = frozenset({"blank", "blk", "background", "bg", "medium"})
#: Layout labels of wells that are not analysed.
EMPTY_LABELS = frozenset({"empty", "-", "none", "x"})


def robust_z(
    values: np.ndarray,
    groups: np.ndarray | None = None,
    *,
    relative: bool = False,
    calibrate_at: float = 3.5,
) -> np.ndarray:
    """Robust z-scores; with ``groups``, calibrated for a few technical wells per replicate.

    Parameters
    ----------
    values
        The values.
    groups
        Optional group label per value (the biological replicate of each technical well).
        Each value is then compared with its own group's median and scaled by the noise SD
        pooled over every group (see Notes).
    relative
        With ``groups``: divide each deviation by its group's median (absorbance noise grows
        with the signal, so wells of dense and sparse replicates are judged alike).
    calibrate_at
        With ``groups``: the |z| at which the false-flag rate under Gaussian noise is made
        to equal a N(0, 1) variable's, ``2Φ(−calibrate_at)`` (use the flagging threshold).

    Returns
    -------
    numpy.ndarray
        z per value; 0 everywhere when the (pooled) scale is 0, and 0 for a group of one.

    Raises
    ------
    DesignError
        A group with more technical wells than the calibration table holds (24).

    Notes
    -----
    Without ``groups``: the modified z-score of Iglewicz & Hoaglin,
    ``0.6745 (x − median) / MAD``; R: ``0.6745 * (x - median(x)) / mad(x, constant = 1)``.

    With ``groups``, for a well of a replicate with n technical wells (median m):

    * deviation ``d = x − m`` (``(x − m) / |m|`` when ``relative``);
    * pooled noise SD ``s``: with ``u = |d| / scale_n`` over the wells with ``d ≠ 0`` (the
      median well of an odd n deviates by 0 by construction), the root mean square of the
      smallest 80 % of ``u`` (the largest 20 %, where outliers sit, are left out; more
      efficient than the median of ``u``: ±8 % instead of ±11 % with 60 replicates of 3);
    * ``z = f · d / (tail_n · s)``.

    ``scale_n`` is the median of the non-zero ``|x − median(x)|`` and ``tail_n · 3.5`` the
    ``1 − 2Φ(−3.5)`` quantile of ``|x − median(x)|`` for n standard-normal wells (seeded
    Monte-Carlo, ``tests/reference/cck8/robust_z_constants.py``, checked against the exact
    integrals for n = 2 and 3; ``scale_3`` = 0.690, ``tail_3`` = 1.115). The deviation from a
    median of 3 is not normal (its tail is that of ``N(0, 1.5σ²)``), so the plain
    0.6745 / MAD constant flags far too many wells. ``f`` puts ``s`` on the SD scale and
    corrects for its estimation error (which fattens the tail the way Student's t does):
    it is ``calibrate_at`` divided by the ``1 − 2Φ(−calibrate_at)``
    quantile of ``|d / (tail_n · s)|`` over Gaussian plates of the same design (the same
    replicate sizes), simulated with a fixed seed (about 2 million wells; cached per design).
    Under Gaussian noise ``|z| > calibrate_at`` then happens as often as for a N(0, 1)
    variable (≈ 4.7e-4 per well at 3.5), whatever the number of wells and replicates.

    R: ``m <- ave(x, g, FUN = median); d <- (x - m) / abs(m);
    k <- ave(x, g, FUN = length); u <- sort(abs(d[d != 0]) / scale[k[d != 0]]);
    s <- sqrt(mean(head(u, length(u) - floor(0.2 * length(u)))^2));
    z <- f * d / (tail[k] * s)``, with ``f`` from the same simulation (see
    ``tests/reference/cck8/cck8_reference.R``).
    """
    x = np.asarray(values, dtype=float)
    if groups is None:
        dev = x - np.median(x)
        mad = np.median(np.abs(dev))
        return 0.6745 * dev / mad if mad > 0 else np.zeros_like(x)
    from exodisc.assays.viability._zconst import Z_CONSTANTS

    g = pd.Series(x).groupby(np.asarray(groups))
    med = g.transform("median").to_numpy()
    n = g.transform("size").to_numpy()
    if (too_many := n > max(Z_CONSTANTS)).any():
        msg = (
            f"{int(n[too_many].max())} technical wells in one replicate; the robust z is "
            f"calibrated for 2–{max(Z_CONSTANTS)} wells per replicate"
        )
        raise DesignError(msg)
    dev = x - med
    if relative:
        dev = dev / np.abs(med)
    scale = np.array([Z_CONSTANTS.get(int(k), (np.nan, np.nan))[0] for k in n])
    tail = np.array([Z_CONSTANTS.get(int(k), (np.nan, np.nan))[1] for k in n])
    nonzero = np.abs(dev) > 0
    if not nonzero.any():
        return np.zeros_like(x)
    sd = float(_trimmed_rms(np.abs(dev[nonzero]) / scale[nonzero]))
    if not sd > 0:
        return np.zeros_like(x)
    sizes = g.size()
    factor = _null_factor(tuple(sorted(int(k) for k in sizes[sizes > 1])), calibrate_at)
    return np.where(n > 1, factor * dev / (np.where(n > 1, tail, 1.0) * sd), 0.0)


#: share of the largest pooled deviations left out of the noise SD (the outliers' own)
TRIM = 0.2


def _trimmed_rms(u: np.ndarray) -> np.ndarray:
    """Root mean square of the smallest ``1 − TRIM`` of ``u`` along its last axis."""
    k = u.shape[-1] - int(TRIM * u.shape[-1])
    return np.sqrt(np.mean(np.sort(u, axis=-1)[..., :k] ** 2, axis=-1))


@functools.lru_cache(maxsize=64)
def _null_factor(sizes: tuple[int, ...], at: float) -> float:
    """``at`` over the null quantile of |d / (tail_n s)| for replicates of these sizes."""
    from scipy import stats

    from exodisc.assays.viability._zconst import Z_CONSTANTS

    if not sizes:
        return 1.0
    rng = np.random.default_rng(20261121)
    n_plates = max(2_000, -(-2_000_000 // sum(sizes)))
    devs, scaled = [], []
    for k, count in sorted(collections.Counter(sizes).items()):
        x = np.sort(rng.standard_normal((n_plates, count, k)), axis=2)
        d = x - np.median(x, axis=2, keepdims=True)
        scale, tail = Z_CONSTANTS[k]
        devs.append((d / tail).reshape(n_plates, -1))
        keep = np.delete(d, k // 2, axis=2) if k % 2 else d  # the median well: d = 0
        scaled.append(np.abs(keep).reshape(n_plates, -1) / scale)
    sd = _trimmed_rms(np.concatenate(scaled, axis=1))[:, None]
    z = np.abs(np.concatenate(devs, axis=1) / sd).ravel()
    q = float(np.quantile(z, 1 - 2 * stats.norm.sf(at)))
    return at / q


@dataclass(frozen=True)
class Cck8Result:
    """Result of :func:`analyse_cck8`.

    Attributes
    ----------
    wells
        One row per analysed well: ``plate, time_h, well, kind, sample, group, replicate,
        od_signal, od_reference, od, blank_od, od_corrected, robust_z, outlier, saturated,
        below_blank, excluded``.
    replicates
        One row per biological replicate and time: ``group, replicate, sample, time_h,
        n_wells, od_mean, od_corrected, cv_pct, viability_pct`` — the table the statistics use.
    summary
        Mean, SD, SEM and n per group and time of ``od_corrected`` and ``viability_pct``.
    auc
        Area under the blank-corrected OD curve (OD·h) and the viability curve (%·h) per
        replicate, trapezoidal rule over the time points the replicate has.
    dropped
        Wells left out of the replicate means, with the reason.
    params
        What was done.
    """

    wells: pd.DataFrame
    replicates: pd.DataFrame
    summary: pd.DataFrame
    auc: pd.DataFrame
    dropped: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _well_time(text: str) -> float | None:
    t = text.strip().lower().removesuffix("h").strip()
    try:
        value = float(t)
    except ValueError:
        return None
    return value if value >= 0 else None


def kinetic_message(reads: pd.DataFrame) -> str | None:
    """Why kinetic reads (several times per plate) cannot be analysed; None for endpoints."""
    if "time_s" not in reads.columns:
        return None
    n_t = reads.groupby("plate")["time_s"].nunique()
    if not (n_t > 1).any():
        return None
    kinetic = n_t[n_t > 1]
    return (
        f"plate(s) {list(kinetic.index)} are kinetic reads ({int(kinetic.iloc[0])} "
        "time points); CCK-8 analysis needs one endpoint read per plate and time "
        "point: export the endpoint (e.g. Gen5 'Results' at the chosen time)"
    )


def no_time_message(no_time: Sequence[str], times_h: Mapping[str, float]) -> str:
    """Plates without a time point: what was given, and how to give the rest."""
    given = (
        f"options.plate_times_h gives times for {dict(times_h)} only"
        if times_h
        else "no options.plate_times_h or options.times_h is given"
    )
    example = ", ".join(f"{p!r}: <hours>" for p in no_time[:4])
    return (
        f"no time point given for plate(s) {list(no_time)}; {given}. Give options.plate_times_h "
        f"(plate name -> hours, e.g. {{{example}}}), options.times_h (hours per file), or "
        "every sample well its time in the layout (e.g. 'ctrl_1@24h')"
    )


def _classify(layout: pd.DataFrame, study: Study, blank_labels: set[str]) -> pd.DataFrame:
    """Layout labels -> kind, sample, group, replicate and (``sample@24h``) the well's time."""
    rows = []
    unknown = []
    for well, label in zip(layout["well"], layout["label"], strict=True):
        name, _, when = label.strip().partition("@")
        low = name.strip().lower()
        t = np.nan
        if when:
            parsed = _well_time(when)
            if parsed is None:
                unknown.append(f"{well}: {label!r} (time after '@' must be hours, e.g. '@24h')")
                continue
            t = parsed
        if low in blank_labels:
            rows.append((well, "blank", "", "", 0, t))
        elif low in EMPTY_LABELS:
            continue
        else:
            sample = study.sample_for(name.strip())
            if sample is None:
                unknown.append(f"{well}: {label!r}")
                continue
            rows.append((well, "sample", sample.id, sample.group, sample.replicate, t))
    if unknown:
        known = ", ".join(s.id for s in study.samples[:6])
        msg = (
            f"layout well(s) name samples the study lacks: {'; '.join(unknown)}; expected a "
            f"sample id or alias ({known}, …), optionally with '@<hours>h', 'blank' or 'empty'"
        )
        raise SchemaError(msg)
    return pd.DataFrame(
        rows, columns=["well", "kind", "sample", "group", "replicate", "well_time_h"]
    )


def analyse_cck8(
    reads: pd.DataFrame,
    layout: pd.DataFrame,
    study: Study,
    *,
    times_h: Mapping[str, float],
    wavelength: str = "450",
    reference_wavelength: str | None = None,
    control: str | None = None,
    blank_labels: Sequence[str] = ("blank",),
    linear_max: float = 3.0,
    outlier_z: float = 3.5,
    exclude_outliers: bool = False,
) -> Cck8Result:
    """Analyse CCK-8 plates: blank-corrected OD, viability % of control, AUC, QC flags.

    Parameters
    ----------
    reads
        Tidy plate reads (:func:`exodisc.io.plate.read_plate`), columns ``plate, read, well,
        value``; each plate is one time point.
    layout
        ``well, label`` (:func:`exodisc.io.plate.read_layout`); labels are sample ids or
        aliases of ``study``, a blank label, or ``empty``. The same layout serves every plate.
        ``ctrl_1@24h`` gives a well its own time point (staggered seeding, one plate read
        once), overriding the plate's time.
    study
        Samples and groups.
    times_h
        Hours after treatment of each plate, by plate name in ``reads`` (not needed for
        plates whose sample wells all carry a time in the layout).
    wavelength, reference_wavelength
        The CCK-8 read (450 nm) and an optional reference read (600–650 nm) subtracted well
        by well before anything else.
    control
        Group whose mean blank-corrected OD at each time is 100 %; default: the study's group
        with role ``control``.
    blank_labels
        Layout labels of blank wells (medium + CCK-8, no cells); case-insensitive.
    linear_max
        OD above which a well is flagged as beyond the reader's linear range.
    outlier_z
        Technical wells with |robust z| above this within their replicate are flagged
        (:func:`robust_z` with ``relative=True``, replicates = sample x plate x time, the
        noise SD pooled over all plates).
    exclude_outliers
        Leave flagged outlier wells out of the replicate means (recorded in ``dropped``).

    Returns
    -------
    Cck8Result

    Notes
    -----
    Viability % = (OD_sample − OD_blank) / (mean OD_control − OD_blank) × 100 at each time
    point, with OD_blank the mean of the plate's blank wells (CCK-8 kit manuals, Dojindo).
    Technical wells are averaged per biological replicate; CV is SD / mean × 100 of the
    corrected technical wells. AUC: trapezoidal rule (R ``pracma::trapz(time, od)``; Prism
    "Area under curve" with baseline 0). Outliers: modified z-score (Iglewicz & Hoaglin 1993).
    """
    need = {"plate", "read", "well", "value"}
    if missing := need - set(reads.columns):
        msg = f"plate reads lack column(s) {sorted(missing)}"
        raise SchemaError(msg)
    plates = list(pd.unique(reads["plate"]))
    if kinetic := kinetic_message(reads):
        raise DesignError(kinetic)
    available = sorted(map(str, pd.unique(reads["read"])))
    for wl in [wavelength, reference_wavelength]:
        if wl is not None and wl not in available:
            msg = f"read {wl!r} is not in the plate data; reads present: {available}"
            raise SchemaError(msg)
    control = control or next((g.id for g in study.groups if g.role == "control"), None)
    if control is None:
        msg = (
            "no control group: set options.control (a group id of "
            f"{list(study.group_ids)}) on the cck8 assay, or 'role: control' on one group"
        )
        raise DesignError(msg)
    if control not in study.group_ids:
        msg = (
            f"control group {control!r} (options.control) is not a group of the study; "
            f"groups are {list(study.group_ids)}"
        )
        raise DesignError(msg)
    wells_layout = _classify(layout, study, {b.lower() for b in blank_labels})
    sample_times = wells_layout.loc[wells_layout["kind"] == "sample", "well_time_h"]
    if sample_times.isna().any() and (no_time := [p for p in plates if p not in times_h]):
        raise DesignError(no_time_message(no_time, times_h))

    signal = reads[reads["read"] == wavelength][["plate", "well", "value"]]
    signal = signal.rename(columns={"value": "od_signal"})
    if reference_wavelength is not None:
        ref = reads[reads["read"] == reference_wavelength][["plate", "well", "value"]]
        signal = signal.merge(ref.rename(columns={"value": "od_reference"}), on=["plate", "well"])
        signal["od"] = signal["od_signal"] - signal["od_reference"]
    else:
        signal["od_reference"] = np.nan
        signal["od"] = signal["od_signal"]
    # every layout well on every plate: a well the export lacks is an error, not a NaN
    grid = wells_layout.merge(pd.DataFrame({"plate": plates}), how="cross")
    w = grid.merge(signal, on=["plate", "well"], how="left")
    if w["od_signal"].isna().any():
        bad = w.loc[w["od_signal"].isna(), ["plate", "well"]].astype(str)
        where = ", ".join(f"{p} {x}" for p, x in bad.itertuples(index=False))
        msg = f"layout wells without a value in read {wavelength!r}: {where}"
        raise SchemaError(msg)
    w["time_h"] = w["well_time_h"].fillna(w["plate"].map(dict(times_h))).astype(float)
    w = w.drop(columns="well_time_h")

    blanks = w[w["kind"] == "blank"].groupby("plate")["od"].mean()
    if no_blank := [p for p in plates if p not in blanks.index]:
        msg = f"plate(s) {no_blank} have no blank wells (labels {sorted(blank_labels)})"
        raise DesignError(msg)
    w["blank_od"] = w["plate"].map(blanks)
    w["od_corrected"] = w["od"] - w["blank_od"]
    w["saturated"] = w["od_signal"] > linear_max
    w["below_blank"] = (w["kind"] == "sample") & (w["od_corrected"] < 0)
    # the technical (relative) noise SD is pooled over every plate of the assay: one plate's
    # 15 replicates alone give a scale that is ±15-20 % off, the assay's 60 about ±8 %
    samples = w["kind"] == "sample"
    replicate = (
        w["plate"].astype(str) + "/" + w["sample"].astype(str) + "@" + w["time_h"].astype(str)
    )
    w["robust_z"] = np.nan
    if samples.any():
        w.loc[samples, "robust_z"] = robust_z(
            w.loc[samples, "od_corrected"].to_numpy(),
            replicate[samples].to_numpy(),
            relative=True,
            calibrate_at=outlier_z,
        )
    w["outlier"] = w["robust_z"].abs() > outlier_z
    w["excluded"] = w["outlier"] & exclude_outliers
    w = w.sort_values(["time_h", "plate", "kind", "group", "replicate", "well"], kind="stable")
    w = w[
        [
            "plate", "time_h", "well", "kind", "sample", "group", "replicate", "od_signal",
            "od_reference", "od", "blank_od", "od_corrected", "robust_z", "outlier",
            "saturated", "below_blank", "excluded",
        ]
    ].reset_index(drop=True)  # fmt: skip
    dropped = w[w["excluded"]][["plate", "time_h", "well", "sample", "od_corrected"]].copy()
    dropped["reason"] = f"technical outlier: |robust z| > {outlier_z}"

    used = w[(w["kind"] == "sample") & ~w["excluded"]]
    rep = (
        used.groupby(["group", "replicate", "sample", "time_h"], sort=False)
        .agg(
            n_wells=("od_corrected", "size"),
            od_mean=("od", "mean"),
            od_corrected=("od_corrected", "mean"),
            sd=("od_corrected", "std"),
        )
        .reset_index()
    )
    rep["cv_pct"] = rep["sd"] / rep["od_corrected"].abs() * 100
    ctrl = rep[rep["group"] == control].groupby("time_h")["od_corrected"].mean()
    if missing_t := sorted(set(rep["time_h"]) - set(ctrl.index)):
        msg = f"control group {control!r} has no wells at time(s) {missing_t} h"
        raise DesignError(msg)
    rep["viability_pct"] = rep["od_corrected"] / rep["time_h"].map(ctrl) * 100
    order = {g: i for i, g in enumerate(study.group_ids)}
    rep["_g"] = rep["group"].map(order)
    rep = rep.sort_values(["time_h", "_g", "replicate"], kind="stable")
    rep = rep[
        ["group", "replicate", "sample", "time_h", "n_wells", "od_mean", "od_corrected",
         "cv_pct", "viability_pct"]
    ].reset_index(drop=True)  # fmt: skip

    summary = (
        rep.groupby(["group", "time_h"], sort=False)
        .agg(
            n=("od_corrected", "size"),
            od_mean=("od_corrected", "mean"),
            od_sd=("od_corrected", "std"),
            viability_mean=("viability_pct", "mean"),
            viability_sd=("viability_pct", "std"),
        )
        .reset_index()
    )
    summary["od_sem"] = summary["od_sd"] / np.sqrt(summary["n"])
    summary["viability_sem"] = summary["viability_sd"] / np.sqrt(summary["n"])

    auc_rows = []
    for (g, r, s), sub in rep.groupby(["group", "replicate", "sample"], sort=False):
        sub = sub.sort_values("time_h")
        t = sub["time_h"].to_numpy(dtype=float)
        auc_rows.append(
            {
                "group": g,
                "replicate": r,
                "sample": s,
                "n_times": len(t),
                "auc_od": float(np.trapezoid(sub["od_corrected"].to_numpy(), t)),
                "auc_viability": float(np.trapezoid(sub["viability_pct"].to_numpy(), t)),
            }
        )
    auc = pd.DataFrame(auc_rows)
    params = {
        "wavelength": wavelength,
        "reference_wavelength": reference_wavelength,
        "control": control,
        "linear_max": linear_max,
        "outlier_z": outlier_z,
        "exclude_outliers": exclude_outliers,
        "times_h": dict(times_h),
    }
    return Cck8Result(w, rep, summary, auc, dropped.reset_index(drop=True), params)
