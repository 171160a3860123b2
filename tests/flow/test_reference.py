"""Parity of quadrants, thresholds, % positive, MFI and compensation with R and FlowKit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.flow import analyse_apoptosis, analyse_markers, compensate
from exodisc.io.fcs import read_fcs

PCT = ["viable_pct", "early_apoptotic_pct", "late_apoptotic_pct", "necrotic_pct"]


@pytest.fixture(scope="module")
def ref(flow_ref: Path) -> pd.DataFrame:
    return pd.read_csv(flow_ref / "apoptosis_reference.csv", index_col="case")


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("control_percentile", {"compensation": "file"}),
        ("given_thresholds", {"compensation": "file", "thresholds": (1000, 800)}),
        ("no_compensation", {"compensation": "none"}),
    ],
)
def test_apoptosis_matches_r(flow_ref: Path, ref: pd.DataFrame, case: str, kwargs: dict) -> None:
    sample = read_fcs(flow_ref / "apoptosis_sample.fcs")
    control = None if "thresholds" in kwargs else read_fcs(flow_ref / "apoptosis_control.fcs")
    res = analyse_apoptosis(
        {"s1": sample}, annexin="Annexin V-FITC", pi="PI", control=control, **kwargs
    )
    row = res.table.iloc[0]
    want = ref.loc[case]
    assert row["events"] == want["events"] == 2000
    np.testing.assert_allclose(row[PCT].to_numpy(float), want[PCT].to_numpy(float), atol=1e-9)
    np.testing.assert_allclose(
        [row["annexin_threshold"], row["pi_threshold"]],
        [want["annexin_threshold"], want["pi_threshold"]],
        rtol=1e-12,
    )
    assert row["apoptotic_pct"] == pytest.approx(
        want["early_apoptotic_pct"] + want["late_apoptotic_pct"], abs=1e-9
    )


@pytest.mark.parametrize("method", ["percentile", "overton"])
def test_markers_match_r(flow_ref: Path, method: str) -> None:
    ref = pd.read_csv(flow_ref / "markers_reference.csv").set_index("channel")
    res = analyse_markers(
        {"panel": read_fcs(flow_ref / "panel_sample.fcs")},
        read_fcs(flow_ref / "panel_isotype.fcs"),
        channels=["FITC-A", "CD44 PE", "APC-A"],
        method=method,  # type: ignore[arg-type]
    )
    t = res.table.set_index("channel")
    assert t["marker"].tolist() == ["CD90", "CD44", "CD73"]
    expected_pct = ref["pct_positive"] if method == "percentile" else ref["overton_pct"]
    np.testing.assert_allclose(t["pct_positive"], expected_pct, atol=1e-9)
    for col in ("threshold", "mfi", "mfi_ratio"):
        np.testing.assert_allclose(t[col], ref[col], rtol=1e-12, err_msg=col)


def test_compensation_matches_flowkit(flow_ref: Path) -> None:
    """Our compensation equals FlowKit's Sample.apply_compensation on the same file."""
    import flowkit

    path = flow_ref / "panel_sample.fcs"
    fcs = read_fcs(path)
    ours = compensate(fcs.events, fcs.spill)
    sample = flowkit.Sample(str(path), subsample=0)
    sample.apply_compensation(flowkit.Matrix(fcs.spill.to_numpy(), list(fcs.spill.index)))
    theirs = pd.DataFrame(sample.get_events(source="comp"), columns=sample.pnn_labels)
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-10, atol=1e-8)
    # the input is not modified
    np.testing.assert_array_equal(fcs.events.to_numpy(), read_fcs(path).events.to_numpy())


def test_quadrants_match_flowkit_quadrant_gate(flow_ref: Path) -> None:
    """The same dividers as a FlowKit QuadrantGate give the same four counts."""
    import flowkit
    from flowkit import QuadrantDivider, gates

    res = analyse_apoptosis(
        {"s": read_fcs(flow_ref / "apoptosis_sample.fcs")},
        annexin="FITC-A",
        pi="PE-A",
        thresholds=(812.5, 431.25),
        compensation="none",
    )
    div_a = QuadrantDivider("A", "FITC-A", "uncompensated", [812.5])
    div_p = QuadrantDivider("P", "PE-A", "uncompensated", [431.25])
    lo_a, hi_a, lo_p, hi_p = (None, 812.5), (812.5, None), (None, 431.25), (431.25, None)
    quads = [
        gates.Quadrant("viable", ["A", "P"], [lo_a, lo_p]),
        gates.Quadrant("early", ["A", "P"], [hi_a, lo_p]),
        gates.Quadrant("late", ["A", "P"], [hi_a, hi_p]),
        gates.Quadrant("necrotic", ["A", "P"], [lo_a, hi_p]),
    ]
    strategy = flowkit.GatingStrategy()
    strategy.add_gate(gates.QuadrantGate("Q", [div_a, div_p], quads), ("root",))
    sample = flowkit.Sample(str(flow_ref / "apoptosis_sample.fcs"), subsample=0)
    result = strategy.gate_sample(sample)
    counts = {
        q: result.get_gate_membership(q).sum() for q in ("viable", "early", "late", "necrotic")
    }
    row = res.table.iloc[0]
    for q, col in zip(counts, PCT, strict=True):
        assert row[col] == pytest.approx(100 * counts[q] / 2000, abs=1e-12), q
