"""Simulated CCK-8 plates of the example study: 0/24/48/72 h in Gen5 and SoftMax Pro exports."""

from __future__ import annotations

from typing import Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

_TIMES = (0, 24, 48, 72)


def _layout(group_ids: list[str], n_rep: int) -> dict[str, str]:
    """Rows B–F one group each, columns 2–10 three technical wells per replicate; G blanks."""
    cells: dict[str, str] = {}
    for gi, g in enumerate(group_ids[:5]):
        row = "BCDEF"[gi]
        for rep in range(1, n_rep + 1):
            for k in range(3):
                cells[f"{row}{2 + (rep - 1) * 3 + k}"] = f"{g}_{rep}"
    for c in range(2, 11):
        cells[f"G{c}"] = "blank"
    return cells


@register_demo("cck8", order=10)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Four CCK-8 plates (0, 24, 48, 72 h): IL-1β slows growth, USC / exosomes rescue it."""
    from exodisc.assays.viability._export import write_gen5, write_grid_csv, write_softmax

    rng = ctx.rng("cck8")
    out = ctx.raw_dir("cck8")
    groups = [g for g in ctx.study.group_ids]
    n_rep = max(s.replicate for s in ctx.study.samples)
    layout = _layout(groups, n_rep)
    write_grid_csv(out / "cck8_layout.csv", layout)
    r_ctrl, r_model = np.log(1.6 / 0.35) / 72, np.log(0.8 / 0.35) / 72
    donor = {rep: rng.normal(0, 0.06) for rep in range(1, n_rep + 1)}
    rep_noise = {(g, r): rng.normal(0, 0.04) for g in groups for r in range(1, n_rep + 1)}
    plates: dict[int, dict[str, np.ndarray]] = {}
    for t in _TIMES:
        od650 = rng.normal(0.045, 0.002, (8, 12))
        od450 = 0.04 + rng.normal(0, 0.002, (8, 12)) + od650
        for well, label in layout.items():
            r, c = ord(well[0]) - 65, int(well[1:]) - 1
            if label == "blank":
                od450[r, c] += rng.normal(0.12, 0.004)
                continue
            g, rep = label.rsplit("_", 1)
            rate = r_model + (r_ctrl - r_model) * ctx.rescue(g)
            cells = 0.35 * np.exp(rate * t + donor[int(rep)] + rep_noise[(g, int(rep))])
            od450[r, c] += 0.12 + cells * np.exp(rng.normal(0, 0.03))
        plates[t] = {"450": od450, "650": od650}
    # one pipetting error the QC must flag: a bubble in one technical well at 48 h
    plates[48]["450"][4, 5] += 0.6
    write_gen5(out / "cck8_0h_gen5.txt", plates[0], plate="Plate 0h", date="06/07/2024")
    write_gen5(out / "cck8_48h_gen5.txt", plates[48], plate="Plate 48h", date="06/09/2024")
    write_softmax(out / "cck8_24h_72h_softmax.txt", {"P24h": plates[24], "P72h": plates[72]})
    rel = "raw/cck8"
    return [
        {
            "id": "cck8",
            "kind": "cck8",
            "title": "Cell viability (CCK-8)",
            "files": [
                f"{rel}/cck8_0h_gen5.txt",
                f"{rel}/cck8_24h_72h_softmax.txt",
                f"{rel}/cck8_48h_gen5.txt",
            ],
            "layout": f"{rel}/cck8_layout.csv",
            "options": {
                "reference_wavelength": "650",
                "plate_times_h": {"Plate 0h": 0, "P24h": 24, "Plate 48h": 48, "P72h": 72},
                "exclude_outliers": True,
            },
        }
    ]
