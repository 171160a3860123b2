"""The study-file reference is generated from the models and current; templates and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.config import StatisticsConfig, load_study, study_reference
from exodisc.errors import StudyFileError

REPO = Path(__file__).resolve().parents[2]


def test_committed_reference_is_current() -> None:
    committed = (REPO / "docs" / "study-file.md").read_text(encoding="utf-8")
    assert committed == study_reference(), (
        "docs/study-file.md is out of date: run `make docs` "
        "(exodisc reference -o docs/study-file.md)"
    )


def test_reference_lists_every_key_and_assay_kind() -> None:
    from exodisc.config import Study
    from exodisc.registry import assay_kinds

    text = study_reference()
    for name, field in Study.model_fields.items():
        if not field.exclude:
            assert f"| `{name}` |" in text
    for kind, spec in assay_kinds().items():
        if not spec.run.__module__.startswith("exodisc."):
            continue
        assert f"### `{kind}`" in text
        for option in spec.options_model.model_fields:
            assert f"| `{option}` |" in text, (kind, option)
    # allowed values come from the Literal types, defaults from the models
    assert "`games_howell`" in text and "`ci95`" in text
    assert "| `replicates` | integer (optional) | `null` | ≥ 1 |" in text


def test_readme_points_to_the_reference() -> None:
    assert "docs/study-file.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    study = tmp_path / "study.yaml"
    study.write_text(
        "title: x\ngroups:\n  - {id: a, label: A, rloe: control}\nreplicats: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(StudyFileError) as info:
        load_study(study)
    text = str(info.value)
    assert "line 4: replicats: unknown key (did you mean 'replicates'?" in text
    assert "groups[0].rloe: unknown key (did you mean 'role'?" in text
    # the allowed keys of that level are listed
    assert "allowed here: color, description, id, label, order, role" in text


def test_unknown_option_key_suggests_from_the_kind_model(tmp_path: Path) -> None:
    study = tmp_path / "study.yaml"
    study.write_text(
        "title: x\ngroups:\n  - {id: a, label: A}\nreplicates: 3\nassays:\n"
        "  - {id: k, kind: knowledge, options: {}}\n",
        encoding="utf-8",
    )
    load_study(study)  # valid as written
    from exodisc.registry import assay_kinds

    kind, spec = next(
        (k, s) for k, s in sorted(assay_kinds().items()) if s.options_model.model_fields
    )
    option = next(iter(spec.options_model.model_fields))
    typo = option[:-1] + ("x" if option[-1] != "x" else "y")
    study.write_text(
        f"title: x\ngroups:\n  - {{id: a, label: A}}\nreplicates: 3\nassays:\n"
        f"  - {{id: k, kind: {kind}, options: {{{typo}: 1}}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(StudyFileError) as info:
        load_study(study)
    assert f"did you mean {option!r}?" in str(info.value)


@pytest.mark.parametrize(
    ("given", "field", "expected"),
    [
        ("games-howell", "posthoc", "games_howell"),
        ("bonferroni-t", "posthoc", "bonferroni_t"),
        ("welch-anova", "test", "welch_anova"),
        ("Games_Howell", "posthoc", "games_howell"),
    ],
)
def test_command_line_spellings_are_accepted(given: str, field: str, expected: str) -> None:
    assert getattr(StatisticsConfig.model_validate({field: given}), field) == expected


@pytest.mark.slow
def test_demo_study_is_a_commented_template_without_anchors(demo_out: Path) -> None:
    text = (demo_out / "study" / "study.yaml").read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text, "YAML anchors make a poor template"
    lines = text.splitlines()
    for key in ("groups", "samples", "comparisons", "thresholds", "statistics", "assays"):
        at = lines.index(f"{key}:")
        assert lines[at - 1].startswith("# "), f"block {key!r} has no comment above it"
    # each assay entry is introduced by a comment naming its kind's title
    assay_starts = [i for i, line in enumerate(lines) if line.startswith("- id:") and i > at]
    assert assay_starts
    for i in assay_starts:
        assert lines[i - 1].lstrip().startswith("# "), lines[i]
    load_study(demo_out / "study" / "study.yaml")
