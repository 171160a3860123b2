"""``exodisc western IMAGE --lanes N ... -o OUT.tsv``: densitometry of one blot image."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

__all__ = ["register"]

OUT_COLUMNS = ["lane", "band", "volume", "background", "saturated_px", "y_top", "y_bottom"]


def western(
    image: Annotated[Path, typer.Argument(help="Blot image: 8/16-bit TIFF (multi-page) or PNG.")],
    lanes: Annotated[int, typer.Option("--lanes", help="Number of lanes (in --box).", min=1)],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output table (TSV).")],
    background: Annotated[
        str,
        typer.Option(
            "--background",
            help="rolling-ball:R (radius px), lane-min (ImageJ straight baseline), "
            "median-box:X0,Y0,X1,Y1 or none.",
        ),
    ] = "rolling-ball:50",
    invert: Annotated[
        Literal["auto", "yes", "no"],
        typer.Option("--invert", help="Invert dark-on-light images (auto detects)."),
    ] = "auto",
    box: Annotated[
        str | None, typer.Option("--box", help="Crop X0,Y0,X1,Y1 in pixels (x1, y1 exclusive).")
    ] = None,
    bands: Annotated[
        str | None,
        typer.Option(
            "--bands", help="Band names top to bottom, comma-separated (e.g. SOX9,GAPDH)."
        ),
    ] = None,
    page: Annotated[int, typer.Option("--page", help="Page of a multi-page TIFF (0-based).")] = 0,
) -> None:
    """Measure band volumes in a blot image: one row per lane and band."""
    from exodisc.assays.western._densitometry import _parse_box, parse_background, quantify_blot
    from exodisc.errors import naming_files
    from exodisc.io.western import read_blot_image

    try:
        bg = parse_background(background)
        crop = _parse_box(box) if box else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    names = [b.strip() for b in bands.split(",") if b.strip()] if bands else None
    img = read_blot_image(image, page=page)
    with naming_files(image):
        res = quantify_blot(img, lanes, box=crop, bands=names, background=bg, invert=invert)
    table = res.table[[*OUT_COLUMNS, "x_left", "x_right"]].sort_values(["lane", "y_top"])
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, sep="\t", index=False)
    for w in res.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(
        f"{len(table)} band(s) in {lanes} lane(s) written to {out} "
        f"(background {bg.label()}, {'inverted' if res.inverted else 'not inverted'})"
    )


def register(app: typer.Typer) -> None:
    """Add ``exodisc western`` to the command line."""
    app.command("western")(western)
