"""``exodisc reference [-o FILE]``: the study-file reference, generated from the models."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``reference`` command to the ``exodisc`` command line."""

    @app.command("reference")
    def reference_cmd(
        out: Path | None = typer.Option(
            None, "-o", "--out", help="Write the Markdown here (default: standard output)."
        ),
    ) -> None:
        """Print the study-file reference: every key, its type, default and allowed values."""
        from exodisc.config._reference import study_reference

        text = study_reference()
        if out is None:
            typer.echo(text, nl=False)
            return
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        typer.echo(str(out), err=True)
