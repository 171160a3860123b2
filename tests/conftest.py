"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path | None:
    env = os.environ.get("EXODISC_SHARED")
    candidates = [Path(env)] if env else []
    # ../shared beside the checkout; also beside any folder above it (git worktrees nest)
    candidates += [REPO / "shared", *(parent / "shared" for parent in REPO.parents)]
    for c in candidates:
        if (c / "data").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (real public data); skips, saying why, where it is absent."""
    shared = _find_shared()
    if shared is None:
        pytest.skip(
            "../shared/data (real public test data) is not beside this checkout; "
            "set EXODISC_SHARED to its folder to run this test"
        )
    return shared / "data"


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in example study, written and run once per test session (``exodisc demo``)."""
    from typer.testing import CliRunner

    from exodisc.cli import app

    out = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(app, ["demo", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out.absolute() / "results/report.html")
    return out
