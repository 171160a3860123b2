"""Flow cytometry: exodisc vs FlowKit on the same FCS files.

1. Compensation of a 2,000-event, 6-channel FCS 3.1 file (tests/reference/flow_quadrants).
2. Annexin V/PI quadrant percentages vs a FlowKit QuadrantGate with the same dividers.
3. GatingML 2.0 compliance set (../shared/data/flow_cytometry, 49 gates on 13,367 events):
   our wrapper vs calling FlowKit directly (the wrapper's overhead).

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_flow.py``; prints reference time /
exodisc time for each (> 1: exodisc faster).
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

import flowkit
import pandas as pd
from flowkit import QuadrantDivider, gates

from exodisc.assays.flow import analyse_apoptosis, compensate
from exodisc.io.fcs import apply_gatingml, read_fcs

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "tests" / "reference" / "flow_quadrants"
SHARED = Path(os.environ.get("EXODISC_SHARED", ROOT.parent / "shared")) / "data" / "flow_cytometry"


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def show(name: str, ours: float, ref: float) -> None:
    times = f"exodisc {ours * 1e3:8.1f} ms  FlowKit {ref * 1e3:8.1f} ms"
    print(f"{name:<20} {times}  ratio {ref / ours:5.2f}")


def main() -> None:
    warnings.simplefilter("ignore")
    path = REF / "panel_sample.fcs"
    fcs = read_fcs(path)

    def ours_comp() -> None:
        compensate(fcs.events, fcs.spill)

    def fk_comp() -> None:
        s = flowkit.Sample(str(path), subsample=0)
        s.apply_compensation(flowkit.Matrix(fcs.spill.to_numpy(), list(fcs.spill.index)))
        s.get_events(source="comp")

    def ours_read_comp() -> None:
        f = read_fcs(path)
        compensate(f.events, f.spill)

    a, b = best(ours_read_comp), best(fk_comp)
    show("read + compensate", a, b)
    a = best(ours_comp)
    print(f"compensate only     exodisc {a * 1e3:7.1f} ms")

    sample_path = REF / "apoptosis_sample.fcs"

    def ours_quad() -> None:
        analyse_apoptosis(
            {"s": read_fcs(sample_path)},
            annexin="FITC-A",
            pi="PE-A",
            thresholds=(800.0, 500.0),
            compensation="none",
        )

    def fk_quad() -> None:
        da = QuadrantDivider("A", "FITC-A", "uncompensated", [800.0])
        dp = QuadrantDivider("P", "PE-A", "uncompensated", [500.0])
        lo_a, hi_a, lo_p, hi_p = (None, 800.0), (800.0, None), (None, 500.0), (500.0, None)
        quads = [
            gates.Quadrant("v", ["A", "P"], [lo_a, lo_p]),
            gates.Quadrant("e", ["A", "P"], [hi_a, lo_p]),
            gates.Quadrant("l", ["A", "P"], [hi_a, hi_p]),
            gates.Quadrant("n", ["A", "P"], [lo_a, hi_p]),
        ]
        gs = flowkit.GatingStrategy()
        gs.add_gate(gates.QuadrantGate("Q", [da, dp], quads), ("root",))
        res = gs.gate_sample(flowkit.Sample(str(sample_path), subsample=0))
        pd.DataFrame({q: res.get_gate_membership(q) for q in "veln"}).mean()

    a, b = best(ours_quad), best(fk_quad)
    show("quadrants", a, b)

    if SHARED.is_dir():
        gml = SHARED / "gatingml_compliance" / "gml" / "gml_all_gates.xml"
        data = SHARED / "gatingml_compliance" / "data1.fcs"

        def fk_gml() -> None:
            gs = flowkit.parse_gating_xml(str(gml))
            gs.gate_sample(flowkit.Sample(str(data), subsample=0))

        a, b = best(lambda: apply_gatingml(gml, data), 2), best(fk_gml, 2)
        show("GatingML 49 gates", a, b)
    else:
        print(f"GatingML: {SHARED} absent, skipped")


if __name__ == "__main__":
    main()
