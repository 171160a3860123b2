from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import tests.foundation._plugin  # noqa: F401  (registers the 'testing_values' assay kind)

GOOD = """\
title: Test study
seed: 1
groups:
  - {id: ctrl, label: Control, role: control}
  - {id: il1b, label: IL-1β, role: model}
  - {id: exo, label: IL-1β + Exo, role: treatment}
replicates: 3
comparisons:
  - {test: il1b, reference: ctrl, mark: "*"}
  - {test: exo, reference: il1b, mark: "#"}
thresholds: {alpha: 0.05, log2_fc: 1, fdr: 0.05}
assays:
  - id: viab
    kind: testing_values
    title: Viability
    files: [values.csv]
    options: {unit: "%"}
"""

VALUES = """\
sample,value
ctrl_1,100
ctrl_2,96
ctrl_3,104
il1b_1,51
il1b_2,58
il1b_3,47
exo_1,80
exo_2,86
exo_3,77
"""


@pytest.fixture
def make_study(tmp_path: Path) -> Callable[..., Path]:
    """Write a study folder; ``text`` replaces the study file, ``values`` the CSV."""

    def make(text: str = GOOD, values: str = VALUES, name: str = "study.yaml") -> Path:
        (tmp_path / "values.csv").write_text(values, encoding="utf-8")
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return make
