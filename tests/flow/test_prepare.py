"""Compensation errors, spillover from single stains, display transforms, declared gates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from exodisc.assays.flow import (
    DebrisGate,
    SingletGate,
    apply_gates,
    compensate,
    display_transform,
    overton_positive,
    prepare_events,
    spill_from_controls,
)
from exodisc.errors import DesignError, InputFormatError
from exodisc.io.fcs import read_fcs


def test_compensate_errors() -> None:
    ev = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, 4.0]})
    spill = pd.DataFrame([[1, 0.1], [0.1, 1]], index=["A", "C"], columns=["A", "C"])
    with pytest.raises(InputFormatError, match=r"detector\(s\) \['C'\] that the events lack"):
        compensate(ev, spill)
    singular = pd.DataFrame([[1, 1], [1, 1]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(InputFormatError, match="singular"):
        compensate(ev, singular, path="x.fcs")


def test_no_spillover_in_file(flow_shared: Path) -> None:
    fcs = read_fcs(flow_shared / "gatingml_compliance" / "data1.fcs")
    with pytest.raises(
        InputFormatError,
        match=r"data1\.fcs: TEXT keywords: compensation from the "
        r"file was asked for but the file has no \$SPILLOVER",
    ):
        prepare_events(fcs, compensation="file")


def test_spill_from_single_stains_recovers_truth() -> None:
    """Simulated single stains mixed with a known matrix: the median method gets it back."""
    rng = np.random.default_rng(3)
    truth = np.array([[1.0, 0.15, 0.02], [0.03, 1.0, 0.08], [0.0, 0.05, 1.0]])
    dets = ["FITC-A", "PE-A", "APC-A"]

    def tube(stained: int | None) -> pd.DataFrame:
        amount = rng.lognormal(5.3, 0.3, (4000, 3))
        if stained is not None:
            amount[:, stained] = rng.lognormal(np.log(20_000), 0.3, 4000)
        return pd.DataFrame(amount @ truth + rng.normal(0, 20, (4000, 3)), columns=dets)

    unstained = tube(None)
    singles = {d: tube(i) for i, d in enumerate(dets)}
    est = spill_from_controls(unstained, singles)
    np.testing.assert_allclose(est.to_numpy(), truth, atol=0.005)
    assert list(est.index) == dets


def test_spill_from_controls_needs_positives() -> None:
    rng = np.random.default_rng(0)
    ev = pd.DataFrame(rng.normal(100, 10, (500, 2)), columns=["A", "B"])
    with pytest.raises(DesignError, match=r"single-stain control for A has \d+ events above"):
        spill_from_controls(ev, {"A": ev, "B": ev})


def test_display_transforms() -> None:
    x = np.array([-500.0, 0.0, 150.0, 262144.0])
    np.testing.assert_allclose(display_transform(x, kind="asinh"), np.arcsinh(x / 150))
    logicle = display_transform(x)
    assert logicle[-1] == pytest.approx(1.0)
    # logicle(0) = W / M on the 0..1 scale (Parks et al. 2006), W = 0.5, M = 4.5
    assert logicle[1] == pytest.approx(0.5 / 4.5)
    assert np.all(np.diff(logicle) > 0)
    np.testing.assert_array_equal(display_transform(x, kind="linear"), x)


def test_gates_fixed_and_percentile() -> None:
    rng = np.random.default_rng(1)
    fsc = rng.uniform(0, 100_000, 1000)
    ev = pd.DataFrame(
        {
            "FSC-A": fsc,
            "FSC-H": fsc * np.where(np.arange(1000) < 100, 0.5, 0.8),
            "SSC-A": rng.uniform(0, 100_000, 1000),
        }
    )
    g = apply_gates(
        ev,
        debris=DebrisGate(method="fixed", x_min=20_000, y_max=90_000),
        singlets=SingletGate(method="fixed", ratio_min=0.7),
        sample="s",
    )
    want = (fsc >= 20_000) & (ev["SSC-A"] <= 90_000) & (np.arange(1000) >= 100)
    np.testing.assert_array_equal(g.mask, want.to_numpy())
    rec = g.record.set_index(["gate", "bound"])
    assert rec.loc[("debris", "min"), "value"] == 20_000
    assert rec.loc[("singlets", "min"), "events_kept"] == want.sum()
    p = apply_gates(ev, debris=DebrisGate(x_min=10.0))
    assert p.record.loc[0, "value"] == pytest.approx(np.percentile(fsc, 10.0))
    assert p.mask.sum() == 900


def test_gate_declarations_are_checked() -> None:
    with pytest.raises(ValidationError, match="at least one of x_min"):
        DebrisGate()
    with pytest.raises(ValidationError, match="percentile"):
        DebrisGate(x_min=150)
    with pytest.raises(ValidationError, match="ratio_min and/or ratio_max"):
        SingletGate()


def test_gate_channel_missing(flow_ref: Path) -> None:
    fcs = read_fcs(flow_ref / "apoptosis_sample.fcs")
    with pytest.raises(
        InputFormatError,
        match=r"apoptosis_sample\.fcs: gate channel 'FSC-W' not "
        r"found",
    ):
        prepare_events(fcs, singlets=SingletGate(height="FSC-W", ratio_min=1.0))


def test_gates_leave_nothing(flow_ref: Path) -> None:
    fcs = read_fcs(flow_ref / "apoptosis_sample.fcs")
    with pytest.raises(InputFormatError, match="no events are left after the debris"):
        prepare_events(fcs, debris=DebrisGate(method="fixed", x_min=1e9))


def test_overton_recovers_mixture_fraction() -> None:
    rng = np.random.default_rng(5)
    control = rng.lognormal(5.5, 0.4, 20_000)
    sample = np.concatenate([rng.lognormal(5.5, 0.4, 14_000), rng.lognormal(8.0, 0.4, 6_000)])
    assert overton_positive(sample, control) == pytest.approx(30.0, abs=1.5)
    # two draws of one distribution: only bin noise is "positive" (a known upward bias)
    assert overton_positive(control[:10_000], control[10_000:]) < 6.0
