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


@pytest.fixture(scope="module")
def wsp_case(flow_shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """FlowJo example 3 plus simulated events for its sample A01.fcs and the expected count.

    The workspace's FCS files are not public, so events with its 22 channels are simulated;
    the reference is matplotlib's point-in-polygon test on FlowJo's own 'singlet' vertices.
    """
    import xml.etree.ElementTree as ET

    from matplotlib.path import Path as MplPath

    from exodisc.assays.flow._demo import write_fcs

    wsp = flow_shared / "allotropy_flowjo_wsp" / "flowjo_example_3.wsp"
    gml = "{http://www.isac-net.org/std/Gating-ML/v2.0/gating}"
    dt = "{http://www.isac-net.org/std/Gating-ML/v2.0/datatypes}"
    root = ET.parse(wsp).getroot()
    sample = next(x for x in root.iter("Sample") if x.find("SampleNode").get("name") == "A01.fcs")
    keywords = {k.get("name"): k.get("value") for k in sample.iter("Keyword")}
    channels = [keywords[f"$P{i}N"] for i in range(1, int(keywords["$PAR"]) + 1)]
    pop = next(x for x in sample.iter("Population") if x.get("name") == "singlet")
    vertices = [
        [float(c.get(f"{dt}value")) for c in v.findall(f"{gml}coordinate")]
        for v in pop.find("Gate")[0].findall(f"{gml}vertex")
    ]
    rng = np.random.default_rng(0)
    events = np.abs(rng.normal(50_000, 30_000, (5000, len(channels))))
    events[:, 1] = events[:, 0] * rng.normal(0.8, 0.15, 5000)  # FSC-H vs FSC-A
    fcs = tmp_path_factory.mktemp("wsp") / "A01.fcs"
    write_fcs(fcs, events, channels, [""] * len(channels))
    stored = events[:, :2].astype(np.float32).astype(float)
    inside = MplPath(np.array(vertices)).contains_points(stored)
    assert channels[:2] == ["FSC-A", "FSC-H"]
    return {"wsp": wsp, "fcs": fcs, "inside": inside}


def test_apply_workspace_equals_flowjo_polygon(wsp_case: dict) -> None:
    from exodisc.io.fcs import apply_workspace

    expected = int(wsp_case["inside"].sum())
    report = apply_workspace(wsp_case["wsp"], [wsp_case["fcs"]]).set_index("population")
    assert report.loc["singlet", "count"] == expected
    assert report.loc["singlet", "pct_total"] == pytest.approx(100 * expected / 5000)
    assert set(report.index) == {"singlet", "singlet/live", "singlet/live/cells"}


def test_workspace_gate_as_pregate(wsp_case: dict) -> None:
    from exodisc.assays.flow import WorkspaceGate, prepare_events
    from exodisc.io.fcs import read_fcs

    fcs = read_fcs(wsp_case["fcs"])
    gate = WorkspaceGate(wsp_case["wsp"], "singlet")
    np.testing.assert_array_equal(gate.membership(fcs), wsp_case["inside"])
    events, gates = prepare_events(fcs, compensation="none", pregate=gate)
    assert len(events) == wsp_case["inside"].sum()
    assert gates.record.loc[0, "gate"] == "imported:singlet"
    with pytest.raises(
        InputFormatError,
        match=r"flowjo_example_3\.wsp: population 'singlet/dead' "
        r"cannot be applied to A01\.fcs",
    ):
        WorkspaceGate(wsp_case["wsp"], "singlet/dead").membership(fcs)
