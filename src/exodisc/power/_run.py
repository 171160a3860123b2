"""``kind: power`` inside ``exodisc run``: the "Planning the next experiment" section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from exodisc.registry import AssayContext, register_assay

__all__ = ["PowerOptions", "StudyPower", "plan_study"]

WHY_NOT_OBSERVED_POWER = (
    "Power at the current n is computed for the planning effect, not offered as a verdict on "
    "the finished experiment: 'observed power' computed from the observed effect is a "
    "one-to-one function of the P value and says nothing the P value does not."
)


class PowerOptions(BaseModel):
    """Options of ``kind: power`` (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    assays: list[str] | None = Field(
        default=None,
        description="Ids of the assays to plan (default: every earlier group assay and "
        "DESeq2 RNA class).",
    )
    power: list[float] = Field(default=[0.8, 0.9], min_length=1, description="Target powers.")
    effect: dict[str, float] = Field(
        default_factory=dict,
        description="Minimal effect of interest per assay id (difference in the value's "
        "units), used instead of the observed differences.",
    )
    n_sim: int = Field(default=10_000, ge=100, description="Simulated studies per evaluation.")
    n_max: int = Field(default=100, ge=3, description="Largest n per group simulated.")
    curve_max: int = Field(default=12, ge=3, description="Power curves run n = 2 … this.")
    seed: int | None = Field(default=None, description="Seed (default: the study's seed).")
    rnaseq: bool = Field(default=True, description="Simulate RNA-seq studies (DESeq2 fits).")
    rnaseq_classes: list[str] = Field(
        default=["mRNA"], description="RNA classes whose DE is simulated."
    )
    rnaseq_n: list[int] = Field(
        default=list(range(2, 11)), min_length=1, description="n per group simulated."
    )
    rnaseq_n_sim: int = Field(default=100, ge=1, description="Studies simulated per n.")
    rnaseq_fraction: float | None = Field(
        default=None, gt=0, le=1, description="Fraction of true effects (default: observed)."
    )
    rnaseq_log2_fc: float | None = Field(
        default=None, gt=0, description="Size of true effects (default: observed LFCs)."
    )
    rnaseq_jobs: int | None = Field(
        default=None,
        ge=1,
        description="Processes analysing the simulated studies (default: EXODISC_JOBS or the "
        "usable cores, for simulations of at least 100 studies; the result is the same).",
    )


@dataclass(frozen=True)
class StudyPower:
    """What ``kind: power`` returns: plans by assay table and RNA-seq simulations."""

    plans: dict[str, Any] = field(default_factory=dict)
    rnaseq: dict[str, Any] = field(default_factory=dict)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.lower()).strip("_")[:40] or "x"


def _rnaseq_jobs(opts: PowerOptions) -> int:
    """Worker processes for the RNA-seq simulation: as set, else ``EXODISC_JOBS`` or the
    usable cores when there are at least 100 studies (each worker's start-up, a second or
    two, would outweigh a few fits)."""
    if opts.rnaseq_jobs is not None:
        return opts.rnaseq_jobs
    if opts.rnaseq_n_sim * len(opts.rnaseq_n) < 100:
        return 1
    from exodisc.core import worker_processes

    return worker_processes()


def plan_study(ctx: AssayContext) -> StudyPower:
    """Plan every group comparison and RNA class of the earlier results (no report)."""
    from exodisc.power._plan import plan_from_comparison
    from exodisc.power._rnaseq import simulate_rnaseq
    from exodisc.power._study import group_comparisons

    opts: PowerOptions = ctx.options
    seed = ctx.study.seed if opts.seed is None else opts.seed
    wanted = set(opts.assays) if opts.assays is not None else None
    plans: dict[str, Any] = {}
    for item in group_comparisons(ctx.study, ctx.results):
        if wanted is not None and item.assay_id not in wanted:
            continue
        ctx.step(f"power: {item.assay_id} {item.label}")
        plans[f"{item.assay_id}|{item.label}"] = (
            item,
            plan_from_comparison(
                item.result,
                power=opts.power,
                effect=opts.effect.get(item.assay_id),
                n_sim=opts.n_sim,
                seed=seed,
                n_max=opts.n_max,
                curve_max=opts.curve_max,
            ),
        )
    rna: dict[str, Any] = {}
    if opts.rnaseq:
        from exodisc.omics.de import DEClassResult

        for aid, res in ctx.results.items():
            if not isinstance(res, DEClassResult) or res.rna_class not in opts.rnaseq_classes:
                continue
            if wanted is not None and aid not in wanted:
                continue
            for key, de in res.results.items():
                if "dispersion" not in de.table:
                    continue  # limma-voom fits have no NB dispersions
                ctx.step(f"power: simulating {res.rna_class} studies ({key})")
                rna[f"{aid}|{key}"] = simulate_rnaseq(
                    de.table,
                    n_per_group=opts.rnaseq_n,
                    n_sim=opts.rnaseq_n_sim,
                    fdr=res.fdr,
                    fraction=opts.rnaseq_fraction,
                    log2_fc=opts.rnaseq_log2_fc,
                    seed=seed,
                    jobs=_rnaseq_jobs(opts),
                )
                break  # the first comparison of each class: one simulation per class
    return StudyPower(plans, rna)


@register_assay(
    "power",
    title="Planning the next experiment",
    options=PowerOptions,
    consumes=("group_comparisons", "de_table"),  # plans from the assays run before it
)
def run(ctx: AssayContext) -> StudyPower:
    """Power and sample size for every group comparison and RNA class of the study."""
    from exodisc.pl import de_found_curve, power_curves

    opts: PowerOptions = ctx.options
    result = plan_study(ctx)
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Planning the next experiment")
    pct = " / ".join(f"{p:.0%}" for p in opts.power)
    sec.add_text(
        "How many replicates would the next experiment need? For every comparison the study "
        f"made, with the test it used, the table gives the n per group reaching {pct} power "
        "for the planning effect (the observed difference unless a minimal effect is set), "
        "and the n needed at both ends of that difference's 95 % CI — the spread shows how "
        "uncertain the plan is. " + WHY_NOT_OBSERVED_POWER
    )
    if not result.plans and not result.rnaseq:
        sec.add_warning("No group comparisons or DESeq2 fits were found among earlier assays.")
    tests_seen: set[tuple[str, str]] = set()
    for key, (item, plan) in result.plans.items():
        name = f"power_{_slug(item.assay_id)}_{_slug(item.label)}"
        label = f"{item.assay_id}: {item.label}"
        sec.add_table(
            name,
            plan.table,
            caption=f"{label} — power at the current n and n per group for {pct} power "
            f"({plan.params['test']}, {plan.params['posthoc']}, α = {plan.params['alpha']}).",
        )
        sec.add_figure(
            f"{name}_curves",
            power_curves(plan.curves, targets=tuple(opts.power), title=label),
            plan.curves,
            caption=f"{label}: power against n per group at the planning effect, one line per "
            f"comparison (dashed: {pct} power)"
            + ("; band: ± 2 Monte-Carlo SE" if plan.params["method"] == "simulation" else "")
            + ".",
        )
        tests_seen.add((plan.params["method"], plan.params["test"]))
        del key
    if result.plans:
        n_sim = opts.n_sim
        sec.add_method(
            "power.groups",
            n_sim=f"{n_sim:,}",
            power=pct,
            seed=ctx.study.seed if opts.seed is None else opts.seed,
        )
        if n_sim < 10_000:
            sec.add_warning(
                f"Simulated power uses {n_sim:,} draws here (fewer than the 10,000 of a "
                "reported plan, to keep this run short); set options.n_sim to 10000."
            )
    for key, sim in result.rnaseq.items():
        aid, comp = key.split("|")
        name = f"power_{_slug(aid)}_rnaseq"
        sec.add_table(
            f"{name}_summary",
            sim.summary,
            caption=f"{aid} ({comp} fit): simulated studies per n — DE features found at FDR "
            f"{sim.params['fdr']}, true ones, false discovery proportion.",
        )
        sec.add_table(
            f"{name}_by_expression",
            sim.by_expression,
            caption=f"{aid}: sensitivity by expression level (quantile bins of the mean count "
            "among the true effects).",
        )
        sec.add_figure(
            f"{name}_found",
            de_found_curve(sim.summary, title=f"{aid}: DE features found"),
            sim.summary,
            caption=f"{aid}: true DE features found against n per group (line: mean; band: "
            f"2.5–97.5 % of {sim.params['n_sim']} simulated studies per n).",
        )
        sec.add_method(
            "power.rnaseq",
            n_sim=sim.params["n_sim"],
            n_range=f"{min(sim.params['n_per_group'])}–{max(sim.params['n_per_group'])}",
            effects=sim.params["effects"],
            fdr=sim.params["fdr"],
            n_features=sim.params["n_features"],
        )
        failed = int(sim.summary["n_failed"].sum())
        if failed:
            reasons = sorted({r for r in sim.runs["failed"] if r})
            sec.add_warning(
                f"{aid}: {failed} simulated stud{'y' if failed == 1 else 'ies'} could not be "
                f"analysed by DESeq2 and count as finding nothing ({'; '.join(reasons[:2])})."
            )
        if sim.params["n_sim"] < 100:
            sec.add_warning(
                f"{aid}: only {sim.params['n_sim']} simulated studies per n here (to keep the "
                "run short); the band is rough. Set options.rnaseq_n_sim to 100 for a plan."
            )
    del tests_seen
    return result
