"""``kind: western`` inside a study: demo blots end to end, real blots' exposure QC, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from exodisc.assays.western._demo import simulate
from exodisc.assays.western._normalize import loading_cv, normalize_bands
from exodisc.assays.western._run import WesternOptions
from exodisc.config import parse_study
from exodisc.demo import demo_design
from exodisc.errors import DesignError
from exodisc.pipeline import analyse
from exodisc.registry import DemoContext
from exodisc.stats import compare_groups


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    design = demo_design()
    ctx = DemoContext(folder=folder, study=parse_study(design, path=folder / "study.yaml"))
    assays = simulate(ctx)
    study = parse_study({**design, "assays": assays}, path=folder / "study.yaml")
    report, results = analyse(study)
    return study, report, results


def test_demo_blots_follow_the_paper(demo_run):
    _, _, results = demo_run
    res = results["western"]
    assert set(res.ratios["target"]) == {"SOX-9", "Collagen II", "Aggrecan"}
    assert len(res.ratios) == 3 * 15 and res.dropped.empty
    means = res.ratios.groupby(["target", "group"])["relative"].mean().unstack()
    assert np.allclose(means["ctrl"], 1.0)
    # IL-1β lowers the matrix proteins; USC and exosomes rescue; GW4869 blocks the rescue
    assert (means["il1b"] < 0.5).all()
    assert (means["exo"] > means["usc"]).all() and (means["usc"] > means["usc_gw"]).all()
    for target, d in res.stats.groupby("target"):
        pairs = d.set_index(["group1", "group2"])
        assert pairs.loc[("il1b", "ctrl"), "mark"] == "***", target
        assert pairs.loc[("exo", "il1b"), "mark"].startswith("#"), target
    assert res.qc == ()


def test_demo_stats_are_the_statistics_engine_on_the_ratios(demo_run):
    study, _, results = demo_run
    res = results["western"]
    comps = [(c.test, c.reference, c.mark) for c in study.comparisons]
    d = res.ratios[res.ratios["target"] == "SOX-9"]
    ref = compare_groups(d, value="relative", group="group", comparisons=comps,
                         order=study.group_ids).pairs  # fmt: skip
    got = res.stats[res.stats["target"] == "SOX-9"].drop(columns="target")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), ref)


def test_demo_ratios_are_band_volume_over_gapdh(demo_run):
    _, _, results = demo_run
    res = results["western"]
    vol = res.bands.set_index(["sample", "band"])["volume"]
    row = res.ratios.iloc[7]
    assert row["ratio"] == pytest.approx(
        vol[(row["sample"], row["target"])] / vol[(row["sample"], "GAPDH")], rel=1e-12
    )
    cv = loading_cv(res.bands, "GAPDH")
    g = res.bands.loc[res.bands["band"] == "GAPDH", "volume"]
    assert cv["cv"].item() == pytest.approx(g.std(ddof=1) / g.mean())


def test_demo_exosome_markers(demo_run):
    _, report, results = demo_run
    mk = results["western_ev"].markers.set_index(["sample", "marker"])["detected"]
    assert mk.xs("Calnexin", level="marker").eq(False).all()
    for m in ("CD9", "CD63", "TSG101"):
        assert mk.xs(m, level="marker").all(), m
    sec = next(s for s in report.sections if s.id == "western_ev")
    names = [i.name for i in sec.items]
    assert "western_ev_qc_usc_exosome_markers" in names and "western_ev_markers" in names
    assert [m.meta.key for m in sec.methods] == ["western.densitometry", "western.markers"]


def test_demo_report_section(demo_run):
    _, report, _ = demo_run
    sec = next(s for s in report.sections if s.id == "western")
    names = [i.name for i in sec.items]
    for n in ("western_qc_npc_matrix_blot", "western_sox_9", "western_bands", "western_ratios"):
        assert n in names
    text = " ".join(m.sentence() for m in sec.methods)
    assert "16-bit" in text and "rolling-ball:30" in text and "GAPDH" in text


def test_options_are_validated():
    blot = {"file": "a.tif", "lanes": ["ctrl_1"], "bands": ["GAPDH"]}
    with pytest.raises(ValidationError, match="not understood"):
        WesternOptions.model_validate({"blots": [blot], "background": "disk"})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        WesternOptions.model_validate({"blots": [{**blot, "lane": 3}]})


def test_normalize_edge_cases():
    bands = pd.DataFrame(
        {
            "sample": ["a", "a", "b", "b", "c"],
            "group": ["ctrl", "ctrl", "x", "x", "x"],
            "band": ["T", "L", "T", "L", "T"],
            "volume": [2.0, 4.0, 3.0, 0.0, 1.0],
        }
    )
    ratios, dropped = normalize_bands(bands, loading_control="L", control_group="ctrl")
    assert ratios[["sample", "ratio", "relative"]].to_dict("list") == {
        "sample": ["a"],
        "ratio": [0.5],
        "relative": [1.0],
    }
    assert dropped.to_dict("list") == {
        "sample": ["b", "c"],
        "target": ["T", "T"],
        "reason": ["L volume 0 is not positive", "no L band"],
    }
    dup = pd.concat([bands, bands.iloc[:1]])
    with pytest.raises(DesignError, match=r"sample 'a' has band 'T' more than once"):
        normalize_bands(dup, loading_control="L", control_group="ctrl")
    with pytest.raises(DesignError, match=r"no 'y' sample has a T ratio"):
        normalize_bands(bands, loading_control="L", control_group="y")
