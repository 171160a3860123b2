"""Assay kinds ``nta``, ``ev_characterisation`` and ``usc_identity`` for ``exodisc run``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from exodisc.assays.vesicles._declared import EvDeclaration, UscIdentityDecl
from exodisc.registry import AssayContext, register_assay

__all__ = ["NtaFileOptions", "NtaOptions", "NtaResult"]


class NtaFileOptions(BaseModel):
    """What the study declares about one NTA export (keyed by its file name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sample: str | None = Field(default=None, description="preparation / study sample name")
    dilution: float | None = Field(default=None, gt=0)
    volume_ml: float | None = Field(default=None, gt=0)
    cells: float | None = Field(default=None, gt=0)
    protein_ug_per_ml: float | None = Field(default=None, gt=0)


class NtaOptions(BaseModel):
    """Options of ``kind: nta``: a default dilution and per-file declarations."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    dilution: float | None = Field(default=None, gt=0)
    per_file: dict[str, NtaFileOptions] = Field(default_factory=dict)
    max_nm: float = Field(default=600.0, gt=0)


@dataclass(frozen=True)
class NtaResult:
    """Result of the ``nta`` assay (``summary`` is one row per export)."""

    summary: pd.DataFrame
    parity: pd.DataFrame
    distributions: dict[str, pd.DataFrame] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)


@register_assay(
    "nta",
    title="Extracellular vesicles: nanoparticle tracking analysis",
    options=NtaOptions,
    description="NanoSight / ZetaView exports: concentration, size, D-value parity, figures.",
    produces=("nta_summary",),
)
def run_nta(ctx: AssayContext) -> NtaResult:
    """Summarise every NTA export of the assay and draw the size distributions."""
    from exodisc.assays.vesicles._nta import summarise_nta
    from exodisc.io.nta import read_nta
    from exodisc.pl import nta_distribution, nta_overlay

    opts: NtaOptions = ctx.options
    unknown = sorted(set(opts.per_file) - {p.name for p in ctx.files})
    if unknown:
        from exodisc.errors import DesignError

        msg = f"options.per_file names files that are not in the assay's files: {unknown}"
        raise DesignError(msg)
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Nanoparticle tracking analysis")
    rows, parity, dists, groups = [], [], {}, {}
    for path in ctx.files:
        ctx.step(f"reading {path.name}")
        fo = opts.per_file.get(path.name, NtaFileOptions())
        s = summarise_nta(
            read_nta(path),
            dilution=fo.dilution or opts.dilution,
            cells=fo.cells,
            volume_ml=fo.volume_ml,
            protein_ug_per_ml=fo.protein_ug_per_ml,
            sample=fo.sample,
        )
        name = str(s.row["sample"])
        study_sample = ctx.study.sample_for(name)
        group = ctx.study.group_label(study_sample.group) if study_sample else name
        rows.append({**s.row, "group": group})
        parity.append(s.parity)
        dists[name] = s.mean_distribution
        groups[name] = group
        for w in s.warnings:
            sec.add_warning(f"{path.name}: {w}")
    summary = pd.DataFrame(rows)
    par = (
        pd.concat([p for p in parity if not p.empty], ignore_index=True)
        if any(not p.empty for p in parity)
        else pd.DataFrame(columns=["sample", "quantity", "software", "recomputed", "rel_diff"])
    )
    ok = summary[summary["concentration_per_ml"].notna()]
    if not ok.empty:
        sec.add_text(
            f"{len(ok)} of {len(summary)} preparation(s) measured: "
            f"{ok['concentration_per_ml'].min():.3g}–{ok['concentration_per_ml'].max():.3g} "
            f"particles/mL; mode {ok['mode_nm'].min():.0f}–{ok['mode_nm'].max():.0f} nm; "
            f"D50 {ok['d50_nm'].min():.0f}–{ok['d50_nm'].max():.0f} nm."
        )
    sec.add_table("nta_summary", summary, caption="One row per NTA export (dilution-corrected).")
    if not par.empty:
        sec.add_table(
            "nta_parity",
            par,
            caption=(
                "Software values vs recomputed from the exported distribution "
                "(parity check; differences over 2 % are flagged)."
            ),
        )
    long = (
        pd.concat([d.assign(sample=k) for k, d in dists.items() if not d.empty], ignore_index=True)
        if any(not d.empty for d in dists.values())
        else pd.DataFrame()
    )
    if not long.empty:
        import matplotlib.pyplot as plt

        plotted = [k for k, d in dists.items() if not d.empty]
        ncol = min(3, len(plotted))
        nrow = math.ceil(len(plotted) / ncol)
        fig, axes = plt.subplots(
            nrow, ncol, figsize=(4.2 * ncol, 3.0 * nrow), layout="constrained", squeeze=False
        )
        for ax, k in zip(axes.flat, plotted, strict=False):
            nta_distribution(dists[k], title=k, max_nm=opts.max_nm, ax=ax)
        for ax in list(axes.flat)[len(plotted) :]:
            ax.set_axis_off()
        sel = long[long["bin_nm"] <= opts.max_nm]
        sec.add_figure(
            "nta_distributions",
            fig,
            sel[["sample", "bin_nm", "mean", "se", "n"]],
            caption="Size distribution per preparation: mean over videos ± SE, mode marked.",
        )
        sec.add_figure(
            "nta_overlay",
            nta_overlay(
                {k: dists[k] for k in plotted},
                groups=groups,
                colors={ctx.study.group_label(g): c for g, c in ctx.study.group_colors().items()},
                max_nm=opts.max_nm,
            ),
            sel[["sample", "bin_nm", "mean"]].assign(group=sel["sample"].map(groups)),
            caption="Size distributions overlaid (area-normalised), coloured by group; ▼ mode.",
        )
    finite = par["rel_diff"].abs().dropna() if not par.empty else pd.Series(dtype=float)
    sec.add_method(
        "vesicles.nta",
        instruments=", ".join(sorted(set(summary["instrument"].dropna()))) or "NTA",
        n_files=len(summary),
        max_diff_percent=100 * float(finite.max()) if len(finite) else 0.0,
    )
    return NtaResult(summary, par, dists, {"dilution": opts.dilution})


def _image_panel(sec: Any, name: str, images: list[tuple[str, Any]], *, caption: str) -> None:
    """One figure with the declared images side by side (PNG / JPEG / TIFF)."""
    import matplotlib.pyplot as plt

    from exodisc.errors import InputFormatError

    fig, axes = plt.subplots(
        1, len(images), figsize=(3.2 * len(images), 3.2), layout="constrained", squeeze=False
    )
    for ax, (label, path) in zip(axes.flat, images, strict=True):
        if not path.is_file():
            raise InputFormatError("image file not found", path=path)
        if path.suffix.lower() in (".tif", ".tiff"):
            import tifffile

            img = tifffile.imread(path)
        else:
            from matplotlib.image import imread

            img = imread(path)
        ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
        ax.set_title(label)
        ax.set_axis_off()
    data = pd.DataFrame({"panel": [lab for lab, _ in images], "image": [p.name for _, p in images]})
    sec.add_figure(name, fig, data, caption=caption)


def _western_markers(results: Any) -> list[Any]:
    """EV-marker results found in earlier assays' tables (e.g. the western blot assay).

    A table is used when it has a marker-like column (``marker``, ``protein``, ``target``,
    ``antibody``) and a ``detected`` (bool) or ``result`` (positive / negative) column; only
    names that MISEV2018 Table 3 knows are taken.
    """
    from exodisc.assays.vesicles._declared import MarkerResult
    from exodisc.assays.vesicles._misev import classify_marker
    from exodisc.knowledge import collect_tables

    out: dict[str, MarkerResult] = {}
    for name, frame in collect_tables(results).items():
        cols = {str(c).lower(): str(c) for c in frame.columns}
        mcol = next(
            (cols[c] for c in ("marker", "protein", "target", "antibody") if c in cols), None
        )
        rcol = cols.get("detected") or cols.get("result")
        if mcol is None or rcol is None:
            continue
        for marker, value in zip(frame[mcol].astype(str), frame[rcol], strict=True):
            if classify_marker(marker) is None:
                continue
            text = str(value).strip().lower()
            if text in ("true", "positive", "detected", "yes", "1"):
                hit = MarkerResult(name=marker, result="positive", method=f"from {name}")
            elif text in ("false", "negative", "not detected", "no", "0"):
                hit = MarkerResult(name=marker, result="negative", method=f"from {name}")
            else:
                continue
            out.setdefault(marker.upper(), hit)
    return list(out.values())


def _nta_summary(results: Any) -> pd.DataFrame | None:
    frames = [r.summary for r in results.values() if isinstance(r, NtaResult)]
    return pd.concat(frames, ignore_index=True) if frames else None


@register_assay(
    "ev_characterisation",
    title="Extracellular vesicles: characterisation and MISEV2018 checklist",
    options=EvDeclaration,
    description="Declared isolation, TEM, markers; MISEV2018 minimal-information score.",
    consumes=("marker_calls", "nta_summary"),
)
def run_ev(ctx: AssayContext) -> Any:
    """Score the declared EV characterisation (plus NTA results) against MISEV2018."""
    from exodisc.assays.vesicles._misev import read_diameters, score_misev
    from exodisc.pl import misev_tiles

    decl: EvDeclaration = ctx.options
    declared = {m.name.upper() for m in decl.markers}
    found = _western_markers(ctx.results)
    if found:
        decl = decl.model_copy(
            update={
                "markers": [*decl.markers, *(m for m in found if m.name.upper() not in declared)]
            }
        )
    extra = (
        read_diameters(ctx.study.resolve(decl.tem.diameters_file))
        if decl.tem.diameters_file
        else None
    )
    res = score_misev(decl, nta=_nta_summary(ctx.results), diameters_nm=extra)
    sc = res.score
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "EV characterisation")
    sec.add_text(
        f"MISEV2018 score: {sc['mandatory_satisfied']} of {sc['mandatory_total']} mandatory and "
        f"{sc['encouraged_satisfied']} of {sc['encouraged_total']} encouraged items satisfied."
    )
    if res.reviewer_asks:
        sec.add_text(
            "A reviewer would ask: "
            + " ".join(f"({i}) {a}" for i, a in enumerate(res.reviewer_asks, 1))
        )
        for item in res.items[
            (res.items["status"] == "missing") & (res.items["level"] == "mandatory")
        ].itertuples():
            sec.add_warning(f"MISEV2018 mandatory item missing: {item.id} — {item.reason}")
    sec.add_figure(
        "ev_misev_checklist",
        misev_tiles(res.items),
        res.items[["id", "level", "status"]],
        caption="MISEV2018 items: satisfied (green), missing (red), not applicable (grey).",
    )
    sec.add_table("ev_misev_items", res.items, caption="MISEV2018 checklist, item by item.")
    if not res.markers.empty:
        sec.add_table(
            "ev_markers", res.markers, caption="EV markers with their MISEV2018 category."
        )
    if not res.tem_sizes.empty:
        sec.add_table(
            "ev_tem_sizes", res.tem_sizes, caption="Vesicle diameters measured on TEM images."
        )
    if decl.tem.images:
        tem_images = [(f"TEM {i + 1}", ctx.study.resolve(p)) for i, p in enumerate(decl.tem.images)]
        _image_panel(
            sec, "ev_tem_images", tem_images, caption="Transmission electron microscopy images."
        )
    sec.add_method("vesicles.misev2018", version=res.params["checklist_version"], **sc)
    return res


@register_assay(
    "usc_identity",
    title="USC identity: trilineage differentiation and surface markers",
    options=UscIdentityDecl,
    description="Declared trilineage stains and markers, combined with flow results.",
    consumes=("flow_tables",),
)
def run_identity(ctx: AssayContext) -> Any:
    """One "USC identity" section from the declared stains, markers and any flow results."""
    from exodisc.assays.vesicles._identity import usc_identity
    from exodisc.knowledge import collect_tables

    decl: UscIdentityDecl = ctx.options
    res = usc_identity(decl, flow_tables=collect_tables(ctx.results))
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "USC identity")
    sec.add_text(res.summary)
    sec.add_table("usc_trilineage", res.trilineage, caption="Trilineage differentiation staining.")
    sec.add_table(
        "usc_markers", res.markers, caption="Surface markers (declared or from flow cytometry)."
    )
    images = [
        (s.stain.replace("_", " "), ctx.study.resolve(s.image)) for s in decl.trilineage if s.image
    ]
    if images:
        _image_panel(
            sec, "usc_trilineage_images", images, caption="Trilineage staining images as declared."
        )
    sec.add_method(
        "vesicles.identity",
        stains=", ".join(s.stain.replace("_", " ") for s in decl.trilineage) or "none",
        n_markers=len(res.markers),
    )
    return res
