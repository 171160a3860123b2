"""``exodisc validate`` finds what ``exodisc run`` would refuse, for every assay kind (issue 19).

Each test takes the example study (``exodisc demo --no-run``), makes one defect, and checks that
``exodisc validate`` exits 2 listing it with the assay id, the file and what was expected; one
test makes three defects in three assays and checks that all are listed at once, and that
``exodisc run`` refuses the same inputs with the same words.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from exodisc.cli import app


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example study folder (raw files + study.yaml), written once for this module."""
    from exodisc.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("validate") / "demo").parent


def _edit(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """Write ``study_<name>.yaml`` beside the example's study file, changed by ``change``."""
    yaml = YAML(typ="rt")
    doc = yaml.load((folder / "study.yaml").read_text(encoding="utf-8"))
    change(doc)
    out = folder / f"study_{name}.yaml"
    with out.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    return out


def _assay(doc: dict[str, Any], assay_id: str) -> dict[str, Any]:
    return next(a for a in doc["assays"] if a["id"] == assay_id)


def _copy_with(folder: Path, rel: str, new_rel: str, old: str | bytes, new: str | bytes) -> str:
    """Copy raw file ``rel`` to ``new_rel`` with one text replacement (the defect)."""
    src, dst = folder / rel, folder / new_rel
    if isinstance(old, bytes) and isinstance(new, bytes):
        data = src.read_bytes()
        assert old in data
        dst.write_bytes(data.replace(old, new))
    else:
        text = src.read_text(encoding="utf-8")
        assert str(old) in text
        dst.write_text(text.replace(str(old), str(new)), encoding="utf-8")
    return new_rel


def _validate(study: Path) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["validate", str(study)])
    return res.exit_code, res.output


def _problem(output: str, key: str) -> str:
    """The listed problem whose key starts with ``key`` (one line of the listing)."""
    lines = [ln for ln in output.splitlines() if re.search(rf": {re.escape(key)}(?!\w)", ln)]
    assert lines, f"no problem at {key!r} in:\n{output}"
    return "\n".join(lines)


def test_the_example_study_is_valid(example: Path) -> None:
    code, out = _validate(example / "study.yaml")
    assert code == 0, out
    assert "valid" in out


# --------------------------------------------------------------------------------- cck8
def test_cck8_plate_without_time_point(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "cck8")["options"]["plate_times_h"] = {"Plate 0h": 0, "P24h": 24}

    code, out = _validate(_edit(example, "cck8_times", change))
    assert code == 2, out
    line = _problem(out, "assays[0].options.plate_times_h")
    assert "assay 'cck8'" in line
    assert "no time point given for plate(s) ['P72h', 'Plate 48h']" in line
    # what was given, and how to give the rest
    assert "options.plate_times_h gives times for {'Plate 0h': 0.0, 'P24h': 24.0} only" in line
    assert "'P72h': <hours>" in line


def test_cck8_no_plate_times_at_all(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        del _assay(doc, "cck8")["options"]["plate_times_h"]

    code, out = _validate(_edit(example, "cck8_no_times", change))
    assert code == 2, out
    line = _problem(out, "assays[0].options.plate_times_h")
    assert "no options.plate_times_h or options.times_h is given" in line
    assert "known: {}" not in line


def test_cck8_plate_name_mismatch_suggests_the_match(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        times = {"Plate 0": 0, "P24h": 24, "Plate 48h": 48, "P72h": 72}
        _assay(doc, "cck8")["options"]["plate_times_h"] = times

    code, out = _validate(_edit(example, "cck8_names", change))
    assert code == 2, out
    line = _problem(out, "assays[0].options.plate_times_h")
    assert "options.plate_times_h gives {'Plate 0': 0.0" in line
    assert "did you mean 'Plate 0' -> 'Plate 0h'?" in line


def test_cck8_layout_without_blanks(example: Path) -> None:
    rel = "raw/cck8/cck8_layout.csv"
    text = (example / rel).read_text(encoding="utf-8")
    (example / "raw/cck8/no_blank_layout.csv").write_text(
        text.replace("blank", "empty"), encoding="utf-8"
    )

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "cck8")["layout"] = "raw/cck8/no_blank_layout.csv"

    code, out = _validate(_edit(example, "cck8_blank", change))
    assert code == 2, out
    assert "have no blank wells (labels ['background', 'blank'])" in _problem(
        out, "assays[0].layout"
    )


# --------------------------------------------------------------------------------- qPCR
def test_qpcr_reference_gene_not_in_the_export(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "qpcr")["options"]["reference"] = ["ACTB"]

    code, out = _validate(_edit(example, "qpcr_ref", change))
    assert code == 2, out
    line = _problem(out, "assays[3].options.reference")
    assert "assay 'qpcr'" in line
    assert "qpcr_quantstudio_results.txt" in line
    assert "reference gene(s) ['ACTB'] not found; the targets are " in line
    assert "'GAPDH'" in line


def test_qpcr_sample_names_unknown(example: Path) -> None:
    rel = _copy_with(
        example,
        "raw/qpcr/qpcr_quantstudio_results.txt",
        "raw/qpcr/renamed.txt",
        "\tctrl_1\t",
        "\tCTRL-one\t",
    )

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "qpcr")["files"] = [rel]

    code, out = _validate(_edit(example, "qpcr_names", change))
    assert code == 2, out
    line = _problem(out, "assays[3].files")
    assert "renamed.txt: sample name(s) ['CTRL-one'] are not samples of the study" in line


def test_qpcr_calibrator_group_unknown(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "qpcr")["options"]["calibrator_group"] = "control"

    code, out = _validate(_edit(example, "qpcr_cal", change))
    assert code == 2, out
    line = _problem(out, "assays[3].options.calibrator_group")
    assert "the calibrator group 'control' has no samples in the qPCR exports" in line
    assert "not a group of the study" in line


# --------------------------------------------------------------------------------- SA-β-gal
def test_sabgal_counts_name_unknown_samples(example: Path) -> None:
    rel = _copy_with(
        example, "raw/sabgal/sabgal_counts.csv", "raw/sabgal/renamed.csv", "usc_2,", "usc_two,"
    )

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "sabgal")["files"] = [rel]

    code, out = _validate(_edit(example, "sabgal_names", change))
    assert code == 2, out
    line = _problem(out, "assays[1].files[0]")
    assert "renamed.csv: column 'sample': sample name(s) the study lacks: ['usc_two']" in line


def test_sabgal_image_name_outside_the_pattern(example: Path) -> None:
    shutil.copy(
        example / "raw/sabgal/images/ctrl_1__f1.png", example / "raw/sabgal/images/ctrl_1-f1.png"
    )

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "sabgal_images")["files"][0] = "raw/sabgal/images/ctrl_1-f1.png"

    code, out = _validate(_edit(example, "sabgal_pattern", change))
    assert code == 2, out
    line = _problem(out, "assays[2].files[0]")
    assert "image name 'ctrl_1-f1' does not match options.name_pattern" in line


# --------------------------------------------------------------------------------- flow
def test_flow_file_names_no_sample(example: Path) -> None:
    shutil.copy(example / "raw/flow/ctrl_1.fcs", example / "raw/flow/tube_07.fcs")

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "flow_apoptosis")["files"][0] = "raw/flow/tube_07.fcs"

    code, out = _validate(_edit(example, "flow_names", change))
    assert code == 2, out
    line = _problem(out, "assays[8].files")
    assert "assay 'flow_apoptosis': FCS file(s) ['tube_07.fcs'] match no study sample" in line


def test_flow_channel_not_in_the_files(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "flow_apoptosis")["options"]["annexin"] = "FITC-H"

    code, out = _validate(_edit(example, "flow_channel", change))
    assert code == 2, out
    line = _problem(out, "assays[8].options.annexin")
    assert "ctrl_1.fcs: channel 'FITC-H' not found; the file's channels ($PnN ($PnS)) are:" in line
    assert "FITC-A" in line


def test_flow_marker_panel_preparations_undeclared(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        del _assay(doc, "flow_markers")["options"]["preparations"]

    code, out = _validate(_edit(example, "flow_preps", change))
    assert code == 2, out
    line = _problem(out, "assays[9].files")
    assert "FCS sample name(s) ['usc_panel_D1', 'usc_panel_D2', 'usc_panel_D3']" in line
    assert "options.preparations" in line


# --------------------------------------------------------------------------------- western
def test_western_lane_names_no_sample(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "western")["options"]["blots"][0]["lanes"][4] = "il1b_5"

    code, out = _validate(_edit(example, "western_lane", change))
    assert code == 2, out
    line = _problem(out, "assays[10].options.blots[0].lanes[4]")
    assert "npc_matrix_blot.tif" in line
    assert "lane 5 names 'il1b_5', which is no sample id or alias of the study" in line


def test_western_loading_control_not_a_band(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "western")["options"]["loading_control"] = "β-actin"

    code, out = _validate(_edit(example, "western_lc", change))
    assert code == 2, out
    line = _problem(out, "assays[10].options.loading_control")
    assert "loading control 'β-actin' is not among the bands" in line


# --------------------------------------------------------------------------------- EV, omics
def test_nta_per_file_names_a_file_not_listed(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        per_file = _assay(doc, "nta")["options"]["per_file"]
        per_file["USC_exo_prep4_d200-ExperimentSummary.csv"] = {"dilution": 200}

    code, out = _validate(_edit(example, "nta", change))
    assert code == 2, out
    line = _problem(out, "assays[15].options.per_file")
    assert "['USC_exo_prep4_d200-ExperimentSummary.csv']" in line


def test_de_count_columns_no_sample(example: Path) -> None:
    rel = _copy_with(
        example,
        "raw/rnaseq/mrna_featurecounts.txt",
        "raw/rnaseq/renamed_featurecounts.txt",
        "aligned/exo_3.bam\n",
        "aligned/exo_three.bam\n",
    )

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "de_mrna")["files"] = [rel]

    code, out = _validate(_edit(example, "de_columns", change))
    assert code == 2, out
    line = _problem(out, "assays[4].files")
    assert "renamed_featurecounts.txt: column(s) exo_three match no sample of the study" in line


def test_cerna_tested_group_has_no_samples(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "cerna_lncrna")["options"]["reference"] = "ctrl"

    code, out = _validate(_edit(example, "cerna_group", change))
    assert code == 2, out
    line = _problem(out, "assays[12].options.reference")
    assert "group 'ctrl' has no sample in the expression matrices" in line


def test_enrichment_de_comparison_not_tested(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "enrichment")["options"]["de_comparison"] = "exo_vs_ctrl"

    code, out = _validate(_edit(example, "enrichment", change))
    assert code == 2, out
    line = _problem(out, "assays[14].options.de_comparison")
    assert "options.de_comparison is 'exo_vs_ctrl'" in line
    assert "exo_vs_il1b" in line


def test_an_assay_needing_a_de_table_without_a_de_assay(example: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["assays"] = [a for a in doc["assays"] if not a["kind"].endswith("_counts")]
        opts = _assay(doc, "enrichment")["options"]
        for key in ("de_assay", "de_comparison"):
            del opts[key]
        opts["genes_from"] = "de"

    code, out = _validate(_edit(example, "no_de", change))
    assert code == 2, out
    assert "assay 'enrichment' (kind enrichment) needs a differential-expression table" in out


# --------------------------------------------------------------------------------- all at once
def test_three_defects_in_three_assays_are_listed_at_once_and_run_refuses_them(
    example: Path,
) -> None:
    def change(doc: dict[str, Any]) -> None:
        for g in doc["groups"]:
            g.pop("role", None)  # no group with role control (cck8 needs one)
        _assay(doc, "qpcr")["options"]["reference"] = ["ACTB"]
        _assay(doc, "flow_apoptosis")["options"]["pi"] = "PI-A"

    study = _edit(example, "three", change)
    code, out = _validate(study)
    assert code == 2, out
    problems = {
        "assays[0].options.control": ("assay 'cck8'", "no control group"),
        "assays[3].options.reference": ("assay 'qpcr'", "reference gene(s) ['ACTB'] not found"),
        "assays[8].options.pi": ("assay 'flow_apoptosis'", "channel 'PI-A' not found"),
    }
    for key, words in problems.items():
        line = _problem(out, key)
        assert all(w in line for w in words), line
    assert "3 problems in the study file" in out

    res = CliRunner().invoke(app, ["run", str(study), "-o", str(example / "out_three"), "-q"])
    assert res.exit_code == 2, res.output
    assert not (example / "out_three").exists()
    for key, words in problems.items():
        assert all(w in _problem(res.output, key) for w in words)


# --------------------------------------------------------------------------------- same words
def _study_unchecked(path: Path) -> Any:
    """The study as the analyses see it, without the validation cross-checks."""
    from exodisc.config import Study

    yaml = YAML(typ="safe")
    raw = yaml.load(path.read_text(encoding="utf-8"))
    return Study.model_validate({**raw, "base_dir": path.parent.resolve()})


def _words(err: BaseException) -> str:
    """The message without the file names the analyses put first (``errors.naming_files``)."""
    text = str(err)
    return text.split(": ", 1)[1] if text.startswith("/") else text


def test_the_analyses_raise_the_words_validation_lists(example: Path) -> None:
    """Past validation (the Python API), the analyses refuse with the same message."""
    from exodisc.assays.qpcr import relative_quantification
    from exodisc.assays.qpcr._run import load_wells
    from exodisc.assays.viability._run import analyse_study_cck8
    from exodisc.errors import DesignError

    def change(doc: dict[str, Any]) -> None:
        _assay(doc, "cck8")["options"]["plate_times_h"] = {"Plate 0h": 0, "P24h": 24}
        _assay(doc, "qpcr")["options"]["reference"] = ["ACTB"]

    path = _edit(example, "words", change)
    code, out = _validate(path)
    assert code == 2
    study = _study_unchecked(path)
    with pytest.raises(DesignError) as cck8_err:
        analyse_study_cck8(study)
    assert _words(cck8_err.value) in _problem(out, "assays[0].options.plate_times_h")
    wells, _ = load_wells([example / "raw/qpcr/qpcr_quantstudio_results.txt"])
    with pytest.raises(DesignError) as qpcr_err:
        relative_quantification(wells, reference=["ACTB"], calibrator=["ctrl_1"])
    assert _words(qpcr_err.value) in _problem(out, "assays[3].options.reference")
