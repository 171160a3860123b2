"""The package never reads the workplace's ../shared: what a user installs is all it needs.

This is what makes ``make test-bare`` (``-m "shared_data or slow"`` with ../shared hidden) an
exact bare-clone check: only tests that take the ``shared_data`` fixture see ../shared at all.
"""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "exodisc"


def test_no_module_looks_for_shared_data() -> None:
    offenders = [
        str(p.relative_to(SRC))
        for p in sorted(SRC.rglob("*.py"))
        if any(
            s in p.read_text(encoding="utf-8")
            for s in ("EXODISC_SHARED", '"shared"', "shared/data")
        )
    ]
    assert offenders == []
