"""Study options of flow_apoptosis: single-stain compensation, imported GatingML gate, keywords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.flow._demo import _APOP_SPILL, _apoptosis_file
from exodisc.config import parse_study
from exodisc.errors import DesignError, InputFormatError

GROUPS = [{"id": "ctrl", "label": "Control"}, {"id": "il1b", "label": "IL-1β"}]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import flowkit
    from flowkit import Dimension, gates

    d = tmp_path_factory.mktemp("flowopts")
    rng = np.random.default_rng(11)
    _apoptosis_file(rng, d / "unstained.fcs", None, "unstained")
    _apoptosis_file(rng, d / "single_fitc.fcs", (0.6, 0.0, 0.0), "FITC only")
    _apoptosis_file(rng, d / "single_pe.fcs", (0.0, 0.0, 0.6), "PE only")
    for i, (sample, frac) in enumerate(
        [("ctrl_1", 0.05), ("ctrl_2", 0.06), ("il1b_1", 0.3), ("il1b_2", 0.28)]
    ):
        _apoptosis_file(rng, d / f"tube_{i}.fcs", (frac * 0.6, frac * 0.4, 0.02), sample)
    strategy = flowkit.GatingStrategy()
    cells = gates.RectangleGate("cells", [Dimension("FSC-A", range_min=35000)])
    strategy.add_gate(cells, ("root",))
    with (d / "lab_gates.xml").open("wb") as fh:
        flowkit.export_gatingml(strategy, fh)
    return d


def _run(folder: Path, **options: Any) -> tuple[Any, Any]:
    from exodisc.pipeline import analyse

    data = {
        "title": "t",
        "groups": GROUPS,
        "replicates": 2,
        "assays": [
            {
                "id": "apop",
                "kind": "flow_apoptosis",
                "files": [f"tube_{i}.fcs" for i in range(4)],
                "options": {
                    "annexin": "Annexin V-FITC",
                    "pi": "PI",
                    "control": "unstained.fcs",
                    "sample_keyword": "TUBE NAME",
                    **options,
                },
            }
        ],
    }
    study = parse_study(data, path=folder / "study.yaml")
    report, results = analyse(study)
    return report, results["apop"]


def test_single_stain_compensation(folder: Path) -> None:
    report, res = _run(
        folder,
        compensation={
            "unstained": "unstained.fcs",
            "singles": {"Annexin V-FITC": "single_fitc.fcs", "PE-A": "single_pe.fcs"},
        },
    )
    sec = report.sections[-1]
    spill = next(i for i in sec.items if i.name == "flow_apoptosis_spillover").frame
    est = spill.set_index("detector").loc[["FITC-A", "PE-A"], ["FITC-A", "PE-A"]].to_numpy()
    np.testing.assert_allclose(est, _APOP_SPILL, atol=0.01)
    _, by_file = _run(folder)
    diff = (
        res.table.set_index("sample")["apoptotic_pct"]
        - by_file.table.set_index("sample")["apoptotic_pct"]
    ).abs()
    assert diff.max() < 0.5
    assert "single-stain controls" in " ".join(m.sentence() for m in sec.methods)


def test_imported_gatingml_gate_equals_declared_gate(folder: Path) -> None:
    _, imported = _run(folder, gatingml="lab_gates.xml", gate="cells")
    _, declared = _run(
        folder, debris_gate={"x": "FSC-A", "y": "SSC-A", "method": "fixed", "x_min": 35000}
    )
    cols = ["sample", "events", "viable_pct", "early_apoptotic_pct", "annexin_threshold"]
    pd.testing.assert_frame_equal(imported.table[cols], declared.table[cols])
    assert "imported:cells" in set(imported.gates["gate"])
    with pytest.raises(
        InputFormatError,
        match=r"lab_gates\.xml: gate 'live' not found; the file "
        r"defines \['cells'\]",
    ):
        _run(folder, gatingml="lab_gates.xml", gate="live")


def test_keyword_maps_samples(folder: Path) -> None:
    _, res = _run(folder)
    assert res.table["sample"].tolist() == ["ctrl_1", "ctrl_2", "il1b_1", "il1b_2"]
    assert res.table["group"].tolist() == ["ctrl", "ctrl", "il1b", "il1b"]
    with pytest.raises(
        InputFormatError,
        match=r"tube_0\.fcs: TEXT keywords: keyword 'PLATE' "
        r"\(sample_keyword\) is not in the file",
    ):
        _run(folder, sample_keyword="PLATE")


def test_options_are_validated(folder: Path) -> None:
    from exodisc.errors import StudyFileError

    with pytest.raises((StudyFileError, ValueError), match="'gatingml' and 'gate' go together"):
        _run(folder, gatingml="lab_gates.xml")


def test_workspace_options_are_validated(folder: Path) -> None:
    from exodisc.errors import StudyFileError

    with pytest.raises((StudyFileError, ValueError), match="'workspace' and 'population' go"):
        _run(folder, workspace="lab.wsp")
    with pytest.raises((StudyFileError, ValueError), match="not both"):
        _run(folder, workspace="lab.wsp", population="cells", gatingml="g.xml", gate="cells")


def test_per_channel_controls(folder: Path) -> None:
    """Annexin threshold from the PI-only tube and PI threshold from the annexin-only tube."""
    from exodisc.assays.flow import compensate
    from exodisc.io.fcs import read_fcs

    _, res = _run(folder, control={"annexin": "single_pe.fcs", "pi": "single_fitc.fcs"})
    pe_only = read_fcs(folder / "single_pe.fcs")
    fitc_only = read_fcs(folder / "single_fitc.fcs")
    want_a = np.percentile(compensate(pe_only.events, pe_only.spill)["FITC-A"], 99.5)
    want_p = np.percentile(compensate(fitc_only.events, fitc_only.spill)["PE-A"], 99.5)
    row = res.table.iloc[0]
    assert row["annexin_threshold"] == pytest.approx(want_a, rel=1e-12)
    assert row["pi_threshold"] == pytest.approx(want_p, rel=1e-12)
    assert "single_fitc / single_pe" in res.params["threshold_source"]
    with pytest.raises(DesignError, match=r"per-channel controls need keys 'annexin' and 'pi'"):
        _run(folder, control={"annexin": "single_pe.fcs"})
