"""The flow part of the example study: FCS files -> exodisc run -> report sections."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exodisc.config import load_study, parse_study
from exodisc.demo._build import DEMO_SEED, _write_yaml, demo_design
from exodisc.errors import DesignError, StudyFileError
from exodisc.io.fcs import read_fcs
from exodisc.registry import DemoContext, demo_simulators


@pytest.fixture(scope="module")
def flow_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "study"
    folder.mkdir()
    design = demo_design()
    study = parse_study(design, path=folder / "study.yaml")
    spec = next(s for s in demo_simulators() if s.name == "flow")
    assays = spec.simulate(DemoContext(folder=folder, study=study, seed=DEMO_SEED))
    _write_yaml({**design, "assays": assays}, folder / "study.yaml")
    return folder / "study.yaml"


def test_demo_files_are_fcs31_with_spillover(flow_study: Path) -> None:
    raw = flow_study.parent / "raw" / "flow"
    files = sorted(raw.glob("*.fcs"))
    assert len(files) == 15 + 1 + 3 + 1
    fcs = read_fcs(raw / "il1b_1.fcs")
    assert fcs.version == "3.1"
    assert fcs.spill is not None and fcs.spill.loc["FITC-A", "PE-A"] == pytest.approx(0.18)
    assert fcs.labels["FITC-A"] == "Annexin V-FITC"
    panel = read_fcs(raw / "usc_panel_D1.fcs")
    assert panel.labels["APC-A"] == "CD73 APC"
    assert panel.spill is not None and panel.spill.shape == (7, 7)


def test_demo_flow_run(flow_study: Path) -> None:
    from exodisc.pipeline import analyse

    study = load_study(flow_study)
    report, results = analyse(study)
    ids = [s.id for s in report.sections]
    assert "flow_apoptosis" in ids and "flow_markers" in ids
    apop = results["flow_apoptosis"].table.groupby("group")["apoptotic_pct"].mean()
    # the paper's direction: IL-1β raises apoptosis; USC and exosomes lower it; GW4869 blocks
    assert apop["il1b"] > apop["usc_gw"] > apop["usc"] > apop["exo"] > apop["ctrl"]
    sec = next(s for s in report.sections if s.id == "flow_apoptosis")
    names = [i.name for i in sec.items]
    assert {
        "flow_apoptosis_samples",
        "flow_apoptosis_pairs",
        "flow_apoptosis_bars",
        "flow_apoptosis_quadrants",
        "flow_apoptosis_gates",
    } <= set(names)
    pairs = next(i for i in sec.items if i.name == "flow_apoptosis_pairs").frame
    il1b = pairs[(pairs.group1 == "il1b") & (pairs.group2 == "ctrl")].iloc[0]
    assert il1b["mark"].startswith("*")
    assert {m.meta.key for m in sec.methods} >= {
        "flow.prepare",
        "flow.apoptosis_quadrants",
        "stats.anova_bonferroni",
    }
    isct = results["flow_markers"].isct
    summary = results["flow_markers"].summary.set_index("marker")
    assert summary.loc["CD73", "n"] == 3
    per = results["flow_markers"].markers.table
    assert summary.loc["CD73", "percent_positive"] == pytest.approx(
        per.loc[per["marker"] == "CD73", "pct_positive"].mean()
    )
    # this study has no usc_identity assay, so the trilineage results are gaps too
    assert isct.gaps == [
        "CD105",
        "CD14 or CD11b",
        "CD79α or CD19",
        "HLA-DR",
        "osteogenic differentiation",
        "adipogenic differentiation",
        "chondrogenic differentiation",
    ]
    t = isct.table.set_index("criterion")
    assert (t.loc[["CD73", "CD90", "CD34", "CD45", "CD29", "CD44"], "status"] == "pass").all()
    msec = next(s for s in report.sections if s.id == "flow_markers")
    assert any("CD105" in w for w in msec.warnings)
    # the quadrant figure's table holds exactly the events plotted
    q = next(i for i in sec.items if i.name == "flow_apoptosis_quadrants")
    counts = q.data.groupby("sample")["count"].sum()
    n_events = results["flow_apoptosis"].table.set_index("sample")["events"]
    assert (counts.reindex(n_events.index) <= n_events).all()
    assert np.all(counts > 0.99 * n_events.reindex(counts.index))


def test_unmatched_file_is_a_design_error(flow_study: Path, tmp_path: Path) -> None:
    import shutil

    from exodisc.pipeline import analyse

    folder = tmp_path / "s"
    shutil.copytree(flow_study.parent, folder)
    (folder / "raw" / "flow" / "ctrl_1.fcs").rename(folder / "raw" / "flow" / "tube_007.fcs")
    text = (
        (folder / "study.yaml").read_text().replace("raw/flow/ctrl_1.fcs", "raw/flow/tube_007.fcs")
    )
    (folder / "study.yaml").write_text(text)
    words = r"FCS file\(s\) \['tube_007.fcs'\] match no study sample"
    with pytest.raises(StudyFileError, match=words):
        load_study(folder / "study.yaml")
    with pytest.raises(DesignError, match=words):
        analyse(load_study(folder / "study.yaml", check_inputs=False))


def test_trilineage_from_the_usc_identity_assay(flow_study: Path, tmp_path: Path) -> None:
    """Trilineage stains declared once (usc_identity assay) appear in the ISCT table."""
    import shutil

    from ruamel.yaml import YAML

    from exodisc.pipeline import analyse

    folder = tmp_path / "s"
    shutil.copytree(flow_study.parent, folder)
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((folder / "study.yaml").read_text())
    data["assays"] = [a for a in data["assays"] if a["kind"] == "flow_markers"]
    data["assays"].append(
        {
            "id": "usc_identity",
            "kind": "usc_identity",
            "options": {
                "trilineage": [
                    {"stain": "alizarin_red_s", "result": "positive"},
                    {"stain": "alcian_blue", "result": "positive"},
                    {"stain": "oil_red_o", "result": "negative"},
                ],
                "markers": [{"marker": "CD73", "expected": "positive", "result": "positive"}],
            },
        }
    )
    with (folder / "study.yaml").open("w") as fh:
        yaml.dump(data, fh)
    _, results = analyse(load_study(folder / "study.yaml"))
    t = results["flow_markers"].isct.table.set_index("criterion")
    assert t.loc["osteogenic differentiation", "status"] == "pass"
    assert t.loc["chondrogenic differentiation", "status"] == "pass"
    assert t.loc["adipogenic differentiation", "status"] == "fail"
    assert t.loc["plastic adherence", "status"] == "pass"
