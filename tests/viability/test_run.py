"""``exodisc run`` on a study with this area's simulated raw files: file -> report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app

from .conftest import write_study

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plate_run")
    study = write_study(folder, ["cck8", "sabgal"])
    res = CliRunner().invoke(app, ["run", str(study), "-o", str(folder / "out")])
    assert res.exit_code == 0, res.output
    return folder / "out"


def test_tables_figures_and_marks(outputs: Path) -> None:
    for name in ["cck8_timecourse", "cck8_bars_72h", "sabgal_bars", "sabgal_images_qc_overlays"]:
        for ext in ("svg", "png", "tsv"):
            assert (outputs / "figures" / f"{name}.{ext}").is_file(), f"{name}.{ext}"
    st = pd.read_csv(outputs / "tables" / "cck8_statistics.tsv", sep="\t")
    at72 = st[st["time_h"] == 72].set_index(["group1", "group2"])["mark"]
    assert at72[("il1b", "ctrl")] == "***"
    assert at72[("exo", "il1b")].startswith("#")
    assert at72[("usc", "il1b")].startswith("#")
    assert at72[("usc_gw", "usc")].startswith("&")  # GW4869 removes the USC rescue
    sb = pd.read_csv(outputs / "tables" / "sabgal_pct_pairs.tsv", sep="\t")
    assert sb.set_index(["group1", "group2"])["mark"][("il1b", "ctrl")] == "***"
    html = (outputs / "report.html").read_text(encoding="utf-8")
    assert (outputs / "tables" / "cck8_72h_pairs.tsv").is_file()
    for text in ["Cell viability (CCK-8)", "SA-β-gal", "technical outlier", "trapezoidal"]:
        assert text in html, text


def test_demo_outlier_is_flagged_and_recorded(outputs: Path) -> None:
    dropped = pd.read_csv(outputs / "tables" / "cck8_dropped.tsv", sep="\t")
    # the simulated pipetting bubble: plate 48 h, well E6 (usc_gw_2)
    row = dropped[(dropped["plate"] == "Plate 48h") & (dropped["well"] == "E6")]
    assert len(row) == 1 and row["sample"].item() == "usc_gw_2"
    # and nothing else: the demo's technical noise is Gaussian and the z is calibrated for
    # it (the uncalibrated 0.6745 / MAD z also flagged P72h F7, F10 and C7)
    assert len(dropped) == 1
    assert "robust z" in row["reason"].item()


def test_sabgal_fields_per_replicate_said_once(outputs: Path) -> None:
    html = (outputs / "report.html").read_text(encoding="utf-8")
    assert "fields (5 per replicate)" in html
    assert "5–5" not in html


def test_single_time_point_says_why_no_auc_or_two_way(tmp_path: Path) -> None:
    """One plate: no AUC over "24–24 h" and the true reason for no two-way ANOVA."""
    from ruamel.yaml import YAML

    path = write_study(tmp_path, ["cck8"])
    yaml = YAML(typ="rt")
    doc = yaml.load(path.read_text(encoding="utf-8"))
    entry = doc["assays"][0]
    entry["files"] = [f for f in entry["files"] if "48h" in f]
    entry["options"]["plate_times_h"] = {"Plate 48h": 48}
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    res = CliRunner().invoke(app, ["run", str(path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "no two_way_anova" not in html
    assert "48–48 h" not in html
    assert "One time point (48 h): no area under the curve and no two-way ANOVA" in html
    assert not (tmp_path / "out" / "tables" / "cck8_auc.tsv").exists()
