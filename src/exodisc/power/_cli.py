"""``exodisc power STUDY.yaml -o OUT`` and ``exodisc power compare DATA.csv ... -o OUT.tsv``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

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


_DEFAULT_POSTHOC = {"welch_anova": "games_howell", "kruskal": "dunn"}


class _StudyOrCommand(TyperGroup):
    """``exodisc power STUDY.yaml`` runs the ``study`` command; ``compare`` stays a command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["study", *args]
        return super().parse_args(ctx, args)


def study(
    study_file: Annotated[Path, typer.Argument(help="The study file (YAML).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder to create.")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Plan the next experiment for the whole study: every assay is analysed and a
    'Planning the next experiment' section (kind: power) is added when the study has none."""
    import tempfile

    import yaml

    from exodisc.config import load_study
    from exodisc.pipeline import run_study

    s = load_study(study_file)
    path = study_file
    tmp = None
    if not any(a.kind == "power" for a in s.assays):
        raw = yaml.safe_load(study_file.read_text(encoding="utf-8"))
        raw.setdefault("assays", []).append({"id": "power", "kind": "power"})
        # beside the study file, so that its relative paths resolve; removed afterwards
        fd, name = tempfile.mkstemp(suffix=".yaml", dir=study_file.parent, prefix=".power_")
        with open(fd, "w", encoding="utf-8") as fh:
            yaml.safe_dump(raw, fh, sort_keys=False, allow_unicode=True)
        tmp = Path(name)
        path = tmp
    try:
        report = run_study(
            path,
            out,
            force=force,
            show_progress=not quiet,
            parameters={"command": "power", "study": str(study_file), "out": str(out)},
        )
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    typer.echo(str(report))


def _read_table(path: Path) -> Any:
    import pandas as pd

    from exodisc.errors import InputFormatError

    if not path.is_file():
        raise InputFormatError("no such file", path=path)
    sep = "\t" if path.suffix.lower() in {".tsv", ".txt", ".tab"} else ","
    try:
        return pd.read_csv(path, sep=sep)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"cannot be read as a {'TSV' if sep == chr(9) else 'CSV'} table ({exc})"
        raise InputFormatError(msg, path=path) from None


def compare(
    out: Annotated[Path, typer.Option("-o", "--out", help="Plan table (TSV) to write.")],
    data: Annotated[
        Path | None,
        typer.Argument(help="Tidy CSV/TSV, one row per replicate (omit with --effect --sd --n)."),
    ] = None,
    value: Annotated[str | None, typer.Option("--value", help="Column of the value.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Column of the group.")] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Donor column (paired tests).")
    ] = None,
    test: Annotated[_Test, typer.Option("--test", help="Test the study uses.")] = _Test.anova,
    posthoc: Annotated[
        _Posthoc | None,
        typer.Option(
            "--posthoc",
            help="Post-hoc test (default bonferroni; games-howell after "
            "welch_anova; dunn after kruskal).",
        ),
    ] = None,
    control: Annotated[
        str | None, typer.Option("--control", help="Compare every group with this one only.")
    ] = None,
    effect: Annotated[
        float | None,
        typer.Option("--effect", help="Minimal effect (difference in the value's units)."),
    ] = None,
    sd: Annotated[float | None, typer.Option("--sd", help="SD to plan with.")] = None,
    n: Annotated[
        int | None, typer.Option("--n", help="Current n per group (planning from numbers).")
    ] = None,
    alpha: Annotated[
        float, typer.Option("--alpha", help="Per-family level (Bonferroni plan: α / m).")
    ] = 0.05,
    power: Annotated[float, typer.Option("--power", help="Target power.")] = 0.8,
    n_sim: Annotated[int, typer.Option("--n-sim", help="Simulated studies (sim. tests).")] = (
        10_000
    ),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulations.")] = 0,
) -> None:
    """Power at the current n and n per group for --power, one row per compared pair.

    Columns: group1, group2, effect, effect_ci_low, effect_ci_high, sd, n_current,
    power_current, n_for_power, n_for_power_ci_low, n_for_power_ci_high, method.
    """
    import pandas as pd

    from exodisc.errors import DesignError, ExodiscError
    from exodisc.power._plan import plan_comparisons, plan_from_comparison
    from exodisc.stats import compare_groups

    chosen = posthoc.value.replace("-", "_") if posthoc else _DEFAULT_POSTHOC.get(test.value)
    ph = chosen or "bonferroni"
    try:
        if data is None:
            if effect is None or sd is None or n is None:
                msg = "without DATA give --effect, --sd and --n (planning from numbers alone)"
                raise DesignError(msg)
            desc = pd.DataFrame(
                {"group": ["group1", "group2"], "n": [n, n], "mean": [effect, 0.0],
                 "sd": [sd, sd]}
            )  # fmt: skip
            pairs = pd.DataFrame(
                {"group1": ["group1"], "group2": ["group2"], "mean_diff": [effect],
                 "ci_low": [effect], "ci_high": [effect], "se": [sd / n**0.5], "n1": [n]}
            )  # fmt: skip
            plan = plan_comparisons(
                desc, pairs, test=test.value, posthoc=ph, alpha=alpha, power=(power,),
                effect=effect, sd=sd, n_sim=n_sim, seed=seed,
            )  # fmt: skip
        else:
            if value is None or group is None:
                msg = "give --value and --group with DATA"
                raise DesignError(msg)
            table = _read_table(data)
            if group in table.columns:
                table[group] = table[group].astype(str)
            comparisons = None
            if control is not None:
                levels = [str(g) for g in table[group].dropna().unique()] if group in table else []
                if control not in levels:
                    msg = f"--control {control!r} is not a level of column {group!r} ({levels})"
                    raise DesignError(msg)
                comparisons = [(g, control, "*") for g in levels if g != control]
            result = compare_groups(
                table, value=value, group=group, subject=subject, comparisons=comparisons,
                test=test.value, posthoc=ph, alpha=alpha,  # type: ignore[arg-type]
            )  # fmt: skip
            plan = plan_from_comparison(
                result, power=(power,), effect=effect, sd=sd, n_sim=n_sim, seed=seed
            )
    except (ExodiscError, ValueError) as exc:
        typer.echo(f"error: {data or 'numbers'}: {exc}", err=True)
        raise typer.Exit(getattr(exc, "exit_code", 2)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    plan.table.to_csv(out, sep="\t", index=False)
    typer.echo(str(out))


def register(app: typer.Typer) -> None:
    """Add the ``power`` command group to the ``exodisc`` command line."""
    power_app = typer.Typer(
        name="power",
        cls=_StudyOrCommand,
        no_args_is_help=True,
        help="Power and sample size: 'exodisc power STUDY.yaml -o OUT' for the whole study, "
        "'exodisc power compare DATA.csv ...' for one table.",
    )
    power_app.command("study")(study)
    power_app.command("compare")(compare)
    app.add_typer(power_app, name="power")
