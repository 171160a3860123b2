"""Layers import each other only through public names, and startup stays light."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _private_imports() -> set[tuple[str, str]]:
    """(importing module, imported private module or name) across package boundaries."""
    found = set()
    for f in sorted((SRC / "exodisc").rglob("*.py")):
        parts = f.relative_to(SRC).with_suffix("").parts
        mod = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        pkg = mod if parts[-1] == "__init__" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            targets: list[tuple[str, list[str]]] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets.append((node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                targets += [(a.name, []) for a in node.names]
            for target, names in targets:
                if not target.startswith("exodisc"):
                    continue
                bits = target.split(".")
                private = next((i for i, b in enumerate(bits) if b.startswith("_")), None)
                if private is not None:
                    owner = ".".join(bits[:private])
                elif any(n.startswith("_") for n in names):
                    owner = target
                else:
                    continue
                if owner == "exodisc" or pkg == owner or pkg.startswith(owner + "."):
                    continue
                found.add((mod, target))
    return found


def test_no_module_imports_a_private_name_of_another_package() -> None:
    new = _private_imports()
    assert not new, (
        "import the public name from the owning package instead (add it to its __init__ "
        f"and __all__): {sorted(new)}"
    )


def _imported_modules(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    mods = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mods.add(line.rsplit("|", 1)[-1].strip())
    return mods


def test_version_imports_nothing_heavy() -> None:
    """``exodisc --version`` answers before Typer, pandas, NumPy or the plugins load."""
    code = "import sys; sys.argv = ['exodisc', '--version']\nfrom exodisc.cli import main\nmain()"
    mods = _imported_modules(code)
    assert "exodisc.cli" in mods
    heavy = {"numpy", "pandas", "scipy", "typer", "click", "pydantic", "exodisc.registry"}
    assert not heavy & mods, sorted(heavy & mods)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=False)  # fmt: skip
    assert res.returncode == 0 and res.stdout.startswith("exodisc ")


def test_report_and_core_do_not_import_the_registry_or_plotting() -> None:
    mods = _imported_modules("import exodisc.report, exodisc.core, exodisc.stats")
    assert "exodisc.report" in mods
    assert not {"exodisc.registry", "matplotlib", "exodisc.pl"} & mods


def test_one_spelling_analyse() -> None:
    """British "analyse" in every name and sentence of ours (FlowKit's ``analyze_samples``
    and ImageJ's menu *Analyze* are proper names)."""
    import re

    bad = []
    for f in sorted((SRC / "exodisc").rglob("*.py")):
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"analyz", line) and "analyze_samples" not in line:
                bad.append(f"{f.relative_to(SRC)}:{i}")
    assert not bad, bad


def test_help_imports_nothing_heavy() -> None:
    """``exodisc --help`` lists every command from the index, importing none of them."""
    code = "import sys; sys.argv = ['exodisc', '--help']\nfrom exodisc.cli import main\nmain()"
    mods = _imported_modules(code)
    heavy = {"numpy", "pandas", "scipy", "typer", "click", "rich", "exodisc.registry"}
    assert not heavy & mods, sorted(heavy & mods)


def _registered() -> dict[str, tuple[str, str]]:
    """What each ``_cli`` module's ``register(app)`` really adds: name -> (module, help)."""
    import importlib
    import inspect

    import typer

    from exodisc.registry import cli_modules

    found = {}
    for module_name in cli_modules():
        staging = typer.Typer()
        importlib.import_module(module_name).register(staging)
        for name, cmd in typer.main.get_group(staging).commands.items():
            text = inspect.cleandoc(cmd.help or "").partition("\f")[0].split("\n\n")[0]
            found[name] = (module_name, text.strip())
    return found


def test_command_index_matches_what_the_modules_register() -> None:
    from exodisc.cli._index import COMMANDS

    assert _registered() == COMMANDS, (
        "src/exodisc/cli/_index.py must list every command with its module and the first "
        "paragraph of its help"
    )


def test_plain_help_lists_what_typer_would() -> None:
    import inspect

    import typer
    from typer.testing import CliRunner

    from exodisc.cli import app
    from exodisc.cli._app import demo, run, validate
    from exodisc.cli._index import CORE_COMMANDS, OPTION_HELP, render_help

    for fn in (run, validate, demo):
        assert CORE_COMMANDS[fn.__name__] == inspect.cleandoc(fn.__doc__ or "").split("\n\n")[0]
    group = typer.main.get_command(app)
    ctx = group.make_context("exodisc", ["--debug", "run", "--help"], resilient_parsing=True)
    names = group.list_commands(ctx)
    text = render_help(200)
    listed = [
        line.split()[0]
        for line in text.split("Commands:")[1].splitlines()[1:]
        if line.startswith("  ")
    ]
    assert listed == names
    options = {o for p in group.params for o in p.opts}
    assert options == set(OPTION_HELP) - {"--help"}
    rich = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert rich.exit_code == 0
    for name in names:  # Typer's own page (placeholders for unloaded commands) agrees
        assert f" {name} " in rich.output
