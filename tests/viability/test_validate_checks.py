"""``exodisc validate`` finds what ``exodisc run`` of a cck8 assay would refuse, all at once."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.config import validate_study_file


def _edit(src: Path, folder: Path, change) -> Path:  # type: ignore[no-untyped-def]
    yaml = YAML(typ="rt")
    doc = yaml.load(src.read_text(encoding="utf-8"))
    change(doc)
    out = folder / "study_edited.yaml"
    with out.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    return out


def test_the_example_cck8_study_is_valid(cck8_study: Path) -> None:
    assert validate_study_file(cck8_study) == []


def test_cross_checks_list_every_problem(cck8_study: Path) -> None:
    folder = cck8_study.parent
    layout = folder / "raw" / "cck8" / "cck8_layout.csv"
    bad_layout = folder / "raw" / "cck8" / "bad_layout.csv"
    text = layout.read_text(encoding="utf-8")
    bad_layout.write_text(text.replace("ctrl_1", "ctrl_9", 1), encoding="utf-8")

    def change(doc) -> None:  # type: ignore[no-untyped-def]
        for g in doc["groups"]:
            g.pop("role", None)
        a = doc["assays"][0]
        a["layout"] = "raw/cck8/bad_layout.csv"
        a["options"]["plate_times_h"] = {"Plate 0": 0, "P24h": 24, "Plate 48h": 48, "P72h": 72}
        a["options"]["wavelength"] = "405"

    study = _edit(cck8_study, folder, change)
    problems = {p.key: p.message for p in validate_study_file(study)}
    assert "no control group: set options.control" in problems["assays[0].options.control"]
    assert "'Plate 0' -> 'Plate 0h'" in problems["assays[0].options.plate_times_h"]
    assert "read '405' is not in the files" in problems["assays[0].options.wavelength"]
    assert "ctrl_9" in problems["assays[0].layout"]
    res = CliRunner().invoke(app, ["validate", str(study)])
    assert res.exit_code != 0
    for key in ("options.control", "options.plate_times_h", "options.wavelength", "layout"):
        assert f"assays[0].{key}" in res.output
