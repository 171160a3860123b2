"""From band volumes per sample to target / loading-control ratios relative to the control group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import DesignError, SchemaError

__all__ = ["WesternResult", "call_markers", "loading_cv", "normalize_bands"]


@dataclass(frozen=True)
class WesternResult:
    """Result of a western blot assay.

    Attributes
    ----------
    bands
        Every measured band: ``blot``, ``lane``, ``sample``, ``group``, ``band``, ``volume``,
        ``background``, ``saturated_px``, limits and detection columns.
    ratios
        ``sample``, ``group``, ``target``, ``volume``, ``loading``, ``ratio``, ``relative``.
    stats
        One row per target and comparison (``compare_groups(...).pairs`` plus ``target``).
    markers
        ``sample``, ``group``, ``marker``, ``detected`` for EV marker blots.
    qc
        QC messages.
    dropped
        Rows left out of the ratios with the reason.
    params
        What was done.
    """

    bands: pd.DataFrame
    ratios: pd.DataFrame
    stats: pd.DataFrame
    markers: pd.DataFrame
    qc: tuple[str, ...] = ()
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict[str, Any] = field(default_factory=dict)


def normalize_bands(
    bands: pd.DataFrame,
    *,
    loading_control: str,
    control_group: str,
    targets: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ratio of each target band to the loading control of the same sample, relative to control.

    Parameters
    ----------
    bands
        One row per sample and band: ``sample``, ``group``, ``band``, ``volume``.
    loading_control
        Band name of the loading control (e.g. ``"GAPDH"``) or of total protein.
    control_group
        Group whose mean ratio becomes 1.
    targets
        Bands to normalise; default every band except the loading control.

    Returns
    -------
    ratios, dropped
        ``ratios``: ``sample``, ``group``, ``target``, ``volume``, ``loading``, ``ratio``,
        ``relative``; ``dropped``: ``sample``, ``target``, ``reason``.

    Notes
    -----
    The usual spreadsheet calculation (target IDV / GAPDH IDV, then divided by the control
    group's mean ratio), as in ImageJ-based protocols and the paper's Fig. 3/4/7 bar plots.
    """
    need = ["sample", "group", "band", "volume"]
    missing = [c for c in need if c not in bands.columns]
    if missing:
        raise SchemaError(f"band table lacks column(s) {missing}; it has {list(bands.columns)}")
    dup = bands.duplicated(["sample", "band"], keep=False)
    if dup.any():
        first = bands.loc[dup, ["sample", "band"]].iloc[0]
        msg = (
            f"sample {first['sample']!r} has band {first['band']!r} more than once; "
            "each sample needs one volume per band (check the lane assignment)"
        )
        raise DesignError(msg)
    wide = bands.pivot(index="sample", columns="band", values="volume")
    groups = bands.drop_duplicates("sample").set_index("sample")["group"]
    if loading_control not in wide.columns:
        msg = (
            f"loading control {loading_control!r} is not among the bands "
            f"{sorted(wide.columns)}; set options.loading_control"
        )
        raise DesignError(msg)
    tgt = (
        list(targets) if targets is not None else [c for c in wide.columns if c != loading_control]
    )
    unknown = [t for t in tgt if t not in wide.columns]
    if unknown:
        raise DesignError(
            f"target band(s) {unknown} not measured; bands are {sorted(wide.columns)}"
        )
    rows: list[dict[str, Any]] = []
    dropped: list[dict[str, str]] = []
    values = wide.to_numpy(dtype=float)
    cols = [str(c) for c in wide.columns]
    lc_col = cols.index(loading_control)
    for target in tgt:
        t_col = cols.index(target)
        for si, sample in enumerate(wide.index):
            v, lc = float(values[si, t_col]), float(values[si, lc_col])
            reason = None
            if np.isnan(v):
                reason = f"no {target} band"
            elif np.isnan(lc):
                reason = f"no {loading_control} band"
            elif not lc > 0:
                reason = f"{loading_control} volume {lc:g} is not positive"
            if reason:
                dropped.append({"sample": str(sample), "target": target, "reason": reason})
                continue
            rows.append(
                {
                    "sample": str(sample),
                    "group": str(groups[sample]),
                    "target": target,
                    "volume": v,
                    "loading": lc,
                    "ratio": v / lc,
                }
            )
    ratios = pd.DataFrame(rows, columns=["sample", "group", "target", "volume", "loading", "ratio"])
    relative = np.full(len(ratios), np.nan)
    for name in tgt:
        sel = (ratios["target"] == name).to_numpy()
        ctrl = sel & (ratios["group"] == control_group).to_numpy()
        if sel.any() and not ctrl.any():
            msg = f"no {control_group!r} sample has a {name} ratio; cannot express it relative"
            raise DesignError(msg)
        r = ratios["ratio"].to_numpy(dtype=float)
        relative[sel] = r[sel] / r[ctrl].mean()
    ratios["relative"] = relative
    dropped_df = pd.DataFrame(dropped, columns=["sample", "target", "reason"])
    return ratios, dropped_df


def loading_cv(bands: pd.DataFrame, loading_control: str) -> pd.DataFrame:
    """Coefficient of variation (SD / mean, n − 1) of the loading control per blot."""
    d = bands[bands["band"] == loading_control]
    out = (
        d.groupby("blot", sort=True)["volume"]
        .agg(
            n="count", mean="mean", sd=lambda x: float(np.std(x, ddof=1)) if len(x) > 1 else np.nan
        )
        .reset_index()
    )
    out["cv"] = out["sd"] / out["mean"]
    return out


def call_markers(bands: pd.DataFrame, markers: Sequence[str], *, snr: float) -> pd.DataFrame:
    """Detected / not detected per sample and marker: band peak above ``snr`` x lane noise SD."""
    d = bands[bands["band"].isin(list(markers))].copy()
    d["snr"] = d["peak_height"] / d["noise_sd"].where(d["noise_sd"] > 0)
    d["detected"] = d["snr"] >= snr
    return d[["sample", "group", "band", "volume", "snr", "detected"]].rename(
        columns={"band": "marker"}
    )
