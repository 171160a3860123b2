"""``kind: disc_model`` — can this disc feed the cells we would inject? (model predictions)"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from exodisc.registry import AssayContext, register_assay

__all__ = ["DiscModelOptions", "DiscScenario", "run"]


class DiscScenario(BaseModel):
    """One scenario: a disc (grade, endplate, height) and what is injected into it.

    ``treatment``: ``cells`` (``dose`` cells added to the nucleus, uniformly or as a central
    bolus of ``bolus_mm``), ``exosomes`` (``dose`` particles, recorded; no metabolic load) or
    ``none``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    label: str = ""
    grade: Literal["I", "II", "III", "IV", "V"] | None = None
    height_mm: float | None = None
    endplate_area: float | None = None
    endplate_diffusivity: float | None = None
    np_density_per_mm3: float | None = None
    treatment: Literal["cells", "exosomes", "none"] = "none"
    dose: float = Field(0.0, ge=0)
    bolus_mm: float | None = Field(None, gt=0)

    def disc_key(self) -> tuple[Any, ...]:
        return (
            self.grade,
            self.height_mm,
            self.endplate_area,
            self.endplate_diffusivity,
            self.np_density_per_mm3,
        )

    def disc_label(self) -> str:
        parts = [f"grade {self.grade}" if self.grade else "healthy adult"]
        if self.height_mm is not None:
            parts.append(f"H {self.height_mm:g} mm")
        if self.endplate_area is not None:
            parts.append(f"endplate area {self.endplate_area:g}")
        if self.endplate_diffusivity is not None:
            parts.append(f"endplate D x{self.endplate_diffusivity:g}")
        if self.np_density_per_mm3 is not None:
            parts.append(f"NP {self.np_density_per_mm3:g}/mm3")
        return ", ".join(parts)


class DiscModelOptions(BaseModel):
    """Options of the disc model assay.

    ``parameters``: overrides of :class:`exodisc.disc.DiscParams` for every scenario (e.g.
    ``glucose_threshold_mm: 0.511``); ``days``: follow-up after injection; ``mesh_mm``:
    largest cell (the convergence check also solves at twice it); ``endplate_factors``: the
    points of the min-glucose-vs-endplate curves; ``doses``: injected cells of the
    supportable-cells chart; ``thresholds``: compute the published threshold targets (T2,
    Shirazi-Adl 2010; T3, Zhu 2016) for the healthy disc with ``parameters`` and show the
    model's numbers beside the papers'.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    scenarios: list[DiscScenario] = Field(min_length=1)
    parameters: dict[str, float] = Field(default_factory=dict)
    days: int = Field(90, ge=1, le=3650)
    mesh_mm: float = Field(0.5, ge=0.05, le=2.0)
    endplate_factors: list[float] = Field(
        default_factory=lambda: [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2], min_length=2
    )
    doses: list[float] = Field(default_factory=lambda: [0.0, 1e7, 2e7, 4e7, 6e7, 8e7], min_length=2)
    thresholds: bool = Field(
        True,
        description="Show the published thresholds (T2 Shirazi-Adl 2010, T3 Zhu 2016) beside "
        "the model's numbers.",
    )

    @model_validator(mode="after")
    def _physical(self) -> DiscModelOptions:
        from exodisc.disc._params import DiscParameterError

        ids = [s.id for s in self.scenarios]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            msg = f"scenarios: duplicate scenario id(s) {', '.join(dup)}"
            raise ValueError(msg)
        for f in self.endplate_factors:
            if not 0 < f <= 1:
                msg = f"endplate_factors: each factor must be in (0, 1], got {f}"
                raise ValueError(msg)
        if any(d < 0 for d in self.doses):
            msg = "doses: injected cell numbers must be >= 0"
            raise ValueError(msg)
        for i, s in enumerate(self.scenarios):
            try:
                p = scenario_params(self, s)
            except DiscParameterError as exc:
                msg = f"scenarios[{i}] ({s.id}) / parameters: {exc}"
                raise ValueError(msg) from None
            if s.bolus_mm is not None and s.bolus_mm > p.np_radius_mm:
                msg = (
                    f"scenarios[{i}] ({s.id}).bolus_mm: {s.bolus_mm} mm is larger than the "
                    f"nucleus radius {p.np_radius_mm} mm"
                )
                raise ValueError(msg)
        return self


def scenario_params(opts: DiscModelOptions, s: DiscScenario) -> Any:
    """The :class:`~exodisc.disc.DiscParams` of one scenario."""
    from exodisc.disc._params import params_for

    return params_for(
        s.grade,
        **opts.parameters,
        height_mm=s.height_mm,
        endplate_area=s.endplate_area,
        endplate_diffusivity=s.endplate_diffusivity,
        density_np=s.np_density_per_mm3,
    )


def _disc_analysis(p: Any, label: str, opts: DiscModelOptions) -> dict[str, Any]:
    """Steady state, capacity, endplate curves and dose curve of one disc."""
    import numpy as np
    import pandas as pd

    from exodisc.disc._mesh import NP
    from exodisc.disc._model import (
        _SYMMETRY,
        capacity,
        make_mesh,
        native_density,
        operators_for,
        steady,
        steady_fields,
    )

    h = opts.mesh_mm
    st = steady(p, h=h)
    cap = capacity(p, h=h)
    curves = []
    for param in ("endplate_area", "endplate_diffusivity"):
        c0 = None
        for f in sorted(opts.endplate_factors, reverse=True):
            q = p.model_copy(
                update={param: getattr(p, param) * f if param == "endplate_diffusivity" else f}
            )
            mesh = make_mesh(q, "axisymmetric", h)
            fl = steady_fields(q, mesh, c0=c0)
            c0 = fl.conc
            curves.append({"disc": label, "parameter": param, "factor": f, **fl.summary()})
    mesh = st.fields.mesh
    ops = operators_for(p, mesh)
    v_np = float(mesh.volume[mesh.region == NP].sum()) * _SYMMETRY["axisymmetric"]
    dose_rows = []
    c0 = st.fields.conc
    for n in sorted(opts.doses):
        dens = native_density(p, mesh) + np.where(mesh.region == NP, n / v_np, 0.0)
        fl = steady_fields(p, mesh, density=dens, ops=ops, c0=c0)
        c0 = fl.conc
        s = fl.summary()
        dose_rows.append(
            {
                "disc": label,
                "injected_cells": n,
                "np_density_per_mm3": p.density_np + n / v_np,
                "min_glucose_mm": s["min_glucose_mm"],
                "min_ph": s["min_ph"],
            }
        )
    return {
        "steady": st,
        "capacity": cap,
        "curves": pd.DataFrame(curves),
        "dose": pd.DataFrame(dose_rows),
    }


@register_assay(
    "disc_model",
    title="Disc microenvironment model: can the disc feed injected cells?",
    options=DiscModelOptions,
    description="Reaction-diffusion model of O2, glucose, lactate and cell viability in the disc.",
)
def run(ctx: AssayContext) -> Any:
    """Simulate every scenario; report maps, endplate curves, viability and capacity."""
    import pandas as pd

    from exodisc.disc._model import inject
    from exodisc.disc._params import GRADES, params_for, preset_summary, preset_table
    from exodisc.disc._thresholds import threshold_table
    from exodisc.pl import (
        disc_dose,
        disc_endplate_curves,
        disc_map_data,
        disc_maps,
        disc_viability,
    )

    opts: DiscModelOptions = ctx.options
    discs: dict[tuple[Any, ...], dict[str, Any]] = {}
    for s in opts.scenarios:
        key = s.disc_key()
        if key not in discs:
            label = s.disc_label()
            ctx.step(f"disc model: {label}")
            p = scenario_params(opts, s)
            discs[key] = {"label": label, "params": p, **_disc_analysis(p, label, opts)}

    daily, rows = [], []
    via_map: dict[tuple[Any, ...], Any] = {}
    for s in opts.scenarios:
        d = discs[s.disc_key()]
        p = d["params"]
        ctx.step(f"disc model: scenario {s.id} ({opts.days} days)")
        res = inject(
            p,
            cells=s.dose if s.treatment == "cells" else 0.0,
            exosomes=s.treatment == "exosomes",
            days=opts.days,
            bolus_radius_mm=s.bolus_mm,
            h=opts.mesh_mm,
        )
        if s.treatment == "cells" and s.disc_key() not in via_map:
            via_map[s.disc_key()] = res.viability
        t = res.table
        t.insert(0, "scenario", s.label or s.id)
        t.insert(1, "treatment", s.treatment)
        t.insert(2, "disc", d["label"])
        daily.append(t)
        last = t.iloc[-1]
        cap = d["capacity"]
        rows.append(
            {
                "scenario": s.label or s.id,
                "disc": d["label"],
                "treatment": s.treatment,
                "dose": s.dose,
                "days": opts.days,
                "viable_fraction_np_end": float(last["viable_fraction_np"]),
                "viable_np_cells_end": float(last["viable_np_cells"]),
                "min_glucose_mm_day0": float(t["min_glucose_mm"].iloc[0]),
                "min_glucose_mm_end": float(last["min_glucose_mm"]),
                "min_ph_end": float(last["min_ph"]),
                "supportable_extra_cells": cap.supportable_extra_cells,
                "mesh_cells": res.mesh_cells,
                "mesh_change_pct": res.mesh_change_pct,
            }
        )
    daily_df = pd.concat(daily, ignore_index=True)
    scen_df = pd.DataFrame(rows)
    steady_df = pd.DataFrame([{"disc": d["label"], **d["steady"].row()} for d in discs.values()])
    cap_df = pd.DataFrame(
        [
            {
                "disc": d["label"],
                **d["capacity"].row(),
                "supportable_extra_cells": d["capacity"].supportable_extra_cells,
            }
            for d in discs.values()
        ]
    )
    curves = pd.concat([d["curves"] for d in discs.values()], ignore_index=True)
    dose = pd.concat([d["dose"] for d in discs.values()], ignore_index=True)
    p0 = next(iter(discs.values()))["params"]
    g_th = p0.glucose_threshold_mm

    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Disc microenvironment model")
    sec.add_warning(
        "These are model predictions from a nutrient reaction-diffusion model with literature "
        "parameters, not measurements of this study's discs; the model has no mechanics, no "
        "inflammation and no biological effect of exosomes beyond adding no metabolic load."
    )
    best = scen_df.sort_values("viable_fraction_np_end")
    lines = []
    for rec in scen_df.to_dict("records"):
        lines.append(
            f"{rec['scenario']}: {float(rec['viable_fraction_np_end']) * 100:.0f} % of NP "
            f"cells viable after {rec['days']} days"
        )
    caps = "; ".join(
        f"{rec['disc']}: {float(rec['ratio']):.2f}x the resident density "
        f"({rec['limiting']}-limited)"
        for rec in cap_df.to_dict("records")
    )
    sec.add_text(
        "Predicted: "
        + "; ".join(lines)
        + f". Supportable NP cell density: {caps}."
        + (f" Lowest: {best.iloc[0]['scenario']}." if len(best) > 1 else "")
    )
    maps = [(d["label"], d["steady"].fields) for d in discs.values()]
    via = [via_map.get(k) for k in discs]
    map_data = []
    for (lab, f), v in zip(maps, via, strict=True):
        frame = disc_map_data(f, lab)
        frame["viable_fraction_cells_end"] = v if v is not None else float("nan")
        map_data.append(frame)
    sec.add_figure(
        "disc_maps",
        disc_maps(maps, viability=via, viability_label=f"Viable, day {opts.days}"),
        pd.concat(map_data, ignore_index=True),
        caption=(
            "Steady glucose, pO2 and pH in a mid-section of each disc (resident cells only); "
            "white lines: nucleus pulposus (NP) and cartilage endplates (CEP); the rest is "
            "annulus fibrosus (AF). Supply enters through the endplate surfaces and the outer AF. "
            "Bottom row (if any cells were injected): viable fraction at the end of follow-up "
            "after the disc's first cell injection."
        ),
    )
    sec.add_figure(
        "disc_endplate_curves",
        disc_endplate_curves(curves, threshold=g_th),
        curves[["disc", "parameter", "factor", "min_glucose_mm", "min_ph"]],
        caption=(
            f"Minimum glucose against endplate exchange area and diffusivity; dashed: the "
            f"{g_th:g} mM threshold below which cells die."
        ),
    )
    sec.add_figure(
        "disc_viability",
        disc_viability(daily_df),
        daily_df[["scenario", "treatment", "disc", "day", "viable_fraction_np"]],
        caption=(
            "Viable fraction of NP cells (resident plus injected) after each injection; "
            "dashed lines: exosomes (no metabolic load)."
        ),
    )
    sec.add_figure(
        "disc_supportable_cells",
        disc_dose(dose, cap_df, threshold=g_th),
        dose,
        caption=(
            "Minimum glucose right after injecting N cells into the NP (all alive) per disc; "
            "dotted: the supportable number of extra cells (glucose reaches the threshold)."
        ),
    )
    sec.add_table("disc_scenarios", scen_df, caption="Every scenario at the end of follow-up.")
    sec.add_table("disc_steady", steady_df, caption="Steady state of each disc (resident cells).")
    sec.add_table("disc_capacity", cap_df, caption="Supportable NP cell density of each disc.")
    grades = tuple(sorted({s.grade for s in opts.scenarios if s.grade}, key=GRADES.index))
    if grades:
        sec.add_table(
            "disc_presets",
            preset_table(grades),
            caption=(
                "Pfirrmann-grade presets used: every value with its source (or the assumption "
                "made where no source gives it) and the glucose diffusivity a water content "
                "implies (Mackie-Meares)."
            ),
        )
    if opts.thresholds:
        ctx.step("disc model: published threshold targets (T2, T3)")
        base = params_for(None, **opts.parameters)
        thr = threshold_table(base, h=opts.mesh_mm)
        sec.add_table(
            "disc_thresholds",
            thr,
            caption=(
                "Published critical levels (papers' numbers, from their abstracts) beside this "
                "model's (healthy disc; cell death starts where the minimum glucose or pH "
                "reaches its threshold)."
            ),
        )
        sec.add_text(
            "Published thresholds: "
            + "; ".join(
                f"{r['target']}: paper {float(r['paper_value']) * 100:.0f} %, model "
                f"{float(r['model_value']) * 100:.0f} %"
                for r in thr.to_dict("records")
            )
            + ". The model reproduces the trends (death starts as the endplate closes; cutting "
            "both routes is worse than the endplate route, which is worse than the annulus "
            "route) but not the numbers: the papers' own parameter tables were not available "
            "(abstracts only), and this model differs in disc height (10 mm), cell densities "
            "(abaqusIVD's AF and endplate are denser than the NP) and endplate/annulus glucose "
            "(4 / 5 mM); Zhu et al. also let cell density, GAG and water change as cells die. "
            "The README lists how each of these parameters moves the numbers."
        )
    sec.add_table(
        "disc_viability_daily", daily_df, caption="Daily values per scenario.", show=False
    )
    sec.add_table("disc_endplate_curves", curves, caption="Endplate sweeps.", show=False)
    f0 = maps[0][1]
    sec.add_method(
        "disc.reaction_diffusion",
        np_radius=f"{p0.np_radius_mm:g}",
        radius=f"{p0.radius_mm:g}",
        cep_thickness=f"{p0.cep_thickness_mm:g}",
        cep_radius=f"{p0.cep_radius_mm:g}",
        boundary=(
            f"pO2 {p0.cep_o2_kpa:g} / {p0.af_o2_kpa:g} kPa, glucose {p0.cep_glucose_mm:g} / "
            f"{p0.af_glucose_mm:g} mM, lactate {p0.cep_lactate_mm:g} / {p0.af_lactate_mm:g} mM "
            "at endplate / annulus"
        ),
        ph_intercept=f"{p0.ph_intercept:g}",
        ph_slope=f"{p0.ph_lactate_slope_mm:g}",
        g_th=f"{g_th:g}",
        alpha0=f"{p0.glucose_death_rate_per_day:g}",
        k=f"{p0.glucose_death_k_mm:g}",
        ph_th=f"{p0.ph_threshold:g}",
        ph_rate=f"{p0.ph_death_rate_per_day:g}",
        mesh_cells=f0.mesh.n_cells,
        mesh_mm=f"{opts.mesh_mm:g}",
        mesh_change=float(
            max(steady_df["mesh_change_pct"].max(), scen_df["mesh_change_pct"].max())
        ),
        days=opts.days,
        presets=(
            "; ".join(preset_summary(g) for g in grades)
            if grades
            else "none (healthy adult defaults)"
        ),
    )
    return {"scenarios": scen_df, "steady": steady_df, "capacity": cap_df, "daily": daily_df}
