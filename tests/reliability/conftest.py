"""Fixtures of the reliability tests: a tiny study folder using the foundation test assay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import tests.foundation._plugin  # noqa: F401  (registers the 'testing_values' assay kind)

STUDY = """\
title: Reliability test study
seed: 1
groups:
  - {id: ctrl, label: Control, role: control}
  - {id: il1b, label: IL-1b, role: model}
replicates: 3
assays:
  - id: viab
    kind: testing_values
    title: Viability
    files: [raw/values.csv]
"""

VALUES = """\
sample,value
ctrl_1,100
ctrl_2,96
ctrl_3,104
il1b_1,51
il1b_2,58
il1b_3,47
"""


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """``tmp_path/study`` with ``study.yaml`` and ``raw/values.csv``."""
    folder = tmp_path / "study"
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "values.csv").write_text(VALUES, encoding="utf-8")
    (folder / "study.yaml").write_text(STUDY, encoding="utf-8")
    return folder


@pytest.fixture
def checksums() -> Callable[[Path], dict[str, bytes]]:
    """Every file below a folder with its content."""

    def digest(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    return digest
