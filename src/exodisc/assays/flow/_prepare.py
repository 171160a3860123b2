"""Preparing events: compensation, display transforms, declared debris and singlet gates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from exodisc.errors import DesignError, InputFormatError

if TYPE_CHECKING:
    from exodisc.io.fcs import FcsData

__all__ = [
    "DebrisGate",
    "GateResult",
    "Pregate",
    "SingletGate",
    "WorkspaceGate",
    "apply_gates",
    "compensate",
    "display_transform",
    "prepare_events",
    "spill_from_controls",
    "spill_from_files",
]


def compensate(
    events: pd.DataFrame, spill: pd.DataFrame, *, path: str | Path | None = None
) -> pd.DataFrame:
    """Compensate events with a spillover matrix.

    Parameters
    ----------
    events
        Events x channels (``$PnN`` names), uncompensated.
    spill
        Square spillover matrix, index and columns = detectors (row = the fluorochrome's
        primary detector), as in ``$SPILLOVER``.
    path
        The file the events came from (named in errors).

    Returns
    -------
    pandas.DataFrame
        A new table; the spill detectors are replaced by ``events[dets] @ inv(spill)``,
        the other channels (scatter, time) are copied unchanged. The input is not modified.

    Notes
    -----
    R equivalent: ``flowCore::compensate(ff, spillover(ff)$SPILL)``; FlowJo / FACSDiva apply
    the same linear unmixing (Bagwell & Adams 1993).

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.assays.flow import compensate
    >>> spill = pd.DataFrame([[1.0, 0.2], [0.0, 1.0]], index=["FL1-A", "FL2-A"],
    ...                      columns=["FL1-A", "FL2-A"])
    >>> events = pd.DataFrame({"FL1-A": [100.0, 0.0], "FL2-A": [20.0, 50.0]})
    >>> compensate(events, spill)
       FL1-A  FL2-A
    0  100.0    0.0
    1    0.0   50.0
    """
    dets = list(spill.columns)
    if list(spill.index) != dets:
        msg = "spillover matrix rows and columns must name the same detectors in the same order"
        raise InputFormatError(msg, path=path, where="spillover matrix")
    missing = [d for d in dets if d not in events.columns]
    if missing:
        msg = (
            f"spillover matrix names detector(s) {missing} that the events lack; "
            f"channels are {list(events.columns)}"
        )
        raise InputFormatError(msg, path=path, where="spillover matrix")
    matrix = spill.to_numpy(dtype=float)
    if not np.all(np.isfinite(matrix)) or np.linalg.matrix_rank(matrix) < len(dets):
        msg = "spillover matrix is singular or holds non-finite values; it cannot be inverted"
        raise InputFormatError(msg, path=path, where="spillover matrix")
    out = events.copy()
    raw = events[dets].to_numpy(dtype=float)
    out[dets] = np.linalg.solve(matrix.T, raw.T).T
    return out


def spill_from_controls(
    unstained: pd.DataFrame,
    singles: Mapping[str, pd.DataFrame],
    *,
    percentile: float = 99.5,
) -> pd.DataFrame:
    """Spillover matrix from single-stain controls (median method).

    Parameters
    ----------
    unstained
        Events of the unstained control.
    singles
        Detector -> events of the control stained only with the fluorochrome read primarily
        in that detector.
    percentile
        Events of a single-stain control above this percentile of the unstained control in
        the primary detector are its positive population.

    Returns
    -------
    pandas.DataFrame
        ``S[i, j] = (median_j(pos_i) - median_j(unstained)) /
        (median_i(pos_i) - median_i(unstained))``; ones on the diagonal.

    Notes
    -----
    R equivalent: ``flowCore::spillover(..., method = "median")`` with a positive gate; the
    same idea as FlowJo's and FACSDiva's compensation wizards (Roederer 2001).

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.assays.flow import spill_from_controls
    >>> unstained = pd.DataFrame({"FL1-A": [10.0] * 30, "FL2-A": [5.0] * 30})
    >>> singles = {"FL1-A": pd.DataFrame({"FL1-A": [1010.0] * 30, "FL2-A": [105.0] * 30}),
    ...            "FL2-A": pd.DataFrame({"FL1-A": [10.0] * 30, "FL2-A": [805.0] * 30})}
    >>> spill_from_controls(unstained, singles, percentile=50).round(3)
           FL1-A  FL2-A
    FL1-A    1.0    0.1
    FL2-A    0.0    1.0
    """
    dets = list(singles)
    missing = [d for d in dets if d not in unstained.columns]
    if missing:
        msg = f"unstained control lacks detector(s) {missing}"
        raise DesignError(msg)
    base = unstained[dets].median()
    spill = np.eye(len(dets))
    for i, det in enumerate(dets):
        ev = singles[det]
        cut = float(np.percentile(unstained[det].to_numpy(dtype=float), percentile))
        pos = ev.loc[ev[det] > cut, dets]
        if len(pos) < 20:
            msg = (
                f"single-stain control for {det} has {len(pos)} events above the unstained "
                f"{percentile}th percentile ({cut:.4g}); at least 20 are needed"
            )
            raise DesignError(msg)
        med = pos.median() - base
        spill[i, :] = (med / med[det]).to_numpy(dtype=float)
    return pd.DataFrame(spill, index=dets, columns=dets)


def display_transform(
    values: np.ndarray | pd.Series,
    *,
    kind: Literal["logicle", "asinh", "linear"] = "logicle",
    top: float = 262144.0,
    width: float = 0.5,
    decades: float = 4.5,
    cofactor: float = 150.0,
) -> np.ndarray:
    """Transform fluorescence for display (never for gating or percentages).

    Parameters
    ----------
    values
        Compensated, untransformed values.
    kind
        ``"logicle"`` (Parks, Roederer & Moore 2006; FlowKit ``LogicleTransform`` with
        T = ``top``, W = ``width``, M = ``decades``, A = 0), ``"asinh"``
        (``arcsinh(x / cofactor)``, the cytometry convention) or ``"linear"``.

    Returns
    -------
    numpy.ndarray
        Transformed values (logicle: 0 … 1 of the display scale).

    Notes
    -----
    R equivalent: ``flowCore::logicleTransform(w = 0.5, t = 262144, m = 4.5)`` and
    ``flowCore::arcsinhTransform(a = 0, b = 1 / cofactor)``; FlowJo's "Logicle" / "Arcsinh".

    Examples
    --------
    >>> import numpy as np
    >>> from exodisc.assays.flow import display_transform
    >>> display_transform(np.array([-100.0, 0.0, 150.0, 1500.0]), kind="asinh").round(4)
    array([-0.6251,  0.    ,  0.8814,  2.9982])
    """
    x = np.asarray(values, dtype=float)
    if kind == "linear":
        return x.copy()
    if kind == "asinh":
        return np.arcsinh(x / cofactor)
    from flowkit import transforms

    xform = transforms.LogicleTransform(param_t=top, param_w=width, param_m=decades, param_a=0)
    return np.asarray(xform.apply(x.reshape(-1, 1)), dtype=float).ravel()


class DebrisGate(BaseModel):
    """Debris gate on FSC-A vs SSC-A, declared as fixed bounds or percentiles of the sample.

    ``method="percentile"`` reads ``x_min`` … ``y_max`` as percentiles (0–100) of each
    sample's own events; ``"fixed"`` as values in the channel's units. ``None`` = open.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    x: str = "FSC-A"
    y: str = "SSC-A"
    method: Literal["percentile", "fixed"] = "percentile"
    x_min: float | None = None
    x_max: float | None = None
    y_min: float | None = None
    y_max: float | None = None

    @model_validator(mode="after")
    def _check(self) -> DebrisGate:
        if all(getattr(self, k) is None for k in ("x_min", "x_max", "y_min", "y_max")):
            msg = "a debris gate needs at least one of x_min, x_max, y_min, y_max"
            raise ValueError(msg)
        if self.method == "percentile":
            for name in ("x_min", "x_max", "y_min", "y_max"):
                v = getattr(self, name)
                if v is not None and not 0 <= v <= 100:
                    msg = f"{name} is a percentile with method='percentile'; got {v}"
                    raise ValueError(msg)
        return self


class SingletGate(BaseModel):
    """Singlet gate on the height / area ratio of forward scatter (doublets have low H/A).

    ``ratio_min`` / ``ratio_max`` are percentiles (``method="percentile"``) or ratios
    (``"fixed"``) of ``height / area``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    area: str = "FSC-A"
    height: str = "FSC-H"
    method: Literal["percentile", "fixed"] = "percentile"
    ratio_min: float | None = None
    ratio_max: float | None = None

    @model_validator(mode="after")
    def _check(self) -> SingletGate:
        if self.ratio_min is None and self.ratio_max is None:
            msg = "a singlet gate needs ratio_min and/or ratio_max"
            raise ValueError(msg)
        if self.method == "percentile":
            for v in (self.ratio_min, self.ratio_max):
                if v is not None and not 0 <= v <= 100:
                    msg = f"ratio bounds are percentiles with method='percentile'; got {v}"
                    raise ValueError(msg)
        return self


@dataclass(frozen=True)
class GateResult:
    """Which events passed the declared gates, and the resolved gate coordinates."""

    mask: np.ndarray
    record: pd.DataFrame


def _bound(values: np.ndarray, v: float | None, method: str) -> float:
    if v is None:
        return np.nan
    return float(np.percentile(values, v)) if method == "percentile" else float(v)


def apply_gates(
    events: pd.DataFrame,
    *,
    debris: DebrisGate | None = None,
    singlets: SingletGate | None = None,
    sample: str = "",
    path: str | Path | None = None,
) -> GateResult:
    """Apply the declared debris gate, then the singlet gate on the debris-gated events.

    Returns
    -------
    GateResult
        ``mask`` (events kept) and ``record``: one row per bound with ``sample``, ``gate``,
        ``parameter``, ``bound`` (min / max), ``declared`` (the number declared), ``value``
        (in channel units), ``events_in`` and ``events_kept`` of the gate.

    Notes
    -----
    FlowJo equivalent: a rectangle gate on FSC-A/SSC-A and a polygon along the FSC-A/FSC-H
    diagonal; here both are declared numbers so that the gates are reproducible.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.assays.flow import DebrisGate, apply_gates
    >>> events = pd.DataFrame({"FSC-A": [5.0, 500, 600, 700], "SSC-A": [1.0, 300, 200, 400]})
    >>> gates = apply_gates(events, debris=DebrisGate(method="fixed", x_min=100))
    >>> gates.mask.tolist()
    [False, True, True, True]
    """
    keep = np.ones(len(events), dtype=bool)
    rows: list[dict[str, object]] = []

    def col(name: str) -> np.ndarray:
        if name not in events.columns:
            msg = f"gate channel {name!r} not found; channels are {list(events.columns)}"
            raise InputFormatError(msg, path=path)
        return events[name].to_numpy(dtype=float)

    if debris is not None:
        before = int(keep.sum())
        x, y = col(debris.x), col(debris.y)
        inside = keep.copy()
        bounds = (
            (debris.x, "min", debris.x_min, x),
            (debris.x, "max", debris.x_max, x),
            (debris.y, "min", debris.y_min, y),
            (debris.y, "max", debris.y_max, y),
        )
        resolved = []
        for param, which, declared, v in bounds:
            b = _bound(v[keep], declared, debris.method)
            resolved.append((param, which, declared, b))
            if np.isfinite(b):
                inside &= v >= b if which == "min" else v <= b
        keep = inside
        for param, which, declared, b in resolved:
            if declared is None:
                continue
            rows.append(
                {
                    "sample": sample,
                    "gate": "debris",
                    "parameter": param,
                    "bound": which,
                    "method": debris.method,
                    "declared": declared,
                    "value": b,
                    "events_in": before,
                    "events_kept": int(keep.sum()),
                }
            )
    if singlets is not None:
        before = int(keep.sum())
        area, height = col(singlets.area), col(singlets.height)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(area > 0, height / area, np.nan)
        finite = np.isfinite(ratio)
        keep &= finite
        bounds_s: list[tuple[str, float | None, float]] = []
        for which, declared in (("min", singlets.ratio_min), ("max", singlets.ratio_max)):
            b = _bound(ratio[keep], declared, singlets.method)
            bounds_s.append((which, declared, b))
        for which, _, b in bounds_s:
            if np.isfinite(b):
                keep &= ratio >= b if which == "min" else ratio <= b
        for which, declared, b in bounds_s:
            if declared is None:
                continue
            rows.append(
                {
                    "sample": sample,
                    "gate": "singlets",
                    "parameter": f"{singlets.height}/{singlets.area}",
                    "bound": which,
                    "method": singlets.method,
                    "declared": declared,
                    "value": b,
                    "events_in": before,
                    "events_kept": int(keep.sum()),
                }
            )
    columns = [
        "sample",
        "gate",
        "parameter",
        "bound",
        "method",
        "declared",
        "value",
        "events_in",
        "events_kept",
    ]
    return GateResult(keep, pd.DataFrame(rows, columns=columns))


def prepare_events(
    fcs: FcsData,
    *,
    compensation: Literal["file", "none"] | pd.DataFrame = "file",
    debris: DebrisGate | None = None,
    singlets: SingletGate | None = None,
    sample: str = "",
    pregate: Pregate | WorkspaceGate | None = None,
) -> tuple[pd.DataFrame, GateResult]:
    """Compensate one FCS file's events and apply the declared gates.

    Parameters
    ----------
    fcs
        :class:`exodisc.io.fcs.FcsData`.
    compensation
        ``"file"``: the file's ``$SPILLOVER`` (an error where it has none); ``"none"``;
        or a spillover matrix.
    pregate
        An imported gate (GatingML 2.0 :class:`Pregate` or FlowJo :class:`WorkspaceGate`)
        whose events are kept before the declared debris / singlet gates, e.g. the lab's own
        "cells" or "singlets" population.

    Returns
    -------
    (events, gates)
        Compensated, gated events (a new table) and the gate record.

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
    >>> from exodisc.assays.flow import prepare_events
    >>> events, gates = prepare_events(tube([0, 0]), compensation="none")
    >>> events.shape, int(gates.mask.sum())
    ((2000, 2), 2000)
    """
    from exodisc.io.fcs import FcsData

    if not isinstance(fcs, FcsData):
        msg = f"expected FcsData, got {type(fcs).__name__}"
        raise TypeError(msg)
    events = fcs.events
    if isinstance(compensation, pd.DataFrame):
        events = compensate(events, compensation, path=fcs.path)
    elif compensation == "file":
        if fcs.spill is None:
            msg = (
                "compensation from the file was asked for but the file has no $SPILLOVER / "
                "$SPILL keyword; give a matrix file or choose no compensation"
            )
            raise InputFormatError(msg, path=fcs.path, where="TEXT keywords")
        events = compensate(events, fcs.spill, path=fcs.path)
    elif compensation != "none":
        msg = f"compensation must be 'file', 'none' or a matrix, got {compensation!r}"
        raise ValueError(msg)
    record: list[pd.DataFrame] = []
    if pregate is not None:
        inside = pregate.membership(fcs)
        record.append(
            pd.DataFrame(
                [
                    {
                        "sample": sample,
                        "gate": f"imported:{pregate.gate}",
                        "parameter": pregate.path.name,
                        "bound": "",
                        "method": "imported",
                        "declared": np.nan,
                        "value": np.nan,
                        "events_in": len(events),
                        "events_kept": int(inside.sum()),
                    }
                ]
            )
        )
        events = events.loc[inside].reset_index(drop=True)
    gates = apply_gates(events, debris=debris, singlets=singlets, sample=sample, path=fcs.path)
    if record:
        gates = GateResult(gates.mask, pd.concat([*record, gates.record], ignore_index=True))
    if not gates.mask.any():
        msg = "no events are left after the debris / singlet gates; check the declared gates"
        raise InputFormatError(msg, path=fcs.path)
    return events.loc[gates.mask].reset_index(drop=True), gates


@dataclass(frozen=True)
class Pregate:
    """One gate of a GatingML 2.0 file, applied with FlowKit to every FCS file.

    Parameters
    ----------
    path
        The GatingML 2.0 XML file.
    gate
        The gate id (or ``parent/…/gate`` path) whose events are kept.
    """

    path: Path
    gate: str

    def membership(self, fcs: FcsData) -> np.ndarray:
        from exodisc.io.fcs import apply_gatingml

        members = apply_gatingml(self.path, fcs.path)
        if self.gate not in members.columns:
            msg = f"gate {self.gate!r} not found; the file defines {list(members.columns)}"
            raise InputFormatError(msg, path=self.path)
        return members[self.gate].to_numpy(dtype=bool)


@dataclass(frozen=True)
class WorkspaceGate:
    """One population of a FlowJo 10 workspace, re-applied with FlowKit to every FCS file.

    Parameters
    ----------
    path
        The ``.wsp`` file; each FCS file must be one of its samples (matched by file name).
    population
        ``/``-joined population path, e.g. ``"singlet/live/cells"`` (as
        :func:`exodisc.io.fcs.read_workspace_populations` lists them).
    group
        The FlowJo sample group whose gates apply.

    Notes
    -----
    FlowKit ``Workspace.analyze_samples`` + ``get_gate_membership``; R equivalent
    ``CytoML::flowjo_to_gatingset`` + ``gh_pop_get_indices``.
    """

    path: Path
    population: str
    group: str = "All Samples"

    @property
    def gate(self) -> str:
        return self.population

    def membership(self, fcs: FcsData) -> np.ndarray:
        import warnings

        import flowkit

        fcs_path = Path(fcs.path)
        parts = self.population.strip("/").split("/")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ws = flowkit.Workspace(str(self.path), fcs_samples=[str(fcs_path)])
                if fcs_path.name not in ws.get_sample_ids():
                    msg = (
                        f"{fcs_path.name} is not a sample of the workspace; its samples are "
                        f"{sorted(ws.get_sample_ids())}"
                    )
                    raise InputFormatError(msg, path=self.path)
                ws.analyze_samples(group_name=self.group, sample_id=fcs_path.name, use_mp=False)
                member = ws.get_gate_membership(
                    fcs_path.name, parts[-1], gate_path=("root", *parts[:-1])
                )
        except InputFormatError:
            raise
        except Exception as exc:
            msg = f"population {self.population!r} cannot be applied to {fcs_path.name}: {exc}"
            raise InputFormatError(msg, path=self.path) from None
        return np.asarray(member, dtype=bool)


def spill_from_files(
    unstained: FcsData, singles: Mapping[str, FcsData], *, percentile: float = 99.5
) -> pd.DataFrame:
    """:func:`spill_from_controls` on FCS files (channels by ``$PnN`` or ``$PnS``).

    Examples
    --------
    >>> from exodisc.assays.flow import spill_from_files
    >>> from exodisc.io.fcs import read_fcs
    >>> singles = {"FL1-A": read_fcs("annexin_only.fcs"),  # doctest: +SKIP
    ...            "FL2-A": read_fcs("pi_only.fcs")}
    >>> spill = spill_from_files(read_fcs("unstained.fcs"), singles)  # doctest: +SKIP
    """
    dets = {}
    for name, f in singles.items():
        dets[unstained.channel(name)] = f
    return spill_from_controls(
        unstained.events,
        {d: f.events for d, f in dets.items()},
        percentile=percentile,
    )
