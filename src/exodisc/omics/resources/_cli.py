"""``exodisc resources list|fetch|import``: the versioned, checksummed resource cache."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``resources`` command group."""
    res = typer.Typer(
        name="resources",
        help="Gene sets and annotation: list the catalogue and cache, fetch, import.",
        no_args_is_help=True,
    )

    @res.command("list")
    def list_cmd() -> None:
        """List the catalogue and cached resources (name, version, installed, sha256)."""
        from exodisc.omics.resources._manager import cache_dir, list_resources

        table = list_resources()
        typer.echo(f"cache: {cache_dir()}")
        for row in table.to_dict("records"):
            mark = "installed" if row["installed"] else "-"
            version = str(row["version"]).split(";")[0]
            typer.echo(
                f"{row['name']!s:<18} {version:<10} {row['kind']!s:<9} {mark:<10} "
                f"{str(row['sha256'])[:12]}  {row['licence']}"
            )

    @res.command("fetch")
    def fetch_cmd(
        name: Annotated[str, typer.Argument(help="Catalogue name (see 'resources list').")],
        mirror: Annotated[
            str | None,
            typer.Option("--mirror", help="Base URL of a mirror holding the same file."),
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Download again.")] = False,
    ) -> None:
        """Download NAME into the cache, checking its sha256 (then it works offline)."""
        from exodisc.omics.resources._manager import fetch

        rec = fetch(name, mirror=mirror, force=force)
        typer.echo(f"{rec.name} {rec.version}: {rec.path} (sha256 {rec.sha256})")

    @res.command("import")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="Local file (GMT, OBO, GAF, table).")],
        as_name: Annotated[str, typer.Option("--as", help="Resource name to use it by.")],
        version: Annotated[str, typer.Option("--version", help="Version label.")] = "local",
        kind: Annotated[
            Literal["gmt", "obo", "gaf", "go_table", "table", "id_map"] | None,
            typer.Option("--kind", help="Format (default: from the file name)."),
        ] = None,
        licence: Annotated[str, typer.Option("--licence", help="Licence / terms.")] = "unknown",
    ) -> None:
        """Copy FILE into the cache as a resource (checked, checksummed, offline)."""
        from exodisc.omics.resources._manager import import_file

        rec = import_file(file, name=as_name, version=version, kind=kind, licence=licence)
        typer.echo(f"{rec.name} {rec.version}: {rec.path} (sha256 {rec.sha256})")

    app.add_typer(res)
