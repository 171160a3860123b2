"""qPCR inside ``exodisc run``: exports → 2^-ΔΔCt per replicate → statistics → figure."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from exodisc.registry import AssayContext, register_assay

__all__ = ["QpcrOptions", "load_wells", "run"]


class QpcrOptions(BaseModel):
    """Options of a ``kind: qpcr`` assay in the study file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: list[str] = Field(
        default_factory=lambda: ["GAPDH"], min_length=1, description="Reference gene(s)."
    )
    calibrator_group: str | None = Field(
        default=None, description="Group whose mean ΔCt is 0 (default: the control group)."
    )
    efficiency: dict[str, float] | Literal["standard_curve"] | None = Field(
        default=None,
        description="Amplification factor per target (2 = 100 %), or 'standard_curve' to use "
        "the curves in the data (Pfaffl).",
    )
    undetermined: Literal["exclude", "cycle_limit", "not_detected"] = "exclude"
    cycle_limit: float = Field(default=40.0, gt=0)
    sd_max: float = Field(default=0.3, gt=0)
    range_max: float = Field(default=0.5, gt=0)
    outlier_rule: Literal["none", "farthest_from_median"] = "none"
    ntc_ct_max: float = Field(default=35.0, gt=0)
    confidence: float | None = Field(
        default=None,
        gt=0,
        lt=1,
        description="Confidence level of RQ min/max. Default: the level the exports state "
        "(QuantStudio 'RQ Min/Max Confidence Level') or, for Design & Analysis exports, the "
        "level they were analysed at (recovered from their RQ sheet); else 0.95, "
        "QuantStudio's default.",
    )
    format: Literal[
        "auto",
        "quantstudio_text",
        "quantstudio_xlsx",
        "quantstudio_da_xlsx",
        "quantstudio_xls",
        "cfx_csv",
        "rdml",
        "long_table",
    ] = "auto"


def load_wells(paths: list[Any], *, format: Any = "auto") -> tuple[Any, list[Any]]:
    """Read and stack the wells of several exports (a ``plate`` column says which file)."""
    import pandas as pd

    from exodisc.io.qpcr import read_qpcr

    runs = [read_qpcr(p, format=format) for p in paths]
    wells = pd.concat([r.wells.assign(plate=r.path.name) for r in runs], ignore_index=True)
    return wells, runs


def _map_samples(wells: Any, study: Any, files: list[Any]) -> Any:
    from exodisc.core import map_samples

    unk = (wells["task"] == "UNKNOWN") & (wells["sample"].astype(str).str.strip() != "")
    names = sorted(set(wells.loc[unk, "sample"]))
    mapping = map_samples(names, study, path=files, what="sample name")
    out = wells.copy()
    out.loc[unk, "sample"] = out.loc[unk, "sample"].map(mapping)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


@register_assay(
    "qpcr",
    title="Gene expression (RT-qPCR, 2^-ΔΔCt)",
    options=QpcrOptions,
    produces=("group_comparisons",),
)
def run(ctx: AssayContext) -> Any:
    """Relative quantification of every target against the reference gene(s)."""
    from exodisc.assays.qpcr import (
        genorm,
        group_fold_changes,
        normfinder,
        relative_quantification,
        resolve_confidence,
        standard_curves,
    )
    from exodisc.errors import DesignError
    from exodisc.pl import qpcr_fold_changes, qpcr_stability
    from exodisc.report import group_comparison_block
    from exodisc.stats import legend_sentence, study_subjects

    opts: QpcrOptions = ctx.options
    study = ctx.study
    ctx.step("reading qPCR exports")
    wells, runs = load_wells(ctx.files, format=opts.format)
    level = resolve_confidence(runs, opts.confidence)
    ctx.report.record(f"qpcr_rq_interval.{ctx.assay.id}", level.record())
    wells = _map_samples(wells, study, ctx.files)
    groups = {s.id: s.group for s in study.samples}
    cal_group = opts.calibrator_group or next(
        (g.id for g in study.ordered_groups if g.role == "control"), study.group_ids[0]
    )
    cal_samples = sorted(s.id for s in study.samples if s.group == cal_group)
    present = set(wells.loc[wells["task"] == "UNKNOWN", "sample"])
    cal_samples = [s for s in cal_samples if s in present]
    if not cal_samples:
        from exodisc.assays.qpcr._checks import calibrator_message

        raise DesignError(calibrator_message(study, cal_group, present))

    curves = standard_curves(wells)
    efficiency: dict[str, float] | None
    if opts.efficiency == "standard_curve":
        if curves.empty:
            msg = "efficiency: standard_curve, but the exports hold no STANDARD wells"
            raise DesignError(msg)
        measured = set(wells.loc[wells["task"] == "UNKNOWN", "target"])
        efficiency = {
            str(t): float(e)
            for t, e in zip(curves["target"], curves["amplification_factor"], strict=True)
            if t in measured
        }
    else:
        efficiency = opts.efficiency

    ctx.step("relative quantification")
    rq = relative_quantification(
        wells,
        reference=opts.reference,
        calibrator=cal_samples,
        efficiency=efficiency,
        undetermined=opts.undetermined,
        cycle_limit=opts.cycle_limit,
        sd_max=opts.sd_max,
        range_max=opts.range_max,
        outlier_rule=opts.outlier_rule,
        ntc_ct_max=opts.ntc_ct_max,
        confidence=level.level,
    )
    stats_cfg = ctx.statistics
    comparisons = [
        (c.test, c.reference, c.mark) for c in study.comparisons_or_all_pairs(study.group_ids)
    ]
    fc = group_fold_changes(
        rq.table,
        groups,
        calibrator_group=cal_group,
        order=study.group_ids,
        comparisons=comparisons,
        test=stats_cfg.test,
        posthoc=stats_cfg.posthoc,
        alpha=study.thresholds.alpha,
        subjects=study_subjects(study, stats_cfg),
        error_bars=stats_cfg.error_bars,
    )

    title = ctx.assay.title or "Gene expression (RT-qPCR, 2^-ΔΔCt)"
    sec = ctx.report.add_section(ctx.assay.id, title)
    ref_text = " + ".join(opts.reference)
    labels = {g.id: g.label for g in study.groups}
    seen = list(dict.fromkeys(wells.loc[wells["task"] == "UNKNOWN", "target"]))
    targets = [t for t in seen if t in set(fc.replicates["target"])]
    sec.add_text(
        f"{len(targets)} target gene(s) ({', '.join(targets)}) normalised to {ref_text}; "
        f"fold changes relative to {study.group_label(cal_group)} (2^-ΔΔCt per biological "
        "replicate); statistics on ΔCt."
    )
    for t in sorted(rq.params["ntc_contaminated_targets"]):
        sec.add_warning(f"QC: an NTC well of {t} has Ct < {opts.ntc_ct_max} (contamination).")
    flagged = rq.replicates[rq.replicates["flags"].str.contains("high_")]
    for r in flagged.itertuples(index=False):
        sec.add_warning(
            f"QC: technical replicates of {r.sample} / {r.target} disagree "
            f"(SD {r.ct_sd:.2f}, range {r.ct_range:.2f} cycles; {r.flags})."
        )
    if len(rq.dropped):
        counts = rq.dropped["reason"].value_counts()
        sec.add_warning(
            "Wells left out: " + "; ".join(f"{n} × {reason}" for reason, n in counts.items())
        )
    summary = fc.summary.assign(label=lambda d: d["group"].map(labels))
    fig = qpcr_fold_changes(
        fc.replicates,
        pairs=fc.pairs,
        order=[g for g in study.group_ids if g in set(fc.replicates["group"])],
        labels=labels,
        colors=study.group_colors(),
        error=stats_cfg.error_bars,
        reference_label=ref_text,
        targets=targets,
    )
    first = fc.stats[targets[0]] if targets else None
    caption = f"Relative mRNA expression of {', '.join(targets)} (2^-ΔΔCt vs {ref_text})."
    if first is not None:
        caption += " " + legend_sentence(first, study)
    sec.add_figure("qpcr_fold_change", fig, fc.replicates, caption=caption)
    sec.add_table("qpcr_fold_change_summary", summary, caption="Fold change per group (mean ± SD)")
    sec.add_table("qpcr_statistics", fc.pairs, caption="Comparisons on ΔCt per target")
    rank = {
        sid: i
        for i, sid in enumerate(
            s.id for g in study.group_ids for s in study.samples if s.group == g
        )
    }
    rq_table = (
        rq.table.assign(group=lambda d: d["sample"].map(groups), _r=lambda d: d["sample"].map(rank))
        .sort_values(["_r", "target"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )
    sec.add_table(
        "qpcr_relative_quantification",
        rq_table,
        caption="Per sample and target: Ct mean, ΔCt, ΔΔCt, RQ (with RQ min/max) and flags",
    )
    sec.add_table("qpcr_wells", rq.wells, caption="Wells used", show=False)
    if len(rq.dropped):
        sec.add_table("qpcr_dropped", rq.dropped, caption="Wells left out, with the reason")
    if len(rq.ntc):
        sec.add_table("qpcr_ntc", rq.ntc, caption="No-template controls")

    params = rq.params
    und = {
        "exclude": "excluded",
        "cycle_limit": f"set to the cycle limit ({opts.cycle_limit:g})",
        "not_detected": "reported as not detected",
    }[opts.undetermined]
    common = {
        "targets": ", ".join(targets),
        "reference": ref_text,
        "calibrator": study.group_label(cal_group),
        "sd_max": opts.sd_max,
        "range_max": opts.range_max,
        "undetermined": und,
        "confidence": level.text,
    }
    if params["method"] == "pfaffl":
        eff = ", ".join(f"{t} {e:.3f}" for t, e in sorted(params["efficiency"].items()))
        sec.add_method("qpcr.pfaffl", efficiencies=eff, **common)
    else:
        sec.add_method(
            "qpcr.ddct",
            reference_note=" (mean Ct of the reference genes)" if len(opts.reference) > 1 else "",
            outlier_note=(
                " and the replicate farthest from the median left out"
                if opts.outlier_rule != "none"
                else ""
            ),
            ntc_ct_max=opts.ntc_ct_max,
            **common,
        )
    if first is not None:
        # the methods paragraph of the statistics the engine actually ran (from its params)
        group_comparison_block(
            sec, first, name="qpcr", value_label="ΔCt values", study=study, tables=False
        )
    if not curves.empty:
        sec.add_table("qpcr_standard_curves", curves, caption="Standard curves")
        sec.add_method("qpcr.standard_curve", n_curves=len(curves), low=90, high=110)
        for r in curves[curves["flags"] != ""].itertuples(index=False):
            sec.add_warning(f"QC: standard curve of {r.target}: {r.flags}")
    if len(opts.reference) >= 2:
        ref_ct = (
            rq.replicates[rq.replicates["target"].isin(opts.reference)]
            .pivot(index="sample", columns="target", values="ct_mean")
            .reindex(columns=opts.reference)
        )
        stab = genorm(ref_ct, efficiency=efficiency)
        sec.add_table("qpcr_reference_stability", stab, caption="geNorm M and V")
        sec.add_figure(
            "qpcr_reference_stability", qpcr_stability(stab), stab, caption="geNorm M and V"
        )
        sec.add_method("qpcr.genorm", genes=", ".join(opts.reference))
    if len(opts.reference) >= 3:
        nf = normfinder(ref_ct, groups, efficiency=efficiency)
        sec.add_table(
            "qpcr_reference_normfinder", nf.genes, caption="NormFinder stability (lower = better)"
        )
        sec.add_table("qpcr_reference_normfinder_pairs", nf.pairs, caption="NormFinder pairs")
        sec.add_method(
            "qpcr.normfinder",
            n_groups=len(set(groups[s] for s in ref_ct.dropna().index if s in groups)),
            genes=" < ".join(nf.genes["gene"]),
            best_pair=" + ".join(nf.pairs.iloc[0][["gene1", "gene2"]]),
        )
    return fc
