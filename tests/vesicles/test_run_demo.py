"""The vesicles plug-ins inside ``exodisc run``: demo files -> readers -> report sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.assays.vesicles._demo import simulate
from exodisc.config import parse_study
from exodisc.demo._build import demo_design
from exodisc.io.nta import read_nanosight
from exodisc.pipeline import analyse
from exodisc.registry import DemoContext


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo")
    base = parse_study(demo_design(), path=folder / "study.yaml")
    entries = simulate(DemoContext(folder=folder, study=base))
    study = parse_study({**demo_design(), "assays": entries}, path=folder / "study.yaml")
    report, results = analyse(study)
    return folder, report, results


def test_demo_writes_three_real_format_nanosight_exports(demo_run):
    folder, _, _ = demo_run
    files = sorted((folder / "raw" / "vesicles").glob("*-ExperimentSummary.csv"))
    assert len(files) == 3
    m = read_nanosight(files[0])
    assert (m.instrument, len(m.videos), m.recorded_dilution) == ("NanoSight", 5, None)
    assert m.warnings == ()


def test_demo_report_has_the_ev_sections_and_misev_gaps(demo_run):
    _, report, results = demo_run
    ids = [s.id for s in report.sections]
    assert {"nta", "ev_characterisation", "usc_identity"} <= set(ids)
    names = set(report.names())
    assert {
        "nta_summary", "nta_distributions", "nta_overlay", "ev_misev_items",
        "ev_misev_checklist", "ev_tem_sizes", "usc_markers", "usc_trilineage",
    } <= names  # fmt: skip
    nta = results["nta"].summary
    assert nta["sample"].tolist() == ["USC-exo prep1", "USC-exo prep2", "USC-exo prep3"]
    assert (nta["dilution"] == 200).all()
    assert nta["concentration_per_ml"].to_list() == pytest.approx(
        (nta["concentration_measured_per_ml"] * 200).to_list()
    )
    assert nta["particles_per_cell"].isna().all()  # no cell number declared
    assert (results["nta"].parity["rel_diff"].abs() < 0.02).all()
    assert nta["mode_nm"].min() > 60 and nta["mode_nm"].max() < 150  # exosome-sized
    ev = next(s for s in report.sections if s.id == "ev_characterisation")
    assert ev.paragraphs[0].startswith("MISEV2018 score: 8 of 11 mandatory")
    assert any("marker_negative" in w for w in ev.warnings)
    assert ev.methods[0].sentence().startswith("The EV characterisation was scored")


def test_per_file_options_must_name_assay_files(tmp_path: Path):
    from exodisc.errors import DesignError

    base = parse_study(demo_design(), path=tmp_path / "study.yaml")
    entries = simulate(DemoContext(folder=tmp_path, study=base))
    entries[0]["options"]["per_file"]["missing.csv"] = {"dilution": 10}
    study = parse_study({**demo_design(), "assays": entries[:1]}, path=tmp_path / "study.yaml")
    with pytest.raises(
        DesignError,
        match=r"per_file names files that are not in the assay's files: \['missing.csv'\]",
    ):
        analyse(study)


def test_identity_section_shows_declared_images(tmp_path: Path):
    import numpy as np
    from matplotlib.image import imsave

    img = tmp_path / "ars.png"
    imsave(img, np.random.default_rng(0).random((16, 16, 3)))
    entry = {
        "id": "usc_identity",
        "kind": "usc_identity",
        "options": {"trilineage": [{"stain": "alizarin_red_s", "result": "positive",
                                    "image": "ars.png"}]},
    }  # fmt: skip
    study = parse_study({**demo_design(), "assays": [entry]}, path=tmp_path / "study.yaml")
    report, _ = analyse(study)
    assert "usc_trilineage_images" in report.names()


def test_all_empty_nanosight_export_is_a_failed_measurement(tmp_path: Path):
    import math

    import numpy as np

    from exodisc.assays.vesicles import summarise_nta
    from exodisc.assays.vesicles._demo import write_nanosight_summary

    p = tmp_path / "empty-ExperimentSummary.csv"
    write_nanosight_summary(p, name="empty", per_video=np.zeros((3, 1000)))
    m = read_nanosight(p)
    assert m.failed
    s = summarise_nta(m, dilution=10)
    assert math.isnan(s.row["concentration_per_ml"]) and math.isnan(s.row["d50_nm"])
    assert s.row["warnings"].startswith("no particles tracked in any video: failed acquisition")
    assert s.mean_distribution.empty


def test_ev_markers_from_an_earlier_western_result(tmp_path: Path):
    import pandas as pd

    from exodisc.config import AssayConfig
    from exodisc.registry import AssayContext, get_assay
    from exodisc.report import Report

    study = parse_study(demo_design(), path=tmp_path / "study.yaml")
    spec = get_assay("ev_characterisation")
    assay = AssayConfig.model_validate({"id": "ev", "kind": "ev_characterisation"})
    western = pd.DataFrame(
        {"protein": ["CD63", "calnexin", "ACTB"], "detected": [True, False, True]}
    )
    ctx = AssayContext(
        study=study,
        assay=assay,
        options=spec.options_model.model_validate({}),
        report=Report("t"),
        results={"wb": {"table": western}},
    )
    res = spec.run(ctx)
    m = res.markers.set_index("marker")
    assert m.loc["CD63", "result"] == "positive" and m.loc["CD63", "method"] == "from wb.table"
    assert m.loc["calnexin", "category"] == "intracellular"
    assert "ACTB" not in m.index
    st = res.items.set_index("id")["status"]
    assert st["marker_negative"] == "satisfied" and st["marker_cytosolic"] == "missing"
