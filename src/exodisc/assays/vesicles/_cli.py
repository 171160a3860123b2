"""``exodisc nta FILE... [--dilution D] -o OUT.tsv``: one summary row per NTA export."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``nta`` command to the ``exodisc`` command line."""

    @app.command("nta")
    def nta_cmd(
        files: list[Path] = typer.Argument(
            ..., help="NanoSight ExperimentSummary CSV(.gz) or ZetaView size .txt files."
        ),
        dilution: float | None = typer.Option(
            None,
            "--dilution",
            help="Dilution factor of the measured suspension (e.g. 200); "
            "default: the one the software recorded.",
        ),
        out: Path = typer.Option(..., "-o", "--out", help="Output TSV (one row per file)."),
    ) -> None:
        """Summarise NTA exports: concentration (dilution-corrected) and size statistics."""
        import math

        import pandas as pd

        from exodisc.assays.vesicles._nta import CLI_COLUMNS, summarise_nta
        from exodisc.errors import ExodiscError
        from exodisc.io.nta import read_nta

        if dilution is not None and not (dilution > 0 and math.isfinite(dilution)):
            typer.echo(f"error: --dilution must be a positive number, got {dilution:g}", err=True)
            raise typer.Exit(2)
        given = {p.resolve() for p in files}
        rows, refused = [], 0
        for path in files:
            if path.stem.endswith("_11pos"):
                main = path.with_name(path.name.replace("_11pos", ""))
                if main.resolve() in given:
                    typer.echo(f"note: {path.name} is read with {main.name}", err=True)
                    continue
            try:
                summary = summarise_nta(read_nta(path), dilution=dilution)
            except ExodiscError as exc:
                refused += 1
                typer.echo(f"error: {exc}", err=True)
                continue
            for w in summary.warnings:
                typer.echo(f"warning: {path.name}: {w}", err=True)
            rows.append({k: summary.row[k] for k in CLI_COLUMNS})
        if refused:  # a failed command writes nothing
            typer.echo(f"{refused} file(s) could not be read; {out} was not written", err=True)
            raise typer.Exit(1)
        frame = pd.DataFrame(rows, columns=CLI_COLUMNS)
        out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(out, sep="\t", index=False, na_rep="", lineterminator="\n")
        typer.echo(f"{len(frame)} row(s) written to {out}")
