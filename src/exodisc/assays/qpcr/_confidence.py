"""The confidence level of RQ min/max: the user's, the export's, or the vendor's default.

Thermo Fisher's QuantStudio software forms RQ min/max as 2^-(ΔΔCq ± t·SE(ΔCq)), t the
two-sided Student quantile at the analysis setting "RQ Min/Max Confidence Level". Its
default is 95 %: QuantStudio Real-Time PCR Software writes the setting below the results of
its text exports (``RQ Min/Max Confidence Level = 95.0`` in every vendor export seen). The
Design & Analysis software does not export the setting, and its own example experiments were
analysed at different levels (95 %, 97 %, 99.5 %). The level is however fixed by the numbers
the export does carry — RQ, RQ Min, RQ Max and the ΔCq SE of each sample, whose degrees of
freedom are known from the wells — so it is recovered from them (:func:`recover_confidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = [
    "VENDOR_DEFAULT_CONFIDENCE",
    "ConfidenceChoice",
    "recover_confidence",
    "resolve_confidence",
]

#: QuantStudio's default "RQ Min/Max Confidence Level".
VENDOR_DEFAULT_CONFIDENCE = 0.95

#: Largest spread of the per-sample levels recovered from one export that still counts as
#: one setting (the vendor's numbers are full doubles: a true level agrees to ~1e-12).
_AGREE = 1e-6


@dataclass(frozen=True)
class ConfidenceChoice:
    """The confidence level of ``rq_min`` / ``rq_max`` and where it came from.

    ``source``: ``"option"`` (given by the user), ``"export"`` (stated in the export),
    ``"recovered"`` (recovered from the export's own RQ min/max, Design & Analysis), or
    ``"default"`` (QuantStudio's default, 95 %). ``text`` says it in one sentence.
    """

    level: float
    source: Literal["option", "export", "recovered", "default"]
    text: str

    def record(self) -> dict[str, Any]:
        """JSON-able record for provenance."""
        return {"confidence": self.level, "source": self.source, "text": self.text}


def _pct(level: float) -> str:
    return f"{level * 100:.4g} %"


def recover_confidence(run: Any) -> tuple[float, int] | None:
    """The confidence level a Design & Analysis export was analysed at, from its own numbers.

    For every sample × target of the vendor's ``RQ Replicate Group Result`` sheet with RQ,
    RQ Min, RQ Max and a ΔCq SE, the half-width t = log2(RQ Max / RQ Min) / (2·SE) and the
    degrees of freedom of exodisc's rule for the same wells (n_target + n_ref − 2 in separate
    wells, n − 1 for per-well ΔCq in shared wells; the ``df`` column of
    :func:`relative_quantification`) give a level 2·F_t(t; df) − 1. The level is returned
    (rounded to 1e-6) with the number of rows behind it when every row gives the same level
    to 1e-6, else None (the export does not fit the rule; the caller falls back).

    The references are the targets whose rows the vendor left without a ΔCq.
    """
    from scipy import stats as sps

    from exodisc.assays.qpcr._relquant import relative_quantification
    from exodisc.errors import ExodiscError

    vendor = getattr(run, "vendor_rq", None)
    if vendor is None or vendor.empty:
        return None
    rows = vendor[np.isfinite(vendor[["rq", "rq_min", "rq_max", "delta_ct_se"]]).all(axis=1)]
    rows = rows[(rows["delta_ct_se"] > 0) & (rows["rq_min"] > 0)]
    if rows.empty:
        return None
    refs = sorted(set(vendor["target"]) - set(rows["target"]))
    if not refs:
        return None
    try:
        res = relative_quantification(
            run.wells,
            reference=refs,
            calibrator=str(rows["sample"].iloc[0]),
            sd_max=np.inf,
            range_max=np.inf,
        )
    except (ExodiscError, ValueError):
        return None
    ours = res.table.set_index(["sample", "target"])["df"]
    levels = []
    for r in rows.itertuples(index=False):
        df = ours.get((str(r.sample), str(r.target)), np.nan)
        if not np.isfinite(df) or df <= 0:
            return None  # a vendor row exodisc cannot place: no level from this file
        half = np.log2(r.rq_max / r.rq_min) / (2 * r.delta_ct_se)
        levels.append(2 * float(sps.t.cdf(half, df)) - 1)
    if max(levels) - min(levels) > _AGREE:
        return None
    return round(float(np.median(levels)), 6), len(levels)


def resolve_confidence(runs: Sequence[Any], given: float | None = None) -> ConfidenceChoice:
    """The level of ``rq_min`` / ``rq_max`` for these exports.

    ``given`` (the user's ``--confidence`` / study option) wins. Otherwise the level each
    export states (QuantStudio text/xlsx: ``RQ Min/Max Confidence Level``) or, for a Design
    & Analysis export, the level recovered from its RQ sheet (:func:`recover_confidence`);
    where the exports give none — or give different levels — QuantStudio's default, 95 %.
    """
    from exodisc.io.qpcr import STATED_CONFIDENCE_KEY, stated_confidence

    if given is not None:
        return ConfidenceChoice(float(given), "option", f"{_pct(given)} (given)")
    found: dict[str, tuple[float, str, Literal["export", "recovered"]]] = {}
    for run in runs:
        name = run.path.name
        stated = stated_confidence(run.meta)
        if stated is not None:
            found[name] = (
                stated,
                f"stated in the export {name} ('{STATED_CONFIDENCE_KEY} = "
                f"{run.meta[STATED_CONFIDENCE_KEY]}')",
                "export",
            )
            continue
        rec = recover_confidence(run)
        if rec is not None:
            found[name] = (
                rec[0],
                f"the level {name} was analysed at, recovered from its RQ Replicate Group "
                f"Result sheet (RQ Min/Max and ΔCq SE of {rec[1]} sample(s) on the vendor's "
                "degrees of freedom)",
                "recovered",
            )
    levels = {round(v[0], 6) for v in found.values()}
    if len(levels) == 1:
        level, why, source = next(iter(found.values()))
        if len(found) > 1:
            why = f"stated or recovered alike in {len(found)} exports"
        return ConfidenceChoice(level, source, f"{_pct(level)}: {why}")
    if len(levels) > 1:
        per = "; ".join(f"{n} {_pct(v[0])}" for n, v in sorted(found.items()))
        text = (
            f"{_pct(VENDOR_DEFAULT_CONFIDENCE)} (QuantStudio's default): the exports were "
            f"analysed at different levels ({per}); set the level to choose another"
        )
        return ConfidenceChoice(VENDOR_DEFAULT_CONFIDENCE, "default", text)
    text = (
        f"{_pct(VENDOR_DEFAULT_CONFIDENCE)} (QuantStudio's default 'RQ Min/Max Confidence "
        "Level'; the export does not give its own)"
    )
    return ConfidenceChoice(VENDOR_DEFAULT_CONFIDENCE, "default", text)
