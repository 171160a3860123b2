"""Fixtures for the knowledge tests: a small study shaped like the demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.config import Study


@pytest.fixture
def demo_like_study(tmp_path: Path) -> Study:
    return Study.model_validate(
        {
            "title": "test",
            "groups": [
                {"id": "ctrl", "label": "Control", "role": "control"},
                {"id": "il1b", "label": "IL-1β", "role": "model"},
                {"id": "usc", "label": "IL-1β + USC", "role": "treatment"},
                {"id": "usc_gw", "label": "IL-1β + USC + GW4869", "role": "inhibitor"},
                {"id": "exo", "label": "IL-1β + USC-exo", "role": "treatment"},
            ],
            "replicates": 3,
            "base_dir": tmp_path,
        }
    )
