"""``exodisc run``: the flow_apoptosis and flow_markers assay kinds."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from exodisc.assays.flow._prepare import DebrisGate, SingletGate
from exodisc.errors import DesignError, InputFormatError
from exodisc.registry import AssayContext, register_assay

__all__ = ["ApoptosisOptions", "MarkerOptions", "MarkerPanelRun", "SingleStainControls"]


@dataclass(frozen=True)
class MarkerPanelRun:
    """What ``kind: flow_markers`` returns to later assays (e.g. the USC identity record).

    Attributes
    ----------
    markers
        Per-sample marker table (:class:`exodisc.assays.flow.MarkerResult`).
    isct
        The ISCT table and gaps (:class:`exodisc.assays.flow.IsctResult`).
    summary
        One row per marker: ``marker``, ``channel``, ``n`` (samples), ``percent_positive``
        and ``mfi_ratio`` (means over samples).
    """

    markers: Any
    isct: Any
    summary: pd.DataFrame


class SingleStainControls(BaseModel):
    """Compensation computed from an unstained and single-stain control tubes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unstained: Path
    singles: dict[str, Path] = Field(
        min_length=1, description="Detector ($PnN or $PnS) -> its single-stain control FCS."
    )
    percentile: float = Field(default=99.5, gt=0, lt=100)


class _FlowOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    compensation: str | SingleStainControls = Field(
        default="file",
        description="'file' ($SPILLOVER of each FCS file), 'none', a spillover matrix file, "
        "or single-stain controls {unstained: FCS, singles: {detector: FCS}}.",
    )
    gatingml: Path | None = Field(
        default=None, description="GatingML 2.0 file holding the lab's own gates (FlowKit)."
    )
    gate: str | None = Field(
        default=None, description="Gate id in 'gatingml' whose events are analysed."
    )
    workspace: Path | None = Field(
        default=None, description="FlowJo 10 workspace (.wsp) holding the lab's own gates."
    )
    population: str | None = Field(
        default=None, description="Population path in 'workspace', e.g. 'singlet/live/cells'."
    )
    sample_keyword: str | None = Field(
        default=None,
        description="FCS keyword naming the sample (e.g. 'TUBE NAME'); default: the file name.",
    )
    debris_gate: DebrisGate | None = Field(default=None, description="FSC-A/SSC-A gate.")
    singlet_gate: SingletGate | None = Field(default=None, description="FSC-H/FSC-A gate.")
    transform: Literal["logicle", "asinh"] = Field(
        default="logicle", description="Display scale of the figures."
    )

    @model_validator(mode="after")
    def _gate_pair(self) -> _FlowOptions:
        if (self.gatingml is None) != (self.gate is None):
            msg = "'gatingml' and 'gate' go together: the file and the gate id to analyse"
            raise ValueError(msg)
        if (self.workspace is None) != (self.population is None):
            msg = "'workspace' and 'population' go together: the .wsp and the population path"
            raise ValueError(msg)
        if self.gatingml is not None and self.workspace is not None:
            msg = "give either a GatingML gate or a FlowJo workspace population, not both"
            raise ValueError(msg)
        return self


class ApoptosisOptions(_FlowOptions):
    """Options of ``kind: flow_apoptosis``."""

    annexin: str = Field(description="Annexin V channel ($PnN) or label ($PnS).")
    pi: str = Field(description="PI channel ($PnN) or label ($PnS).")
    control: Path | dict[Literal["annexin", "pi"], Path] | None = Field(
        default=None,
        description="Unstained control FCS for both thresholds, or {annexin: FCS, pi: FCS}.",
    )
    thresholds: tuple[float, float] | None = Field(
        default=None, description="(annexin, PI) thresholds in compensated units."
    )
    percentile: float = Field(default=99.5, gt=0, lt=100)

    @model_validator(mode="after")
    def _one_source(self) -> ApoptosisOptions:
        if (self.control is None) == (self.thresholds is None):
            msg = "give exactly one of 'control' (an FCS file) or 'thresholds' ([annexin, pi])"
            raise ValueError(msg)
        return self


class MarkerOptions(_FlowOptions):
    """Options of ``kind: flow_markers``."""

    control: Path = Field(description="Isotype (or unstained) control FCS.")
    channels: list[str] = Field(min_length=1, description="Marker channels or labels.")
    markers: dict[str, str] = Field(
        default_factory=dict, description="Channel -> marker name (default: from $PnS)."
    )
    method: Literal["percentile", "overton"] = "percentile"
    percentile: float = Field(default=99.5, gt=0, lt=100)
    plastic_adherence: bool | None = None
    trilineage: dict[Literal["osteogenic", "adipogenic", "chondrogenic"], bool] = Field(
        default_factory=dict,
        description="Declared differentiation results; default: the study's usc_identity "
        "assay's stains (alizarin red S / von Kossa, alcian blue / safranin O, oil red O).",
    )
    expect: dict[str, Literal["positive", "negative", "reported"]] | None = None
    preparations: list[str] = Field(
        default_factory=list,
        description="Sample names of cell preparations that are not samples of the study "
        "(e.g. the USC donors of an identity panel); every other name must map to a study "
        "sample (id or alias).",
    )


def _compensation(ctx: AssayContext, value: str | SingleStainControls) -> Any:
    from exodisc.io.fcs import read_fcs, read_spill_matrix

    if isinstance(value, SingleStainControls):
        from exodisc.assays.flow._prepare import spill_from_files

        return spill_from_files(
            read_fcs(ctx.study.resolve(value.unstained)),
            {d: read_fcs(ctx.study.resolve(p)) for d, p in value.singles.items()},
            percentile=value.percentile,
        )
    if value in ("file", "none"):
        return value
    return read_spill_matrix(ctx.study.resolve(value))


def _pregate(ctx: AssayContext, opts: _FlowOptions) -> Any:
    from exodisc.assays.flow._prepare import Pregate, WorkspaceGate

    if opts.workspace is not None and opts.population is not None:
        return WorkspaceGate(ctx.study.resolve(opts.workspace), opts.population)
    if opts.gatingml is None or opts.gate is None:
        return None
    return Pregate(ctx.study.resolve(opts.gatingml), opts.gate)


_STAIN_LINEAGE = {
    "alizarin_red_s": "osteogenic",
    "von_kossa": "osteogenic",
    "alcian_blue": "chondrogenic",
    "safranin_o": "chondrogenic",
    "oil_red_o": "adipogenic",
}


def _trilineage(ctx: AssayContext, opts: MarkerOptions) -> dict[str, bool | None]:
    """Declared here, else taken from the study's ``usc_identity`` assay (its stains)."""
    if opts.trilineage:
        return {str(k): v for k, v in opts.trilineage.items()}
    out: dict[str, bool | None] = {}
    for assay in ctx.study.assays:
        if assay.kind != "usc_identity":
            continue
        for stain in assay.options.get("trilineage", []) or []:
            if not isinstance(stain, dict):
                continue
            lineage = _STAIN_LINEAGE.get(str(stain.get("stain", "")))
            result = stain.get("result")
            if lineage is None or result not in ("positive", "negative"):
                continue
            out[lineage] = bool(out.get(lineage)) or result == "positive"
    return out


def _sample_name(fcs: Any, keyword: str | None) -> str:
    if keyword is None:
        return str(fcs.name)
    key = keyword.lstrip("$").lower()
    if key not in fcs.keywords:
        msg = f"keyword {keyword!r} (sample_keyword) is not in the file"
        raise InputFormatError(msg, path=fcs.path, where="TEXT keywords")
    return str(fcs.keywords[key]).strip()


def _add_spill(sec: Any, name: str, comp: Any) -> None:
    if isinstance(comp, pd.DataFrame):
        sec.add_table(
            name,
            comp.rename_axis("detector").reset_index(),
            caption="Spillover matrix used for compensation (row: fluorochrome's detector).",
        )


def _split_files(ctx: AssayContext, control: Path) -> tuple[Path, list[Path]]:
    ctrl = ctx.study.resolve(control).resolve()
    files = [f for f in ctx.files if f.resolve() != ctrl]
    if not files:
        msg = f"assay {ctx.assay.id!r}: no FCS files besides the control {control}"
        raise DesignError(msg)
    return ctrl, files


@register_assay(
    "flow_apoptosis",
    title="Apoptosis (annexin V / PI flow cytometry)",
    options=ApoptosisOptions,
    produces=("flow_tables", "group_comparisons"),
)
def run_apoptosis(ctx: AssayContext) -> Any:
    """Annexin V / PI quadrants per sample, group statistics, FlowJo-style figures."""
    from exodisc.assays.flow._apoptosis import analyse_apoptosis
    from exodisc.io.fcs import read_fcs
    from exodisc.pl import density_table, flow_quadrants
    from exodisc.report import group_comparison_block
    from exodisc.stats import compare_in_study

    opts: ApoptosisOptions = ctx.options
    study = ctx.study
    ctx.step("reading FCS files")
    control: Any = None
    if isinstance(opts.control, dict):
        paths = {k: ctx.study.resolve(v).resolve() for k, v in opts.control.items()}
        files = [f for f in ctx.files if f.resolve() not in set(paths.values())]
        if not files:
            msg = f"assay {ctx.assay.id!r}: no FCS files besides the controls"
            raise DesignError(msg)
        control = {k: read_fcs(v) for k, v in paths.items()}
    elif opts.control is not None:
        ctrl_path, files = _split_files(ctx, opts.control)
        control = read_fcs(ctrl_path)
    else:
        files = list(ctx.files)
    samples: dict[str, Any] = {}
    unknown = []
    for f in files:
        data = read_fcs(f)
        s = study.sample_for(_sample_name(data, opts.sample_keyword))
        if s is None:
            unknown.append(f.name)
            continue
        if s.id in samples:
            msg = f"assay {ctx.assay.id!r}: two FCS files map to sample {s.id!r}"
            raise DesignError(msg)
        samples[s.id] = data
    if unknown:
        from exodisc.assays.flow._checks import unknown_fcs_message

        raise DesignError(unknown_fcs_message(ctx.assay.id, unknown))
    ctx.step("gating annexin V / PI quadrants")
    comp = _compensation(ctx, opts.compensation)
    res = analyse_apoptosis(
        samples,
        annexin=opts.annexin,
        pi=opts.pi,
        control=control,
        thresholds=opts.thresholds,
        percentile=opts.percentile,
        compensation=comp,
        debris=opts.debris_gate,
        singlets=opts.singlet_gate,
        pregate=_pregate(ctx, opts),
    )
    group_of = {s.id: s.group for s in study.samples}
    table = res.table.assign(group=res.table["sample"].map(group_of))
    order = [g for g in study.group_ids if g in set(table["group"])]
    table = (
        table.assign(_g=table["group"].map({g: i for i, g in enumerate(order)}))
        .sort_values(["_g", "sample"])
        .drop(columns="_g")
        .reset_index(drop=True)
    )
    table = table[["sample", "group", *[c for c in table.columns if c not in ("sample", "group")]]]
    res = dataclasses.replace(res, table=table)

    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Apoptosis (annexin V / PI)")
    sec.add_text(
        f"{len(samples)} samples; quadrant dividers at {res.params['threshold_source']} "
        f"(annexin V {res.params['annexin_threshold']:.4g}, PI {res.params['pi_threshold']:.4g})."
    )
    sec.add_method(
        "flow.prepare",
        compensation=_describe_compensation(opts.compensation),
        gates=_describe_gates(opts),
    )
    sec.add_method(
        "flow.apoptosis_quadrants",
        annexin=opts.annexin,
        pi=opts.pi,
        threshold_source=res.params["threshold_source"],
        annexin_threshold=res.params["annexin_threshold"],
        pi_threshold=res.params["pi_threshold"],
    )
    sec.add_table("flow_apoptosis_samples", table, caption="Quadrant percentages per sample.")
    _add_spill(sec, "flow_apoptosis_spillover", comp)
    if len(res.gates):
        sec.add_table("flow_apoptosis_gates", res.gates, caption="Resolved scatter gates.")
    ctx.step("comparing groups")
    cmp = compare_in_study(table, study, value="apoptotic_pct", statistics=ctx.statistics)
    group_comparison_block(
        sec,
        cmp,
        name="flow_apoptosis",
        value_label="Apoptotic cells (%)",
        study=study,
        data=table,
        figure="flow_apoptosis_bars",
        caption="Apoptotic (annexin V+) nucleus pulposus cells per group",
        title="Annexin V+ (early + late)",
    )
    labels = {g.id: g.label for g in study.groups}
    titles = {s: f"{labels.get(group_of[s], group_of[s])} · {s}" for s in res.events}
    ordered = {s: res.events[s] for s in table["sample"]}
    ncols = max(1, max((table["group"] == g).sum() for g in order))
    qfig = flow_quadrants(
        ordered,
        table,
        x_threshold=res.params["annexin_threshold"],
        y_threshold=res.params["pi_threshold"],
        xlabel=f"Annexin V ({opts.annexin})",
        ylabel=f"PI ({opts.pi})",
        titles=titles,
        transform=opts.transform,
        ncols=int(ncols),
    )
    sec.add_figure(
        "flow_apoptosis_quadrants",
        qfig,
        density_table(ordered, transform=opts.transform),
        caption="Annexin V vs PI pseudocolour plots with the quadrant dividers; percentages "
        "of viable (lower left), early apoptotic (lower right), late apoptotic (upper right) "
        "and necrotic (upper left) cells.",
    )
    return res


def _describe_compensation(value: str | SingleStainControls) -> str:
    if isinstance(value, SingleStainControls):
        return (
            "a spillover matrix computed from single-stain controls (median of the positive "
            f"events above the unstained {value.percentile}th percentile)"
        )
    if value == "file":
        return "each file's $SPILLOVER matrix"
    if value == "none":
        return "no compensation"
    return f"the spillover matrix {value}"


def _bounds_text(lo: float | None, hi: float | None) -> str:
    """``35000–60000``, ``≥ 35000 (no upper limit)``, ``≤ 0.9 (no lower limit)``, ``no limits``."""
    if lo is None and hi is None:
        return "no limits"
    if hi is None:
        return f"≥ {lo:g} (no upper limit)"
    if lo is None:
        return f"≤ {hi:g} (no lower limit)"
    return f"{lo:g}–{hi:g}"


def _describe_gates(opts: _FlowOptions) -> str:
    debris, singlets = opts.debris_gate, opts.singlet_gate
    parts = []
    if opts.workspace is not None:
        parts.append(
            f"Events of population {opts.population!r} of the FlowJo workspace "
            f"{opts.workspace.name} (re-applied with FlowKit) were analysed."
        )
    if opts.gatingml is not None:
        parts.append(
            f"Events of gate {opts.gate!r} of {opts.gatingml.name} (GatingML 2.0, "
            "applied with FlowKit) were analysed."
        )
    if debris is not None:
        parts.append(
            f"Debris was excluded on {debris.x}/{debris.y} ({debris.method} bounds "
            f"{debris.x}: {_bounds_text(debris.x_min, debris.x_max)}, "
            f"{debris.y}: {_bounds_text(debris.y_min, debris.y_max)})."
        )
    if singlets is not None:
        parts.append(
            f"Singlets were kept on {singlets.height}/{singlets.area} ({singlets.method} bounds "
            f"{_bounds_text(singlets.ratio_min, singlets.ratio_max)})."
        )
    return " ".join(parts) or "No scatter gates were declared."


@register_assay(
    "flow_markers",
    title="Stem-cell surface markers (flow cytometry)",
    options=MarkerOptions,
    produces=("flow_tables",),
)
def run_markers(ctx: AssayContext) -> Any:
    """% positive and MFI ratio per marker against the isotype; ISCT identity table."""
    from exodisc.assays.flow._isct import isct_check
    from exodisc.assays.flow._markers import analyse_markers
    from exodisc.io.fcs import read_fcs
    from exodisc.pl import flow_histograms, histogram_table

    opts: MarkerOptions = ctx.options
    ctx.step("reading FCS files")
    ctrl_path, files = _split_files(ctx, opts.control)
    control = read_fcs(ctrl_path)
    from exodisc.core import map_samples

    samples = {}
    for f in files:
        data = read_fcs(f)
        name = _sample_name(data, opts.sample_keyword)
        # an undeclared unknown name is an error naming the file, never a sample of its own
        if name in opts.preparations:
            sid = name
        else:
            sid = map_samples([name], ctx.study, path=f, what="FCS sample name")[name]
        if sid in samples:
            msg = f"assay {ctx.assay.id!r}: two FCS files map to sample {sid!r}"
            raise DesignError(msg)
        samples[sid] = data
    ctx.step("marker positivity")
    comp = _compensation(ctx, opts.compensation)
    res = analyse_markers(
        samples,
        control,
        channels=opts.channels,
        method=opts.method,
        percentile=opts.percentile,
        markers=opts.markers,
        compensation=comp,
        debris=opts.debris_gate,
        singlets=opts.singlet_gate,
        pregate=_pregate(ctx, opts),
    )
    isct = isct_check(
        res.table,
        plastic_adherence=opts.plastic_adherence,
        trilineage=_trilineage(ctx, opts),
        expect=opts.expect,
    )
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Stem-cell surface markers")
    method = (
        f"positive above the isotype's {opts.percentile}th percentile"
        if opts.method == "percentile"
        else "Overton histogram subtraction"
    )
    sec.add_method(
        "flow.prepare",
        compensation=_describe_compensation(opts.compensation),
        gates=_describe_gates(opts),
    )
    sec.add_method("flow.markers", control=control.name, method=method)
    sec.add_method("flow.isct", **isct.params)
    sec.add_table("flow_markers", res.table, caption="Marker positivity per sample.")
    sec.add_table("flow_isct", isct.table, caption="ISCT minimal criteria (Dominici et al. 2006).")
    _add_spill(sec, "flow_markers_spillover", comp)
    if len(res.gates):
        sec.add_table("flow_markers_gates", res.gates, caption="Resolved scatter gates.")
    isct_rows = isct.table[isct.table["kind"].str.startswith("ISCT")]
    measured = isct_rows[isct_rows["status"] != "not measured"]
    failed = isct.table.loc[isct.table["status"] == "fail", "criterion"].tolist()
    if isct.passed:
        sec.add_text("The cells meet every ISCT minimal criterion (Dominici et al. 2006).")
    elif not failed:
        sec.add_text(
            f"Every ISCT criterion that was measured or declared is met ({len(measured)} of "
            f"{len(isct_rows)}); identity as MSCs is not established for the rest."
        )
    if isct.gaps:
        sec.add_warning(
            "Not measured or not declared in this study (ISCT gap): " + ", ".join(isct.gaps) + "."
        )
    if failed:
        sec.add_warning("ISCT / panel criteria failed: " + ", ".join(failed) + ".")
    nan_ratio = res.table.loc[res.table["mfi_ratio"].isna(), "marker"].tolist()
    if nan_ratio:
        sec.add_warning(
            "MFI ratio not defined (isotype MFI <= 0 after compensation) for: "
            + ", ".join(nan_ratio)
        )
    first = next(iter(samples))
    sub = res.table[res.table["sample"] == first]
    values = {ch: res.events[(first, ch)] for ch in sub["channel"]}
    ctrl_values = {ch: res.events[("control", ch)] for ch in sub["channel"]}
    fig = flow_histograms(
        values,
        ctrl_values,
        thresholds=dict(zip(sub["channel"], sub["threshold"], strict=True)),
        titles=dict(zip(sub["channel"], sub["marker"], strict=True)),
        pct_positive=dict(zip(sub["channel"], sub["pct_positive"], strict=True)),
        transform=opts.transform,
    )
    sec.add_figure(
        "flow_markers_histograms",
        fig,
        histogram_table(values, ctrl_values, transform=opts.transform),
        caption=f"Marker (line) vs isotype control (filled), sample {first}; dashed: threshold.",
    )
    summary = (
        res.table.groupby(["marker", "channel"], sort=False)
        .agg(
            n=("pct_positive", "size"),
            percent_positive=("pct_positive", lambda x: x.mean(skipna=False)),
            mfi_ratio=("mfi_ratio", lambda x: x.mean(skipna=False)),  # NaN stays NaN
        )
        .reset_index()
    )
    sec.add_table(
        "flow_markers_summary", summary, caption="Mean % positive and MFI ratio over samples."
    )
    return MarkerPanelRun(res, isct, summary)
