"""Imported gating on real files: GatingML 2.0 compliance set, FlowJo workspaces, FACSDiva XML."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from exodisc.errors import InputFormatError
from exodisc.io.fcs import apply_gatingml, read_facsdiva_xml, read_workspace_populations


def _truth(folder: Path, gate: str) -> np.ndarray:
    with gzip.open(folder / "truth" / f"Results_{gate}.txt.gz", "rt") as fh:
        return np.array([int(line) for line in fh if line.strip()], dtype=bool)


def test_gatingml_compliance_memberships(flow_shared: Path) -> None:
    """Every gate of the ISAC Gating-ML 2.0 compliance set matches its ground truth per event."""
    folder = flow_shared / "gatingml_compliance"
    members = apply_gatingml(folder / "gml" / "gml_all_gates.xml", folder / "data1.fcs")
    assert members.shape == (13367, 49)
    checked = 0
    for gate in members.columns:
        truth = _truth(folder, gate)
        assert truth.size == 13367
        np.testing.assert_array_equal(members[gate].to_numpy(), truth, err_msg=gate)
        checked += 1
    assert checked == 49
    # the provenance note: FL2P-FL4P holds 620 events
    assert int(members["FL2P-FL4P"].sum()) == 620


def test_gatingml_ellipsoid_3d(flow_shared: Path) -> None:
    folder = flow_shared / "gatingml_compliance"
    members = apply_gatingml(folder / "gml" / "gml_ellipsoid3d_gate.xml", folder / "data1.fcs")
    np.testing.assert_array_equal(members["Ellipsoid3D"], _truth(folder, "Ellipsoid3D"))


def test_gatingml_not_gatingml(flow_shared: Path, tmp_path: Path) -> None:
    bad = tmp_path / "gates.xml"
    bad.write_text("<root/>")
    fcs = flow_shared / "gatingml_compliance" / "data1.fcs"
    with pytest.raises(InputFormatError, match=r"gates\.xml: not a GatingML 2\.0 document"):
        apply_gatingml(bad, fcs)


def test_facsdiva_quadrants(flow_shared: Path) -> None:
    """FACSDiva's Q1–Q4 counts and its %Parent for the one acquired tube of example 2."""
    table = read_facsdiva_xml(flow_shared / "allotropy_facsdiva_xml" / "facsdiva_example_2.xml")
    tube = table[table["tube"] == "2 Gfp Bfp Cherry CD19 ToPro3"].set_index("gate")
    q = tube.loc[["Q1", "Q2", "Q3", "Q4"]]
    # counts FACSDiva stored (num_events) and the parent gate P8 (9685 events)
    assert q["count"].tolist() == [10, 25, 1408, 8242]
    assert (q["parent"] == "All Events\\P1\\P2\\P3\\P8").all()
    assert tube.loc["P8", "count"] == 9685 == q["count"].sum()
    # %Parent as FACSDiva's statistics view shows it (two decimals)
    np.testing.assert_allclose(q["pct_parent"].round(2), [0.10, 0.26, 14.54, 85.10])
    np.testing.assert_allclose(q["pct_parent"].sum(), 100.0)
    np.testing.assert_allclose(tube.loc["P1", "pct_total"], 100 * 11770 / 12790)
    assert tube.loc["Q1", "x_parameter"] == "AmCyan-A"
    assert tube.loc["Q1", "y_parameter"] == "PE-Cy7-A"


def test_facsdiva_example_1_quadrant_template(flow_shared: Path) -> None:
    table = read_facsdiva_xml(flow_shared / "allotropy_facsdiva_xml" / "facsdiva_example_1.xml")
    assert set(table["specimen"]) == {"190415"}
    assert len(set(table["tube"])) == 3


def test_facsdiva_wrong_root(tmp_path: Path) -> None:
    p = tmp_path / "x.xml"
    p.write_text("<Workspace/>")
    with pytest.raises(InputFormatError, match=r"x\.xml: root element is <Workspace>"):
        read_facsdiva_xml(p)
    p.write_text("<bdfacs><unclosed>")
    with pytest.raises(InputFormatError, match=r"x\.xml: not well-formed XML"):
        read_facsdiva_xml(p)


@pytest.mark.parametrize(
    "name",
    [
        "flowjo_workspace/8_color_ICS_simple.wsp",
        "allotropy_flowjo_wsp/flowjo_example_1.wsp",
        "allotropy_flowjo_wsp/flowjo_example_3.wsp",
    ],
)
def test_workspace_population_tree_matches_flowkit(flow_shared: Path, name: str) -> None:
    """The population paths we read are FlowKit's gate paths for every sample of the workspace."""
    import warnings

    import flowkit

    path = flow_shared / name
    ours = read_workspace_populations(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = flowkit.parse_wsp(str(path))
    for sample, info in parsed["samples"].items():
        theirs = {
            "/".join((*parent[1:], gate)) for gate, parent in info["gating_strategy"].get_gate_ids()
        }
        mine = set(ours.loc[ours["sample"] == sample, "population"])
        # FlowKit lists a quadrant gate's container; FlowJo stores only its quadrants
        assert mine <= theirs, sample
        assert len(mine) >= len(theirs) * 0.8, sample


def test_workspace_flowjo_counts(flow_shared: Path) -> None:
    """FlowJo's stored counts and the % of parent FlowJo shows (ICS workspace, first sample)."""
    t = read_workspace_populations(flow_shared / "flowjo_workspace" / "8_color_ICS_simple.wsp")
    s = t[t["sample"] == "101_DEN084Y5_15_E03_009_clean.fcs"].set_index("population")
    assert s.loc["Time", "count"] == 283968
    assert s.loc["Time/Singlets", "count"] == 237375
    np.testing.assert_allclose(s.loc["Time/Singlets", "pct_parent"], 100 * 237375 / 283968)


def test_workspace_not_flowjo(tmp_path: Path) -> None:
    p = tmp_path / "a.wsp"
    p.write_text("<bdfacs/>")
    with pytest.raises(InputFormatError, match=r"a\.wsp: root element is <bdfacs>"):
        read_workspace_populations(p)


def test_apply_workspace_names_the_samples(flow_shared: Path, flow_ref: Path) -> None:
    from exodisc.io.fcs import apply_workspace

    wsp = flow_shared / "flowjo_workspace" / "8_color_ICS_simple.wsp"
    with pytest.raises(
        InputFormatError,
        match=r"8_color_ICS_simple\.wsp: none of the given FCS files \['apoptosis_sample\.fcs'\] "
        r"is a sample of the workspace; its samples are \['101_DEN084Y5_15_E01_008_clean\.fcs'",
    ):
        apply_workspace(wsp, [flow_ref / "apoptosis_sample.fcs"])
