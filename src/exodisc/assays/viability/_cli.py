"""Command line: ``exodisc plate read`` and ``exodisc cck8``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


def _plate_formats() -> list[str]:
    from exodisc.io import formats

    return list(formats("plate"))


_FORMATS = _plate_formats()  # the io format registry's plate formats


def _write(frame: pd.DataFrame, out: Path) -> None:
    from exodisc.report import write_table

    out.parent.mkdir(parents=True, exist_ok=True)
    write_table(frame, out)


def plate_read(
    export: Annotated[Path, typer.Argument(help="A plate-reader export file.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="TSV to write.")],
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"Export format ({', '.join(_FORMATS)}); default: sniffed."),
    ] = None,
) -> None:
    """Read a plate-reader export: one row per well and read (plate, read, well, value, time_s)."""
    from exodisc.io.plate import read_plate

    if format is not None and format not in _FORMATS:
        raise typer.BadParameter(f"{format!r} is not one of {', '.join(_FORMATS)}")
    pr = read_plate(export, format=format)
    _write(pr.table[["plate", "read", "well", "value", "time_s"]], out)
    typer.echo(
        f"{export}: {pr.source.format}, {len(pr.plates)} plate(s), reads {', '.join(pr.reads)}; "
        f"{len(pr.table)} rows -> {out}"
    )


def cck8(
    study: Annotated[Path, typer.Argument(help="The study file (YAML).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="TSV to write.")],
    assay: Annotated[
        str | None, typer.Option("--assay", help="Assay id (default: the first cck8 assay).")
    ] = None,
) -> None:
    """CCK-8 viability per group, replicate and time (group, replicate, time_h, od_corrected,
    viability_pct)."""
    from exodisc.assays.viability._run import analyse_study_cck8
    from exodisc.config import load_study

    result = analyse_study_cck8(load_study(study), assay)
    cols = ["group", "replicate", "time_h", "od_corrected", "viability_pct"]
    _write(result.replicates[cols], out)
    n_out = int(result.wells["outlier"].sum())
    typer.echo(
        f"{len(result.replicates)} replicate x time rows -> {out}"
        + (f" ({n_out} technical outlier well(s) flagged; see exodisc run)" if n_out else "")
    )


def register(app: typer.Typer) -> None:
    """Add ``plate read`` and ``cck8`` to the command line."""
    plate = typer.Typer(name="plate", help="Plate-reader exports.", no_args_is_help=True)
    plate.command("read")(plate_read)
    app.add_typer(plate, name="plate")
    app.command("cck8")(cck8)
