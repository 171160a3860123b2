"""The ISCT minimal criteria for multipotent mesenchymal stromal cells (Dominici et al. 2006)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["ISCT_MARKERS", "IsctResult", "isct_check"]

# criterion, expectation, any-of marker names
ISCT_MARKERS: tuple[tuple[str, Literal["positive", "negative"], tuple[str, ...]], ...] = (
    ("CD105", "positive", ("CD105",)),
    ("CD73", "positive", ("CD73",)),
    ("CD90", "positive", ("CD90",)),
    ("CD45", "negative", ("CD45",)),
    ("CD34", "negative", ("CD34",)),
    ("CD14 or CD11b", "negative", ("CD14", "CD11B")),
    ("CD79α or CD19", "negative", ("CD79A", "CD79", "CD79Α", "CD19")),
    ("HLA-DR", "negative", ("HLA-DR",)),
)
_TRILINEAGE = ("osteogenic", "adipogenic", "chondrogenic")


@dataclass(frozen=True)
class IsctResult:
    """Result of :func:`isct_check`.

    Attributes
    ----------
    table
        One row per criterion: ``criterion``, ``kind`` (surface marker / culture /
        differentiation / study panel), ``requirement``, ``measured`` (marker used),
        ``pct_positive``, ``status`` (``pass`` / ``fail`` / ``not measured`` / ``reported``).
    gaps
        Criteria the study did not measure or declare.
    passed
        True only when every ISCT criterion was measured and passed.
    """

    table: pd.DataFrame
    gaps: list[str] = field(default_factory=list)
    passed: bool = False
    params: dict[str, Any] = field(default_factory=dict)


def isct_check(
    markers: pd.DataFrame,
    *,
    plastic_adherence: bool | None = None,
    trilineage: Mapping[str, bool | None] | None = None,
    expect: Mapping[str, Literal["positive", "negative", "reported"]] | None = None,
    positive_min: float = 95.0,
    negative_max: float = 2.0,
) -> IsctResult:
    """Check a marker table against the ISCT minimal criteria and list what is missing.

    Parameters
    ----------
    markers
        ``marker`` and ``pct_positive`` (one row per marker; several rows of one marker,
        e.g. donors, are averaged and ``n`` is reported).
    plastic_adherence
        Declared in the study (True / False), or None when not declared.
    trilineage
        ``osteogenic`` / ``adipogenic`` / ``chondrogenic`` -> declared result.
    expect
        Further markers of the study's panel and the expectation the paper states
        (default CD29 and CD44 positive, SSEA-4 reported).
    positive_min, negative_max
        ISCT: >= 95 % positive, <= 2 % positive.

    Returns
    -------
    IsctResult

    Notes
    -----
    Dominici M. et al. (2006) Cytotherapy 8:315–317. No R package implements the check; it
    is the table a lab fills by hand from FlowJo's % positive.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.assays.flow import isct_check
    >>> markers = pd.DataFrame({"marker": ["CD73", "CD90", "CD105", "CD45"],
    ...                         "pct_positive": [99.1, 98.7, 97.0, 0.8]})
    >>> res = isct_check(markers, plastic_adherence=True)
    >>> res.passed
    False
    >>> res.table[["criterion", "status"]].head(5)
      criterion        status
    0     CD105          pass
    1      CD73          pass
    2      CD90          pass
    3      CD45          pass
    4      CD34  not measured
    """
    if expect is None:
        expect = {"CD29": "positive", "CD44": "positive", "SSEA-4": "reported"}
    summary = markers.assign(_m=markers["marker"].str.upper()).groupby("_m", sort=False)
    pct = summary["pct_positive"].mean()
    n = summary["pct_positive"].size()
    rows: list[dict[str, Any]] = []
    gaps: list[str] = []

    def judge(kind: str, value: float) -> str:
        ok = value >= positive_min if kind == "positive" else value <= negative_max
        return "pass" if ok else "fail"

    for criterion, expectation, names in ISCT_MARKERS:
        found = [m for m in names if m in pct.index]
        req = (
            f">= {positive_min:g} % positive"
            if expectation == "positive"
            else f"<= {negative_max:g} % positive"
        )
        if not found:
            rows.append(
                {
                    "criterion": criterion,
                    "kind": "ISCT surface marker",
                    "requirement": req,
                    "measured": "",
                    "n": 0,
                    "pct_positive": np.nan,
                    "status": "not measured",
                }
            )
            gaps.append(criterion)
            continue
        m = found[0]
        rows.append(
            {
                "criterion": criterion,
                "kind": "ISCT surface marker",
                "requirement": req,
                "measured": m,
                "n": int(n[m]),
                "pct_positive": float(pct[m]),
                "status": judge(expectation, float(pct[m])),
            }
        )
    declared: list[tuple[str, str, bool | None]] = [
        ("plastic adherence", "ISCT culture", plastic_adherence)
    ]
    tri = dict(trilineage or {})
    unknown = sorted(set(tri) - set(_TRILINEAGE))
    if unknown:
        msg = f"unknown trilineage key(s) {unknown}; expected {list(_TRILINEAGE)}"
        raise ValueError(msg)
    declared += [(f"{k} differentiation", "ISCT differentiation", tri.get(k)) for k in _TRILINEAGE]
    for criterion, where, stated in declared:
        status = "not measured" if stated is None else ("pass" if stated else "fail")
        if stated is None:
            gaps.append(criterion)
        rows.append(
            {
                "criterion": criterion,
                "kind": where,
                "requirement": "declared in the study",
                "measured": "" if stated is None else "declared",
                "n": 0 if stated is None else 1,
                "pct_positive": np.nan,
                "status": status,
            }
        )
    for marker, wanted in expect.items():
        m = marker.upper()
        if m not in pct.index:
            continue
        value = float(pct[m])
        rows.append(
            {
                "criterion": marker,
                "kind": "study panel",
                "requirement": (
                    "reported"
                    if wanted == "reported"
                    else f">= {positive_min:g} % positive"
                    if wanted == "positive"
                    else f"<= {negative_max:g} % positive"
                ),
                "measured": m,
                "n": int(n[m]),
                "pct_positive": value,
                "status": "reported" if wanted == "reported" else judge(wanted, value),
            }
        )
    table = pd.DataFrame(rows)
    isct = table[table["kind"].str.startswith("ISCT")]
    passed = bool((isct["status"] == "pass").all())
    params = {"positive_min": positive_min, "negative_max": negative_max}
    return IsctResult(table, gaps, passed, params)
