"""``exodisc stats compare``: group comparisons of a CSV/TSV table from the command line."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


class _Test(StrEnum):
    anova = "anova"
    welch_anova = "welch_anova"
    kruskal = "kruskal"
    rm_anova = "rm_anova"
    t_student = "t_student"
    t_welch = "t_welch"
    t_paired = "t_paired"
    mann_whitney = "mann_whitney"
    wilcoxon = "wilcoxon"


class _Posthoc(StrEnum):
    bonferroni = "bonferroni"
    bonferroni_t = "bonferroni-t"
    tukey = "tukey"
    dunnett = "dunnett"
    sidak = "sidak"
    holm = "holm"
    games_howell = "games-howell"
    dunn = "dunn"
    none = "none"


#: post-hoc test used when --posthoc is not given (stated in --help)
_DEFAULT_POSTHOC = {"welch_anova": "games_howell", "kruskal": "dunn"}


def _read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    from exodisc.errors import InputFormatError
    from exodisc.io import missing_file

    if not path.is_file():
        raise missing_file(path)
    sep = "\t" if path.suffix.lower() in {".tsv", ".txt", ".tab"} else ","
    try:
        table = pd.read_csv(path, sep=sep)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"cannot be read as a {'TSV' if sep == chr(9) else 'CSV'} table ({exc})"
        raise InputFormatError(msg, path=path) from None
    return table


def compare(
    data: Annotated[Path, typer.Argument(help="Tidy CSV (or .tsv) table, one row per replicate.")],
    value: Annotated[str, typer.Option("--value", help="Column of the measured value.")],
    group: Annotated[str, typer.Option("--group", help="Column of the group.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Pairs table (TSV) to write.")],
    subject: Annotated[
        str | None, typer.Option("--subject", help="Donor/subject column (paired tests).")
    ] = None,
    test: Annotated[_Test, typer.Option("--test", help="Omnibus test.")] = _Test.anova,
    posthoc: Annotated[
        _Posthoc | None,
        typer.Option(
            "--posthoc",
            help="Post-hoc test (default: bonferroni as SPSS; games-howell after "
            "welch_anova; dunn after kruskal).",
        ),
    ] = None,
    control: Annotated[
        str | None,
        typer.Option("--control", help="Compare every group with this one only (else all pairs)."),
    ] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level.")] = 0.05,
    omnibus: Annotated[
        Path | None, typer.Option("--omnibus", help="Also write the omnibus test (TSV).")
    ] = None,
) -> None:
    """Compare groups; write one row per compared pair.

    Columns: group1, group2, mean_diff, p_value (unadjusted), p_adj, mark, and more.
    """
    from exodisc.errors import ExodiscError, naming_files
    from exodisc.stats import compare_groups

    try:
        with naming_files(data):  # every error names the table
            table = _read_table(data)
            if group in table.columns:
                table[group] = table[group].astype(str)
            chosen = (
                posthoc.value.replace("-", "_") if posthoc else _DEFAULT_POSTHOC.get(test.value)
            )
            comparisons = None
            if control is not None:
                levels = [str(g) for g in table[group].dropna().unique()] if group in table else []
                if control not in levels:
                    typer.echo(
                        f"error: {data}: --control {control!r} is not a level of column {group!r} "
                        f"(levels: {levels})",
                        err=True,
                    )
                    raise typer.Exit(2)
                comparisons = [(g, control, "*") for g in levels if g != control]
            result = compare_groups(
                table,
                value=value,
                group=group,
                subject=subject,
                comparisons=comparisons,
                test=test.value,
                posthoc=(chosen or "bonferroni"),  # type: ignore[arg-type]
                alpha=alpha,
            )
    except ExodiscError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    result.pairs.to_csv(out, sep="\t", index=False)
    if omnibus is not None:
        omnibus.parent.mkdir(parents=True, exist_ok=True)
        result.omnibus.to_csv(omnibus, sep="\t", index=False)
    for w in result.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(result.recommendation, err=True)


def register(app: typer.Typer) -> None:
    """Add the ``stats`` command group to the ``exodisc`` command line."""
    stats_app = typer.Typer(
        name="stats", help="Group-comparison statistics on tidy tables.", no_args_is_help=True
    )
    stats_app.command("compare")(compare)
    app.add_typer(stats_app, name="stats")
