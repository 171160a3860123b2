"""Demo: the "Planning the next experiment" section at the end of the example study."""

from __future__ import annotations

from typing import Any

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]


@register_demo("power", order=995)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """No raw files: the power assay plans from the earlier assays' results.

    Small simulation counts keep the demo fast; the report says so and how to raise them.
    """
    del ctx
    return [
        {
            "id": "power",
            "kind": "power",
            "title": "Planning the next experiment",
            "options": {
                "n_sim": 1000,
                "curve_max": 10,
                "n_max": 40,
                "rnaseq_classes": ["mRNA"],
                "rnaseq_n": [2, 3, 5, 10],
                "rnaseq_n_sim": 2,
            },
        }
    ]
