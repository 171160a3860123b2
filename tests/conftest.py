"""Shared fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from tests._shared import DATA, REPO  # noqa: F401  (REPO: used by other conftests)
from tests._shared import find_shared as _find_shared
from tests._shared import withheld as _withheld


def _merged_view(shared: Path | None, out: Path) -> Path:
    """A folder of symlinks: every file of ``shared``, replaced by tests/data's copy where one
    exists (same relative path), so a test sees one tree and prefers what travels with us.

    Without ``shared`` (a bare clone), the folders of withheld files exist but are empty, so
    a test that looks for them is seen doing so (and reported as skipped, with the reason).
    """
    for src_root in (shared, DATA):
        if src_root is None:
            continue
        for f in src_root.rglob("*"):
            if f.is_dir():
                continue
            target = out / f.relative_to(src_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            target.symlink_to(f.resolve())
    if shared is None:
        for prefix in _withheld():
            (out / prefix.rstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            if prefix.endswith("/"):
                (out / prefix).mkdir(parents=True, exist_ok=True)
        _VIEW.append(str(out) + os.sep)
    return out


@pytest.fixture(scope="session")
def shared_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real public test data: ``tests/data`` overlaid on ``../shared/data``.

    A file present in ``tests/data`` (same path relative to the data folder) is used from
    there; other files come from ``../shared/data``. With ``EXODISC_NO_SHARED=1``, or where
    ``../shared`` is not beside the checkout, only ``tests/data`` is seen (a bare clone): a
    test that needs a withheld file (``tests/data/WITHHELD.tsv``) is reported as skipped with
    the reason.
    """
    shared = _find_shared()
    return _merged_view(shared / "data" if shared else None, tmp_path_factory.mktemp("data"))


# --- bare clone: a test that touches a withheld file is skipped, saying why -------------------
_TOUCHED: list[str] = []
_SKIP_REASON: dict[int, tuple[BaseException, str]] = {}  # keeps the error alive
_VIEW: list[str] = []  # the bare-clone data folder, once made


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in ("open", "os.scandir", "os.listdir") and args and _VIEW:
        path = str(args[0])
        if path.startswith(_VIEW[0]):
            _TOUCHED.append(path[len(_VIEW[0]) :])


if _find_shared() is None and _withheld():
    sys.addaudithook(_audit)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reads the real public data (``-m shared_data`` selects them: the
    tests whose inputs differ between a bare clone and a checkout with ../shared)."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _TOUCHED.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or call.excinfo is None or _find_shared() is not None:
        return
    exc = call.excinfo.value
    known = _SKIP_REASON.get(id(exc))  # a scoped fixture re-raising the same error
    reason = known[1] if known is not None and known[0] is exc else None
    if reason is None:
        # what the test opened or listed, and what its error names (a reader that checks
        # is_file() first raises without opening anything)
        seen = [*_TOUCHED, *(str(exc).split(_VIEW[0])[1:] if _VIEW else [])]
        hits = {
            prefix: why
            for prefix, why in _withheld().items()
            for touched in seen
            if touched.startswith(prefix.rstrip("/"))
        }
        if not hits:
            return
        reason = "; ".join(
            f"needs {p} from ../shared/data, not in tests/data: {w}" for p, w in hits.items()
        )
        _SKIP_REASON[id(exc)] = (exc, reason)
    rep.outcome = "skipped"
    rep.longrepr = (str(item.path), (item.location[1] or 0) + 1, f"Skipped: {reason}")


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
