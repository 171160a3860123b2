"""A small study with the demo design and this area's simulated raw files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

GROUPS = [
    {"id": "ctrl", "label": "Control", "role": "control"},
    {"id": "il1b", "label": "IL-1β", "role": "model"},
    {"id": "usc", "label": "IL-1β + USC", "role": "treatment"},
    {"id": "usc_gw", "label": "IL-1β + USC + GW4869", "role": "inhibitor"},
    {"id": "exo", "label": "IL-1β + USC-Exos", "role": "treatment"},
]
COMPARISONS = [
    {"test": "il1b", "reference": "ctrl", "mark": "*"},
    {"test": "usc", "reference": "il1b", "mark": "#"},
    {"test": "usc_gw", "reference": "il1b", "mark": "#"},
    {"test": "exo", "reference": "il1b", "mark": "#"},
    {"test": "usc_gw", "reference": "usc", "mark": "&"},
]


def design() -> dict[str, Any]:
    samples = [
        {"id": f"{g['id']}_{r}", "group": g["id"], "replicate": r, "donor": f"D{r}"}
        for g in GROUPS
        for r in (1, 2, 3)
    ]
    return {
        "title": "test study",
        "simulated": True,
        "seed": 1,
        "groups": GROUPS,
        "samples": samples,
        "comparisons": COMPARISONS,
    }


def write_study(folder: Path, simulators: list[str]) -> Path:
    """Run this area's simulators into ``folder`` and write ``study.yaml``; return its path."""
    from ruamel.yaml import YAML

    from exodisc.config import parse_study
    from exodisc.registry import DemoContext, demo_simulators

    d = design()
    study = parse_study(d, path=folder / "study.yaml")
    ctx = DemoContext(folder=folder, study=study)
    assays: list[dict[str, Any]] = []
    for spec in demo_simulators():
        if spec.name in simulators:
            assays += spec.simulate(ctx)
    yaml = YAML(typ="rt")
    with (folder / "study.yaml").open("w", encoding="utf-8") as fh:
        yaml.dump({**d, "assays": assays}, fh)
    return folder / "study.yaml"


@pytest.fixture(scope="session")
def cck8_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_study(tmp_path_factory.mktemp("cck8"), ["cck8"])
