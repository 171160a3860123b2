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
        help="Gene sets and annotation: list what is shipped and cached, verify, fetch, import.",
        no_args_is_help=True,
    )

    @res.command("list")
    def list_cmd() -> None:
        """List shipped, downloadable and cached resources: installed, version, licence, size,
        sha256."""
        from exodisc.omics.resources._manager import SHIPPED_DIR, cache_dir, list_resources

        table = list_resources()
        typer.echo(f"shipped: {SHIPPED_DIR}")
        typer.echo(f"cache:   {cache_dir()}")
        typer.echo(
            f"{'name':<20} {'installed':<10} {'origin':<9} {'version':<24} {'size':>9}  "
            f"{'sha256':<12}  licence"
        )
        for row in table.to_dict("records"):
            mark = "yes" if row["installed"] else "no"
            version = str(row["version"]).split(";")[0]
            size = f"{int(row['bytes']) / 1e6:.2f} MB" if row["bytes"] else "-"
            typer.echo(
                f"{row['name']!s:<20} {mark:<10} {row['origin'] or '-'!s:<9} {version:<24} "
                f"{size:>9}  {str(row['sha256'])[:12] or '-':<12}  {row['licence']}"
            )

    @res.command("verify")
    def verify_cmd() -> None:
        """Re-compute the sha256 of every shipped and cached resource (exit 1 on a mismatch)."""
        from exodisc.omics.resources._manager import verify_resources

        table = verify_resources()
        bad = 0
        for row in table.to_dict("records"):
            state = "ok" if row["ok"] else ("MISSING" if not row["found"] else "MISMATCH")
            bad += not row["ok"]
            typer.echo(f"{state:<8} {row['name']!s:<20} {row['origin']!s:<9} {row['path']}")
        typer.echo(f"{len(table) - bad} of {len(table)} resource file(s) match their sha256")
        if bad:
            raise typer.Exit(1)

    @res.command("fetch")
    def fetch_cmd(
        name: Annotated[str, typer.Argument(help="Catalogue name (see 'resources list').")],
        mirror: Annotated[
            str | None,
            typer.Option("--mirror", help="Base URL of a mirror holding the same file."),
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Download again.")] = False,
    ) -> None:
        """Download NAME into the user cache, checking its sha256 (then it works offline)."""
        from exodisc.omics.resources._manager import fetch

        rec = fetch(name, mirror=mirror, force=force)
        how = "shipped with exodisc, nothing to download" if rec.origin == "shipped" else "cached"
        typer.echo(f"{rec.name} {rec.version} ({how}): {rec.path} (sha256 {rec.sha256})")

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
