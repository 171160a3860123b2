"""The CCK-8 section of the report: tables, statistics, figures, QC warnings, methods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from exodisc.assays.viability._cck8 import Cck8Result
    from exodisc.config import Study
    from exodisc.registry import AssayContext
    from exodisc.stats import ComparisonResult

__all__ = ["cck8_statistics", "report_cck8"]


def cck8_statistics(
    result: Cck8Result, study: Study, *, value: str = "viability_pct", statistics: Any = None
) -> tuple[dict[float, ComparisonResult], pd.DataFrame | None]:
    """The declared group comparison per time point, and the two-way ANOVA group x time.

    Each time point is compared with :func:`exodisc.stats.compare_in_study` (the study's or
    the assay's test, post-hoc test, error bars; donors as subjects for paired tests).

    Returns
    -------
    per_time, anova2
        ``{time_h: ComparisonResult}`` and the two-way table (None when the statistics engine
        of this version has no ``two_way_anova``).
    """
    from exodisc import stats

    st = statistics or study.statistics
    rep = result.replicates
    per_time: dict[float, ComparisonResult] = {}
    for t in sorted(rep["time_h"].unique()):
        per_time[float(t)] = stats.compare_in_study(
            rep[rep["time_h"] == t], study, value=value, group="group", statistics=st
        )
    two_way = getattr(stats, "two_way_anova", None)
    anova2 = None
    if two_way is not None and rep["time_h"].nunique() > 1:
        data = rep.assign(time=rep["time_h"].map(lambda x: f"{x:g} h"))
        anova2 = two_way(data, value=value, factors=("group", "time"))
    return per_time, anova2


def report_cck8(ctx: AssayContext, result: Cck8Result) -> None:
    """Add the CCK-8 section to ``ctx.report``."""
    from exodisc.pl import timecourse
    from exodisc.report import group_comparison_block
    from exodisc.stats import ERROR_WORDS

    study = ctx.study
    opts = ctx.options
    value = opts.value
    label = {"viability_pct": "Cell viability (% of control)", "od_corrected": "OD450 − blank"}
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Cell viability (CCK-8)")
    rep, wells = result.replicates, result.wells
    times = sorted(rep["time_h"].unique())
    groups = [g for g in study.group_ids if g in set(rep["group"])]
    names = {g: study.group_label(g) for g in groups}
    colors = study.group_colors()
    per_time, anova2 = cck8_statistics(result, study, value=value, statistics=ctx.statistics)

    sec.add_text(
        f"{wells['plate'].nunique()} plates ({', '.join(f'{t:g} h' for t in times)}), "
        f"{len(groups)} groups, {rep['sample'].nunique()} biological replicates; "
        f"{int((wells['kind'] == 'sample').sum())} sample wells and "
        f"{int((wells['kind'] == 'blank').sum())} blank wells."
    )
    # QC, never silent
    sat = wells[wells["saturated"]]
    if not sat.empty:
        sec.add_warning(
            f"QC: {len(sat)} well(s) above the linear range (OD > {opts.linear_max:g}): "
            + ", ".join(f"{p} {w}" for p, w in zip(sat["plate"], sat["well"], strict=True))
        )
    below = wells[wells["below_blank"]]
    if not below.empty:
        sec.add_warning(
            f"QC: {len(below)} sample well(s) read below the plate's blank mean: "
            + ", ".join(f"{p} {w}" for p, w in zip(below["plate"], below["well"], strict=True))
        )
    out = wells[wells["outlier"]]
    if not out.empty:
        action = "excluded from the replicate means" if opts.exclude_outliers else "kept"
        sec.add_warning(
            f"QC: {len(out)} technical outlier well(s) (|robust z| > {opts.outlier_z:g}), "
            f"{action}: "
            + ", ".join(
                f"{p} {w} ({s}, z = {z:.1f})"
                for p, w, s, z in zip(
                    out["plate"], out["well"], out["sample"], out["robust_z"], strict=True
                )
            )
        )
    high_cv = rep[rep["cv_pct"] > opts.max_cv_pct]
    if not high_cv.empty:
        sec.add_warning(
            f"QC: {len(high_cv)} replicate(s) with technical CV > {opts.max_cv_pct:g} %: "
            + ", ".join(
                f"{s} at {t:g} h ({cv:.0f} %)"
                for s, t, cv in zip(
                    high_cv["sample"], high_cv["time_h"], high_cv["cv_pct"], strict=True
                )
            )
        )

    sec.add_table("cck8_viability", rep, caption="Per biological replicate and time point.")
    sec.add_table("cck8_summary", result.summary, caption="Mean, SD, SEM per group and time.")
    one_time = len(times) < 2
    if one_time:
        sec.add_warning(
            f"One time point ({times[0]:g} h): no area under the curve and no two-way ANOVA "
            "(group x time); both need at least two time points."
        )
    else:
        sec.add_table("cck8_auc", result.auc, caption="Area under the curve per replicate.")
    sec.add_table("cck8_wells", wells, caption="Every analysed well with QC flags.", show=False)
    if not result.dropped.empty:
        sec.add_table("cck8_dropped", result.dropped, caption="Wells left out, with the reason.")
    stat_rows = []
    for t, res in per_time.items():
        omni = res.omnibus.iloc[0]
        for row in res.pairs.to_dict("records"):
            stat_rows.append(
                {"time_h": t, "test": res.params["test"], "posthoc": res.params["posthoc"],
                 "omnibus_statistic": omni["statistic"], "omnibus_p": omni["p_value"], **row}
            )  # fmt: skip
    stat_table = pd.DataFrame(stat_rows)
    first = next(iter(per_time.values())).params
    sec.add_table(
        "cck8_statistics",
        stat_table,
        caption=f"Per time point: {first['test_name']} and {first['pairwise']} "
        f"({first['posthoc_name']}).",
    )
    if anova2 is not None:
        sec.add_table("cck8_two_way_anova", anova2, caption="Two-way ANOVA, group x time.")
    elif not one_time:
        sec.add_warning(
            "Two-way ANOVA (group x time) was not run: this version's statistics engine has "
            "no two_way_anova."
        )

    # figures: error bars and their words from what the statistics recorded
    error = first["error_bars"]
    err_col = f"od_{error}" if f"od_{error}" in result.summary.columns else None
    od_plot = result.summary[["group", "time_h", "od_mean", "od_sd", "od_sem", "n"]].copy()
    if err_col is None:  # 95% CI of the mean: t(0.975, n - 1) · SEM
        from scipy import stats as sps

        od_plot["od_ci95"] = sps.t.ppf(0.975, od_plot["n"] - 1) * od_plot["od_sem"]
        err_col = "od_ci95"
    marks = {}
    for t, res in per_time.items():
        for g in groups:
            ms = [m for m in res.pairs.loc[res.pairs["group1"] == g, "mark"] if m != "ns"]
            if ms:
                marks[(g, t)] = "".join(ms)
    fig = timecourse(
        od_plot,
        value="od_mean",
        error=err_col,
        order=groups,
        labels=names,
        colors=colors,
        marks=marks,
        ylabel="OD450 (blank-corrected)",
    )
    sec.add_figure(
        "cck8_timecourse",
        fig,
        od_plot,
        caption=f"CCK-8 time course, mean ± {ERROR_WORDS[error]} of biological replicates; "
        f"marks: {first['test_name']} with {first['posthoc_name']} on "
        f"{label[value].lower()} at each time.",
    )
    bar_t = opts.bar_time_h if opts.bar_time_h is not None else times[-1]
    bar_data = rep[rep["time_h"] == bar_t][["group", "replicate", "sample", "time_h", value]]
    group_comparison_block(
        sec,
        per_time[float(bar_t)],
        name=f"cck8_{bar_t:g}h",
        value_label=f"{label[value]} at {bar_t:g} h",
        study=study,
        data=bar_data,
        figure=f"cck8_bars_{bar_t:g}h",
        caption=f"{label[value]} at {bar_t:g} h, with replicates",
        ylabel=label[value],
        title=f"{bar_t:g} h",
    )

    # methods
    ref = (
        f" minus the {opts.reference_wavelength} nm reference" if opts.reference_wavelength else ""
    )
    sec.add_method(
        "cck8.viability",
        wavelength=opts.wavelength,
        reference=ref,
        control=study.group_label(result.params["control"]),
    )
    if not one_time:
        sec.add_method("cck8.auc", t_min=times[0], t_max=times[-1])
    sec.add_method(
        "qc.robust_z",
        threshold=opts.outlier_z,
        linear_max=opts.linear_max,
        action=" and excluded" if opts.exclude_outliers else "",
    )
    sec.add_method(
        "cck8.per_time",
        value=label[value].lower(),
        n_times=len(per_time),
        test=first["test_name"],
        pairwise=first["pairwise"],
        posthoc=first["posthoc_name"],
        n_comparisons=first["n_comparisons"],
        alpha=first["alpha"],
    )
    if anova2 is not None:
        sec.add_method("cck8.two_way_anova", value=label[value].lower())
