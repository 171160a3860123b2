"""Annexin V / PI apoptosis quadrants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import DesignError

__all__ = [
    "APOPTOSIS_COLUMNS",
    "ApoptosisResult",
    "analyse_apoptosis",
    "control_thresholds",
    "quadrant_percentages",
]

APOPTOSIS_COLUMNS = [
    "sample",
    "events",
    "viable_pct",
    "early_apoptotic_pct",
    "late_apoptotic_pct",
    "necrotic_pct",
    "annexin_threshold",
    "pi_threshold",
]


def control_thresholds(
    control: pd.DataFrame, *, annexin: str, pi: str, percentile: float = 99.5
) -> tuple[float, float]:
    """Quadrant thresholds: a percentile of the (unstained or single-stain) control.

    Parameters
    ----------
    control
        Compensated, gated events of the control.
    annexin, pi
        ``$PnN`` channels of annexin V and PI.
    percentile
        0–100; 99.5 leaves 0.5 % of control events positive in each channel.

    Returns
    -------
    (annexin_threshold, pi_threshold)
        In compensated, untransformed units.

    Notes
    -----
    Percentiles interpolate linearly (numpy's default), identical to R's
    ``quantile(x, p / 100, type = 7)``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from exodisc.assays.flow import control_thresholds
    >>> control = pd.DataFrame({"FL1-A": np.arange(1000.0), "FL2-A": np.arange(1000.0) * 2})
    >>> control_thresholds(control, annexin="FL1-A", pi="FL2-A", percentile=99)
    (989.01, 1978.02)
    """
    if not 0 < percentile < 100:
        msg = f"percentile must be between 0 and 100, got {percentile!r}"
        raise ValueError(msg)
    if len(control) < 100:
        msg = f"the control has {len(control)} events after gating; at least 100 are needed"
        raise DesignError(msg)
    return (
        float(np.percentile(control[annexin].to_numpy(dtype=float), percentile)),
        float(np.percentile(control[pi].to_numpy(dtype=float), percentile)),
    )


def quadrant_percentages(
    events: pd.DataFrame,
    *,
    annexin: str,
    pi: str,
    annexin_threshold: float,
    pi_threshold: float,
) -> dict[str, float]:
    """Percentages of the four annexin V / PI quadrants.

    An event is positive when its value is above the threshold (``>``).

    Returns
    -------
    dict
        ``events``, ``viable_pct`` (AnnV−PI−), ``early_apoptotic_pct`` (AnnV+PI−),
        ``late_apoptotic_pct`` (AnnV+PI+), ``necrotic_pct`` (AnnV−PI+), ``apoptotic_pct``
        (early + late).

    Notes
    -----
    FlowJo "Quad" gate / FACSDiva Q1–Q4 with the same axis-parallel dividers. R equivalent:
    ``flowCore::quadGate(.gate = c(annexin = a, pi = p))``.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.assays.flow import quadrant_percentages
    >>> events = pd.DataFrame({"FL1-A": [10.0, 500, 600, 20], "FL2-A": [5.0, 8, 900, 800]})
    >>> pct = quadrant_percentages(events, annexin="FL1-A", pi="FL2-A",
    ...                            annexin_threshold=100, pi_threshold=100)
    >>> {k: float(v) for k, v in pct.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'events': 4.0, 'viable_pct': 25.0, 'early_apoptotic_pct': 25.0,
     'late_apoptotic_pct': 25.0, 'necrotic_pct': 25.0, 'apoptotic_pct': 50.0}
    """
    a = events[annexin].to_numpy(dtype=float) > annexin_threshold
    p = events[pi].to_numpy(dtype=float) > pi_threshold
    n = len(events)
    if n == 0:
        msg = "no events to place in quadrants"
        raise DesignError(msg)
    early = 100.0 * np.count_nonzero(a & ~p) / n
    late = 100.0 * np.count_nonzero(a & p) / n
    return {
        "events": n,
        "viable_pct": 100.0 * np.count_nonzero(~a & ~p) / n,
        "early_apoptotic_pct": early,
        "late_apoptotic_pct": late,
        "necrotic_pct": 100.0 * np.count_nonzero(~a & p) / n,
        "apoptotic_pct": early + late,
    }


@dataclass(frozen=True)
class ApoptosisResult:
    """Result of :func:`analyse_apoptosis`.

    Attributes
    ----------
    table
        One row per sample: :data:`APOPTOSIS_COLUMNS` plus ``apoptotic_pct``.
    gates
        The resolved debris / singlet gate coordinates per sample (and control).
    events
        Sample -> its compensated, gated (annexin, PI) events, for plotting.
    params
        Channels, threshold source, percentile, compensation.
    """

    table: pd.DataFrame
    gates: pd.DataFrame
    events: Mapping[str, pd.DataFrame] = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)


def analyse_apoptosis(
    samples: Mapping[str, Any],
    *,
    annexin: str,
    pi: str,
    control: Any | None = None,
    thresholds: tuple[float, float] | None = None,
    percentile: float = 99.5,
    compensation: Literal["file", "none"] | pd.DataFrame = "file",
    debris: Any | None = None,
    singlets: Any | None = None,
    pregate: Any | None = None,
) -> ApoptosisResult:
    """Annexin V / PI quadrant percentages for every sample.

    Parameters
    ----------
    samples
        Sample name -> :class:`exodisc.io.fcs.FcsData`.
    annexin, pi
        Channel names (``$PnN``) or marker labels (``$PnS``) of annexin V and PI.
    control
        The unstained control used for both thresholds, or ``{"annexin": FCS, "pi": FCS}``:
        one control per channel (e.g. the PI-only tube for the annexin V threshold).
    thresholds
        ``(annexin, pi)`` thresholds in compensated, untransformed units, instead of a control.
    percentile
        Control percentile for the thresholds (default 99.5).
    compensation
        ``"file"`` ($SPILLOVER of each file), ``"none"`` or a spillover matrix.
    debris, singlets
        :class:`DebrisGate` / :class:`SingletGate` declared for every file, or None.
    pregate
        :class:`Pregate`: an imported GatingML gate applied first, or None.

    Returns
    -------
    ApoptosisResult

    Notes
    -----
    FlowJo equivalent: compensate, gate cells and singlets, then a quadrant gate on
    annexin V vs PI placed at the control's 99.5th percentile. R: ``flowCore`` +
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
    >>> from exodisc.assays.flow import analyse_apoptosis
    >>> res = analyse_apoptosis({"IL-1b": tube([900, 0]), "EXO": tube([0, 0])},
    ...                         annexin="Annexin V", pi="PI", control=tube([0, 0]),
    ...                         compensation="none")
    >>> res.table[["sample", "viable_pct", "early_apoptotic_pct"]].round(1)
      sample  viable_pct  early_apoptotic_pct
    0  IL-1b         0.0                 99.7
    1    EXO        98.9                  0.8
    """
    from exodisc.assays.flow._prepare import prepare_events

    if (control is None) == (thresholds is None):
        msg = "give exactly one of a control file (percentile thresholds) or thresholds"
        raise DesignError(msg)
    if not samples:
        raise DesignError("no FCS files to analyse")
    gate_rows = []
    if thresholds is not None:
        if len(thresholds) != 2:
            msg = f"thresholds must be (annexin, pi), got {thresholds!r}"
            raise DesignError(msg)
        a_thr, p_thr = (float(t) for t in thresholds)
        source = "given"
    elif control is not None:
        # one control for both channels, or {"annexin": FCS, "pi": FCS} (e.g. each channel's
        # threshold from the other stain's single-stain tube, FMO-style)
        per = dict(control) if isinstance(control, Mapping) else {"annexin": control, "pi": control}
        if set(per) != {"annexin", "pi"}:
            msg = f"per-channel controls need keys 'annexin' and 'pi', got {sorted(per)}"
            raise DesignError(msg)
        found: dict[str, float] = {}
        prepared: dict[int, pd.DataFrame] = {}
        for which in ("annexin", "pi"):
            ctrl = per[which]
            if id(ctrl) not in prepared:
                ev, g = prepare_events(
                    ctrl,
                    compensation=compensation,
                    debris=debris,
                    singlets=singlets,
                    pregate=pregate,
                    sample=f"control:{ctrl.name}",
                )
                gate_rows.append(g.record)
                prepared[id(ctrl)] = ev
            ev = prepared[id(ctrl)]
            a_ch, p_ch = ctrl.channel(annexin), ctrl.channel(pi)
            thr = control_thresholds(ev, annexin=a_ch, pi=p_ch, percentile=percentile)
            found[which] = thr[0] if which == "annexin" else thr[1]
        a_thr, p_thr = found["annexin"], found["pi"]
        names = {per["annexin"].name, per["pi"].name}
        source = f"{percentile}th percentile of {' / '.join(sorted(names))}"
    else:  # unreachable: checked above
        raise DesignError("no threshold source")
    rows = []
    plotted: dict[str, pd.DataFrame] = {}
    for name, fcs in samples.items():
        a_ch, p_ch = fcs.channel(annexin), fcs.channel(pi)
        ev, g = prepare_events(
            fcs,
            compensation=compensation,
            debris=debris,
            singlets=singlets,
            pregate=pregate,
            sample=name,
        )
        gate_rows.append(g.record)
        q = quadrant_percentages(
            ev, annexin=a_ch, pi=p_ch, annexin_threshold=a_thr, pi_threshold=p_thr
        )
        rows.append({"sample": name, **q, "annexin_threshold": a_thr, "pi_threshold": p_thr})
        plotted[name] = ev[[a_ch, p_ch]].set_axis(["annexin", "pi"], axis=1)
    table = pd.DataFrame(rows)[[*APOPTOSIS_COLUMNS, "apoptotic_pct"]]
    gates = pd.concat(gate_rows, ignore_index=True) if gate_rows else pd.DataFrame()
    params = {
        "annexin": annexin,
        "pi": pi,
        "threshold_source": source,
        "percentile": percentile if control is not None else None,
        "annexin_threshold": a_thr,
        "pi_threshold": p_thr,
        "compensation": compensation if isinstance(compensation, str) else "matrix",
    }
    return ApoptosisResult(table, gates, plotted, params)
