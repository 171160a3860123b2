"""What a vendor export says about its own RQ analysis: its confidence level and RQ rows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RQ_SHEET", "STATED_CONFIDENCE_KEY", "read_rq_sheet", "stated_confidence"]

#: Key under which QuantStudio Real-Time PCR Software (and 7500 / StepOne / ViiA 7 software)
#: writes the RQ min/max confidence level below its ``[Results]`` table, in percent.
STATED_CONFIDENCE_KEY = "RQ Min/Max Confidence Level"

#: Design & Analysis sheet with the vendor's RQ, RQ Min and RQ Max per sample and target.
RQ_SHEET = "RQ Replicate Group Result"


def stated_confidence(meta: Mapping[str, Any]) -> float | None:
    """The confidence level an export states (``RQ Min/Max Confidence Level = 95.0``) as a
    fraction, or None where the export states none (Design & Analysis exports never do).

    A value above 1 is read as percent (``95.0`` → 0.95); anything that is not a level
    strictly between 0 and 100 % is treated as absent.

    Examples
    --------
    >>> from exodisc.io.qpcr import stated_confidence
    >>> stated_confidence({"RQ Min/Max Confidence Level": "95.0"})
    0.95
    >>> stated_confidence({}) is None
    True
    """
    raw = meta.get(STATED_CONFIDENCE_KEY)
    if raw is None:
        return None
    m = re.search(r"[-+]?\d+(?:\.\d+)?", str(raw))
    if not m:
        return None
    value = float(m.group(0))
    level = value / 100 if value > 1 else value
    return level if 0 < level < 1 else None


def _num(value: Any) -> float:
    try:
        out = float(str(value).strip()) if value is not None else np.nan
    except ValueError:
        return np.nan
    return out if np.isfinite(out) else np.nan


def read_rq_sheet(path: Path) -> pd.DataFrame | None:
    """The vendor's own RQ rows of a Design & Analysis export, or None where it has none.

    Returns ``sample, target, delta_ct_se, rq, rq_min, rq_max`` (floats; NaN where the
    vendor left a cell empty, e.g. on the reference gene's rows). Only used to recover the
    analysis' confidence level (:func:`exodisc.assays.qpcr.resolve_confidence`); exodisc
    recomputes every number itself from the well Cqs.
    """
    from exodisc.io.qpcr._formats import _find, _open_workbook

    wb = _open_workbook(path)
    try:
        if RQ_SHEET not in wb.sheetnames:
            return None
        rows = [tuple(r) for r in wb[RQ_SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    for i, r in enumerate(rows):
        if not (r and r[0] is not None and str(r[0]).strip() == "Sample"):
            continue
        head = [str(h).strip() if h is not None else "" for h in r]
        low = [h.lower() for h in head]
        cols = {
            "sample": 0,
            "target": _find(head, ("target",)),
            "rq": _find(head, ("rq",)),
            "rq_min": _find(head, ("rq min",)),
            "rq_max": _find(head, ("rq max",)),
            "delta_ct_se": next(
                (j for j, h in enumerate(low) if h.startswith("delta") and h.endswith(" se")),
                None,
            ),
        }
        if any(j is None for j in cols.values()):
            return None
        out = []
        for body in rows[i + 1 :]:
            if not body or body[0] is None or str(body[0]).strip() == "":
                break
            cells = list(body) + [None] * (len(head) - len(body))
            out.append(
                {
                    "sample": str(cells[0]).strip(),
                    "target": str(cells[cols["target"]]).strip(),  # type: ignore[index]
                    **{
                        k: _num(cells[j])  # type: ignore[index]
                        for k, j in cols.items()
                        if k not in ("sample", "target")
                    },
                }
            )
        table = pd.DataFrame(
            out, columns=["sample", "target", "rq", "rq_min", "rq_max", "delta_ct_se"]
        )
        return table[["sample", "target", "delta_ct_se", "rq", "rq_min", "rq_max"]]
    return None
