"""Write synthetic_wells.tsv: a small, deterministic qPCR plate for the R parity script.

Run from the repository root:  python tests/reference/qpcr/make_fixture.py
"""

from pathlib import Path

import numpy as np

rng = np.random.default_rng(7)
base = {"T1": 25.0, "T2": 28.0, "R1": 18.0, "R2": 20.5, "R3": 22.0}
effect = {"A": {}, "B": {"T1": 1.5, "T2": -1.0}, "C": {"T1": 0.6, "T2": -0.2}}
rows = ["well\tsample\ttarget\ttask\tct"]
well = 0
for group in ("A", "B", "C"):
    for rep in (1, 2, 3):
        sample = f"{group}{rep}"
        load = rng.normal(0, 0.3)
        for target in ("T1", "T2", "R1", "R2", "R3"):
            bio = rng.normal(0, 0.25) if target in ("T1", "T2", "R3") else rng.normal(0, 0.08)
            mean = base[target] + load + bio + effect[group].get(target, 0.0)
            for _ in range(3):
                ct = f"{mean + rng.normal(0, 0.1):.3f}"
                if sample == "B2" and target == "T2" and _ == 2:
                    ct = "Undetermined"
                rows.append(f"W{well:03d}\t{sample}\t{target}\tUNKNOWN\t{ct}")
                well += 1
rows.append(f"W{well:03d}\tNTC\tT1\tNTC\t33.210")
rows.append(f"W{well + 1:03d}\tNTC\tR1\tNTC\tUndetermined")
Path(__file__).with_name("synthetic_wells.tsv").write_text("\n".join(rows) + "\n")
