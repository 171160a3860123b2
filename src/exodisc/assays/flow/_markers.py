"""Surface-marker panels: % positive against an isotype / unstained control, MFI ratio."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = [
    "MARKER_COLUMNS",
    "MarkerResult",
    "analyse_markers",
    "marker_name",
    "overton_positive",
]

MARKER_COLUMNS = ["marker", "channel", "pct_positive", "threshold", "mfi", "mfi_ratio"]

_MARKER = re.compile(r"\b(CD\d+[A-Za-z]?|SSEA-?\d|HLA-?DR|STRO-?1|CD79[aα]?)\b", re.IGNORECASE)


def marker_name(label: str, channel: str) -> str:
    """The marker named in a ``$PnS`` label (``"CD73 APC"`` -> ``"CD73"``), else the label.

    Falls back to the channel name when the label is empty.

    Examples
    --------
    >>> from exodisc.assays.flow import marker_name
    >>> marker_name("CD73 APC", "FL4-A"), marker_name("", "FL4-A")
    ('CD73', 'FL4-A')
    """
    m = _MARKER.search(label or "")
    if m:
        name = m.group(1).upper().replace("HLADR", "HLA-DR").replace("SSEA4", "SSEA-4")
        return name
    return label.strip() or channel


def overton_positive(
    sample: np.ndarray, control: np.ndarray, *, bins: int = 256, cofactor: float = 150.0
) -> float:
    """% positive by Overton cumulative histogram subtraction.

    Both histograms are normalised to unit area on shared bins (on an ``arcsinh(x /
    cofactor)`` axis, where both distributions are resolved) and the positive fraction is
    the sum of ``max(0, sample - control)`` over bins above the control's median.

    Notes
    -----
    Overton 1988, Cytometry 9:619; FlowJo's "Population Comparison – Overton" and
    FCS Express' "Overton subtraction".

    Examples
    --------
    >>> import numpy as np
    >>> from exodisc.assays.flow import overton_positive
    >>> rng = np.random.default_rng(0)
    >>> control = rng.normal(100, 20, 5000)
    >>> sample = np.concatenate([rng.normal(100, 20, 2000), rng.normal(2000, 200, 3000)])
    >>> round(overton_positive(sample, control))
    60
    """
    s = np.arcsinh(np.asarray(sample, dtype=float) / cofactor)
    c = np.arcsinh(np.asarray(control, dtype=float) / cofactor)
    lo = min(s.min(), c.min())
    hi = max(s.max(), c.max())
    if hi <= lo:
        return 0.0
    edges = np.linspace(lo, hi, bins + 1)
    hs = np.histogram(s, edges)[0] / s.size
    hc = np.histogram(c, edges)[0] / c.size
    centre = (edges[:-1] + edges[1:]) / 2
    above = centre > np.median(c)
    return float(100.0 * np.clip(hs - hc, 0, None)[above].sum())


@dataclass(frozen=True)
class MarkerResult:
    """Result of :func:`analyse_markers`.

    Attributes
    ----------
    table
        One row per (sample, marker): ``sample`` and :data:`MARKER_COLUMNS` plus
        ``control_mfi`` and ``method``.
    gates
        Resolved debris / singlet gates.
    events
        ``(sample, channel)`` -> the sample's values; ``("control", channel)`` -> the control's.
    params
        Method, percentile, compensation.
    """

    table: pd.DataFrame
    gates: pd.DataFrame
    events: Mapping[tuple[str, str], np.ndarray] = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)


def analyse_markers(
    samples: Mapping[str, Any],
    control: Any,
    *,
    channels: Sequence[str],
    method: Literal["percentile", "overton"] = "percentile",
    percentile: float = 99.5,
    markers: Mapping[str, str] | None = None,
    compensation: Literal["file", "none"] | pd.DataFrame = "file",
    debris: Any | None = None,
    singlets: Any | None = None,
    pregate: Any | None = None,
) -> MarkerResult:
    """% positive, median fluorescence intensity (MFI) and MFI ratio for a marker panel.

    Parameters
    ----------
    samples
        Sample name -> stained :class:`exodisc.io.fcs.FcsData`.
    control
        The isotype (or unstained) control acquired with the same settings.
    channels
        Channels (``$PnN``) or labels (``$PnS``) to report.
    method
        ``"percentile"``: positive = above the control's ``percentile`` (default 99.5th);
        ``"overton"``: Overton histogram subtraction (``threshold`` is then the control's
        99.5th percentile, reported for reference).
    markers
        Channel -> marker name, overriding the names read from ``$PnS``.
    compensation
        ``"file"`` ($SPILLOVER of each file), ``"none"`` or a spillover matrix.
    debris, singlets, pregate
        Declared scatter gates and an imported GatingML gate (see
        :func:`exodisc.assays.flow.prepare_events`), or None.

    Returns
    -------
    MarkerResult

    Notes
    -----
    MFI is the median of compensated, untransformed values (FlowJo "Median", FACSDiva
    "Median"); ``mfi_ratio`` = sample MFI / control MFI (the "MFI ratio" or "stain index"
    against the isotype, Maecker & Trotter 2006). R: ``median(exprs(ff)[, ch])``,
    ``quantile(type = 7)``.

    Examples
    --------
    >>> from pathlib import Path
    >>> import numpy as np
    >>> import pandas as pd
    >>> from exodisc.io.fcs import FcsData
    >>> rng = np.random.default_rng(0)
    >>> def tube(shift):
    ...     events = pd.DataFrame(rng.normal(100, 20, size=(2000, 2)) + shift,
    ...                           columns=["FL1-A", "FL2-A"])
    ...     return FcsData(Path("tube.fcs"), "", "3.1", events,
    ...                    {"FL1-A": "Annexin V", "FL2-A": "PI"}, None)
    >>> from exodisc.assays.flow import analyse_markers
    >>> res = analyse_markers({"MSC": tube([900, 0])}, tube([0, 0]),
    ...                       channels=["FL1-A", "FL2-A"], compensation="none")
    >>> res.table[["sample", "marker", "pct_positive"]].round(1)
      sample     marker  pct_positive
    0    MSC  Annexin V         100.0
    1    MSC         PI           1.0
    """
    from exodisc.assays.flow._prepare import prepare_events

    if not channels:
        raise DesignError("no marker channels given")
    if not 0 < percentile < 100:
        msg = f"percentile must be between 0 and 100, got {percentile!r}"
        raise ValueError(msg)
    cev, cg = prepare_events(
        control,
        compensation=compensation,
        debris=debris,
        singlets=singlets,
        pregate=pregate,
        sample=f"control:{control.name}",
    )
    gate_rows = [cg.record]
    rows = []
    plotted: dict[tuple[str, str], np.ndarray] = {}
    for name, fcs in samples.items():
        ev, g = prepare_events(
            fcs,
            compensation=compensation,
            debris=debris,
            singlets=singlets,
            pregate=pregate,
            sample=name,
        )
        gate_rows.append(g.record)
        for requested in channels:
            ch = fcs.channel(requested)
            cch = (
                control.channel(ch) if ch in control.events.columns else control.channel(requested)
            )
            x = ev[ch].to_numpy(dtype=float)
            c = cev[cch].to_numpy(dtype=float)
            thr = float(np.percentile(c, percentile))
            if method == "percentile":
                pct = 100.0 * np.count_nonzero(x > thr) / x.size
            else:
                pct = overton_positive(x, c)
            mfi, cmfi = float(np.median(x)), float(np.median(c))
            label = (markers or {}).get(requested) or (markers or {}).get(ch)
            rows.append(
                {
                    "sample": name,
                    "marker": label or marker_name(fcs.labels.get(ch, ""), ch),
                    "channel": ch,
                    "pct_positive": pct,
                    "threshold": thr,
                    "mfi": mfi,
                    "mfi_ratio": mfi / cmfi if cmfi > 0 else np.nan,
                    "control_mfi": cmfi,
                    "method": method,
                }
            )
            plotted[(name, ch)] = x
            plotted[("control", ch)] = c
    table = pd.DataFrame(rows)
    params = {
        "method": method,
        "percentile": percentile,
        "control": control.name,
        "compensation": compensation if isinstance(compensation, str) else "matrix",
    }
    return MarkerResult(table, pd.concat(gate_rows, ignore_index=True), plotted, params)
