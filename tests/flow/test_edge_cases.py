"""Edge cases: tiny controls, empty gates, bad declarations, duplicate names, ties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.flow import (
    analyse_apoptosis,
    analyse_markers,
    control_thresholds,
    quadrant_percentages,
)
from exodisc.errors import DesignError
from exodisc.io.fcs import read_fcs


def test_control_too_small() -> None:
    ev = pd.DataFrame({"a": np.arange(50.0), "p": np.arange(50.0)})
    with pytest.raises(DesignError, match="the control has 50 events after gating; at least 100"):
        control_thresholds(ev, annexin="a", pi="p")


def test_percentile_out_of_range() -> None:
    ev = pd.DataFrame({"a": np.arange(500.0), "p": np.arange(500.0)})
    with pytest.raises(ValueError, match="percentile must be between 0 and 100, got 100"):
        control_thresholds(ev, annexin="a", pi="p", percentile=100)


def test_values_on_the_threshold_are_negative() -> None:
    ev = pd.DataFrame({"a": [1.0, 2.0, 2.0, 3.0], "p": [0.0, 0.0, 5.0, 5.0]})
    q = quadrant_percentages(ev, annexin="a", pi="p", annexin_threshold=2.0, pi_threshold=5.0)
    # 2.0 is not above 2.0 and 5.0 is not above 5.0: all four events are viable
    assert q["viable_pct"] == 50.0 + 25.0 and q["early_apoptotic_pct"] == 25.0
    assert q["late_apoptotic_pct"] == 0.0 and q["necrotic_pct"] == 0.0
    assert sum(q[k] for k in q if k.endswith("_pct") and k != "apoptotic_pct") == 100.0


def test_no_events() -> None:
    with pytest.raises(DesignError, match="no events to place in quadrants"):
        quadrant_percentages(
            pd.DataFrame({"a": [], "p": []}),
            annexin="a",
            pi="p",
            annexin_threshold=1,
            pi_threshold=1,
        )


def test_control_and_thresholds_exclusive(flow_ref: Path) -> None:
    s = {"s": read_fcs(flow_ref / "apoptosis_sample.fcs")}
    c = read_fcs(flow_ref / "apoptosis_control.fcs")
    with pytest.raises(DesignError, match="exactly one of a control file"):
        analyse_apoptosis(s, annexin="FITC-A", pi="PE-A", control=c, thresholds=(1, 1))
    with pytest.raises(DesignError, match="exactly one of a control file"):
        analyse_apoptosis(s, annexin="FITC-A", pi="PE-A")
    with pytest.raises(DesignError, match=r"thresholds must be \(annexin, pi\)"):
        analyse_apoptosis(s, annexin="FITC-A", pi="PE-A", thresholds=(1.0,))  # type: ignore[arg-type]
    with pytest.raises(DesignError, match="no FCS files to analyse"):
        analyse_apoptosis({}, annexin="FITC-A", pi="PE-A", thresholds=(1, 1))


def test_markers_no_channels(flow_ref: Path) -> None:
    p = read_fcs(flow_ref / "panel_sample.fcs")
    with pytest.raises(DesignError, match="no marker channels given"):
        analyse_markers({"p": p}, read_fcs(flow_ref / "panel_isotype.fcs"), channels=[])


def test_negative_isotype_mfi_gives_nan_ratio(flow_ref: Path) -> None:
    """An isotype MFI <= 0 after compensation has no ratio (NaN, and the run warns)."""
    iso = read_fcs(flow_ref / "panel_isotype.fcs")
    shifted = iso.events.assign(**{"APC-A": iso.events["APC-A"] - 10_000})
    from dataclasses import replace

    iso2 = replace(iso, events=shifted)
    res = analyse_markers(
        {"p": read_fcs(flow_ref / "panel_sample.fcs")},
        iso2,
        channels=["APC-A"],
        compensation="none",
    )
    assert np.isnan(res.table.loc[0, "mfi_ratio"])
    assert res.table.loc[0, "control_mfi"] < 0


def test_inputs_are_not_modified(flow_ref: Path) -> None:
    fcs = read_fcs(flow_ref / "apoptosis_sample.fcs")
    before = fcs.events.copy()
    analyse_apoptosis({"s": fcs}, annexin="FITC-A", pi="PE-A", thresholds=(500, 500))
    pd.testing.assert_frame_equal(fcs.events, before)
