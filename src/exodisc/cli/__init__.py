"""The command line: ``exodisc run | validate | demo | --version`` plus each area's commands.

Importing this package is cheap: the Typer application is built on first use of :data:`app`,
each area's commands are imported when run (:mod:`exodisc.cli._index`), and ``exodisc
--version`` and ``exodisc --help`` answer without building it.
"""

from __future__ import annotations

import sys

__all__ = ["app", "main"]


def __getattr__(name: str) -> object:
    if name == "app":
        from exodisc.cli._app import app

        return app
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def main() -> None:
    """Console-script entry point (``exodisc``)."""
    if sys.argv[1:] == ["--version"]:  # answered before Typer and the plugins are imported
        from exodisc._version import __version__

        print(f"exodisc {__version__}")
        sys.exit(0)
    if sys.argv[1:] == ["--help"]:  # the command list comes from the index: nothing imported
        import shutil

        from exodisc.cli._index import render_help

        print(render_help(min(shutil.get_terminal_size().columns, 100)))
        sys.exit(0)
    from exodisc.cli._app import main as _main

    _main()
