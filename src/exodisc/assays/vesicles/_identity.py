"""Stem-cell identity record: trilineage differentiation and surface markers in one table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from exodisc.assays.vesicles._declared import UscIdentityDecl

__all__ = ["ISCT_NEGATIVE_MAX", "ISCT_POSITIVE_MIN", "IdentityResult", "usc_identity"]

ISCT_POSITIVE_MIN = 95.0
ISCT_NEGATIVE_MAX = 2.0
_LINEAGE = {
    "alizarin_red_s": ("osteogenic", "calcium deposits"),
    "von_kossa": ("osteogenic", "phosphate / calcium deposits"),
    "alcian_blue": ("chondrogenic", "sulphated glycosaminoglycans"),
    "safranin_o": ("chondrogenic", "proteoglycans"),
    "oil_red_o": ("adipogenic", "lipid droplets"),
}


@dataclass(frozen=True)
class IdentityResult:
    """Trilineage outcomes, surface markers and what they add up to.

    Attributes
    ----------
    trilineage
        ``stain``, ``lineage``, ``detects``, ``result``, ``image``.
    markers
        ``marker``, ``expected``, ``result``, ``percent_positive``, ``source`` (declared /
        the flow table it came from), ``meets_isct`` (yes / no / no percentage).
    lineages_shown
        Lineages with a positive stain.
    summary
        One sentence.
    """

    trilineage: pd.DataFrame
    markers: pd.DataFrame
    lineages_shown: tuple[str, ...]
    summary: str


def _flow_percentages(tables: Mapping[str, pd.DataFrame]) -> dict[str, tuple[float, str]]:
    found: dict[str, tuple[float, str]] = {}
    for name, frame in tables.items():
        cols = {str(c).lower(): str(c) for c in frame.columns}
        m = cols.get("marker")
        p = cols.get("percent_positive") or cols.get("percent")
        if not (m and p):
            continue
        for r in frame[[m, p]].itertuples(index=False):
            value = pd.to_numeric(r[1], errors="coerce")
            if pd.notna(value):
                found[str(r[0]).strip().upper()] = (float(value), name)
    return found


def usc_identity(
    decl: UscIdentityDecl, *, flow_tables: Mapping[str, pd.DataFrame] | None = None
) -> IdentityResult:
    """Combine declared trilineage staining, surface markers and flow results in one record.

    Parameters
    ----------
    decl
        Declared stains and markers.
    flow_tables
        Tables with ``marker`` and ``percent_positive`` columns (e.g. from the flow assay);
        their percentages take precedence over declared results.

    Returns
    -------
    IdentityResult

    Notes
    -----
    Criteria of Dominici M et al. 2006, Cytotherapy 8:315-317 (ISCT): ≥ 95 % positive for
    the positive markers and ≤ 2 % for the negative ones; trilineage differentiation to
    osteoblasts (alizarin red S), chondroblasts (alcian blue) and adipocytes (oil red O).
    """
    stains = []
    for s in decl.trilineage:
        lineage, detects = _LINEAGE[s.stain]
        stains.append(
            {"stain": s.stain, "lineage": lineage, "detects": detects, "result": s.result,
             "image": s.image or ""}
        )  # fmt: skip
    tri = pd.DataFrame(stains, columns=["stain", "lineage", "detects", "result", "image"])
    shown = tuple(sorted(set(tri.loc[tri["result"] == "positive", "lineage"])))
    flow = _flow_percentages(flow_tables or {})
    rows = []
    for mk in decl.markers:
        pct, source = mk.percent_positive, "declared"
        if mk.marker.upper() in flow:
            pct, source = flow[mk.marker.upper()]
        result = mk.result
        if pct is not None:
            result = "positive" if pct >= 50 else "negative"
            ok = pct >= ISCT_POSITIVE_MIN if mk.expected == "positive" else pct <= ISCT_NEGATIVE_MAX
            meets = "yes" if ok else "no"
        else:
            meets = "no percentage"
        rows.append(
            {"marker": mk.marker, "expected": mk.expected, "result": result or "not_done",
             "percent_positive": pct, "source": source, "meets_isct": meets}
        )  # fmt: skip
    markers = pd.DataFrame(
        rows,
        columns=["marker", "expected", "result", "percent_positive", "source", "meets_isct"],
    )
    as_expected = markers[markers["result"] == markers["expected"]]
    needed = ("adipogenic", "chondrogenic", "osteogenic")
    tri_text = (
        "trilineage differentiation shown"
        if all(x in shown for x in needed)
        else f"lineages shown: {', '.join(shown) or 'none'} "
        "(of osteogenic, chondrogenic, adipogenic)"
    )
    summary = (
        f"{decl.cells}: {tri_text}; {len(as_expected)} of {len(markers)} surface markers as "
        "expected"
        + (
            f", {int((markers['meets_isct'] == 'yes').sum())} meeting the ISCT thresholds"
            if (markers["meets_isct"] != "no percentage").any()
            else " (no percentages, so the ISCT thresholds cannot be checked)"
        )
        + "."
    )
    return IdentityResult(tri, markers, shown, summary)
