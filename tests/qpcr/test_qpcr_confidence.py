"""The confidence level of RQ min/max: stated by the export, recovered, given, or 95 %.

Evidence for the rule (no vendor manual text could be found in the sources searched):
QuantStudio Real-Time PCR Software writes its "RQ Min/Max Confidence Level" below the
results of a text/xlsx export (``= 95.0`` in every vendor export seen: allotropy's
QuantStudio test data, e.g. ``appbio_quantstudio_example06.txt``); Design & Analysis exports
do not, and its example experiments were analysed at 95, 97 and 99.5 %, which their RQ
Min/Max and ΔCq SE fix exactly (see :func:`exodisc.assays.qpcr.recover_confidence`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.assays.qpcr import (
    VENDOR_DEFAULT_CONFIDENCE,
    recover_confidence,
    resolve_confidence,
)
from exodisc.cli import app
from exodisc.io.qpcr import read_qpcr

QS = "qpcr/allotropy_quantstudio/"
DA_RQ = QS + "appbio_quantstudio_designandanalysis_QS7Pro_Relative_Quantification_example11.xlsx"
DA_STD = QS + "appbio_quantstudio_designandanalysis_QS1_Standard_Curve_example01.xlsx"
TEXT_RQ = QS + "appbio_quantstudio_example06.txt"

# QuantStudio text export (Comparative Ct) with its analysis settings below the results
STATED = """* Experiment Type = Comparative Ct
[Results]
Well\tWell Position\tSample Name\tTarget Name\tTask\tCT
1\tA1\tc\tGAPDH\tUNKNOWN\t18.0
2\tA2\tc\tGAPDH\tUNKNOWN\t18.1
3\tA3\tc\tSOX9\tUNKNOWN\t25.0
4\tA4\tc\tSOX9\tUNKNOWN\t25.1
5\tB1\tx\tGAPDH\tUNKNOWN\t18.0
6\tB2\tx\tGAPDH\tUNKNOWN\t18.1
7\tB3\tx\tSOX9\tUNKNOWN\t27.0
8\tB4\tx\tSOX9\tUNKNOWN\t27.1

Analysis Type = Singleplex
Endogenous Control = GAPDH
RQ Min/Max Confidence Level = 90.0
Reference Sample = c
"""


def test_text_export_states_its_level(shared_data: Path) -> None:
    run = read_qpcr(shared_data / TEXT_RQ)
    assert run.meta["Endogenous Control"] == "GAPDH"
    assert run.meta["Reference Sample"] == "Liver"
    level = resolve_confidence([run])
    assert (level.level, level.source) == (0.95, "export")
    assert "'RQ Min/Max Confidence Level = 95.0'" in level.text


def test_cli_uses_the_stated_level(tmp_path: Path) -> None:
    export = tmp_path / "plate.txt"
    export.write_text(STATED)
    out = tmp_path / "o.tsv"
    r = CliRunner().invoke(
        app, ["qpcr", str(export), "--reference", "GAPDH", "--calibrator", "c", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "rq_min/rq_max at 90 %: stated in the export plate.txt" in r.output
    row = pd.read_csv(out, sep="\t").set_index(["sample", "target"]).loc[("x", "SOX9")]
    # SE(ΔCt) = √(2 · (0.05)²) on 2 + 2 − 2 = 2 df; t(0.95, 2) = 2.919986 (Student's table)
    half = 2.919986 * np.sqrt(2) * 0.05
    assert row["rq_min"] == pytest.approx(2 ** -(2 + half), rel=1e-6)
    assert row["rq_max"] == pytest.approx(2 ** -(2 - half), rel=1e-6)


def test_design_and_analysis_level_is_recovered(shared_data: Path) -> None:
    run = read_qpcr(shared_data / DA_RQ)
    assert run.vendor_rq is not None
    assert len(run.vendor_rq.dropna()) == 5
    assert recover_confidence(run) == (0.995, 5)
    level = resolve_confidence([run])
    assert (level.level, level.source) == (0.995, "recovered")
    # the user's level wins
    given = resolve_confidence([run], 0.9)
    assert (given.level, given.source) == (0.9, "option")


def test_rows_that_disagree_give_no_level(shared_data: Path) -> None:
    """One altered RQ Min: the rows no longer share one level → QuantStudio's default."""
    run = read_qpcr(shared_data / DA_RQ)
    assert run.vendor_rq is not None
    bad = run.vendor_rq.copy()
    i = bad.index[bad["rq_min"].notna()][0]
    bad.loc[i, "rq_min"] *= 0.99
    tampered = dataclasses.replace(run, vendor_rq=bad)
    assert recover_confidence(tampered) is None
    level = resolve_confidence([tampered])
    assert (level.level, level.source) == (VENDOR_DEFAULT_CONFIDENCE, "default")


def test_exports_without_a_level_use_the_default(shared_data: Path) -> None:
    run = read_qpcr(shared_data / DA_STD)  # D&A standard curve: no RQ sheet
    assert run.vendor_rq is None
    level = resolve_confidence([run])
    assert (level.level, level.source) == (0.95, "default")
    assert "QuantStudio's default" in level.text


def test_exports_at_different_levels_fall_back_to_the_default(
    shared_data: Path, tmp_path: Path
) -> None:
    export = tmp_path / "plate.txt"
    export.write_text(STATED)
    runs = [read_qpcr(shared_data / DA_RQ), read_qpcr(export)]
    level = resolve_confidence(runs)
    assert (level.level, level.source) == (0.95, "default")
    assert "99.5 %" in level.text and "90 %" in level.text


def test_study_run_uses_the_recovered_level(shared_data: Path, tmp_path: Path) -> None:
    """Inside ``exodisc run``: the level, its source in the methods and in provenance."""
    from ruamel.yaml import YAML

    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    path = shared_data / DA_RQ
    groups = {"1600": "ctrl", "3200": "ctrl", "6400": "ctrl", "400": "low", "800": "low"}
    study = {
        "title": "D&A example",
        "groups": [
            {"id": "ctrl", "label": "Control", "role": "control"},
            {"id": "low", "label": "Low input"},
        ],
        "samples": [
            {"id": f"s{name}", "group": g, "replicate": i + 1, "aliases": [name]}
            for i, (name, g) in enumerate(groups.items())
        ],
        "assays": [
            {"id": "qpcr", "kind": "qpcr", "files": [str(path)], "options": {"reference": ["IPC"]}}
        ],
    }
    with (tmp_path / "study.yaml").open("w") as fh:
        YAML(typ="safe", pure=True).dump(study, fh)
    report, _ = analyse(load_study(tmp_path / "study.yaml"))
    rec = report.records["qpcr_rq_interval.qpcr"]
    assert (rec["confidence"], rec["source"]) == (0.995, "recovered")
    sec = next(x for x in report.sections if x.id == "qpcr")
    assert "at 99.5 %: the level" in sec.methods[0].sentence()
    table = next(i for i in sec.items if i.name == "qpcr_relative_quantification").frame
    ours = table[table["target"] == "RNaseP"].set_index("sample")
    vendor = read_qpcr(path).vendor_rq
    assert vendor is not None
    for v in vendor.dropna().itertuples(index=False):
        o = ours.loc[f"s{v.sample}"]
        # the calibrator here is the control group, so compare the interval half-widths
        assert np.log2(o["rq"] / o["rq_min"]) == pytest.approx(np.log2(v.rq / v.rq_min), abs=1e-9)
        assert np.log2(o["rq_max"] / o["rq"]) == pytest.approx(np.log2(v.rq_max / v.rq), abs=1e-9)
