"""Standard curves: slope, intercept, R² and amplification efficiency per target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = ["standard_curves"]


def standard_curves(
    wells: pd.DataFrame,
    *,
    efficiency_range: tuple[float, float] = (90.0, 110.0),
) -> pd.DataFrame:
    """Fit Ct = intercept + slope · log10(quantity) to the STANDARD wells of each target.

    Parameters
    ----------
    wells
        Tidy well table with ``task``, ``target``, ``quantity``, ``ct`` (and optionally
        ``undetermined`` / ``omit``); only STANDARD wells with a Ct and a positive quantity
        are used, each well as one point (as the instrument software does).
    efficiency_range
        Efficiencies (%) outside this range are flagged ``efficiency_out_of_range``.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``target``, ``n_points``, ``n_levels``, ``slope``,
        ``intercept``, ``r2``, ``efficiency_pct`` (= (10^(−1/slope) − 1) · 100),
        ``amplification_factor`` (E = 10^(−1/slope), Pfaffl's E), ``flags``.

    Notes
    -----
    Ordinary least squares, as Thermo Fisher's QuantStudio "Standard Curve" analysis and
    Bio-Rad CFX Maestro. R equivalent: ``lm(ct ~ log10(quantity))``; efficiency as in
    Pfaffl 2001 (NAR 29:e45) and Bustin et al. 2009 (MIQE).

    Examples
    --------
    >>> import pandas as pd
    >>> w = pd.DataFrame({"task": "STANDARD", "target": "SOX9",
    ...                   "quantity": [1e4, 1e3, 1e2], "ct": [20.0, 23.32, 26.64]})
    >>> round(float(standard_curves(w)["efficiency_pct"].iloc[0]), 1)
    100.1
    """
    from scipy import stats as sps

    std = wells[wells["task"] == "STANDARD"]
    if "omit" in std:
        std = std[~std["omit"].astype(bool)]
    std = std[np.isfinite(std["ct"]) & (std["quantity"] > 0)]
    rows = []
    for target, g in std.groupby("target", sort=True):
        x = np.log10(g["quantity"].to_numpy(dtype=float))
        y = g["ct"].to_numpy(dtype=float)
        levels = int(np.unique(x).size)
        if levels < 2:
            msg = (
                f"standard curve of {target!r} needs at least 2 quantity levels; "
                f"found {levels} ({len(g)} wells)"
            )
            raise DesignError(msg)
        fit = sps.linregress(x, y)
        slope = float(fit.slope)
        amp = float(10 ** (-1 / slope)) if slope < 0 else np.nan
        eff = (amp - 1) * 100 if np.isfinite(amp) else np.nan
        flags = []
        if not np.isfinite(eff) or not efficiency_range[0] <= eff <= efficiency_range[1]:
            flags.append("efficiency_out_of_range")
        if levels < 3:
            flags.append("fewer_than_3_levels")
        rows.append(
            {
                "target": target,
                "n_points": len(g),
                "n_levels": levels,
                "slope": slope,
                "intercept": float(fit.intercept),
                "r2": float(fit.rvalue**2),
                "efficiency_pct": eff,
                "amplification_factor": amp,
                "flags": ";".join(flags),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "target",
            "n_points",
            "n_levels",
            "slope",
            "intercept",
            "r2",
            "efficiency_pct",
            "amplification_factor",
            "flags",
        ],
    )


def curve_efficiencies(wells: pd.DataFrame, *, source: object = "the export") -> dict[str, float]:
    """Amplification factor E of each measured target, from the plate's own standard curves.

    Fits :func:`standard_curves` to the STANDARD wells and returns ``{target: E}`` for the
    targets that also have UNKNOWN wells (the input of Pfaffl's ratio).

    Raises
    ------
    DesignError
        When the wells hold no STANDARD wells, or a measured target has no curve.
    """
    from exodisc.errors import DesignError

    curves = standard_curves(wells)
    if curves.empty:
        n_std = int((wells["task"] == "STANDARD").sum())
        if n_std:
            # Design & Analysis RQ exports list STANDARD wells but not their quantities
            msg = (
                f"efficiency 'standard_curve', but the {n_std} STANDARD wells of {source} carry "
                "no quantities (a Design & Analysis relative-quantification export does not "
                "export them); give the efficiencies instead (--efficiency TARGET=E)"
            )
        else:
            msg = f"efficiency 'standard_curve', but {source} holds no STANDARD wells"
        raise DesignError(msg)
    measured = sorted(set(wells.loc[wells["task"] == "UNKNOWN", "target"]))
    eff = dict(zip(curves["target"].astype(str), curves["amplification_factor"], strict=True))
    missing = [t for t in measured if t not in eff]
    if missing:
        msg = (
            f"efficiency 'standard_curve': target(s) {missing} have no standard curve in "
            f"{source} (curves for {sorted(eff)})"
        )
        raise DesignError(msg)
    return {t: float(eff[t]) for t in measured}
