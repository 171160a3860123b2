"""``exodisc qpcr`` (the issue's command-line contract), the study run and the demo part."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app

CONTRACT = [
    "sample",
    "target",
    "ct_mean",
    "delta_ct",
    "delta_delta_ct",
    "rq",
    "rq_min",
    "rq_max",
    "flags",
]
LONG = (
    "well\tsample\ttarget\tct\n"
    "A1\tc\tGAPDH\t18.0\nA2\tc\tGAPDH\t18.1\nA3\tc\tSOX9\t25.0\nA4\tc\tSOX9\t25.1\n"
    "B1\tx\tGAPDH\t18.0\nB2\tx\tGAPDH\t18.1\nB3\tx\tSOX9\t27.0\nB4\tx\tSOX9\t27.1\n"
)


def test_cli_contract(tmp_path: Path) -> None:
    export = tmp_path / "plate.tsv"
    export.write_text(LONG)
    out = tmp_path / "out.tsv"
    r = CliRunner().invoke(
        app,
        ["qpcr", str(export), "--reference", "GAPDH", "--calibrator", "c", "-o", str(out)],
    )
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t", keep_default_na=False, na_values=["NA"])
    assert list(t.columns) == CONTRACT
    row = t.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert row["delta_delta_ct"] == pytest.approx(2.0)
    assert row["rq"] == pytest.approx(0.25)
    assert export.read_text() == LONG


def test_cli_pfaffl_efficiency_and_percent(tmp_path: Path) -> None:
    export = tmp_path / "plate.tsv"
    export.write_text(LONG)
    out = tmp_path / "out.tsv"
    args = ["qpcr", str(export), "--reference", "GAPDH", "--calibrator", "c", "-o", str(out)]
    r = CliRunner().invoke(app, [*args, "--efficiency", "SOX9=90%"])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t").set_index(["sample", "target"])
    assert t.loc[("x", "SOX9"), "rq"] == pytest.approx(1.9**-2.0)


def test_cli_bad_efficiency(tmp_path: Path) -> None:
    export = tmp_path / "plate.tsv"
    export.write_text(LONG)
    r = CliRunner().invoke(
        app,
        [
            "qpcr",
            str(export),
            "--reference",
            "GAPDH",
            "--calibrator",
            "c",
            "-o",
            str(tmp_path / "o.tsv"),
            "--efficiency",
            "SOX9",
        ],
    )
    assert r.exit_code == 2
    assert "--efficiency expects TARGET=E" in r.output


def test_cli_bad_calibrator_is_a_clear_error(tmp_path: Path) -> None:
    export = tmp_path / "plate.tsv"
    export.write_text(LONG)
    r = CliRunner().invoke(
        app,
        [
            "qpcr",
            str(export),
            "--reference",
            "GAPDH",
            "--calibrator",
            "ctrl",
            "-o",
            str(tmp_path / "o.tsv"),
        ],
    )
    assert r.exit_code == 1
    assert "calibrator sample(s) ['ctrl'] not found" in r.output


def _demo_study(tmp_path: Path) -> Path:
    from ruamel.yaml import YAML

    from exodisc.assays.qpcr._demo import simulate
    from exodisc.config import parse_study
    from exodisc.demo import demo_design
    from exodisc.registry import DemoContext

    design = demo_design()
    study = parse_study(design, path=tmp_path / "study.yaml")
    assays = simulate(DemoContext(folder=tmp_path, study=study))
    yaml = YAML(typ="safe", pure=True)
    with (tmp_path / "study.yaml").open("w") as fh:
        yaml.dump({**design, "assays": assays}, fh)
    return tmp_path / "study.yaml"


def test_demo_export_is_read_by_our_reader(tmp_path: Path) -> None:
    from exodisc.io.qpcr import read_qpcr

    _demo_study(tmp_path)
    run = read_qpcr(tmp_path / "raw" / "qpcr" / "qpcr_quantstudio_results.txt")
    assert run.format == "quantstudio_text"
    assert set(run.wells["target"]) == {"GAPDH", "SOX9", "COL2A1", "ACAN"}
    assert len(run.wells) == 15 * 4 * 3 + 4
    assert run.wells.loc[run.wells["task"] == "NTC", "undetermined"].all()


def test_study_run_gives_paper_direction_and_report(tmp_path: Path) -> None:
    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    study = load_study(_demo_study(tmp_path))
    report, results = analyse(study)
    fc = results["qpcr"]
    s = fc.summary.set_index(["target", "group"])
    for t in ("SOX9", "COL2A1", "ACAN"):
        assert s.loc[(t, "ctrl"), "fold_change_mean"] == pytest.approx(1.0, abs=0.1)
        assert s.loc[(t, "il1b"), "fold_change_mean"] < 0.5  # IL-1β lowers the markers
        assert s.loc[(t, "exo"), "fold_change_mean"] > s.loc[(t, "il1b"), "fold_change_mean"]
        assert "*" in s.loc[(t, "il1b"), "mark"]
        assert "#" in s.loc[(t, "exo"), "mark"]
    sec = next(x for x in report.sections if x.id == "qpcr")
    keys = [m.meta.key for m in sec.methods]
    # the statistics key follows the study's statistics (here the demo's ANOVA + Bonferroni)
    assert (study.statistics.test, study.statistics.posthoc) == ("anova", "bonferroni")
    assert keys == ["qpcr.ddct", "stats.anova_bonferroni"]
    assert "2^-ΔΔCt" in sec.methods[0].sentence()
    # the RQ min/max level the (QuantStudio-style) demo export states, and where it came from
    assert "at 95 %: stated in the export qpcr_quantstudio_results.txt" in sec.methods[0].sentence()
    assert report.records["qpcr_rq_interval.qpcr"]["source"] == "export"
    assert {i.name for i in sec.items} >= {
        "qpcr_fold_change",
        "qpcr_fold_change_summary",
        "qpcr_statistics",
        "qpcr_relative_quantification",
    }


def test_study_run_methods_follow_the_declared_test(tmp_path: Path) -> None:
    """statistics: {test: kruskal} → Dunn's z pairs, described as Kruskal–Wallis + Dunn."""
    from ruamel.yaml import YAML

    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    path = _demo_study(tmp_path)
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(path.read_text())
    data["statistics"] = {"test": "kruskal", "posthoc": "dunn", "error_bars": "sem"}
    with path.open("w") as fh:
        yaml.dump(data, fh)
    report, results = analyse(load_study(path))
    sec = next(x for x in report.sections if x.id == "qpcr")
    keys = [m.meta.key for m in sec.methods]
    assert keys == ["qpcr.ddct", "stats.kruskal", "stats.posthoc.dunn"]
    text = " ".join(m.sentence() for m in sec.methods)
    assert "Kruskal–Wallis" in text and "Dunn's test" in text and "ANOVA" not in text
    assert set(results["qpcr"].pairs["pairwise_test"]) == {"Dunn's z"}
    fig = next(i for i in sec.items if i.name == "qpcr_fold_change")
    assert "mean ± SEM" in fig.caption and "Kruskal–Wallis test with Dunn" in fig.caption


def test_cli_with_study_maps_samples_and_calibrator_group(tmp_path: Path) -> None:
    study = _demo_study(tmp_path)
    out = tmp_path / "o.tsv"
    r = CliRunner().invoke(
        app,
        [
            "qpcr",
            str(tmp_path / "raw" / "qpcr" / "qpcr_quantstudio_results.txt"),
            "--reference",
            "GAPDH",
            "--calibrator",
            "ctrl",
            "--study",
            str(study),
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out, sep="\t", keep_default_na=False, na_values=["NA"])
    assert list(t.columns) == ["sample", "group", *CONTRACT[1:]]
    ctrl = t[(t["group"] == "ctrl") & (t["target"] == "SOX9")]
    assert ctrl["delta_delta_ct"].mean() == pytest.approx(0.0, abs=1e-12)


def test_unknown_sample_names_are_a_design_error(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from exodisc.config import load_study, parse_study
    from exodisc.errors import DesignError, StudyFileError
    from exodisc.pipeline import analyse

    path = _demo_study(tmp_path)
    export = tmp_path / "raw" / "qpcr" / "qpcr_quantstudio_results.txt"
    export.write_text(export.read_text().replace("\tctrl_1\t", "\tControl-1\t"))
    words = r"sample name\(s\) \['Control-1'\].*'aliases'"
    with pytest.raises(StudyFileError, match=words):  # validate / run: before any analysis
        load_study(path)
    raw = YAML(typ="safe", pure=True).load(path.read_text())
    with pytest.raises(DesignError, match=words):  # the analysis itself: the same words
        analyse(parse_study(raw, path=path))


def test_run_with_two_references_adds_genorm(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    path = _demo_study(tmp_path)
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(path.read_text())
    data["assays"][0]["options"] = {"reference": ["GAPDH", "ACAN"], "undetermined": "cycle_limit"}
    with path.open("w") as fh:
        yaml.dump(data, fh)
    report, results = analyse(load_study(path))
    sec = next(x for x in report.sections if x.id == "qpcr")
    names = {i.name for i in sec.items}
    assert {"qpcr_reference_stability", "qpcr_ntc"} <= names
    assert [m.meta.key for m in sec.methods][-1] == "qpcr.genorm"
    assert "(mean Ct of the reference genes)" in sec.methods[0].sentence()
    assert set(results["qpcr"].replicates["target"]) == {"SOX9", "COL2A1"}


def test_run_with_three_references_adds_normfinder(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    path = _demo_study(tmp_path)
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(path.read_text())
    data["assays"][0]["options"] = {"reference": ["GAPDH", "ACAN", "COL2A1"]}
    with path.open("w") as fh:
        yaml.dump(data, fh)
    report, _ = analyse(load_study(path))
    sec = next(x for x in report.sections if x.id == "qpcr")
    assert {"qpcr_reference_normfinder", "qpcr_reference_normfinder_pairs"} <= {
        i.name for i in sec.items
    }
    assert "across the 5 groups" in sec.methods[-1].sentence()


def test_run_pfaffl_from_standard_curves(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    lines = ["well\tsample\ttarget\ttask\tquantity\tct"]
    i = 0
    for q, ct in [(1e4, 20.0), (1e3, 23.4), (1e2, 26.8), (1e1, 30.2)]:  # slope −3.4
        for _ in range(2):
            lines.append(f"S{i}\tstd\tSOX9\tSTANDARD\t{q}\t{ct}")
            i += 1
    cts = {"c1": (25.0, 18.0), "c2": (25.2, 18.1), "t1": (27.0, 18.0), "t2": (27.3, 18.2)}
    for s, (sox9, gapdh) in cts.items():
        for target, ct in (("SOX9", sox9), ("GAPDH", gapdh)):
            lines.append(f"U{i}\tplate-{s}\t{target}\tUNKNOWN\t\t{ct}")
            i += 1
    (tmp_path / "plate.tsv").write_text("\n".join(lines) + "\n")
    study = {
        "title": "t",
        "groups": [
            {"id": "ctrl", "label": "Control", "role": "control"},
            {"id": "trt", "label": "T"},
        ],
        "samples": [
            {
                "id": s,
                "group": "ctrl" if s[0] == "c" else "trt",
                "replicate": int(s[1]),
                "aliases": [f"plate-{s}"],
            }
            for s in cts
        ],
        "assays": [
            {
                "id": "qpcr",
                "kind": "qpcr",
                "files": ["plate.tsv"],
                "options": {"efficiency": "standard_curve"},
            }
        ],
    }
    yaml = YAML(typ="safe", pure=True)
    with (tmp_path / "study.yaml").open("w") as fh:
        yaml.dump(study, fh)
    report, results = analyse(load_study(tmp_path / "study.yaml"))
    sec = next(x for x in report.sections if x.id == "qpcr")
    assert [m.meta.key for m in sec.methods] == [
        "qpcr.pfaffl",
        "stats.anova_bonferroni",
        "qpcr.standard_curve",
    ]
    e = 10 ** (1 / 3.4)
    reps = results["qpcr"].replicates.set_index(["sample", "target"])
    # Pfaffl: SOX9 weighted by log2(E_SOX9), GAPDH by log2(2) = 1
    d = {s: v[0] * np.log2(e) - v[1] for s, v in cts.items()}
    expected = 2 ** -(d["t1"] - (d["c1"] + d["c2"]) / 2)
    assert reps.loc[("t1", "SOX9"), "fold_change"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "xyz"], "--format must be one of auto, quantstudio_text"),
        (["--confidence", "2"], "--confidence must be between 0 and 1, got 2.0"),
        (["--undetermined", "zero"], "--undetermined must be one of exclude, cycle_limit"),
    ],
)
def test_cli_bad_options(tmp_path: Path, extra: list[str], message: str) -> None:
    export = tmp_path / "plate.tsv"
    export.write_text(LONG)
    args = ["qpcr", str(export), "--reference", "GAPDH", "--calibrator", "c"]
    r = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "o.tsv"), *extra])
    assert r.exit_code == 2
    assert message in " ".join(r.output.split()).replace("│ │", "")
