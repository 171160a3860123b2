"""The flow methods paragraph states open gate bounds in words, never Python ``None``."""

from __future__ import annotations

from exodisc.assays.flow._prepare import DebrisGate, SingletGate
from exodisc.assays.flow._run import _describe_gates, _FlowOptions


def test_open_gate_bounds_are_words() -> None:
    opts = _FlowOptions(
        debris_gate=DebrisGate(method="fixed", x_min=35000.0),
        singlet_gate=SingletGate(method="fixed", ratio_max=1.2),
    )
    text = _describe_gates(opts)
    assert "None" not in text
    assert "FSC-A: ≥ 35000 (no upper limit)" in text
    assert "SSC-A: no limits" in text
    assert "≤ 1.2 (no lower limit)" in text


def test_closed_gate_bounds() -> None:
    opts = _FlowOptions(debris_gate=DebrisGate(x_min=5, x_max=99.5, y_min=1, y_max=99))
    text = _describe_gates(opts)
    assert "FSC-A: 5–99.5, SSC-A: 1–99" in text
