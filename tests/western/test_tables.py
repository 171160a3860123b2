"""Band tables: Image Lab lane-and-band reports, ImageJ Results, plain tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.config import parse_study
from exodisc.errors import DesignError, InputFormatError
from exodisc.io.western import read_band_table
from exodisc.pipeline import analyse

DATA = Path(__file__).parent / "data"


def test_imagelab_report_uses_adjusted_volume_and_band_labels():
    t = read_band_table(DATA / "imagelab_lane_band.csv", bands=["B1AR", "GAPDH"])
    assert t.format == "imagelab" and t.value_column == "Adj. Volume (Int)"
    f = t.frame
    assert f["lane"].tolist() == [1, 1, 2, 2]
    assert f["band"].tolist() == ["B1AR", "GAPDH", "B1AR", "GAPDH"]
    assert f["volume"].tolist() == [1234560.0, 2001000.0, 654321.0, 1960500.0]
    assert f["row"].tolist() == [3, 4, 5, 6]  # file lines (a title line precedes the header)
    unnamed = read_band_table(DATA / "imagelab_lane_band.csv").frame
    assert unnamed["band"].tolist() == ["band_1", "GAPDH", "band_1", "GAPDH"]


def test_imagej_results_rows_run_lane_by_lane():
    t = read_band_table(DATA / "imagej_results.csv", bands=["SOX-9", "GAPDH"])
    assert t.format == "imagej" and t.value_column == "RawIntDen"
    assert t.frame[["lane", "band"]].to_dict("list") == {
        "lane": [1, 1, 2, 2],
        "band": ["SOX-9", "GAPDH", "SOX-9", "GAPDH"],
    }
    assert t.frame["volume"].tolist() == [1812240.0, 2184600.0, 1682400.0, 2265720.0]
    with pytest.raises(
        InputFormatError, match=r"4 rows cannot be 3 band\(s\) \(a, b, c\) per lane"
    ):
        read_band_table(DATA / "imagej_results.csv", bands=["a", "b", "c"])


def test_plain_table_names_samples():
    t = read_band_table(DATA / "plain_bands.tsv")
    assert t.format == "plain"
    assert t.frame["sample"].tolist() == ["ctrl_1", "ctrl_1", "il1b_1", "il1b_1"]
    assert t.frame["lane"].isna().all()


def test_bad_tables_say_where(tmp_path):
    with pytest.raises(
        InputFormatError,
        match=r"bad_number\.csv: line 3, column 'volume': 'volume' value 'n\.d\.' is not a number",
    ):
        read_band_table(DATA / "bad_number.csv")
    with pytest.raises(
        InputFormatError, match=r"bad_columns\.csv: line 1: columns \['Name', 'Value'\]"
    ):
        read_band_table(DATA / "bad_columns.csv")
    unlabelled = tmp_path / "unlabelled.csv"
    unlabelled.write_text((DATA / "imagelab_lane_band.csv").read_text().replace("GAPDH", ""))
    with pytest.raises(
        InputFormatError,
        match=r"line 4, column 'Band No\.': band number 2 but only 1 band name\(s\) declared",
    ):
        read_band_table(unlabelled, bands=["only"])
    with pytest.raises(InputFormatError, match=r"nothing\.csv: band table not found"):
        read_band_table(DATA / "nothing.csv")


def _study(tmp_path, files, blots, **opts):
    raw = {
        "title": "tables",
        "groups": [{"id": "zl", "label": "ZL", "role": "control"}, {"id": "zdf", "label": "ZDF"}],
        "replicates": 3,
        "assays": [
            {
                "id": "western",
                "kind": "western",
                "files": [str(f) for f in files],
                "options": {"blots": blots, **opts},
            }
        ],
    }
    return parse_study(raw, path=tmp_path / "study.yaml")


def test_table_lane_numbers_need_lane_names(tmp_path):
    files = [DATA / "imagelab_lane_band.csv"]
    blot = {"file": "imagelab_lane_band.csv", "bands": ["B1AR", "GAPDH"], "lanes": ["zl_1"]}
    with pytest.raises(DesignError, match=r"lane 2 is measured but options\.blots\[0\]\.lanes"):
        analyse(_study(tmp_path, files, [blot]))
    blot2 = {**blot, "lanes": ["zl_1", "zdf_1"], "bands": ["B1AR", "GAPDH"]}
    with pytest.raises(DesignError, match=r"group\(s\) \['zl', 'zdf'\] have fewer than 2 values"):
        analyse(_study(tmp_path, files, [blot2]))
