"""Fixtures of the flow cytometry tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REF = Path(__file__).resolve().parents[1] / "reference" / "flow_quadrants"


@pytest.fixture(scope="session")
def flow_ref() -> Path:
    """tests/reference/flow_quadrants (FCS fixtures + R outputs)."""
    return REF


@pytest.fixture(scope="session")
def flow_shared(shared_data: Path) -> Path:
    """../shared/data/flow_cytometry; skips where it is absent."""
    d = shared_data / "flow_cytometry"
    if not d.is_dir():
        pytest.skip(f"{d} is absent")
    return d
