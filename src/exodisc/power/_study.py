"""Collect the group comparisons and DE fits of a study's results and plan them all."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from exodisc.power._simulate import PAIRED_TESTS

__all__ = ["PlannedTable", "group_comparisons"]

#: per-replicate tables of the lab assays and the value their statistics compare:
#: kind -> (attribute of the result, value column, column splitting separate analyses)
_TABLES: dict[str, tuple[str, str, str | None]] = {
    "cck8": ("replicates", "viability_pct", "time_h"),
    "sabgal": ("replicates", "pct_positive", None),
    "flow_apoptosis": ("table", "apoptotic_pct", None),
    "western": ("ratios", "relative", "target"),
}


@dataclass(frozen=True)
class PlannedTable:
    """One analysed comparison table of a study: where it comes from and its engine result."""

    assay_id: str
    kind: str
    label: str
    result: Any  # exodisc.stats.ComparisonResult


def _walk(obj: Any, path: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    from exodisc.stats import ComparisonResult

    if depth > 4:
        return
    if isinstance(obj, ComparisonResult):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _walk(getattr(obj, f.name), path, depth + 1)
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _walk(v, f"{path} {k}".strip(), depth + 1)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _walk(v, path, depth + 1)


def group_comparisons(study: Any, results: Mapping[str, Any]) -> list[PlannedTable]:
    """Every group comparison of the study's lab assays, as the engine analysed it.

    ComparisonResults stored in a result are used as they are; for the lab assays whose
    results keep the per-replicate table (CCK-8, SA-β-gal, flow apoptosis, western), the
    comparison is recomputed with :func:`exodisc.stats.compare_groups`, the assay's statistics
    settings and the study's comparisons — the same call the assay makes.
    """
    from exodisc.stats import compare_groups

    out: list[PlannedTable] = []
    by_id = {a.id: a for a in study.assays}
    for aid, res in results.items():
        assay = by_id.get(aid)
        if assay is None:
            continue
        found = list(_walk(res, ""))
        for path, cmp in found:
            # name the value compared (qPCR: "ACAN, delta_ct"), not only where it was found
            value_name = str(cmp.params.get("value", "") or "")
            label = ", ".join(x for x in (path, value_name) if x)
            out.append(PlannedTable(aid, assay.kind, label, cmp))
        if found or assay.kind not in _TABLES:
            continue
        attr, value, split = _TABLES[assay.kind]
        table = getattr(res, attr, None)
        if assay.kind == "sabgal" and assay.options.get("measure") == "area":
            value = "stained_area_pct"
        if not isinstance(table, pd.DataFrame) or value not in table or "group" not in table:
            continue
        st = assay.statistics or study.statistics
        parts = [(None, table)] if split is None else list(table.groupby(split, sort=True))
        for key, part in parts:
            part = part.loc[part[value].notna()]
            order = [g for g in study.group_ids if g in set(part["group"].astype(str))]
            if len(order) < 2:
                continue
            comps = [(c.test, c.reference, c.mark) for c in study.comparisons_or_all_pairs(order)]
            subject = None
            if st.test in PAIRED_TESTS and "sample" in part:  # pair values by donor
                donors = [getattr(study.sample_for(str(x)), "donor", None) for x in part["sample"]]
                part = part.assign(donor=pd.Series(donors, index=part.index, dtype=object))
                subject = "donor"
            cmp = compare_groups(
                part.assign(group=part["group"].astype(str)),
                value=value,
                group="group",
                subject=subject,
                comparisons=comps,
                test=st.test,
                posthoc=st.posthoc,
                alpha=study.thresholds.alpha,
                order=order,
            )
            if key is None:
                label = value
            elif isinstance(key, float | int):
                label = f"{value}, {split} {key:g}"
            else:
                label = f"{value}, {key!s}"
            out.append(PlannedTable(aid, assay.kind, label, cmp))
    return out
