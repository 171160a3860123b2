"""Reading FCS files: channels, labels, $SPILLOVER, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.errors import InputFormatError
from exodisc.io.fcs import parse_spillover, read_fcs, read_spill_matrix, sniff_fcs


def test_read_fixture_matches_raw_events(flow_ref: Path) -> None:
    fcs = read_fcs(flow_ref / "apoptosis_sample.fcs")
    raw = pd.read_csv(flow_ref / "apoptosis_sample_raw.csv", float_precision="round_trip")
    assert fcs.version == "3.1"
    assert list(fcs.events.columns) == list(raw.columns)
    np.testing.assert_array_equal(fcs.events.to_numpy(), raw.to_numpy())
    assert fcs.labels["FITC-A"] == "Annexin V-FITC"
    assert fcs.channel("PI") == "PE-A"
    ref = pd.read_csv(flow_ref / "panel_spill_reference.csv", index_col=0)
    panel = read_fcs(flow_ref / "panel_sample.fcs")
    pd.testing.assert_frame_equal(panel.spill, ref, check_names=False)
    assert len(fcs.sha256) == 64
    assert sniff_fcs(flow_ref / "apoptosis_sample.fcs")


def test_read_real_fcs2(flow_shared: Path) -> None:
    fcs = read_fcs(flow_shared / "gatingml_compliance" / "data1.fcs")
    assert fcs.version == "2.0"
    assert fcs.events.shape == (13367, 8)
    assert fcs.labels["FL1-H"] == "CD4 FITC"
    assert fcs.spill is None


def test_unknown_channel_names_the_choices(flow_ref: Path) -> None:
    fcs = read_fcs(flow_ref / "apoptosis_sample.fcs")
    with pytest.raises(
        InputFormatError,
        match=r"apoptosis_sample\.fcs: channel 'APC-A' not found.*"
        r"FITC-A \(Annexin V-FITC\)",
    ):
        fcs.channel("APC-A")


@pytest.fixture
def good_bytes(flow_ref: Path) -> bytes:
    return (flow_ref / "apoptosis_sample.fcs").read_bytes()


def test_truncated_file(tmp_path: Path, good_bytes: bytes) -> None:
    p = tmp_path / "cut.fcs"
    p.write_bytes(good_bytes[: len(good_bytes) // 2])
    with pytest.raises(InputFormatError, match=r"cut\.fcs: .*truncated"):
        read_fcs(p)


def test_truncated_inside_text(tmp_path: Path, good_bytes: bytes) -> None:
    p = tmp_path / "cut.fcs"
    p.write_bytes(good_bytes[:300])
    with pytest.raises(
        InputFormatError,
        match=r"cut\.fcs: TEXT: TEXT segment ends at byte \d+ "
        r"but the file has 300 bytes; the file is truncated",
    ):
        read_fcs(p)


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.fcs"
    p.write_bytes(b"")
    with pytest.raises(
        InputFormatError,
        match=r"empty\.fcs: HEADER: file is 0 bytes.*empty or "
        r"truncated",
    ):
        read_fcs(p)


def test_not_fcs(tmp_path: Path) -> None:
    p = tmp_path / "table.fcs"
    p.write_text("sample,value\n" * 10)
    with pytest.raises(
        InputFormatError,
        match=r"table\.fcs: HEADER: starts with 'sample'.*not an "
        r"FCS file",
    ):
        read_fcs(p)
    assert not sniff_fcs(p)


def test_corrupt_offsets(tmp_path: Path, good_bytes: bytes) -> None:
    p = tmp_path / "bad.fcs"
    p.write_bytes(good_bytes[:10] + b"   xx   " + good_bytes[18:])
    with pytest.raises(
        InputFormatError,
        match=r"bad\.fcs: HEADER bytes 10-17: TEXT start offset is "
        r"'xx', expected digits",
    ):
        read_fcs(p)


def test_corrupt_data_segment(tmp_path: Path, good_bytes: bytes) -> None:
    """DATA offsets pointing past the end of the file (a cut-off transfer)."""
    p = tmp_path / "short.fcs"
    p.write_bytes(good_bytes[:-4000])
    with pytest.raises(InputFormatError, match=r"short\.fcs: not a readable FCS file: .*truncated"):
        read_fcs(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"nope\.fcs: file not found"):
        read_fcs(tmp_path / "nope.fcs")


def test_parse_spillover() -> None:
    s = parse_spillover("2,FL1-A,FL2-A,1,0.1,0.02,1")
    np.testing.assert_array_equal(s.to_numpy(), [[1, 0.1], [0.02, 1]])
    assert list(s.index) == ["FL1-A", "FL2-A"]
    with pytest.raises(
        InputFormatError,
        match=r"\$SPILLOVER: spillover keyword declares 2 "
        r"detectors, so it needs 7 comma-separated fields, found 6",
    ):
        parse_spillover("2,FL1-A,FL2-A,1,0.1,0.02")
    with pytest.raises(InputFormatError, match="non-numeric coefficient"):
        parse_spillover("2,FL1-A,FL2-A,1,x,0.02,1")


def test_read_spill_matrix_flowjo_csv(flow_shared: Path) -> None:
    m = read_spill_matrix(flow_shared / "flowjo_workspace" / "den_comp.csv")
    assert m.shape == (8, 8)
    assert m.index[0] == "TNFa FITC FLR-A"
    np.testing.assert_allclose(np.diag(m.to_numpy()), 1.0)
    assert m.iloc[0, 1] == pytest.approx(0.014139)


def test_read_spill_matrix_errors(tmp_path: Path) -> None:
    p = tmp_path / "comp.csv"
    p.write_text("A,B\n1,0.1\n0.2,x\n")
    with pytest.raises(
        InputFormatError, match=r"comp\.csv: line 3, column 'B': 'x' is not a number"
    ):
        read_spill_matrix(p)
    p.write_text("A,B\n1,0.1\n")
    with pytest.raises(InputFormatError, match="2 detector columns but 1 rows"):
        read_spill_matrix(p)


def test_fcs30_header(tmp_path: Path, good_bytes: bytes, flow_ref: Path) -> None:
    p = tmp_path / "v30.fcs"
    p.write_bytes(b"FCS3.0" + good_bytes[6:])
    fcs = read_fcs(p)
    assert fcs.version == "3.0"
    ref = read_fcs(flow_ref / "apoptosis_sample.fcs")
    pd.testing.assert_frame_equal(fcs.events, ref.events)
