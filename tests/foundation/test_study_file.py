"""The study file: each broken file gets its problems listed with key path, line, expectation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exodisc.config import load_study, validate_study_file
from exodisc.errors import StudyFileError
from tests.foundation.conftest import GOOD


def test_good_study_loads(make_study):
    study = load_study(make_study())
    assert study.group_ids == ["ctrl", "il1b", "exo"]
    assert [s.id for s in study.samples][:3] == ["ctrl_1", "ctrl_2", "ctrl_3"]
    assert len(study.samples) == 9
    assert study.mark_legend() == {"*": "Control", "#": "IL-1β"}
    # relative paths resolve against the study file's folder
    assert study.resolve(study.assays[0].files[0]) == make_study().parent / "values.csv"
    assert study.resolve(study.assays[0].files[0]).exists()


def test_all_pairs_when_no_comparisons_declared(make_study):
    declared = (
        '  - {test: il1b, reference: ctrl, mark: "*"}\n'
        '  - {test: exo, reference: il1b, mark: "#"}\n'
    )
    text = GOOD.replace(declared, "").replace("comparisons:\n", "comparisons: []\n")
    study = load_study(make_study(text))
    pairs = [(c.test, c.reference) for c in study.comparisons_or_all_pairs()]
    assert pairs == [("il1b", "ctrl"), ("exo", "ctrl"), ("exo", "il1b")]


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# (study text, regex every one of which must appear in the message)
BROKEN = {
    "unknown top-level key": (_edit("seed: 1", "sed: 1"), [r"line 2: sed: unknown key"]),
    "unknown group key": (
        _edit("{id: ctrl, label: Control, role: control}", "{id: ctrl, lable: Control}"),
        [r"groups\[0\]\.lable: unknown key", r"groups\[0\]\.label: required key is missing"],
    ),
    "bad role": (
        _edit("role: model", "role: disease"),
        [r"groups\[1\]\.role: Input should be 'control', 'model'.*found 'disease'"],
    ),
    "bad colour": (
        _edit("role: treatment}", "role: treatment, color: teal}"),
        [r"groups\[2\]\.color: 'teal' is not a hex colour"],
    ),
    "duplicate group": (
        _edit("{id: exo, label: IL-1β + Exo", "{id: il1b, label: IL-1β + Exo"),
        [r"groups\[2\]\.id: duplicate group id 'il1b'"],
    ),
    "comparison with unknown group": (
        _edit("{test: exo, reference: il1b", "{test: exos, reference: il1b"),
        [r"comparisons\[1\]\.test: unknown group 'exos'; expected one of 'ctrl', 'il1b', 'exo'"],
    ),
    "mark reused for another reference": (
        _edit('reference: il1b, mark: "#"', 'reference: il1b, mark: "*"'),
        [r"mark '\*' already means 'vs ctrl'"],
    ),
    "bad mark": (
        _edit('mark: "#"', "mark: ab"),
        [r"mark must be one non-alphanumeric character"],
    ),
    "self comparison": (
        _edit("{test: exo, reference: il1b", "{test: exo, reference: exo"),
        [r"comparisons\[1\]: a group cannot be compared with itself"],
    ),
    "alpha out of range": (
        _edit("alpha: 0.05", "alpha: 5"),
        [r"thresholds\.alpha: Input should be less than 1 \(found 5\)"],
    ),
    "fdr not a number": (
        _edit("fdr: 0.05", "fdr: low"),
        [r"thresholds\.fdr: Input should be a valid number"],
    ),
    "replicates zero": (
        _edit("replicates: 3", "replicates: 0"),
        [r"replicates: Input should be greater than or equal to 1"],
    ),
    "unknown assay kind": (
        _edit("kind: testing_values", "kind: elisa"),
        [r"assays\[0\]\.kind: unknown assay kind 'elisa'; expected one of .*testing_values"],
    ),
    "missing input file": (
        _edit("files: [values.csv]", "files: [missing.csv]"),
        [r"assays\[0\]\.files\[0\]: file not found: .*missing\.csv"],
    ),
    "unknown assay option": (
        _edit('options: {unit: "%"}', 'options: {unit: "%", colum: v}'),
        [r"assays\[0\]\.options\.colum: unknown key"],
    ),
    "bad assay option value": (
        _edit('options: {unit: "%"}', "options: {fail: sometimes}"),
        [r"assays\[0\]\.options\.fail: Input should be 'no', 'error' or 'interrupt'"],
    ),
    "missing title": (GOOD.replace("title: Test study\n", ""), [r"title: required key is missing"]),
    "no groups": (
        re.sub(r"groups:\n(  - .*\n)+", "groups: []\n", GOOD),
        [r"groups: List should have at least 1 item"],
    ),
    "duplicate YAML key": (
        _edit("seed: 1", "seed: 1\nseed: 2"),
        [r"not valid YAML: .*duplicate key", r"line 3"],
    ),
    "YAML syntax": (_edit("seed: 1", "seed: [1"), [r"not valid YAML"]),
    "not a mapping": ("- just\n- a list\n", [r"expected a mapping of keys, found list"]),
    "empty file": ("", [r"expected a mapping of keys, found an empty file"]),
    "both replicates and samples": (
        _edit(
            "replicates: 3",
            "replicates: 3\nsamples:\n  - {id: s1, group: ctrl, replicate: 1}",
        ),
        [r"replicates: give either 'replicates' or an explicit 'samples' list"],
    ),
    "sample in unknown group": (
        _edit("replicates: 3", "samples:\n  - {id: s1, group: ctl, replicate: 1}"),
        [r"samples\[0\]\.group: unknown group 'ctl'"],
    ),
    "paired without donors": (
        _edit("replicates: 3", "paired: true\nsamples:\n  - {id: s1, group: ctrl, replicate: 1}"),
        [r"samples\[0\]: paired design: every sample needs a 'donor'"],
    ),
    "empty samples list": (
        _edit("replicates: 3", "samples: []"),
        [r"samples: the list is empty; list the samples, or give 'replicates: N'"],
    ),
    "empty assays list": (
        GOOD[: GOOD.index("assays:")] + "assays: []\n",
        [r"assays: the list is empty: nothing to analyse; add at least one assay \(.*qpcr"],
    ),
    "duplicate assay id": (
        GOOD + "  - id: viab\n    kind: testing_values\n    files: [values.csv]\n",
        [r"assays\[1\]\.id: duplicate assay id 'viab'"],
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_study_files(make_study, name):
    text, patterns = BROKEN[name]
    path = make_study(text)
    with pytest.raises(StudyFileError) as info:
        load_study(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
    assert info.value.exit_code == 2


def test_five_mistakes_are_all_listed_with_lines(make_study):
    text = (
        GOOD.replace("seed: 1", "sed: 1")
        .replace("role: model", "role: disease")
        .replace("{test: exo, reference: il1b", "{test: exos, reference: il1b")
        .replace("alpha: 0.05", "alpha: 5")
        .replace("files: [values.csv]", "files: [missing.csv]")
    )
    problems = validate_study_file(make_study(text))
    assert len(problems) == 5, problems
    keys = [p.key for p in problems]
    assert keys == [
        "sed",
        "groups[1].role",
        "comparisons[1].test",
        "thresholds.alpha",
        "assays[0].files[0]",
    ]
    assert [p.line for p in problems] == [2, 5, 10, 11, 16]


def test_missing_study_file(tmp_path: Path):
    with pytest.raises(StudyFileError, match="the study file does not exist"):
        load_study(tmp_path / "nope.yaml")


def test_study_models_are_frozen(make_study):
    study = load_study(make_study())
    with pytest.raises(Exception, match="frozen"):
        study.title = "x"  # type: ignore[misc]
