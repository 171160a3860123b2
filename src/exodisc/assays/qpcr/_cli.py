"""``exodisc qpcr EXPORT``: relative quantification of one export from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, cast

import typer

__all__ = ["parse_efficiencies", "qpcr", "register"]

#: Output columns of ``exodisc qpcr`` (the issue's contract), in order.
OUTPUT_COLUMNS = [
    "sample",
    "target",
    "ct_mean",
    "delta_ct",
    "delta_delta_ct",
    "rq",
    "rq_min",
    "rq_max",
    "flags",
]


def parse_efficiencies(items: list[str] | None) -> dict[str, float]:
    """``["SOX9=1.95", "ACAN=97%"]`` → ``{"SOX9": 1.95, "ACAN": 1.97}``.

    A value ending in ``%`` is an efficiency in percent (E = 1 + %/100).
    """
    out: dict[str, float] = {}
    for item in items or []:
        target, sep, value = item.partition("=")
        if not sep or not target.strip() or not value.strip():
            msg = f"--efficiency expects TARGET=E (e.g. SOX9=1.95 or SOX9=97%), got {item!r}"
            raise typer.BadParameter(msg)
        text = value.strip()
        try:
            e = 1 + float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            msg = f"--efficiency {item!r}: {text!r} is not a number"
            raise typer.BadParameter(msg) from None
        out[target.strip()] = e
    return out


def qpcr(
    export: Annotated[
        Path, typer.Argument(help="qPCR export (QuantStudio/7500/CFX/RDML/long table).")
    ],
    reference: Annotated[
        str, typer.Option("--reference", help="Reference gene(s), comma-separated.")
    ],
    calibrator: Annotated[
        str,
        typer.Option(
            "--calibrator",
            help="Calibrator sample (RQ = 1); with --study a group id is accepted too.",
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output TSV.")],
    efficiency: Annotated[
        list[str] | None,
        typer.Option(
            "--efficiency",
            help="TARGET=E (2 = 100 %) or TARGET=95%, repeatable; or 'standard_curve': each "
            "target's E from the export's own STANDARD wells (Pfaffl).",
        ),
    ] = None,
    study: Annotated[
        Path | None,
        typer.Option("--study", help="Study file: sample names map to study samples/groups."),
    ] = None,
    undetermined: Annotated[
        str, typer.Option(help="Undetermined Ct: exclude, cycle_limit or not_detected.")
    ] = "exclude",
    cycle_limit: Annotated[float, typer.Option(help="Ct used for Undetermined wells.")] = 40.0,
    sd_max: Annotated[float, typer.Option(help="Flag replicate SD above (cycles).")] = 0.3,
    range_max: Annotated[float, typer.Option(help="Flag replicate range above.")] = 0.5,
    confidence: Annotated[
        float | None,
        typer.Option(
            help="Confidence of rq_min/rq_max. Default: the level the export states or, for "
            "a Design & Analysis export, the level it was analysed at (recovered from its RQ "
            "sheet); else QuantStudio's default 0.95.",
        ),
    ] = None,
    interval: Annotated[
        str,
        typer.Option(
            "--interval",
            help="ΔCt error of rq_min/rq_max: auto (paired where target and reference share "
            "wells, as QuantStudio), paired or unpaired.",
        ),
    ] = "auto",
    format: Annotated[str, typer.Option("--format", help="Reader; default: sniffed.")] = "auto",
) -> None:
    """Relative quantification (2^-ΔΔCt, or Pfaffl with --efficiency) of one export.

    rq_min / rq_max follow QuantStudio Design & Analysis: 2^-(ΔΔCt ± t·SE) at --confidence,
    SE and df from per-well ΔCt (n − 1 df) where target and reference share wells, else
    from both genes' replicate SEs (n_target + n_ref − 2 df). Without --confidence the
    level is the export's own (stated, or recovered from a Design & Analysis RQ sheet),
    else 0.95; the level used and its source are printed.

    Writes one row per sample and target: sample, target, ct_mean, delta_ct,
    delta_delta_ct, rq, rq_min, rq_max, flags (and group, with --study).
    """
    import numpy as np

    from exodisc.assays.qpcr import relative_quantification, resolve_confidence
    from exodisc.errors import DesignError, naming_files
    from exodisc.io.qpcr import read_qpcr

    policies = ("exclude", "cycle_limit", "not_detected")
    if undetermined not in policies:
        msg = f"--undetermined must be one of {', '.join(policies)}, got {undetermined!r}"
        raise typer.BadParameter(msg)
    from exodisc.io import formats as input_formats

    formats = ("auto", *input_formats("qpcr"))
    if format not in formats:
        msg = f"--format must be one of {', '.join(formats)}, got {format!r}"
        raise typer.BadParameter(msg)
    if confidence is not None and not 0 < confidence < 1:
        raise typer.BadParameter(f"--confidence must be between 0 and 1, got {confidence!r}")
    refs = [r.strip() for r in reference.split(",") if r.strip()]
    if not refs:
        raise typer.BadParameter("--reference needs at least one target name")
    if interval not in ("auto", "paired", "unpaired"):
        msg = f"--interval must be one of auto, paired, unpaired, got {interval!r}"
        raise typer.BadParameter(msg)
    from_curves = [e.strip() for e in efficiency or []] == ["standard_curve"]
    if not from_curves and any(e.strip() == "standard_curve" for e in efficiency or []):
        msg = "--efficiency standard_curve cannot be combined with TARGET=E values"
        raise typer.BadParameter(msg)
    eff = {} if from_curves else parse_efficiencies(efficiency)
    run = read_qpcr(export, format=format)  # type: ignore[arg-type]
    with naming_files(export, study):  # errors name the export (and the study file)
        wells = run.wells
        level = resolve_confidence([run], confidence)
        if from_curves:
            from exodisc.assays.qpcr._stdcurve import curve_efficiencies

            eff = curve_efficiencies(wells, source=export)
        groups: dict[str, str] = {}
        cal: str | list[str] = calibrator
        if study is not None:
            from exodisc.assays.qpcr._run import _map_samples
            from exodisc.config import load_study

            st = load_study(study)
            wells = _map_samples(wells, st, [export])
            groups = {s.id: s.group for s in st.samples}
            if calibrator in st.group_ids:
                cal = sorted(s for s, g in groups.items() if g == calibrator)
                cal = [s for s in cal if s in set(wells["sample"])]
                if not cal:
                    raise DesignError(f"calibrator group {calibrator!r} has no samples in {export}")
        pol = cast(Literal["exclude", "cycle_limit", "not_detected"], undetermined)  # checked above
        res = relative_quantification(
            wells,
            reference=refs,
            calibrator=cal,
            efficiency=eff or None,
            undetermined=pol,
            cycle_limit=cycle_limit,
            sd_max=sd_max,
            range_max=range_max,
            confidence=level.level,
            interval=interval,  # type: ignore[arg-type]
        )
    table = res.table[OUTPUT_COLUMNS].copy()
    if groups:
        table.insert(1, "group", table["sample"].map(groups))
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, sep="\t", index=False, na_rep="NA", float_format="%.10g")
    n_rq = int(np.isfinite(table["rq"]).sum())
    if from_curves:
        used = ", ".join(f"{t} {e:.4f}" for t, e in sorted(eff.items()))
        typer.echo(f"efficiencies from the export's standard curves: {used}")
    typer.echo(f"rq_min/rq_max at {level.text}")
    typer.echo(
        f"{out}: {len(table)} rows ({n_rq} with RQ); {len(res.dropped)} well(s) left out"
        + (
            f", NTC contamination in {res.params['ntc_contaminated_targets']}"
            if res.params["ntc_contaminated_targets"]
            else ""
        )
    )


def register(app: typer.Typer) -> None:
    """Add ``exodisc qpcr`` to the command line."""
    app.command("qpcr")(qpcr)
