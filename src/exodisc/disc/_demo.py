"""Demo: the disc model assay, injected cells vs exosomes at Pfirrmann grades II and IV."""

from __future__ import annotations

from typing import Any

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]

#: cells injected in the demo: about twice what a grade II disc can feed (~2.4e7 extra cells),
#: the order of magnitude of clinical MSC doses per disc (1e6-1e8)
DEMO_CELLS = 4e7
#: exosome particles in the demo (recorded; no metabolic load in the model)
DEMO_EXOSOMES = 1e10


@register_demo("disc_model", order=995)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """No raw files: the disc model simulates from literature parameters."""
    scenarios = []
    for grade in ("II", "IV"):
        scenarios.append(
            {
                "id": f"cells_g{grade}",
                "label": f"cells, grade {grade}",
                "grade": grade,
                "treatment": "cells",
                "dose": DEMO_CELLS,
            }
        )
        scenarios.append(
            {
                "id": f"exo_g{grade}",
                "label": f"exosomes, grade {grade}",
                "grade": grade,
                "treatment": "exosomes",
                "dose": DEMO_EXOSOMES,
            }
        )
    return [
        {
            "id": "disc_model",
            "kind": "disc_model",
            "title": "Disc microenvironment model: can the disc feed injected cells?",
            "options": {
                "scenarios": scenarios,
                "days": 30,
                "mesh_mm": 0.5,
                "endplate_factors": [1.0, 0.7, 0.5, 0.4, 0.3, 0.2],
                "doses": [0.0, 1e7, 2e7, 3e7, 4e7, 6e7],
            },
        }
    ]
