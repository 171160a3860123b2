"""``exodisc flow apoptosis`` / ``exodisc flow markers`` per the issue's command-line contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app

runner = CliRunner()


def test_apoptosis_command(flow_ref: Path, tmp_path: Path) -> None:
    out = tmp_path / "apop.tsv"
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(flow_ref / "apoptosis_sample.fcs"),
            str(flow_ref / "apoptosis_control.fcs"),
            "--annexin",
            "FITC-A",
            "--pi",
            "PI",
            "--control",
            str(flow_ref / "apoptosis_control.fcs"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, sep="\t")
    assert list(table.columns) == [
        "sample",
        "events",
        "viable_pct",
        "early_apoptotic_pct",
        "late_apoptotic_pct",
        "necrotic_pct",
        "annexin_threshold",
        "pi_threshold",
    ]
    ref = pd.read_csv(flow_ref / "apoptosis_reference.csv", index_col="case")
    row = table.set_index("sample").loc["apoptosis_sample"]
    want = ref.loc["control_percentile"]
    for col in ("viable_pct", "early_apoptotic_pct", "late_apoptotic_pct", "necrotic_pct"):
        assert abs(row[col] - want[col]) < 1e-9
    np.testing.assert_allclose(row["annexin_threshold"], want["annexin_threshold"], rtol=1e-12)
    # the control against itself: 0.5 % above each threshold
    ctrl = table.set_index("sample").loc["apoptosis_control"]
    assert ctrl["viable_pct"] > 98.9


def test_apoptosis_given_thresholds_no_compensation(flow_ref: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.tsv"
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(flow_ref / "apoptosis_sample.fcs"),
            "--annexin",
            "FITC-A",
            "--pi",
            "PE-A",
            "--thresholds",
            "1000,800",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    row = pd.read_csv(out, sep="\t").iloc[0]
    ref = pd.read_csv(flow_ref / "apoptosis_reference.csv", index_col="case").loc[
        "given_thresholds"
    ]
    assert row["annexin_threshold"] == 1000 and row["pi_threshold"] == 800
    assert abs(row["early_apoptotic_pct"] - ref["early_apoptotic_pct"]) < 1e-9
    out2 = tmp_path / "b.tsv"
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(flow_ref / "apoptosis_sample.fcs"),
            "--annexin",
            "FITC-A",
            "--pi",
            "PE-A",
            "--control",
            str(flow_ref / "apoptosis_control.fcs"),
            "--no-compensation",
            "-o",
            str(out2),
        ],
    )
    assert result.exit_code == 0, result.output
    ref2 = pd.read_csv(flow_ref / "apoptosis_reference.csv", index_col="case").loc[
        "no_compensation"
    ]
    row2 = pd.read_csv(out2, sep="\t").iloc[0]
    assert abs(row2["late_apoptotic_pct"] - ref2["late_apoptotic_pct"]) < 1e-9


def test_apoptosis_needs_one_threshold_source(flow_ref: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(flow_ref / "apoptosis_sample.fcs"),
            "--annexin",
            "FITC-A",
            "--pi",
            "PE-A",
            "-o",
            str(tmp_path / "x.tsv"),
        ],
    )
    assert result.exit_code == 2
    assert "exactly one of --control FCS or --thresholds" in result.output
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(flow_ref / "apoptosis_sample.fcs"),
            "--annexin",
            "FITC-A",
            "--pi",
            "PE-A",
            "--thresholds",
            "1000",
            "-o",
            str(tmp_path / "x.tsv"),
        ],
    )
    assert result.exit_code == 2
    assert "two numbers" in result.output


def test_truncated_file_message(flow_ref: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.fcs"
    bad.write_bytes((flow_ref / "apoptosis_sample.fcs").read_bytes()[:5000])
    result = runner.invoke(
        app,
        [
            "flow",
            "apoptosis",
            str(bad),
            "--annexin",
            "FITC-A",
            "--pi",
            "PE-A",
            "--thresholds",
            "1,1",
            "-o",
            str(tmp_path / "x.tsv"),
        ],
    )
    assert result.exit_code == 1
    assert "broken.fcs" in result.output and "truncated" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.tsv").exists()


def test_markers_command(flow_ref: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.tsv"
    result = runner.invoke(
        app,
        [
            "flow",
            "markers",
            str(flow_ref / "panel_sample.fcs"),
            "--control",
            str(flow_ref / "panel_isotype.fcs"),
            "--channels",
            "FITC-A,PE-A,APC-A",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, sep="\t")
    assert list(table.columns) == [
        "marker",
        "channel",
        "pct_positive",
        "threshold",
        "mfi",
        "mfi_ratio",
    ]
    ref = pd.read_csv(flow_ref / "markers_reference.csv")
    np.testing.assert_allclose(table["pct_positive"], ref["pct_positive"], atol=1e-9)
    np.testing.assert_allclose(table["mfi_ratio"], ref["mfi_ratio"], rtol=1e-12)
    assert table["marker"].tolist() == ["CD90", "CD44", "CD73"]


def test_markers_unknown_channel(flow_ref: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "flow",
            "markers",
            str(flow_ref / "panel_sample.fcs"),
            "--control",
            str(flow_ref / "panel_isotype.fcs"),
            "--channels",
            "BV421-A",
            "-o",
            str(tmp_path / "m.tsv"),
        ],
    )
    assert result.exit_code == 1
    assert "panel_sample.fcs: channel 'BV421-A' not found" in result.output


def test_spill_matrix_file_equals_file_keyword(flow_ref: Path, tmp_path: Path) -> None:
    from exodisc.io.fcs import read_fcs

    spill = read_fcs(flow_ref / "panel_sample.fcs").spill
    matrix = tmp_path / "comp.csv"
    spill.to_csv(matrix)  # FlowKit / pandas layout: leading index column
    args = [
        "flow",
        "markers",
        str(flow_ref / "panel_sample.fcs"),
        "--control",
        str(flow_ref / "panel_isotype.fcs"),
        "--channels",
        "FITC-A,PE-A,APC-A",
    ]
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    assert runner.invoke(app, [*args, "-o", str(a)]).exit_code == 0
    result = runner.invoke(app, [*args, "--spill-matrix", str(matrix), "-o", str(b)])
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_csv(a, sep="\t"), pd.read_csv(b, sep="\t"))


def test_populations_gatingml(flow_shared: Path, tmp_path: Path) -> None:
    folder = flow_shared / "gatingml_compliance"
    out = tmp_path / "p.tsv"
    result = runner.invoke(
        app,
        [
            "flow",
            "populations",
            str(folder / "data1.fcs"),
            "--gatingml",
            str(folder / "gml" / "gml_quadrant1_gate.xml"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    t = pd.read_csv(out, sep="\t").set_index("population")
    assert list(t.columns) == ["sample", "count", "pct_parent", "pct_total"]
    assert t.loc["FL2P-FL4P", "count"] == 620  # the compliance set's ground truth
    assert t.loc["FL2P-FL4P", "pct_total"] == pytest.approx(100 * 620 / 13367)


def test_populations_facsdiva_and_workspace(flow_shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.tsv"
    xml = flow_shared / "allotropy_facsdiva_xml" / "facsdiva_example_2.xml"
    result = runner.invoke(app, ["flow", "populations", "--facsdiva", str(xml), "-o", str(out)])
    assert result.exit_code == 0, result.output
    t = pd.read_csv(out, sep="\t")
    q = t[(t["sample"] == "20190503/2 Gfp Bfp Cherry CD19 ToPro3")].set_index("population")
    assert q.loc["All Events\\P1\\P2\\P3\\P8\\Q3", "count"] == 1408
    wsp = flow_shared / "flowjo_workspace" / "8_color_ICS_simple.wsp"
    result = runner.invoke(app, ["flow", "populations", "--workspace", str(wsp), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out, sep="\t")["count"].iloc[0] == 283968
    result = runner.invoke(app, ["flow", "populations", "-o", str(out)])
    assert result.exit_code == 2
    assert "exactly one of --gatingml, --workspace or --facsdiva" in result.output
