"""The ``exodisc`` command line (Typer)."""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from exodisc._version import __version__
from exodisc.cli._index import OPTION_HELP, ROOT_HELP
from exodisc.errors import ExodiscError

__all__ = ["app", "main"]

# Typer vendors click; its usage errors derive from ClickException, reached without a private
# import through the public BadParameter class.
_CLICK_EXCEPTION: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[list[int]]:
    """Handle SIGTERM like Ctrl-C (KeyboardInterrupt), so staging folders are cleaned up."""
    received: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield received
        return
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


class _ErrorsAsMessages(TyperGroup):
    """Turn exodisc errors into one clear message and an exit code (traceback with --debug).

    Each area's commands are loaded on first use (see :mod:`exodisc.cli._index`): the
    top-level ``--help`` lists them from the index, so it imports none of them.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        from exodisc.cli._index import COMMANDS

        names = super().list_commands(ctx)
        return names + [n for n in COMMANDS if n not in names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            return cmd
        from exodisc.cli._index import COMMANDS

        if cmd_name not in COMMANDS:
            return None
        # a stand-in that only describes the command (the help listing); running it loads it
        return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from exodisc.cli._index import COMMANDS

        name = args[0] if args else None
        if name is not None and name not in self.commands:
            if name in COMMANDS:
                _load_plugin(self, COMMANDS[name][0])
            else:  # unknown: load everything, so that "did you mean" sees every command
                for module_name in dict.fromkeys(m for m, _ in COMMANDS.values()):
                    _load_plugin(self, module_name)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with _sigterm_as_interrupt() as received:
            return self._invoke(ctx, received)

    def _invoke(self, ctx: Any, received: list[int]) -> Any:
        try:
            return super().invoke(ctx)
        except ExodiscError as exc:
            if ctx.meta.get("exodisc.debug"):
                raise
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, _CLICK_EXCEPTION):
            raise
        except KeyboardInterrupt:
            name = "terminated (SIGTERM)" if received else "interrupted"
            typer.echo(f"{name}; no output was written, an existing one is unchanged", err=True)
            raise typer.Exit(143 if received else 130) from None
        except Exception as exc:
            if ctx.meta.get("exodisc.debug"):
                raise
            filename = getattr(exc, "filename", None)
            if isinstance(exc, OSError) and filename:  # a folder given for a file, permissions …
                from exodisc.io import as_input_error

                err = as_input_error(exc, Path(filename))
                if err is not None:
                    typer.echo(f"error: {err}", err=True)
                    raise typer.Exit(err.exit_code) from None
            typer.echo(
                f"error: {type(exc).__name__}: {exc}\n(an unexpected error; run with --debug "
                "for the traceback and report it)",
                err=True,
            )
            raise typer.Exit(3) from None


app = typer.Typer(
    name="exodisc",
    cls=_ErrorsAsMessages,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help=ROOT_HELP,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exodisc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=OPTION_HELP["--version"]),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help=OPTION_HELP["--debug"])] = False,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            metavar="NAME=N",
            help=OPTION_HELP["--limit"],
        ),
    ] = None,
) -> None:
    ctx.meta["exodisc.debug"] = debug
    if limit:
        from exodisc.config import get_limits, set_limits, use_limits

        values: dict[str, int] = {}
        for item in limit:
            name, _, value = item.partition("=")
            try:
                values[name.strip()] = int(float(value))
            except ValueError:
                msg = f"expected NAME=NUMBER, got {item!r}"
                raise typer.BadParameter(msg, param_hint="--limit") from None
        previous = get_limits()
        try:
            set_limits(**values)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--limit") from None
        ctx.call_on_close(lambda: use_limits(previous))


@app.command()
def run(
    study: Annotated[Path, typer.Argument(help="The study file (YAML).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder to create.")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Analyse every assay of STUDY and write tables, figures, report.html and provenance."""
    from exodisc.pipeline import run_study

    report = run_study(
        study,
        out,
        force=force,
        show_progress=not quiet,
        parameters={"command": "run", "study": str(study), "out": str(out), "force": force},
    )
    typer.echo(str(report))


@app.command()
def validate(
    study: Annotated[Path, typer.Argument(help="The study file (YAML).")],
) -> None:
    """Check STUDY and list every problem at once (exit 2 when there are any)."""
    from exodisc.config import load_study

    s = load_study(study)
    typer.echo(
        f"{study}: valid — {len(s.groups)} groups, {len(s.samples)} samples, "
        f"{len(s.comparisons)} comparisons, {len(s.assays)} assays"
    )


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Folder for the example study and its results.")
    ] = Path("exodisc-demo"),
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    no_run: Annotated[
        bool, typer.Option("--no-run", help="Only write the example study folder.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Write the built-in example study (simulated raw files + study.yaml) to OUT and run it."""
    from exodisc.demo import build_demo
    from exodisc.pipeline import run_study

    study_file = build_demo(out, force=force)
    typer.echo(f"example study: {study_file}", err=True)
    if no_run:
        typer.echo(str(study_file))
        return
    report = run_study(
        study_file,
        out / "results",
        force=True,
        show_progress=not quiet,
        parameters={"command": "demo", "out": str(out)},
    )
    typer.echo(str(report))


def _register(module_name: str, target: typer.Typer) -> None:
    module = importlib.import_module(module_name)
    register = getattr(module, "register", None)
    if register is None:
        msg = f"{module_name} must define register(app)"
        raise RuntimeError(msg)
    register(target)


def _load_plugin(group: TyperGroup, module_name: str) -> None:
    """Import one area's ``_cli`` module and add the commands it registers to ``group``."""
    staging = typer.Typer()
    _register(module_name, staging)
    for name, cmd in typer.main.get_group(staging).commands.items():
        group.add_command(cmd, name)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="exodisc")
    sys.exit(0)
