"""The command line: ``exodisc run | validate | demo | --version`` plus each area's commands."""

from exodisc.cli._app import app, main

__all__ = ["app", "main"]
