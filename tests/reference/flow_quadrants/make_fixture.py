"""Write the small FCS fixtures (FlowIO) and the same raw events as CSV for the R script.

Run from the repository root:
``PYTHONPATH=src python tests/reference/flow_quadrants/make_fixture.py``
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from exodisc.assays.flow._demo import write_fcs

HERE = Path(__file__).parent
N = 2000


def _save(name: str, events: np.ndarray, channels, labels, spill, spill_channels) -> None:
    ev = events.astype(np.float32)
    write_fcs(
        HERE / f"{name}.fcs", ev, channels, labels, spill=spill, spill_channels=spill_channels
    )
    header = ",".join(channels)
    np.savetxt(
        HERE / f"{name}_raw.csv",
        ev.astype(np.float64),
        delimiter=",",
        header=header,
        comments="",
        fmt="%.17g",
    )


def main() -> None:
    rng = np.random.default_rng(7)
    spill = np.array([[1.0, 0.21], [0.035, 1.0]])
    chans = ["FSC-A", "FSC-H", "SSC-A", "FITC-A", "PE-A"]
    labels = ["", "", "", "Annexin V-FITC", "PI"]

    def cells(ann_pos, pi_pos):
        n = ann_pos.size
        fsc = rng.normal(80_000, 12_000, n)
        true = np.column_stack(
            [
                np.where(
                    ann_pos, rng.lognormal(np.log(15_000), 0.5, n), rng.lognormal(5.5, 0.4, n)
                ),
                np.where(pi_pos, rng.lognormal(np.log(9_000), 0.5, n), rng.lognormal(5.2, 0.4, n)),
            ]
        )
        fl = true @ spill + rng.normal(0, 60, true.shape)
        return np.column_stack([fsc, fsc * rng.normal(0.8, 0.05, n), rng.normal(5e4, 1e4, n), fl])

    z = np.zeros(N, bool)
    _save("apoptosis_control", cells(z, z), chans, labels, spill, ["FITC-A", "PE-A"])
    u = rng.random(N)
    _save(
        "apoptosis_sample",
        cells(u < 0.3, (u > 0.18) & (u < 0.36)),
        chans,
        labels,
        spill,
        ["FITC-A", "PE-A"],
    )

    pchans = ["FSC-A", "FSC-H", "SSC-A", "FITC-A", "PE-A", "APC-A"]
    pspill = np.array([[1.0, 0.12, 0.0], [0.02, 1.0, 0.05], [0.0, 0.01, 1.0]])

    def panel(fracs):
        n = N
        fsc = rng.normal(80_000, 12_000, n)
        cols = []
        for f, level in zip(fracs, (20_000, 6_000, 800), strict=True):
            pos = rng.random(n) < f
            cols.append(
                np.where(pos, rng.lognormal(np.log(level), 0.5, n), rng.lognormal(5.4, 0.4, n))
            )
        fl = np.column_stack(cols) @ pspill + rng.normal(0, 50, (n, 3))
        return np.column_stack([fsc, fsc * 0.8, rng.normal(5e4, 1e4, n), fl])

    _save(
        "panel_isotype",
        panel((0, 0, 0)),
        pchans,
        ["", "", "", "IgG1 FITC", "IgG1 PE", "IgG1 APC"],
        pspill,
        ["FITC-A", "PE-A", "APC-A"],
    )
    _save(
        "panel_sample",
        panel((0.97, 0.4, 0.6)),
        pchans,
        ["", "", "", "CD90 FITC", "CD44 PE", "CD73 APC"],
        pspill,
        ["FITC-A", "PE-A", "APC-A"],
    )


if __name__ == "__main__":
    main()
