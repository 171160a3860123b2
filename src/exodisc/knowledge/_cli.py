"""``exodisc knowledge ...``: query the curated knowledge from the command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import pandas as pd
import typer

__all__ = ["register"]


class _Format(StrEnum):
    table = "table"
    tsv = "tsv"
    json = "json"


class _By(StrEnum):
    any = "any"
    rna = "rna"
    target = "target"
    pathway = "pathway"
    effect = "effect"
    strategy = "strategy"
    finding = "finding"


class _Table(StrEnum):
    cargo = "cargo"
    strategies = "strategies"
    findings = "findings"
    discrepancies = "discrepancies"


def _emit(frame: pd.DataFrame, fmt: _Format, title: str) -> None:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, tuple)).any():
            frame[col] = frame[col].map(
                lambda v: ";".join(map(str, v)) if isinstance(v, tuple) else v
            )
    if fmt is _Format.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if fmt is _Format.tsv:
        sys.stdout.write(frame.to_csv(sep="\t", index=False, lineterminator="\n"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    for col in frame.columns:
        table.add_column(str(col), overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if pd.isna(v) else str(v) for v in row))
    Console(width=220, soft_wrap=False).print(table)


def register(app: typer.Typer) -> None:
    """Add the ``knowledge`` command group to the ``exodisc`` command line."""
    kapp = typer.Typer(
        name="knowledge",
        help="Curated knowledge from the review: exosomal RNA cargo, strategies, seed findings.",
        no_args_is_help=True,
    )

    @kapp.command("search")
    def search_cmd(
        term: str = typer.Argument(..., help="RNA (miR-199a), HGNC symbol, pathway, strategy …"),
        by: _By = typer.Option(_By.any, "--by", help="Which fields to search."),
        fmt: _Format = typer.Option(_Format.table, "--format", help="Output format."),
        wide: bool = typer.Option(False, "--wide", help="Table: keep the long note column."),
    ) -> None:
        """Search by RNA, target, pathway, effect or strategy."""
        from exodisc.knowledge import search

        try:
            hits = search(term, by=by.value)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        if hits.empty:
            typer.echo(f"no curated entry matches {term!r} (searched: {by.value})", err=True)
            raise typer.Exit(1)
        if fmt is _Format.table and not wide:
            hits = hits.drop(columns=["note"])
        _emit(hits, fmt, f"Curated knowledge: {term}")

    @kapp.command("list")
    def list_cmd(
        table: _Table = typer.Argument(_Table.cargo, help="Which table."),
        fmt: _Format = typer.Option(_Format.tsv, "--format", help="Output format."),
    ) -> None:
        """Print one curated table (cargo, strategies, findings, discrepancies)."""
        from exodisc.knowledge import load_knowledge

        kb = load_knowledge()
        _emit(kb.table(table.value), fmt, f"{table.value} (knowledge v{kb.version})")

    app.add_typer(kapp, name="knowledge")
