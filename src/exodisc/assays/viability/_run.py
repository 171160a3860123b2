"""The ``cck8`` assay kind inside ``exodisc run``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from exodisc.registry import AssayContext, register_assay, register_check

if TYPE_CHECKING:
    import pandas as pd

    from exodisc.assays.viability._cck8 import Cck8Result
    from exodisc.config import Study


class Cck8Options(BaseModel):
    """Options of a ``cck8`` assay in the study file (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["gen5", "softmax", "skanit", "magellan", "icontrol", "grid"] | None = Field(
        default=None, description="Export format of every file; default: sniffed per file."
    )
    times_h: list[FiniteFloat] | None = Field(
        default=None, description="Hours of each file (one plate per file), in file order."
    )
    plate_times_h: dict[str, FiniteFloat] | None = Field(
        default=None, description="Hours of each plate, by the plate name in the export."
    )
    wavelength: str = "450"
    reference_wavelength: str | None = Field(
        default=None, description="Reference read (e.g. '650') subtracted well by well."
    )
    control: str | None = Field(default=None, description="Default: the group with role control.")
    blank_labels: list[str] = Field(default_factory=lambda: ["blank", "background"])
    linear_max: float = Field(default=3.0, gt=0)
    outlier_z: float = Field(default=3.5, gt=0)
    exclude_outliers: bool = False
    max_cv_pct: float = Field(default=15.0, gt=0, description="Flag replicates above this CV.")
    value: Literal["viability_pct", "od_corrected"] = Field(
        default="viability_pct", description="What the statistics and bars compare."
    )
    bar_time_h: float | None = Field(default=None, description="Time of the bar plot (last).")


def load_cck8_reads(
    files: list[Path], options: Cck8Options
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Read every export and give each plate its time; return reads and ``{plate: hours}``."""
    import pandas as pd

    from exodisc.errors import DesignError
    from exodisc.io.plate import read_plate

    frames = []
    times: dict[str, float] = {}
    seen: set[str] = set()
    if options.times_h is not None and len(options.times_h) != len(files):
        msg = f"options.times_h has {len(options.times_h)} values for {len(files)} files"
        raise DesignError(msg)
    for k, f in enumerate(files):
        pr = read_plate(f, format=options.format)
        t = pr.table.copy()
        if options.times_h is not None:
            if len(pr.plates) != 1:
                msg = (
                    f"{f}: {len(pr.plates)} plates in one file; give options.plate_times_h "
                    "(plate name -> hours) instead of times_h"
                )
                raise DesignError(msg)
            t["plate"] = f"{f.name}:{pr.plates[0]}"
            times[f"{f.name}:{pr.plates[0]}"] = options.times_h[k]
        else:
            for p in pr.plates:
                if p in seen:
                    msg = f"{f}: plate name {p!r} occurs in several files; use options.times_h"
                    raise DesignError(msg)
                if options.plate_times_h is not None and p in options.plate_times_h:
                    times[p] = options.plate_times_h[p]
                seen.add(p)
        frames.append(t)
    given = options.plate_times_h or {}
    if options.times_h is None and (unknown := [p for p in given if p not in seen]):
        import difflib

        hints = []
        for p in unknown:
            close = difflib.get_close_matches(p, sorted(seen - set(times)), n=1, cutoff=0.5)
            if close:
                hints.append(f"{p!r} -> {close[0]!r}")
        msg = (
            f"options.plate_times_h gives {dict(given)}, but plate(s) {unknown} are not in the "
            f"files; the files hold plate(s) {sorted(seen)}"
            + (f" (did you mean {', '.join(hints)}?)" if hints else "")
        )
        raise DesignError(msg)
    return pd.concat(frames, ignore_index=True), times


@register_check("cck8")
def check_cck8(study: Study, assay: Any, options: Cck8Options) -> list[tuple[str, str]]:
    """What ``exodisc run`` would refuse, found by ``exodisc validate``: control group,
    plate names vs ``plate_times_h``, a time point for every plate, the reads present, kinetic
    reads, layout labels and blank wells."""
    from exodisc.assays.viability._cck8 import _classify, kinetic_message, no_time_message
    from exodisc.errors import ExodiscError, naming_files
    from exodisc.io.plate import read_layout

    out: list[tuple[str, str]] = []
    groups = list(study.group_ids)
    control = options.control or next((g.id for g in study.groups if g.role == "control"), None)
    if control is None:
        out.append(
            (
                "options.control",
                f"no control group: set options.control (one of {groups}) or 'role: control' "
                "on one group",
            )
        )
    elif control not in groups:
        out.append(("options.control", f"control group {control!r} is not one of {groups}"))
    files = [study.resolve(f) for f in assay.files]
    reads = None
    times: dict[str, float] = {}
    times_ok = True
    try:
        reads, times = load_cck8_reads(files, options)
    except ExodiscError as exc:
        out.append(("options.plate_times_h" if "plate_times_h" in str(exc) else "files", str(exc)))
        times_ok = False
        if "plate_times_h" in str(exc):  # the reads themselves are fine: check them too
            reads, _ = load_cck8_reads(files, options.model_copy(update={"plate_times_h": None}))
    if reads is not None:
        present = sorted(map(str, reads["read"].unique()))
        for key, wl in (
            ("wavelength", options.wavelength),
            ("reference_wavelength", options.reference_wavelength),
        ):
            if wl is not None and wl not in present:
                out.append((f"options.{key}", f"read {wl!r} is not in the files; reads: {present}"))
        if kinetic := kinetic_message(reads):
            out.append(("files", kinetic))
    if assay.layout is None:
        out.append(
            ("layout", "a cck8 assay needs a 'layout' (a layout file or a mapping well -> sample)")
        )
        return out
    src = assay.layout if isinstance(assay.layout, dict) else study.resolve(assay.layout)
    try:
        with naming_files(None if isinstance(src, dict) else src):
            wells = _classify(read_layout(src), study, {b.lower() for b in options.blank_labels})
    except ExodiscError as exc:
        out.append(("layout", str(exc)))
        return out
    if not (wells["kind"] == "blank").any():
        plates_ = list(dict.fromkeys(reads["plate"])) if reads is not None else ["every plate"]
        msg = (
            f"plate(s) {plates_} have no blank wells (labels {sorted(options.blank_labels)}): "
            "the layout names none"
        )
        out.append(("layout", msg))
    if reads is not None and times_ok:
        plates = list(dict.fromkeys(reads["plate"]))
        no_time = [p for p in plates if p not in times]
        if wells.loc[wells["kind"] == "sample", "well_time_h"].isna().any() and no_time:
            key = "options.times_h" if options.times_h is not None else "options.plate_times_h"
            out.append((key, no_time_message(no_time, times)))
    return out


def analyse_study_cck8(study: Study, assay_id: str | None = None) -> Cck8Result:
    """Run the CCK-8 analysis of one ``cck8`` assay of a study (the first one by default)."""
    from exodisc.errors import DesignError

    assays = [a for a in study.assays if a.kind == "cck8" and assay_id in (None, a.id)]
    if not assays:
        msg = f"the study has no cck8 assay{f' with id {assay_id!r}' if assay_id else ''}"
        raise DesignError(msg)
    assay = assays[0]
    options = Cck8Options.model_validate(assay.options)
    return _analyse(study, assay.files, assay.layout, options)


def _analyse(study: Study, files: list[Path], layout_src: Any, options: Cck8Options) -> Cck8Result:
    from exodisc.assays.viability._cck8 import analyse_cck8
    from exodisc.errors import DesignError, naming_files
    from exodisc.io.plate import read_layout

    if layout_src is None:
        msg = "a cck8 assay needs a 'layout' (a layout file or a mapping well -> sample)"
        raise DesignError(msg)
    src = layout_src if isinstance(layout_src, dict) else study.resolve(layout_src)
    layout = read_layout(src)
    paths = [study.resolve(f) for f in files]
    reads, times = load_cck8_reads(paths, options)
    with naming_files(None if isinstance(src, dict) else src, *paths):  # the layout first
        return analyse_cck8(
            reads,
            layout,
            study,
            times_h=times,
            wavelength=options.wavelength,
            reference_wavelength=options.reference_wavelength,
            control=options.control,
            blank_labels=options.blank_labels,
            linear_max=options.linear_max,
            outlier_z=options.outlier_z,
            exclude_outliers=options.exclude_outliers,
        )


@register_assay(
    "cck8", title="Cell viability (CCK-8)", options=Cck8Options, produces=("group_comparisons",)
)
def run(ctx: AssayContext) -> Cck8Result:
    """CCK-8 viability time course: blank-corrected OD, viability %, AUC, statistics."""
    from exodisc.assays.viability._report import report_cck8

    ctx.step("CCK-8: reading plates")
    result = _analyse(ctx.study, ctx.assay.files, ctx.assay.layout, ctx.options)
    ctx.step("CCK-8: statistics and figures")
    report_cck8(ctx, result)
    return result
