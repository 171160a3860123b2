"""Simulated SA-β-gal data of the example study: counts per field and a few images."""

from __future__ import annotations

from typing import Any

import numpy as np

from exodisc.registry import DemoContext, register_demo


def _pct(ctx: DemoContext, group: str) -> float:
    """IL-1β raises senescence from ~10 % to ~45 %; rescue brings it back down."""
    return 0.10 + 0.35 * (1 - ctx.rescue(group))


@register_demo("sabgal", order=20)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Five fields of counts per replicate (CSV) and one bright-field image per replicate."""
    from PIL import Image

    from exodisc.assays.senescence._simulate import simulate_sabgal_image

    rng = ctx.rng("sabgal")
    out = ctx.raw_dir("sabgal")
    lines = ["sample,field,positive,total"]
    for s in ctx.study.samples:
        p = float(np.clip(_pct(ctx, s.group) + rng.normal(0, 0.03), 0.01, 0.95))
        for f in range(1, 6):
            total = int(rng.integers(60, 140))
            lines.append(f"{s.id},f{f},{rng.binomial(total, p)},{total}")
    (out / "sabgal_counts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    img_dir = out / "images"
    img_dir.mkdir(exist_ok=True)
    files = []
    for s in ctx.study.samples:
        n = int(rng.integers(35, 50))
        p = float(np.clip(_pct(ctx, s.group) + rng.normal(0, 0.04), 0.02, 0.95))
        img, _, _ = simulate_sabgal_image(rng, n_cells=n, n_positive=int(rng.binomial(n, p)))
        name = f"{s.id}__f1.png"
        Image.fromarray(img).save(img_dir / name, optimize=True)
        files.append(f"raw/sabgal/images/{name}")
    return [
        {
            "id": "sabgal",
            "kind": "sabgal",
            "title": "Senescence (SA-β-gal), counts",
            "files": ["raw/sabgal/sabgal_counts.csv"],
            "options": {"aggregate": "pooled"},
        },
        {
            "id": "sabgal_images",
            "kind": "sabgal",
            "title": "Senescence (SA-β-gal), automated image counts",
            "files": files,
        },
    ]
