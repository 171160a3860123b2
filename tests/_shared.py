"""Where the real public test data comes from: tests/data, and ../shared/data when present.

Used by tests/conftest.py (the ``shared_data`` fixture) and by the few test modules that need
files whose licence does not allow shipping them (``tests/data/WITHHELD.tsv``): such a module
calls :func:`skip_module_unless_shared` at import, so a bare clone reports it once, as one
skip naming the source and the reason, while every test in it runs where ``../shared`` is.
A ``path#rows`` line of that table withholds only some rows of a file: tests/data holds the
rest, and a test that needs the full file takes it with :func:`shared_only`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: Real public test data that travels with the repository (see tests/data/PROVENANCE.md).
DATA = REPO / "tests" / "data"


def no_shared() -> bool:
    """``EXODISC_NO_SHARED=1`` hides ``../shared``: the suite runs as on a bare clone."""
    return os.environ.get("EXODISC_NO_SHARED", "").strip().lower() in ("1", "true", "yes")


def find_shared() -> Path | None:
    """The workplace's ``shared`` folder (with ``data/``), or None on a bare clone."""
    if no_shared():
        return None
    env = os.environ.get("EXODISC_SHARED")
    candidates = [Path(env)] if env else []
    # ../shared beside the checkout; also beside any folder above it (git worktrees nest)
    candidates += [REPO / "shared", *(parent / "shared" for parent in REPO.parents)]
    for c in candidates:
        if (c / "data").is_dir():
            return c
    return None


def withheld() -> dict[str, str]:
    """Path prefixes (relative to the data folder) kept out of tests/data, with the reason."""
    table = DATA / "WITHHELD.tsv"
    if not table.is_file():
        return {}
    rows = [line.split("\t", 1) for line in table.read_text().splitlines()[1:] if line.strip()]
    return {path: reason for path, reason in rows}


def _where() -> str:
    return "hidden (EXODISC_NO_SHARED=1)" if no_shared() else "not beside the checkout"


def shared_only(entry: str) -> Path:
    """The full ``../shared/data`` file of a ``path#rows`` line of ``tests/data/WITHHELD.tsv``.

    tests/data's copy of that file lacks the withheld rows (and the ``shared_data`` fixture
    prefers tests/data's copy); a test that needs them calls this, and is skipped, naming the
    rows and the reason, where ``../shared`` is absent (a bare clone).
    """
    table = withheld()
    if entry not in table or "#" not in entry:  # a typo must not silently skip a test
        raise KeyError(f"{entry!r} is not a 'path#rows' line of {DATA / 'WITHHELD.tsv'}")
    path = entry.split("#", 1)[0]
    shared = find_shared()
    full = shared / "data" / path if shared is not None else None
    if full is None or not full.is_file():
        pytest.skip(
            f"needs the full {path} from ../shared/data ({_where()}); tests/data's copy lacks "
            f"{entry.split('#', 1)[1]} rows: {table[entry]}"
        )
    return full


def skip_module_unless_shared(*prefixes: str) -> None:
    """Skip the calling test module, once, unless every withheld ``prefix`` is readable.

    Each prefix must be listed in ``tests/data/WITHHELD.tsv``; the skip names each missing
    one with the reason it is not shipped. Call at module level, before the tests.
    """
    table = withheld()
    unknown = [p for p in prefixes if p not in table]
    if unknown:  # a typo must not silently skip a module
        raise KeyError(f"{unknown} not listed in {DATA / 'WITHHELD.tsv'}")
    shared = find_shared()
    missing = [
        p for p in prefixes if shared is None or not (shared / "data" / p.split("#")[0]).exists()
    ]
    if missing:
        where = _where()
        module = sys._getframe(1).f_globals.get("__file__", "")
        module = os.path.relpath(module, REPO) if module else "this module"
        pytest.skip(
            f"{module}, every test: needs {', '.join(missing)} from ../shared/data ({where}), "
            "not shipped in "
            f"tests/data: " + "; ".join(f"{p}: {table[p]}" for p in missing),
            allow_module_level=True,
        )
