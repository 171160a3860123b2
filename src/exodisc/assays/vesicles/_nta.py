"""Per-sample NTA summaries: dilution-corrected concentration, size statistics, parity checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from exodisc.io.nta import NtaMeasurement

__all__ = [
    "CLI_COLUMNS",
    "NtaSummary",
    "binned_size_statistics",
    "summarise_nta",
]

CLI_COLUMNS = [
    "sample",
    "concentration_per_ml",
    "mean_nm",
    "mode_nm",
    "sd_nm",
    "d10_nm",
    "d50_nm",
    "d90_nm",
    "warnings",
]
_SIZE = ["mean_nm", "mode_nm", "sd_nm", "d10_nm", "d50_nm", "d90_nm"]
PARITY_TOLERANCE = 0.02


def binned_size_statistics(
    centres: np.ndarray, widths: np.ndarray, weights: np.ndarray
) -> dict[str, float]:
    """Mean, mode, SD and D10 / D50 / D90 of a binned number distribution.

    Parameters
    ----------
    centres, widths
        Bin centres and widths (nm).
    weights
        Particles (or concentration) per bin; non-negative.

    Returns
    -------
    dict
        ``mean_nm``, ``mode_nm`` (centre of the fullest bin), ``sd_nm`` (population SD of the
        bin centres), ``d10_nm``, ``d50_nm``, ``d90_nm`` (linear interpolation of the
        cumulative distribution inside the bin where it crosses 10 / 50 / 90 %). NaN for an
        empty distribution.

    Notes
    -----
    This is how the NanoSight NTA 3.x and ZetaView 8.x software compute their D-values from
    the exported distributions (agreement < 0.2 % on the real exports in the tests). R:
    ``Hmisc::wtd.quantile`` differs (no within-bin interpolation).

    Examples
    --------
    >>> s = binned_size_statistics(np.array([1.0, 2.0, 3.0]), np.ones(3), np.array([0, 2, 2]))
    >>> s["d50_nm"], s["mean_nm"]
    (2.5, 2.5)
    """
    w = np.asarray(weights, dtype=float)
    x = np.asarray(centres, dtype=float)
    width = np.asarray(widths, dtype=float)
    total = w.sum()
    if not total > 0:
        return dict.fromkeys(_SIZE, math.nan)
    mean = float((x * w).sum() / total)
    sd = float(np.sqrt((w * (x - mean) ** 2).sum() / total))
    cum = np.cumsum(w)
    lower = x - width / 2
    out = {"mean_nm": mean, "mode_nm": float(x[int(np.argmax(w))]), "sd_nm": sd}
    for q, key in ((0.1, "d10_nm"), (0.5, "d50_nm"), (0.9, "d90_nm")):
        target = q * total
        i = int(np.searchsorted(cum, target))
        prev = cum[i - 1] if i > 0 else 0.0
        out[key] = float(lower[i] + (target - prev) / w[i] * width[i])
    return out


@dataclass(frozen=True)
class NtaSummary:
    """Summary of one NTA measurement.

    Attributes
    ----------
    row
        One row: :data:`CLI_COLUMNS` plus ``instrument``, ``file``, ``dilution``,
        ``dilution_source``, ``n_videos_used``, ``concentration_measured_per_ml``,
        ``particles_per_cell``, ``particles_per_ug_protein`` and ``size_source``.
    parity
        Software value vs recomputed from the exported distribution, per quantity:
        ``quantity``, ``software``, ``recomputed``, ``rel_diff``, ``within_tolerance``.
    videos
        Per video / position: the software's values and the recomputed ones (``*_recomputed``).
    mean_distribution
        ``bin_nm``, ``mean``, ``se``, ``n`` over the used videos (particles/mL, dilution-corrected).
    warnings
        Everything the reader flagged plus what the summary adds.
    """

    row: dict[str, Any]
    parity: pd.DataFrame
    videos: pd.DataFrame
    mean_distribution: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _mean(values: pd.Series) -> float:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.mean()) if len(v) else math.nan


def summarise_nta(
    measurement: NtaMeasurement,
    *,
    dilution: float | None = None,
    cells: float | None = None,
    volume_ml: float | None = None,
    protein_ug_per_ml: float | None = None,
    sample: str | None = None,
) -> NtaSummary:
    """Summarise one NTA measurement per sample, correcting for the declared dilution.

    Parameters
    ----------
    measurement
        From :func:`exodisc.io.nta.read_nta`.
    dilution
        Declared dilution factor (e.g. 200 for "d200"); overrides the one the software
        recorded (a warning says so when they differ). Without either, the concentration is
        that of the measured suspension and a warning says so.
    cells
        Number of cells whose conditioned medium gave the preparation (particles per cell).
    volume_ml
        Volume of the resuspended preparation (mL), needed for particles per cell.
    protein_ug_per_ml
        Protein concentration of the same preparation (µg/mL, e.g. BCA): particles per µg.
    sample
        Sample name to report (default: the name in the file).

    Returns
    -------
    NtaSummary

    Notes
    -----
    Videos / positions with no particles (and ZetaView positions the software removed) are
    left out of the averages, unlike the NanoSight software's ``Average`` column, which keeps
    zero videos. Size values are the software's own where it gives them (NanoSight: all;
    ZetaView: D50), otherwise recomputed from the distribution (``size_source`` says which).
    Equivalent: NTA 3.x "Experiment Summary" averages; ZetaView "11 positions" mean.

    Examples
    --------
    >>> from exodisc.assays.vesicles import summarise_nta
    >>> from exodisc.io.nta import read_nta
    >>> m = read_nta("usc_exo_ExperimentSummary.csv")  # doctest: +SKIP
    >>> summary = summarise_nta(m, dilution=1000, volume_ml=0.1)  # doctest: +SKIP
    """
    m = measurement
    warnings = list(m.warnings)
    if dilution is not None and not dilution > 0:
        msg = f"dilution must be a positive number, got {dilution!r}"
        raise ValueError(msg)
    name = sample or m.sample
    videos = m.videos.copy()
    vcols = m.video_columns
    if m.instrument == "NanoSight":
        used = [
            i
            for i, c in enumerate(vcols)
            if float(videos["concentration_per_ml"].iloc[i]) > 0 and m.distribution[c].sum() > 0
        ]
        rec = m.recorded_dilution
        cuvette = videos["concentration_per_ml"] / (rec if rec else 1.0)
    else:
        used = [0] if not m.failed else []
        rec = m.recorded_dilution
        if "used" in videos and len(videos):
            cuvette = videos["concentration_per_ml"].where(videos["used"].astype(bool))
        else:
            cuvette = pd.Series(dtype=float)
    if dilution is not None:
        factor, source = dilution, "declared"
        if rec is not None and not math.isclose(rec, dilution):
            warnings.append(
                f"declared dilution {dilution:g} differs from the recorded {rec:g}; "
                f"used {dilution:g}"
            )
    elif rec is not None:
        factor, source = rec, "recorded in file"
    else:
        factor, source = 1.0, "none"
        if not m.failed:
            warnings.append(
                "dilution neither declared nor recorded: concentration is that of the measured "
                "(diluted) suspension"
            )

    # recomputed statistics per video, from the exported distribution
    recomputed = []
    for c in vcols:
        recomputed.append(
            binned_size_statistics(
                m.distribution["bin_nm"].to_numpy(),
                m.distribution["bin_width_nm"].to_numpy(),
                m.distribution[c].to_numpy(),
            )
        )
    rec_frame = pd.DataFrame(recomputed, columns=_SIZE).add_suffix("_recomputed")
    if m.instrument == "NanoSight":
        videos = pd.concat([videos, rec_frame], axis=1)
        videos["used"] = [i in used for i in range(len(videos))]
        sel = videos[videos["used"]]
        software = {k: _mean(sel[k]) for k in _SIZE}
        recomp = {k: _mean(sel[f"{k}_recomputed"]) for k in _SIZE}
        conc_measured = _mean(cuvette[videos["used"]]) if len(sel) else math.nan
        size = dict(software)
        size_source = "software (mean of used videos)"
        zero = len(videos) - len(sel)
        if zero and not m.failed:
            sw_avg = m.software_summary.get("concentration_per_ml", math.nan)
            warnings.append(
                f"{zero} video(s) without particles left out; the software's average "
                f"concentration ({sw_avg:.3g}/mL) includes them"
            )
    else:
        recomp = recomputed[0] if recomputed else dict.fromkeys(_SIZE, math.nan)
        software = dict.fromkeys(_SIZE, math.nan)
        software["d50_nm"] = (
            m.software_summary.get("d50_nm", math.nan) if not m.failed else math.nan
        )
        size = dict(recomp)
        size["d50_nm"] = software["d50_nm"]
        size_source = "d50: software; others recomputed from the distribution"
        # the software's mean over the positions it kept (the per-position values are
        # printed to 2 significant digits only)
        conc_measured = m.software_summary.get(
            "concentration_per_ml_positions_mean", _mean(cuvette) if len(cuvette) else math.nan
        )
    if m.failed:
        size = dict.fromkeys(_SIZE, math.nan)
        conc_measured = math.nan
    conc = conc_measured * factor

    parity_rows: list[dict[str, Any]] = []
    for k in _SIZE:
        sw, rc = software[k], recomp[k]
        if math.isnan(sw) or math.isnan(rc) or m.failed:
            continue
        rel = (rc - sw) / sw if sw else math.nan
        tol = 0.05 if k == "mode_nm" else PARITY_TOLERANCE
        parity_rows.append(
            {"sample": name, "quantity": k, "software": sw, "recomputed": rc, "rel_diff": rel,
             "within_tolerance": bool(abs(rel) <= tol)}
        )  # fmt: skip
    parity = pd.DataFrame(
        parity_rows,
        columns=["sample", "quantity", "software", "recomputed", "rel_diff", "within_tolerance"],
    )
    for pr in parity_rows:
        if not pr["within_tolerance"]:
            warnings.append(
                f"{pr['quantity']}: recomputed {pr['recomputed']:.1f} differs from the "
                f"software's {pr['software']:.1f} by {100 * pr['rel_diff']:+.1f}%"
            )

    dist = m.distribution
    if used and not m.failed:
        block = (
            dist[[vcols[i] for i in used]].to_numpy()
            / (rec if (rec and m.instrument == "NanoSight") else 1.0)
            * factor
        )
        n = block.shape[1]
        se = block.std(axis=1, ddof=1) / np.sqrt(n) if n > 1 else np.full(len(block), np.nan)
        mean_dist = pd.DataFrame(
            {"bin_nm": dist["bin_nm"], "mean": block.mean(axis=1), "se": se, "n": n}
        )
    else:
        mean_dist = pd.DataFrame(columns=["bin_nm", "mean", "se", "n"])

    per_cell = math.nan
    if cells and volume_ml and not math.isnan(conc):
        per_cell = conc * volume_ml / cells
    per_ug = conc / protein_ug_per_ml if protein_ug_per_ml and not math.isnan(conc) else math.nan
    warnings = list(dict.fromkeys(warnings))
    row: dict[str, Any] = {
        "sample": name,
        "concentration_per_ml": conc,
        **{k: size[k] for k in _SIZE},
        "warnings": "; ".join(warnings),
        "instrument": m.instrument,
        "file": m.path.name,
        "dilution": factor,
        "dilution_source": source,
        "n_videos_used": len(used)
        if m.instrument == "NanoSight"
        else int(videos["used"].sum() if "used" in videos and len(videos) else 0),
        "concentration_measured_per_ml": conc_measured,
        "particles_per_cell": per_cell,
        "particles_per_ug_protein": per_ug,
        "size_source": size_source,
    }
    return NtaSummary(
        row=row, parity=parity, videos=videos, mean_distribution=mean_dist,
        warnings=tuple(warnings),
    )  # fmt: skip
