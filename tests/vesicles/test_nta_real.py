"""NTA readers and summaries against the instruments' own values in the real exports.

The NanoSight and ZetaView exports (``nta/`` in ../shared/data) come from repositories without
a licence, so they are not shipped in tests/data: on a bare clone this module is skipped once,
naming them. tests/vesicles/test_nta.py runs the same readers on exports written by the demo's
writer from known distributions.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.assays.vesicles import summarise_nta
from exodisc.cli import app
from exodisc.errors import InputFormatError
from exodisc.io.nta import read_nanosight, read_nta, read_zetaview
from tests._shared import skip_module_unless_shared

skip_module_unless_shared("nta/nanosight_HugoSalmon/", "nta/zetaview_biovaram/")

COLUMNS = [
    "sample", "concentration_per_ml", "mean_nm", "mode_nm", "sd_nm", "d10_nm", "d50_nm",
    "d90_nm", "warnings",
]  # fmt: skip
SIZE = ["mean_nm", "mode_nm", "sd_nm", "d10_nm", "d50_nm", "d90_nm"]


def _nanosight_files(shared: Path) -> list[Path]:
    return sorted((shared / "nta" / "nanosight_HugoSalmon").glob("*.csv.gz"))


def _zetaview_files(shared: Path) -> list[Path]:
    return sorted((shared / "nta" / "zetaview_biovaram").glob("*_size_488.txt"))


def test_every_file_is_read(shared_data: Path):
    ns, zv = _nanosight_files(shared_data), _zetaview_files(shared_data)
    assert (len(ns), len(zv)) == (27, 5)
    for p in [*ns, *zv, *sorted((shared_data / "nta" / "zetaview_biovaram").glob("*_11pos.txt"))]:
        m = read_nta(p)
        assert m.instrument in ("NanoSight", "ZetaView")
    failed = [p.name for p in zv if read_zetaview(p).failed]
    assert failed == [
        "20250219_0001_EV_ip_p1_F8-1000_size_488.txt",
        "20250219_0010_EV_ip_p1_F9-5000_size_488.txt",
    ]


def test_nanosight_recomputed_size_statistics_match_the_software_per_video(shared_data: Path):
    """Parity: every video of every file, all six quantities within 2 %."""
    worst = dict.fromkeys(SIZE, 0.0)
    n = 0
    for p in _nanosight_files(shared_data):
        s = summarise_nta(read_nanosight(p))
        v = s.videos[s.videos["used"]]
        for k in SIZE:
            rel = (v[f"{k}_recomputed"] / v[k] - 1).abs().max()
            worst[k] = max(worst[k], float(rel))
        n += len(v)
    assert n == 134  # 27 files x 5 videos, one of them empty
    assert all(w < 0.02 for w in worst.values()), worst
    # measured: D-values, mean and SD agree within 0.2 %; the mode within 0.6 %
    assert max(worst[k] for k in SIZE if k != "mode_nm") < 0.0025


def test_nanosight_averages_equal_the_software_average_column(shared_data: Path):
    for p in _nanosight_files(shared_data):
        m = read_nanosight(p)
        s = summarise_nta(m)
        if len(s.videos) != int(s.videos["used"].sum()):
            continue  # the software's average keeps empty videos (tested below)
        for k in SIZE:  # the software prints 1 decimal; its average is of unrounded values
            assert s.row[k] == pytest.approx(m.software_summary[k], abs=0.1), (p.name, k)
        assert s.row["concentration_measured_per_ml"] == pytest.approx(
            m.software_summary["concentration_per_ml"], rel=0.006
        )


def test_nanosight_empty_video_is_left_out_with_a_warning(shared_data: Path):
    p = next(p for p in _nanosight_files(shared_data) if "MPC_28_Stretch_d200" in p.name)
    m = read_nanosight(p)
    assert m.videos["concentration_per_ml"].tolist()[0] == 0
    s = summarise_nta(m, dilution=200)
    assert s.row["n_videos_used"] == 4
    assert s.row["concentration_per_ml"] == pytest.approx(
        np.mean([1.65e8, 1.67e8, 1.64e8, 1.13e8]) * 200
    )
    assert s.row["mean_nm"] == pytest.approx(np.mean([76.7, 82.5, 80.1, 93.1]))
    assert "video 1: no particles tracked (concentration 0); left out" in s.row["warnings"]
    assert "the software's average concentration (1.22e+08/mL) includes them" in s.row["warnings"]
    assert "video 1: Validity of concentration measurement: Unreliable" in s.warnings


def test_nanosight_metadata_and_dilution(shared_data: Path):
    p = _nanosight_files(shared_data)[0]
    m = read_nanosight(p)
    assert m.software == "NTA 3.3 - Sample Assistant Dev Build 3.3.203"
    assert m.sample == "20210401 EMT1 d20"
    assert m.recorded_dilution is None
    s = summarise_nta(m)
    assert s.row["dilution_source"] == "none"
    assert "dilution neither declared nor recorded" in s.row["warnings"]
    s20 = summarise_nta(m, dilution=20)
    assert s20.row["concentration_per_ml"] == pytest.approx(20 * 9.138e8)
    assert "dilution neither" not in s20.row["warnings"]


def test_zetaview_d50_and_concentration_match_the_software(shared_data: Path):
    for p in _zetaview_files(shared_data):
        m = read_zetaview(p)
        s = summarise_nta(m)
        pos = pd.read_csv(p.with_name(p.stem + "_11pos.txt"), sep="\t", encoding="latin-1")
        mean_row = pos[pos["Position"].astype(str).str.strip() == "Mean"].iloc[0]
        if m.failed:
            assert math.isnan(s.row["concentration_per_ml"]) and math.isnan(s.row["d50_nm"])
            assert s.row["warnings"].startswith("no particles tracked (Number of Traces: 0)")
            continue
        # the software's dilution-corrected concentration ("Orig. Conc.", p/cm^3 = p/mL)
        assert s.row["concentration_per_ml"] == pytest.approx(
            float(mean_row["Orig. Conc. (p./cm^3)"]),
            rel=0.015,  # both printed to 2 digits
        )
        par = s.parity.set_index("quantity")
        assert abs(par.loc["d50_nm", "rel_diff"]) < 1e-4  # ZetaView lists bins by upper edge
        assert s.row["dilution_source"] == "recorded in file"


def test_zetaview_declared_dilution_overrides_with_warning(shared_data: Path):
    p = _zetaview_files(shared_data)[1]
    s = summarise_nta(read_zetaview(p), dilution=500)
    assert "declared dilution 500 differs from the recorded 1000; used 500" in s.row["warnings"]
    assert "position 0.50: removed by the software (GRUBBS_SIZE)" in s.row["warnings"]


# ---------------------------------------------------------------- bad input
def _nanosight_text(shared: Path) -> str:
    return gzip.decompress(_nanosight_files(shared)[1].read_bytes()).decode("latin-1")


def test_truncated_nanosight_is_refused_naming_what_is_missing(shared_data: Path, tmp_path: Path):
    text = _nanosight_text(shared_data)
    bad = tmp_path / "cut-ExperimentSummary.csv"
    bad.write_text(text.split("[Size Data]")[0], encoding="latin-1")
    with pytest.raises(
        InputFormatError,
        match=r"cut-ExperimentSummary.csv: after line \d+: no '\[Size Data\]' line",
    ):
        read_nanosight(bad)


def test_non_numeric_concentration_names_the_line(shared_data: Path, tmp_path: Path):
    text = _nanosight_text(shared_data).replace(
        "Concentration (Particles / ml),2.08e+08", "Concentration (Particles / ml),lots"
    )
    bad = tmp_path / "x.csv"
    bad.write_text(text, encoding="latin-1")
    with pytest.raises(
        InputFormatError, match=r"x.csv: line 45: concentration: 'lots' is not a number"
    ):
        read_nanosight(bad)


def test_unknown_and_orphan_files(tmp_path: Path, shared_data: Path):
    other = tmp_path / "plate.csv"
    other.write_text("Well,OD\nA1,0.5\n")
    with pytest.raises(InputFormatError, match=r"plate\.csv: line 1: not a recognised NTA export"):
        read_nta(other)
    orphan = tmp_path / "a_size_488_11pos.txt"
    src = sorted((shared_data / "nta" / "zetaview_biovaram").glob("*_11pos.txt"))[1]
    orphan.write_bytes(src.read_bytes())
    with pytest.raises(
        InputFormatError, match=r"per-position table only; the size export a_size_488\.txt"
    ):
        read_nta(orphan)
    with pytest.raises(ValueError, match="dilution must be a positive number"):
        summarise_nta(read_nta(_zetaview_files(shared_data)[1]), dilution=0)


# ---------------------------------------------------------------- command line
def test_nta_command_one_row_per_file(shared_data: Path, tmp_path: Path):
    ns = sorted((shared_data / "nta" / "nanosight_HugoSalmon").glob("*.csv.gz"))[:2]
    zv = sorted((shared_data / "nta" / "zetaview_biovaram").glob("*.txt"))[:4]  # 2 runs + _11pos
    out = tmp_path / "nta.tsv"
    res = CliRunner().invoke(app, ["nta", *map(str, ns + zv), "--dilution", "200", "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, sep="\t")
    assert list(t.columns) == COLUMNS
    assert len(t) == 4
    assert t.loc[0, "concentration_per_ml"] == pytest.approx(9.138e8 * 200)
    assert t.loc[0, "d50_nm"] == pytest.approx(75.24)
    failed = t[t["sample"] == "EV_ip_p1_F8-1000"].iloc[0]
    assert pd.isna(failed["concentration_per_ml"])
    assert "failed acquisition" in failed["warnings"]


def test_nta_command_refuses_a_bad_file_and_writes_nothing(shared_data: Path, tmp_path: Path):
    good = sorted((shared_data / "nta" / "nanosight_HugoSalmon").glob("*.csv.gz"))[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\n")
    out = tmp_path / "o.tsv"
    res = CliRunner().invoke(app, ["nta", str(good), str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert "not a recognised NTA export" in res.output
    assert f"{out} was not written" in res.output
    assert not out.exists()  # a failed command writes nothing (issue 17)
