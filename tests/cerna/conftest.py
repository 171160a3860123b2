"""Fixtures of the ceRNA tests: the cerna part of the example study, built once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def build_cerna_demo(folder: Path) -> Any:
    """Write only the cerna demo files + a study.yaml naming them; return the parsed study."""
    from exodisc.config import load_study, parse_study
    from exodisc.demo._build import DEMO_SEED, _write_yaml, demo_design
    from exodisc.omics.cerna._demo import simulate
    from exodisc.registry import DemoContext

    design = demo_design()
    study = parse_study(design, path=folder / "study.yaml")
    ctx = DemoContext(folder=folder, study=study, seed=DEMO_SEED)
    _write_yaml({**design, "assays": simulate(ctx)}, folder / "study.yaml")
    return load_study(folder / "study.yaml")


@pytest.fixture(scope="module")
def cerna_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Path]:
    """(study, results by assay id, folder) of the cerna demo analysed by ``analyse``."""
    from exodisc.pipeline import analyse

    folder = tmp_path_factory.mktemp("cerna_demo")
    study = build_cerna_demo(folder)
    report, results = analyse(study)
    return study, results, folder, report
