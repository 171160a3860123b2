"""The SA-β-gal section of the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from exodisc.assays.senescence._counts import SenescenceResult
    from exodisc.registry import AssayContext

__all__ = ["overlay_montage", "report_sabgal"]


def overlay_montage(images: dict[str, tuple[Any, Any]], *, ncols: int = 5) -> Figure:
    """QC overlays of every counted field: cells outlined yellow, positive cells red."""
    from matplotlib import rc_context

    from exodisc.assays.senescence._images import overlay
    from exodisc.pl import STYLE, new_figure

    names = list(images)
    nrows = (len(names) + ncols - 1) // ncols
    with rc_context(STYLE):
        fig = new_figure(1.2 * ncols, 1.35 * nrows)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax in axes.ravel():
            ax.set_axis_off()
        for ax, name in zip(axes.ravel(), names, strict=False):
            img, count = images[name]
            ax.imshow(overlay(img, count), interpolation="nearest")
            ax.set_title(f"{name}\n{count.n_positive}/{count.n_cells} positive", fontsize=6)
    return fig


def report_sabgal(
    ctx: AssayContext,
    result: SenescenceResult,
    *,
    per_image: pd.DataFrame | None = None,
    images: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Add the SA-β-gal section: tables, statistics, bars (Fig. 5e style), QC overlays."""
    from exodisc.report import group_comparison_block
    from exodisc.stats import compare_in_study

    study, opts, aid = ctx.study, ctx.options, ctx.assay.id
    rep = result.replicates
    value = "stained_area_pct" if opts.measure == "area" else "pct_positive"
    what = (
        "SA-β-gal-stained area (% of cell area)"
        if value == "stained_area_pct"
        else "SA-β-gal-positive cells (%)"
    )
    groups = [g for g in study.group_ids if g in set(rep["group"])]
    res = compare_in_study(rep, study, value=value, group="group", statistics=ctx.statistics)
    sec = ctx.report.add_section(aid, ctx.assay.title or "Senescence (SA-β-gal)")
    n_fields = result.fields.groupby("sample").size()
    per_rep = (
        f"{n_fields.min()}"
        if n_fields.min() == n_fields.max()
        else f"{n_fields.min()}–{n_fields.max()}"
    )
    sec.add_text(
        f"{len(result.fields)} fields ({per_rep} per replicate), "
        f"{int(result.fields['total'].sum())} cells counted, {rep['sample'].nunique()} "
        f"biological replicates in {len(groups)} groups."
    )
    few = result.fields[result.fields["total"] < 20]
    if not few.empty:
        sec.add_warning(
            f"QC: {len(few)} field(s) with fewer than 20 cells: "
            + ", ".join(f"{s} {f}" for s, f in zip(few["sample"], few["field"], strict=True))
        )
    sec.add_table(f"{aid}_replicates", rep, caption="% SA-β-gal-positive cells per replicate.")
    sec.add_table(f"{aid}_fields", result.fields, caption="Counts per field.")
    if per_image is not None:
        sec.add_table(f"{aid}_images", per_image, caption="Automated counts per image.")
    group_comparison_block(
        sec,
        res,
        name=f"{aid}_pct",
        value_label=what,
        study=study,
        data=rep[["group", "replicate", "sample", value]],
        figure=f"{aid}_bars",
        caption=f"{what}, with replicates",
        ylabel=what,
    )
    if images:
        sec.add_figure(
            f"{aid}_qc_overlays",
            overlay_montage(images),
            per_image if per_image is not None else pd.DataFrame(),
            caption="What was counted: every cell outlined in yellow, positive cells in red.",
        )
        sec.add_method(
            "sabgal.image",
            min_area=opts.min_area,
            split=(
                f"; touching cells split by a distance-transform watershed, seeds >= "
                f"{opts.min_distance} px apart"
                if opts.split_touching
                else ""
            ),
            min_blue_pct=100 * opts.min_blue_fraction,
            blue_threshold=opts.blue_threshold,
        )
    agg = (
        "computed from the pooled counts of its fields"
        if opts.aggregate == "pooled"
        else "the mean of its fields' percentages"
    )
    nf = (
        f"{n_fields.min()}"
        if n_fields.min() == n_fields.max()
        else f"{n_fields.min()}–{n_fields.max()}"
    )
    sec.add_method("sabgal.counts", n_fields=nf, aggregate=agg)
