"""Demo: simulated blot images (16-bit chemiluminescence TIFF, 8-bit film-like PNG)."""

from __future__ import annotations

from typing import Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]

#: Band name, centre row and the control-group volume of the demo's matrix blot.
MATRIX_BANDS = (("SOX-9", 40.0, 6.0e5), ("Collagen II", 85.0, 8.0e5), ("Aggrecan", 130.0, 5.0e5))
LOADING = ("GAPDH", 175.0, 9.0e5)
EV_BANDS = (("TSG101", 40.0), ("CD63", 80.0), ("CD9", 120.0), ("Calnexin", 160.0))


@register_demo("western", order=60)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write a matrix-protein blot of all samples and an EV-marker blot of the exosome preps."""
    import tifffile
    from skimage import io as skio

    from exodisc.assays.western._simulate import simulate_blot

    rng = ctx.rng("western")
    out = ctx.raw_dir("western")
    samples = [s for g in ctx.study.group_ids for s in ctx.study.samples if s.group == g]
    n = len(samples)
    vols = np.empty((n, len(MATRIX_BANDS) + 1))
    for i, s in enumerate(samples):
        health = ctx.rescue(s.group)
        loading = rng.normal(1.0, 0.06)  # lane-to-lane loading differences
        for j, (_, _, base) in enumerate(MATRIX_BANDS):
            vols[i, j] = base * (0.3 + 0.7 * health) * rng.lognormal(0.0, 0.08) * loading
        vols[i, -1] = LOADING[2] * loading
    rows = [b[1] for b in MATRIX_BANDS] + [LOADING[1]]
    blot = simulate_blot(
        vols, rng=rng, pitch=40, band_rows=rows, band_half_width=12.0, slope=(0.6, 0.4)
    )
    matrix = out / "npc_matrix_blot.tif"
    tifffile.imwrite(matrix, blot.pixels, description="exodisc simulated chemiluminescence blot")

    ev_samples = [s for s in ctx.study.samples if s.group == "exo"] or samples[:3]
    ev = np.empty((len(ev_samples), len(EV_BANDS)))
    for i in range(len(ev_samples)):
        for j, (name, _) in enumerate(EV_BANDS):
            present = name != "Calnexin"  # ER marker: absent from clean exosome preparations
            ev[i, j] = (2.5e4 * rng.lognormal(0.0, 0.1)) if present else 0.0
    ev_blot = simulate_blot(
        ev,
        rng=rng,
        pitch=44,
        band_rows=[b[1] for b in EV_BANDS],
        bit_depth=8,
        base=40.0,
        slope=(0.02, 0.02),
        noise_sd=2.0,
        dark_bands=True,
    )
    ev_path = out / "usc_exosome_markers.png"
    skio.imsave(ev_path, ev_blot.pixels, check_contrast=False)

    matrix_names = [b[0] for b in MATRIX_BANDS] + [LOADING[0]]
    return [
        {
            "id": "western",
            "kind": "western",
            "title": "Western blot: SOX-9, collagen II and aggrecan (Fig. 7a/b)",
            "files": [str(matrix.relative_to(ctx.folder))],
            "options": {
                "blots": [
                    {
                        "file": matrix.name,
                        "lanes": [s.id for s in samples],
                        "bands": matrix_names,
                        "exposure": 60.0,
                    }
                ],
                "loading_control": LOADING[0],
                "background": "rolling-ball:30",
            },
        },
        {
            "id": "western_ev",
            "kind": "western",
            "title": "Western blot: exosome markers CD9, CD63, TSG101 and calnexin",
            "files": [str(ev_path.relative_to(ctx.folder))],
            "options": {
                "blots": [
                    {
                        "file": ev_path.name,
                        "lanes": [s.id for s in ev_samples],
                        "bands": {name: [int(row - 12), int(row + 12)] for name, row in EV_BANDS},
                    }
                ],
                "targets": [],
                "markers": [b[0] for b in EV_BANDS],
                "background": "lane-min",
            },
        },
    ]
