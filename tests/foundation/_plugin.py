"""A small assay kind used only by the foundation tests: one value per sample from a CSV."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from exodisc.errors import InputFormatError
from exodisc.pl import group_bars
from exodisc.registry import AssayContext, register_assay
from exodisc.stats import add_comparison_to_section, compare_groups


class ValuesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    column: str = "value"
    unit: str = "a.u."
    fail: Literal["no", "error", "interrupt"] = "no"


@register_assay("testing_values", title="Test values", options=ValuesOptions)
def run_values(ctx: AssayContext) -> pd.DataFrame:
    opts: ValuesOptions = ctx.options
    path = ctx.files[0]
    data = pd.read_csv(path)
    if opts.column not in data.columns:
        raise InputFormatError(f"no column {opts.column!r}", path=path)
    if opts.fail == "error":
        raise InputFormatError("deliberate failure for a test", path=path, where="row 2")
    if opts.fail == "interrupt":
        raise KeyboardInterrupt
    data["group"] = [ctx.study.sample_for(s).group for s in data["sample"]]  # type: ignore[union-attr]
    comps = [(c.test, c.reference, c.mark) for c in ctx.study.comparisons_or_all_pairs()]
    res = compare_groups(
        data, value=opts.column, group="group", comparisons=comps, order=ctx.study.group_ids
    )
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Values")
    sec.add_table(f"{ctx.assay.id}_values", data)
    add_comparison_to_section(sec, res, name=ctx.assay.id, value_label="Value", study=ctx.study)
    fig = group_bars(
        data,
        value=opts.column,
        group="group",
        pairs=res.pairs,
        order=ctx.study.group_ids,
        labels={g.id: g.label for g in ctx.study.groups},
        colors=ctx.study.group_colors(),
        ylabel=f"Value ({opts.unit})",
    )
    sec.add_figure(f"{ctx.assay.id}_bars", fig, data)
    return data
