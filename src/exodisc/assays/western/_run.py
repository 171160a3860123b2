"""``kind: western`` inside ``exodisc run``: blot images -> ratios -> statistics -> report."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from exodisc.errors import DesignError, InputFormatError
from exodisc.registry import AssayContext, register_assay

__all__ = ["BlotOptions", "WesternOptions", "run"]


_SOFTWARE = {"imagelab": "Image Lab", "imagej": "ImageJ", "plain": "a band table"}


class BlotOptions(BaseModel):
    """One blot (an image, or a band table measured elsewhere) and what is on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="File name (as listed in the assay's files).")
    lanes: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Sample id or alias per lane, left to right; '-' for a lane to skip "
        "(needed for images and for tables that number lanes).",
    )
    bands: list[str] | dict[str, tuple[int, int]] | None = Field(
        default=None,
        description="Band names top to bottom, or {name: [y_top, y_bottom]} in image pixels; "
        "for ImageJ tables the bands measured per lane in row order.",
    )
    box: tuple[int, int, int, int] | None = Field(
        default=None, description="Crop x0, y0, x1, y1 holding exactly these lanes."
    )
    lane_centres: list[float] | None = Field(
        default=None,
        description="Lane centres (x, image pixels), one per lane; default fitted as a grid.",
    )
    lane_width: float = Field(
        default=0.8, gt=0, le=1, description="Fraction of the lane pitch measured."
    )
    background: str | None = Field(default=None, description="Overrides the assay's.")
    page: int = Field(default=0, ge=0)
    exposure: float | None = Field(
        default=None, description="Exposure time (any unit, the same for all blots)."
    )


class WesternOptions(BaseModel):
    """Options of ``kind: western``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blots: list[BlotOptions] = Field(min_length=1)
    loading_control: str = "GAPDH"
    targets: list[str] | None = None
    markers: list[str] = Field(
        default_factory=list, description="EV marker bands called detected / not detected."
    )
    background: str = "rolling-ball:50"
    invert: Literal["auto", "yes", "no"] = "auto"
    exposure_corrected: bool = Field(
        default=False,
        description="Target and loading control exposures differ but were corrected for.",
    )
    detection_snr: float = Field(default=5.0, gt=0)
    max_loading_cv: float = Field(default=0.2, gt=0)

    @field_validator("background")
    @classmethod
    def _bg(cls, value: str) -> str:
        from exodisc.assays.western._densitometry import parse_background

        parse_background(value)
        return value


@register_assay(
    "western",
    title="Western blot densitometry",
    options=WesternOptions,
    produces=("marker_calls", "group_comparisons"),
)
def run(ctx: AssayContext) -> Any:
    """Quantify blot images, normalise to the loading control and compare groups."""
    from exodisc.assays.western._densitometry import quantify_blot
    from exodisc.assays.western._normalize import (
        WesternResult,
        call_markers,
        loading_cv,
        normalize_bands,
    )
    from exodisc.io.western import (
        TABLE_SUFFIXES,
        read_band_table,
        read_blot_image,
        read_exposure,
    )
    from exodisc.pl import qc_data, western_qc
    from exodisc.report import group_comparison_block
    from exodisc.stats import compare_in_study

    opts: WesternOptions = ctx.options
    study = ctx.study
    files = {Path(f).name: p for f, p in zip(ctx.assay.files, ctx.files, strict=True)}
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Western blot densitometry")
    pre = "".join(ch if ch.isalnum() else "_" for ch in ctx.assay.id.lower())
    qc: list[str] = []
    all_bands = []
    blot_images: dict[str, Any] = {}
    exposures: dict[str, float | None] = {}
    table_sources: dict[str, tuple[str, str]] = {}
    described = {Path(b.file).name for b in opts.blots}
    unused = sorted(set(files) - described)
    if unused:
        msg = (
            f"assay {ctx.assay.id!r}: file(s) {unused} are listed but no entry of options.blots "
            "describes them (lanes, bands); add one per file or remove the file"
        )
        raise DesignError(msg)
    for bi, blot in enumerate(opts.blots):
        key = f"options.blots[{bi}]"
        path = files.get(Path(blot.file).name)
        if path is None:
            msg = f"{key}.file {blot.file!r} is not among the assay's files {sorted(files)}"
            raise DesignError(msg)
        if path.suffix.lower() in TABLE_SUFFIXES:
            ctx.step(f"western: reading {path.name}")
            names = blot.bands if isinstance(blot.bands, list) else None
            bt = read_band_table(path, bands=names)
            table_sources[path.name] = (bt.format, bt.value_column)
            t = bt.frame.drop(columns=["sample"])
            table_ids = list(bt.frame["sample"])
            exposures[path.name] = blot.exposure
        else:
            ctx.step(f"western: measuring {path.name}")
            if blot.lanes is None:
                msg = f"{key}.lanes: a blot image needs the sample of every lane"
                raise DesignError(msg)
            img = read_blot_image(path, page=blot.page)
            res = quantify_blot(
                img,
                len(blot.lanes),
                box=blot.box,
                bands=blot.bands,
                background=blot.background or opts.background,
                invert=opts.invert,
                lane_centres=blot.lane_centres,
                lane_width=blot.lane_width,
            )
            blot_images[path.name] = (img, res)
            exposures[path.name] = (
                blot.exposure if blot.exposure is not None else read_exposure(path)
            )
            qc += [f"{path.name}: {w}" for w in res.warnings]
            t = res.table.copy()
            table_ids = [pd.NA] * len(t)
        samples: list[str | None] = []
        groups: list[str | None] = []
        for i, lane in enumerate(t["lane"]):
            if pd.isna(lane):  # a table naming samples directly
                name, where = str(table_ids[i]), f"line {int(t['row'].iloc[i])}"
            else:
                lane = int(lane)
                if blot.lanes is None or lane > len(blot.lanes):
                    n = 0 if blot.lanes is None else len(blot.lanes)
                    msg = f"lane {lane} is measured but {key}.lanes names {n} lane(s)"
                    raise DesignError(f"{path.name}: {msg}")
                name, where = blot.lanes[lane - 1], f"{key}.lanes[{lane - 1}]"
            if name == "-":
                samples.append(None)
                groups.append(None)
                continue
            s = study.sample_for(name)
            if s is None:
                msg = f"lane {lane} names {name!r}, which is no sample id or alias of the study"
                raise InputFormatError(msg, path=path, where=where)
            samples.append(s.id)
            groups.append(s.group)
        t.insert(0, "blot", path.name)
        t.insert(2, "sample", samples)
        t.insert(3, "group", groups)
        all_bands.append(t.dropna(subset=["sample"]))
    bands = pd.concat(all_bands, ignore_index=True)
    order_cols = [c for c in ("blot", "lane", "y_top", "row") if c in bands.columns]
    bands = bands.sort_values(order_cols, kind="stable").reset_index(drop=True)

    # ---- QC across blots ----------------------------------------------------------------
    lc_blots = set(bands.loc[bands["band"] == opts.loading_control, "blot"])
    markers = list(opts.markers)
    targets = (
        opts.targets
        if opts.targets is not None
        else [b for b in pd.unique(bands["band"]) if b != opts.loading_control and b not in markers]
    )
    for target in targets:
        t_blots = set(bands.loc[bands["band"] == target, "blot"])
        for tb in sorted(t_blots):
            for lb in sorted(lc_blots - {tb}):
                et, el = exposures.get(tb), exposures.get(lb)
                if opts.exposure_corrected or (et is not None and et == el):
                    continue
                found = "unknown" if et is None or el is None else f"{et:g} vs {el:g}"
                qc.append(
                    f"{target} ({tb}) and {opts.loading_control} ({lb}) come from different "
                    f"images with different or unrecorded exposures ({found}); declare "
                    "`exposure_corrected: true` when the difference was corrected for"
                )
    cv = loading_cv(bands, opts.loading_control) if lc_blots else pd.DataFrame()
    for blot_name, cv_value in zip(cv.get("blot", []), cv.get("cv", []), strict=True):
        if np.isfinite(cv_value) and cv_value > opts.max_loading_cv:
            qc.append(
                f"{blot_name}: {opts.loading_control} varies across lanes (CV {cv_value:.1%} > "
                f"{opts.max_loading_cv:.0%}); check loading"
            )

    # ---- ratios and statistics -------------------------------------------------------------
    control = next((g.id for g in study.ordered_groups if g.role == "control"), study.group_ids[0])
    ratios = pd.DataFrame()
    dropped = pd.DataFrame(columns=["sample", "target", "reason"])
    stats_rows = []
    st = ctx.statistics
    if targets:
        ratios, dropped = normalize_bands(
            bands.drop(columns=["blot"]).loc[lambda d: d["band"] != ""],
            loading_control=opts.loading_control,
            control_group=control,
            targets=targets,
        )
        for target in targets:
            d = ratios[ratios["target"] == target]
            res_c = compare_in_study(d, study, value="relative", statistics=st)
            stats_rows.append(res_c.pairs.assign(target=target))
            slug = "".join(ch if ch.isalnum() else "_" for ch in target.lower()).strip("_")
            group_comparison_block(
                sec,
                res_c,
                name=f"{pre}_{slug}",
                value_label=f"{target} / {opts.loading_control} ratios",
                study=study,
                data=d.reset_index(drop=True),
                figure=f"{pre}_{slug}",
                caption=f"{target} relative to {opts.loading_control}",
                ylabel=f"{target} / {opts.loading_control} (relative)",
                title=target,
            )
    stats = pd.concat(stats_rows, ignore_index=True) if stats_rows else pd.DataFrame()
    mk = pd.DataFrame()
    if markers:
        from_tables = bands.loc[bands["band"].isin(markers), "blot"].isin(table_sources)
        if from_tables.any():
            msg = (
                "EV markers are called detected from the band profile of an image; "
                f"{sorted(set(bands.loc[from_tables.index[from_tables], 'blot']))} are band "
                "tables (list those bands under targets instead)"
            )
            raise DesignError(msg)
        mk = call_markers(bands, markers, snr=opts.detection_snr)

    # ---- report -----------------------------------------------------------------------------
    for name, (img, res) in blot_images.items():
        x0, y0, x1, y1 = res.box
        raw = img.pixels[y0:y1, x0:x1]
        sat = raw == (0 if res.inverted else img.saturation)
        fig = western_qc(res, title=name, saturated=sat)
        stem = "".join(ch if ch.isalnum() else "_" for ch in Path(name).stem.lower())
        sec.add_figure(
            f"{pre}_qc_{stem}",
            fig,
            qc_data(res),
            caption=(
                f"{name}: lanes (dotted), band limits (orange), background (profile panel); "
                f"estimated tilt {res.params['tilt_deg']:.1f}°, followed lane by lane."
            ),
        )
    sec.add_table(f"{pre}_bands", bands, caption="Every band measured.")
    if not ratios.empty:
        sec.add_table(f"{pre}_ratios", ratios, caption="Target / loading control per sample.")
    if not cv.empty:
        sec.add_table(f"{pre}_loading_cv", cv, caption="Loading-control variation per blot.")
    if not mk.empty:
        sec.add_table(f"{pre}_markers", mk, caption="EV markers detected per sample.")
    if not dropped.empty:
        sec.add_table(f"{pre}_dropped", dropped, caption="Samples left out, with the reason.")
    if blot_images:
        first_img = next(iter(blot_images.values()))[0]
        bgs = sorted({str(r.params["background"]) for _, r in blot_images.values()})
        sec.add_method(
            "western.densitometry",
            bit_depth=first_img.bit_depth,
            n_blots=len(blot_images),
            background=" / ".join(bgs),
        )
    for name, (fmt, column) in table_sources.items():
        sec.add_method("western.band_table", file=name, software=_SOFTWARE[fmt], column=column)
    if targets:
        sec.add_method(
            "western.normalization",
            loading_control=opts.loading_control,
            control_label=study.group_label(control),
        )
    if markers:
        sec.add_method("western.markers", markers=", ".join(markers), snr=opts.detection_snr)
    for w in qc:
        sec.add_warning(f"QC: {w}")
    return WesternResult(
        bands,
        ratios,
        stats,
        mk,
        tuple(qc),
        dropped,
        {"loading_control": opts.loading_control, "control_group": control, "targets": targets},
    )
